//! Exchanging a booking to another date of its production, in one step and one transaction:
//! the new seats are claimed through the same seat claims as any sale (so an exchange and a new
//! booking racing for a seat end with one owner), the old seats are freed, the old tickets
//! voided and new ones issued with new codes, and the holder is mailed the new date. The booking
//! keeps its reference, manage link and payments; its total follows the new seats, so a dearer
//! seat leaves the difference due and a cheaper one a refund due only if it had been paid.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::book::issue;
use super::{TicketTypes, claim_all, ensure_in_hall, on_sale, picked_seats, priced_seats};
use crate::app::audit;
use crate::app::bookings::{self, Booked};
use crate::app::waitlist::offers::{self, Seats};
use crate::app::{Context, Error};
use crate::db::audit::Action;
use crate::db::bookings::{self as stored, TicketRow};
use crate::db::claims::{self, Claimant};
use crate::db::outbox::{self, MessageKind};
use crate::db::productions::ProductionRow;
use crate::db::{DbConnection, door, performances, productions, waitlist};
use crate::domain::Invalid;
use crate::domain::booking::TicketStatus;
use crate::domain::performance::Status;
use crate::domain::time::rfc3339_utc;

/// Where to, as the edge read it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub performance_id: i32,
    pub seat_ids: Vec<i32>,
    /// Ticket types for the new seats; without them each ticket keeps its type, in seat order.
    pub types: Option<TicketTypes>,
    /// Each wheelchair space picked comes with its companion seat.
    pub with_companions: bool,
}

/// Who moves the booking: its holder, within the production's exchange policy, or the
/// theater's staff for them, who may go past it (the audit log keeps who).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Holder,
    Staff { user_id: i32 },
}

/// Until when before the old performance's start, and how often, a holder may exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub cutoff_minutes: i64,
    pub max_exchanges: i32,
}

impl Policy {
    /// The production's own policy where it has one, the house's (config) where not.
    pub fn of(ctx: &Context, production: &ProductionRow) -> Policy {
        let house = &ctx.booking;
        Policy {
            cutoff_minutes: production
                .exchange_cutoff_minutes
                .map(i64::from)
                .unwrap_or_else(|| ctx.exchange_cutoff().num_minutes()),
            max_exchanges: production
                .max_exchanges
                .unwrap_or(house.max_exchanges as i32),
        }
    }

