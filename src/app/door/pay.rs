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

/// Settles a booking that owes `due` as its ticket is admitted: takes it with `pay_with`, or
/// notes in the audit log that staff let the holder in unpaid. Returns what was taken, or what
/// is still owed. Call inside the admission's write transaction.
pub fn settle(
    conn: &mut DbConnection,
    ticket: &DoorTicket,
    pay_with: Option<Method>,
    due: i64,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<(Option<Taken>, Option<Due>), Error> {
    match pay_with {
        Some(method) => {
            let amount = money::pay_due(conn, ticket.booking_id, method, user_id, now)?;
            Ok(((amount > 0).then_some(Taken { amount, method }), None))
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
            Ok((None, Some(owed(conn, ticket, due)?)))
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
