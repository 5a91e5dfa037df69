//! Cancelling: by the holder through the manage link, until the cutoff; and by the director,
//! whose cancelled performance cancels every booking of it.

use chrono::{DateTime, Utc};

use crate::app::bookings::{self, Booked};
use crate::app::{Context, Error};
use crate::db::DbConnection;
use crate::db::bookings::{self as stored, BookingRow};
use crate::db::claims;
use crate::db::outbox::{self, MessageKind};

/// Cancels a booking for its holder: its seats are free again, its tickets void, and the
/// cancellation mail is queued. [`Error::TooLate`] past the cutoff; cancelling a cancelled
/// booking changes nothing. Call inside a write transaction.
pub fn by_holder(
    conn: &mut DbConnection,
    ctx: &Context,
    booked: Booked,
    now: DateTime<Utc>,
) -> Result<Booked, Error> {
    if booked.booking.is_cancelled() {
        return Ok(booked);
    }
    if !ctx.can_cancel(booked.staged.performance.slot().starts_at, now) {
        return Err(Error::TooLate {
            cutoff_minutes: ctx.cancellation_cutoff().num_minutes(),
        });
    }
    cancel_and_tell(conn, &booked.booking, MessageKind::BookingCancelled, now)?;
    bookings::load(conn, booked.booking.id)
}

/// Cancels a confirmed booking (once: a second call does nothing), frees its seats and queues
/// the mail of `kind` to its holder. Call inside a write transaction.
pub fn cancel_and_tell(
    conn: &mut DbConnection,
    booking: &BookingRow,
    kind: MessageKind,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if stored::cancel(conn, booking.id, now)? {
        claims::release_booking(conn, booking.id)?;
        if let Some(email) = &booking.email {
            outbox::enqueue(conn, kind, booking.id, email, &serde_json::json!({}), now)?;
        }
    }
    Ok(())
}
