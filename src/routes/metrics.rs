//! `GET /metrics`: the Prometheus text format, for the addresses in `metrics.allow` or a caller
//! with the bearer token (see [`crate::http::metrics`]).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::openapi::ErrorBody;
use crate::app::vitals;
use crate::http::metrics::Gauges;
use crate::http::{ApiError, AppState};

#[utoipa::path(get, path = "/metrics", tag = "health",
    responses(
        (status = 200, description = "Requests by route and status, latencies, the database pool, the outbox, live holds, bookings, admissions, mail and backups, in the Prometheus text format", content_type = "text/plain", body = String),
        (status = 403, description = "`forbidden`: not from an address in `metrics.allow` (or through a proxy), and no valid bearer token", body = ErrorBody),
        (status = 404, description = "`not_found`: metrics are off (`metrics.enabled = false`)", body = ErrorBody)))]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(metrics) = &state.metrics else {
        return Err(ApiError::not_found("metrics"));
    };
    if !metrics.admits(&req) {
        return Err(ApiError::forbidden(
            "metrics are served to the addresses in metrics.allow, or with the bearer token",
        ));
    }
    // A database that does not answer is itself a metric (kassa_database_up 0), not an error.
    let now = Utc::now();
    let vitals = state
        .with_db(move |conn, _| vitals::read(conn, now))
        .await
        .ok();
    let pool = state.pool.state();
    let backup = state.backups.as_ref().map(|b| b.outcome());
    let gauges = Gauges {
        vitals,
        pool_size: state.pool.max_size(),
        pool_connections: pool.connections,
        pool_idle: pool.idle_connections,
        backup_failing: backup.as_ref().map(|o| o.failing().is_some()),
        backup_succeeded_at: backup.and_then(|o| o.succeeded_at).map(|at| at.timestamp()),
        mail_worker_silent_seconds: state
            .mail_worker
            .as_ref()
            .map(|w| w.heartbeat.silent_for(now)),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(&gauges)))
}
