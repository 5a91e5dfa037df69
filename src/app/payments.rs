//! Money recorded against a booking: a payment taken outside the door (a Kaspi transfer before
//! the show), a refund owed after a cancellation, and what is due paid at the scan. A booking's
//! money is recorded one request at a time (its row lock), so it is never paid twice; each row
//! goes into the audit log in the same transaction.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::bookings::{self, Booked};
use super::{Error, Idempotency};
use crate::db::audit::{self, Action, Entry};
use crate::db::bookings::{self as stored, BookingRow};
use crate::db::payments::{self, NewPayment, PaymentRow, Sums};
use crate::db::{self, DbConnection};
use crate::domain::invalid::{number_in, optional_text};
use crate::domain::payment::{Kind, Method, Refused};

/// The most one payment may be: far above any booking here, far below overflow.
pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// The longest note kept with a payment (e.g. a Kaspi transaction number).
pub const MAX_NOTE: usize = 200;

/// Money to record, as the edge read it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Money {
    /// Whole tenge.
    pub amount: i64,
    pub method: Method,
    pub kind: Kind,
    pub note: Option<String>,
}

/// A row recorded, with the booking it was recorded against as it stands now.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub payment: PaymentRow,
    pub booked: Booked,
}

/// Records `money` against the booking `reference` in a write transaction of its own. With a
/// key, a retry (or the same request racing itself) gets the first row back instead of a
/// second one; a key that came with another request is [`Error::IdempotencyKeyReused`].
pub fn record_once(
    conn: &mut DbConnection,
    reference: &str,
    money: &Money,
    user_id: i32,
    idempotency: Option<&Idempotency>,
    now: DateTime<Utc>,
) -> Result<Recorded, Error> {
    number_in("amount", money.amount, 1..=MAX_AMOUNT)?;
    let note = money
        .note
        .as_deref()
        .map(|note| optional_text("note", note, MAX_NOTE))
        .transpose()?
        .flatten();
    let outcome = db::write_transaction(conn, |conn| {
        let booked = bookings::by_reference(conn, reference)?;
        let booking = locked(conn, booked.booking.id)?;
        if let Some(idempotency) = idempotency
            && let Some(payment_id) = replay(conn, idempotency)?
        {
            return Ok(payment_id);
        }
        let keyed = idempotency.map(|i| (i.key.as_str(), i.request_hash.as_str()));
        let to_record = Money {
            note: note.clone(),
            ..money.clone()
        };
        record(conn, &booking, &to_record, Some(user_id), keyed, now)
    });
    let payment_id = match (outcome, idempotency) {
        (Err(Error::Conflict(error)), Some(idempotency)) => {
            replay(conn, idempotency)?.ok_or(Error::Conflict(error))?
        }
        (outcome, _) => outcome?,
    };
    let payment = payments::find(conn, payment_id)?.ok_or(Error::NotFound("payment"))?;
    let booked = bookings::load(conn, payment.booking_id)?;
    Ok(Recorded { payment, booked })
}

/// The payment a key made, if the key came with this same request.
fn replay(conn: &mut DbConnection, idempotency: &Idempotency) -> Result<Option<i32>, Error> {
    match payments::find_by_key(conn, &idempotency.key)? {
        None => Ok(None),
        Some((hash, id)) if hash.as_deref() == Some(idempotency.request_hash.as_str()) => {
            Ok(Some(id))
        }
        Some(_) => Err(Error::IdempotencyKeyReused),
    }
}

/// The booking re-read under its row lock: its status as it is now, not as first read.
fn locked(conn: &mut DbConnection, booking_id: i32) -> Result<BookingRow, Error> {
    stored::find_locked(conn, booking_id)?.ok_or(Error::NotFound("booking"))
}

/// Records `money` against a booking locked by the caller (or new in its transaction), refused
/// if it is more than is due (or than can be refunded), and writes the audit entry. Returns the
/// row's id.
pub fn record(
    conn: &mut DbConnection,
    booking: &BookingRow,
    money: &Money,
    user_id: Option<i32>,
    idempotency: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<i32, Error> {
    let sums = payments::sums(conn, booking.id)?;
    record_against(conn, booking, sums, money, user_id, idempotency, now)
}

/// [`record`] for a booking whose payment sums the caller read under its lock.
fn record_against(
    conn: &mut DbConnection,
    booking: &BookingRow,
    sums: Sums,
    money: &Money,
    user_id: Option<i32>,
    idempotency: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<i32, Error> {
    let before = bookings::account(booking, sums);
    before
        .check(money.kind, money.amount)
        .map_err(|refused| match refused {
            Refused::Cancelled => Error::BookingCancelled,
            Refused::Overpayment { due } => Error::Overpayment { due },
            Refused::RefundTooLarge { refundable } => Error::RefundTooLarge { refundable },
        })?;
    let id = payments::insert(
        conn,
        &NewPayment {
            booking_id: booking.id,
            amount: money.amount,
            method: money.method,
            kind: money.kind,
            recorded_by: user_id,
            note: money.note.as_deref(),
            idempotency,
        },
        now,
    )?;
    let after = before.with(money.kind, money.amount);
    audit::record(
        conn,
        &Entry {
            user_id,
            action: match money.kind {
                Kind::Payment => Action::PaymentRecorded,
                Kind::Refund => Action::RefundRecorded,
            },
            booking_id: Some(booking.id),
            performance_id: Some(booking.performance_id),
            details: json!({
                "payment_id": id,
                "reference": booking.reference,
                "amount": money.amount,
                "method": money.method,
                "note": money.note,
                "state_before": before.state(),
                "state_after": after.state(),
            }),
        },
        now,
    )?;
    Ok(id)
}

/// Pays what a booking still owes with `method`, as the door takes it at a scan, and returns
/// what was taken (nothing when nothing is due: another door took it first) and the booking's
/// sums after it. Call inside a write transaction.
pub fn pay_due(
    conn: &mut DbConnection,
    booking_id: i32,
    method: Method,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<(i64, Sums), Error> {
    let booking = locked(conn, booking_id)?;
    let mut sums = payments::sums(conn, booking_id)?;
    let due = bookings::account(&booking, sums).due();
    if due > 0 {
        let money = Money {
            amount: due,
            method,
            kind: Kind::Payment,
            note: None,
        };
        record_against(conn, &booking, sums, &money, Some(user_id), None, now)?;
        sums.add(Kind::Payment, due);
    }
    Ok((due, sums))
}
