//! Secrets: password hashing, and the random tokens whose hashes are stored in their place.

pub mod password;
pub mod token;
