//! Signing in and out: `POST /api/v1/auth/login`, `/logout`, and `GET /api/v1/auth/me`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use crate::auth::{Staff, password, token};
use crate::db::{self, sessions, users};
use crate::domain::{Email, Role, time::rfc3339_utc};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login))
        .route("/auth/logout", web::post().to(logout))
        .route("/auth/me", web::get().to(me));
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "director@2act.example")]
    email: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// RFC 3339, UTC.
    expires_at: String,
    role: Role,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    email: String,
    role: Role,
}

/// Signs in. A wrong e-mail and a wrong password get the same answer; repeated failures for
/// one address or from one client are refused for a while (429).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
              (status = 401, description = "Wrong e-mail or password", body = super::openapi::ErrorBody),
              (status = 429, description = "Too many failed attempts", body = super::openapi::ErrorBody)))]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let client = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let signed_in = sign_in(&state, &email, password, client).await?;
    Ok(HttpResponse::Ok().json(LoginResponse {
        token: signed_in.token,
        expires_at: rfc3339_utc(signed_in.expires_at),
        role: signed_in.role,
    }))
}

/// A new session.
pub(crate) struct SignedIn {
    pub token: String,
    pub expires_at: chrono::DateTime<Utc>,
    pub role: Role,
}

/// Checks an e-mail and password and opens a session (for the API and the sign-in page). A
/// wrong address and a wrong password fail alike (401 `invalid_credentials`); repeated failures
/// for one address or from one client are refused for a while (429 `too_many_attempts`).
pub(crate) async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    client: String,
) -> Result<SignedIn, ApiError> {
    let email_key = email.trim().to_lowercase();
    let limits = state.auth.clone();
    let now = Utc::now();
    let window_start = now - Duration::minutes(i64::from(limits.failed_login_window_minutes));

    let user = {
        let (email_key, client) = (email_key.clone(), client.clone());
        state
            .with_db(move |conn| {
                let (by_email, by_client) =
                    users::recent_failures(conn, &email_key, &client, window_start)?;
                if by_email >= i64::from(limits.max_failed_logins)
                    || by_client >= i64::from(limits.max_failed_logins_per_client)
                {
                    return Err(too_many_attempts(limits.failed_login_window_minutes));
                }
                match Email::parse("email", &email_key) {
                    Ok(email) => Ok(users::find_by_email(conn, &email)?),
                    Err(_) => Ok(None),
                }
            })
            .await?
    };
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let verified = web::block(move || password::verify(stored_hash.as_deref(), &password)).await?;

    let Some(user) = user.filter(|_| verified) else {
        state
            .with_db(move |conn| {
                Ok(users::record_failure(
                    conn,
                    &email_key,
                    &client,
                    now,
                    window_start,
                )?)
            })
            .await?;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong e-mail or password",
        ));
    };
    let token = token::generate();
    let token_hash = token::hash(&token);
    let expires_at = now + Duration::hours(i64::from(state.auth.token_ttl_hours));
    let (user_id, role) = (user.id, user.role());
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                users::clear_failures(conn, &email_key)?;
                sessions::create(conn, user_id, &token_hash, now, expires_at)
            })?;
            Ok(())
        })
        .await?;
    tracing::info!(user_id, "signed in");
    Ok(SignedIn {
        token,
        expires_at,
        role,
    })
}

fn too_many_attempts(window_minutes: u32) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many failed sign-ins; try again in {window_minutes} minutes"),
    )
    .retry_after(u64::from(window_minutes) * 60)
}

/// Signs out: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = super::openapi::ErrorBody)))]
pub async fn logout(user: Staff, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let session_id = user.0.session_id;
    state
        .with_db(move |conn| Ok(sessions::revoke(conn, session_id, Utc::now())?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = super::openapi::ErrorBody)))]
pub async fn me(user: Staff) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        email: user.0.email,
        role: user.0.role,
    })
}
