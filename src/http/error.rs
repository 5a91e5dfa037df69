//! The API's errors, rendered as `{"error": {"code": "...", "message": "...", "details": {...}}}`.
//! Every [`app::Error`] becomes its status, code and body here, and only here. Client mistakes
//! get a precise 4xx; unexpected failures are logged with their cause and shown only as
//! "internal".

use std::borrow::Cow;
use std::fmt;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Value, json};

use crate::app;
use crate::domain::Invalid;
use crate::domain::invalid::Problem;

pub struct ApiError {
    status: StatusCode,
    code: Cow<'static, str>,
    message: String,
    details: Option<Value>,
    /// `Retry-After` for a 429 or 503, `Allow` for a 405.
    headers: Vec<(header::HeaderName, String)>,
    cause: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: Cow::Borrowed(code),
            message: message.into(),
            details: None,
            headers: Vec::new(),
            cause: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.headers
            .push((header::RETRY_AFTER, seconds.to_string()));
        self
    }

    /// The `Allow` header of a 405.
    pub fn allow(mut self, methods: String) -> Self {
        self.headers.push((header::ALLOW, methods));
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn unavailable(cause: impl Into<anyhow::Error>) -> Self {
        let mut error = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the service is busy; try again in a moment",
        )
        .retry_after(1);
        error.cause = Some(cause.into());
        error
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut error = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; it has been logged",
        );
        error.cause = Some(cause.into());
        error
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    fn caused_by(mut self, cause: impl Into<anyhow::Error>) -> Self {
        self.cause = Some(cause.into());
        self
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause:#}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut body = json!({ "code": self.code, "message": self.message });
        if let Some(details) = &self.details {
            body["details"] = details.clone();
        }
        let mut response = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        response.json(json!({ "error": body }))
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        let mut details = invalid.details.clone().unwrap_or_else(|| json!({}));
        details["field"] = Value::String(invalid.field.clone());
        let code = match invalid.problem {
            Problem::Value => "validation_failed",
            Problem::NonexistentLocalTime => "nonexistent_local_time",
            Problem::AmbiguousLocalTime => "ambiguous_local_time",
        };
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, invalid.to_string())
            .with_details(details)
    }
}

impl From<app::Error> for ApiError {
    fn from(error: app::Error) -> Self {
        use app::Error as E;
        let message = error.to_string();
        let conflict = |code| ApiError::conflict(code, message.clone());
        match error {
            E::Invalid(invalid) => invalid.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::SeatsUnavailable { seat_ids } => {
                conflict("seats_unavailable").with_details(json!({ "seat_ids": seat_ids }))
            }
            E::SeatsAlreadyBlocked { seat_ids } => {
                conflict("seats_already_blocked").with_details(json!({ "seat_ids": seat_ids }))
            }
            E::HoldExpired => ApiError::new(StatusCode::GONE, "hold_expired", message),
            E::TooLate { .. } => conflict("too_late"),
            E::NotOnSale => conflict("not_on_sale"),
            E::SalesNotOpen => conflict("sales_not_open"),
            E::SalesClosed => conflict("sales_closed"),
            E::PerformanceCancelled => conflict("performance_cancelled"),
            E::ScheduleClash(clash) => {
                conflict("schedule_clash").with_details(clash_details(&clash))
            }
            E::BookingCancelled => conflict("booking_cancelled"),
            E::ExchangeClosed { cutoff_minutes } => conflict("exchange_closed")
                .with_details(json!({ "cutoff_minutes": cutoff_minutes })),
            E::ExchangeLimitReached { max_exchanges } => conflict("exchange_limit_reached")
                .with_details(json!({ "max_exchanges": max_exchanges })),
            E::HolderAdmitted => conflict("already_admitted"),
            E::CompanionSeat {
                seat_ids,
                release_hours,
            } => conflict("companion_seat")
                .with_details(json!({ "seat_ids": seat_ids, "release_hours": release_hours })),
            E::SeatsAvailable { free } => {
                conflict("seats_available").with_details(json!({ "free": free }))
            }
            E::SeatCountDiffers { seats } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                message,
            )
            .with_details(json!({ "field": "seat_ids", "seats": seats })),
            E::Overpayment { due } => conflict("overpayment").with_details(json!({ "due": due })),
            E::RefundTooLarge { refundable } => {
                conflict("refund_exceeds_paid").with_details(json!({ "refundable": refundable }))
            }
            E::IdempotencyKeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                message,
            ),
            E::AlreadyUndone => conflict("already_undone"),
            E::NotLatest => conflict("not_latest"),
            E::EmailTaken => conflict("email_taken"),
            E::LastDirector => conflict("last_director"),
            E::LinkExpired => ApiError::new(StatusCode::GONE, "link_expired", message),
            E::InvalidCredentials => {
                ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", message)
            }
            E::TooManyAttempts { window_minutes } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", message)
                    .retry_after(u64::from(window_minutes) * 60)
            }
            E::Conflict(cause) => conflict("conflict").caused_by(cause),
            E::Busy(cause) => ApiError::unavailable(cause),
            E::Unreachable(cause) => ApiError::unavailable(cause),
            E::Internal(cause) => ApiError::internal(cause),
        }
    }
}

/// What a clash names: for one date, the performances in the way (the first as
/// `clashing_performance`); for a run, each refused date with what is there, if not the run
/// itself.
fn clash_details(clash: &app::Clash) -> Value {
    let view = |p: &crate::db::performances::PerformanceDetails| {
        serde_json::to_value(super::views::PerformanceView::from(p.clone())).unwrap_or_default()
    };
    if clash.run {
        let clashes: Vec<Value> = clash
            .dates
            .iter()
            .map(|date| {
                json!({
                    "starts_at": clash.zone.rfc3339(date.starts_at),
                    "clashing_performance": date.existing.first().map(view),
                })
            })
            .collect();
        return json!({ "clashes": clashes });
    }
    let date = clash.dates.first();
    let existing: Vec<Value> = date
        .map(|d| d.existing.iter().map(view).collect())
        .unwrap_or_default();
    json!({
        "starts_at": date.map(|d| clash.zone.rfc3339(d.starts_at)),
        "clashing_performance": existing.first(),
        "clashes": existing,
    })
}
