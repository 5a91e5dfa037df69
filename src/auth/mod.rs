//! Who is calling: password hashing, session tokens, and the extractors that guard the staff and
//! director routes.

pub mod password;
pub mod token;

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::db::sessions::{self, Principal};
use crate::domain::Role;
use crate::error::ApiError;
use crate::startup::AppState;

/// Resolves an `Authorization: Bearer` token into a [`Principal`] before any handler runs, so a
/// bad token is a 401 whatever else is wrong with the request. Pages' scripts (the door) call
/// the API with the page session's cookie instead, which counts only together with the page's
/// CSRF token in `X-CSRF-Token`.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let token = if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
            })?;
        Some(token.to_owned())
    } else {
        crate::web::page_session_token(req.request())
    };
    if let Some(token) = token {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
        let token_hash = token::hash(&token);
        let now = chrono::Utc::now();
        let found = state
            .with_db(move |conn| Ok(sessions::find_principal(conn, &token_hash, now)?))
            .await?;
        let (principal, _expires_at) = found
            .ok_or_else(|| ApiError::unauthorized("the token is unknown, expired or signed out"))?;
        req.extensions_mut().insert(principal);
    }
    next.call(req).await
}

fn principal(req: &HttpRequest) -> Option<Principal> {
    req.extensions().get::<Principal>().cloned()
}

/// The caller, if signed in.
pub struct MaybeSignedIn(pub Option<Principal>);

impl FromRequest for MaybeSignedIn {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeSignedIn(principal(req))))
    }
}

impl MaybeSignedIn {
    pub fn is_director(&self) -> bool {
        self.0.as_ref().is_some_and(|p| p.role == Role::Director)
    }
}

/// A signed-in member of staff or the director: whoever works the door.
pub struct Staff(pub Principal);

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            principal(req)
                .map(Staff)
                .ok_or_else(|| ApiError::unauthorized("sign in first")),
        )
    }
}

/// The signed-in director; staff get 403, anonymous callers 401.
pub struct Director(pub Principal);

impl FromRequest for Director {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match principal(req) {
            Some(p) if p.role == Role::Director => Ok(Director(p)),
            Some(_) => Err(ApiError::forbidden("only the director may do this")),
            None => Err(ApiError::unauthorized("sign in first")),
        })
    }
}
