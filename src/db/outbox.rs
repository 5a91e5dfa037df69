//! The mail outbox: messages written in the same transaction as the booking they are about,
//! delivered later by a worker that leases one row at a time, retries with backoff, and gives
//! up after a maximum (status `failed`, kept for staff to see).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::outbox;
use crate::domain::stored::stored_enum;
use crate::domain::time::to_stored;

stored_enum! {
    /// What a message tells its reader.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum MessageKind as "message kind" {
        BookingConfirmed = "booking_confirmed",
        BookingCancelled = "booking_cancelled",
        PerformanceRescheduled = "performance_rescheduled",
        PerformanceCancelled = "performance_cancelled",
        /// The day before: time, place, seats and what is still to pay. One per booking.
        Reminder = "reminder",
        /// Unpaid at the deadline: the booking is cancelled and its seats are on sale again.
        UnpaidReleased = "unpaid_released",
        /// Moved to another date by its holder or staff: the new tickets and calendar entry.
        BookingExchanged = "booking_exchanged",
        /// On the waiting list: the place in line and the link to leave it.
        WaitlistJoined = "waitlist_joined",
        /// Seats held for someone on the waiting list, until when, and the link to book them.
        WaitlistOffer = "waitlist_offer",
        /// A new staff account: the link to set its password, valid for a while.
        StaffInvited = "staff_invited",
        /// "Forgot password": the link to set a new one.
        PasswordReset = "password_reset",
    }
}

stored_enum! {
    /// Where a message is in its delivery.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum OutboxStatus as "outbox status" {
        /// Waiting for its (next) attempt.
        Pending = "pending",
        Sent = "sent",
        /// Given up after the maximum of attempts.
        Failed = "failed",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i32,
    #[diesel(deserialize_as = String)]
    pub kind: MessageKind,
    pub booking_id: Option<i32>,
    pub waitlist_entry_id: Option<i32>,
    pub account_token_id: Option<i32>,
    pub recipient: String,
    pub details: String,
    #[diesel(deserialize_as = String)]
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// What a message is about: each row names exactly one (the database checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Booking(i32),
    WaitlistEntry(i32),
    /// A link to set a password (`account_tokens`).
    AccountToken(i32),
}

impl OutboxRow {
    pub fn about(&self) -> Option<About> {
        match (
            self.booking_id,
            self.waitlist_entry_id,
            self.account_token_id,
        ) {
            (Some(id), None, None) => Some(About::Booking(id)),
            (None, Some(id), None) => Some(About::WaitlistEntry(id)),
            (None, None, Some(id)) => Some(About::AccountToken(id)),
            _ => None,
        }
    }
}

/// Queues a message about a booking; call inside the transaction that makes it true.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: MessageKind,
    booking_id: i32,
    recipient: &str,
    details: &serde_json::Value,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    insert(
        conn,
        kind,
        About::Booking(booking_id),
        recipient,
        details,
        now,
    )
}

/// Queues a message about something other than a booking (a waiting-list entry, an account's
/// link); call inside the transaction that makes it true.
pub fn enqueue_about(
    conn: &mut DbConnection,
    kind: MessageKind,
    about: About,
    recipient: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let details = serde_json::json!({});
    insert(conn, kind, about, recipient, &details, now)
}

