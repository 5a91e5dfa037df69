//! The door (staff or director): `POST /api/v1/checkins` admits a ticket exactly once,
//! `DELETE /api/v1/checkins/{id}` undoes a mistake, `GET …/door` is what a door device keeps for
//! working offline, `GET …/attendees` finds people by name, reference or seat.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::admission::{self, Direction, Scan, Scanner};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/checkins", web::post().to(check_in))
        .route("/checkins/{id}", web::delete().to(undo_checkin))
        .route("/performances/{id}/door", web::get().to(door_data))
        .route("/performances/{id}/attendees", web::get().to(attendees));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckinRequest {
    /// The code from the ticket's QR code, scanned or typed.
    code: String,
    performance_id: i32,
    direction: Direction,
    /// Makes the call idempotent: a scan uploaded again gets its first answer back.
    nonce: Option<String>,
    /// Which door device scanned; defaults to the client's User-Agent.
    device: Option<String>,
}

impl CheckinRequest {
    fn into_scan(self) -> Scan {
        Scan {
            code: self.code,
            performance_id: self.performance_id,
            direction: self.direction,
            nonce: self.nonce,
        }
    }
}

/// The answer to a scan. `result` is `admitted`, `left`, `already_admitted`, `not_inside`,
/// `wrong_performance`, `cancelled` or `unknown`; the HTTP status says the same (200, 200, 409,
/// 409, 422, 410, 404).
#[derive(Serialize, ToSchema)]
pub struct ScanAnswer {
    result: String,
    #[schema(value_type = Object)]
    ticket: Option<Value>,
    #[schema(value_type = Object)]
    checkin: Option<Value>,
    first_at: Option<String>,
    by: Option<String>,
}

/// Scans a ticket in or out.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "door", security(("bearer" = [])), request_body = CheckinRequest,
    responses((status = 200, description = "`admitted` or `left`", body = ScanAnswer),
              (status = 409, description = "`already_admitted` (when and by whom) or `not_inside`", body = ScanAnswer),
              (status = 422, description = "`wrong_performance`", body = ScanAnswer),
              (status = 410, description = "`cancelled`", body = ScanAnswer),
              (status = 404, description = "`unknown`: not a code of ours, or tampered with", body = ScanAnswer),
              (status = 401, body = ErrorBody)))]
pub async fn check_in(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    body: ApiJson<CheckinRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let device = input
        .device
        .clone()
        .or_else(|| {
            req.headers()
                .get("User-Agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect::<String>();
    let scanner = Scanner {
        user_id: staff.0.user_id,
        email: staff.0.email.clone(),
        device,
    };
    let (status, body) = admission::scan(&state, input.into_scan(), scanner).await?;
    Ok(HttpResponse::build(status)
        .content_type("application/json")
        .body(body))
}

/// Undoes a mistaken check-in (or check-out). The record stays, marked undone.
#[utoipa::path(delete, path = "/api/v1/checkins/{id}", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Check-in id")),
    responses((status = 200, description = "Undone"), (status = 404, body = ErrorBody),
              (status = 409, description = "`already_undone` or `not_latest`", body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn undo_checkin(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let undone = admission::undo(&state, id.into_inner(), staff.0.user_id).await?;
    Ok(HttpResponse::Ok().json(json!({ "result": "undone", "checkin": undone })))
}

/// What a door device keeps to work offline: every ticket as a hash of its code (never the
/// code), with seat, name, reference, payment and whether its holder is inside; the hashes of
/// cancelled tickets; the counts; and when it was made (`generated_at`). The hash is the
/// lower-case hex SHA-256 of the code.
#[utoipa::path(get, path = "/api/v1/performances/{id}/door", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, description = "The door data"), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn door_data(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let data = admission::door_data(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(data))
}

#[derive(Deserialize, IntoParams)]
pub struct AttendeeQuery {
    /// A name (or part of one), a booking reference, or a seat as `3-7` (row 3, seat 7).
    q: String,
}

/// Finds ticket holders of a performance by name, reference or seat.
#[utoipa::path(get, path = "/api/v1/performances/{id}/attendees", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id"), AttendeeQuery),
    responses((status = 200, description = "Matching tickets, with codes to admit them"), (status = 401, body = ErrorBody)))]
pub async fn attendees(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    query: web::Query<AttendeeQuery>,
) -> Result<HttpResponse, ApiError> {
    let found = admission::attendees(&state, id.into_inner(), &query.into_inner().q).await?;
    Ok(HttpResponse::Ok().json(json!({ "attendees": found })))
}
