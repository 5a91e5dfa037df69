//! Admission at the door: scanning tickets in and out exactly once, undoing a mistake, the data
//! a door device keeps for working offline, and finding people by name, reference or seat.

use actix_web::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::db::door::{self, CheckinRow, DoorTicket, NewCheckin};
use crate::db::{self, DbConnection, performances};
use crate::domain::booking::{Reference, TicketCode};
use crate::domain::time::{from_stored, rfc3339_utc};
use crate::error::ApiError;
use crate::routes::performances::load_view;
use crate::startup::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
}

/// One scan as the door sends it.
#[derive(Debug, Clone)]
pub struct Scan {
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

/// Scans a ticket in or out; returns the HTTP status and the JSON answer (see the API docs).
/// A scan with a nonce seen before returns the first answer.
pub async fn scan(
    state: &AppState,
    scan: Scan,
    scanner: Scanner,
) -> Result<(StatusCode, String), ApiError> {
    let nonce = scan.nonce.clone().filter(|n| !n.trim().is_empty());
    let replay_nonce = nonce.clone();
    let outcome = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                if let Some(nonce) = &nonce
                    && let Some(first) = door::scan_result(conn, nonce)?
                {
                    return Ok(first);
                }
                let (status, body) = answer(conn, &scan, &scanner, now)?;
                let body = body.to_string();
                if let Some(nonce) = &nonce {
                    door::remember_scan(conn, nonce, i32::from(status.as_u16()), &body, now)?;
                }
                Ok((i32::from(status.as_u16()), body))
            })
        })
        .await;
    let (status, body) = match (outcome, replay_nonce) {
        (Ok(answer), _) => answer,
        // The same nonce raced itself: the first answer stands.
        (Err(error), Some(nonce)) if error.is_duplicate() => {
            state
                .with_db(move |conn| door::scan_result(conn, &nonce)?.ok_or(error))
                .await?
        }
        (Err(error), _) => return Err(error),
    };
    Ok((
        StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK),
        body,
    ))
}

fn answer(
    conn: &mut DbConnection,
    input: &Scan,
    scanner: &Scanner,
    now: chrono::DateTime<Utc>,
) -> Result<(StatusCode, Value), ApiError> {
    let unknown = || (StatusCode::NOT_FOUND, json!({ "result": "unknown" }));
    let Some(code) = TicketCode::parse(&input.code) else {
        return Ok(unknown());
    };
    let Some(ticket) = door::ticket_by_code(conn, code.as_str())? else {
        return Ok(unknown());
    };
    if ticket.performance_id != input.performance_id {
        let performances::Staged {
            performance,
            venue,
            title,
        } = performances::staged(conn, ticket.performance_id)?
            .ok_or_else(|| ApiError::not_found("performance"))?;
        let starts_at = venue.zone().rfc3339(performance.slot().starts_at);
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "result": "wrong_performance",
                "ticket": ticket_json(&ticket, Some(json!({ "id": performance.id, "starts_at": starts_at, "production": title }))),
            }),
        ));
    }
    if ticket.status != "valid" {
        return Ok((
            StatusCode::GONE,
            json!({ "result": "cancelled", "ticket": ticket_json(&ticket, None) }),
        ));
    }
    let moved = match input.direction {
        Direction::In => door::admit(conn, ticket.ticket_id)?,
        Direction::Out => door::let_out(conn, ticket.ticket_id)?,
    };
    if !moved {
        return Ok(match input.direction {
            Direction::In => {
                let first = door::latest(conn, ticket.ticket_id)?;
                (
                    StatusCode::CONFLICT,
                    json!({
                        "result": "already_admitted",
                        "first_at": first.as_ref().map(|c| rfc3339_utc(from_stored(c.at))),
                        "by": first.as_ref().map(|c| c.by.clone()),
                        "ticket": ticket_json(&ticket, None),
                    }),
                )
            }
            Direction::Out => (
                StatusCode::CONFLICT,
                json!({ "result": "not_inside", "ticket": ticket_json(&ticket, None) }),
            ),
        });
    }
    let direction = if input.direction == Direction::In {
        "in"
    } else {
        "out"
    };
    let id = door::record(
        conn,
        &NewCheckin {
            ticket_id: ticket.ticket_id,
            performance_id: ticket.performance_id,
            direction,
            user_id: scanner.user_id,
            device: &scanner.device,
        },
        now,
    )?;
    let result = if input.direction == Direction::In {
        "admitted"
    } else {
        "left"
    };
    Ok((
        StatusCode::OK,
        json!({
            "result": result,
            "ticket": ticket_json(&ticket, None),
            "checkin": { "id": id, "direction": direction, "at": rfc3339_utc(now), "by": scanner.email, "device": scanner.device },
        }),
    ))
}

