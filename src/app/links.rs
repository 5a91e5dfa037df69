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

    /// The token of the hold offered to waiting-list entry `entry_id` (one offer per entry).
    /// Its hash is the hold's, so the checkout takes it like any other hold's token.
    pub fn offer_token(&self, entry_id: i32) -> String {
        token::manage_token(&self.secret, &format!("waitlist-offer:{entry_id}"))
    }

    /// The link in an offer's mail: the checkout of the seats held for the entry.
    pub fn offer_url(&self, entry_id: i32) -> String {
        format!(
            "{}/checkout/{}",
            self.public_url,
            self.offer_token(entry_id)
        )
    }

    fn leave_token(&self, entry_id: i32) -> String {
        token::manage_token(&self.secret, &format!("waitlist-leave:{entry_id}"))
    }

    /// The page that takes an entry off its waiting list, with its token.
    pub fn leave_path(&self, entry_id: i32) -> String {
        format!("/waitlist/{entry_id}?token={}", self.leave_token(entry_id))
    }

    pub fn leave_url(&self, entry_id: i32) -> String {
        format!("{}{}", self.public_url, self.leave_path(entry_id))
    }

    /// Whether `token` may take entry `entry_id` off its list (compared in constant time).
    pub fn opens_entry(&self, entry_id: i32, token: &str) -> bool {
        token::verify_manage_token(&self.secret, &format!("waitlist-leave:{entry_id}"), token)
    }

    /// The token of an account's link to set its password, made from the link's nonce.
    pub fn password_token(&self, nonce: &str) -> String {
        token::account_token(&self.secret, nonce)
    }

    /// The link in an invitation or a reset mail.
    pub fn password_url(&self, nonce: &str) -> String {
        format!(
            "{}/password/{}",
            self.public_url,
            self.password_token(nonce)
        )
    }
}
