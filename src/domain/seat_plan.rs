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
    /// For a companion seat: the (row, number) of the wheelchair space it goes with.
    pub companion_of: Option<(i32, i32)>,
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
    pub companion_of: Option<(i32, i32)>,
}

/// Checks a whole plan: every seat valid, no seat twice, and each companion seat naming a
/// wheelchair space of the plan that no other seat names.
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
    let specs = seats
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
                companion_of: seat.companion_of,
            };
            if !seen.insert((spec.row, spec.number)) {
                return Err(Invalid::new(
                    format!("seats[{i}]"),
                    format!("row {} seat {} appears twice", spec.row, spec.number),
                ));
            }
            Ok(spec)
        })
        .collect::<Result<Vec<_>, Invalid>>()?;
    check_companions(&specs)?;
    Ok(specs)
}

/// A companion seat goes with a wheelchair space of the same plan, is not one itself, and is
/// the only companion of that space.
fn check_companions(specs: &[SeatSpec]) -> Result<(), Invalid> {
    let spaces: HashSet<(i32, i32)> = specs
        .iter()
        .filter(|seat| seat.accessible)
        .map(|seat| (seat.row, seat.number))
        .collect();
    let mut taken = HashSet::new();
    for (i, seat) in specs.iter().enumerate() {
        let Some((row, number)) = seat.companion_of else {
            continue;
        };
        let field = format!("seats[{i}].companion_of");
        let problem = if seat.accessible {
            Some("a wheelchair space cannot be a companion seat".to_owned())
        } else if !spaces.contains(&(row, number)) {
            Some(format!(
                "row {row} seat {number} is not a wheelchair space of this plan"
            ))
        } else if !taken.insert((row, number)) {
            Some(format!(
                "row {row} seat {number} already has a companion seat"
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Invalid::new(field, problem));
        }
    }
    Ok(())
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
            companion_of: None,
        }
    }

    #[test]
    fn a_companion_seat_goes_with_one_wheelchair_space_of_the_plan() {
        let space = SeatInput {
            accessible: true,
            ..seat(6, 1, "standard")
        };
        let companion = SeatInput {
            companion_of: Some((6, 1)),
            ..seat(6, 3, "standard")
        };
        let plan = parse_plan(&[space.clone(), companion.clone()]).unwrap();
        assert_eq!(plan[1].companion_of, Some((6, 1)));

        let second = SeatInput {
            companion_of: Some((6, 1)),
            ..seat(6, 4, "standard")
        };
        let error = parse_plan(&[space.clone(), companion.clone(), second]).unwrap_err();
        assert_eq!(
            error.field, "seats[2].companion_of",
            "one companion per space"
        );
        let not_a_space = SeatInput {
            companion_of: Some((6, 3)),
            ..seat(6, 4, "standard")
        };
        let error = parse_plan(&[space, companion, not_a_space]).unwrap_err();
        assert_eq!(error.field, "seats[2].companion_of");
        let missing = SeatInput {
            companion_of: Some((9, 9)),
            ..seat(6, 4, "standard")
        };
        assert!(parse_plan(&[missing]).is_err(), "a seat not in the plan");
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
