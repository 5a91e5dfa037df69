//! Halls and their seat plans. A seat plan is written as JSON both in the API and on the
//! director's import page (a hall, or its seats alone), so its input types read JSON.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::Error;
use crate::db::DbConnection;
use crate::db::venues::{self, SeatRow, VenueRow};
use crate::domain::invalid::required_text;
use crate::domain::seat_plan::{SeatInput, SeatSpec, parse_plan};
use crate::domain::{Invalid, VenueZone};

/// A hall as the director describes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVenue {
    #[schema(example = "2act studio", max_length = 200)]
    pub name: String,
    #[schema(max_length = 500)]
    pub address: String,
    #[schema(example = "Asia/Almaty")]
    pub timezone: String,
    pub seats: Vec<NewSeat>,
}

/// One seat of a plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeat {
    pub row: i32,
    pub number: i32,
    #[schema(example = "front")]
    pub zone: String,
    pub x: i32,
    pub y: i32,
    /// A wheelchair space.
    #[serde(default)]
    pub accessible: bool,
}

/// A hall checked and ready to store.
#[derive(Debug, Clone)]
pub struct CheckedVenue {
    pub name: String,
    pub address: String,
    pub timezone: VenueZone,
    pub seats: Vec<SeatSpec>,
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
            })
            .collect();
        Ok(CheckedVenue {
            name: required_text("name", &self.name, 200)?,
            address: required_text("address", &self.address, 500)?,
            timezone: VenueZone::parse("timezone", &self.timezone)?,
            seats: parse_plan(&seat_inputs)?,
        })
    }
}

/// A hall with its seat plan.
#[derive(Debug, Clone)]
pub struct Hall {
    pub venue: VenueRow,
    pub seats: Vec<SeatRow>,
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
    one(conn, id)
}

pub fn one(conn: &mut DbConnection, id: i32) -> Result<Hall, Error> {
    let venue = venues::find(conn, id)?.ok_or(Error::NotFound("venue"))?;
    let seats = venues::seats(conn, id)?;
    Ok(Hall { venue, seats })
}

/// Every hall with its seat plan.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Hall>, Error> {
    venues::list(conn)?
        .into_iter()
        .map(|venue| {
            let seats = venues::seats(conn, venue.id)?;
            Ok(Hall { venue, seats })
        })
        .collect()
}
