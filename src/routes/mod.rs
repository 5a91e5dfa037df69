//! The JSON API: each handler parses its input, calls a use case through
//! [`AppState`](crate::http::AppState), and answers with a view. Public, staff and director
//! routes share `/api/v1`; each director handler takes the
//! [`Director`](crate::http::auth::Director) extractor, which answers 401 or 403 before
//! anything else.

mod audit;
mod auth;
mod bookings;
mod door;
mod exchange;
mod health;
mod holds;
mod json;
mod metrics;
pub mod openapi;
mod payments;
mod performances;
mod prices;
mod productions;
mod reports;
mod scheduling;
mod seat_blocks;
mod seat_map;
mod staff;
mod venues;
mod waitlist;
mod walk_up;

use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, web};

use crate::http::ApiError;

pub use json::ApiJson;

/// The largest request body the API reads: a hall of 5 000 seats fits with room to spare.
pub const MAX_BODY_BYTES: usize = 2 << 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // An id in the path that is no number names nothing: the same 404 as an unknown id (or a
    // 405 where the path is another operation's, such as PATCH /performances/run).
    cfg.app_data(web::PathConfig::default().error_handler(|_, req| not_routed(req).into()))
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            let reason = match &error {
                actix_web::error::QueryPayloadError::Deserialize(e) => e.to_string(),
                other => other.to_string(),
            };
            ApiError::new(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("the query string does not fit: {reason}"),
            )
            .with_details(serde_json::json!({ "field": "query" }))
            .into()
        }))
        .service(
            web::resource("/health")
                .get(health::health)
                .default_service(web::to(unknown_route)),
        )
        .service(
            web::resource("/health/ready")
                .get(health::ready)
                .default_service(web::to(unknown_route)),
        )
        .service(
            web::resource("/metrics")
                .get(metrics::metrics)
                .default_service(web::to(unknown_route)),
        )
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
                .configure(exchange::routes)
                .configure(door::routes)
                .configure(payments::routes)
                .configure(audit::routes)
                .configure(reports::routes)
                .configure(walk_up::routes)
                .configure(waitlist::routes)
                .configure(staff::routes)
                .default_service(web::to(unknown_route)),
        );
}

async fn unknown_route(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(not_routed(&req))
}

/// A request no operation takes: 405 with the methods its path has (as the API document lists
/// them), or 404 for a path the API does not have.
fn not_routed(req: &HttpRequest) -> ApiError {
    let allowed = openapi::methods_of(req.path());
    if allowed.is_empty() || allowed.contains(&req.method().as_str()) {
        return ApiError::not_found("resource");
    }
    ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} is not one of this path's methods: {}",
            req.method(),
            allowed.join(", ")
        ),
    )
    .allow(allowed.join(", "))
}
