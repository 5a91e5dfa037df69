//! The door (staff or director): `POST /api/v1/checkins` admits a ticket exactly once,
//! `DELETE /api/v1/checkins/{id}` undoes a mistake, `GET …/door` is what a door device keeps for
//! working offline, `GET …/attendees` finds people by name, reference or seat.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::openapi::ErrorBody;
use super::performances::load_view;
use crate::auth::Staff;
use crate::db::door::{self, CheckinRow, DoorTicket, NewCheckin};
use crate::db::{self, DbConnection, performances, productions, venues};
use crate::domain::booking::{Reference, TicketCode};
use crate::domain::time::{from_stored, rfc3339_utc};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/checkins", web::post().to(check_in))
        .route("/checkins/{id}", web::delete().to(undo_checkin))
        .route("/performances/{id}/door", web::get().to(door_data))
        .route("/performances/{id}/attendees", web::get().to(attendees));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckinRequest {
    /// The code from the ticket's QR code, scanned or typed.
    code: String,
    performance_id: i32,
    direction: Direction,
    /// Makes the call idempotent: a scan uploaded again gets its first answer back.
    nonce: Option<String>,
    /// Which door device scanned; defaults to the client's User-Agent.
    device: Option<String>,
}

/// The answer to a scan. `result` is `admitted`, `left`, `already_admitted`, `not_inside`,
/// `wrong_performance`, `cancelled` or `unknown`; the HTTP status says the same (200, 200, 409,
/// 409, 422, 410, 404).
#[derive(Serialize, ToSchema)]
pub struct ScanAnswer {
    result: String,
    #[schema(value_type = Object)]
    ticket: Option<Value>,
    #[schema(value_type = Object)]
    checkin: Option<Value>,
    first_at: Option<String>,
    by: Option<String>,
}

/// Scans a ticket in or out.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "door", security(("bearer" = [])), request_body = CheckinRequest,
    responses((status = 200, description = "`admitted` or `left`", body = ScanAnswer),
              (status = 409, description = "`already_admitted` (when and by whom) or `not_inside`", body = ScanAnswer),
              (status = 422, description = "`wrong_performance`", body = ScanAnswer),
              (status = 410, description = "`cancelled`", body = ScanAnswer),
              (status = 404, description = "`unknown`: not a code of ours, or tampered with", body = ScanAnswer),
              (status = 401, body = ErrorBody)))]
pub async fn check_in(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    body: ApiJson<CheckinRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let user_id = staff.0.user_id;
    let by = staff.0.email.clone();
    let device = input
        .device
        .clone()
        .or_else(|| {
            req.headers()
                .get("User-Agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect::<String>();
    let nonce = input.nonce.clone().filter(|n| !n.trim().is_empty());
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
                let (status, body) = scan(conn, &input, user_id, &by, &device, now)?;
                let body = body.to_string();
                if let Some(nonce) = &nonce {
                    door::remember_scan(conn, nonce, i32::from(status.as_u16()), &body, now)?;
                }
                Ok((i32::from(status.as_u16()), body))
            })
        })
        .await;
    let (status, body) = match outcome {
        Ok(answer) => answer,
        // The same nonce raced itself: the first answer stands.
        Err(error) if error.is_duplicate() && replay_nonce.is_some() => {
            let nonce = replay_nonce.unwrap_or_default();
            state
                .with_db(move |conn| door::scan_result(conn, &nonce)?.ok_or(error))
                .await?
        }
        Err(error) => return Err(error),
    };
    let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
    Ok(HttpResponse::build(status)
        .content_type("application/json")
        .body(body))
}

fn scan(
    conn: &mut DbConnection,
    input: &CheckinRequest,
    user_id: i32,
    by: &str,
    device: &str,
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
        let performance = performances::find(conn, ticket.performance_id)?
            .ok_or_else(|| ApiError::not_found("performance"))?;
        let zone = venues::find(conn, performance.venue_id)?.map(|v| v.zone());
        let title = productions::find(conn, performance.production_id)?
            .map(|p| p.title)
            .unwrap_or_default();
        let starts_at = zone
            .map(|z| z.rfc3339(performance.slot().starts_at))
            .unwrap_or_default();
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
            user_id,
            device,
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
            "checkin": { "id": id, "direction": direction, "at": rfc3339_utc(now), "by": by, "device": device },
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

/// Undoes a mistaken check-in (or check-out). The record stays, marked undone.
#[utoipa::path(delete, path = "/api/v1/checkins/{id}", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Check-in id")),
    responses((status = 200, description = "Undone"), (status = 404, body = ErrorBody),
              (status = 409, description = "`already_undone` or `not_latest`", body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn undo_checkin(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (id, user_id) = (id.into_inner(), staff.0.user_id);
    let undone = state
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
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "result": "undone", "checkin": undone })))
}

fn checkin_json(checkin: &CheckinRow) -> Value {
    json!({ "id": checkin.id, "direction": checkin.direction, "at": rfc3339_utc(from_stored(checkin.at)), "by": checkin.by, "device": checkin.device })
}

/// What a door device keeps to work offline: every ticket as a hash of its code (never the
/// code), with seat, name, reference, payment and whether its holder is inside; the hashes of
/// cancelled tickets; and the counts. The hash is the lower-case hex SHA-256 of the code.
#[utoipa::path(get, path = "/api/v1/performances/{id}/door", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, description = "The door data"), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn door_data(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let data = state
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
            }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(data))
}

/// The hash a door device compares scanned codes against.
pub fn code_hash(code: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(code.to_ascii_uppercase().as_bytes()))
}

#[derive(Deserialize, IntoParams)]
pub struct AttendeeQuery {
    /// A name (or part of one), a booking reference, or a seat as `3-7` (row 3, seat 7).
    q: String,
}

/// Finds ticket holders of a performance by name, reference or seat.
#[utoipa::path(get, path = "/api/v1/performances/{id}/attendees", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id"), AttendeeQuery),
    responses((status = 200, description = "Matching tickets, with codes to admit them"), (status = 401, body = ErrorBody)))]
pub async fn attendees(
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    query: web::Query<AttendeeQuery>,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let q = query.into_inner().q;
    let needle = q.trim().to_lowercase();
    let reference = Reference::parse(&q);
    let seat: Vec<i32> = q
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let found = state
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
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "attendees": found })))
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
