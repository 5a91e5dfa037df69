//! Undoing a mistake at the door: only a ticket's latest movement, once, on record.

use chrono::{DateTime, Utc};

use super::Movement;
use crate::app::{Error, audit};
use crate::db::DbConnection;
use crate::db::audit::Action;
use crate::db::door;
use crate::domain::booking::Direction;

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
    let ticket = door::ticket(conn, checkin.ticket_id)?.ok_or(Error::NotFound("ticket"))?;
    let details = serde_json::json!({
        "checkin_id": checkin_id,
        "reference": ticket.reference,
        "direction": checkin.direction,
        "checked_by": checkin.by,
    });
    let (booking, performance) = (Some(ticket.booking_id), Some(ticket.performance_id));
    audit::note(
        conn,
        Some(user_id),
        Action::CheckinUndone,
        booking,
        performance,
        details,
        now,
    )?;
    Ok(Movement::from(&checkin))
}
