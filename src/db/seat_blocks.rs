//! Seats the director keeps off sale for one performance (house seats, a broken seat, a camera).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{seat_blocks, seats};
use crate::domain::time::to_stored;

#[derive(Debug, Clone, Queryable)]
pub struct BlockRow {
    pub id: i32,
    pub seat_id: i32,
    pub row_number: i32,
    pub seat_number: i32,
    pub reason: String,
    pub release_at: Option<chrono::NaiveDateTime>,
}

pub struct NewBlock<'a> {
    pub performance_id: i32,
    pub seat_id: i32,
    pub reason: &'a str,
    pub release_at: Option<DateTime<Utc>>,
    pub created_by: i32,
}

/// Forgets blocks on these seats whose release time has passed, so the seats can be blocked anew.
pub fn delete_released(
    conn: &mut DbConnection,
    performance_id: i32,
    seat_ids: &[i32],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::delete(
        seat_blocks::table
            .filter(seat_blocks::performance_id.eq(performance_id))
            .filter(seat_blocks::seat_id.eq_any(seat_ids))
            .filter(seat_blocks::release_at.le(to_stored(now))),
    )
    .execute(conn)
    .map(|_| ())
}

/// Of `seat_ids`, those blocked for the performance.
pub fn already_blocked(
    conn: &mut DbConnection,
    performance_id: i32,
    seat_ids: &[i32],
) -> QueryResult<Vec<i32>> {
    seat_blocks::table
        .filter(seat_blocks::performance_id.eq(performance_id))
        .filter(seat_blocks::seat_id.eq_any(seat_ids))
        .select(seat_blocks::seat_id)
        .order(seat_blocks::seat_id)
        .load(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    block: &NewBlock<'_>,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(seat_blocks::table)
        .values((
            seat_blocks::performance_id.eq(block.performance_id),
            seat_blocks::seat_id.eq(block.seat_id),
            seat_blocks::reason.eq(block.reason),
            seat_blocks::release_at.eq(block.release_at.map(to_stored)),
            seat_blocks::created_by.eq(block.created_by),
            seat_blocks::created_at.eq(to_stored(now)),
        ))
        .returning(seat_blocks::id)
        .get_result(conn)
}

pub fn list(conn: &mut DbConnection, performance_id: i32) -> QueryResult<Vec<BlockRow>> {
    seat_blocks::table
        .inner_join(seats::table)
        .filter(seat_blocks::performance_id.eq(performance_id))
        .order((seats::row_number, seats::seat_number))
        .select((
            seat_blocks::id,
            seat_blocks::seat_id,
            seats::row_number,
            seats::seat_number,
            seat_blocks::reason,
            seat_blocks::release_at,
        ))
        .load(conn)
}

/// Lifts one block; returns its seat, or `None` if the performance has no such block.
pub fn delete(
    conn: &mut DbConnection,
    performance_id: i32,
    block_id: i32,
) -> QueryResult<Option<i32>> {
    diesel::delete(
        seat_blocks::table
            .filter(seat_blocks::id.eq(block_id))
            .filter(seat_blocks::performance_id.eq(performance_id)),
    )
    .returning(seat_blocks::seat_id)
    .get_result(conn)
    .optional()
}
