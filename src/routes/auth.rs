//! Signing in and out: `POST /api/v1/auth/login`, `/logout`, and `GET /api/v1/auth/me`.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app;
use crate::domain::{Role, time::rfc3339_utc};
use crate::http::auth::{Staff, client_address, sign_in};
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login))
        .route("/auth/logout", web::post().to(logout))
        .route("/auth/me", web::get().to(me));
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
