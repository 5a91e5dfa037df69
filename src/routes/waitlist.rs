//! The waiting list: `POST /api/v1/performances/{id}/waitlist` puts someone in line for a
//! sold-out performance, `DELETE /api/v1/waitlist/{id}` (with the token from its mail) takes
//! them off, and the director reads a performance's line with `GET` on the first path.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::waitlist::{self, Joining, Placed};
use crate::db::waitlist::EntryRow;
use crate::domain::booking::Language;
use crate::domain::time::from_stored;
use crate::domain::time::rfc3339_utc;
use crate::domain::waitlist::EntryStatus;
use crate::http::auth::Director;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/waitlist", web::post().to(join_waitlist))
        .route("/performances/{id}/waitlist", web::get().to(waitlist_of))
        .route("/waitlist/{id}", web::delete().to(leave_waitlist));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    #[schema(max_length = 100, pattern = r"\S")]
    name: String,
    #[schema(
        format = "email",
        max_length = 254,
        pattern = r"^\s*[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+\s*$"
    )]
    email: String,
    /// The language of the mail.
    language: Language,
    /// How many seats, side by side where the hall allows.
    #[schema(minimum = 1, maximum = 4)]
    seats: i32,
}

/// One entry of a waiting list.
#[derive(Serialize, ToSchema)]
pub struct EntryView {
    id: i32,
    performance_id: i32,
    seats: i32,
    status: EntryStatus,
    /// The place in line among those still waiting; absent once offered or done.
    position: Option<i64>,
    joined_at: String,
    /// When seats were held for the entry, and until when.
    offered_at: Option<String>,
    offer_expires_at: Option<String>,
}

impl EntryView {
    fn new(entry: &EntryRow, position: Option<i64>) -> EntryView {
        EntryView {
            id: entry.id,
            performance_id: entry.performance_id,
            seats: entry.seats,
            status: entry.status,
            position,
            joined_at: rfc3339_utc(from_stored(entry.created_at)),
            offered_at: entry.offered_at.map(|at| rfc3339_utc(from_stored(at))),
            offer_expires_at: entry
                .offer_expires_at
                .map(|at| rfc3339_utc(from_stored(at))),
        }
    }
}

impl From<Placed> for EntryView {
    fn from(placed: Placed) -> EntryView {
        EntryView::new(&placed.entry, placed.position)
    }
}

/// An entry as the director sees it: who, and the booking its offer became.
#[derive(Serialize, ToSchema)]
pub struct LineEntryView {
    #[serde(flatten)]
    entry: EntryView,
    name: String,
    email: String,
    booking_reference: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LineView {
    /// In the order people joined.
    entries: Vec<LineEntryView>,
    /// Seats booked from offers.
    filled_seats: i64,
}

/// Puts someone on the waiting list of a sold-out performance and mails them their place and a
/// link to leave. When seats come back, the first in line that fit them get them held and a
/// mail with a link to book. Joining again with the same address while in line answers the
/// same entry.
#[utoipa::path(post, path = "/api/v1/performances/{id}/waitlist", tag = "booking",
    params(("id" = i32, Path, description = "Performance id")), request_body = JoinRequest,
    responses((status = 201, description = "In line", body = EntryView),
              (status = 404, description = "No such performance on sale", body = ErrorBody),
              (status = 409, description = "`seats_available` (as many seats as asked for are on sale: `details.free`), `not_on_sale`, `sales_not_open` or `sales_closed`", body = ErrorBody),
              (status = 422, description = "`validation_failed`: `name`, `email` or `seats`", body = ErrorBody)))]
pub async fn join_waitlist(
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<JoinRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let joining = Joining::parse(&input.name, &input.email, input.language, input.seats)?;
    let performance_id = id.into_inner();
    let placed = state
        .write(move |conn, ctx| waitlist::join(conn, ctx, performance_id, &joining, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(EntryView::from(placed)))
}

/// A performance's waiting list, with what became of each entry and how many seats it filled.
#[utoipa::path(get, path = "/api/v1/performances/{id}/waitlist", tag = "performances", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, body = LineView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn waitlist_of(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let line = state
        .with_db(move |conn, _| waitlist::line(conn, performance_id))
        .await?;
    let entries = line
        .entries
        .into_iter()
        .map(|in_line| LineEntryView {
            entry: EntryView::new(&in_line.entry, in_line.position),
            name: in_line.entry.name,
            email: in_line.entry.email,
            booking_reference: in_line.booking_reference,
        })
        .collect();
    Ok(HttpResponse::Ok().json(LineView {
        entries,
        filled_seats: line.filled_seats,
    }))
}

/// Takes an entry off its waiting list; seats held for it go to the next in line. Leaving
/// again answers the entry as it is.
#[utoipa::path(delete, path = "/api/v1/waitlist/{id}", tag = "booking",
    params(("id" = i32, Path, description = "Waiting-list entry id"),
           ("X-Waitlist-Token" = String, Header, description = "The token of the link in the entry's mail")),
    responses((status = 200, description = "Off the list", body = EntryView),
              (status = 404, description = "Unknown entry or wrong token", body = ErrorBody)))]
pub async fn leave_waitlist(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let token = req
        .headers()
        .get("X-Waitlist-Token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let entry_id = id.into_inner();
    let placed = state
        .write(move |conn, ctx| waitlist::leave(conn, ctx, entry_id, &token, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(EntryView::from(placed)))
}