fn insert(
    conn: &mut DbConnection,
    kind: MessageKind,
    about: About,
    recipient: &str,
    details: &serde_json::Value,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let (booking_id, entry_id, token_id) = match about {
        About::Booking(id) => (Some(id), None, None),
        About::WaitlistEntry(id) => (None, Some(id), None),
        About::AccountToken(id) => (None, None, Some(id)),
    };
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(kind.as_str()),
            outbox::booking_id.eq(booking_id),
            outbox::waitlist_entry_id.eq(entry_id),
            outbox::account_token_id.eq(token_id),
            outbox::recipient.eq(recipient),
            outbox::details.eq(details.to_string()),
            outbox::status.eq(OutboxStatus::Pending.as_str()),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(to_stored(now)),
            outbox::created_at.eq(to_stored(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Queues a message of a kind a booking gets once (a reminder): false, and nothing queued, if
/// it already has one. The database's unique index decides, so two instances queueing at the
/// same moment queue one.
pub fn enqueue_once(
    conn: &mut DbConnection,
    kind: MessageKind,
    booking_id: i32,
    recipient: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let values = (
        outbox::kind.eq(kind.as_str()),
        outbox::booking_id.eq(booking_id),
        outbox::recipient.eq(recipient),
        outbox::details.eq("{}"),
        outbox::status.eq(OutboxStatus::Pending.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(to_stored(now)),
        outbox::created_at.eq(to_stored(now)),
    );
    let inserted = super::on_backend!(conn, c => diesel::insert_into(outbox::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// Which of these bookings already have a message of `kind`.
pub fn having(
    conn: &mut DbConnection,
    kind: MessageKind,
    booking_ids: &[i32],
) -> QueryResult<std::collections::HashSet<i32>> {
    let ids: Vec<Option<i32>> = outbox::table
        .filter(outbox::kind.eq(kind.as_str()))
        .filter(outbox::booking_id.eq_any(booking_ids))
        .select(outbox::booking_id)
        .load(conn)?;
    Ok(ids.into_iter().flatten().collect())
}

/// Leases the oldest message that is due, for `lease`: no other worker takes it until the lease
/// ends, so a message is sent once even with several kassa instances. A worker that dies
/// mid-send leaves the lease to run out, and the message is tried again.
pub fn lease_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease: Duration,
) -> QueryResult<Option<OutboxRow>> {
    super::write_transaction(conn, |conn| {
        let due = outbox::table
            .filter(outbox::status.eq(OutboxStatus::Pending.as_str()))
            .filter(outbox::next_attempt_at.le(to_stored(now)))
            .filter(
                outbox::locked_until
                    .is_null()
                    .or(outbox::locked_until.le(to_stored(now))),
            )
            .order(outbox::id)
            .select(outbox::id);
        // Backend-specific: PostgreSQL workers skip rows another worker is leasing right now;
        // SQLite's write transaction already keeps them apart.
        let id: Option<i32> = match conn {
            DbConnection::Postgresql(pg) => due.for_update().skip_locked().first(pg).optional()?,
            DbConnection::Sqlite(_) => due.first(conn).optional()?,
        };
        let Some(id) = id else { return Ok(None) };
        diesel::update(outbox::table.find(id))
            .set(outbox::locked_until.eq(Some(to_stored(now + lease))))
            .execute(conn)?;
        outbox::table
            .find(id)
            .select(OutboxRow::as_select())
            .first(conn)
            .optional()
    })
}

/// Marks a message sent. Like every write, in a write transaction: on SQLite a lone UPDATE
/// would take the database's write lock past the writers' queue, and a door's scan meeting it
/// would sleep in SQLite's busy handler instead of waiting its turn.
pub fn mark_sent(conn: &mut DbConnection, id: i32, now: DateTime<Utc>) -> QueryResult<()> {
    super::write_transaction(conn, |conn| {
        diesel::update(outbox::table.find(id))
            .set((
                outbox::status.eq(OutboxStatus::Sent.as_str()),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::sent_at.eq(Some(to_stored(now))),
                outbox::locked_until.eq(None::<chrono::NaiveDateTime>),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// Records a failed attempt: try again at `retry_at`, or give up (`failed`) if `None`.
pub fn mark_attempt_failed(
    conn: &mut DbConnection,
    id: i32,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let status = if retry_at.is_some() {
        OutboxStatus::Pending
    } else {
        OutboxStatus::Failed
    };
    super::write_transaction(conn, |conn| {
        diesel::update(outbox::table.find(id))
            .set((
                outbox::status.eq(status.as_str()),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::last_error.eq(Some(error)),
                outbox::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
        match retry_at {
            Some(retry_at) => diesel::update(outbox::table.find(id))
                .set(outbox::next_attempt_at.eq(to_stored(retry_at)))
                .execute(conn)?,
            None => diesel::update(outbox::table.find(id))
                .set(outbox::failed_at.eq(Some(to_stored(now))))
                .execute(conn)?,
        };
        Ok(())
    })
}

/// The id of the latest message about a booking.
pub fn latest_id(conn: &mut DbConnection, booking_id: i32) -> QueryResult<Option<i32>> {
    outbox::table
        .filter(outbox::booking_id.eq(booking_id))
        .select(diesel::dsl::max(outbox::id))
        .first(conn)
}

/// Every message about a booking, oldest first (for staff, and for tests).
pub fn for_booking(conn: &mut DbConnection, booking_id: i32) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::booking_id.eq(booking_id))
        .order(outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)
}
