//! The director's schedule: the upcoming performances with what has sold, publish and cancel
//! buttons, and forms to schedule one performance or a run (weekdays × dates). Clashes are
//! refused with the performance already in the hall.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::schedule_form::{ScheduleForm, price_zones};
use super::{director, director_form, refusal, show};
use crate::app::schedule::change::{PerformanceChanges, change};
use crate::app::schedule::create;
use crate::db::performances::{self, Filter};
use crate::db::{productions, venues};
use crate::domain::performance::Status;
use crate::domain::prices::TicketType;
use crate::domain::schedule::WEEKDAY_NAMES;
use crate::domain::time::WallClock;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};
use crate::web::flash::see_other_saying;
use crate::web::render::{message, not_found};
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director", web::get().to(schedule))
        .route("/director/performances", web::post().to(create))
        .route("/director/runs", web::post().to(create_run))
        .route("/director/performances/{id}/{action}", web::post().to(act));
}

/// Which form a refusal belongs to: it is shown above that form.
#[derive(Clone, Copy)]
enum Refused {
    One,
    Run,
}

impl Refused {
    fn as_str(self) -> &'static str {
        match self {
            Refused::One => "one",
            Refused::Run => "run",
        }
    }
}

async fn schedule(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    render(
        &req,
        language,
        &state,
        None,
        ScheduleForm::default(),
        StatusCode::OK,
    )
    .await
}

async fn render(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    refusal: Option<(Refused, String)>,
    form: ScheduleForm,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let context = state
        .with_db(move |conn, _| {
            let now = Utc::now();
            let filter = Filter {
                statuses: vec![Status::Draft, Status::Published, Status::Cancelled],
                starts_from: Some(now),
                limit: Some(200),
                ..Default::default()
            };
            let rows = performances::list(conn, &filter)?;
            let upcoming = performances::details(conn, rows, now)?;
            let halls = venues::list(conn)?;
            let zones = price_zones(conn, &halls, lang)?;
            let performances: Vec<_> = upcoming
                .into_iter()
                .map(|p| {
                    let status = p.row.status;
                    context! {
                        id => p.row.id,
                        when => date_time(lang, p.zone, p.row.slot().starts_at),
                        title => p.production_title,
                        status => status.as_str(),
                        state => t(lang, &format!("page-state-{}", status.as_str()), &[]),
                        sold => p.seats_total - p.seats_available,
                        total => p.seats_total,
                    }
                })
                .collect();
            let productions: Vec<_> = productions::list(conn)?
                .into_iter()
                .map(|p| context! { id => p.id, title => p.title })
                .collect();
            let venues: Vec<_> = halls
                .into_iter()
                .map(|v| context! { id => v.id, name => v.name, timezone => v.timezone })
                .collect();
            let weekdays: Vec<_> = WEEKDAY_NAMES[..7]
                .iter()
                .enumerate()
                .map(|(i, day)| context! { value => *day, name => t(lang, &format!("weekday-{}", i + 1), &[]) })
                .collect();
            let failed_mail = crate::app::mail_log::recently_failed(conn, now)?;
            Ok(context! {
                failed_mail => failed_mail,
                performances => performances, productions => productions, venues => venues,
                zones => zones, weekdays => weekdays,
                concession_types => TicketType::CONCESSIONS.iter().map(|kind| kind.as_str()).collect::<Vec<_>>(),
            })
        })
        .await?;
    let (refused, message) = refusal.unzip();
    let context = context! {
        backup_failed => super::backup_warning(state, lang),
        refused => refused.map(Refused::as_str), message => message,
        typed => minijinja::Value::from(minijinja::value::Serde(&form)),
        blank => minijinja::Value::from(minijinja::value::Serde(&ScheduleForm::default())),
        ..context
    };
    show(req, language, status, "director.html", context)
}

async fn create(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let by = principal.user_id;
    let form = ScheduleForm::from_posted(&posted);
    let scheduled = match form.one() {
        Ok(input) => {
            state
                .write(move |conn, ctx| create::one(conn, ctx, by, input, Utc::now()))
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match scheduled {
        Ok(p) => {
            let lang = language.0;
            let state_name = t(lang, &format!("page-state-{}", p.row.status.as_str()), &[]);
            let when = date_time(lang, p.zone, p.row.slot().starts_at);
            let said = t(
                lang,
                "page-done-scheduled",
                &[
                    ("title", p.production_title),
                    ("when", when),
                    ("state", state_name),
                ],
            );
            Ok(see_other_saying(&req, "/director", &said))
        }
        Err(error) => refuse(&req, language, &state, Refused::One, form, error).await,
    }
}

async fn create_run(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let by = principal.user_id;
    let form = ScheduleForm::from_posted(&posted);
    let scheduled = match form.run() {
        Ok(input) => {
            state
                .write(move |conn, ctx| create::run(conn, ctx, by, input, Utc::now()))
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match scheduled {
        Ok(run) => {
            let lang = language.0;
            let (Some(first), Some(last)) = (run.first(), run.last()) else {
                return Ok(see_other("/director"));
            };
            let on = |p: &crate::db::performances::PerformanceDetails| {
                date_time(lang, p.zone, p.row.slot().starts_at)
            };
            let said = t(
                lang,
                "page-done-run",
                &[
                    ("count", run.len().to_string()),
                    ("title", first.production_title.clone()),
                    ("first", on(first)),
                    ("last", on(last)),
                ],
            );
            Ok(see_other_saying(&req, "/director", &said))
        }
        Err(error) => refuse(&req, language, &state, Refused::Run, form, error).await,
    }
}

/// The schedule again with the refusal above the form and what was typed still in it.
async fn refuse(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    which: Refused,
    form: ScheduleForm,
    error: crate::app::Error,
) -> Result<HttpResponse, ApiError> {
    let (status, text) = refusal(language.0, error)?;
    render(req, language, state, Some((which, text)), form, status).await
}

async fn act(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let by = principal.user_id;
    let (id, action) = path.into_inner();
    let mut changes = PerformanceChanges::default();
    let (back, done) = match action.as_str() {
        "publish" => {
            changes.status = Some(Status::Published);
            ("/director".to_owned(), "page-done-published")
        }
        "cancel" => {
            changes.status = Some(Status::Cancelled);
            ("/director".to_owned(), "page-done-cancelled")
        }
        "reschedule" => {
            match WallClock::parse("starts_at", &posted.text("starts_at")) {
                Ok(at) => changes.starts_at = Some(at),
                Err(invalid) => {
                    let (status, text) = refusal(language.0, invalid.into())?;
                    return message(&req, language, status, text);
                }
            }
            (
                format!("/director/performances/{id}"),
                "page-done-rescheduled",
            )
        }
        _ => return not_found(&req, language),
    };
    let changed = state
        .write(move |conn, ctx| change(conn, ctx, by, id, changes, Utc::now()))
        .await;
    match changed {
        Ok(p) => {
            let lang = language.0;
            let when = date_time(lang, p.zone, p.row.slot().starts_at);
            let said = t(lang, done, &[("title", p.production_title), ("when", when)]);
            Ok(see_other_saying(&req, &back, &said))
        }
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            message(&req, language, status, text)
        }
    }
}
