//! Turning a hold into a booking with tickets, the confirmation mail queued in the same
//! transaction, and retries made safe by an idempotency key.

use chrono::{DateTime, Utc};

use super::{PricedSeat, TicketTypes, on_sale, priced_seats, tickets_for};
use crate::app::bookings::{self, Booked};
use crate::app::{Context, Error, Idempotency};
use crate::auth::token;
use crate::db::bookings::{self as stored, NewBooking, TicketRow};
use crate::db::outbox::{self, MessageKind};
use crate::db::payments::Sums;
use crate::db::{self, DbConnection, claims, holds, performances, waitlist};
use crate::domain::Email;
use crate::domain::booking::{Language, Reference, TicketStatus};
use crate::domain::time::from_stored;

/// Who books, and the ticket type they chose for each seat, as parsed at the edge.
#[derive(Debug, Clone)]
pub struct Buyer {
    pub name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub language: Language,
    /// A concession for some seats; the others are at the full price.
    pub types: TicketTypes,
}

/// Books the seats of a live hold, issues their tickets, queues the confirmation mail and, with
/// a key, remembers it: all in the caller's write transaction. An unknown, used or expired hold
/// is [`Error::HoldExpired`]; a key already remembered makes the insert fail
/// ([`Error::Conflict`]). See [`book_once`] for the retries a key makes safe.
pub fn book(
    conn: &mut DbConnection,
    ctx: &Context,
    hold_token: &str,
    buyer: &Buyer,
    idempotency: Option<&Idempotency>,
    now: DateTime<Utc>,
) -> Result<Booked, Error> {
    let (hold, seat_ids) =
        holds::find_with_seats(conn, &token::hash(hold_token), now)?.ok_or(Error::HoldExpired)?;
    // A hold that expired, or became a booking, claims fewer seats than it took (none).
    if from_stored(hold.expires_at) <= now || seat_ids.len() != hold.seat_count as usize {
        return Err(Error::HoldExpired);
    }
    let (staged, prices) =
        performances::staged_with_prices(conn, hold.performance_id)?.ok_or(Error::HoldExpired)?;
    on_sale(&staged.performance, now)?;
    let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
    let seats = priced_seats(&plan, &prices, &seat_ids, &buyer.types)?;
    // 32^8 references: a collision fails the insert on the unique index, and the buyer retries.
    let booking = stored::insert(
        conn,
        &NewBooking {
            reference: &Reference::generate(),
            performance_id: hold.performance_id,
            hold_id: Some(hold.id),
            name: &buyer.name,
            email: Some(buyer.email.as_str()),
            phone: buyer.phone.as_deref(),
            language: buyer.language,
            comp: false,
            sold_by: None,
            total: seats.iter().map(|seat| seat.price).sum(),
        },
        now,
    )?;
    if claims::convert_hold(conn, hold.id, booking.id, now)? != seat_ids.len() {
        return Err(Error::HoldExpired);
    }
    if let Some(entry_id) = hold.waitlist_entry_id {
        waitlist::mark_booked(conn, entry_id, booking.id, now)?;
    }
    let tickets = issue(conn, booking.id, hold.performance_id, &seats, false, now)?;
    if let Some(idempotency) = idempotency {
        db::idempotency::remember(
            conn,
            &idempotency.key,
            &idempotency.request_hash,
            booking.id,
            now,
        )?;
    }
    outbox::enqueue(
        conn,
        MessageKind::BookingConfirmed,
        booking.id,
        buyer.email.as_str(),
        &serde_json::json!({}),
        now,
    )?;
    Ok(Booked {
        booking,
        staged,
        tickets,
        sums: Sums::default(),
    })
}

/// [`book`] in a write transaction of its own. With a key, a request that finds its hold used
/// (a retry after the first answer was lost) or that lost the race for its key (the same request
/// sent twice at once) gets the booking the key made; a key that came with another request is
/// [`Error::IdempotencyKeyReused`]. The key is looked up only when booking fails.
pub fn book_once(
    conn: &mut DbConnection,
    ctx: &Context,
    hold_token: &str,
    buyer: &Buyer,
    idempotency: Option<&Idempotency>,
    now: DateTime<Utc>,
) -> Result<Booked, Error> {
    let outcome = db::write_transaction(conn, |conn| {
        book(conn, ctx, hold_token, buyer, idempotency, now)
    });
    match (outcome, idempotency) {
        (Err(error @ (Error::HoldExpired | Error::Conflict(_))), Some(idempotency)) => {
            match replay(conn, idempotency)? {
                Some(booking_id) => bookings::load(conn, booking_id),
                None => Err(error),
            }
        }
        (outcome, _) => outcome,
    }
}

/// The booking an idempotency key made, if the request is the same.
fn replay(conn: &mut DbConnection, idempotency: &Idempotency) -> Result<Option<i32>, Error> {
    match db::idempotency::find(conn, &idempotency.key)? {
        None => Ok(None),
        Some((hash, booking_id)) if hash == idempotency.request_hash => Ok(Some(booking_id)),
        Some(_) => Err(Error::IdempotencyKeyReused),
    }
}

/// Issues one ticket per seat (free ones for a comp) and returns them as a booking shows them.
pub(super) fn issue(
    conn: &mut DbConnection,
    booking_id: i32,
    performance_id: i32,
    seats: &[PricedSeat],
    comp: bool,
    now: DateTime<Utc>,
) -> Result<Vec<TicketRow>, Error> {
    let new = tickets_for(seats, comp);
    let issued = stored::insert_tickets(conn, booking_id, performance_id, &new, now)?;
    seats
        .iter()
        .zip(&new)
        .map(|(seat, ticket)| {
            let issued = issued
                .iter()
                .find(|issued| issued.seat_id == seat.id)
                .ok_or_else(|| {
                    Error::internal(anyhow::anyhow!("ticket for seat {} not issued", seat.id))
                })?;
            Ok(TicketRow {
                id: issued.id,
                seat_id: seat.id,
                row_number: seat.row,
                seat_number: seat.number,
                zone: seat.zone.clone(),
                code: issued.code.clone(),
                price: ticket.price,
                status: TicketStatus::Valid,
                ticket_type: seat.ticket_type,
            })
        })
        .collect()
}
