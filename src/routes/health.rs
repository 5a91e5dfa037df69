//! `GET /health`: 200 once the database answers, 503 while it does not.

use actix_web::{HttpResponse, web};
use serde_json::json;

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
