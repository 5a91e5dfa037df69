//! A scan: a ticket in or out, exactly once however many doors scan it at the same instant (a
//! conditional UPDATE of `tickets.inside`), answered for the door to act on at once. A scan with
//! a nonce seen before gets its first answer again, so an upload repeated after an outage is
//! harmless.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Movement, TicketAtDoor};
use crate::app::Error;
use crate::db::door::{self, NewCheckin};
use crate::db::{self, DbConnection, performances};
use crate::domain::booking::{Direction, TicketCode, TicketStatus};
use crate::domain::time::{from_stored, rfc3339_utc};

/// One scan as the door sends it.
#[derive(Debug, Clone)]
pub struct Scan {
    /// As scanned or typed.
    pub code: String,
    pub performance_id: i32,
    pub direction: Direction,
    /// Makes the scan idempotent: sent again, it gets its first answer back.
    pub nonce: Option<String>,
}

/// Who scanned, on which device.
#[derive(Debug, Clone)]
pub struct Scanner {
    pub user_id: i32,
    pub email: String,
    pub device: String,
}

/// What the door should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanResult {
    /// Let them in.
    Admitted,
    /// Out for the interval; `in` again lets them back.
    Left,
    /// Inside already: `first_at` and `by` say since when and who let them in.
    AlreadyAdmitted,
    /// Going out, but not inside.
    NotInside,
    /// A ticket for another performance: `ticket.performance` says which.
    WrongPerformance,
    /// The booking was cancelled.
    Cancelled,
    /// Not a code of ours, or one that was tampered with.
    Unknown,
}

/// The performance a ticket of another performance is for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OtherPerformance {
    pub id: i32,
    /// In the venue's zone, with its offset.
    pub starts_at: String,
    pub production: String,
}

/// The scanned ticket, and for a ticket of another performance, that performance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScannedTicket {
    #[serde(flatten)]
    pub ticket: TicketAtDoor,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub performance: Option<OtherPerformance>,
}

/// The answer to a scan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScanAnswer {
    pub result: ScanResult,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ticket: Option<ScannedTicket>,
    /// The movement recorded: for `admitted` and `left`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checkin: Option<Movement>,
    /// For `already_admitted`: when the holder was let in (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first_at: Option<String>,
    /// For `already_admitted`: who let them in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub by: Option<String>,
}

impl ScanAnswer {
    fn only(result: ScanResult, ticket: Option<ScannedTicket>) -> ScanAnswer {
        ScanAnswer {
            result,
            ticket,
            checkin: None,
            first_at: None,
            by: None,
        }
    }
}

/// Scans a ticket in a write transaction of its own. With a nonce, the first answer given to
/// that nonce is the answer, also when the same nonce races itself.
pub fn scan_once(
    conn: &mut DbConnection,
    scan: &Scan,
    scanner: &Scanner,
    now: DateTime<Utc>,
) -> Result<ScanAnswer, Error> {
    let nonce = scan.nonce.as_deref().filter(|n| !n.trim().is_empty());
    let outcome = db::write_transaction(conn, |conn| {
        if let Some(nonce) = nonce
            && let Some(first) = door::scan_result(conn, nonce)?
        {
            return decode(&first);
        }
        let answer = answer(conn, scan, scanner, now)?;
        if let Some(nonce) = nonce {
            let body = serde_json::to_string(&answer).map_err(Error::internal)?;
            door::remember_scan(conn, nonce, &body, now)?;
        }
        Ok(answer)
    });
    match (outcome, nonce) {
        (Err(Error::Conflict(error)), Some(nonce)) => match door::scan_result(conn, nonce)? {
            Some(first) => decode(&first),
            None => Err(Error::Conflict(error)),
        },
        (outcome, _) => outcome,
    }
}

fn decode(stored: &str) -> Result<ScanAnswer, Error> {
    serde_json::from_str(stored).map_err(Error::internal)
}

/// The answer to one scan, moving the ticket's holder in or out if the ticket allows it. Call
/// inside a write transaction.
pub fn answer(
    conn: &mut DbConnection,
    scan: &Scan,
    scanner: &Scanner,
    now: DateTime<Utc>,
) -> Result<ScanAnswer, Error> {
    let Some(ticket) = TicketCode::parse(&scan.code)
        .map(|code| door::ticket_by_code(conn, code.as_str()))
        .transpose()?
        .flatten()
    else {
        return Ok(ScanAnswer::only(ScanResult::Unknown, None));
    };
    let shown = |performance| {
        Some(ScannedTicket {
            ticket: TicketAtDoor::from(&ticket),
            performance,
        })
    };
    let other = if ticket.performance_id == scan.performance_id {
        None
    } else {
        let staged = performances::staged(conn, ticket.performance_id)?
            .ok_or(Error::NotFound("performance"))?;
        Some(OtherPerformance {
            id: staged.performance.id,
            starts_at: staged
                .venue
                .zone()
                .rfc3339(staged.performance.slot().starts_at),
            production: staged.title,
        })
    };
    // Cancelled wins over every other answer: a holder sent away to come back another day
    // would find the ticket cancelled then.
    if ticket.status != TicketStatus::Valid {
        return Ok(ScanAnswer::only(ScanResult::Cancelled, shown(other)));
    }
    if other.is_some() {
        return Ok(ScanAnswer::only(ScanResult::WrongPerformance, shown(other)));
    }
    let moved = match scan.direction {
        Direction::In => door::admit(conn, ticket.ticket_id)?,
        Direction::Out => door::let_out(conn, ticket.ticket_id)?,
    };
    if !moved {
        return Ok(match scan.direction {
            Direction::In => {
                let first = door::latest(conn, ticket.ticket_id)?;
                ScanAnswer {
                    first_at: first.as_ref().map(|c| rfc3339_utc(from_stored(c.at))),
                    by: first.map(|c| c.by),
                    ..ScanAnswer::only(ScanResult::AlreadyAdmitted, shown(None))
                }
            }
            Direction::Out => ScanAnswer::only(ScanResult::NotInside, shown(None)),
        });
    }
    let id = door::record(
        conn,
        &NewCheckin {
            ticket_id: ticket.ticket_id,
            performance_id: ticket.performance_id,
            direction: scan.direction,
            user_id: scanner.user_id,
            device: &scanner.device,
        },
        now,
    )?;
    let result = match scan.direction {
        Direction::In => ScanResult::Admitted,
        Direction::Out => ScanResult::Left,
    };
    Ok(ScanAnswer {
        checkin: Some(Movement {
            id,
            direction: scan.direction,
            at: rfc3339_utc(now),
            by: scanner.email.clone(),
            device: scanner.device.clone(),
        }),
        ..ScanAnswer::only(result, shown(None))
    })
}

/// Undoes a check-in (or check-out): only a ticket's latest movement, and only once. The record
/// stays, marked undone. Call inside a write transaction.
pub fn undo(
    conn: &mut DbConnection,
    checkin_id: i32,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<Movement, Error> {
    let checkin = door::checkin(conn, checkin_id)?.ok_or(Error::NotFound("check-in"))?;
    if checkin.undone_at.is_some() {
        return Err(Error::AlreadyUndone);
    }
    if door::latest(conn, checkin.ticket_id)?.map(|c| c.id) != Some(checkin_id) {
        return Err(Error::NotLatest);
    }
    door::mark_undone(conn, checkin_id, user_id, now)?;
    door::set_inside(conn, checkin.ticket_id, checkin.direction == Direction::Out)?;
    Ok(Movement::from(&checkin))
}
