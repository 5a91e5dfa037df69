//! Request bodies: malformed JSON is a 400; JSON of the wrong shape is a 422 naming the field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::http::ApiError;

/// A JSON body of type `T`.
pub struct ApiJson<T>(pub T);

impl<T> ApiJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| {
                if matches!(
                    e.as_error::<actix_web::error::PayloadError>(),
                    Some(actix_web::error::PayloadError::Overflow)
                ) {
                    return ApiError::new(
                        actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        format!("the body may be at most {} bytes", super::MAX_BODY_BYTES),
                    );
                }
                ApiError::bad_request(
                    "unreadable_body",
                    format!("the request body could not be read: {e}"),
                )
            })?;
            parse(&body).map(ApiJson)
        })
    }
}

/// Deserialises `body`, telling syntax errors (400) from shape errors (422 with the field path).
/// A whole number written with a fraction (`81.0`) is a whole number, as JSON Schema says.
/// Every body the API takes is an object: serde would also read a struct from an array of its
/// fields in order, which the documents do not allow.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
    if !value.is_object() {
        return Err(ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "the body must be a JSON object",
        )
        .with_details(json!({ "field": "" })));
    }
    serde_path_to_error::deserialize(whole_numbers(value)).map_err(|error| {
        let inner = error.inner();
        let field = field_name(&error);
        let message = strip_position(&inner.to_string());
        ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            if field.is_empty() {
                message
            } else {
                format!("{field}: {message}")
            },
        )
        .with_details(json!({ "field": field }))
    })
}

/// Numbers with a zero fraction as integers, everywhere in `value`.
fn whole_numbers(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, whole_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

fn malformed(error: &serde_json::Error) -> ApiError {
    ApiError::bad_request(
        "malformed_json",
        format!("the body is not valid JSON: {error}"),
    )
}

/// The path of the offending field; for a missing field, serde names it only in the message.
fn field_name(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = error.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let message = error.inner().to_string();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match missing {
        Some(name) if path.is_empty() => name.to_owned(),
        Some(name) => format!("{path}.{name}"),
        None => path,
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Tells a field given as `null` (Some(None)) from one left out (None): use with
/// `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        title: String,
        seats: Vec<Seat>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Seat {
        row: i32,
    }

    fn error_of(body: &str) -> (u16, String, serde_json::Value) {
        let error = parse::<Input>(body.as_bytes()).unwrap_err();
        let response = actix_web::ResponseError::error_response(&error);
        let status = response.status().as_u16();
        (
            status,
            error.code().to_owned(),
            serde_json::to_value(error.to_string()).unwrap(),
        )
    }

    #[test]
    fn syntax_errors_are_400() {
        assert_eq!(error_of("{\"title\": ").0, 400);
        assert_eq!(error_of("not json").0, 400);
        assert_eq!(error_of("{\"title\":\"x\",\"seats\":[]} trailing").0, 400);
    }

    #[test]
    fn shape_errors_are_422_and_name_the_field() {
        let (status, code, message) = error_of(r#"{"title": "x", "seats": [{"row": "one"}]}"#);
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        assert!(
            message.as_str().unwrap().starts_with("seats[0].row:"),
            "{message}"
        );
        let (status, _, message) = error_of(r#"{"seats": []}"#);
        assert_eq!(status, 422);
        assert!(message.as_str().unwrap().starts_with("title:"), "{message}");
    }
}
