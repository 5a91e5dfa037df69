//! Cancelling: by the holder through the manage link, until the cutoff; and by the director,
//! whose cancelled performance cancels every booking of it.

use chrono::{DateTime, Utc};

use crate::app::audit;
use crate::app::bookings::{self, Booked};
use crate::app::waitlist::offers::{self, Seats};
use crate::app::{Context, Error};
use crate::db::DbConnection;
use crate::db::audit::Action;
use crate::db::bookings::{self as stored, BookingRow};
use crate::db::outbox::{self, MessageKind};
use crate::db::{claims, payments, waitlist};
use crate::domain::payment::Account;
use serde_json::json;

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
    cancel_and_tell(
        conn,
        ctx,
        &booked.booking,
        MessageKind::BookingCancelled,
        None,
        now,
    )?;
    bookings::load(conn, booked.booking.id)
}

/// Cancels a confirmed booking (once: a second call does nothing), frees its seats and offers
/// them to the performance's waiting list, queues the mail of `kind` to its holder and notes it
/// in the audit log, with what it is owed back if it had paid. `by` is the director for a
/// cancelled performance, none for the holder. Call inside a write transaction, before it
/// changes the performance's row (see `app::waitlist::offers` on the order of locks).
pub fn cancel_and_tell(
    conn: &mut DbConnection,
    ctx: &Context,
    booking: &BookingRow,
    kind: MessageKind,
    by: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if stored::cancel(conn, booking.id, now)? {
        waitlist::lock_line(conn, booking.performance_id)?;
        let freed = claims::release_booking(conn, booking.id, booking.performance_id)?;
        let sums = payments::sums(conn, booking.id)?;
        let owed = Account {
            cancelled: true,
            ..bookings::account(booking, sums)
        }
        .refund_due();
        let action = match kind {
            MessageKind::UnpaidReleased => Action::UnpaidReleased,
            _ => Action::BookingCancelled,
        };
        audit::note(
            conn,
            by,
            action,
            Some(booking.id),
            Some(booking.performance_id),
            json!({ "reference": booking.reference, "why": kind.as_str(), "refund_due": owed }),
            now,
        )?;
        if let Some(email) = &booking.email {
            outbox::enqueue(conn, kind, booking.id, email, &serde_json::json!({}), now)?;
        }
        offers::offer(conn, ctx, booking.performance_id, Seats::Freed(&freed), now)?;
    }
    Ok(())
}
