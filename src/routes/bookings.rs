//! Bookings: `POST /api/v1/bookings` turns a hold into tickets, `GET /api/v1/bookings/{reference}`
//! and `POST …/cancel` manage it with the token from the manage link. The confirmation mail is
//! queued in the same transaction as the booking.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::Idempotency;
use crate::app::bookings::{self, Booked};
use crate::app::links::Links;
use crate::app::sales::TicketTypes;
use crate::app::sales::book::{Buyer, book_once};
use crate::app::sales::cancel;
use crate::domain::booking::{BookingStatus, Language, TicketStatus, buyer_name, phone};
use crate::domain::payment::PaymentState;
use crate::domain::prices::TicketType;
use crate::domain::time::rfc3339_utc;
use crate::domain::{Email, Invalid};
use crate::http::{ApiError, AppState};

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
    /// From `POST /api/v1/performances/{id}/holds`.
    hold_token: String,
    #[schema(max_length = 100, pattern = r"\S")]
    name: String,
    #[schema(
        format = "email",
        max_length = 254,
        pattern = r"^\s*[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+\s*$"
    )]
    email: String,
    /// Digits with spaces, `+`, `-` or brackets, 5 to 20 digits; blank means none.
    #[schema(pattern = r"^\s*$|^[ +()-]*([0-9][ +()-]*){5,20}$")]
    phone: Option<String>,
    language: Language,
    /// A ticket type per seat of the hold (a concession the performance offers in its zone);
    /// a seat not named is `full`.
    #[schema(max_items = 50)]
    tickets: Option<Vec<TicketChoice>>,
}

/// The ticket type chosen for one seat.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct TicketChoice {
    pub seat_id: i32,
    #[serde(rename = "type")]
    pub ticket_type: TicketType,
}

/// The choices as the sales use cases take them.
pub(super) fn ticket_types(choices: Option<&[TicketChoice]>) -> Result<TicketTypes, Invalid> {
    let choices: Vec<(i32, TicketType)> = choices
        .unwrap_or_default()
        .iter()
        .map(|choice| (choice.seat_id, choice.ticket_type))
        .collect();
    TicketTypes::parse(&choices)
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
    #[serde(rename = "type")]
    ticket_type: TicketType,
    price: i64,
    /// What the ticket's QR code carries.
    code: String,
    status: TicketStatus,
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
    status: BookingStatus,
    /// Derived from the booking's payment and refund rows.
    payment: PaymentState,
    /// Whole tenge.
    total: i64,
    /// What came in and stayed (payments less refunds), whole tenge.
    amount_paid: i64,
    /// What is still to pay, whole tenge: taken at the door.
    amount_due: i64,
    /// What the booking is owed back, whole tenge: what a cancelled booking paid, or what one
    /// exchanged to cheaper seats paid beyond its new total.
    refund_due: i64,
    /// How often it was exchanged to another date.
    exchanges: i32,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    language: Language,
    performance: BookedPerformance,
    tickets: Vec<TicketView>,
}

impl BookingView {
    /// The booking as the API shows it, with its manage link.
    pub fn new(booked: Booked, links: &Links) -> BookingView {
        let account = booked.account();
        let Booked {
            booking,
            staged,
            tickets,
            ..
        } = booked;
        let zone = staged.venue.zone();
        let starts_at = staged.performance.slot().starts_at;
        BookingView {
            manage_url: links.manage_url(&booking.reference),
            manage_token: links.manage_token(&booking.reference),
            status: booking.status,
            payment: account.state(),
            total: booking.total,
            amount_paid: account.net(),
            amount_due: account.due(),
            refund_due: account.refund_due(),
            exchanges: booking.exchanges,
            language: booking.language,
            reference: booking.reference,
            name: booking.name,
            email: booking.email,
            phone: booking.phone,
            performance: BookedPerformance {
                id: staged.performance.id,
                title: staged.title,
                starts_at: zone.rfc3339(starts_at),
                starts_at_utc: rfc3339_utc(starts_at),
                timezone: zone.name().to_owned(),
                venue: staged.venue.name,
                address: staged.venue.address,
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
                    ticket_type: t.ticket_type,
                    price: t.price,
                    code: t.code,
                    status: t.status,
                })
                .collect(),
        }
    }
}

/// Books held seats. With an `Idempotency-Key` header a retry returns the same booking (and
/// sends no second mail); the same key with another body is 422 `idempotency_key_reused`.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "booking", request_body = NewBookingRequest,
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, pattern = r"\S", description = "Makes retries safe: the same key with the same body gets the same booking")),
    responses((status = 201, body = BookingView),
              (status = 409, description = "`not_on_sale` or `sales_closed`: the performance changed since the hold", body = ErrorBody),
              (status = 410, description = "`hold_expired`: unknown, used or expired hold", body = ErrorBody),
              (status = 422, description = "`validation_failed` or `idempotency_key_reused`", body = ErrorBody)))]
pub async fn create_booking(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<NewBookingRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let idempotency = idempotency_key(&req)?.map(|key| Idempotency::new(key, &input));
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
        types: ticket_types(input.tickets.as_deref())?,
    };
    let hold_token = input.hold_token;
    let view = state
        .with_db(move |conn, ctx| {
            let booked = book_once(
                conn,
                ctx,
                &hold_token,
                &buyer,
                idempotency.as_ref(),
                Utc::now(),
            )?;
            Ok(BookingView::new(booked, &ctx.links))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
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
    let token = manage_token(&req);
    let view = state
        .with_db(move |conn, ctx| {
            let booked = bookings::open(conn, ctx, &reference, &token)?;
            Ok(BookingView::new(booked, &ctx.links))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
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
    let token = manage_token(&req);
    let view = state
        .write(move |conn, ctx| {
            let booked = bookings::open(conn, ctx, &reference, &token)?;
            let booked = cancel::by_holder(conn, ctx, booked, Utc::now())?;
            Ok(BookingView::new(booked, &ctx.links))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub(super) fn manage_token(req: &HttpRequest) -> String {
    req.headers()
        .get("X-Manage-Token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, Invalid> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = value.to_str().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > 200 {
        return Err(Invalid::new(
            "Idempotency-Key",
            "must be 1 to 200 visible characters",
        ));
    }
    Ok(Some(key.to_owned()))
}
