//! Secret tokens: 256 random bits for the client, a SHA-256 hash for the database.

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use rand::RngExt;
use sha2::{Digest, Sha256};

/// A fresh token, URL-safe: 43 characters carrying 256 bits from the OS's generator.
pub fn generate() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    BASE64URL_NOPAD.encode(&bytes)
}

/// What is stored in place of the token.
pub fn hash(token: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(token.as_bytes()))
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
}
