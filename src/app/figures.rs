//! A performance's figures for the director: seats sold and revenue by zone, seats in checkout
//! now, the bookings with their payment state, and the house seats.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Context, Error};
use crate::db::claims::{self, Claim};
use crate::db::performances::{self, Staged};
use crate::db::seat_blocks::{self, BlockRow};
use crate::db::venues::SeatRow;
use crate::db::{DbConnection, door};
use crate::domain::booking::{PaidWith, Payment, TicketStatus};

#[derive(Debug, Clone)]
pub struct ZoneFigures {
    pub zone: String,
    pub seats: usize,
    pub sold: usize,
    /// Whole tenge.
    pub revenue: i64,
}

/// One booking as the director's list shows it.
#[derive(Debug, Clone)]
pub struct BookingLine {
    pub reference: String,
    /// Empty for a walk-up buyer who gave none.
    pub name: String,
    /// (row, seat) of each ticket.
    pub seats: Vec<(i32, i32)>,
    pub payment: Payment,
    pub paid_with: Option<PaidWith>,
    pub cancelled: bool,
}

#[derive(Debug, Clone)]
pub struct Figures {
    pub staged: Staged,
    pub plan: Arc<[SeatRow]>,
    /// Zones in plan order.
    pub zones: Vec<ZoneFigures>,
    /// Valid tickets.
    pub sold: usize,
    pub revenue: i64,
    /// Seats held in a checkout now.
    pub held: usize,
    pub bookings: Vec<BookingLine>,
    /// Seats no one holds, books or blocks: those the director may keep off sale.
    pub free_seats: Vec<SeatRow>,
    pub blocks: Vec<BlockRow>,
}

pub fn of_performance(
    conn: &mut DbConnection,
    ctx: &Context,
    performance_id: i32,
    now: DateTime<Utc>,
) -> Result<Figures, Error> {
    let staged =
        performances::staged(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
    let tickets = door::tickets_of(conn, performance_id)?;
    let claimed = claims::live(conn, performance_id, now)?;
    let valid: Vec<_> = tickets
        .iter()
        .filter(|t| t.status == TicketStatus::Valid)
        .collect();
    let mut zones: Vec<ZoneFigures> = Vec::new();
    for seat in plan.iter() {
        if !zones.iter().any(|z| z.zone == seat.zone) {
            let sold: Vec<_> = valid.iter().filter(|t| t.zone == seat.zone).collect();
            zones.push(ZoneFigures {
                zone: seat.zone.clone(),
                seats: plan.iter().filter(|s| s.zone == seat.zone).count(),
                sold: sold.len(),
                revenue: sold.iter().map(|t| t.price).sum(),
            });
        }
    }
    let mut bookings: Vec<BookingLine> = Vec::new();
    for ticket in &tickets {
        let seat = (ticket.row_number, ticket.seat_number);
        let valid = ticket.status == TicketStatus::Valid;
        match bookings
            .iter_mut()
            .find(|b| b.reference == ticket.reference)
        {
            Some(line) => {
                line.seats.push(seat);
                line.cancelled &= !valid;
            }
            None => bookings.push(BookingLine {
                reference: ticket.reference.clone(),
                name: ticket.name.clone(),
                seats: vec![seat],
                payment: ticket.payment,
                paid_with: ticket.paid_with,
                cancelled: !valid,
            }),
        }
    }
    let free_seats = plan
        .iter()
        .filter(|seat| !claimed.contains_key(&seat.id))
        .cloned()
        .collect();
    Ok(Figures {
        zones,
        sold: valid.len(),
        revenue: valid.iter().map(|t| t.price).sum(),
        held: claimed
            .values()
            .filter(|c| matches!(c, Claim::Held { .. }))
            .count(),
        bookings,
        free_seats,
        blocks: seat_blocks::list(conn, performance_id)?,
        staged,
        plan,
    })
}
