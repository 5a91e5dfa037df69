//! `GET /health`: 200 once the database answers, 503 while it does not. `GET /health/ready`
//! also checks that the database has every migration this kassa has (none is running on it
//! from another instance) and that the mail worker, where this instance runs one, is not stuck.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::db;
use crate::http::AppState;

#[utoipa::path(get, path = "/health", tag = "health",
    responses((status = 200, description = "The service and its database answer"),
              (status = 503, description = "The database does not answer")))]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.with_db(|conn, _| Ok(db::ping(conn)?)).await {
        Ok(()) => HttpResponse::Ok().json(json!({ "status": "ok" })),
        Err(error) => {
            tracing::warn!(?error, "health check failed");
            HttpResponse::ServiceUnavailable().json(json!({ "status": "unavailable" }))
        }
    }
}

/// Whether this instance should get traffic, and if not, why.
#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    #[schema(example = "ready")]
    status: &'static str,
    /// `ok`, or `unavailable`.
    database: &'static str,
    /// `done`, `pending` (the database lacks some: they are running elsewhere, or it was
    /// restored from an older copy), or `unknown` without a database.
    migrations: &'static str,
    /// `running`, `stuck` (silent past `mail.stuck_after_seconds`), or `off` on an instance
    /// without a worker.
    mail_worker: &'static str,
}

#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses((status = 200, description = "Ready for traffic", body = Readiness),
              (status = 503, description = "Not ready: the body says which part is not", body = Readiness)))]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let checked = state
        .with_db(|conn, _| {
            db::ping(conn)?;
            db::migrations_pending(conn).map_err(crate::app::Error::internal)
        })
        .await;
    let (database, migrations) = match checked {
        Ok(false) => ("ok", "done"),
        Ok(true) => ("ok", "pending"),
        Err(error) => {
            tracing::warn!(?error, "readiness check failed");
            ("unavailable", "unknown")
        }
    };
    let mail_worker = match &state.mail_worker {
        None => "off",
        Some(worker) => {
            let silent = worker.heartbeat.silent_for(Utc::now());
            if silent > worker.stuck_after as i64 {
                tracing::warn!(silent_seconds = silent, "the mail worker is stuck");
                "stuck"
            } else {
                "running"
            }
        }
    };
    let ready = database == "ok" && migrations == "done" && mail_worker != "stuck";
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database,
        migrations,
        mail_worker,
    };
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
