//! The door (staff or director): `POST /api/v1/checkins` admits a ticket exactly once,
//! `DELETE /api/v1/checkins/{id}` undoes a mistake, `GET …/door` is what a door device keeps for
//! working offline, `GET …/attendees` finds people by name, reference or seat.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::door::Movement;
use crate::app::door::list::{self, Attendee};
use crate::app::door::scan::{self, Scan, ScanAnswer, ScanResult, Scanner};
use crate::app::door::undo;
use crate::domain::booking::Direction;
use crate::domain::payment::Method;
use crate::http::auth::Staff;
use crate::http::views::DoorData;
use crate::http::{ApiError, AppState};

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
    /// Which door device scanned (its first 200 characters are kept); defaults to the
    /// client's User-Agent.
    device: Option<String>,
    /// Take what the booking owes, with this method, and admit: both or neither.
    payment: Option<DoorPaymentRequest>,
    /// Admit although the booking owes money (e.g. a group paying by invoice): it stays owed,
    /// and the audit log keeps who let it in.
    #[serde(default)]
    admit_unpaid: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoorPaymentRequest {
    method: DoorMethod,
}

/// What the door takes.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DoorMethod {
    Cash,
    Card,
    Kaspi,
}

impl From<DoorMethod> for Method {
    fn from(method: DoorMethod) -> Method {
        match method {
            DoorMethod::Cash => Method::Cash,
            DoorMethod::Card => Method::Card,
            DoorMethod::Kaspi => Method::Kaspi,
        }
    }
}

/// A 422 from a scan: the answer `wrong_performance`, or an error body for a request that is
/// not valid.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum ScanOrError {
    Answer(Box<ScanAnswer>),
    Error(ErrorBody),
}

/// The HTTP status that says what a scan's `result` says.
fn status_of(result: ScanResult) -> StatusCode {
    match result {
        ScanResult::Admitted | ScanResult::Left => StatusCode::OK,
        ScanResult::PaymentDue => StatusCode::PAYMENT_REQUIRED,
        ScanResult::AlreadyAdmitted | ScanResult::NotInside => StatusCode::CONFLICT,
        ScanResult::WrongPerformance => StatusCode::UNPROCESSABLE_ENTITY,
        ScanResult::Cancelled => StatusCode::GONE,
        ScanResult::Unknown => StatusCode::NOT_FOUND,
    }
}

/// Scans a ticket in or out.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "door", security(("bearer" = [])), request_body = CheckinRequest,
    responses((status = 200, description = "`admitted` or `left`", body = ScanAnswer),
              (status = 402, description = "`payment_due`: the booking owes `due.amount`; scan again with `payment` (or `admit_unpaid`)", body = ScanAnswer),
              (status = 409, description = "`already_admitted` (when and by whom) or `not_inside`", body = ScanAnswer),
              (status = 422, description = "`wrong_performance`, or a request that is not valid (an error body)", body = ScanOrError),
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
    let scan = Scan {
        code: input.code,
        performance_id: input.performance_id,
        direction: input.direction,
        nonce: input.nonce,
        pay_with: input.payment.map(|p| p.method.into()),
        admit_unpaid: input.admit_unpaid,
    };
    let answer = state
        .with_db(move |conn, _| scan::scan_once(conn, &scan, &scanner, Utc::now()))
        .await?;
    Ok(HttpResponse::build(status_of(answer.result)).json(answer))
}

#[derive(Serialize, ToSchema)]
pub struct Undone {
    /// `undone`.
    #[schema(example = "undone")]
    result: &'static str,
    checkin: Movement,
}

/// Undoes a mistaken check-in (or check-out). The record stays, marked undone.
#[utoipa::path(delete, path = "/api/v1/checkins/{id}", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Check-in id")),
    responses((status = 200, description = "Undone", body = Undone), (status = 404, body = ErrorBody),
              (status = 409, description = "`already_undone` or `not_latest`", body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn undo_checkin(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (id, user_id) = (id.into_inner(), staff.0.user_id);
    let checkin = state
        .write(move |conn, _| undo::undo(conn, id, user_id, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(Undone {
        result: "undone",
        checkin,
    }))
}

/// What a door device keeps to work offline: every ticket as a hash of its code (never the
/// code), with seat, name, reference, payment and whether its holder is inside; the hashes of
/// cancelled tickets; the counts; and when it was made (`generated_at`). The hash is the
/// lower-case hex SHA-256 of the code.
#[utoipa::path(get, path = "/api/v1/performances/{id}/door", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, description = "The door data", body = DoorData), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn door_data(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let data = state
        .with_db(move |conn, _| list::door_list(conn, id, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(DoorData::from(data)))
}

#[derive(Deserialize, IntoParams)]
pub struct AttendeeQuery {
    /// A name (or part of one), a booking reference, or a seat as `3-7` (row 3, seat 7).
    q: String,
}

#[derive(Serialize, ToSchema)]
pub struct Attendees {
    attendees: Vec<Attendee>,
}

/// Finds ticket holders of a performance by name, reference or seat.
#[utoipa::path(get, path = "/api/v1/performances/{id}/attendees", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id"), AttendeeQuery),
    responses((status = 200, description = "Matching tickets, with codes to admit them", body = Attendees),
              (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn attendees(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    query: web::Query<AttendeeQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, q) = (id.into_inner(), query.into_inner().q);
    let attendees = state
        .with_db(move |conn, _| list::attendees(conn, id, &q))
        .await?;
    Ok(HttpResponse::Ok().json(Attendees { attendees }))
}
