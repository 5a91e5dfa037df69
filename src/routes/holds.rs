//! Holds: `POST /api/v1/performances/{id}/holds` keeps seats for one buyer for a few minutes;
//! `DELETE /api/v1/holds/{token}` lets them go. The database refuses a second claim on a seat,
//! so two buyers racing for one seat get exactly one hold.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::sales::hold;
use crate::domain::time::rfc3339_utc;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/performances/{id}/seats",
        web::get().to(super::seat_map::seat_map),
    )
    .route("/performances/{id}/holds", web::post().to(create_hold))
    .route("/holds/{token}", web::delete().to(release_hold));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    /// Seats of the performance's hall, from its seat map: at most `booking.max_seats_per_hold`
    /// (8 unless configured otherwise).
    #[schema(min_items = 1, max_items = 8)]
    seat_ids: Vec<i32>,
    /// Each wheelchair space picked comes with its companion seat (the seat map's
    /// `companion_of`); the hold then takes that seat too.
    #[serde(default)]
    with_companions: bool,
}

#[derive(Serialize, ToSchema)]
pub struct HeldSeat {
    id: i32,
    row: i32,
    number: i32,
    zone: String,
    price: i64,
}

#[derive(Serialize, ToSchema)]
pub struct HoldCreated {
    /// Book with it before `expires_at`; release it with `DELETE /api/v1/holds/{hold_token}`.
    hold_token: String,
    expires_at: String,
    seats: Vec<HeldSeat>,
    /// Whole tenge.
    total: i64,
}

/// Holds seats for checkout. Any seat not available: 409 `seats_unavailable` with those seat
/// ids, and nothing is held.
#[utoipa::path(post, path = "/api/v1/performances/{id}/holds", tag = "booking",
    params(("id" = i32, Path, description = "Performance id")), request_body = NewHold,
    responses((status = 201, body = HoldCreated), (status = 404, body = ErrorBody),
              (status = 409, description = "`seats_unavailable`, `companion_seat` (a companion seat without its wheelchair space before `booking.companion_release_hours` before the start: `details.seat_ids`, `details.release_hours`), `not_on_sale`, `sales_not_open` or `sales_closed`", body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, description = "Busy: retry after `Retry-After` seconds", body = ErrorBody)))]
pub async fn create_hold(
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<NewHold>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let pick = hold::Pick {
        seat_ids: input.seat_ids,
        with_companions: input.with_companions,
    };
    let performance_id = id.into_inner();
    let held = state
        .write(move |conn, ctx| hold::hold(conn, ctx, performance_id, pick, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(HoldCreated {
        hold_token: held.hold_token,
        expires_at: rfc3339_utc(held.expires_at),
        total: held.total,
        seats: held
            .seats
            .into_iter()
            .map(|s| HeldSeat {
                id: s.id,
                row: s.row,
                number: s.number,
                zone: s.zone,
                price: s.price,
            })
            .collect(),
    }))
}

/// Lets held seats go at once.
#[utoipa::path(delete, path = "/api/v1/holds/{token}", tag = "booking",
    params(("token" = String, Path, description = "The hold token")),
    responses((status = 204, description = "Released"), (status = 404, body = ErrorBody)))]
pub async fn release_hold(
    state: web::Data<AppState>,
    hold_token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let hold_token = hold_token.into_inner();
    if state
        .write(move |conn, ctx| hold::release(conn, ctx, &hold_token, Utc::now()))
        .await?
    {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("hold"))
    }
}
