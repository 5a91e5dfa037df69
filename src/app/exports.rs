//! What the director hands to an accountant or prints for the door, besides the sales report
//! ([`super::reports`]): every payment record of a range, and the attendee list of one
//! performance.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::Error;
use super::bookings::account;
use crate::db::performances::{self, Staged};
use crate::db::{DbConnection, bookings, door, payments, reports};
use crate::domain::VenueZone;
use crate::domain::booking::TicketStatus;
use crate::domain::payment::{Kind, Method, PaymentState};
use crate::domain::prices::TicketType;
use crate::domain::time::from_stored;

/// One payment or refund, with what it was for.
#[derive(Debug, Clone)]
pub struct PaymentRecord {
    pub recorded_at: DateTime<Utc>,
    pub performance_starts_at: DateTime<Utc>,
    pub title: String,
    pub reference: String,
    pub name: String,
    pub kind: Kind,
    pub method: Method,
    /// Whole tenge, never negative; `kind` says which way.
    pub amount: i64,
    pub walk_up: bool,
    pub by: Option<String>,
    pub note: Option<String>,
}

impl PaymentRecord {
    /// The amount as a ledger has it: refunds negative.
    pub fn signed(&self) -> i64 {
        match self.kind {
            Kind::Payment => self.amount,
            Kind::Refund => -self.amount,
        }
    }
}

/// Every payment and refund recorded on local dates `from` to `to` in `zone`, oldest first.
pub fn payment_records(
    conn: &mut DbConnection,
    zone: VenueZone,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<PaymentRecord>, Error> {
    if from > to {
        return Ok(Vec::new());
    }
    let (start, end) = zone.local_days(from, to);
    Ok(reports::payment_lines(conn, start, end)?
        .into_iter()
        .map(|line| PaymentRecord {
            recorded_at: from_stored(line.recorded_at),
            performance_starts_at: from_stored(line.starts_at),
            title: line.title,
            reference: line.reference,
            name: line.name,
            kind: line.kind,
            method: line.method,
            amount: line.amount,
            walk_up: line.walk_up,
            by: line.by,
            note: line.note,
        })
        .collect())
}

/// One ticket of a performance, with its holder, as the attendee list shows it.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub row: i32,
    pub number: i32,
    pub zone: String,
    pub ticket_type: TicketType,
    pub price: i64,
    pub valid: bool,
    pub reference: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub walk_up: bool,
    pub payment: PaymentState,
    /// Still to pay on the whole booking.
    pub due: i64,
    pub admitted: bool,
}

/// Every ticket of a performance, valid or void, in seat order, with its performance.
pub fn attendees(
    conn: &mut DbConnection,
    performance_id: i32,
) -> Result<(Staged, Vec<Attendee>), Error> {
    let staged =
        performances::staged(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    let tickets = door::tickets_of(conn, performance_id)?;
    let holders: HashMap<i32, bookings::BookingRow> =
        bookings::of_performance(conn, performance_id)?
            .into_iter()
            .map(|booking| (booking.id, booking))
            .collect();
    let sums = payments::sums_of_performance(conn, performance_id)?;
    let admitted = door::admitted(conn, performance_id)?;
    let list = tickets
        .into_iter()
        .filter_map(|ticket| {
            let booking = holders.get(&ticket.booking_id)?;
            let account = account(booking, sums.get(&booking.id).copied().unwrap_or_default());
            Some(Attendee {
                row: ticket.row_number,
                number: ticket.seat_number,
                zone: ticket.zone,
                ticket_type: ticket.ticket_type,
                price: ticket.price,
                valid: ticket.status == TicketStatus::Valid,
                reference: ticket.reference,
                name: ticket.name,
                email: booking.email.clone(),
                phone: booking.phone.clone(),
                walk_up: ticket.walk_up,
                payment: account.state(),
                due: account.due(),
                admitted: admitted.contains_key(&ticket.ticket_id),
            })
        })
        .collect();
    Ok((staged, list))
}