fn ticket_json(ticket: &DoorTicket, performance: Option<Value>) -> Value {
    let mut value = json!({
        "seat": { "row": ticket.row_number, "number": ticket.seat_number, "zone": ticket.zone },
        "name": ticket.name,
        "reference": ticket.reference,
        "payment": ticket.payment,
    });
    if let Some(performance) = performance {
        value["performance"] = performance;
    }
    value
}

/// Undoes a check-in (or check-out): only a ticket's latest movement, and only once. The record
/// stays, marked undone.
pub async fn undo(state: &AppState, id: i32, user_id: i32) -> Result<Value, ApiError> {
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let checkin =
                    door::checkin(conn, id)?.ok_or_else(|| ApiError::not_found("check-in"))?;
                if checkin.undone_at.is_some() {
                    return Err(ApiError::conflict(
                        "already_undone",
                        "this check-in was already undone",
                    ));
                }
                if door::latest(conn, checkin.ticket_id)?.map(|c| c.id) != Some(id) {
                    return Err(ApiError::conflict(
                        "not_latest",
                        "only the ticket's latest movement can be undone",
                    ));
                }
                door::mark_undone(conn, id, user_id, Utc::now())?;
                door::set_inside(conn, checkin.ticket_id, checkin.direction == "out")?;
                Ok(checkin_json(&checkin))
            })
        })
        .await
}

fn checkin_json(checkin: &CheckinRow) -> Value {
    json!({ "id": checkin.id, "direction": checkin.direction, "at": rfc3339_utc(from_stored(checkin.at)), "by": checkin.by, "device": checkin.device })
}

/// What a door device keeps to work offline (see the API docs of `GET …/door`).
pub async fn door_data(state: &AppState, performance_id: i32) -> Result<Value, ApiError> {
    state
        .with_db(move |conn| {
            let row = performances::find(conn, performance_id)?.ok_or_else(|| ApiError::not_found("performance"))?;
            let performance = load_view(conn, row)?;
            let tickets = door::tickets_of(conn, performance_id)?;
            let latest: std::collections::HashMap<i32, CheckinRow> =
                door::latest_of_performance(conn, performance_id)?.into_iter().map(|c| (c.ticket_id, c)).collect();
            let (valid, void): (Vec<_>, Vec<_>) = tickets.into_iter().partition(|t| t.status == "valid");
            let admitted = valid.iter().filter(|t| latest.contains_key(&t.ticket_id)).count();
            let inside = valid.iter().filter(|t| t.inside).count();
            let entries: Vec<Value> = valid
                .iter()
                .map(|t| {
                    let mut entry = ticket_json(t, None);
                    entry["code_hash"] = json!(code_hash(&t.code));
                    entry["inside"] = json!(t.inside);
                    entry["last_checkin"] = latest.get(&t.ticket_id).map(checkin_json).unwrap_or(Value::Null);
                    entry
                })
                .collect();
            Ok(json!({
                "performance": performance,
                "tickets": entries,
                "cancelled": void.iter().map(|t| code_hash(&t.code)).collect::<Vec<_>>(),
                "counts": { "booked": valid.len(), "admitted": admitted, "inside": inside, "expected": valid.len() - admitted },
                "generated_at": rfc3339_utc(Utc::now()),
            }))
        })
        .await
}

/// The hash a door device compares scanned codes against.
pub fn code_hash(code: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(code.to_ascii_uppercase().as_bytes()))
}

/// Ticket holders of a performance whose name contains `q` (any case, any script), whose
/// booking reference is `q`, or whose seat is `q` as "row-seat" (`3-7`).
pub async fn attendees(
    state: &AppState,
    performance_id: i32,
    q: &str,
) -> Result<Vec<Value>, ApiError> {
    let needle = q.trim().to_lowercase();
    let reference = Reference::parse(q);
    let seat: Vec<i32> = q
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    state
        .with_db(move |conn| {
            performances::find(conn, performance_id)?
                .ok_or_else(|| ApiError::not_found("performance"))?;
            Ok(door::tickets_of(conn, performance_id)?
                .into_iter()
                .filter(|t| {
                    let by_name = !needle.is_empty() && t.name.to_lowercase().contains(&needle);
                    let by_reference = reference
                        .as_ref()
                        .is_some_and(|r| r.as_str() == t.reference);
                    let by_seat =
                        seat.len() == 2 && seat[0] == t.row_number && seat[1] == t.seat_number;
                    by_name || by_reference || by_seat
                })
                .map(|t| {
                    let mut entry = ticket_json(&t, None);
                    entry["code"] = json!(t.code);
                    entry["status"] = json!(t.status);
                    entry["inside"] = json!(t.inside);
                    entry
                })
                .collect())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_hashes_ignore_case_and_hide_the_code() {
        let code = TicketCode::generate();
        let hash = code_hash(code.as_str());
        assert_eq!(hash, code_hash(&code.as_str().to_lowercase()));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(code.as_str()));
    }
}
