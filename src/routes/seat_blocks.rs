//! House seats: the director keeps seats of one performance off sale, with a reason and
//! optionally until a release time. `/api/v1/performances/{id}/blocks`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::blocks;
use crate::domain::time::{WallClock, from_stored};
use crate::http::auth::Director;
use crate::http::{ApiError, AppState};

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
    /// Seats of the performance's hall.
    #[schema(min_items = 1)]
    seat_ids: Vec<i32>,
    #[schema(example = "house seats", max_length = 200, pattern = r"\S")]
    reason: String,
    /// Local time in the venue's zone when the seats go back on sale; absent means never.
    #[schema(
        pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$"
    )]
    release_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BlockView {
    id: i32,
    seat_id: i32,
    row: i32,
    number: i32,
    reason: String,
    release_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Blocks {
    blocks: Vec<BlockView>,
}

impl From<blocks::Blocks> for Blocks {
    fn from(found: blocks::Blocks) -> Blocks {
        let zone = found.zone;
        Blocks {
            blocks: found
                .blocks
                .into_iter()
                .map(|b| BlockView {
                    id: b.id,
                    seat_id: b.seat_id,
                    row: b.row_number,
                    number: b.seat_number,
                    reason: b.reason,
                    release_at: b.release_at.map(|at| zone.rfc3339(from_stored(at))),
                })
                .collect(),
        }
    }
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
    let input = body.into_inner();
    let input = blocks::NewBlocks {
        seat_ids: input.seat_ids,
        reason: input.reason,
        release_at: input
            .release_at
            .map(|at| WallClock::parse("release_at", &at))
            .transpose()?,
    };
    let (performance_id, user_id) = (id.into_inner(), director.0.user_id);
    let blocked = state
        .write(move |conn, _| blocks::block(conn, performance_id, input, user_id, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(Blocks::from(blocked)))
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
    let found = state
        .with_db(move |conn, _| blocks::list(conn, performance_id))
        .await?;
    Ok(HttpResponse::Ok().json(Blocks::from(found)))
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
    state
        .write(move |conn, ctx| blocks::lift(conn, ctx, performance_id, block_id, Utc::now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
