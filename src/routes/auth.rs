//! Signing in and out: `POST /api/v1/auth/login`, `/logout`, and `GET /api/v1/auth/me`; and a
//! forgotten password: `POST /api/v1/auth/forgot` mails a one-time link, `/reset` uses it.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app;
use crate::domain::{Invalid, Role, time::rfc3339_utc};
use crate::http::auth::{Staff, client_address, set_password, sign_in};
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login))
        .route("/auth/logout", web::post().to(logout))
        .route("/auth/me", web::get().to(me))
        .route("/auth/forgot", web::post().to(forgot))
        .route("/auth/reset", web::post().to(reset));
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "director@2act.example", max_length = 254)]
    email: String,
    #[schema(max_length = 1024)]
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
              (status = 401, description = "`invalid_credentials`: wrong e-mail or password", body = ErrorBody),
              (status = 429, description = "`too_many_attempts`", body = ErrorBody)))]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let session = sign_in(&state, email, password, client_address(&req)).await?;
    Ok(HttpResponse::Ok().json(LoginResponse {
        token: session.token,
        expires_at: rfc3339_utc(session.expires_at),
        role: session.role,
    }))
}

/// Signs out: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)))]
pub async fn logout(user: Staff, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let session_id = user.0.session_id;
    state
        .with_db(move |conn, _| app::auth::sign_out(conn, session_id, Utc::now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(user: Staff) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        email: user.0.email,
        role: user.0.role,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotRequest {
    #[schema(max_length = 254)]
    email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The token from the link in the mail (the last part of its path).
    #[schema(max_length = 100)]
    token: String,
    #[schema(min_length = 12, max_length = 1024)]
    password: String,
}

/// Mails a one-time link to set a new password (valid `auth.reset_link_minutes`, 60 by
/// default) if the address belongs to an active account. The answer is the same whether or not
/// it does; requests per address and per client are limited like sign-ins (429).
#[utoipa::path(post, path = "/api/v1/auth/forgot", tag = "auth", request_body = ForgotRequest,
    responses((status = 202, description = "If the address has an account, the link is on its way"),
              (status = 422, description = "`validation_failed`: `email` longer than 254 characters", body = ErrorBody),
              (status = 429, description = "`too_many_attempts`", body = ErrorBody)))]
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<ForgotRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.into_inner().email;
    let client = client_address(&req);
    state
        .write(move |conn, ctx| app::passwords::forgot(conn, ctx, &email, &client, Utc::now()))
        .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a password with the token of a link from an invitation or a reset mail. The link works
/// once; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/auth/reset", tag = "auth", request_body = ResetRequest,
    responses((status = 204, description = "The password is set; sign in with it"),
              (status = 410, description = "`link_expired`: unknown, used or expired", body = ErrorBody),
              (status = 422, description = "`validation_failed`: `password` (12 to 1024 characters) or `token` (at most 100)", body = ErrorBody)))]
pub async fn reset(
    state: web::Data<AppState>,
    body: ApiJson<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let ResetRequest { token, password } = body.into_inner();
    if token.chars().count() > 100 {
        Err(Invalid::new("token", "must have at most 100 characters"))?;
    }
    set_password(&state, token, password).await?;
    Ok(HttpResponse::NoContent().finish())
}
