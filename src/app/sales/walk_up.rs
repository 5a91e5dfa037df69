//! Selling at the door: paid on the spot or complimentary, until the performance ends, through
//! the same seat claims as online bookings, so the two never oversell.

use chrono::{DateTime, Utc};

use super::book::issue;
use super::{TicketTypes, claim_all, ensure_in_hall, picked_seats, priced_seats};
use crate::app::bookings::Booked;
use crate::app::payments::{self, Money};
use crate::app::{Context, Error};
use crate::db::DbConnection;
use crate::db::bookings::{self, NewBooking};
use crate::db::claims::Claimant;
use crate::db::payments::Sums;
use crate::db::performances;
use crate::domain::booking::{Language, Reference, buyer_name};
use crate::domain::payment::{DoorPayment, Kind};
use crate::domain::performance::Status;

/// The most seats one sale at the door takes.
pub const MAX_SEATS: usize = 50;

/// A sale as the door enters it.
#[derive(Debug, Clone)]
pub struct Sale {
    pub seat_ids: Vec<i32>,
    /// A concession for some seats; the others are sold at the full price.
    pub types: TicketTypes,
    /// The buyer's name if they gave one; blank means none.
    pub name: String,
    pub payment: DoorPayment,
    /// The member of staff selling.
    pub seller: i32,
    /// Each wheelchair space sold comes with its companion seat.
    pub with_companions: bool,
}

/// Sells seats at the door, recording who sold them. Call inside a write transaction.
pub fn sell(
    conn: &mut DbConnection,
    ctx: &Context,
    performance_id: i32,
    sale: Sale,
    now: DateTime<Utc>,
) -> Result<Booked, Error> {
    let name = match sale.name.trim() {
        "" => String::new(),
        given => buyer_name(given)?,
    };
    let seat_ids = picked_seats(sale.seat_ids, MAX_SEATS)?;
    let (staged, prices) = performances::staged_with_prices(conn, performance_id)?
        .filter(|(staged, _)| staged.performance.status != Status::Draft)
        .ok_or(Error::NotFound("performance"))?;
    if staged.performance.status == Status::Cancelled {
        return Err(Error::NotOnSale);
    }
    if now >= staged.performance.slot().ends_at {
        return Err(Error::SalesClosed);
    }
    let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
    ensure_in_hall(&plan, &seat_ids)?;
    let seat_ids = ctx
        .companion_rule(staged.performance.slot().starts_at, now)
        .seats_to_sell(&plan, seat_ids, sale.with_companions)?;
    let seat_ids = picked_seats(seat_ids, MAX_SEATS)?;
    let seats = priced_seats(&plan, &prices, &seat_ids, &sale.types)?;
    let comp = sale.payment == DoorPayment::Comp;
    let booking = bookings::insert(
        conn,
        &NewBooking {
            reference: &Reference::generate(),
            performance_id,
            hold_id: None,
            name: &name,
            email: None,
            phone: None,
            language: Language::default(),
            comp,
            sold_by: Some(sale.seller),
            total: if comp {
                0
            } else {
                seats.iter().map(|s| s.price).sum()
            },
        },
        now,
    )?;
    claim_all(
        conn,
        performance_id,
        &seat_ids,
        Claimant::Booking { id: booking.id },
        now,
    )?;
    let tickets = issue(conn, booking.id, performance_id, &seats, comp, now)?;
    let mut sums = Sums::default();
    if let Some(method) = sale.payment.method()
        && booking.total > 0
    {
        let money = Money {
            amount: booking.total,
            method,
            kind: Kind::Payment,
            note: None,
        };
        payments::record(conn, &booking, &money, Some(sale.seller), None, now)?;
        sums.paid = booking.total;
    }
    Ok(Booked {
        booking,
        staged,
        tickets,
        sums,
    })
}
