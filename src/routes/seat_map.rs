//! `GET /api/v1/performances/{id}/seats`: every seat of the hall with its price and whether it
//! can be picked. The most requested call: a map unchanged since it was last made is served
//! from memory after one small read that proves it unchanged.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use crate::app;
use crate::db::claims::{self, Claim};
use crate::db::{performances, zone_names};
use crate::domain::booking::Language;
use crate::domain::performance::Status;
use crate::domain::seat_plan::SeatStatus;
use crate::domain::time::rfc3339_utc;
use crate::http::auth::MaybeSignedIn;
use crate::http::{ApiError, AppState};

#[derive(Serialize, ToSchema)]
pub struct SeatMapSeat {
    id: i32,
    row: i32,
    number: i32,
    /// The zone's key, as prices name it.
    zone: String,
    /// What people reading `lang` call the zone (its key when it has no name).
    #[schema(example = "Партер")]
    zone_name: String,
    /// Whole tenge.
    price: i64,
    x: i32,
    y: i32,
    accessible: bool,
    /// For a companion seat: the id of the wheelchair space it goes with.
    #[serde(skip_serializing_if = "Option::is_none")]
    companion_of: Option<i32>,
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeatMapQuery {
    /// The language of the zones' names: `ru` (the default), `kk` or `en`.
    lang: Option<Language>,
}

/// The seat map of a performance.
#[utoipa::path(get, path = "/api/v1/performances/{id}/seats", tag = "booking",
    params(("id" = i32, Path, description = "Performance id"), SeatMapQuery),
    responses((status = 200, body = SeatMap), (status = 404, body = ErrorBody),
              (status = 422, description = "A language kassa does not speak", body = ErrorBody)))]
pub async fn seat_map(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    query: web::Query<SeatMapQuery>,
) -> Result<HttpResponse, ApiError> {
    let (performance_id, director) = (id.into_inner(), caller.is_director());
    let lang = query.lang.unwrap_or_default();
    let maps = state.seat_maps.clone();
    let body = state
        .with_db(move |conn, ctx| {
            let now = Utc::now();
            let (_, venue_id, version) = performances::seats_version(conn, performance_id)?
                .filter(|(status, _, _)| director || *status != Status::Draft)
                .ok_or(app::Error::NotFound("performance"))?;
            if let Some(body) = maps.get((performance_id, lang), version, now) {
                return Ok(body);
            }
            let prices = performances::prices(conn, performance_id)?;
            let claims = claims::live(conn, performance_id, now)?;
            let plan = ctx.seat_plans.of(conn, venue_id)?;
            let names = zone_names::of_venue(conn, venue_id)?;
            let seats = plan
                .iter()
                .map(|seat| {
                    let claim = claims.get(&seat.id);
                    let held_until = match claim {
                        Some(Claim::Held { until }) => Some(rfc3339_utc(*until)),
                        _ => None,
                    };
                    let status = Claim::status(claim);
                    let price = prices.of_zone(&seat.zone).amount();
                    SeatMapSeat {
                        id: seat.id,
                        row: seat.row_number,
                        number: seat.seat_number,
                        zone: seat.zone.clone(),
                        zone_name: names.read_in(&seat.zone, lang).to_owned(),
                        price,
                        x: seat.x,
                        y: seat.y,
                        accessible: seat.accessible,
                        companion_of: seat.companion_of,
                        status,
                        held_until,
                    }
                })
                .collect();
            // Kept until the first hold or block ends by itself (no write marks that).
            let valid_until = claims.values().filter_map(Claim::ends_at).min();
            let map = SeatMap {
                performance_id,
                seats,
            };
            let body = web::Bytes::from(serde_json::to_vec(&map).map_err(app::Error::internal)?);
            maps.keep((performance_id, lang), version, valid_until, body.clone());
            Ok(body)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}
