//! A hall's seat plan: numbered rows of numbered seats, each in a price zone, placed for drawing.

use std::collections::HashSet;

use super::Invalid;
use super::invalid::number_in;

/// One seat as the director describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatSpec {
    pub row: i32,
    pub number: i32,
    pub zone: Zone,
    pub x: i32,
    pub y: i32,
    pub accessible: bool,
}

/// A price zone's name: short, lower-case letters, digits, `-` and `_` (`front`, `standard`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Zone(String);

impl Zone {
    pub fn parse(field: &str, raw: &str) -> Result<Zone, Invalid> {
        let zone = raw.trim();
        let valid = (1..=32).contains(&zone.len())
            && zone
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if valid {
            Ok(Zone(zone.to_owned()))
        } else {
            Err(Invalid::new(
                field,
                format!(
                    "`{raw}` is not a zone name: use 1 to 32 lower-case letters, digits, - or _"
                ),
            ))
        }
    }

    pub fn from_stored(zone: String) -> Zone {
        Zone(zone)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Zone {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// What the audience can do with a seat of one performance right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeatStatus {
    Available,
    /// Held by another buyer during checkout; free again when the hold ends unless booked.
    Held,
    Booked,
    Blocked,
}

impl SeatStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SeatStatus::Available => "available",
            SeatStatus::Held => "held",
            SeatStatus::Booked => "booked",
            SeatStatus::Blocked => "blocked",
        }
    }
}

/// The most seats a hall may have: a small theater has tens, a large one a few thousand.
pub const MAX_SEATS: usize = 5_000;

/// Raw seat input, as it arrives.
#[derive(Debug, Clone)]
pub struct SeatInput<'a> {
    pub row: i32,
    pub number: i32,
    pub zone: &'a str,
    pub x: i32,
    pub y: i32,
    pub accessible: bool,
}

/// Checks a whole plan: every seat valid, no seat twice.
pub fn parse_plan(seats: &[SeatInput<'_>]) -> Result<Vec<SeatSpec>, Invalid> {
    if seats.is_empty() {
        return Err(Invalid::new("seats", "a hall needs at least one seat"));
    }
    if seats.len() > MAX_SEATS {
        return Err(Invalid::new(
            "seats",
            format!("a hall may have at most {MAX_SEATS} seats"),
        ));
    }
    let mut seen = HashSet::with_capacity(seats.len());
    seats
        .iter()
        .enumerate()
        .map(|(i, seat)| {
            let field = |name: &str| format!("seats[{i}].{name}");
            let spec = SeatSpec {
                row: number_in(&field("row"), seat.row, 1..=999)?,
                number: number_in(&field("number"), seat.number, 1..=9_999)?,
                zone: Zone::parse(&field("zone"), seat.zone)?,
                x: number_in(&field("x"), seat.x, 0..=100_000)?,
                y: number_in(&field("y"), seat.y, 0..=100_000)?,
                accessible: seat.accessible,
            };
            if !seen.insert((spec.row, spec.number)) {
                return Err(Invalid::new(
                    format!("seats[{i}]"),
                    format!("row {} seat {} appears twice", spec.row, spec.number),
                ));
            }
            Ok(spec)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(row: i32, number: i32, zone: &str) -> SeatInput<'_> {
        SeatInput {
            row,
            number,
            zone,
            x: number * 10,
            y: row * 10,
            accessible: false,
        }
    }

    #[test]
    fn a_plain_plan_parses() {
        let plan = parse_plan(&[
            seat(1, 1, "front"),
            seat(1, 2, "front"),
            seat(3, 1, "standard"),
        ])
        .unwrap();
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[2].zone.as_str(), "standard");
    }

    #[test]
    fn a_seat_listed_twice_is_named() {
        let error = parse_plan(&[seat(1, 1, "front"), seat(1, 1, "front")]).unwrap_err();
        assert_eq!(error.field, "seats[1]");
    }

    #[test]
    fn bad_values_name_the_seat_and_field() {
        assert_eq!(
            parse_plan(&[seat(1, 1, "front"), seat(0, 1, "front")])
                .unwrap_err()
                .field,
            "seats[1].row"
        );
        assert_eq!(
            parse_plan(&[seat(1, 1, "Front Rows")]).unwrap_err().field,
            "seats[0].zone"
        );
        assert_eq!(parse_plan(&[]).unwrap_err().field, "seats");
    }
}
