//! A posted HTML form: its fields (a name may repeat, as `seat=1&seat=2`) and its CSRF check.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

use super::PageLanguage;
use super::render::message;
use crate::http::{ApiError, csrf};
use crate::i18n::t;

pub struct PostedForm(Vec<(String, String)>);

impl PostedForm {
    pub fn parse(body: &[u8]) -> PostedForm {
        PostedForm(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or empty.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every (name without `prefix`, value) for names starting with `prefix`.
    pub fn prefixed<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v.as_str())))
    }

    /// The page refusing a form whose CSRF token does not match its cookie, or `None` if it
    /// matches.
    pub fn refuse_forged(
        &self,
        req: &HttpRequest,
        language: PageLanguage,
    ) -> Option<Result<HttpResponse, ApiError>> {
        if csrf::verify(req, self.get(csrf::FIELD)) {
            None
        } else {
            Some(message(
                req,
                language,
                StatusCode::FORBIDDEN,
                t(language.0, "page-form-expired", &[]),
            ))
        }
    }
}
