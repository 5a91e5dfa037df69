//! The waiting list on the pages: the form under a sold-out performance's map, and the page the
//! link in its mail opens to leave the list. Both call the same use cases as the API
//! ([`waitlist::join`], [`waitlist::leave`]).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::form::PostedForm;
use super::refusal::refusal;
use super::render::{page_for, refused};
use super::{PageLanguage, performance};
use crate::app::waitlist::{self, Joining, Placed};
use crate::db::performances;
use crate::domain::booking::Language;
use crate::domain::time::from_stored;
use crate::domain::waitlist::EntryStatus;
use crate::domain::{Invalid, VenueZone};
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/waitlist", web::post().to(join))
        .route("/waitlist/{id}", web::get().to(entry))
        .route("/waitlist/{id}", web::post().to(leave));
}

/// `POST /performances/{id}/waitlist`: puts the visitor in line and says where, on the
/// performance's page; a refusal is said there too.
async fn join(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let lang = language.0;
    let back = |status, text| {
        performance::render(&req, language, &state, performance_id, Some(text), status)
    };
    let seats = form.text("seats").trim().parse().unwrap_or(0);
    let joining = match Joining::parse(&form.text("name"), &form.text("email"), lang, seats) {
        Ok(joining) => joining,
        Err(invalid) => return back(StatusCode::UNPROCESSABLE_ENTITY, wrong(lang, &invalid)).await,
    };
    let email = joining.email.as_str().to_owned();
    let placed = state
        .write(move |conn, ctx| {
            let placed = waitlist::join(conn, ctx, performance_id, &joining, Utc::now())?;
            let zone = performances::staged(conn, performance_id)?
                .map(|staged| staged.venue.zone())
                .ok_or(crate::app::Error::NotFound("performance"))?;
            Ok((placed, zone))
        })
        .await;
    match placed {
        Ok((placed, zone)) => {
            let text = match placed.position {
                Some(position) => t(
                    lang,
                    "page-waitlist-joined",
                    &[("position", position.to_string()), ("email", email)],
                ),
                None => status_line(lang, zone, &placed),
            };
            back(StatusCode::OK, text).await
        }
        Err(error) => {
            let (status, text) = refusal(lang, error)?;
            back(status, text).await
        }
    }
}

/// The form's own fields, named as the form names them.
fn wrong(lang: Language, invalid: &Invalid) -> String {
    let label = match invalid.field.as_str() {
        "name" => "page-name",
        "email" => "page-email",
        _ => "page-waitlist-seats",
    };
    t(lang, "page-error-field", &[("field", t(lang, label, &[]))])
}

/// Where an entry is, in a sentence: its place in line, the offer it holds, or its end.
fn status_line(lang: Language, zone: VenueZone, placed: &Placed) -> String {
    match placed.entry.status {
        EntryStatus::Waiting => t(
            lang,
            "page-waitlist-joined",
            &[
                ("position", placed.position.unwrap_or(1).to_string()),
                ("email", placed.entry.email.clone()),
            ],
        ),
        EntryStatus::Offered => {
            let until = placed.entry.offer_expires_at.map(from_stored);
            let until = until
                .map(|at| date_time(lang, zone, at))
                .unwrap_or_default();
            t(lang, "page-waitlist-offered", &[("until", until)])
        }
        EntryStatus::Left => t(lang, "page-waitlist-left", &[]),
        EntryStatus::Booked | EntryStatus::Lapsed => t(lang, "page-waitlist-ended", &[]),
    }
}

#[derive(serde::Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// `GET /waitlist/{id}?token=…`: the entry, and the button to leave while it is in line.
async fn entry(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    let (entry_id, token) = (
        id.into_inner(),
        query.into_inner().token.unwrap_or_default(),
    );
    show(&req, language, &state, entry_id, token).await
}

/// `POST /waitlist/{id}`: leaves the list and says so.
async fn leave(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let (entry_id, token) = (id.into_inner(), form.text("token"));
    let leaving = token.clone();
    let left = state
        .write(move |conn, ctx| waitlist::leave(conn, ctx, entry_id, &leaving, Utc::now()))
        .await;
    match left {
        Ok(_) => show(&req, language, &state, entry_id, token).await,
        Err(error) => refused(&req, language, error),
    }
}

async fn show(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    entry_id: i32,
    token: String,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let opening = token.clone();
    let found = state
        .with_db(move |conn, ctx| {
            let placed = waitlist::open(conn, ctx, entry_id, &opening)?;
            let staged = performances::staged(conn, placed.entry.performance_id)?
                .ok_or(crate::app::Error::NotFound("performance"))?;
            Ok((placed, staged))
        })
        .await;
    let (placed, staged) = match found {
        Ok(found) => found,
        Err(error) => return refused(req, language, error),
    };
    let zone = staged.venue.zone();
    let status = status_line(lang, zone, &placed);
    let context = context! {
        id => entry_id,
        token => token,
        performance_id => staged.performance.id,
        lead => t(lang, "page-waitlist-leave-lead", &[
            ("title", staged.title.clone()),
            ("date", date_time(lang, zone, staged.performance.slot().starts_at)),
        ]),
        status => status,
        open => placed.entry.status.is_open(),
    };
    page_for(req, language, StatusCode::OK, "waitlist.html", context)
}
