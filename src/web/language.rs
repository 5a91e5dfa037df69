//! Which language a visitor reads: the one they chose (a cookie), else the first of ru, kk, en
//! their browser asks for, else Russian.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use crate::domain::booking::Language;

pub const COOKIE: &str = "kassa_lang";

/// The language of the page being rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLanguage(pub Language);

impl FromRequest for PageLanguage {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(PageLanguage(negotiate(req))))
    }
}

pub fn negotiate(req: &HttpRequest) -> Language {
    if let Some(chosen) = req.cookie(COOKIE).and_then(|c| c.value().parse().ok()) {
        return chosen;
    }
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(from_accept_language)
        .unwrap_or_default()
}

/// The first of our languages in an Accept-Language header, by quality.
fn from_accept_language(header: &str) -> Option<Language> {
    let mut wanted: Vec<(f32, Language)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next()?;
            primary
                .parse::<Language>()
                .ok()
                .map(|language| (quality, language))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
    wanted.first().map(|(_, language)| *language)
}

#[derive(serde::Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /lang/{code}?back=/path`: remembers the choice for a year and returns to the page.
pub async fn switch(code: web::Path<String>, back: web::Query<Back>) -> HttpResponse {
    // Only paths on this site: never an open redirect.
    let back = back
        .into_inner()
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".to_owned());
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, back));
    if let Ok(language) = code.parse::<Language>() {
        response.cookie(
            Cookie::build(COOKIE, language.as_str())
                .path("/")
                .max_age(Duration::days(365))
                .same_site(SameSite::Lax)
                .http_only(true)
                .finish(),
        );
    }
    response.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_of_our_languages_wins() {
        assert_eq!(
            from_accept_language("kk-KZ,kk;q=0.9,ru;q=0.8"),
            Some(Language::Kk)
        );
        assert_eq!(
            from_accept_language("de-DE,en;q=0.5,ru;q=0.7"),
            Some(Language::Ru)
        );
        assert_eq!(from_accept_language("en-US"), Some(Language::En));
        assert_eq!(from_accept_language("de, fr"), None);
    }
}
