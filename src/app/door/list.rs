//! What a door device keeps to work offline, and finding ticket holders by name, reference or
//! seat for someone whose phone died.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Movement, TicketAtDoor, code_hash};
use crate::app::Error;
use crate::db::DbConnection;
use crate::db::door::{self, CheckinRow};
use crate::db::payments::{self, Sums};
use crate::db::performances::{self, PerformanceDetails};
use crate::domain::booking::{Reference, TicketStatus};
use crate::domain::time::rfc3339_utc;

/// A valid ticket as a door device keeps it: the hash of its code, never the code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DoorEntry {
    #[serde(flatten)]
    pub ticket: TicketAtDoor,
    /// Lower-case hex SHA-256 of the ticket's code.
    pub code_hash: String,
    pub inside: bool,
    /// The ticket's latest movement through the door that was not undone.
    pub last_checkin: Option<Movement>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct DoorCounts {
    /// Valid tickets.
    pub booked: usize,
    /// Valid tickets that came through the door.
    pub admitted: usize,
    pub inside: usize,
    /// Valid tickets not admitted yet.
    pub expected: usize,
}

/// The door data of a performance.
#[derive(Debug, Clone)]
pub struct DoorList {
    pub performance: PerformanceDetails,
    pub tickets: Vec<DoorEntry>,
    /// Hashes of the codes of cancelled tickets.
    pub cancelled: Vec<String>,
    pub counts: DoorCounts,
    /// RFC 3339, UTC: a device keeps the newer of two lists.
    pub generated_at: String,
}

/// What a door device keeps to work offline: every valid ticket by its code's hash, the
/// hashes of cancelled ones, and the counts.
pub fn door_list(
    conn: &mut DbConnection,
    performance_id: i32,
    now: DateTime<Utc>,
) -> Result<DoorList, Error> {
    let row = performances::find(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    let performance = performances::details(conn, vec![row], now)?
        .pop()
        .ok_or(Error::NotFound("performance"))?;
    let latest: HashMap<i32, CheckinRow> = door::latest_of_performance(conn, performance_id)?
        .into_iter()
        .map(|c| (c.ticket_id, c))
        .collect();
    let sums = payments::sums_of_performance(conn, performance_id)?;
    let (valid, void): (Vec<_>, Vec<_>) = door::tickets_of(conn, performance_id)?
        .into_iter()
        .partition(|t| t.status == TicketStatus::Valid);
    let admitted = valid
        .iter()
        .filter(|t| latest.contains_key(&t.ticket_id))
        .count();
    let counts = DoorCounts {
        booked: valid.len(),
        admitted,
        inside: valid.iter().filter(|t| t.inside).count(),
        expected: valid.len() - admitted,
    };
    Ok(DoorList {
        performance,
        tickets: valid
            .iter()
            .map(|t| DoorEntry {
                ticket: TicketAtDoor::new(t, sums_of(&sums, t.booking_id)),
                code_hash: code_hash(&t.code),
                inside: t.inside,
                last_checkin: latest.get(&t.ticket_id).map(Movement::from),
            })
            .collect(),
        cancelled: void.iter().map(|t| code_hash(&t.code)).collect(),
        counts,
        generated_at: rfc3339_utc(now),
    })
}

/// A ticket holder found at the door, with the code to admit them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attendee {
    #[serde(flatten)]
    pub ticket: TicketAtDoor,
    pub code: String,
    pub status: TicketStatus,
    pub inside: bool,
}

/// Ticket holders of a performance whose name contains `q` (any case, any script), whose
/// booking reference is `q`, or whose seat is `q` as "row-seat" (`3-7`).
pub fn attendees(
    conn: &mut DbConnection,
    performance_id: i32,
    q: &str,
) -> Result<Vec<Attendee>, Error> {
    let needle = q.trim().to_lowercase();
    let reference = Reference::parse(q);
    let seat: Vec<i32> = q
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    performances::find(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    let sums = payments::sums_of_performance(conn, performance_id)?;
    Ok(door::tickets_of(conn, performance_id)?
        .into_iter()
        .filter(|t| {
            let by_name = !needle.is_empty() && t.name.to_lowercase().contains(&needle);
            let by_reference = reference
                .as_ref()
                .is_some_and(|r| r.as_str() == t.reference);
            let by_seat = seat.len() == 2 && seat[0] == t.row_number && seat[1] == t.seat_number;
            by_name || by_reference || by_seat
        })
        .map(|t| Attendee {
            ticket: TicketAtDoor::new(&t, sums_of(&sums, t.booking_id)),
            status: t.status,
            inside: t.inside,
            code: t.code,
        })
        .collect())
}

fn sums_of(sums: &HashMap<i32, Sums>, booking_id: i32) -> Sums {
    sums.get(&booking_id).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::booking::TicketCode;

    #[test]
    fn code_hashes_ignore_case_and_hide_the_code() {
        let code = TicketCode::generate();
        let hash = code_hash(code.as_str());
        assert_eq!(hash, code_hash(&code.as_str().to_lowercase()));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(code.as_str()));
    }
}
