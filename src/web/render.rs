//! Page rendering: minijinja with auto-escaping, and `t("key", name=value)` in templates reading
//! the page's language from the catalogs.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, State, Value};

use crate::app;
use crate::domain::booking::Language;
use crate::http::ApiError;
use crate::i18n;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "layout.html",
        include_str!("../../templates/pages/layout.html"),
    ),
    ("home.html", include_str!("../../templates/pages/home.html")),
    (
        "director_mail.html",
        include_str!("../../templates/pages/director_mail.html"),
    ),
    (
        "director_staff.html",
        include_str!("../../templates/pages/director_staff.html"),
    ),
    (
        "password.html",
        include_str!("../../templates/pages/password.html"),
    ),
    (
        "forgot.html",
        include_str!("../../templates/pages/forgot.html"),
    ),
    ("hall.html", include_str!("../../templates/pages/hall.html")),
    (
        "production.html",
        include_str!("../../templates/pages/production.html"),
    ),
    (
        "preview_meta.html",
        include_str!("../../templates/pages/preview_meta.html"),
    ),
    (
        "dates.html",
        include_str!("../../templates/pages/dates.html"),
    ),
    (
        "seat_summary.html",
        include_str!("../../templates/pages/seat_summary.html"),
    ),
    (
        "performance.html",
        include_str!("../../templates/pages/performance.html"),
    ),
    (
        "checkout.html",
        include_str!("../../templates/pages/checkout.html"),
    ),
    (
        "booking.html",
        include_str!("../../templates/pages/booking.html"),
    ),
    (
        "exchange.html",
        include_str!("../../templates/pages/exchange.html"),
    ),
    (
        "waitlist.html",
        include_str!("../../templates/pages/waitlist.html"),
    ),
    (
        "message.html",
        include_str!("../../templates/pages/message.html"),
    ),
    (
        "signin.html",
        include_str!("../../templates/pages/signin.html"),
    ),
    (
        "director.html",
        include_str!("../../templates/pages/director.html"),
    ),
    (
        "director_performance.html",
        include_str!("../../templates/pages/director_performance.html"),
    ),
    (
        "director_nav.html",
        include_str!("../../templates/pages/director_nav.html"),
    ),
    (
        "director_calendar.html",
        include_str!("../../templates/pages/director_calendar.html"),
    ),
    (
        "director_productions.html",
        include_str!("../../templates/pages/director_productions.html"),
    ),
    (
        "director_production.html",
        include_str!("../../templates/pages/director_production.html"),
    ),
    (
        "production_form.html",
        include_str!("../../templates/pages/production_form.html"),
    ),
    (
        "director_venues.html",
        include_str!("../../templates/pages/director_venues.html"),
    ),
    (
        "director_venue.html",
        include_str!("../../templates/pages/director_venue.html"),
    ),
    (
        "door_choose.html",
        include_str!("../../templates/pages/door_choose.html"),
    ),
    ("door.html", include_str!("../../templates/pages/door.html")),
    (
        "door_sell.html",
        include_str!("../../templates/pages/door_sell.html"),
    ),
    (
        "door_sold.html",
        include_str!("../../templates/pages/door_sold.html"),
    ),
    (
        "door_cashup.html",
        include_str!("../../templates/pages/door_cashup.html"),
    ),
    (
        "money.html",
        include_str!("../../templates/pages/money.html"),
    ),
    (
        "director_audit.html",
        include_str!("../../templates/pages/director_audit.html"),
    ),
    (
        "director_reports.html",
        include_str!("../../templates/pages/director_reports.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("the page templates parse");
        }
        env.add_function("t", translate);
        env
    })
}

/// `t("key", count=3)`: the message in the page's language (the `lang` variable).
fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let language = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(|s| s.parse::<Language>().ok()))
        .unwrap_or_default();
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        args.push((name, value.to_string()));
    }
    Ok(i18n::t(language, key, &args))
}

/// Renders a page; `context` must carry `lang`.
pub fn page(template: &str, context: Value) -> Result<HttpResponse, ApiError> {
    page_with(StatusCode::OK, template, context, None)
}

/// Renders a page with a status, setting a cookie if given (a new CSRF token).
pub fn page_with(
    status: StatusCode,
    template: &str,
    context: Value,
    cookie: Option<Cookie<'static>>,
) -> Result<HttpResponse, ApiError> {
    let html = environment()
        .get_template(template)
        .and_then(|t| t.render(context))
        .map_err(|e| ApiError::internal(anyhow::anyhow!("rendering {template}: {e:#}")))?;
    let mut response = HttpResponse::build(status);
    if let Some(cookie) = cookie {
        response.cookie(cookie);
    }
    Ok(response.content_type("text/html; charset=utf-8").body(html))
}

/// Renders a page for a request: in its language, knowing its path (for the language switch),
/// with a CSRF token for its forms (and the token's cookie if the visitor has none yet).
pub fn page_for(
    req: &actix_web::HttpRequest,
    language: super::PageLanguage,
    status: StatusCode,
    template: &str,
    context: Value,
) -> Result<HttpResponse, ApiError> {
    let (csrf, cookie) = crate::http::csrf::token_for(req);
    // A form's answer may name the page it stands for (a refused POST: the page with its query).
    let here = context
        .get_attr("here")
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map_or_else(|| here(req), |v| v.to_string());
    let flash = super::flash::waiting(req);
    let said = flash.is_some();
    let context = minijinja::context! {
        lang => language.0.as_str(), path => req.path(), here => here, csrf => csrf, flash => flash,
        ..context
    };
    let mut response = page_with(status, template, context, cookie)?;
    if said {
        super::flash::shown(&mut response);
    }
    Ok(response)
}

/// Where the language switch returns to: this page with its query, which may carry what opens
/// it (a booking's manage token, a report's month).
fn here(req: &actix_web::HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned())
}

/// A page that says one thing, e.g. that a form expired.
pub fn message(
    req: &actix_web::HttpRequest,
    language: super::PageLanguage,
    status: StatusCode,
    text: String,
) -> Result<HttpResponse, ApiError> {
    page_with(
        status,
        "message.html",
        minijinja::context! { lang => language.0.as_str(), path => req.path(), here => here(req), message => text },
        None,
    )
}

/// The page saying why a use case refused, in the reader's language; a fault of ours stays an
/// error.
pub fn refused(
    req: &actix_web::HttpRequest,
    language: super::PageLanguage,
    error: app::Error,
) -> Result<HttpResponse, ApiError> {
    let (status, text) = super::refusal::refusal(language.0, error)?;
    message(req, language, status, text)
}

/// The page for a path that names nothing.
pub fn not_found(
    req: &actix_web::HttpRequest,
    language: super::PageLanguage,
) -> Result<HttpResponse, ApiError> {
    message(
        req,
        language,
        StatusCode::NOT_FOUND,
        i18n::t(language.0, "page-not-found", &[]),
    )
}
