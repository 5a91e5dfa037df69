//! Who is calling. The API takes a bearer token; the pages keep the same kind of token in a
//! session cookie, which the API also accepts from a page's script together with the page's
//! CSRF token. The extractors guard the staff and director routes.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::Utc;

use super::{ApiError, AppState, csrf};
use crate::app::{self, auth::Session};
use crate::auth::password;
use crate::db::sessions::Principal;
use crate::db::users::UserRow;
use crate::domain::Role;

/// The page session's cookie.
pub const COOKIE: &str = "kassa_session";

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
        page_session_token(req.request())
    };
    if let Some(token) = token {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
        let principal = state
            .with_db(move |conn, _| app::auth::principal(conn, &token, Utc::now()))
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::unauthorized("the token is unknown, expired or signed out"))?;
        req.extensions_mut().insert(principal);
    }
    next.call(req).await
}

/// The page session's token, for a page's script calling the API: the session cookie counts
/// only with the page's CSRF token in the `X-CSRF-Token` header, which another site cannot
/// know. Without both, the call is anonymous.
fn page_session_token(req: &HttpRequest) -> Option<String> {
    let session = req.cookie(COOKIE)?;
    let header = req.headers().get("X-CSRF-Token")?.to_str().ok()?;
    csrf::verify(req, Some(header)).then(|| session.value().to_owned())
}

/// Who is signed in on this browser (by the page session's cookie), if anyone.
pub async fn signed_in(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<Principal>, app::Error> {
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    let token = cookie.value().to_owned();
    state
        .with_db(move |conn, _| app::auth::principal(conn, &token, Utc::now()))
        .await
}

/// Checks an e-mail and password and opens a session, for the API and the sign-in page alike.
/// The password is checked on a blocking thread with no database connection held.
pub async fn sign_in(
    state: &AppState,
    email: String,
    password: String,
    client: String,
) -> Result<Session, app::Error> {
    let now = Utc::now();
    let attempt = state
        .with_db(move |conn, ctx| app::auth::attempt(conn, ctx, &email, &client, now))
        .await?;
    let stored = attempt.password_hash();
    let matched = web::block(move || password::verify(stored.as_deref(), &password))
        .await
        .map_err(|e| app::Error::internal(anyhow::anyhow!("blocking task failed: {e}")))?;
    state
        .with_db(move |conn, ctx| {
            if matched {
                app::auth::open(conn, ctx, attempt, now)
            } else {
                Err(app::auth::fail(conn, &attempt, now))
            }
        })
        .await
}

/// Sets a password with a one-time link, for the API and the page alike. The link is checked
/// before the slow hash is made (on a blocking thread, no connection held), and again, with
/// its use, in the transaction that stores the hash.
pub async fn set_password(
    state: &AppState,
    token: String,
    password: String,
) -> Result<UserRow, app::Error> {
    password::acceptable(&password)?;
    let now = Utc::now();
    let given = token.clone();
    state
        .with_db(move |conn, ctx| app::passwords::check(conn, ctx, &given, now))
        .await?;
    let hash = web::block(move || password::hash(&password))
        .await
        .map_err(|e| app::Error::internal(anyhow::anyhow!("blocking task failed: {e}")))?
        .map_err(|e| app::Error::internal(anyhow::anyhow!("hashing failed: {e}")))?;
    state
        .write(move |conn, ctx| app::passwords::set(conn, ctx, &token, &hash, Utc::now()))
        .await
}

/// The client's address, as the limits on failed sign-ins count it.
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
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
