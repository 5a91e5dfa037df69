//! Secret tokens: 256 random bits for the client, a SHA-256 hash for the database.

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use hmac::{KeyInit, Mac};
use rand::RngExt;
use sha2::{Digest, Sha256};

type HmacSha256 = hmac::Hmac<Sha256>;

/// A fresh token, URL-safe: 43 characters carrying 256 bits from the OS's generator.
pub fn generate() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    BASE64URL_NOPAD.encode(&bytes)
}

/// What is stored in place of the token.
pub fn hash(token: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(token.as_bytes()))
}

/// The token of a booking's manage link: an HMAC of its reference under the installation's
/// secret, so it needs no storage and cannot be made without the secret.
pub fn manage_token(secret: &str, reference: &str) -> String {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"kassa manage link\0");
    mac.update(reference.as_bytes());
    BASE64URL_NOPAD.encode(&mac.finalize().into_bytes()[..24])
}

/// Whether `token` is the manage token of `reference`, compared in constant time.
pub fn verify_manage_token(secret: &str, reference: &str, token: &str) -> bool {
    same(&manage_token(secret, reference), token)
}

/// The token of a link to set an account's password: an HMAC of the link's random nonce under
/// the installation's secret. The database keeps the nonce and the token's hash; neither makes
/// a working link without the secret.
pub fn account_token(secret: &str, nonce: &str) -> String {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"kassa account link\0");
    mac.update(nonce.as_bytes());
    BASE64URL_NOPAD.encode(&mac.finalize().into_bytes())
}

/// Whether two secrets are equal, in time that depends on their length only.
pub fn same(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_hashed_stably() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn manage_tokens_are_bound_to_the_reference_and_the_secret() {
        let token = manage_token("secret one", "K7PQX3MV");
        assert_eq!(token.len(), 32);
        assert!(verify_manage_token("secret one", "K7PQX3MV", &token));
        assert!(!verify_manage_token("secret one", "K7PQX3MW", &token));
        assert!(!verify_manage_token("secret two", "K7PQX3MV", &token));
        assert!(!verify_manage_token("secret one", "K7PQX3MV", &token[..31]));
    }

    #[test]
    fn account_tokens_need_the_secret_and_differ_from_manage_tokens() {
        let nonce = generate();
        let token = account_token("secret one", &nonce);
        assert_eq!(token.len(), 43);
        assert_eq!(token, account_token("secret one", &nonce));
        assert_ne!(token, account_token("secret two", &nonce));
        assert_ne!(token, account_token("secret one", &generate()));
        assert_ne!(token[..32], manage_token("secret one", &nonce));
        assert!(same(&token, &token.clone()));
        assert!(!same(&token, &token[..42]));
    }
}
