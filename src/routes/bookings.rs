//! Bookings: `POST /api/v1/bookings` turns a hold into tickets, `GET /api/v1/bookings/{reference}`
//! and `POST …/cancel` manage it with the token from the manage link. The confirmation mail is
//! queued in the same transaction as the booking.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::auth::token;
use crate::db::bookings::{self, BookingRow};
use crate::db::{DbConnection, performances};
use crate::domain::booking::{Language, Payment, Reference, buyer_name, phone};
use crate::domain::time::rfc3339_utc;
use crate::domain::{Email, Invalid};
use crate::error::ApiError;
use crate::sales::{self, Buyer, Idempotency};
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bookings", web::post().to(create_booking))
        .route("/bookings/{reference}", web::get().to(get_booking))
        .route(
            "/bookings/{reference}/cancel",
            web::post().to(cancel_booking),
        );
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBookingRequest {
    hold_token: String,
    name: String,
    email: String,
    phone: Option<String>,
    language: Language,
}

#[derive(Serialize, ToSchema)]
pub struct TicketSeat {
    row: i32,
    number: i32,
    zone: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketView {
    id: i32,
    seat: TicketSeat,
    price: i64,
    /// What the ticket's QR code carries.
    code: String,
    /// `valid` or `void`.
    status: String,
}

#[derive(Serialize, ToSchema)]
pub struct BookedPerformance {
    id: i32,
    title: String,
    starts_at: String,
    starts_at_utc: String,
    timezone: String,
    venue: String,
    address: String,
}

#[derive(Serialize, ToSchema)]
pub struct BookingView {
    #[schema(example = "K7PQX3MV")]
    reference: String,
    /// Send as `X-Manage-Token` to see or cancel the booking.
    manage_token: String,
    manage_url: String,
    status: crate::domain::booking::BookingStatus,
    payment: Payment,
    /// `cash` or `card` for a sale at the door.
    paid_with: Option<String>,
    /// Whole tenge.
    total: i64,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    language: Language,
    performance: BookedPerformance,
    tickets: Vec<TicketView>,
}

/// Books held seats. With an `Idempotency-Key` header a retry returns the same booking (and
/// sends no second mail); the same key with another body is 422 `idempotency_key_reused`.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "booking", request_body = NewBookingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = BookingView), (status = 409, body = ErrorBody),
              (status = 410, description = "`hold_expired`: unknown, used or expired hold", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_booking(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<NewBookingRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let idempotency = idempotency_key(&req)?.map(|key| Idempotency {
        key,
        request_hash: hex_sha256(&serde_json::to_vec(&input).unwrap_or_default()),
    });
    let buyer = Buyer {
        name: buyer_name(&input.name)?,
        email: Email::parse("email", &input.email)?,
        phone: input
            .phone
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(phone)
            .transpose()?,
        language: input.language,
    };
    let booking_id = sales::book(&state, &input.hold_token, buyer, idempotency).await?;
    Ok(HttpResponse::Created().json(load_view(&state, booking_id).await?))
}

/// A booking, shown to whoever holds its manage token.
#[utoipa::path(get, path = "/api/v1/bookings/{reference}", tag = "booking",
    params(("reference" = String, Path), ("X-Manage-Token" = String, Header)),
    responses((status = 200, body = BookingView), (status = 404, description = "Unknown reference or wrong token", body = ErrorBody)))]
pub async fn get_booking(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let booking = authorised_booking(&req, &state, &reference).await?;
    Ok(HttpResponse::Ok().json(load_view(&state, booking.id).await?))
}

/// Cancels a booking: its seats are free again, its tickets void, and a cancellation mail is
/// queued. Cancelling twice changes nothing. After the cutoff before the start: 409 `too_late`.
#[utoipa::path(post, path = "/api/v1/bookings/{reference}/cancel", tag = "booking",
    params(("reference" = String, Path), ("X-Manage-Token" = String, Header)),
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody),
              (status = 409, description = "`too_late`", body = ErrorBody)))]
pub async fn cancel_booking(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let booking = authorised_booking(&req, &state, &reference).await?;
    let booking_id = booking.id;
    sales::cancel_booking(&state, booking).await?;
    Ok(HttpResponse::Ok().json(load_view(&state, booking_id).await?))
}

async fn authorised_booking(
    req: &HttpRequest,
    state: &AppState,
    raw_reference: &str,
) -> Result<BookingRow, ApiError> {
    let not_found = || ApiError::not_found("booking");
    let reference = Reference::parse(raw_reference).ok_or_else(not_found)?;
    let manage_token = req
        .headers()
        .get("X-Manage-Token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A wrong token looks exactly like an unknown reference.
    if !token::verify_manage_token(&state.manage_secret, reference.as_str(), manage_token) {
        return Err(not_found());
    }
    state
        .with_db(move |conn| bookings::find_by_reference(conn, &reference)?.ok_or_else(not_found))
        .await
}

pub(super) async fn load_view(state: &AppState, booking_id: i32) -> Result<BookingView, ApiError> {
    let secret = state.manage_secret.clone();
    let public_url = state.public_url.clone();
    state
        .with_db(move |conn| {
            let booking =
                bookings::find(conn, booking_id)?.ok_or_else(|| ApiError::not_found("booking"))?;
            view(conn, booking, &secret, &public_url)
        })
        .await
}

fn view(
    conn: &mut DbConnection,
    booking: BookingRow,
    secret: &str,
    public_url: &str,
) -> Result<BookingView, ApiError> {
    let staged = performances::staged(conn, booking.performance_id)?
        .ok_or_else(|| ApiError::not_found("performance"))?;
    let (performance, venue, title) = (staged.performance, staged.venue, staged.title);
    let tickets = bookings::tickets(conn, booking.id)?;
    let zone = venue.zone();
    let starts_at = performance.slot().starts_at;
    let manage_token = token::manage_token(secret, &booking.reference);
    Ok(BookingView {
        manage_url: format!(
            "{public_url}/bookings/{}?token={manage_token}",
            booking.reference
        ),
        manage_token,
        status: if booking.is_cancelled() {
            crate::domain::booking::BookingStatus::Cancelled
        } else {
            crate::domain::booking::BookingStatus::Confirmed
        },
        payment: match booking.payment.as_str() {
            "paid" => Payment::Paid,
            "comp" => Payment::Comp,
            _ => Payment::Unpaid,
        },
        total: booking.total,
        language: booking.language(),
        paid_with: booking.paid_with,
        reference: booking.reference,
        name: booking.name,
        email: booking.email,
        phone: booking.phone,
        performance: BookedPerformance {
            id: performance.id,
            title,
            starts_at: zone.rfc3339(starts_at),
            starts_at_utc: rfc3339_utc(starts_at),
            timezone: zone.name().to_owned(),
            venue: venue.name,
            address: venue.address,
        },
        tickets: tickets
            .into_iter()
            .map(|t| TicketView {
                id: t.id,
                seat: TicketSeat {
                    row: t.row_number,
                    number: t.seat_number,
                    zone: t.zone,
                },
                price: t.price,
                code: t.code,
                status: t.status,
            })
            .collect(),
    })
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = value.to_str().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > 200 {
        return Err(Invalid::new("Idempotency-Key", "must be 1 to 200 visible characters").into());
    }
    Ok(Some(key.to_owned()))
}

fn hex_sha256(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}
