//! The audit log: who changed money, tickets or the calendar, and when. Written in the
//! transaction of the change it describes; the database refuses to update or delete an entry.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{audit_log, bookings, users};
use crate::domain::stored::stored_enum;
use crate::domain::time::to_stored;

stored_enum! {
    /// What was done.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "snake_case")]
    pub enum Action as "audit action" {
        /// Money came in for a booking.
        PaymentRecorded = "payment_recorded",
        /// Money went back.
        RefundRecorded = "refund_recorded",
        /// A booking was cancelled (by its holder, the director, or with its performance).
        BookingCancelled = "booking_cancelled",
        /// Staff let someone in with money still due.
        AdmittedUnpaid = "admitted_unpaid",
        /// A movement through the door was undone.
        CheckinUndone = "checkin_undone",
        /// A performance was put on the calendar.
        PerformanceScheduled = "performance_scheduled",
        /// A performance's time, sales window or status changed.
        PerformanceChanged = "performance_changed",
        /// A performance was cancelled.
        PerformanceCancelled = "performance_cancelled",
        /// A performance's prices changed.
        PricesChanged = "prices_changed",
        /// Unpaid at the deadline before the start: cancelled, its seats on sale again.
        UnpaidReleased = "unpaid_released",
        /// A booking moved to another date of its production, with new seats and tickets.
        BookingExchanged = "booking_exchanged",
        /// The director invited someone to a new staff account.
        StaffInvited = "staff_invited",
        /// An account's role changed, or it was switched off or on.
        StaffChanged = "staff_changed",
        /// Someone asked for a reset link for an account.
        PasswordResetRequested = "password_reset_requested",
        /// An account's password was set from a link (an invitation or a reset).
        PasswordSet = "password_set",
        /// The director sent a given-up message again.
        MailSentAgain = "mail_sent_again",
    }
}

/// One thing done, to write.
pub struct Entry {
    /// Who did it; none when kassa did it on its own clock.
    pub user_id: Option<i32>,
    pub action: Action,
    pub booking_id: Option<i32>,
    pub performance_id: Option<i32>,
    /// What changed, as JSON (amounts, methods, before and after).
    pub details: serde_json::Value,
}

pub fn record(conn: &mut DbConnection, entry: &Entry, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(to_stored(now)),
            audit_log::user_id.eq(entry.user_id),
            audit_log::action.eq(entry.action.as_str()),
            audit_log::booking_id.eq(entry.booking_id),
            audit_log::performance_id.eq(entry.performance_id),
            audit_log::details.eq(entry.details.to_string()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// An entry as read back, with who did it and the booking's reference.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub at: chrono::NaiveDateTime,
    #[diesel(select_expression = users::email.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::email>)]
    pub by: Option<String>,
    #[diesel(deserialize_as = String)]
    pub action: Action,
    #[diesel(select_expression = bookings::reference.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<bookings::reference>)]
    pub reference: Option<String>,
    pub performance_id: Option<i32>,
    pub details: String,
}

/// Entries in `[from, to)`, of one booking if given, oldest first, at most `limit`.
pub fn between(
    conn: &mut DbConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    booking_id: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut query = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::user_id)))
        .left_join(bookings::table.on(bookings::id.nullable().eq(audit_log::booking_id)))
        .filter(audit_log::at.ge(to_stored(from)))
        .filter(audit_log::at.lt(to_stored(to)))
        .into_boxed();
    if let Some(booking_id) = booking_id {
        query = query.filter(audit_log::booking_id.eq(booking_id));
    }
    query
        .order(audit_log::id)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// The start a performance was first scheduled for, if it has been moved since: the `before`
/// of its oldest change that moved it (RFC 3339, in the venue's offset, as the log keeps it).
pub fn first_start_if_moved(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<Option<String>> {
    let changes: Vec<String> = audit_log::table
        .filter(audit_log::performance_id.eq(performance_id))
        .filter(audit_log::action.eq(Action::PerformanceChanged.as_str()))
        .order(audit_log::id)
        .select(audit_log::details)
        .load(conn)?;
    Ok(changes.iter().find_map(|details| {
        let change: serde_json::Value = serde_json::from_str(details).ok()?;
        let (before, after) = (
            &change["before"]["starts_at"],
            &change["after"]["starts_at"],
        );
        (before != after).then(|| before.as_str().map(str::to_owned))?
    }))
}
