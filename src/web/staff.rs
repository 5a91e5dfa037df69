//! Staff and the director on the pages: sign-in with a session cookie (HttpOnly, SameSite,
//! Secure over TLS) holding the same kind of token as the API's, and sign-out.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::form::PostedForm;
use super::refusal::refusal;
use super::render::page_for;
use crate::app;
use crate::domain::Role;
use crate::http::auth::{COOKIE, client_address, sign_in, signed_in};
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/signin", web::get().to(signin_page))
        .route("/signin", web::post().to(signin))
        .route("/signout", web::post().to(signout));
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
    let signing_in = sign_in(
        &state,
        email.clone(),
        form.text("password"),
        client_address(&req),
    );
    match signing_in.await {
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
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            render(&req, language, &back, &email, Some(text), status)
        }
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
        let session_id = principal.session_id;
        state
            .with_db(move |conn, _| app::auth::sign_out(conn, session_id, Utc::now()))
            .await?;
    }
    let mut gone = Cookie::build(COOKIE, "").path("/").finish();
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .cookie(gone)
        .insert_header((header::LOCATION, "/"))
        .finish())
}
