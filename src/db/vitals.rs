//! Counts for the metrics: what the outbox holds, the holds that are live, the bookings and the
//! check-ins. Each is one indexed or small-table count, read at scrape time.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{bookings, checkins, holds};
use crate::domain::booking::Direction;
use crate::domain::time::to_stored;

/// Holds not yet expired nor turned into a booking.
pub fn live_holds(conn: &mut DbConnection, now: DateTime<Utc>) -> QueryResult<i64> {
    let booked = bookings::table.filter(bookings::hold_id.eq(holds::id.nullable()));
    holds::table
        .filter(holds::expires_at.gt(to_stored(now)))
        .filter(diesel::dsl::not(diesel::dsl::exists(booked)))
        .count()
        .get_result(conn)
}

/// Bookings by status.
pub fn bookings_by_status(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    bookings::table
        .group_by(bookings::status)
        .select((bookings::status, diesel::dsl::count_star()))
        .load(conn)
}

/// Admissions at the door that were not undone.
pub fn admissions(conn: &mut DbConnection) -> QueryResult<i64> {
    checkins::table
        .filter(checkins::direction.eq(Direction::In.as_str()))
        .filter(checkins::undone_at.is_null())
        .count()
        .get_result(conn)
}
