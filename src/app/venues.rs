//! Halls and their seat plans. A seat plan is written as JSON both in the API and on the
//! director's import page (a hall, or its seats alone), so its input types read JSON.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::Error;
use crate::db::DbConnection;
use crate::db::venues::{self, SeatRow, VenueRow};
use crate::db::zone_names;
use crate::domain::invalid::required_text;
use crate::domain::seat_plan::{SeatInput, SeatSpec, Zone, parse_plan};
use crate::domain::zone_names::{ZoneName, ZoneNames};
use crate::domain::{Invalid, VenueZone};

/// A hall as the director describes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVenue {
    #[schema(example = "2act studio", max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 500, pattern = r"\S")]
    pub address: String,
    /// An IANA time zone.
    #[schema(example = "Asia/Almaty")]
    pub timezone: String,
    /// Each (row, number) once.
    #[schema(min_items = 1, max_items = 5000)]
    pub seats: Vec<NewSeat>,
    /// What people call the plan's zones, by zone key: `{"front": {"ru": "Партер", "kk":
    /// "Партер", "en": "Stalls"}}`. A zone without a name reads as its key.
    #[serde(default)]
    pub zone_names: BTreeMap<String, ZoneName>,
}

/// One seat of a plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeat {
    #[schema(minimum = 1, maximum = 999)]
    pub row: i32,
    #[schema(minimum = 1, maximum = 9999)]
    pub number: i32,
    /// 1 to 32 lower-case letters, digits, `-` or `_`.
    #[schema(example = "front", pattern = r"^\s*[a-z0-9_-]{1,32}\s*$")]
    pub zone: String,
    /// Where the seat is drawn.
    #[schema(minimum = 0, maximum = 100000)]
    pub x: i32,
    #[schema(minimum = 0, maximum = 100000)]
    pub y: i32,
    /// A wheelchair space.
    #[serde(default)]
    pub accessible: bool,
    /// For a companion seat: the wheelchair space of this plan it goes with.
    #[serde(default)]
    pub companion_of: Option<SeatRef>,
}

/// A seat of the same plan, by row and number.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatRef {
    #[schema(minimum = 1, maximum = 999)]
    pub row: i32,
    #[schema(minimum = 1, maximum = 9999)]
    pub number: i32,
}

/// A hall checked and ready to store.
#[derive(Debug, Clone)]
pub struct CheckedVenue {
    pub name: String,
    pub address: String,
    pub timezone: VenueZone,
    pub seats: Vec<SeatSpec>,
    pub zone_names: ZoneNames,
}

impl NewVenue {
    /// Checks every field and the whole seat plan.
    pub fn check(&self) -> Result<CheckedVenue, Invalid> {
        let seat_inputs: Vec<SeatInput<'_>> = self
            .seats
            .iter()
            .map(|s| SeatInput {
                row: s.row,
                number: s.number,
                zone: &s.zone,
                x: s.x,
                y: s.y,
                accessible: s.accessible,
                companion_of: s.companion_of.map(|space| (space.row, space.number)),
            })
            .collect();
        let seats = parse_plan(&seat_inputs)?;
        let zones: BTreeSet<Zone> = seats.iter().map(|seat| seat.zone.clone()).collect();
        Ok(CheckedVenue {
            name: required_text("name", &self.name, 200)?,
            address: required_text("address", &self.address, 500)?,
            timezone: VenueZone::parse("timezone", &self.timezone)?,
            zone_names: ZoneNames::parse(&self.zone_names, &zones)?,
            seats,
        })
    }
}

/// A hall with its seat plan.
#[derive(Debug, Clone)]
pub struct Hall {
    pub venue: VenueRow,
    pub seats: Vec<SeatRow>,
    pub zone_names: ZoneNames,
}

/// Stores a checked hall with its seat plan. Call inside a write transaction.
pub fn create(
    conn: &mut DbConnection,
    venue: &CheckedVenue,
    now: DateTime<Utc>,
) -> Result<Hall, Error> {
    let new = venues::NewVenue {
        name: &venue.name,
        address: &venue.address,
        timezone: venue.timezone,
        seats: &venue.seats,
    };
    let id = venues::insert(conn, &new, now)?;
    zone_names::replace(conn, id, &venue.zone_names)?;
    one(conn, id)
}

/// Names a hall's zones anew (every zone at once: one left out loses its names). Call inside
/// a write transaction.
pub fn name_zones(
    conn: &mut DbConnection,
    id: i32,
    given: &BTreeMap<String, ZoneName>,
) -> Result<Hall, Error> {
    venues::find(conn, id)?.ok_or(Error::NotFound("venue"))?;
    let names = ZoneNames::parse(given, &venues::zones(conn, id)?)?;
    zone_names::replace(conn, id, &names)?;
    one(conn, id)
}

pub fn one(conn: &mut DbConnection, id: i32) -> Result<Hall, Error> {
    let venue = venues::find(conn, id)?.ok_or(Error::NotFound("venue"))?;
    let seats = venues::seats(conn, id)?;
    let zone_names = zone_names::of_venue(conn, id)?;
    Ok(Hall {
        venue,
        seats,
        zone_names,
    })
}

/// Every hall with its seat plan.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Hall>, Error> {
    venues::list(conn)?
        .into_iter()
        .map(|venue| {
            let seats = venues::seats(conn, venue.id)?;
            let zone_names = zone_names::of_venue(conn, venue.id)?;
            Ok(Hall {
                venue,
                seats,
                zone_names,
            })
        })
        .collect()
}

/// The zone the theater's own dates are read in (a month on the calendar, a report's range):
/// its first hall's, or Almaty's before any hall exists.
pub fn house_zone(conn: &mut DbConnection) -> Result<VenueZone, Error> {
    Ok(venues::list(conn)?
        .first()
        .map(|v| v.zone())
        .unwrap_or_else(|| VenueZone::from_stored("Asia/Almaty")))
}
