//! Performances, their prices, and the calendar queries behind the clash rule; what a
//! performance is shown with (titles, hall, prices, seats left) is in [`shown`].

mod shown;

pub use shown::{
    PerformanceDetails, Staged, details, prices, staged, staged_with_prices, with_prices,
};

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{performance_prices, performances};
use crate::domain::performance::{ReleaseUnpaid, Status};
use crate::domain::prices::PriceList;
use crate::domain::schedule::Slot;
use crate::domain::time::{from_stored, to_stored};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = performances)]
pub struct PerformanceRow {
    pub id: i32,
    pub production_id: i32,
    pub venue_id: i32,
    pub starts_at: chrono::NaiveDateTime,
    pub ends_at: chrono::NaiveDateTime,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub sales_open_at: Option<chrono::NaiveDateTime>,
    pub sales_close_at: Option<chrono::NaiveDateTime>,
    pub release_unpaid_minutes: Option<i32>,
}

impl PerformanceRow {
    /// When unpaid online reservations lapse, if they do.
    pub fn release_unpaid(&self) -> Option<ReleaseUnpaid> {
        self.release_unpaid_minutes.map(ReleaseUnpaid::from_stored)
    }

    pub fn slot(&self) -> Slot {
        Slot {
            starts_at: from_stored(self.starts_at),
            ends_at: from_stored(self.ends_at),
        }
    }
}

/// What the director sets when scheduling a performance.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub slot: Slot,
    pub status: Status,
    pub sales_open_at: Option<DateTime<Utc>>,
    pub sales_close_at: Option<DateTime<Utc>>,
    pub release_unpaid: Option<ReleaseUnpaid>,
}

pub fn insert(
    conn: &mut DbConnection,
    production_id: i32,
    venue_id: i32,
    schedule: &Schedule,
    prices: &PriceList,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    let id = diesel::insert_into(performances::table)
        .values((
            performances::production_id.eq(production_id),
            performances::venue_id.eq(venue_id),
            performances::starts_at.eq(to_stored(schedule.slot.starts_at)),
            performances::ends_at.eq(to_stored(schedule.slot.ends_at)),
            performances::status.eq(schedule.status.as_str()),
            performances::sales_open_at.eq(schedule.sales_open_at.map(to_stored)),
            performances::sales_close_at.eq(schedule.sales_close_at.map(to_stored)),
            performances::release_unpaid_minutes
                .eq(schedule.release_unpaid.map(ReleaseUnpaid::minutes)),
            performances::created_at.eq(to_stored(now)),
            performances::updated_at.eq(to_stored(now)),
        ))
        .returning(performances::id)
        .get_result(conn)?;
    replace_prices(conn, id, prices)?;
    Ok(id)
}

pub fn update_schedule(
    conn: &mut DbConnection,
    id: i32,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(performances::table.find(id))
        .set((
            performances::starts_at.eq(to_stored(schedule.slot.starts_at)),
            performances::ends_at.eq(to_stored(schedule.slot.ends_at)),
            performances::status.eq(schedule.status.as_str()),
            performances::sales_open_at.eq(schedule.sales_open_at.map(to_stored)),
            performances::sales_close_at.eq(schedule.sales_close_at.map(to_stored)),
            performances::release_unpaid_minutes
                .eq(schedule.release_unpaid.map(ReleaseUnpaid::minutes)),
            performances::updated_at.eq(to_stored(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn replace_prices(conn: &mut DbConnection, id: i32, prices: &PriceList) -> QueryResult<()> {
    diesel::delete(performance_prices::table.filter(performance_prices::performance_id.eq(id)))
        .execute(conn)?;
    let rows: Vec<_> = prices
        .iter()
        .map(|(zone, kind, price)| {
            (
                performance_prices::performance_id.eq(id),
                performance_prices::zone.eq(zone.as_str()),
                performance_prices::ticket_type.eq(kind.as_str()),
                performance_prices::price.eq(price.amount()),
            )
        })
        .collect();
    super::on_backend!(conn, c => diesel::insert_into(performance_prices::table).values(&rows).execute(c)).map(|_| ())
}

/// A performance's status, hall and `seats_version`: the database counts every change of its
/// seat claims and prices there (see the migration `seats_version`).
pub fn seats_version(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(Status, i32, i64)>> {
    let found: Option<(String, i32, i64)> = performances::table
        .find(id)
        .select((
            performances::status,
            performances::venue_id,
            performances::seats_version,
        ))
        .first(conn)
        .optional()?;
    found
        .map(|(status, venue_id, version)| Ok((super::decode(status)?, venue_id, version)))
        .transpose()
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<PerformanceRow>> {
    performances::table
        .find(id)
        .select(PerformanceRow::as_select())
        .first(conn)
        .optional()
}

/// Performances in the hall, other than `except`, that the clash rule forbids next to `slot`.
pub fn clashing(
    conn: &mut DbConnection,
    venue_id: i32,
    slot: &Slot,
    changeover: Duration,
    except: &[i32],
) -> QueryResult<Vec<PerformanceRow>> {
    performances::table
        .filter(performances::venue_id.eq(venue_id))
        .filter(performances::status.ne(Status::Cancelled.as_str()))
        .filter(performances::starts_at.lt(to_stored(slot.ends_at + changeover)))
        .filter(performances::ends_at.gt(to_stored(slot.starts_at - changeover)))
        .filter(performances::id.ne_all(except))
        .order(performances::starts_at)
        .select(PerformanceRow::as_select())
        .load(conn)
}

/// Which performances a listing wants.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<Status>,
    pub production_id: Option<i32>,
    pub starts_from: Option<DateTime<Utc>>,
    pub starts_before: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
}

pub fn list(conn: &mut DbConnection, filter: &Filter) -> QueryResult<Vec<PerformanceRow>> {
    let mut query = performances::table
        .select(PerformanceRow::as_select())
        .into_boxed();
    if !filter.statuses.is_empty() {
        let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query = query.filter(performances::status.eq_any(statuses));
    }
    if let Some(production_id) = filter.production_id {
        query = query.filter(performances::production_id.eq(production_id));
    }
    if let Some(from) = filter.starts_from {
        query = query.filter(performances::starts_at.ge(to_stored(from)));
    }
    if let Some(before) = filter.starts_before {
        query = query.filter(performances::starts_at.lt(to_stored(before)));
    }
    if let Some(limit) = filter.limit {
        query = query.limit(limit);
    }
    query
        .order((performances::starts_at, performances::id))
        .load(conn)
}

/// Every future performance of a production that is not cancelled: those a change of running
/// time moves.
pub fn upcoming_of_production(
    conn: &mut DbConnection,
    production_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<Vec<PerformanceRow>> {
    performances::table
        .filter(performances::production_id.eq(production_id))
        .filter(performances::status.ne(Status::Cancelled.as_str()))
        .filter(performances::starts_at.gt(to_stored(now)))
        .select(PerformanceRow::as_select())
        .load(conn)
}

pub fn set_ends_at(conn: &mut DbConnection, id: i32, ends_at: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(performances::table.find(id))
        .set(performances::ends_at.eq(to_stored(ends_at)))
        .execute(conn)
        .map(|_| ())
}
