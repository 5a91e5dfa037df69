//! Halls and their seat plans.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{seats, venues};
use crate::domain::VenueZone;
use crate::domain::seat_plan::{SeatSpec, Zone};
use crate::domain::time::to_stored;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = venues)]
pub struct VenueRow {
    pub id: i32,
    pub name: String,
    pub address: String,
    pub timezone: String,
}

impl VenueRow {
    pub fn zone(&self) -> VenueZone {
        VenueZone::from_stored(&self.timezone)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seats)]
pub struct SeatRow {
    pub id: i32,
    pub venue_id: i32,
    pub row_number: i32,
    pub seat_number: i32,
    pub zone: String,
    pub x: i32,
    pub y: i32,
    pub accessible: bool,
    /// For a companion seat: the wheelchair space it goes with.
    pub companion_of: Option<i32>,
}

impl SeatRow {
    /// Whether the seat is sold only with its wheelchair space, at this point before the start.
    pub fn is_companion(&self) -> bool {
        self.companion_of.is_some()
    }
}

/// Halls' seat plans, kept once read. A plan never changes once its hall is created (kassa has
/// no way to change one: a rebuilt hall is a new venue), so a kept plan is never stale, in
/// whichever instance of kassa kept it. Should plans ever become editable, the edit must clear
/// the hall's entry here, and other instances' too.
#[derive(Default)]
pub struct SeatPlans(std::sync::RwLock<HashMap<i32, std::sync::Arc<[SeatRow]>>>);

impl SeatPlans {
    /// The seats of a hall in plan order (row, then seat), from memory after the first read.
    pub fn of(
        &self,
        conn: &mut DbConnection,
        venue_id: i32,
    ) -> QueryResult<std::sync::Arc<[SeatRow]>> {
        let kept = self
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&venue_id)
            .cloned();
        if let Some(plan) = kept {
            return Ok(plan);
        }
        let plan: std::sync::Arc<[SeatRow]> = seats(conn, venue_id)?.into();
        if !plan.is_empty() {
            self.0
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(venue_id, plan.clone());
        }
        Ok(plan)
    }
}

pub struct NewVenue<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub timezone: VenueZone,
    pub seats: &'a [SeatSpec],
}

/// Inserts a hall with its whole seat plan; call inside a transaction.
pub fn insert(
    conn: &mut DbConnection,
    venue: &NewVenue<'_>,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    let venue_id = diesel::insert_into(venues::table)
        .values((
            venues::name.eq(venue.name),
            venues::address.eq(venue.address),
            venues::timezone.eq(venue.timezone.name()),
            venues::created_at.eq(to_stored(now)),
        ))
        .returning(venues::id)
        .get_result(conn)?;
    let rows: Vec<_> = venue
        .seats
        .iter()
        .map(|seat| {
            (
                seats::venue_id.eq(venue_id),
                seats::row_number.eq(seat.row),
                seats::seat_number.eq(seat.number),
                seats::zone.eq(seat.zone.as_str()),
                seats::x.eq(seat.x),
                seats::y.eq(seat.y),
                seats::accessible.eq(seat.accessible),
            )
        })
        .collect();
    // SQLite limits the parameters of one statement; 7 columns × 500 rows stays well within.
    for chunk in rows.chunks(500) {
        super::on_backend!(conn, c => diesel::insert_into(seats::table).values(chunk).execute(c))?;
    }
    link_companions(conn, venue_id, venue.seats)?;
    Ok(venue_id)
}

/// Points each companion seat of a new hall at its wheelchair space, now that both have ids.
fn link_companions(conn: &mut DbConnection, venue_id: i32, plan: &[SeatSpec]) -> QueryResult<()> {
    let pairs: Vec<((i32, i32), (i32, i32))> = plan
        .iter()
        .filter_map(|seat| {
            seat.companion_of
                .map(|space| ((seat.row, seat.number), space))
        })
        .collect();
    if pairs.is_empty() {
        return Ok(());
    }
    let ids: HashMap<(i32, i32), i32> = seats::table
        .filter(seats::venue_id.eq(venue_id))
        .select((seats::row_number, seats::seat_number, seats::id))
        .load::<(i32, i32, i32)>(conn)?
        .into_iter()
        .map(|(row, number, id)| ((row, number), id))
        .collect();
    for (companion, space) in pairs {
        let (Some(companion), Some(space)) = (ids.get(&companion), ids.get(&space)) else {
            continue;
        };
        diesel::update(seats::table.find(*companion))
            .set(seats::companion_of.eq(Some(*space)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, venue_id: i32) -> QueryResult<Option<VenueRow>> {
    venues::table
        .find(venue_id)
        .select(VenueRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<VenueRow>> {
    venues::table
        .order(venues::id)
        .select(VenueRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    venues::table.count().get_result(conn)
}

/// The seat plan, in reading order: row by row, seat by seat.
pub fn seats(conn: &mut DbConnection, venue_id: i32) -> QueryResult<Vec<SeatRow>> {
    seats::table
        .filter(seats::venue_id.eq(venue_id))
        .order((seats::row_number, seats::seat_number))
        .select(SeatRow::as_select())
        .load(conn)
}

/// The price zones a hall has.
pub fn zones(conn: &mut DbConnection, venue_id: i32) -> QueryResult<BTreeSet<Zone>> {
    let zones: Vec<String> = seats::table
        .filter(seats::venue_id.eq(venue_id))
        .select(seats::zone)
        .distinct()
        .load(conn)?;
    Ok(zones.into_iter().map(Zone::from_stored).collect())
}

/// How many seats each of these halls has.
pub fn seat_counts(conn: &mut DbConnection, venue_ids: &[i32]) -> QueryResult<HashMap<i32, i64>> {
    let counts: Vec<(i32, i64)> = seats::table
        .filter(seats::venue_id.eq_any(venue_ids))
        .group_by(seats::venue_id)
        .select((seats::venue_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counts.into_iter().collect())
}

/// Of `seat_ids`, those that are not seats of this hall.
pub fn foreign_seats(
    conn: &mut DbConnection,
    venue_id: i32,
    seat_ids: &[i32],
) -> QueryResult<Vec<i32>> {
    let ours: BTreeSet<i32> = seats::table
        .filter(seats::venue_id.eq(venue_id))
        .filter(seats::id.eq_any(seat_ids))
        .select(seats::id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    Ok(seat_ids
        .iter()
        .copied()
        .filter(|id| !ours.contains(id))
        .collect())
}