    /// Why a holder may not exchange a booking that has been exchanged `exchanges` times, of a
    /// performance starting at `starts_at`, at `now`; none if they may.
    pub fn refusal(
        &self,
        exchanges: i32,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<Error> {
        if now > starts_at - Duration::minutes(self.cutoff_minutes) {
            Some(Error::ExchangeClosed {
                cutoff_minutes: self.cutoff_minutes,
            })
        } else if exchanges >= self.max_exchanges {
            Some(Error::ExchangeLimitReached {
                max_exchanges: self.max_exchanges,
            })
        } else {
            None
        }
    }
}

/// The policy that applies to a booking's current performance.
pub fn policy_of(conn: &mut DbConnection, ctx: &Context, booked: &Booked) -> Result<Policy, Error> {
    let production = productions::find(conn, booked.staged.performance.production_id)?
        .ok_or(Error::NotFound("production"))?;
    Ok(Policy::of(ctx, &production))
}

/// Moves a booking to `to`, all of it or nothing: call inside a write transaction. The booking
/// is re-read under its row lock, so two exchanges of one booking go one after the other.
pub fn exchange(
    conn: &mut DbConnection,
    ctx: &Context,
    booking_id: i32,
    to: &Exchange,
    mover: Mover,
    now: DateTime<Utc>,
) -> Result<Booked, Error> {
    let booking = stored::find_locked(conn, booking_id)?.ok_or(Error::NotFound("booking"))?;
    let before = bookings::with_details(conn, booking.clone())?;
    if booking.is_cancelled() {
        return Err(Error::BookingCancelled);
    }
    let from = &before.staged.performance;
    let starts_at = from.slot().starts_at;
    match mover {
        Mover::Holder => {
            if let Some(refusal) =
                policy_of(conn, ctx, &before)?.refusal(booking.exchanges, starts_at, now)
            {
                return Err(refusal);
            }
        }
        // Staff may go past the policy, not past the start.
        Mover::Staff { .. } if now >= starts_at => {
            return Err(Error::ExchangeClosed { cutoff_minutes: 0 });
        }
        Mover::Staff { .. } => {}
    }
    if door::booking_admitted(conn, booking.id)? {
        return Err(Error::HolderAdmitted);
    }
    let (staged, prices) = performances::staged_with_prices(conn, to.performance_id)?
        .filter(|(staged, _)| {
            let target = &staged.performance;
            target.production_id == from.production_id
                && target.id != from.id
                && target.status != Status::Draft
        })
        .ok_or_else(|| {
            Invalid::new("performance_id", "pick another date of the same production")
        })?;
    on_sale(&staged.performance, now)?;
    let kept: Vec<&TicketRow> = before
        .tickets
        .iter()
        .filter(|ticket| ticket.status == TicketStatus::Valid)
        .collect();
    let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
    let picked = ctx
        .companion_rule(staged.performance.slot().starts_at, now)
        .seats_to_sell(&plan, to.seat_ids.clone(), to.with_companions)?;
    let seat_ids = same_count(picked_seats(picked, kept.len().max(1))?, kept.len())?;
    ensure_in_hall(&plan, &seat_ids)?;
    let types = match &to.types {
        Some(types) => types.clone(),
        None => carried(&kept, &plan, &seat_ids)?,
    };
    let seats = priced_seats(&plan, &prices, &seat_ids, &types)?;
    let performance_id = staged.performance.id;
    claim_all(
        conn,
        performance_id,
        &seat_ids,
        Claimant::Booking { id: booking.id },
        now,
    )?;
    waitlist::lock_line(conn, from.id)?;
    let freed = claims::release_booking(conn, booking.id, from.id)?;
    offers::offer(conn, ctx, from.id, Seats::Freed(&freed), now)?;
    stored::void_tickets_of(conn, booking.id, from.id)?;
    let total = if booking.comp {
        0
    } else {
        seats.iter().map(|seat| seat.price).sum()
    };
    stored::move_to(conn, booking.id, performance_id, total)?;
    issue(conn, booking.id, performance_id, &seats, booking.comp, now)?;
    let by = match mover {
        Mover::Holder => None,
        Mover::Staff { user_id } => Some(user_id),
    };
    audit::note(
        conn,
        by,
        Action::BookingExchanged,
        Some(booking.id),
        Some(performance_id),
        json!({
            "reference": booking.reference,
            "from_performance": from.id,
            "to_performance": performance_id,
            "seats_before": kept.iter().map(|t| t.seat_id).collect::<Vec<_>>(),
            "seats_after": seat_ids,
            "total_before": booking.total,
            "total_after": total,
        }),
        now,
    )?;
    if let Some(email) = &booking.email {
        let details = json!({
            "previous_starts_at": rfc3339_utc(starts_at),
            "previous_performance": from.id,
        });
        outbox::enqueue(
            conn,
            MessageKind::BookingExchanged,
            booking.id,
            email,
            &details,
            now,
        )?;
    }
    bookings::load(conn, booking.id)
}

/// An exchange keeps the number of seats.
fn same_count(seat_ids: Vec<i32>, count: usize) -> Result<Vec<i32>, Error> {
    if seat_ids.len() == count {
        Ok(seat_ids)
    } else {
        Err(Error::SeatCountDiffers { seats: count })
    }
}

/// Each old ticket's type for a new seat, both in seat order: a student ticket stays a student
/// ticket (and is refused where the new zone has no student price).
fn carried(
    kept: &[&TicketRow],
    plan: &[crate::db::venues::SeatRow],
    seat_ids: &[i32],
) -> Result<TicketTypes, Invalid> {
    let new_seats = plan.iter().filter(|seat| seat_ids.contains(&seat.id));
    let choices: Vec<_> = new_seats
        .zip(kept)
        .map(|(seat, ticket)| (seat.id, ticket.ticket_type))
        .collect();
    TicketTypes::parse(&choices)
}
