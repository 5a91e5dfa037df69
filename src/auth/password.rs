//! Password hashing with argon2id.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::domain::Invalid;

/// Passwords shorter than this are refused: a door phone can type 12 characters.
pub const MIN_LENGTH: usize = 12;

/// Checks a new password for length.
pub fn acceptable(password: &str) -> Result<&str, Invalid> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Invalid::new(
            "password",
            format!("must have at least {MIN_LENGTH} characters"),
        ));
    }
    if length > 1024 {
        return Err(Invalid::new(
            "password",
            "must have at most 1024 characters",
        ));
    }
    Ok(password)
}

/// An argon2id hash in PHC string form, with a fresh random salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
}

/// Whether `password` matches `stored`. With no stored hash (an unknown e-mail), a dummy hash is
/// checked instead, so a wrong address takes as long as a wrong password.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("an unguessable dummy password").unwrap_or_default());
    let Ok(parsed) = PasswordHash::new(stored.unwrap_or(dummy)) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(Some(&stored), "correct horse battery"));
        assert!(!verify(Some(&stored), "correct horse battery!"));
        assert!(!verify(None, "correct horse battery"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(acceptable("short").is_err());
        assert!(acceptable("long enough password").is_ok());
    }
}
