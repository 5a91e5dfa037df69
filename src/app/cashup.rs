//! A performance's money after the show: every payment and refund recorded for its bookings,
//! summed by method and by who recorded it (to count the door's cash drawer against), walk-up
//! sales and reservations apart, the comps, what is still unpaid and what is owed back. Every
//! sum is of payment rows; none is of ticket prices.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::Error;
use super::bookings::account;
use crate::db::bookings::{self, BookingRow};
use crate::db::payments::{self, PaymentRow, Sums};
use crate::db::{DbConnection, performances};
use crate::domain::payment::{Kind, Method};
use crate::domain::time::{from_stored, rfc3339_utc};

/// Money in and back, whole tenge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    pub taken: i64,
    pub refunded: i64,
    /// `taken − refunded`.
    pub net: i64,
}

impl Totals {
    fn add(&mut self, row: &PaymentRow) {
        match row.kind {
            Kind::Payment => self.taken += row.amount,
            Kind::Refund => self.refunded += row.amount,
        }
        self.net = self.taken - self.refunded;
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ByMethod {
    pub method: Method,
    #[serde(flatten)]
    pub totals: Totals,
}

/// What one person recorded with one method: what their drawer (or terminal) should hold.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ByRecorder {
    /// The e-mail of who recorded it; none for rows kassa carried over from before.
    pub by: Option<String>,
    pub method: Method,
    #[serde(flatten)]
    pub totals: Totals,
}

/// A booking that owes, or is owed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Owing {
    pub reference: String,
    pub name: String,
    /// Whole tenge.
    pub amount: i64,
}

#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Comps {
    pub bookings: usize,
    pub tickets: usize,
}

/// One payment or refund as the cash-up lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Record {
    pub id: i32,
    pub reference: String,
    pub kind: Kind,
    pub method: Method,
    /// Whole tenge.
    pub amount: i64,
    pub by: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
    /// Sold at the door, not booked online.
    pub walk_up: bool,
    pub note: Option<String>,
}

impl From<&PaymentRow> for Record {
    fn from(row: &PaymentRow) -> Record {
        Record {
            id: row.id,
            reference: row.reference.clone(),
            kind: row.kind,
            method: row.method,
            amount: row.amount,
            by: row.by.clone(),
            at: rfc3339_utc(from_stored(row.recorded_at)),
            walk_up: row.walk_up,
            note: row.note.clone(),
        }
    }
}

/// A performance's cash-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cashup {
    pub performance_id: i32,
    pub totals: Totals,
    pub by_method: Vec<ByMethod>,
    pub by_recorder: Vec<ByRecorder>,
    /// Sales at the door.
    pub walk_up: Totals,
    /// Bookings made online (paid at the door, by transfer, or before).
    pub reservations: Totals,
    pub comps: Comps,
    /// Confirmed bookings with money still due.
    pub unpaid: Vec<Owing>,
    pub unpaid_total: i64,
    /// Cancelled bookings owed money back.
    pub refunds_due: Vec<Owing>,
    pub refunds_due_total: i64,
    pub payments: Vec<Record>,
    /// RFC 3339, UTC.
    pub generated_at: String,
}

/// The cash-up of one performance.
pub fn of_performance(
    conn: &mut DbConnection,
    performance_id: i32,
    now: DateTime<Utc>,
) -> Result<Cashup, Error> {
    performances::find(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    let rows = payments::of_performances(conn, &[performance_id])?;
    let booked = bookings::of_performance(conn, performance_id)?;
    let valid_tickets = bookings::valid_ticket_counts(conn, performance_id)?;
    Ok(summed(performance_id, &booked, &valid_tickets, &rows, now))
}

/// The cash-up of a performance's bookings and their payment rows.
pub fn summed(
    performance_id: i32,
    booked: &[BookingRow],
    valid_tickets: &HashMap<i32, usize>,
    rows: &[PaymentRow],
    now: DateTime<Utc>,
) -> Cashup {
    let mut totals = Totals::default();
    let mut by_method: BTreeMap<Method, Totals> = BTreeMap::new();
    let mut by_recorder: BTreeMap<(Option<String>, Method), Totals> = BTreeMap::new();
    let (mut walk_up, mut reservations) = (Totals::default(), Totals::default());
    let mut sums: HashMap<i32, Sums> = HashMap::new();
    for row in rows {
        totals.add(row);
        by_method.entry(row.method).or_default().add(row);
        by_recorder
            .entry((row.by.clone(), row.method))
            .or_default()
            .add(row);
        if row.walk_up {
            &mut walk_up
        } else {
            &mut reservations
        }
        .add(row);
        sums.entry(row.booking_id)
            .or_default()
            .add(row.kind, row.amount);
    }
    let mut comps = Comps::default();
    let (mut unpaid, mut refunds_due) = (Vec::new(), Vec::new());
    for booking in booked {
        let money = account(booking, sums.get(&booking.id).copied().unwrap_or_default());
        let owing = |amount| Owing {
            reference: booking.reference.clone(),
            name: booking.name.clone(),
            amount,
        };
        if booking.comp && !booking.is_cancelled() {
            comps.bookings += 1;
            comps.tickets += valid_tickets.get(&booking.id).copied().unwrap_or(0);
        }
        if money.due() > 0 {
            unpaid.push(owing(money.due()));
        }
        if money.refund_due() > 0 {
            refunds_due.push(owing(money.refund_due()));
        }
    }
    Cashup {
        performance_id,
        totals,
        by_method: by_method
            .into_iter()
            .map(|(method, totals)| ByMethod { method, totals })
            .collect(),
        by_recorder: by_recorder
            .into_iter()
            .map(|((by, method), totals)| ByRecorder { by, method, totals })
            .collect(),
        walk_up,
        reservations,
        comps,
        unpaid_total: unpaid.iter().map(|o| o.amount).sum(),
        unpaid,
        refunds_due_total: refunds_due.iter().map(|o| o.amount).sum(),
        refunds_due,
        payments: rows.iter().map(Record::from).collect(),
        generated_at: rfc3339_utc(now),
    }
}
