//! House seats: the director keeps seats of one performance off sale, with a reason and
//! optionally until a release time. `/api/v1/performances/{id}/blocks`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::auth::Director;
use crate::db::claims::{self, Claimant};
use crate::db::seat_blocks::{self, BlockRow, NewBlock};
use crate::db::{self, DbConnection, performances, venues};
use crate::domain::invalid::required_text;
use crate::domain::performance::Status;
use crate::domain::time::from_stored;
use crate::domain::{Invalid, VenueZone};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/blocks", web::post().to(block_seats))
        .route("/performances/{id}/blocks", web::get().to(list_blocks))
        .route(
            "/performances/{id}/blocks/{block_id}",
            web::delete().to(unblock_seat),
        );
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBlocks {
    pub(crate) seat_ids: Vec<i32>,
    #[schema(example = "house seats")]
    pub(crate) reason: String,
    /// Local time in the venue's zone when the seats go back on sale; absent means never.
    pub(crate) release_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BlockView {
    pub(crate) id: i32,
    pub(crate) seat_id: i32,
    pub(crate) row: i32,
    pub(crate) number: i32,
    pub(crate) reason: String,
    pub(crate) release_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Blocks {
    blocks: Vec<BlockView>,
}

/// Blocks seats for one performance.
#[utoipa::path(post, path = "/api/v1/performances/{id}/blocks", tag = "performances", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")), request_body = NewBlocks,
    responses((status = 201, body = Blocks), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "`seats_already_blocked`, `seats_unavailable` (held or booked) or `performance_cancelled`", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn block_seats(
    director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<NewBlocks>,
) -> Result<HttpResponse, ApiError> {
    let blocks = block(
        &state,
        id.into_inner(),
        body.into_inner(),
        director.0.user_id,
    )
    .await?;
    Ok(HttpResponse::Created().json(Blocks { blocks }))
}

/// Blocks seats of one performance (for the API and the director's pages).
pub(crate) async fn block(
    state: &AppState,
    performance_id: i32,
    input: NewBlocks,
    created_by: i32,
) -> Result<Vec<BlockView>, ApiError> {
    let reason = required_text("reason", &input.reason, 200)?;
    let mut seat_ids = input.seat_ids;
    seat_ids.sort_unstable();
    seat_ids.dedup();
    if seat_ids.is_empty() {
        return Err(Invalid::new("seat_ids", "name at least one seat").into());
    }
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let performance = performances::find(conn, performance_id)?
                    .ok_or_else(|| ApiError::not_found("performance"))?;
                if performance.status() == Status::Cancelled {
                    return Err(ApiError::conflict(
                        "performance_cancelled",
                        "this performance is cancelled",
                    ));
                }
                let zone = zone_of(conn, performance.venue_id)?;
                let release_at = input
                    .release_at
                    .as_deref()
                    .map(|raw| zone.parse_time("release_at", raw))
                    .transpose()?;
                if release_at.is_some_and(|at| at <= now) {
                    return Err(Invalid::new("release_at", "must be in the future").into());
                }
                let foreign = venues::foreign_seats(conn, performance.venue_id, &seat_ids)?;
                if !foreign.is_empty() {
                    return Err(ApiError::from(
                        Invalid::new("seat_ids", "some seats are not in this performance's hall")
                            .with_details(json!({ "seat_ids": foreign })),
                    ));
                }
                seat_blocks::delete_released(conn, performance_id, &seat_ids, now)?;
                claims::clear_expired(conn, performance_id, &seat_ids, now)?;
                let blocked = seat_blocks::already_blocked(conn, performance_id, &seat_ids)?;
                if !blocked.is_empty() {
                    return Err(ApiError::conflict(
                        "seats_already_blocked",
                        "some seats are already blocked",
                    )
                    .with_details(json!({ "seat_ids": blocked })));
                }
                let taken = claims::taken(conn, performance_id, &seat_ids, now)?;
                if !taken.is_empty() {
                    return Err(ApiError::conflict(
                        "seats_unavailable",
                        "some seats are held or booked",
                    )
                    .with_details(json!({ "seat_ids": taken })));
                }
                for &seat_id in &seat_ids {
                    let block = NewBlock {
                        performance_id,
                        seat_id,
                        reason: &reason,
                        release_at,
                        created_by,
                    };
                    let id = seat_blocks::insert(conn, &block, now)?;
                    claims::claim(
                        conn,
                        performance_id,
                        &[seat_id],
                        Claimant::Block { id, release_at },
                    )?;
                }
                let all = seat_blocks::list(conn, performance_id)?;
                Ok(views(
                    zone,
                    all.into_iter()
                        .filter(|b| seat_ids.contains(&b.seat_id))
                        .collect(),
                ))
            })
        })
        .await
}

/// The seats blocked for one performance.
#[utoipa::path(get, path = "/api/v1/performances/{id}/blocks", tag = "performances", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, body = Blocks), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn list_blocks(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let blocks = state
        .with_db(move |conn| {
            let performance = performances::find(conn, performance_id)?
                .ok_or_else(|| ApiError::not_found("performance"))?;
            let zone = zone_of(conn, performance.venue_id)?;
            Ok(views(zone, seat_blocks::list(conn, performance_id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Blocks { blocks }))
}

/// Puts a blocked seat back on sale.
#[utoipa::path(delete, path = "/api/v1/performances/{id}/blocks/{block_id}", tag = "performances", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id"), ("block_id" = i32, Path, description = "Block id")),
    responses((status = 204, description = "Unblocked"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn unblock_seat(
    _director: Director,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (performance_id, block_id) = path.into_inner();
    let deleted = state
        .with_db(move |conn| {
            Ok(db::write_transaction(conn, |conn| {
                seat_blocks::delete(conn, performance_id, block_id)
            })?)
        })
        .await?;
    if deleted {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("block"))
    }
}

fn zone_of(conn: &mut DbConnection, venue_id: i32) -> Result<VenueZone, ApiError> {
    Ok(venues::find(conn, venue_id)?
        .ok_or_else(|| ApiError::not_found("venue"))?
        .zone())
}

fn views(zone: VenueZone, rows: Vec<BlockRow>) -> Vec<BlockView> {
    rows.into_iter()
        .map(|b| BlockView {
            id: b.id,
            seat_id: b.seat_id,
            row: b.row_number,
            number: b.seat_number,
            reason: b.reason,
            release_at: b.release_at.map(|at| zone.rfc3339(from_stored(at))),
        })
        .collect()
}
