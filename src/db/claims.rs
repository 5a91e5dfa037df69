//! Seat claims: the one row per (performance, seat) that a hold, a booking or a block holds.
//! The table's primary key makes a second claim on a seat fail in the database itself.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::seat_claims;
use crate::domain::seat_plan::SeatStatus;
use crate::domain::time::{from_stored, to_stored};

/// Who holds a seat right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Held {
        until: DateTime<Utc>,
    },
    Booked,
    /// Kept off sale by the director, until the release time if one was set.
    Blocked {
        until: Option<DateTime<Utc>>,
    },
}

impl Claim {
    /// The seat's state for the audience, given its live claim (if any).
    pub fn status(claim: Option<&Claim>) -> SeatStatus {
        match claim {
            None => SeatStatus::Available,
            Some(Claim::Held { .. }) => SeatStatus::Held,
            Some(Claim::Booked) => SeatStatus::Booked,
            Some(Claim::Blocked { .. }) => SeatStatus::Blocked,
        }
    }

    /// When the claim stops counting on its own, if it does.
    pub fn ends_at(&self) -> Option<DateTime<Utc>> {
        match *self {
            Claim::Held { until } => Some(until),
            Claim::Booked => None,
            Claim::Blocked { until } => until,
        }
    }
}

#[derive(Queryable)]
struct ClaimRow {
    seat_id: i32,
    hold_id: Option<i32>,
    booking_id: Option<i32>,
    expires_at: Option<chrono::NaiveDateTime>,
}

/// The live claims of a performance, by seat. Expired ones are left out: they stop counting at
/// their expiry, whether or not anyone has deleted them yet.
pub fn live(
    conn: &mut DbConnection,
    performance_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<HashMap<i32, Claim>> {
    let rows: Vec<ClaimRow> = seat_claims::table
        .filter(seat_claims::performance_id.eq(performance_id))
        .filter(
            seat_claims::expires_at
                .is_null()
                .or(seat_claims::expires_at.gt(to_stored(now))),
        )
        .select((
            seat_claims::seat_id,
            seat_claims::hold_id,
            seat_claims::booking_id,
            seat_claims::expires_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let claim = match (row.hold_id, row.booking_id) {
                (Some(_), _) => Claim::Held {
                    until: row.expires_at.map(from_stored).unwrap_or(now),
                },
                (None, Some(_)) => Claim::Booked,
                (None, None) => Claim::Blocked {
                    until: row.expires_at.map(from_stored),
                },
            };
            (row.seat_id, claim)
        })
        .collect())
}

/// Live claims per performance, counted: what a listing subtracts from the seats.
pub fn live_counts(
    conn: &mut DbConnection,
    performance_ids: &[i32],
    now: DateTime<Utc>,
) -> QueryResult<HashMap<i32, i64>> {
    let counts: Vec<(i32, i64)> = seat_claims::table
        .filter(seat_claims::performance_id.eq_any(performance_ids))
        .filter(
            seat_claims::expires_at
                .is_null()
                .or(seat_claims::expires_at.gt(to_stored(now))),
        )
        .group_by(seat_claims::performance_id)
        .select((seat_claims::performance_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counts.into_iter().collect())
}

/// Removes expired claims on these seats, so that they can be claimed again.
pub fn clear_expired(
    conn: &mut DbConnection,
    performance_id: i32,
    seat_ids: &[i32],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::delete(
        seat_claims::table
            .filter(seat_claims::performance_id.eq(performance_id))
            .filter(seat_claims::seat_id.eq_any(seat_ids))
            .filter(seat_claims::expires_at.le(to_stored(now))),
    )
    .execute(conn)
    .map(|_| ())
}

/// Of `seat_ids`, those with a live claim.
pub fn taken(
    conn: &mut DbConnection,
    performance_id: i32,
    seat_ids: &[i32],
    now: DateTime<Utc>,
) -> QueryResult<Vec<i32>> {
    seat_claims::table
        .filter(seat_claims::performance_id.eq(performance_id))
        .filter(seat_claims::seat_id.eq_any(seat_ids))
        .filter(
            seat_claims::expires_at
                .is_null()
                .or(seat_claims::expires_at.gt(to_stored(now))),
        )
        .select(seat_claims::seat_id)
        .order(seat_claims::seat_id)
        .load(conn)
}

/// What a new claim belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Claimant {
    Hold {
        id: i32,
        expires_at: DateTime<Utc>,
    },
    Booking {
        id: i32,
    },
    Block {
        id: i32,
        release_at: Option<DateTime<Utc>>,
    },
}

