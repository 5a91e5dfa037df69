//! Booking management links: `{public_url}/bookings/{reference}?token={token}`, where the token
//! is an HMAC of the reference under the installation's secret. Nothing secret is stored per
//! booking, and a link cannot be made without the secret.

use crate::auth::token;
use crate::domain::booking::Reference;

#[derive(Clone)]
pub struct Links {
    secret: String,
    public_url: String,
}

impl Links {
    pub fn new(secret: String, public_url: &str) -> Links {
        Links {
            secret,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Where the audience reaches kassa, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn manage_token(&self, reference: &str) -> String {
        token::manage_token(&self.secret, reference)
    }

    /// The booking page's path with its token, for a redirect within kassa.
    pub fn manage_path(&self, reference: &str) -> String {
        format!(
            "/bookings/{reference}?token={}",
            self.manage_token(reference)
        )
    }

    /// The link in the mail and in the API's answers.
    pub fn manage_url(&self, reference: &str) -> String {
        format!("{}{}", self.public_url, self.manage_path(reference))
    }

    /// Whether `token` opens the booking `reference`. A wrong token and an unknown reference
    /// look the same to the caller.
    pub fn opens(&self, reference: &Reference, token: &str) -> bool {
        token::verify_manage_token(&self.secret, reference.as_str(), token)
    }
}
