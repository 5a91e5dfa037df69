//! Money at the door: what a booking owes when one of its tickets is scanned, and taking it
//! (or letting the holder in unpaid, on record) in the transaction that admits them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DoorSeat;
use crate::app::{Error, audit, payments as money};
use crate::db::DbConnection;
use crate::db::audit::Action;
use crate::db::door::{self, DoorTicket};
use crate::db::payments::Sums;
use crate::domain::booking::TicketStatus;
use crate::domain::payment::Method;

/// What a booking owes at the door.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Due {
    /// Whole tenge, for the whole booking.
    pub amount: i64,
    /// The booking's total.
    pub total: i64,
    /// Its seats still valid: paying admits this ticket, and the others admit without paying.
    pub seats: Vec<DoorSeat>,
}

/// Money taken at the scan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Taken {
    /// Whole tenge.
    pub amount: i64,
    pub method: Method,
}

/// How a booking that owed money at the door was settled as its ticket was admitted.
pub struct Settled {
    /// What was taken, if anything was still due under the booking's lock.
    pub taken: Option<Taken>,
    /// What is still owed, for a holder let in unpaid.
    pub still_due: Option<Due>,
    /// The booking's payment sums now.
    pub sums: Sums,
}

/// Settles a booking that owes `due` (by `sums`, read with the ticket) as its ticket is
/// admitted: takes what it owes under its lock with `pay_with`, or notes in the audit log that
/// staff let the holder in unpaid. Call inside the admission's write transaction.
pub fn settle(
    conn: &mut DbConnection,
    ticket: &DoorTicket,
    pay_with: Option<Method>,
    (due, sums): (i64, Sums),
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<Settled, Error> {
    match pay_with {
        Some(method) => {
            // Another door may have taken the money since the ticket was read: what the booking
            // owes is read again under its lock.
            let (amount, sums) = money::pay_due(conn, ticket.booking_id, method, user_id, now)?;
            Ok(Settled {
                taken: (amount > 0).then_some(Taken { amount, method }),
                still_due: None,
                sums,
            })
        }
        None => {
            let details = serde_json::json!({
                "reference": ticket.reference,
                "ticket_id": ticket.ticket_id,
                "due": due,
            });
            let (booking, performance) = (Some(ticket.booking_id), Some(ticket.performance_id));
            audit::note(
                conn,
                Some(user_id),
                Action::AdmittedUnpaid,
                booking,
                performance,
                details,
                now,
            )?;
            Ok(Settled {
                taken: None,
                still_due: Some(owed(conn, ticket, due)?),
                sums,
            })
        }
    }
}

/// What the ticket's booking owes, with its seats still valid.
pub fn owed(conn: &mut DbConnection, ticket: &DoorTicket, amount: i64) -> Result<Due, Error> {
    let seats = door::tickets_of_booking(conn, ticket.booking_id)?
        .iter()
        .filter(|t| t.status == TicketStatus::Valid)
        .map(DoorSeat::of)
        .collect();
    Ok(Due {
        amount,
        total: ticket.booking_total,
        seats,
    })
}
