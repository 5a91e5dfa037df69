//! What the API sends back, and what the pages' scripts read in the same shape: JSON views of
//! the use cases' answers, times in the venue's zone. A performance's view is here, at the
//! edge, because error bodies (a clash names the performance in the way) and the door page's
//! embedded door data carry it too.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::performances::PerformanceDetails;
use crate::db::productions::ProductionRow;
use crate::db::venues::{SeatRow, VenueRow};
use crate::domain::performance::Status;
use crate::domain::time::rfc3339_utc;
use crate::domain::zone_names::ZoneNames;

#[derive(Debug, Serialize, ToSchema)]
pub struct SeatView {
    pub id: i32,
    pub row: i32,
    pub number: i32,
    pub zone: String,
    pub x: i32,
    pub y: i32,
    pub accessible: bool,
    /// For a companion seat: the id of the wheelchair space it goes with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub companion_of: Option<i32>,
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
            companion_of: seat.companion_of,
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
    /// What people call the zones, by zone key; a zone left out reads as its key.
    pub zone_names: std::collections::BTreeMap<String, crate::domain::zone_names::ZoneName>,
}

impl VenueView {
    pub fn new(venue: VenueRow, seats: Vec<SeatRow>, zone_names: &ZoneNames) -> Self {
        VenueView {
            id: venue.id,
            name: venue.name,
            address: venue.address,
            timezone: venue.timezone,
            seats: seats.into_iter().map(SeatView::from).collect(),
            zone_names: zone_names.as_map().clone(),
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
    /// The full price per zone in whole tenge.
    pub prices: BTreeMap<String, i64>,
    /// Concession prices offered, by type (`student`, `pensioner`, `child`) and zone, in whole
    /// tenge; a zone left out of a type does not offer it.
    #[schema(example = json!({"student": {"front": 4000, "standard": 3000}}))]
    pub concessions: BTreeMap<String, BTreeMap<String, i64>>,
    /// Minutes before the start at which unpaid online reservations are released; absent means
    /// never.
    #[schema(minimum = 0, maximum = 10080)]
    pub release_unpaid_minutes: Option<i32>,
    /// The instant they are released, in the venue's offset.
    pub release_unpaid_at: Option<String>,
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
            status: p.row.status,
            sales_open_at: local(p.row.sales_open_at),
            sales_close_at: local(p.row.sales_close_at),
            prices: p.prices.full(),
            concessions: p.prices.concessions(),
            release_unpaid_minutes: p.row.release_unpaid_minutes,
            release_unpaid_at: p
                .row
                .release_unpaid()
                .map(|release| zone.rfc3339(release.deadline(slot.starts_at))),
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
    /// How long before the start a holder may still exchange to another date; null: the
    /// house's cutoff.
    pub exchange_cutoff_minutes: Option<i32>,
    /// How many exchanges a booking gets; null: the house's number.
    pub max_exchanges: Option<i32>,
    /// Who made it and who plays in it, in the director's order.
    pub credits: Vec<crate::domain::credits::Credit>,
    pub upcoming_performances: Vec<PerformanceView>,
}

impl ProductionView {
    pub fn new(
        production: ProductionRow,
        credits: Vec<crate::domain::credits::Credit>,
        upcoming: Vec<PerformanceView>,
    ) -> Self {
        ProductionView {
            id: production.id,
            title: production.title,
            description: production.description,
            duration_minutes: production.duration_minutes,
            intermission_minutes: production.intermission_minutes,
            age_rating: production.age_rating,
            language: production.language,
            exchange_cutoff_minutes: production.exchange_cutoff_minutes,
            max_exchanges: production.max_exchanges,
            credits,
            upcoming_performances: upcoming,
        }
    }
}

impl From<crate::app::productions::Billed> for ProductionView {
    fn from(billed: crate::app::productions::Billed) -> Self {
        let upcoming = billed
            .upcoming
            .into_iter()
            .map(PerformanceView::from)
            .collect();
        ProductionView::new(billed.production, billed.credits, upcoming)
    }
}

impl From<crate::app::venues::Hall> for VenueView {
    fn from(hall: crate::app::venues::Hall) -> Self {
        VenueView::new(hall.venue, hall.seats, &hall.zone_names)
    }
}

/// What a door device keeps to work offline (`GET /api/v1/performances/{id}/door`, and
/// embedded in the door page).
#[derive(Debug, Serialize, ToSchema)]
pub struct DoorData {
    pub performance: PerformanceView,
    pub tickets: Vec<crate::app::door::list::DoorEntry>,
    /// Hashes of the codes of cancelled tickets.
    pub cancelled: Vec<String>,
    pub counts: crate::app::door::list::DoorCounts,
    /// RFC 3339, UTC: a device keeps the newer of two lists.
    pub generated_at: String,
}

impl From<crate::app::door::list::DoorList> for DoorData {
    fn from(list: crate::app::door::list::DoorList) -> Self {
        DoorData {
            performance: PerformanceView::from(list.performance),
            tickets: list.tickets,
            cancelled: list.cancelled,
            counts: list.counts,
            generated_at: list.generated_at,
        }
    }
}
