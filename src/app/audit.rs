//! The audit log: every change to money, tickets and the calendar is noted in the transaction
//! that makes it ([`note`]), and the director reads it back by dates or by booking ([`entries`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::Error;
use crate::db::audit::{self, Action, Entry};
use crate::db::{DbConnection, bookings};
use crate::domain::VenueZone;
use crate::domain::booking::Reference;
use crate::domain::time::{from_stored, rfc3339_utc};

/// The most entries one read returns.
pub const MAX_ENTRIES: i64 = 5_000;

/// Notes what `by` did (none: kassa on its own clock). Call inside the change's transaction.
pub fn note(
    conn: &mut DbConnection,
    by: Option<i32>,
    action: Action,
    booking_id: Option<i32>,
    performance_id: Option<i32>,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let entry = Entry {
        user_id: by,
        action,
        booking_id,
        performance_id,
        details,
    };
    Ok(audit::record(conn, &entry, now)?)
}

/// One entry as read back.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i32,
    /// RFC 3339, UTC.
    pub at: String,
    /// The e-mail of who did it; none when kassa did it on its own clock.
    pub by: Option<String>,
    pub action: Action,
    /// The booking's reference, for an entry about one.
    pub reference: Option<String>,
    pub performance_id: Option<i32>,
    /// What changed: amounts, methods, before and after.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// Which entries: local dates in the venue's zone (both inclusive), and one booking.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A booking reference.
    pub booking: Option<String>,
}

/// The entries asked for, oldest first (at most [`MAX_ENTRIES`]). Without dates, the last 30
/// days up to today.
pub fn entries(
    conn: &mut DbConnection,
    zone: VenueZone,
    query: &AuditQuery,
    now: DateTime<Utc>,
) -> Result<Vec<AuditEntry>, Error> {
    let today = zone.local_date(now);
    let to = query.to.unwrap_or(today);
    let from = query.from.unwrap_or(to - chrono::Duration::days(30));
    // A booking that is not of our references' form is no booking of ours.
    let booking_id = match query.booking.as_deref().filter(|b| !b.trim().is_empty()) {
        None => None,
        Some(raw) => {
            let booking = Reference::parse(raw)
                .map(|reference| bookings::find_by_reference(conn, &reference))
                .transpose()?
                .flatten()
                .ok_or(Error::NotFound("booking"))?;
            Some(booking.id)
        }
    };
    // A range that ends before it starts holds nothing.
    if from > to {
        return Ok(Vec::new());
    }
    let (start, end) = zone.local_days(from, to);
    let rows = audit::between(conn, start, end, booking_id, MAX_ENTRIES)?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            at: rfc3339_utc(from_stored(row.at)),
            by: row.by,
            action: row.action,
            reference: row.reference,
            performance_id: row.performance_id,
            details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}
