//! The web pages kassa serves itself: rendered on the server from auto-escaping templates, in
//! the visitor's language, with strict security headers. Templates and static files are compiled
//! into the binary. Pages call the same use cases as the JSON API, and say their refusals through
//! [`refusal`].

mod booking;
mod checkout;
mod director;
mod door;
mod event_data;
mod exchange;
mod flash;
mod form;
mod hall;
mod home;
pub mod language;
mod money;
mod password;
mod performance;
mod posters;
mod refusal;
mod render;
mod staff;
mod tickets;
mod waitlist;

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, web};

pub use language::PageLanguage;

/// Pages and their assets. Register after the API: the pages' scope matches every other path.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/kassa.css", web::get().to(stylesheet))
        .route("/static/favicon.svg", web::get().to(favicon))
        // Browsers ask for /favicon.ico whatever the page says; both are the same picture.
        .route("/favicon.ico", web::get().to(favicon))
        .route("/static/seat-map.js", web::get().to(seat_map_script))
        .route("/static/countdown.js", web::get().to(countdown_script))
        .route("/static/checkout.js", web::get().to(checkout_script))
        .route("/static/confirm.js", web::get().to(confirm_script))
        .route("/static/share.js", web::get().to(share_script))
        .route("/static/door.js", web::get().to(door_script))
        .route("/door/sw.js", web::get().to(door_service_worker))
        .route("/static/vendor/jsQR.js", web::get().to(qr_reader_script))
        .configure(posters::routes)
        .service(
            web::scope("")
                .wrap(ErrorHandlers::new().default_handler(error_page))
                .wrap(security_headers())
                .route("/", web::get().to(home::home))
                .configure(home::routes)
                .route(
                    "/performances/{id}",
                    web::get().to(performance::performance),
                )
                .route("/lang/{code}", web::get().to(language::switch))
                .configure(checkout::routes)
                .configure(booking::routes)
                .configure(exchange::routes)
                .configure(waitlist::routes)
                .configure(staff::routes)
                .configure(password::routes)
                .configure(director::routes)
                .configure(door::routes)
                .default_service(web::to(not_found)),
        );
}

/// A fault under a page (the database gone, a row that does not read back) is told as a page in
/// the visitor's language, never as the API's JSON error: the status stays, and so does
/// `Retry-After`.
fn error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let key = match status {
        StatusCode::SERVICE_UNAVAILABLE => "page-busy",
        StatusCode::NOT_FOUND => "page-not-found",
        _ => "page-error",
    };
    let (req, original) = res.into_parts();
    let language = PageLanguage(language::negotiate(&req));
    let text = crate::i18n::t(language.0, key, &[]);
    let mut page = render::message(&req, language, status, text)
        .unwrap_or_else(|e| actix_web::ResponseError::error_response(&e));
    if let Some(retry) = original.headers().get(header::RETRY_AFTER) {
        page.headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, page).map_into_right_body(),
    ))
}

/// What every page sends: scripts, styles and images from kassa itself only (and QR codes as
/// data: images), no framing, no sniffing, no referrer to other sites.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add(("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)"))
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/kassa.css"))
}

async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(include_str!("../../static/favicon.svg"))
}

async fn seat_map_script() -> HttpResponse {
    script(include_str!("../../static/seat-map.js"))
}

async fn confirm_script() -> HttpResponse {
    script(include_str!("../../static/confirm.js"))
}

async fn share_script() -> HttpResponse {
    script(include_str!("../../static/share.js"))
}

async fn door_script() -> HttpResponse {
    script(include_str!("../../static/door.js"))
}

/// The door's service worker: under /door/ so that it may control the door pages. Not cached
/// by the browser's HTTP cache, so that a new version is found at once.
async fn door_service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(include_str!("../../static/door-sw.js"))
}

/// The QR reader for browsers without BarcodeDetector (jsQR, vendored: see its header).
async fn qr_reader_script() -> HttpResponse {
    script(include_str!("../../static/vendor/jsQR.js"))
}

async fn countdown_script() -> HttpResponse {
    script(include_str!("../../static/countdown.js"))
}

async fn checkout_script() -> HttpResponse {
    script(include_str!("../../static/checkout.js"))
}

fn script(source: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(source)
}

/// After a form: go to `location` (303, so a reload does not post again).
fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

/// Any other path: a page that says so, in the visitor's language.
async fn not_found(
    req: actix_web::HttpRequest,
    language: PageLanguage,
) -> Result<HttpResponse, crate::http::ApiError> {
    render::not_found(&req, language)
}
