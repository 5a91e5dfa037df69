//! Staff and the director on the pages: sign-in with a session cookie (HttpOnly, SameSite,
//! Secure over TLS) holding the same kind of token as the API's, and sign-out.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::form::PostedForm;
use super::render::page_for;
use crate::auth::token;
use crate::db::sessions::{self, Principal};
use crate::domain::Role;
use crate::error::ApiError;
use crate::i18n::t;
use crate::startup::AppState;

pub const COOKIE: &str = "kassa_session";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/signin", web::get().to(signin_page))
        .route("/signin", web::post().to(signin))
        .route("/signout", web::post().to(signout));
}

/// Who is signed in on this browser, if anyone.
pub async fn signed_in(req: &HttpRequest, state: &AppState) -> Result<Option<Principal>, ApiError> {
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    let token_hash = token::hash(cookie.value());
    let now = Utc::now();
    Ok(state
        .with_db(move |conn| Ok(sessions::find_principal(conn, &token_hash, now)?))
        .await?
        .map(|(principal, _)| principal))
}

/// Only paths on this site; none means each role's own start page.
fn safe_back(back: Option<&str>) -> String {
    back.filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_default()
        .to_owned()
}

/// Where a role starts after signing in: the director at the schedule, staff at the door.
fn start_page(role: Role) -> &'static str {
    match role {
        Role::Director => "/director",
        Role::Staff => "/door",
    }
}

#[derive(serde::Deserialize)]
struct BackQuery {
    back: Option<String>,
}

async fn signin_page(
    req: HttpRequest,
    language: PageLanguage,
    query: web::Query<BackQuery>,
) -> Result<HttpResponse, ApiError> {
    render(
        &req,
        language,
        &safe_back(query.back.as_deref()),
        "",
        None,
        StatusCode::OK,
    )
}

fn render(
    req: &HttpRequest,
    language: PageLanguage,
    back: &str,
    email: &str,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let context = context! { back => back, email => email, message => message };
    page_for(req, language, status, "signin.html", context)
}

async fn signin(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let back = safe_back(form.get("back"));
    let email = form.text("email");
    let client = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    match crate::routes::auth::sign_in(&state, &email, form.text("password"), client).await {
        Ok(session) => {
            let back = if back.is_empty() {
                start_page(session.role).to_owned()
            } else {
                back
            };
            let secure = req.connection_info().scheme() == "https";
            let lifetime = (session.expires_at - Utc::now()).num_seconds().max(0);
            let cookie = Cookie::build(COOKIE, session.token)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(Duration::seconds(lifetime))
                .finish();
            Ok(HttpResponse::SeeOther()
                .cookie(cookie)
                .insert_header((header::LOCATION, back))
                .finish())
        }
        Err(error) if error.code() == "invalid_credentials" => render(
            &req,
            language,
            &back,
            &email,
            Some(t(language.0, "page-signin-failed", &[])),
            StatusCode::UNAUTHORIZED,
        ),
        Err(error) if error.code() == "too_many_attempts" => render(
            &req,
            language,
            &back,
            &email,
            Some(t(language.0, "page-signin-too-many", &[])),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(error) => Err(error),
    }
}

async fn signout(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if let Some(refused) = PostedForm::parse(&body).refuse_forged(&req, language) {
        return refused;
    }
    if let Some(principal) = signed_in(&req, &state).await? {
        state
            .with_db(move |conn| Ok(sessions::revoke(conn, principal.session_id, Utc::now())?))
            .await?;
    }
    let mut gone = Cookie::build(COOKIE, "").path("/").finish();
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .cookie(gone)
        .insert_header((header::LOCATION, "/"))
        .finish())
}
