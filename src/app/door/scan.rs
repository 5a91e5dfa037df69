//! A scan: a ticket in or out, exactly once however many doors scan it at the same instant (a
//! conditional UPDATE of `tickets.inside`), answered for the door to act on at once. A scan with
//! a nonce seen before gets its first answer again, so an upload repeated after an outage is
//! harmless. A ticket whose booking still owes money is not admitted until it is paid (in the
//! same transaction as the admission) or staff let it in unpaid, which the audit log keeps.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::pay::{Due, Taken, owed, settle};
use super::{Movement, TicketAtDoor, account_of};
use crate::app::Error;
use crate::db::door::{self, DoorTicket, NewCheckin};
use crate::db::{self, DbConnection, payments, performances};
use crate::domain::Invalid;
use crate::domain::booking::{Direction, TicketCode, TicketStatus};
use crate::domain::payment::Method;
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
    /// Pay what the booking owes with this (cash, card or kaspi), then admit.
    pub pay_with: Option<Method>,
    /// Admit although money is due (a group paying by invoice): it stays owed, on record.
    pub admit_unpaid: bool,
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
    /// Money is due: `due` says how much, for the whole booking. Scan again with a payment
    /// method (or `admit_unpaid`) to admit.
    PaymentDue,
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
    /// For `payment_due`, and for `admitted` unpaid: what the booking still owes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub due: Option<Due>,
    /// For `admitted` with a payment: what was taken.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub taken: Option<Taken>,
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
            due: None,
            taken: None,
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
        // Asking for money changed nothing: the same nonce, sent again with the payment, is
        // the scan that admits.
        if let Some(nonce) = nonce.filter(|_| answer.result != ScanResult::PaymentDue) {
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
    if scan.pay_with == Some(Method::Transfer) {
        return Err(Invalid::new("payment.method", "the door takes cash, card or kaspi").into());
    }
    let sums = payments::sums(conn, ticket.booking_id)?;
    let shown = |performance| {
        Some(ScannedTicket {
            ticket: TicketAtDoor::new(&ticket, sums),
            performance,
        })
    };
    let due = account_of(&ticket, sums).due();
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
    let unpaid = scan.direction == Direction::In && due > 0;
    if unpaid && !ticket.inside && scan.pay_with.is_none() && !scan.admit_unpaid {
        return Ok(ScanAnswer {
            due: Some(owed(conn, &ticket, due)?),
            ..ScanAnswer::only(ScanResult::PaymentDue, shown(None))
        });
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
    // Admitted: now the money, in the same transaction, so that both happen or neither does.
    let (taken, still_due, sums) = if unpaid {
        let settled = settle(
            conn,
            &ticket,
            scan.pay_with,
            (due, sums),
            scanner.user_id,
            now,
        )?;
        (settled.taken, settled.still_due, settled.sums)
    } else {
        (None, None, sums)
    };
    Ok(ScanAnswer {
        ticket: shown_now(&ticket, sums),
        due: still_due,
        taken,
        checkin: Some(Movement {
            id,
            direction: scan.direction,
            at: rfc3339_utc(now),
            by: scanner.email.clone(),
            device: scanner.device.clone(),
        }),
        ..ScanAnswer::only(result, None)
    })
}

fn shown_now(ticket: &DoorTicket, sums: payments::Sums) -> Option<ScannedTicket> {
    Some(ScannedTicket {
        ticket: TicketAtDoor::new(ticket, sums),
        performance: None,
    })
}
