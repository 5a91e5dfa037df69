//! The director's pages: the schedule (a list and a month calendar, one performance or a run),
//! each performance's sales and house seats, productions, and halls with their seat plans.
//! Every page and form here checks that the director is signed in; every form checks its
//! CSRF token.

mod calendar;
mod performance;
mod productions;
mod schedule;
mod venues;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::PageLanguage;
use super::booking::message;
use super::form::PostedForm;
use super::render::page_for as show;
use super::staff::signed_in;
use crate::db::sessions::Principal;
use crate::domain::Role;
use crate::domain::booking::Language;
use crate::error::ApiError;
use crate::i18n::{date_time, t};
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // A performance's own routes first: the schedule's `/director/performances/{id}/{action}`
    // would match them too.
    cfg.configure(performance::routes)
        .configure(schedule::routes)
        .configure(calendar::routes)
        .configure(productions::routes)
        .configure(venues::routes);
}

/// The director, or the response to send instead: sign in first, or 403 for staff.
async fn director(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
) -> Result<Result<Principal, HttpResponse>, ApiError> {
    match signed_in(req, state).await? {
        Some(principal) if principal.role == Role::Director => Ok(Ok(principal)),
        Some(_) => Ok(Err(message(
            req,
            language,
            StatusCode::FORBIDDEN,
            t(language.0, "page-director-only", &[]),
        )?)),
        None => Ok(Err(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/signin?back={}", req.path())))
            .finish())),
    }
}

/// A form the director posted, with the director signed in and the form's CSRF token
/// matching; or the response to send instead.
async fn director_form(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    body: &[u8],
) -> Result<Result<PostedForm, HttpResponse>, ApiError> {
    if let Err(response) = director(req, language, state).await? {
        return Ok(Err(response));
    }
    let posted = PostedForm::parse(body);
    match posted.refuse_forged(req, language) {
        Some(refused) => refused.map(Err),
        None => Ok(Ok(posted)),
    }
}

/// A refusal of the director's input to show with the form: its status and what to say in
/// the director's language. A server error is not the director's to fix: it stays an error.
fn refusal(lang: Language, error: ApiError) -> Result<(StatusCode, String), ApiError> {
    if !error.status_code_is_client_error() {
        return Err(error);
    }
    let status = actix_web::ResponseError::status_code(&error);
    Ok((status, explain(lang, &error)))
}

/// What is wrong, in the director's language: the clash with what is already on the hall's
/// calendar, a local time the clocks skip or repeat, or the field to check.
fn explain(lang: Language, error: &ApiError) -> String {
    let details = error.details().cloned().unwrap_or_default();
    match error.code() {
        "schedule_clash" => clash_text(lang, &details),
        "nonexistent_local_time" => t(lang, "page-error-nonexistent-time", &[]),
        "ambiguous_local_time" => t(lang, "page-error-ambiguous-time", &[]),
        _ => {
            let field = details
                .get("field")
                .and_then(|f| f.as_str())
                .unwrap_or_default();
            t(
                lang,
                "page-error-field",
                &[("field", field_label(lang, field))],
            )
        }
    }
}

/// A clash, naming the performance already there; for a run, every date that clashes.
fn clash_text(lang: Language, details: &serde_json::Value) -> String {
    let clashing_title_and_time = |clash: &serde_json::Value| {
        let zone =
            crate::domain::VenueZone::from_stored(clash["timezone"].as_str().unwrap_or("UTC"));
        let when = clash["starts_at"]
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|at| date_time(lang, zone, at.to_utc()))
            .unwrap_or_default();
        (
            clash["production"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            when,
        )
    };
    if let Some(existing) = details.get("clashing_performance") {
        let (title, when) = clashing_title_and_time(existing);
        return t(lang, "page-clash", &[("title", title), ("when", when)]);
    }
    // A run's refusal lists each date it wanted, and what is there if that is not the run
    // itself.
    let clashes = details["clashes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let dates = clashes
        .iter()
        .map(|clash| {
            let wanted = clash["starts_at"].as_str().unwrap_or_default();
            let wanted = wanted.get(..16).unwrap_or(wanted).replace('T', " ");
            match clash.get("clashing_performance").filter(|p| !p.is_null()) {
                Some(existing) => {
                    let (title, when) = clashing_title_and_time(existing);
                    format!("{wanted} ({title}, {when})")
                }
                None => wanted,
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    t(
        lang,
        "page-run-clash",
        &[("count", clashes.len().to_string()), ("dates", dates)],
    )
}

/// The label of the form field an API field name stands for.
fn field_label(lang: Language, field: &str) -> String {
    if let Some(index) = field
        .strip_prefix("seats[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
    {
        return t(
            lang,
            "page-error-plan-seat",
            &[("number", (index + 1).to_string())],
        );
    }
    if let Some(zone) = field.strip_prefix("prices.") {
        return t(lang, "page-price-zone", &[("zone", zone.to_owned())]);
    }
    let name = field.split(['.', '[', ' ']).next().unwrap_or(field);
    let key = match name {
        "starts_at" => "page-starts-at",
        "production_id" => "page-production",
        "venue_id" => "page-venue",
        "prices" => "page-prices",
        "status" => "page-publish-now",
        "title" => "page-production-title",
        "description" => "page-description",
        "duration_minutes" => "page-duration",
        "intermission_minutes" => "page-intermission",
        "age_rating" => "page-age-rating",
        "language" => "page-play-language",
        "name" => "page-venue-name",
        "address" => "page-address",
        "timezone" => "page-timezone",
        "seats" => "page-seat-plan",
        "time" => "page-run-time",
        "from" => "page-run-from",
        "to" => "page-run-to",
        "weekdays" => "page-weekdays",
        "seat_ids" => "page-house-seats",
        "reason" => "page-reason",
        _ => return field.to_owned(),
    };
    t(lang, key, &[])
}

fn seat_name(lang: Language, row: i32, number: i32) -> String {
    t(
        lang,
        "mail-seat",
        &[("row", row.to_string()), ("number", number.to_string())],
    )
}

/// A booking's name as the pages show it: a walk-up buyer who gave none is named as such.
fn buyer(lang: Language, name: &str) -> String {
    if name.is_empty() {
        t(lang, "page-walk-up-buyer", &[])
    } else {
        name.to_owned()
    }
}
