//! A performance's figures for the director: seats sold by zone, the money (its cash-up, summed
//! from payment rows), seats in checkout now, the bookings with their payment state, and the
//! house seats.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::bookings::account;
use super::cashup::{self, Cashup};
use super::reports::{self, TicketLine};
use super::{Context, Error};
use crate::db::bookings as stored;
use crate::db::claims::{self, Claim};
use crate::db::payments::{self, PaymentRow, Sums};
use crate::db::performances::{self, Staged};
use crate::db::reports::TicketCount;
use crate::db::seat_blocks::{self, BlockRow};
use crate::db::venues::SeatRow;
use crate::db::zone_names;
use crate::db::{DbConnection, door};
use crate::domain::booking::TicketStatus;
use crate::domain::payment::PaymentState;
use crate::domain::zone_names::ZoneNames;

#[derive(Debug, Clone)]
pub struct ZoneFigures {
    pub zone: String,
    pub seats: usize,
    pub sold: usize,
    /// What its valid tickets cost, whole tenge (not what was paid: see the cash-up).
    pub value: i64,
}

/// One booking as the director's list shows it.
#[derive(Debug, Clone)]
pub struct BookingLine {
    pub reference: String,
    /// Empty for a walk-up buyer who gave none.
    pub name: String,
    /// (row, seat) of each ticket.
    pub seats: Vec<(i32, i32)>,
    pub payment: PaymentState,
    /// Whole tenge still to pay.
    pub due: i64,
    /// Whole tenge owed back.
    pub refund_due: i64,
    /// Its payments and refunds, oldest first.
    pub records: Vec<PaymentRow>,
    pub cancelled: bool,
}

/// Who holds tickets and who came, as the sales report counts them.
#[derive(Debug, Clone)]
pub struct Attendance {
    /// Valid tickets by zone × type × channel.
    pub tickets: Vec<TicketLine>,
    /// Valid tickets as a share of the hall, in per cent.
    pub occupancy_percent: f64,
    /// Tickets let in, each once.
    pub admitted: i64,
    /// After the start, valid tickets nobody came in on.
    pub no_shows: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Figures {
    pub staged: Staged,
    pub plan: Arc<[SeatRow]>,
    /// Zones in plan order.
    pub zones: Vec<ZoneFigures>,
    /// Valid tickets.
    pub sold: usize,
    /// What the valid tickets cost, whole tenge.
    pub value: i64,
    pub money: Cashup,
    /// Tickets by zone × type × channel, occupancy, admissions and no-shows.
    pub attendance: Attendance,
    /// Seats held in a checkout now.
    pub held: usize,
    pub bookings: Vec<BookingLine>,
    /// Seats no one holds, books or blocks: those the director may keep off sale.
    pub free_seats: Vec<SeatRow>,
    pub blocks: Vec<BlockRow>,
    /// What holds, books or blocks each claimed seat now, to draw the hall.
    pub claims: HashMap<i32, Claim>,
    /// What the hall's zones are called.
    pub zone_names: ZoneNames,
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
                value: sold.iter().map(|t| t.price).sum(),
            });
        }
    }
    let booked = stored::of_performance(conn, performance_id)?;
    let rows = payments::of_performances(conn, &[performance_id])?;
    let mut valid_tickets = std::collections::HashMap::new();
    for ticket in &valid {
        *valid_tickets.entry(ticket.booking_id).or_insert(0) += 1;
    }
    let money = cashup::summed(performance_id, &booked, &valid_tickets, &rows, now);
    let bookings = booked
        .iter()
        .map(|booking| {
            let records: Vec<PaymentRow> = rows
                .iter()
                .filter(|r| r.booking_id == booking.id)
                .cloned()
                .collect();
            let mut sums = Sums::default();
            for r in &records {
                sums.add(r.kind, r.amount);
            }
            let account = account(booking, sums);
            BookingLine {
                reference: booking.reference.clone(),
                name: booking.name.clone(),
                seats: tickets
                    .iter()
                    .filter(|t| t.booking_id == booking.id)
                    .map(|t| (t.row_number, t.seat_number))
                    .collect(),
                payment: account.state(),
                due: account.due(),
                refund_due: account.refund_due(),
                records,
                cancelled: booking.is_cancelled(),
            }
        })
        .collect();
    let admitted = door::admitted(conn, performance_id)?.len() as i64;
    let counted = valid.iter().map(|t| TicketCount {
        performance_id,
        zone: t.zone.clone(),
        ticket_type: t.ticket_type,
        walk_up: t.walk_up,
        comp: t.comp,
        price: t.price,
        tickets: 1,
    });
    let sold = valid.len() as i64;
    let attendance = Attendance {
        tickets: reports::ticket_lines(counted.collect()),
        occupancy_percent: reports::percent(sold, plan.len() as i64),
        admitted,
        no_shows: (now >= staged.performance.slot().starts_at).then(|| (sold - admitted).max(0)),
    };
    let free_seats = plan
        .iter()
        .filter(|seat| !claimed.contains_key(&seat.id))
        .cloned()
        .collect();
    Ok(Figures {
        zones,
        sold: valid.len(),
        value: valid.iter().map(|t| t.price).sum(),
        money,
        attendance,
        held: claimed
            .values()
            .filter(|c| matches!(c, Claim::Held { .. }))
            .count(),
        bookings,
        free_seats,
        blocks: seat_blocks::list(conn, performance_id)?,
        claims: claimed,
        zone_names: zone_names::of_venue(conn, staged.venue.id)?,
        staged,
        plan,
    })
}
