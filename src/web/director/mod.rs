//! The director's pages: the schedule (a list and a month calendar, one performance or a run),
//! each performance's sales and house seats, productions, and halls with their seat plans.
//! Every page and form here checks that the director is signed in; every form checks its
//! CSRF token.

mod audit;
mod calendar;
mod credit_lines;
mod hall_page;
mod mail;
mod payments;
mod performance;
mod poster_upload;
mod production_form;
mod productions;
mod reports;
mod schedule;
mod schedule_form;
mod staff;
mod venues;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::PageLanguage;
use super::booking::seat_name;
use super::form::PostedForm;
use super::refusal::refusal;
use super::render::{message, page_for as show};
use crate::db::sessions::Principal;
use crate::domain::Role;
use crate::domain::booking::Language;
use crate::http::auth::signed_in;
use crate::http::{ApiError, AppState};
use crate::i18n::t;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // A performance's own routes first: the schedule's `/director/performances/{id}/{action}`
    // would match them too.
    cfg.configure(reports::routes)
        .configure(performance::routes)
        .configure(payments::routes)
        .configure(audit::routes)
        .configure(schedule::routes)
        .configure(calendar::routes)
        .configure(poster_upload::routes)
        .configure(productions::routes)
        .configure(venues::routes)
        .configure(hall_page::routes)
        .configure(staff::routes)
        .configure(mail::routes);
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
) -> Result<Result<(Principal, PostedForm), HttpResponse>, ApiError> {
    let principal = match director(req, language, state).await? {
        Ok(principal) => principal,
        Err(response) => return Ok(Err(response)),
    };
    let posted = PostedForm::parse(body);
    match posted.refuse_forged(req, language) {
        Some(refused) => refused.map(Err),
        None => Ok(Ok((principal, posted))),
    }
}

/// A booking's name as the pages show it: a walk-up buyer who gave none is named as such.
fn buyer(lang: Language, name: &str) -> String {
    if name.is_empty() {
        t(lang, "page-walk-up-buyer", &[])
    } else {
        name.to_owned()
    }
}

/// The warning the director's pages show while the scheduled backup fails.
fn backup_warning(state: &AppState, lang: Language) -> Option<String> {
    let outcome = state.backups.as_ref()?.outcome();
    let (at, error) = outcome.failing()?;
    let at = at.format("%Y-%m-%d %H:%M UTC").to_string();
    Some(t(
        lang,
        "page-backup-failed",
        &[("at", at), ("error", error.clone())],
    ))
}
