//! The outbox as the director reads it: every message with what it is about, newest first;
//! how many were given up lately; and sending a given-up message again.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::outbox::{MessageKind, OutboxStatus};
use super::schema::{bookings, outbox};
use crate::domain::time::to_stored;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct MailRow {
    pub id: i32,
    #[diesel(deserialize_as = String)]
    pub kind: MessageKind,
    pub recipient: String,
    #[diesel(select_expression = bookings::reference.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<bookings::reference>)]
    pub reference: Option<String>,
    #[diesel(select_expression = bookings::performance_id.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<bookings::performance_id>)]
    pub performance_id: Option<i32>,
    #[diesel(deserialize_as = String)]
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
}

/// The newest `limit` messages, of one status if given.
pub fn newest(
    conn: &mut DbConnection,
    status: Option<OutboxStatus>,
    limit: i64,
) -> QueryResult<Vec<MailRow>> {
    let mut query = outbox::table
        .left_join(bookings::table.on(bookings::id.nullable().eq(outbox::booking_id)))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.as_str()));
    }
    query
        .order(outbox::id.desc())
        .limit(limit)
        .select(MailRow::as_select())
        .load(conn)
}

/// How many messages of each status there are: (pending, sent, failed).
pub fn counts(conn: &mut DbConnection) -> QueryResult<(i64, i64, i64)> {
    let rows: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    let of = |status: OutboxStatus| {
        rows.iter()
            .find(|(s, _)| s == status.as_str())
            .map_or(0, |(_, n)| *n)
    };
    Ok((
        of(OutboxStatus::Pending),
        of(OutboxStatus::Sent),
        of(OutboxStatus::Failed),
    ))
}

/// Messages given up since `since` and not sent again since.
pub fn failed_since(conn: &mut DbConnection, since: DateTime<Utc>) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(OutboxStatus::Failed.as_str()))
        .filter(outbox::failed_at.ge(to_stored(since)))
        .count()
        .get_result(conn)
}

/// Puts a given-up message back in line for one more attempt now: true if it was `failed`. A
/// message sent, or already waiting, is left as it is, so a second click sends nothing twice.
/// Its attempts are past the maximum already, so the worker gives it up again if this one
/// fails too.
pub fn send_again(conn: &mut DbConnection, id: i32, now: DateTime<Utc>) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq(OutboxStatus::Failed.as_str())),
    )
    .set((
        outbox::status.eq(OutboxStatus::Pending.as_str()),
        outbox::next_attempt_at.eq(to_stored(now)),
        outbox::locked_until.eq(None::<NaiveDateTime>),
        outbox::failed_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
