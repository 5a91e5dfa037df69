//! The JSON API: each handler parses its input, calls a use case through
//! [`AppState`](crate::http::AppState), and answers with a view. Public, staff and director
//! routes share `/api/v1`; each director handler takes the
//! [`Director`](crate::http::auth::Director) extractor, which answers 401 or 403 before
//! anything else.

mod auth;
mod bookings;
mod door;
mod health;
mod holds;
mod json;
pub mod openapi;
mod performances;
mod productions;
mod scheduling;
mod seat_blocks;
mod seat_map;
mod venues;
mod walk_up;

use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, web};

use crate::http::ApiError;

pub use json::ApiJson;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|error, _| {
        ApiError::not_found(&format!("no such resource ({error})")).into()
    }))
    .app_data(web::QueryConfig::default().error_handler(|error, _| {
        ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            format!("query string: {error}"),
        )
        .into()
    }))
    .route("/health", web::get().to(health::health))
    .service(openapi::docs())
    .service(
        web::scope("/api/v1")
            .wrap(from_fn(crate::http::auth::authenticate))
            .configure(auth::routes)
            .configure(venues::routes)
            .configure(productions::routes)
            .configure(performances::routes)
            .configure(seat_blocks::routes)
            .configure(holds::routes)
            .configure(bookings::routes)
            .configure(door::routes)
            .configure(walk_up::routes)
            .default_service(web::to(unknown_route)),
    );
}

async fn unknown_route(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::not_found(&format!(
        "{} {}",
        req.method(),
        req.path()
    )))
}
