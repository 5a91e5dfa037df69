//! The audit log (director): `GET /api/v1/audit?from=&to=&booking=`.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use crate::app::audit::{self, AuditEntry, AuditQuery};
use crate::app::venues::house_zone;
use crate::http::auth::Director;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(audit_log));
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// First local date in the venue's zone (`2026-12-01`); by default 30 days before `to`.
    from: Option<NaiveDate>,
    /// Last local date, inclusive; by default today.
    to: Option<NaiveDate>,
    /// A booking reference: only the entries about that booking.
    #[param(max_length = 40)]
    booking: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditLog {
    /// Oldest first, at most 5 000.
    entries: Vec<AuditEntry>,
}

/// Who did what to money, tickets and the calendar, and when: payments, refunds,
/// cancellations, admissions unpaid, undone check-ins, schedule and price changes. Entries are
/// written with the change they describe and never changed.
#[utoipa::path(get, path = "/api/v1/audit", tag = "money", security(("bearer" = [])), params(AuditParams),
    responses((status = 200, body = AuditLog), (status = 404, description = "No such booking", body = ErrorBody),
              (status = 422, description = "A date that is not a date", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn audit_log(
    _director: Director,
    state: web::Data<AppState>,
    query: web::Query<AuditParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner();
    let query = AuditQuery {
        from: params.from,
        to: params.to,
        booking: params.booking,
    };
    let entries = state
        .with_db(move |conn, _| {
            let zone = house_zone(conn)?;
            audit::entries(conn, zone, &query, Utc::now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(AuditLog { entries }))
}
