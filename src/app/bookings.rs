//! A booking as every caller shows it: the booking, its performance staged (hall, title), and
//! its tickets with their seats. The API's answer, the booking page, the door's sale page and
//! the mail all start from [`Booked`].

use super::{Context, Error};
use crate::db::DbConnection;
use crate::db::bookings::{self, BookingRow, TicketRow};
use crate::db::payments::{self, Sums};
use crate::db::performances::{self, PerformanceRow, Staged};
use crate::domain::booking::Reference;
use crate::domain::payment::{Account, PaymentState};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub struct Booked {
    pub booking: BookingRow,
    pub staged: Staged,
    pub tickets: Vec<TicketRow>,
    /// What its payment and refund rows add up to.
    pub sums: Sums,
}

impl Booked {
    /// Its money: what it costs and what came in and went back.
    pub fn account(&self) -> Account {
        account(&self.booking, self.sums)
    }

    /// When the booking is released unless paid (see [`lapses_at`]).
    pub fn pay_by(&self) -> Option<DateTime<Utc>> {
        lapses_at(&self.booking, self.sums, &self.staged.performance)
    }
}

/// When a booking is released unless paid: an online booking with nothing paid, of a
/// performance that releases unpaid reservations. A sale at the door, a comp or a booking that
/// paid something never lapses.
pub fn lapses_at(
    booking: &BookingRow,
    sums: Sums,
    performance: &PerformanceRow,
) -> Option<DateTime<Utc>> {
    let online = booking.sold_by.is_none() && !booking.is_cancelled();
    let unpaid = account(booking, sums).state() == PaymentState::Unpaid;
    if !(online && unpaid) {
        return None;
    }
    performance
        .release_unpaid()
        .map(|release| release.deadline(performance.slot().starts_at))
}

/// A booking's money, from its row and the sums of its payment rows.
pub fn account(booking: &BookingRow, sums: Sums) -> Account {
    Account {
        total: booking.total,
        comp: booking.comp,
        cancelled: booking.is_cancelled(),
        paid: sums.paid,
        refunded: sums.refunded,
    }
}

/// The booking with this reference, whoever may see it (staff, the director).
pub fn by_reference(conn: &mut DbConnection, raw_reference: &str) -> Result<Booked, Error> {
    let booking = Reference::parse(raw_reference)
        .map(|reference| bookings::find_by_reference(conn, &reference))
        .transpose()?
        .flatten()
        .ok_or(Error::NotFound("booking"))?;
    with_details(conn, booking)
}

/// The booking with id `booking_id`.
pub fn load(conn: &mut DbConnection, booking_id: i32) -> Result<Booked, Error> {
    let booking = bookings::find(conn, booking_id)?.ok_or(Error::NotFound("booking"))?;
    with_details(conn, booking)
}

/// The booking a manage link opens: its reference and token. A wrong token is answered exactly
/// like an unknown reference.
pub fn open(
    conn: &mut DbConnection,
    ctx: &Context,
    raw_reference: &str,
    manage_token: &str,
) -> Result<Booked, Error> {
    let reference = Reference::parse(raw_reference)
        .filter(|reference| ctx.links.opens(reference, manage_token))
        .ok_or(Error::NotFound("booking"))?;
    let booking =
        bookings::find_by_reference(conn, &reference)?.ok_or(Error::NotFound("booking"))?;
    with_details(conn, booking)
}

/// A walk-up sale of `performance_id`, by its reference, for the door's page.
pub fn sold_at(
    conn: &mut DbConnection,
    performance_id: i32,
    raw_reference: &str,
) -> Result<Booked, Error> {
    let booking = Reference::parse(raw_reference)
        .map(|reference| bookings::find_by_reference(conn, &reference))
        .transpose()?
        .flatten()
        .filter(|booking| booking.performance_id == performance_id)
        .ok_or(Error::NotFound("booking"))?;
    with_details(conn, booking)
}

/// The SEQUENCE of the booking's calendar entry as its page offers it: that of the latest
/// message about it (the mail's entries count up with the outbox), so that after a reschedule
/// or an exchange the page's entry is never older than the mail's.
pub fn calendar_sequence(conn: &mut DbConnection, booking_id: i32) -> Result<i32, Error> {
    Ok(crate::db::outbox::latest_id(conn, booking_id)?.unwrap_or(0))
}

/// A booking row (e.g. as read under its lock) with its performance, tickets and sums.
pub fn with_details(conn: &mut DbConnection, booking: BookingRow) -> Result<Booked, Error> {
    let staged = performances::staged(conn, booking.performance_id)?
        .ok_or(Error::NotFound("performance"))?;
    let tickets = bookings::tickets(conn, booking.id)?;
    let sums = payments::sums(conn, booking.id)?;
    Ok(Booked {
        booking,
        staged,
        tickets,
        sums,
    })
}
