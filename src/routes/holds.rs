//! Holds: `POST /api/v1/performances/{id}/holds` keeps seats for one buyer for a few minutes;
//! `DELETE /api/v1/holds/{token}` lets them go. The database refuses a second claim on a seat,
//! so two buyers racing for one seat get exactly one hold.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::auth::token;
use crate::db::claims::{self, Claimant};
use crate::db::performances::{self, PerformanceRow};
use crate::db::{self, holds, venues};
use crate::domain::Invalid;
use crate::domain::performance::{PriceList, Status};
use crate::domain::seat_plan::Zone;
use crate::domain::time::{from_stored, rfc3339_utc};
use crate::error::ApiError;
use crate::startup::AppState;

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
    seat_ids: Vec<i32>,
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
              (status = 409, description = "`seats_unavailable`, `not_on_sale`, `sales_not_open` or `sales_closed`", body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, description = "Busy: retry after `Retry-After` seconds", body = ErrorBody)))]
pub async fn create_hold(
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<NewHold>,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let mut seat_ids = body.into_inner().seat_ids;
    seat_ids.sort_unstable();
    seat_ids.dedup();
    let max = state.booking.max_seats_per_hold as usize;
    if seat_ids.is_empty() || seat_ids.len() > max {
        return Err(Invalid::new("seat_ids", format!("pick from 1 to {max} seats")).into());
    }
    let hold_token = token::generate();
    let token_hash = token::hash(&hold_token);
    let hold_time = Duration::minutes(i64::from(state.booking.hold_minutes));
    let requested = seat_ids.clone();
    let result = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let performance = performances::find(conn, performance_id)?
                    .filter(|p| p.status() != Status::Draft)
                    .ok_or_else(|| ApiError::not_found("performance"))?;
                ensure_on_sale(&performance, now)?;
                let foreign = venues::foreign_seats(conn, performance.venue_id, &seat_ids)?;
                if !foreign.is_empty() {
                    return Err(ApiError::from(
                        Invalid::new("seat_ids", "some seats are not in this performance's hall")
                            .with_details(json!({ "seat_ids": foreign })),
                    ));
                }
                claims::clear_expired(conn, performance_id, &seat_ids, now)?;
                let taken = claims::taken(conn, performance_id, &seat_ids, now)?;
                if !taken.is_empty() {
                    return Err(seats_unavailable(taken));
                }
                let expires_at = now + hold_time;
                let hold_id = holds::insert(
                    conn,
                    performance_id,
                    &token_hash,
                    seat_ids.len() as i32,
                    expires_at,
                    now,
                )?;
                // The guarantee: a seat claimed by a concurrent hold since the check above makes
                // this insert fail on the primary key.
                claims::claim(
                    conn,
                    performance_id,
                    &seat_ids,
                    Claimant::Hold {
                        id: hold_id,
                        expires_at,
                    },
                )?;
                let prices = PriceList::from_stored(performances::prices(conn, performance_id)?);
                let seats: Vec<HeldSeat> = venues::seats(conn, performance.venue_id)?
                    .into_iter()
                    .filter(|seat| seat_ids.contains(&seat.id))
                    .map(|seat| HeldSeat {
                        id: seat.id,
                        row: seat.row_number,
                        number: seat.seat_number,
                        price: prices
                            .get(&Zone::from_stored(seat.zone.clone()))
                            .map_or(0, |p| p.amount()),
                        zone: seat.zone,
                    })
                    .collect();
                Ok((expires_at, seats))
            })
        })
        .await;
    let (expires_at, seats) = match result {
        Ok(held) => held,
        Err(error) if error.is_duplicate() => {
            return Err(unavailable_now(&state, performance_id, requested).await);
        }
        Err(error) => return Err(error),
    };
    let total = seats.iter().map(|s| s.price).sum();
    Ok(HttpResponse::Created().json(HoldCreated {
        hold_token,
        expires_at: rfc3339_utc(expires_at),
        seats,
        total,
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
    let token_hash = token::hash(&hold_token.into_inner());
    let released = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let Some(hold) = holds::find_by_token(conn, &token_hash)? else {
                    return Ok(0);
                };
                Ok::<_, ApiError>(claims::release_hold(conn, hold.id)?)
            })
        })
        .await?;
    if released > 0 {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("hold"))
    }
}

/// Refuses sales outside the performance's sales window or when it is not published.
pub fn ensure_on_sale(performance: &PerformanceRow, now: DateTime<Utc>) -> Result<(), ApiError> {
    if performance.status() != Status::Published {
        return Err(ApiError::conflict(
            "not_on_sale",
            "this performance is not on sale",
        ));
    }
    if performance
        .sales_open_at
        .map(from_stored)
        .is_some_and(|open| now < open)
    {
        return Err(ApiError::conflict(
            "sales_not_open",
            "sales for this performance have not opened yet",
        ));
    }
    let close = performance
        .sales_close_at
        .map(from_stored)
        .unwrap_or(performance.slot().starts_at);
    if now >= close {
        return Err(ApiError::conflict(
            "sales_closed",
            "sales for this performance have closed",
        ));
    }
    Ok(())
}

fn seats_unavailable(seat_ids: Vec<i32>) -> ApiError {
    ApiError::conflict(
        "seats_unavailable",
        "some of these seats are no longer available; nothing was held",
    )
    .with_details(json!({ "seat_ids": seat_ids }))
}

/// After losing a race on the primary key: which of the requested seats are taken now.
async fn unavailable_now(state: &AppState, performance_id: i32, requested: Vec<i32>) -> ApiError {
    let fallback = requested.clone();
    let taken = state
        .with_db(move |conn| Ok(claims::taken(conn, performance_id, &requested, Utc::now())?))
        .await
        .unwrap_or(fallback);
    seats_unavailable(taken)
}
