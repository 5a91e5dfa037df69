//! Waiting-list entries: a line per performance, in the order people joined (the id), each
//! waiting, offered seats (held for it by a hold that names it), or done.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{bookings, waitlist_entries};
use crate::domain::booking::Language;
use crate::domain::time::to_stored;
use crate::domain::waitlist::EntryStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = waitlist_entries)]
pub struct EntryRow {
    pub id: i32,
    pub performance_id: i32,
    pub name: String,
    pub email: String,
    #[diesel(deserialize_as = String)]
    pub language: Language,
    pub seats: i32,
    #[diesel(deserialize_as = String)]
    pub status: EntryStatus,
    pub created_at: chrono::NaiveDateTime,
    pub offered_at: Option<chrono::NaiveDateTime>,
    pub offer_expires_at: Option<chrono::NaiveDateTime>,
    pub booking_id: Option<i32>,
}

pub struct NewEntry<'a> {
    pub performance_id: i32,
    pub name: &'a str,
    pub email: &'a str,
    pub language: Language,
    pub seats: i32,
}

pub fn insert(conn: &mut DbConnection, new: &NewEntry, now: DateTime<Utc>) -> QueryResult<i32> {
    diesel::insert_into(waitlist_entries::table)
        .values((
            waitlist_entries::performance_id.eq(new.performance_id),
            waitlist_entries::name.eq(new.name),
            waitlist_entries::email.eq(new.email),
            waitlist_entries::language.eq(new.language.as_str()),
            waitlist_entries::seats.eq(new.seats),
            waitlist_entries::status.eq(EntryStatus::Waiting.as_str()),
            waitlist_entries::created_at.eq(to_stored(now)),
        ))
        .returning(waitlist_entries::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<EntryRow>> {
    waitlist_entries::table
        .find(id)
        .select(EntryRow::as_select())
        .first(conn)
        .optional()
}

/// The entry of `email` still in line (or offered) for a performance, if there is one.
pub fn open_of(
    conn: &mut DbConnection,
    performance_id: i32,
    email: &str,
) -> QueryResult<Option<EntryRow>> {
    waitlist_entries::table
        .filter(waitlist_entries::performance_id.eq(performance_id))
        .filter(waitlist_entries::email.eq(email))
        .filter(waitlist_entries::status.eq_any(open_statuses()))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()
}

fn open_statuses() -> [&'static str; 2] {
    [EntryStatus::Waiting.as_str(), EntryStatus::Offered.as_str()]
}

/// An entry's place in line: 1 for the first one still waiting, counting only those waiting.
pub fn position(conn: &mut DbConnection, entry: &EntryRow) -> QueryResult<i64> {
    waitlist_entries::table
        .filter(waitlist_entries::performance_id.eq(entry.performance_id))
        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
        .filter(waitlist_entries::id.le(entry.id))
        .count()
        .get_result(conn)
}

/// The entries still waiting for a performance, first in line first.
pub fn waiting(conn: &mut DbConnection, performance_id: i32) -> QueryResult<Vec<EntryRow>> {
    waitlist_entries::table
        .filter(waitlist_entries::performance_id.eq(performance_id))
        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
        .order(waitlist_entries::id)
        .select(EntryRow::as_select())
        .load(conn)
}

/// Every entry of a performance with the reference of the booking it made, in line order.
pub fn of_performance(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<Vec<(EntryRow, Option<String>)>> {
    waitlist_entries::table
        .left_join(bookings::table)
        .filter(waitlist_entries::performance_id.eq(performance_id))
        .order(waitlist_entries::id)
        .select((EntryRow::as_select(), bookings::reference.nullable()))
        .load(conn)
}

/// The published performances, starting after `now`, that someone is waiting for.
pub fn performances_waiting(conn: &mut DbConnection, now: DateTime<Utc>) -> QueryResult<Vec<i32>> {
    use super::schema::performances;
    use crate::domain::performance::Status;
    waitlist_entries::table
        .inner_join(performances::table)
        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
        .filter(performances::status.eq(Status::Published.as_str()))
        .filter(performances::starts_at.gt(to_stored(now)))
        .select(waitlist_entries::performance_id)
        .distinct()
        .load(conn)
}

/// Marks a waiting entry offered until `expires_at`; false if it was no longer waiting.
pub fn mark_offered(
    conn: &mut DbConnection,
    id: i32,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        waitlist_entries::table
            .find(id)
            .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str())),
    )
    .set((
        waitlist_entries::status.eq(EntryStatus::Offered.as_str()),
        waitlist_entries::offered_at.eq(Some(to_stored(now))),
        waitlist_entries::offer_expires_at.eq(Some(to_stored(expires_at))),
    ))
    .execute(conn)
    .map(|updated| updated == 1)
}

/// Marks an offered entry booked by `booking_id`.
pub fn mark_booked(
    conn: &mut DbConnection,
    id: i32,
    booking_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        waitlist_entries::table
            .find(id)
            .filter(waitlist_entries::status.eq(EntryStatus::Offered.as_str())),
    )
    .set((
        waitlist_entries::status.eq(EntryStatus::Booked.as_str()),
        waitlist_entries::booking_id.eq(Some(booking_id)),
        waitlist_entries::ended_at.eq(Some(to_stored(now))),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Ends an open entry (waiting or offered) with `status`; returns what it was, or `None` if it
/// had already ended.
pub fn end(
    conn: &mut DbConnection,
    id: i32,
    status: EntryStatus,
    now: DateTime<Utc>,
) -> QueryResult<Option<EntryStatus>> {
    let Some(entry) = find(conn, id)?.filter(|entry| entry.status.is_open()) else {
        return Ok(None);
    };
    let updated = diesel::update(
        waitlist_entries::table
            .find(id)
            .filter(waitlist_entries::status.eq(entry.status.as_str())),
    )
    .set((
        waitlist_entries::status.eq(status.as_str()),
        waitlist_entries::ended_at.eq(Some(to_stored(now))),
    ))
    .execute(conn)?;
    Ok((updated == 1).then_some(entry.status))
}

/// Marks lapsed every offer that ran out by `now`; returns how many.
pub fn lapse_expired(conn: &mut DbConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        waitlist_entries::table
            .filter(waitlist_entries::status.eq(EntryStatus::Offered.as_str()))
            .filter(waitlist_entries::offer_expires_at.le(to_stored(now))),
    )
    .set((
        waitlist_entries::status.eq(EntryStatus::Lapsed.as_str()),
        waitlist_entries::ended_at.eq(Some(to_stored(now))),
    ))
    .execute(conn)
}

/// Serialises the offers of one performance's seats until the transaction ends, so that two
/// instances (or a worker and a freeing transaction) never offer the same entry or seats.
/// Take it before freeing any seats in the transaction: see `app::waitlist`. SQLite needs
/// nothing: its write transaction already holds the database's single write lock.
pub fn lock_line(conn: &mut DbConnection, performance_id: i32) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(_) => Ok(()),
        DbConnection::Postgresql(pg) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock(7355609, $1)")
                .bind::<diesel::sql_types::Integer, _>(performance_id)
                .execute(pg)
                .map(|_| ())
        }
    }
}
