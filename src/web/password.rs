//! Passwords from the pages: `/signin/forgot` asks for a reset link by mail (the answer is the
//! same whether or not the address has an account), and `/password/{token}` sets a password
//! with the link from an invitation or a reset mail. The same use cases as the API's
//! `/api/v1/auth/forgot` and `/reset`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::form::PostedForm;
use super::refusal::refusal;
use super::render::{page_for, refused};
use crate::app;
use crate::auth::password::MIN_LENGTH;
use crate::db::account_tokens::Purpose;
use crate::http::auth::{client_address, set_password};
use crate::http::{ApiError, AppState};
use crate::i18n::t;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/signin/forgot", web::get().to(forgot_page))
        .route("/signin/forgot", web::post().to(forgot))
        .route("/password/{token}", web::get().to(password_page))
        .route("/password/{token}", web::post().to(set));
}

fn render_forgot(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    email: &str,
    outcome: Result<bool, String>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let minutes = state.app.auth.reset_link_minutes.to_string();
    let (sent, message) = match outcome {
        Ok(sent) => (sent, None),
        Err(message) => (false, Some(message)),
    };
    let context = context! {
        intro => t(language.0, "page-forgot-intro", &[("minutes", minutes)]),
        email => email, sent => sent, message => message,
    };
    page_for(req, language, status, "forgot.html", context)
}

async fn forgot_page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    render_forgot(&req, language, &state, "", Ok(false), StatusCode::OK)
}

async fn forgot(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let (email, client) = (form.text("email"), client_address(&req));
    let asked = email.clone();
    let outcome = state
        .write(move |conn, ctx| app::passwords::forgot(conn, ctx, &asked, &client, Utc::now()))
        .await;
    match outcome {
        Ok(()) => render_forgot(&req, language, &state, "", Ok(true), StatusCode::OK),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            render_forgot(&req, language, &state, &email, Err(text), status)
        }
    }
}

/// The form for a link that works, or the page that says it does not.
async fn password_page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    let link = state
        .with_db(move |conn, ctx| app::passwords::check(conn, ctx, &token, Utc::now()))
        .await;
    match link {
        Ok(link) => render_form(&req, language, link.token.purpose, &link.user.email, None),
        Err(error) => refused(&req, language, error),
    }
}

fn render_form(
    req: &HttpRequest,
    language: PageLanguage,
    purpose: Purpose,
    email: &str,
    refusal: Option<(StatusCode, String)>,
) -> Result<HttpResponse, ApiError> {
    let (status, message) = match refusal {
        Some((status, text)) => (status, Some(text)),
        None => (StatusCode::OK, None),
    };
    let context = context! {
        heading => heading(purpose), email => email, min => MIN_LENGTH, message => message,
    };
    page_for(req, language, status, "password.html", context)
}

fn heading(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Invite => "page-password-invite",
        Purpose::Reset => "page-password-reset",
    }
}

/// Sets the password; two fields that differ, or a password too short, show the form again.
async fn set(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let token = token.into_inner();
    let checking = token.clone();
    let link = state
        .with_db(move |conn, ctx| app::passwords::check(conn, ctx, &checking, Utc::now()))
        .await;
    let link = match link {
        Ok(link) => link,
        Err(error) => return refused(&req, language, error),
    };
    let (password, repeat) = (form.text("password"), form.text("repeat"));
    let lang = language.0;
    let problem = if password.chars().count() < MIN_LENGTH {
        let min = MIN_LENGTH.to_string();
        Some(t(lang, "page-password-too-short", &[("min", min)]))
    } else if password != repeat {
        Some(t(lang, "page-password-mismatch", &[]))
    } else {
        None
    };
    let purpose = link.token.purpose;
    if let Some(text) = problem {
        let refusal = Some((StatusCode::UNPROCESSABLE_ENTITY, text));
        return render_form(&req, language, purpose, &link.user.email, refusal);
    }
    match set_password(&state, token, password).await {
        Ok(_) => {
            let context = context! { heading => heading(purpose), done => true };
            page_for(&req, language, StatusCode::OK, "password.html", context)
        }
        Err(error) => {
            let refusal = Some(refusal(lang, error)?);
            render_form(&req, language, purpose, &link.user.email, refusal)
        }
    }
}
