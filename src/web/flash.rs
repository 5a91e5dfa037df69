//! What a form did, said on the page it leads to: a POST that worked answers 303 with the
//! sentence in a short-lived cookie, and the next page shows it once and removes the cookie.
//! The sentence is written by the server in the reader's language; the page escapes it like
//! any other text, so a hand-made cookie can only show its maker their own words.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use data_encoding::BASE64URL_NOPAD;

const COOKIE: &str = "kassa_flash";
/// Long enough for the redirect, short enough not to greet a later visit.
const LIFETIME_SECONDS: i64 = 120;
/// A sentence, not a document: anything longer is cut at a character boundary.
const MAX_CHARS: usize = 600;

/// `303 See Other` to `location`, saying `text` there.
pub fn see_other_saying(req: &HttpRequest, location: &str, text: &str) -> HttpResponse {
    let text: String = text.chars().take(MAX_CHARS).collect();
    let cookie = Cookie::build(COOKIE, BASE64URL_NOPAD.encode(text.as_bytes()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(req.connection_info().scheme() == "https")
        .max_age(Duration::seconds(LIFETIME_SECONDS))
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .cookie(cookie)
        .finish()
}

/// The sentence waiting for this request's page, if any (an unreadable cookie is none).
pub fn waiting(req: &HttpRequest) -> Option<String> {
    let cookie = req.cookie(COOKIE)?;
    let bytes = BASE64URL_NOPAD.decode(cookie.value().as_bytes()).ok()?;
    String::from_utf8(bytes)
        .ok()
        .filter(|text| !text.is_empty())
}

/// Removes the cookie once its sentence is on a page.
pub fn shown(response: &mut HttpResponse) {
    let _ = response.add_removal_cookie(&Cookie::build(COOKIE, "").path("/").finish());
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_sentence_goes_into_the_cookie_and_comes_back_the_same() {
        let said = see_other_saying(
            &TestRequest::default().to_http_request(),
            "/director",
            "Спектакль «Здесь.Алматы» добавлен",
        );
        assert_eq!(said.status(), actix_web::http::StatusCode::SEE_OTHER);
        let cookie = said.cookies().next().expect("the cookie");
        assert!(cookie.http_only().unwrap_or(false));
        let next = TestRequest::default()
            .cookie(cookie.into_owned())
            .to_http_request();
        assert_eq!(
            waiting(&next).as_deref(),
            Some("Спектакль «Здесь.Алматы» добавлен")
        );
    }

    #[test]
    fn a_cookie_that_is_not_ours_says_nothing() {
        let forged = TestRequest::default()
            .cookie(Cookie::new(COOKIE, "%%%not base64"))
            .to_http_request();
        assert_eq!(waiting(&forged), None);
    }
}
