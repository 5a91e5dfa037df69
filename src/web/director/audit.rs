//! `GET /director/audit`: the audit log for a range of local dates, or for one booking.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;
use serde::Deserialize;

use super::{director, show};
use crate::app::audit::{self, AuditQuery};
use crate::app::venues::house_zone;
use crate::domain::time::parse_date;
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::PageLanguage;
use crate::web::render::refused;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/audit", web::get().to(audit_page));
}

#[derive(Deserialize)]
struct Asked {
    from: Option<String>,
    to: Option<String>,
    booking: Option<String>,
}

async fn audit_page(
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
    let date = |field: &str, raw: &Option<String>| {
        raw.as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| parse_date(field, r))
            .transpose()
    };
    let query = match (date("from", &asked.from), date("to", &asked.to)) {
        (Ok(from), Ok(to)) => AuditQuery {
            from,
            to,
            booking: asked.booking.clone(),
        },
        (Err(invalid), _) | (_, Err(invalid)) => return refused(&req, language, invalid.into()),
    };
    let found = state
        .with_db(move |conn, _| {
            let zone = house_zone(conn)?;
            Ok((zone, audit::entries(conn, zone, &query, Utc::now())?))
        })
        .await;
    let (zone, entries) = match found {
        Ok(found) => found,
        Err(error) => return refused(&req, language, error),
    };
    let entries: Vec<_> = entries
        .iter()
        .rev()
        .map(|entry| {
            let at = chrono::DateTime::parse_from_rfc3339(&entry.at)
                .map(|at| zone.local(at.to_utc()).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            let details = entry
                .details
                .as_object()
                .map(|fields| {
                    fields
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| match v {
                            serde_json::Value::String(s) => format!("{k}: {s}"),
                            other => format!("{k}: {other}"),
                        })
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default();
            context! {
                at => at,
                by => entry.by.clone().unwrap_or_else(|| t(lang, "page-audit-by-kassa", &[])),
                action => t(lang, &format!("page-action-{}", entry.action.as_str()), &[]),
                reference => &entry.reference,
                details => details,
            }
        })
        .collect();
    let context = context! {
        entries => entries,
        from => asked.from.unwrap_or_default(),
        to => asked.to.unwrap_or_default(),
        booking => asked.booking.unwrap_or_default(),
    };
    show(
        &req,
        language,
        StatusCode::OK,
        "director_audit.html",
        context,
    )
}
