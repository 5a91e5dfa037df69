//! Performances, their prices, and the calendar queries behind the clash rule.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::schema::{performance_prices, performances, productions, venues};
use super::{DbConnection, venues as venue_queries};
use crate::domain::VenueZone;
use crate::domain::performance::{PriceList, Status};
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
}

impl PerformanceRow {
    pub fn slot(&self) -> Slot {
        Slot {
            starts_at: from_stored(self.starts_at),
            ends_at: from_stored(self.ends_at),
        }
    }
}

/// A performance with what a listing shows of it: titles, hall, prices and seat counts.
#[derive(Debug, Clone)]
pub struct PerformanceDetails {
    pub row: PerformanceRow,
    pub production_title: String,
    pub venue_name: String,
    pub zone: VenueZone,
    pub prices: PriceList,
    pub seats_total: i64,
    pub seats_available: i64,
}

/// What the director sets when scheduling a performance.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub slot: Slot,
    pub status: Status,
    pub sales_open_at: Option<DateTime<Utc>>,
    pub sales_close_at: Option<DateTime<Utc>>,
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
        .map(|(zone, price)| {
            (
                performance_prices::performance_id.eq(id),
                performance_prices::zone.eq(zone.as_str()),
                performance_prices::price.eq(price.amount()),
            )
        })
        .collect();
    super::on_backend!(conn, c => diesel::insert_into(performance_prices::table).values(&rows).execute(c)).map(|_| ())
}

/// A performance's status, hall and `seats_version`: the database counts every change of its
/// seat claims and prices there (see the migration `seats_version`).
pub fn seats_version(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(String, i32, i64)>> {
    performances::table
        .find(id)
        .select((
            performances::status,
            performances::venue_id,
            performances::seats_version,
        ))
        .first(conn)
        .optional()
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

/// Adds titles, hall, prices and seat counts to `rows`, in a fixed number of queries however
/// many rows there are.
pub fn details(
    conn: &mut DbConnection,
    rows: Vec<PerformanceRow>,
    now: DateTime<Utc>,
) -> QueryResult<Vec<PerformanceDetails>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut production_ids: Vec<i32> = rows.iter().map(|r| r.production_id).collect();
    production_ids.sort_unstable();
    production_ids.dedup();
    let mut venue_ids: Vec<i32> = rows.iter().map(|r| r.venue_id).collect();
    venue_ids.sort_unstable();
    venue_ids.dedup();

    let titles: HashMap<i32, String> = productions::table
        .filter(productions::id.eq_any(&production_ids))
        .select((productions::id, productions::title))
        .load(conn)?
        .into_iter()
        .collect();
    let halls: HashMap<i32, (String, String)> = venues::table
        .filter(venues::id.eq_any(&venue_ids))
        .select((venues::id, venues::name, venues::timezone))
        .load::<(i32, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, zone)| (id, (name, zone)))
        .collect();
    let mut prices: HashMap<i32, Vec<(String, i64)>> = HashMap::new();
    for (id, zone, price) in performance_prices::table
        .filter(performance_prices::performance_id.eq_any(&ids))
        .select((
            performance_prices::performance_id,
            performance_prices::zone,
            performance_prices::price,
        ))
        .load::<(i32, String, i64)>(conn)?
    {
        prices.entry(id).or_default().push((zone, price));
    }
    let seat_counts = venue_queries::seat_counts(conn, &venue_ids)?;
    let claimed = super::claims::live_counts(conn, &ids, now)?;

    Ok(rows
        .into_iter()
        .map(|row| {
            let (venue_name, zone) = halls.get(&row.venue_id).cloned().unwrap_or_default();
            let seats_total = seat_counts.get(&row.venue_id).copied().unwrap_or(0);
            let unavailable = claimed.get(&row.id).copied().unwrap_or(0);
            PerformanceDetails {
                production_title: titles.get(&row.production_id).cloned().unwrap_or_default(),
                venue_name,
                zone: VenueZone::from_stored(&zone),
                prices: PriceList::from_stored(prices.remove(&row.id).unwrap_or_default()),
                seats_total,
                seats_available: (seats_total - unavailable).max(0),
                row,
            }
        })
        .collect())
}

/// A performance with its prices, in one query.
pub fn with_prices(
    conn: &mut DbConnection,
    id: i32,
) -> QueryResult<Option<(PerformanceRow, PriceList)>> {
    let rows: Vec<(PerformanceRow, Option<String>, Option<i64>)> = performances::table
        .left_join(performance_prices::table)
        .filter(performances::id.eq(id))
        .select((
            PerformanceRow::as_select(),
            performance_prices::zone.nullable(),
            performance_prices::price.nullable(),
        ))
        .load(conn)?;
    Ok(gather_prices(rows))
}

/// A performance staged (with its hall and title) and its prices, in one query.
pub fn staged_with_prices(
    conn: &mut DbConnection,
    id: i32,
) -> QueryResult<Option<(Staged, PriceList)>> {
    type Row = (
        PerformanceRow,
        super::venues::VenueRow,
        String,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<Row> = performances::table
        .inner_join(venues::table)
        .inner_join(productions::table)
        .left_join(performance_prices::table)
        .filter(performances::id.eq(id))
        .select((
            PerformanceRow::as_select(),
            super::venues::VenueRow::as_select(),
            productions::title,
            performance_prices::zone.nullable(),
            performance_prices::price.nullable(),
        ))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(performance, venue, title, zone, price)| ((performance, venue, title), zone, price))
        .collect();
    Ok(
        gather_prices(rows).map(|((performance, venue, title), prices)| {
            (
                Staged {
                    performance,
                    venue,
                    title,
                },
                prices,
            )
        }),
    )
}

/// Rows of one thing joined with its prices (none if it has no price) into the thing and its list.
fn gather_prices<T>(rows: Vec<(T, Option<String>, Option<i64>)>) -> Option<(T, PriceList)> {
    let mut prices = Vec::with_capacity(rows.len());
    let mut first = None;
    for (thing, zone, price) in rows {
        if let (Some(zone), Some(price)) = (zone, price) {
            prices.push((zone, price));
        }
        first.get_or_insert(thing);
    }
    first.map(|thing| (thing, PriceList::from_stored(prices)))
}

/// A performance's prices as (zone, tenge).
pub fn prices(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<(String, i64)>> {
    performance_prices::table
        .filter(performance_prices::performance_id.eq(id))
        .select((performance_prices::zone, performance_prices::price))
        .load(conn)
}

/// A performance with its hall and its production's title, in one query: what a page, a mail
/// or a booking view needs to say where and what.
#[derive(Debug, Clone)]
pub struct Staged {
    pub performance: PerformanceRow,
    pub venue: super::venues::VenueRow,
    pub title: String,
}

pub fn staged(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Staged>> {
    let found: Option<(PerformanceRow, super::venues::VenueRow, String)> = performances::table
        .inner_join(venues::table)
        .inner_join(productions::table)
        .filter(performances::id.eq(id))
        .select((
            PerformanceRow::as_select(),
            super::venues::VenueRow::as_select(),
            productions::title,
        ))
        .first(conn)
        .optional()?;
    Ok(found.map(|(performance, venue, title)| Staged {
        performance,
        venue,
        title,
    }))
}
