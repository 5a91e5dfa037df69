//! Money (staff or director): `POST /api/v1/bookings/{reference}/payments` records a payment or
//! refund; `GET /api/v1/performances/{id}/cashup` is a performance's cash-up.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::bookings::idempotency_key;
use super::openapi::ErrorBody;
use crate::app::cashup::{self, Cashup, Record};
use crate::app::payments::{self, MAX_AMOUNT, MAX_NOTE, Money, Recorded};
use crate::app::{Idempotency, bookings::Booked};
use crate::domain::booking::BookingStatus;
use crate::domain::payment::{Kind, Method, PaymentState};
use crate::http::auth::Staff;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/bookings/{reference}/payments",
        web::post().to(record_payment),
    )
    .route("/performances/{id}/cashup", web::get().to(cashup));
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    /// Whole tenge.
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    amount: i64,
    method: Method,
    /// `payment` (the default) or `refund`.
    #[serde(default = "payment")]
    kind: Kind,
    /// E.g. the Kaspi transaction number.
    #[schema(max_length = 200)]
    note: Option<String>,
}

fn payment() -> Kind {
    Kind::Payment
}

/// A booking's money, as it stands after the row was recorded.
#[derive(Serialize, ToSchema)]
pub struct BookingMoney {
    reference: String,
    status: BookingStatus,
    payment: PaymentState,
    /// Whole tenge.
    total: i64,
    /// Payments less refunds, whole tenge.
    amount_paid: i64,
    amount_due: i64,
    refund_due: i64,
}

impl From<&Booked> for BookingMoney {
    fn from(booked: &Booked) -> BookingMoney {
        let account = booked.account();
        BookingMoney {
            reference: booked.booking.reference.clone(),
            status: booked.booking.status,
            payment: account.state(),
            total: account.total,
            amount_paid: account.net(),
            amount_due: account.due(),
            refund_due: account.refund_due(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordedPayment {
    payment: Record,
    booking: BookingMoney,
}

/// Records a payment that came in outside the door (e.g. a Kaspi transfer before the show), or
/// a refund. With an `Idempotency-Key` header a retry records nothing more and gets the same
/// answer; the same key with another body is 422 `idempotency_key_reused`.
#[utoipa::path(post, path = "/api/v1/bookings/{reference}/payments", tag = "money", security(("bearer" = [])),
    request_body = PaymentRequest,
    params(("reference" = String, Path, description = "Booking reference"),
           ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, pattern = r"\S", description = "Makes retries safe: the same key with the same body records once")),
    responses((status = 201, description = "Recorded; the booking's payment state after it", body = RecordedPayment),
              (status = 404, body = ErrorBody),
              (status = 409, description = "`overpayment` (more than is due: `details.due`), `booking_cancelled` (only a refund can be recorded) or `refund_exceeds_paid` (`details.refundable`)", body = ErrorBody),
              (status = 422, description = "`validation_failed` or `idempotency_key_reused`", body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub async fn record_payment(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: ApiJson<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let reference = reference.into_inner();
    let idempotency =
        idempotency_key(&req)?.map(|key| Idempotency::new(key, &(&reference, &input)));
    let money = Money {
        amount: input.amount,
        method: input.method,
        kind: input.kind,
        note: input.note,
    };
    let user_id = staff.0.user_id;
    let Recorded { payment, booked } = state
        .with_db(move |conn, _| {
            payments::record_once(
                conn,
                &reference,
                &money,
                user_id,
                idempotency.as_ref(),
                Utc::now(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(RecordedPayment {
        payment: Record::from(&payment),
        booking: BookingMoney::from(&booked),
    }))
}

/// A performance's cash-up: every payment and refund recorded for its bookings, by method and by
/// who recorded it, walk-up sales and reservations apart, the comps, what is still unpaid and
/// what is owed back. Sums are of payment rows, whole tenge.
#[utoipa::path(get, path = "/api/v1/performances/{id}/cashup", tag = "money", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, body = Cashup), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn cashup(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let cashup = state
        .with_db(move |conn, _| cashup::of_performance(conn, id, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(cashup))
}

const _: () = assert!(MAX_AMOUNT == 1_000_000_000 && MAX_NOTE == 200);
