//! Holds: seats kept for one buyer during checkout, until they expire by themselves.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::holds;
use crate::domain::time::to_stored;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = holds)]
pub struct HoldRow {
    pub id: i32,
    pub performance_id: i32,
    pub seat_count: i32,
    pub expires_at: chrono::NaiveDateTime,
    /// The waiting-list entry this hold is an offer to, if it is one.
    pub waitlist_entry_id: Option<i32>,
}

/// A new hold; `offer_to` names the waiting-list entry it is offered to, if any.
pub struct NewHold<'a> {
    pub performance_id: i32,
    pub token_hash: &'a str,
    pub seat_count: i32,
    pub expires_at: DateTime<Utc>,
    pub offer_to: Option<i32>,
}

pub fn insert(conn: &mut DbConnection, new: &NewHold, now: DateTime<Utc>) -> QueryResult<i32> {
    let NewHold {
        performance_id,
        token_hash,
        seat_count,
        expires_at,
        offer_to,
    } = *new;
    diesel::insert_into(holds::table)
        .values((
            holds::performance_id.eq(performance_id),
            holds::waitlist_entry_id.eq(offer_to),
            holds::token_hash.eq(token_hash),
            holds::seat_count.eq(seat_count),
            holds::expires_at.eq(to_stored(expires_at)),
            holds::created_at.eq(to_stored(now)),
        ))
        .returning(holds::id)
        .get_result(conn)
}

/// A hold with the seats it still claims at `now` (none once it expired or became a booking),
/// in one query.
pub fn find_with_seats(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(HoldRow, Vec<i32>)>> {
    use super::schema::seat_claims;
    let rows: Vec<(HoldRow, Option<i32>)> = holds::table
        .left_join(
            seat_claims::table.on(seat_claims::hold_id
                .eq(holds::id.nullable())
                .and(seat_claims::expires_at.gt(to_stored(now)))),
        )
        .filter(holds::token_hash.eq(token_hash))
        .order(seat_claims::seat_id)
        .select((HoldRow::as_select(), seat_claims::seat_id.nullable()))
        .load(conn)?;
    let mut seats = Vec::with_capacity(rows.len());
    let mut hold = None;
    for (row, seat) in rows {
        seats.extend(seat);
        hold.get_or_insert(row);
    }
    Ok(hold.map(|hold| (hold, seats)))
}

pub fn find_by_token(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<HoldRow>> {
    holds::table
        .filter(holds::token_hash.eq(token_hash))
        .select(HoldRow::as_select())
        .first(conn)
        .optional()
}

/// Deletes a hold and (by the foreign key's cascade) whatever seats it claims.
pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(holds::table.find(id))
        .execute(conn)
        .map(|_| ())
}
