//! The director's schedule: the upcoming performances with what has sold, publish and cancel
//! buttons, and forms to schedule one performance or a run (weekdays × dates). Clashes are
//! refused with the performance already in the hall.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::{director, director_form, refusal, show};
use crate::db::performances::{self, Filter};
use crate::db::{productions, venues};
use crate::domain::performance::Status;
use crate::error::ApiError;
use crate::i18n::{date_time, t};
use crate::routes::scheduling::{self, NewPerformance, NewRun, PerformanceChanges};
use crate::startup::AppState;
use crate::web::booking::message;
use crate::web::form::PostedForm;
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director", web::get().to(schedule))
        .route("/director/performances", web::post().to(create))
        .route("/director/runs", web::post().to(create_run))
        .route("/director/performances/{id}/{action}", web::post().to(act));
}

/// The weekdays of a run, as the API names them, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What the director typed, shown again when a form is refused.
#[derive(Default, serde::Serialize)]
struct ScheduleForm {
    production_id: i32,
    venue_id: i32,
    starts_at: String,
    time: String,
    from: String,
    to: String,
    weekdays: Vec<String>,
    prices: BTreeMap<String, String>,
    publish: bool,
}

impl ScheduleForm {
    fn from_posted(posted: &PostedForm) -> ScheduleForm {
        ScheduleForm {
            production_id: posted.text("production_id").parse().unwrap_or_default(),
            venue_id: posted.text("venue_id").parse().unwrap_or_default(),
            starts_at: posted.text("starts_at"),
            time: posted.text("time"),
            from: posted.text("from"),
            to: posted.text("to"),
            weekdays: posted.all("weekday").map(str::to_owned).collect(),
            prices: posted
                .prefixed("price.")
                .map(|(zone, price)| (zone.to_owned(), price.to_owned()))
                .collect(),
            publish: posted.text("publish") == "1",
        }
    }

    /// The prices as numbers; one that is not a number becomes -1 and is refused by the
    /// price list's own check, naming its zone.
    fn price_list(&self) -> BTreeMap<String, i64> {
        self.prices
            .iter()
            .map(|(zone, price)| (zone.clone(), price.trim().parse().unwrap_or(-1)))
            .collect()
    }

    fn status(&self) -> Status {
        if self.publish {
            Status::Published
        } else {
            Status::Draft
        }
    }
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
        .with_db(move |conn| {
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
            let mut zones = Vec::new();
            for hall in &halls {
                for zone in venues::zones(conn, hall.id)? {
                    if !zones.contains(&zone.as_str().to_owned()) {
                        zones.push(zone.as_str().to_owned());
                    }
                }
            }
            let performances: Vec<_> = upcoming
                .into_iter()
                .map(|p| {
                    let status = p.row.status();
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
            let weekdays: Vec<_> = WEEKDAYS
                .iter()
                .enumerate()
                .map(|(i, day)| context! { value => *day, name => t(lang, &format!("weekday-{}", i + 1), &[]) })
                .collect();
            Ok(context! {
                performances => performances, productions => productions, venues => venues,
                zones => zones, weekdays => weekdays,
            })
        })
        .await?;
    let (refused, message) = refusal.unzip();
    let context = context! {
        refused => refused.map(Refused::as_str), message => message,
        form => minijinja::Value::from(minijinja::value::Serde(&form)), ..context
    };
    show(req, language, status, "director.html", context)
}

async fn create(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let posted = match director_form(&req, language, &state, &body).await? {
        Ok(posted) => posted,
        Err(response) => return Ok(response),
    };
    let form = ScheduleForm::from_posted(&posted);
    let input = NewPerformance {
        production_id: form.production_id,
        venue_id: form.venue_id,
        starts_at: form.starts_at.clone(),
        prices: form.price_list(),
        status: Some(form.status()),
        sales_open_at: None,
        sales_close_at: None,
    };
    match scheduling::create(&state, input).await {
        Ok(_) => Ok(see_other("/director")),
        Err(error) => refuse(&req, language, &state, Refused::One, form, error).await,
    }
}

async fn create_run(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let posted = match director_form(&req, language, &state, &body).await? {
        Ok(posted) => posted,
        Err(response) => return Ok(response),
    };
    let form = ScheduleForm::from_posted(&posted);
    let input = NewRun {
        production_id: form.production_id,
        venue_id: form.venue_id,
        time: form.time.clone(),
        weekdays: form.weekdays.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        prices: form.price_list(),
        status: Some(form.status()),
    };
    match scheduling::run(&state, input).await {
        Ok(_) => Ok(see_other("/director")),
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
    error: ApiError,
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
    let posted = match director_form(&req, language, &state, &body).await? {
        Ok(posted) => posted,
        Err(response) => return Ok(response),
    };
    let (id, action) = path.into_inner();
    let mut changes = PerformanceChanges {
        starts_at: None,
        prices: None,
        status: None,
        sales_open_at: None,
        sales_close_at: None,
    };
    let back = match action.as_str() {
        "publish" => {
            changes.status = Some(Status::Published);
            "/director".to_owned()
        }
        "cancel" => {
            changes.status = Some(Status::Cancelled);
            "/director".to_owned()
        }
        "reschedule" => {
            changes.starts_at = Some(posted.text("starts_at"));
            format!("/director/performances/{id}")
        }
        _ => {
            return message(
                &req,
                language,
                StatusCode::NOT_FOUND,
                t(language.0, "page-not-found", &[]),
            );
        }
    };
    match scheduling::change(&state, id, changes).await {
        Ok(_) => Ok(see_other(&back)),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            message(&req, language, status, text)
        }
    }
}
