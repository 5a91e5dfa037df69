//! The one error every route returns, rendered as
//! `{"error": {"code": "...", "message": "...", "details": {...}}}`. Client mistakes get a
//! precise 4xx; unexpected failures are logged with their cause and shown only as "internal".

use std::borrow::Cow;
use std::fmt;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Value, json};

use crate::domain::Invalid;

pub struct ApiError {
    status: StatusCode,
    /// A unique constraint refused a second row: a race lost to a concurrent request (a second
    /// claim on a seat, a second use of a key), not a fault.
    duplicate: bool,
    code: Cow<'static, str>,
    message: String,
    details: Option<Value>,
    retry_after_seconds: Option<u64>,
    cause: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            duplicate: false,
            code: Cow::Borrowed(code),
            message: message.into(),
            details: None,
            retry_after_seconds: None,
            cause: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
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

    /// Facts about the error, e.g. the clashing performance of a `schedule_clash`.
    pub fn details(&self) -> Option<&Value> {
        self.details.as_ref()
    }

    /// A 4xx: the request was wrong, and the message says how.
    pub fn status_code_is_client_error(&self) -> bool {
        self.status.is_client_error()
    }

    pub fn is_duplicate(&self) -> bool {
        self.duplicate
    }

    pub fn code(&self) -> &str {
        &self.code
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
        if let Some(seconds) = self.retry_after_seconds {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(json!({ "error": body }))
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        let mut details = invalid.details.clone().unwrap_or_else(|| json!({}));
        details["field"] = Value::String(invalid.field.clone());
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid.code,
            invalid.to_string(),
        )
        .with_details(details)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        if crate::db::is_unique_violation(&error) {
            let mut conflict = ApiError::conflict(
                "conflict",
                "this changed at the same moment in another request; look again and retry",
            );
            conflict.duplicate = true;
            conflict.cause = Some(error.into());
            conflict
        } else if crate::db::is_transient(&error) {
            ApiError::unavailable(error)
        } else {
            ApiError::internal(error)
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        // No connection came free in time: the database is overloaded or down.
        ApiError::unavailable(error)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(anyhow::anyhow!("blocking task failed: {error}"))
    }
}
