//! Bookings and tickets: who booked, in which language, and the codes that identify them.

use std::fmt;

use data_encoding::BASE32_NOPAD;
use rand::RngExt;

use super::Invalid;
use super::invalid::required_text;
use super::stored::stored_enum;

/// A booking reference: 8 characters from an alphabet without look-alikes (no 0/O, no 1/I),
/// easy to read aloud at the door: `K7PQX3MV`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

const REFERENCE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const REFERENCE_LENGTH: usize = 8;

impl Reference {
    pub fn generate() -> Reference {
        let mut rng = rand::rng();
        Reference(
            (0..REFERENCE_LENGTH)
                .map(|_| {
                    char::from(REFERENCE_ALPHABET[rng.random_range(0..REFERENCE_ALPHABET.len())])
                })
                .collect(),
        )
    }

    /// Reads a reference as a person may type it: any case, with spaces or dashes.
    pub fn parse(raw: &str) -> Option<Reference> {
        let reference: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = reference.len() == REFERENCE_LENGTH
            && reference.bytes().all(|b| REFERENCE_ALPHABET.contains(&b));
        valid.then_some(Reference(reference))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ticket's code, carried by its QR code: 128 random bits as 26 base-32 characters
/// (upper-case letters and digits, which QR encodes compactly).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TicketCode(String);

impl TicketCode {
    pub fn generate() -> TicketCode {
        let bytes: [u8; 16] = rand::rng().random();
        TicketCode(BASE32_NOPAD.encode(&bytes))
    }

    /// Reads a scanned or typed code; anything not of the code's form is no code of ours.
    pub fn parse(raw: &str) -> Option<TicketCode> {
        let code = raw.trim().to_ascii_uppercase();
        let valid = code.len() == 26
            && BASE32_NOPAD
                .decode(code.as_bytes())
                .is_ok_and(|b| b.len() == 16);
        valid.then_some(TicketCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

stored_enum! {
    /// The languages the audience reads.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
        utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Language as "language" {
        #[default]
        Ru = "ru",
        Kk = "kk",
        En = "en",
    }
}

stored_enum! {
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum BookingStatus as "booking status" {
        Confirmed = "confirmed",
        Cancelled = "cancelled",
    }
}

stored_enum! {
    /// A ticket admits its holder while valid; cancelling its booking voids it.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum TicketStatus as "ticket status" {
        Valid = "valid",
        Void = "void",
    }
}

stored_enum! {
    /// Which way a ticket's holder passes the door: in, or out for the interval.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Direction as "direction" {
        In = "in",
        Out = "out",
    }
}

/// The buyer's name as given.
pub fn buyer_name(raw: &str) -> Result<String, Invalid> {
    required_text("name", raw, 100)
}

/// A phone number: digits with the usual punctuation, 5 to 20 digits.
pub fn phone(raw: &str) -> Result<String, Invalid> {
    let phone = raw.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if allowed && (5..=20).contains(&digits) {
        Ok(phone.to_owned())
    } else {
        Err(Invalid::new(
            "phone",
            "is not a phone number such as +7 701 234 56 78",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_avoid_look_alike_characters_and_read_back() {
        for _ in 0..200 {
            let reference = Reference::generate();
            assert_eq!(reference.as_str().len(), 8);
            assert!(
                !reference.as_str().contains(['0', 'O', '1', 'I']),
                "{reference}"
            );
            assert_eq!(
                Reference::parse(&reference.as_str().to_lowercase()),
                Some(reference.clone())
            );
        }
        assert_eq!(Reference::parse("k7pq-x3mv").unwrap().as_str(), "K7PQX3MV");
        assert!(Reference::parse("K7PQX3M0").is_none());
        assert!(Reference::parse("K7PQ").is_none());
    }

    #[test]
    fn ticket_codes_carry_128_bits_and_reject_tampering() {
        let code = TicketCode::generate();
        assert_eq!(code.as_str().len(), 26);
        assert_ne!(code, TicketCode::generate());
        assert_eq!(
            TicketCode::parse(&code.as_str().to_lowercase()),
            Some(code.clone())
        );
        assert!(TicketCode::parse("not a code").is_none());
        assert!(TicketCode::parse(&code.as_str()[..25]).is_none());
    }

    #[test]
    fn phones_and_names_are_checked() {
        assert!(phone("+7 (701) 234-56-78").is_ok());
        assert!(phone("call me").is_err());
        assert!(buyer_name("  ").is_err());
    }
}
