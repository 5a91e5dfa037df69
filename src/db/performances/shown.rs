//! A performance with what is shown of it: its production's title, its hall, its prices and
//! the seats left, each read in a fixed number of queries.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::PerformanceRow;
use crate::db::schema::{performance_prices, performances, productions, venues};
use crate::db::{DbConnection, claims, venues as venue_queries};
use crate::domain::VenueZone;
use crate::domain::prices::{PriceList, TicketType};

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
    let mut prices: HashMap<i32, Vec<(String, TicketType, i64)>> = HashMap::new();
    for (id, zone, kind, price) in performance_prices::table
        .filter(performance_prices::performance_id.eq_any(&ids))
        .select((
            performance_prices::performance_id,
            performance_prices::zone,
            performance_prices::ticket_type,
            performance_prices::price,
        ))
        .load::<(i32, String, String, i64)>(conn)?
    {
        prices
            .entry(id)
            .or_default()
            .push((zone, crate::db::decode(kind)?, price));
    }
    let seat_counts = venue_queries::seat_counts(conn, &venue_ids)?;
    let claimed = claims::live_counts(conn, &ids, now)?;

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
    let rows: Vec<(PerformanceRow, PriceColumns)> = performances::table
        .left_join(performance_prices::table)
        .filter(performances::id.eq(id))
        .select((
            PerformanceRow::as_select(),
            (
                performance_prices::zone.nullable(),
                performance_prices::ticket_type.nullable(),
                performance_prices::price.nullable(),
            ),
        ))
        .load(conn)?;
    gather_prices(rows)
}

/// A performance staged (with its hall and title) and its prices, in one query.
pub fn staged_with_prices(
    conn: &mut DbConnection,
    id: i32,
) -> QueryResult<Option<(Staged, PriceList)>> {
    type Row = (
        PerformanceRow,
        crate::db::venues::VenueRow,
        String,
        PriceColumns,
    );
    let rows: Vec<Row> = performances::table
        .inner_join(venues::table)
        .inner_join(productions::table)
        .left_join(performance_prices::table)
        .filter(performances::id.eq(id))
        .select((
            PerformanceRow::as_select(),
            crate::db::venues::VenueRow::as_select(),
            productions::title,
            (
                performance_prices::zone.nullable(),
                performance_prices::ticket_type.nullable(),
                performance_prices::price.nullable(),
            ),
        ))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(performance, venue, title, price)| ((performance, venue, title), price))
        .collect();
    Ok(
        gather_prices(rows)?.map(|((performance, venue, title), prices)| {
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

/// A price as a left join reads it: zone, ticket type, tenge (none for a thing without prices).
type PriceColumns = (Option<String>, Option<String>, Option<i64>);

/// Rows of one thing joined with its prices (none if it has no price) into the thing and its list.
fn gather_prices<T>(rows: Vec<(T, PriceColumns)>) -> QueryResult<Option<(T, PriceList)>> {
    let mut prices = Vec::with_capacity(rows.len());
    let mut first = None;
    for (thing, (zone, kind, price)) in rows {
        if let (Some(zone), Some(kind), Some(price)) = (zone, kind, price) {
            prices.push((zone, crate::db::decode(kind)?, price));
        }
        first.get_or_insert(thing);
    }
    Ok(first.map(|thing| (thing, PriceList::from_stored(prices))))
}

/// A performance's prices.
pub fn prices(conn: &mut DbConnection, id: i32) -> QueryResult<PriceList> {
    let rows: Vec<(String, String, i64)> = performance_prices::table
        .filter(performance_prices::performance_id.eq(id))
        .select((
            performance_prices::zone,
            performance_prices::ticket_type,
            performance_prices::price,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(zone, kind, price)| Ok((zone, crate::db::decode(kind)?, price)))
        .collect::<QueryResult<Vec<_>>>()
        .map(PriceList::from_stored)
}

/// A performance with its hall and its production's title, in one query: what a page, a mail
/// or a booking view needs to say where and what.
#[derive(Debug, Clone)]
pub struct Staged {
    pub performance: PerformanceRow,
    pub venue: crate::db::venues::VenueRow,
    pub title: String,
}

pub fn staged(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Staged>> {
    let found: Option<(PerformanceRow, crate::db::venues::VenueRow, String)> = performances::table
        .inner_join(venues::table)
        .inner_join(productions::table)
        .filter(performances::id.eq(id))
        .select((
            PerformanceRow::as_select(),
            crate::db::venues::VenueRow::as_select(),
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