/// Claims whichever of `seat_ids` have no live claim, replacing expired ones, in one statement;
/// returns the seats it claimed. A seat claimed by a concurrent transaction is not claimed: the
/// primary key keeps one row per seat, and the insert waits for the other transaction to end.
/// The caller compares the answer with what it asked for and rolls back if anything is missing.
pub fn claim(
    conn: &mut DbConnection,
    performance_id: i32,
    seat_ids: &[i32],
    claimant: Claimant,
    now: DateTime<Utc>,
) -> QueryResult<Vec<i32>> {
    use diesel::query_dsl::methods::FilterDsl;
    use diesel::upsert::excluded;
    let (hold_id, booking_id, block_id, expires_at) = match claimant {
        Claimant::Hold { id, expires_at } => (Some(id), None, None, Some(to_stored(expires_at))),
        Claimant::Booking { id } => (None, Some(id), None, None),
        Claimant::Block { id, release_at } => (None, None, Some(id), release_at.map(to_stored)),
    };
    let rows: Vec<_> = seat_ids
        .iter()
        .map(|seat_id| {
            (
                seat_claims::performance_id.eq(performance_id),
                seat_claims::seat_id.eq(*seat_id),
                seat_claims::hold_id.eq(hold_id),
                seat_claims::booking_id.eq(booking_id),
                seat_claims::block_id.eq(block_id),
                seat_claims::expires_at.eq(expires_at),
            )
        })
        .collect();
    // Only an expired claim gives way: the update's condition is on the row already there.
    macro_rules! upsert {
        ($values:expr) => {
            FilterDsl::filter(
                diesel::insert_into(seat_claims::table)
                    .values($values)
                    .on_conflict((seat_claims::performance_id, seat_claims::seat_id))
                    .do_update()
                    .set((
                        seat_claims::hold_id.eq(excluded(seat_claims::hold_id)),
                        seat_claims::booking_id.eq(excluded(seat_claims::booking_id)),
                        seat_claims::block_id.eq(excluded(seat_claims::block_id)),
                        seat_claims::expires_at.eq(excluded(seat_claims::expires_at)),
                    )),
                seat_claims::expires_at.le(to_stored(now)),
            )
            .returning(seat_claims::seat_id)
        };
    }
    // Backend-specific: PostgreSQL takes every seat in one statement; SQLite's batch inserts
    // cannot carry ON CONFLICT, and it has no round trips to save.
    let mut claimed: Vec<i32> = match conn {
        DbConnection::Postgresql(pg) => upsert!(&rows).get_results(pg)?,
        DbConnection::Sqlite(sqlite) => {
            let mut claimed = Vec::with_capacity(rows.len());
            for row in &rows {
                claimed.extend(upsert!(row).get_result::<i32>(sqlite).optional()?);
            }
            claimed
        }
    };
    claimed.sort_unstable();
    Ok(claimed)
}

/// Turns a hold's claims into a booking's, if the hold has not expired by `now`. Returns how
/// many seats moved: fewer than the hold took means some expired and were claimed by others.
pub fn convert_hold(
    conn: &mut DbConnection,
    hold_id: i32,
    booking_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        seat_claims::table
            .filter(seat_claims::hold_id.eq(hold_id))
            .filter(seat_claims::expires_at.gt(to_stored(now))),
    )
    .set((
        seat_claims::booking_id.eq(Some(booking_id)),
        seat_claims::hold_id.eq(None::<i32>),
        seat_claims::expires_at.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(conn)
}

/// Frees a booking's seats of a performance (its own, or the date it is exchanged from);
/// returns them.
pub fn release_booking(
    conn: &mut DbConnection,
    booking_id: i32,
    performance_id: i32,
) -> QueryResult<Vec<i32>> {
    diesel::delete(
        seat_claims::table
            .filter(seat_claims::booking_id.eq(booking_id))
            .filter(seat_claims::performance_id.eq(performance_id)),
    )
    .returning(seat_claims::seat_id)
    .get_results(conn)
}

/// Frees a hold's seats; returns those it still held at `now` (an expired claim frees nothing
/// that was not free already).
pub fn release_hold(
    conn: &mut DbConnection,
    hold_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<Vec<i32>> {
    let released: Vec<(i32, Option<chrono::NaiveDateTime>)> =
        diesel::delete(seat_claims::table.filter(seat_claims::hold_id.eq(hold_id)))
            .returning((seat_claims::seat_id, seat_claims::expires_at))
            .get_results(conn)?;
    Ok(released
        .into_iter()
        .filter(|(_, until)| until.is_none_or(|until| until > to_stored(now)))
        .map(|(seat, _)| seat)
        .collect())
}

/// The seats a hold still claims at `now`.
pub fn hold_seats(
    conn: &mut DbConnection,
    hold_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<Vec<i32>> {
    seat_claims::table
        .filter(seat_claims::hold_id.eq(hold_id))
        .filter(seat_claims::expires_at.gt(to_stored(now)))
        .select(seat_claims::seat_id)
        .order(seat_claims::seat_id)
        .load(conn)
}
