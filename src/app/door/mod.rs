//! Admission at the door: scanning tickets in and out exactly once, undoing a mistake
//! ([`scan`]), and what a door device keeps to work offline and the search for a holder
//! ([`list`]).

pub mod list;
pub mod scan;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::db::door::{CheckinRow, DoorTicket};
use crate::domain::booking::{Direction, Payment};
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

/// A ticket as the door shows it: seat, holder, booking and payment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketAtDoor {
    pub seat: DoorSeat,
    pub name: String,
    pub reference: String,
    pub payment: Payment,
}

impl From<&DoorTicket> for TicketAtDoor {
    fn from(ticket: &DoorTicket) -> TicketAtDoor {
        TicketAtDoor {
            seat: DoorSeat {
                row: ticket.row_number,
                number: ticket.seat_number,
                zone: ticket.zone.clone(),
            },
            name: ticket.name.clone(),
            reference: ticket.reference.clone(),
            payment: ticket.payment,
        }
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
