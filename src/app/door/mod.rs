//! Admission at the door: scanning tickets in and out exactly once, undoing a mistake
//! ([`scan`]), and what a door device keeps to work offline and the search for a holder
//! ([`list`]).

pub mod list;
pub mod pay;
pub mod scan;
pub mod undo;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::db::door::{CheckinRow, DoorTicket};
use crate::db::payments::Sums;
use crate::domain::booking::{Direction, TicketStatus};
use crate::domain::payment::{Account, PaymentState};
use crate::domain::prices::TicketType;
use crate::domain::time::{from_stored, rfc3339_utc};

/// The hash a door device compares scanned codes against: lower-case hex SHA-256 of the code.
pub fn code_hash(code: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(code.to_ascii_uppercase().as_bytes()))
}

/// A ticket's seat, as the door reads it out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DoorSeat {
    pub row: i32,
    pub number: i32,
    pub zone: String,
}

/// A ticket as the door shows it: seat, holder, booking and what the booking still owes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketAtDoor {
    pub seat: DoorSeat,
    pub name: String,
    pub reference: String,
    /// Who the ticket is for: a concession (`student`, `pensioner`, `child`) asks the door to
    /// check the card or the age.
    #[serde(rename = "type", default)]
    pub ticket_type: TicketType,
    /// The booking's payment state.
    pub payment: PaymentState,
    /// What the whole booking still owes, in whole tenge: taken at the door before admitting.
    pub amount_due: i64,
}

impl TicketAtDoor {
    /// The ticket, with the sums of its booking's payment rows.
    pub fn new(ticket: &DoorTicket, sums: Sums) -> TicketAtDoor {
        let account = account_of(ticket, sums);
        TicketAtDoor {
            seat: DoorSeat::of(ticket),
            name: ticket.name.clone(),
            reference: ticket.reference.clone(),
            ticket_type: ticket.ticket_type,
            payment: account.state(),
            amount_due: account.due(),
        }
    }
}

impl DoorSeat {
    fn of(ticket: &DoorTicket) -> DoorSeat {
        DoorSeat {
            row: ticket.row_number,
            number: ticket.seat_number,
            zone: ticket.zone.clone(),
        }
    }
}

/// The money of a ticket's booking: a void ticket's booking was cancelled.
fn account_of(ticket: &DoorTicket, sums: Sums) -> Account {
    Account {
        total: ticket.booking_total,
        comp: ticket.comp,
        cancelled: ticket.status != TicketStatus::Valid,
        paid: sums.paid,
        refunded: sums.refunded,
    }
}

/// A movement through the door, as recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Movement {
    pub id: i32,
    pub direction: Direction,
    /// RFC 3339, UTC.
    pub at: String,
    /// The e-mail of whoever let the holder through.
    pub by: String,
    pub device: String,
}

impl From<&CheckinRow> for Movement {
    fn from(checkin: &CheckinRow) -> Movement {
        Movement {
            id: checkin.id,
            direction: checkin.direction,
            at: rfc3339_utc(from_stored(checkin.at)),
            by: checkin.by.clone(),
            device: checkin.device.clone(),
        }
    }
}
