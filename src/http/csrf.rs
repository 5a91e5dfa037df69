//! CSRF protection for forms: a random token in an HttpOnly, SameSite cookie and the same token
//! in a hidden field of every form. A POST whose field does not match its cookie is refused.
//! A cross-site form can neither read the cookie nor (SameSite) send it.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};

use crate::auth::token;

pub const COOKIE: &str = "kassa_csrf";
pub const FIELD: &str = "csrf";

/// The visitor's CSRF token, and the cookie to set if it is new.
pub fn token_for(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = req
        .cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32)
    {
        return (existing, None);
    }
    let fresh = token::generate();
    let secure = req.connection_info().scheme() == "https";
    let cookie = Cookie::build(COOKIE, fresh.clone())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish();
    (fresh, Some(cookie))
}

/// Whether a posted form carries the token of its cookie (compared in constant time).
pub fn verify(req: &HttpRequest, submitted: Option<&str>) -> bool {
    let (Some(cookie), Some(submitted)) = (req.cookie(COOKIE), submitted) else {
        return false;
    };
    let expected = cookie.value().as_bytes();
    let submitted = submitted.as_bytes();
    expected.len() >= 32
        && expected.len() == submitted.len()
        && expected
            .iter()
            .zip(submitted)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
