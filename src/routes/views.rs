//! What the API sends back: JSON views built from stored rows, times in the venue's zone.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::performances::PerformanceDetails;
use crate::db::productions::ProductionRow;
use crate::db::venues::{SeatRow, VenueRow};
use crate::domain::performance::Status;
use crate::domain::time::rfc3339_utc;

#[derive(Debug, Serialize, ToSchema)]
pub struct SeatView {
    pub id: i32,
    pub row: i32,
    pub number: i32,
    pub zone: String,
    pub x: i32,
    pub y: i32,
    pub accessible: bool,
}

impl From<SeatRow> for SeatView {
    fn from(seat: SeatRow) -> Self {
        SeatView {
            id: seat.id,
            row: seat.row_number,
            number: seat.seat_number,
            zone: seat.zone,
            x: seat.x,
            y: seat.y,
            accessible: seat.accessible,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VenueView {
    pub id: i32,
    pub name: String,
    pub address: String,
    /// IANA time zone, e.g. `Asia/Almaty`.
    pub timezone: String,
    pub seats: Vec<SeatView>,
}

impl VenueView {
    pub fn new(venue: VenueRow, seats: Vec<SeatRow>) -> Self {
        VenueView {
            id: venue.id,
            name: venue.name,
            address: venue.address,
            timezone: venue.timezone,
            seats: seats.into_iter().map(SeatView::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reference {
    pub id: i32,
    #[schema(example = "2act studio")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionReference {
    pub id: i32,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceView {
    pub id: i32,
    pub production: ProductionReference,
    pub venue: Reference,
    /// RFC 3339 with the venue's offset at that date, e.g. `2025-02-11T19:00:00+05:00`.
    #[schema(example = "2025-02-11T19:00:00+05:00")]
    pub starts_at: String,
    #[schema(example = "2025-02-11T14:00:00Z")]
    pub starts_at_utc: String,
    /// When the hall is free again: start + running time + interval, in the venue's offset.
    pub ends_at: String,
    pub ends_at_utc: String,
    #[schema(example = "Asia/Almaty")]
    pub timezone: String,
    pub status: Status,
    /// When online sales open; absent means as soon as the performance is published.
    pub sales_open_at: Option<String>,
    /// When online sales close; absent means at the start.
    pub sales_close_at: Option<String>,
    /// Price per zone in whole tenge.
    pub prices: BTreeMap<String, i64>,
    pub seats_total: i64,
    pub seats_available: i64,
}

impl From<PerformanceDetails> for PerformanceView {
    fn from(p: PerformanceDetails) -> Self {
        let slot = p.row.slot();
        let zone = p.zone;
        let local = |at: Option<chrono::NaiveDateTime>| {
            at.map(|at| zone.rfc3339(crate::domain::time::from_stored(at)))
        };
        PerformanceView {
            id: p.row.id,
            production: ProductionReference {
                id: p.row.production_id,
                title: p.production_title,
            },
            venue: Reference {
                id: p.row.venue_id,
                name: p.venue_name,
            },
            starts_at: zone.rfc3339(slot.starts_at),
            starts_at_utc: rfc3339_utc(slot.starts_at),
            ends_at: zone.rfc3339(slot.ends_at),
            ends_at_utc: rfc3339_utc(slot.ends_at),
            timezone: zone.name().to_owned(),
            status: p.row.status(),
            sales_open_at: local(p.row.sales_open_at),
            sales_close_at: local(p.row.sales_close_at),
            prices: p
                .prices
                .iter()
                .map(|(zone, price)| (zone.as_str().to_owned(), price.amount()))
                .collect(),
            seats_total: p.seats_total,
            seats_available: p.seats_available,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductionView {
    pub id: i32,
    pub title: String,
    pub description: String,
    pub duration_minutes: i32,
    pub intermission_minutes: i32,
    #[schema(example = "16+")]
    pub age_rating: String,
    #[schema(example = "ru")]
    pub language: String,
    pub upcoming_performances: Vec<PerformanceView>,
}

impl ProductionView {
    pub fn new(production: ProductionRow, upcoming: Vec<PerformanceView>) -> Self {
        ProductionView {
            id: production.id,
            title: production.title,
            description: production.description,
            duration_minutes: production.duration_minutes,
            intermission_minutes: production.intermission_minutes,
            age_rating: production.age_rating,
            language: production.language,
            upcoming_performances: upcoming,
        }
    }
}
