//! `/director/mail`: every message of the outbox, newest first, with its kind, recipient,
//! booking, status, attempts, next try and last error; a filter by status; and **Send again**
//! for a message that was given up.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;
use serde::Deserialize;

use super::{director, director_form, show};
use crate::app::mail_log;
use crate::app::venues::house_zone;
use crate::db::outbox::OutboxStatus;
use crate::domain::time::from_stored;
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::render::refused;
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/mail", web::get().to(mail_page))
        .route("/director/mail/{id}/again", web::post().to(send_again));
}

#[derive(Deserialize)]
struct Asked {
    status: Option<String>,
    again: Option<i32>,
}

async fn mail_page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    asked: web::Query<Asked>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let lang = language.0;
    let asked = asked.into_inner();
    let status: Option<OutboxStatus> = asked.status.as_deref().and_then(|s| s.parse().ok());
    let (zone, bag) = state
        .with_db(move |conn, _| Ok((house_zone(conn)?, mail_log::list(conn, status)?)))
        .await?;
    let local = |at| {
        zone.local(from_stored(at))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let messages: Vec<_> = bag
        .messages
        .iter()
        .map(|m| {
            let next = (m.status == OutboxStatus::Pending).then(|| local(m.next_attempt_at));
            context! {
                id => m.id,
                created => local(m.created_at),
                kind => t(lang, &format!("page-mail-kind-{}", m.kind.as_str()), &[]),
                recipient => &m.recipient,
                reference => &m.reference,
                performance_id => m.performance_id,
                status => m.status.as_str(),
                state => t(lang, &format!("page-mail-status-{}", m.status.as_str()), &[]),
                attempts => m.attempts,
                next => next,
                sent => m.sent_at.map(local),
                error => &m.last_error,
                failed => m.status == OutboxStatus::Failed,
            }
        })
        .collect();
    let filters: Vec<_> = OutboxStatus::ALL
        .iter()
        .map(|s| {
            let count = match s {
                OutboxStatus::Pending => bag.pending,
                OutboxStatus::Sent => bag.sent,
                OutboxStatus::Failed => bag.failed,
            };
            context! {
                value => s.as_str(), count => count, current => status == Some(*s),
                label => t(lang, &format!("page-mail-status-{}", s.as_str()), &[]),
            }
        })
        .collect();
    let context = context! {
        messages => messages, filters => filters, all => status.is_none(),
        total => bag.pending + bag.sent + bag.failed, limit => mail_log::PAGE,
        again => asked.again, backup_failed => super::backup_warning(&state, lang),
    };
    show(
        &req,
        language,
        StatusCode::OK,
        "director_mail.html",
        context,
    )
}

/// `POST /director/mail/{id}/again`: one more attempt for a given-up message, on the worker's
/// next round; back to the failed list.
async fn send_again(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, _) = match director_form(&req, language, &state, &body).await? {
        Ok(ok) => ok,
        Err(response) => return Ok(response),
    };
    let (by, id) = (principal.user_id, id.into_inner());
    let outcome = state
        .write(move |conn, _| mail_log::send_again(conn, by, id, Utc::now()))
        .await;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/director/mail?again={id}"))),
        Err(error) => refused(&req, language, error),
    }
}
