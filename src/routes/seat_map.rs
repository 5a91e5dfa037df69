//! `GET /api/v1/performances/{id}/seats`: every seat of the hall with its price and whether it
//! can be picked. The most requested call, so it is three small queries.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::openapi::ErrorBody;
use crate::auth::MaybeSignedIn;
use crate::db::claims::{self, Claim};
use crate::db::performances;
use crate::domain::performance::{PriceList, Status};
use crate::domain::seat_plan::Zone;
use crate::domain::time::rfc3339_utc;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeatStatus {
    Available,
    /// Held by another buyer during checkout; free again at `held_until` unless booked.
    Held,
    Booked,
    Blocked,
}

#[derive(Serialize, ToSchema)]
pub struct SeatMapSeat {
    id: i32,
    row: i32,
    number: i32,
    zone: String,
    /// Whole tenge.
    price: i64,
    x: i32,
    y: i32,
    accessible: bool,
    status: SeatStatus,
    /// For a held seat: when the hold ends (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    held_until: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SeatMap {
    performance_id: i32,
    seats: Vec<SeatMapSeat>,
}

/// The seat map of a performance.
#[utoipa::path(get, path = "/api/v1/performances/{id}/seats", tag = "booking",
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, body = SeatMap), (status = 404, body = ErrorBody)))]
pub async fn seat_map(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (performance_id, director) = (id.into_inner(), caller.is_director());
    let plans = state.seat_plans.clone();
    let map = state
        .with_db(move |conn| {
            let now = Utc::now();
            let performance = performances::find(conn, performance_id)?
                .filter(|p| director || p.status() != Status::Draft)
                .ok_or_else(|| ApiError::not_found("performance"))?;
            let prices = PriceList::from_stored(performances::prices(conn, performance_id)?);
            let claims = claims::live(conn, performance_id, now)?;
            let plan = plans.of(conn, performance.venue_id)?;
            let seats = plan
                .iter()
                .map(|seat| {
                    let (status, held_until) = match claims.get(&seat.id) {
                        None => (SeatStatus::Available, None),
                        Some(Claim::Held { until }) => {
                            (SeatStatus::Held, Some(rfc3339_utc(*until)))
                        }
                        Some(Claim::Booked) => (SeatStatus::Booked, None),
                        Some(Claim::Blocked) => (SeatStatus::Blocked, None),
                    };
                    let price = prices
                        .get(&Zone::from_stored(seat.zone.clone()))
                        .map_or(0, |p| p.amount());
                    SeatMapSeat {
                        id: seat.id,
                        row: seat.row_number,
                        number: seat.seat_number,
                        zone: seat.zone.clone(),
                        price,
                        x: seat.x,
                        y: seat.y,
                        accessible: seat.accessible,
                        status,
                        held_until,
                    }
                })
                .collect();
            Ok(SeatMap {
                performance_id,
                seats,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(map))
}
