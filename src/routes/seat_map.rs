//! `GET /api/v1/performances/{id}/seats`: every seat of the hall with its price and whether it
//! can be picked. The most requested call: a map unchanged since it was last made is served
//! from memory after one small read that proves it unchanged.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
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
    let (plans, maps) = (state.seat_plans.clone(), state.seat_maps.clone());
    let body = state
        .with_db(move |conn| {
            let now = Utc::now();
            let (_, venue_id, version) = performances::seats_version(conn, performance_id)?
                .filter(|(status, _, _)| director || status != Status::Draft.as_str())
                .ok_or_else(|| ApiError::not_found("performance"))?;
            if let Some(body) = maps.get(performance_id, version, now) {
                return Ok(body);
            }
            let prices = PriceList::from_stored(performances::prices(conn, performance_id)?);
            let claims = claims::live(conn, performance_id, now)?;
            let plan = plans.of(conn, venue_id)?;
            let seats = plan
                .iter()
                .map(|seat| {
                    let (status, held_until) = match claims.get(&seat.id) {
                        None => (SeatStatus::Available, None),
                        Some(Claim::Held { until }) => {
                            (SeatStatus::Held, Some(rfc3339_utc(*until)))
                        }
                        Some(Claim::Booked) => (SeatStatus::Booked, None),
                        Some(Claim::Blocked { .. }) => (SeatStatus::Blocked, None),
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
            // Kept until the first hold or block ends by itself (no write marks that).
            let valid_until = claims.values().filter_map(Claim::ends_at).min();
            let map = SeatMap {
                performance_id,
                seats,
            };
            let body = web::Bytes::from(serde_json::to_vec(&map).map_err(ApiError::internal)?);
            maps.keep(performance_id, version, valid_until, body.clone());
            Ok(body)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// Seat maps as last served, by performance, each with the `seats_version` it was made at and
/// the instant its first hold or block ends. A kept map is served while the database's version
/// is the same and that instant has not come: any claim or price changed in between, by this
/// instance or another, changes the version (the database's triggers count it).
#[derive(Default)]
pub struct SeatMapCache(Mutex<HashMap<i32, KeptMap>>);

struct KeptMap {
    version: i64,
    valid_until: Option<DateTime<Utc>>,
    body: web::Bytes,
}

/// Enough for every performance of a season; past it, the cache starts over.
const KEPT_MAPS: usize = 2_000;

impl SeatMapCache {
    fn get(&self, performance_id: i32, version: i64, now: DateTime<Utc>) -> Option<web::Bytes> {
        let maps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        maps.get(&performance_id)
            .filter(|kept| {
                kept.version == version && kept.valid_until.is_none_or(|until| now < until)
            })
            .map(|kept| kept.body.clone())
    }

    fn keep(
        &self,
        performance_id: i32,
        version: i64,
        valid_until: Option<DateTime<Utc>>,
        body: web::Bytes,
    ) {
        let mut maps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if maps.len() >= KEPT_MAPS {
            maps.clear();
        }
        maps.insert(
            performance_id,
            KeptMap {
                version,
                valid_until,
                body,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn a_kept_map_is_served_only_at_its_version_and_before_its_first_hold_ends() {
        let cache = SeatMapCache::default();
        let now = Utc::now();
        let body = web::Bytes::from_static(b"{}");
        cache.keep(7, 3, Some(now + Duration::minutes(10)), body.clone());
        assert_eq!(cache.get(7, 3, now), Some(body.clone()));
        assert_eq!(cache.get(7, 4, now), None, "a claim or price changed since");
        assert_eq!(cache.get(8, 3, now), None, "another performance");
        assert_eq!(
            cache.get(7, 3, now + Duration::minutes(10)),
            None,
            "the hold ended with no write, and its seat is free again"
        );
        cache.keep(7, 4, None, body.clone());
        assert_eq!(
            cache.get(7, 4, now + Duration::days(365)),
            Some(body),
            "no hold, no end"
        );
    }
}
