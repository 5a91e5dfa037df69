//! Selling seats: holding them for a buyer ([`hold`]), booking them ([`book`]), cancelling
//! ([`cancel`]) and selling at the door ([`walk_up`]). A seat is sold through its one row in
//! `seat_claims`, whose primary key refuses a second claim on either database.

pub mod book;
pub mod cancel;
pub mod companions;
pub mod exchange;
pub mod hold;
pub mod walk_up;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Error;
use crate::db::bookings::NewTicket;
use crate::db::performances::PerformanceRow;
use crate::db::venues::SeatRow;
use crate::domain::Invalid;
use crate::domain::performance::Status;
use crate::domain::prices::{PriceList, TicketType};
use crate::domain::time::from_stored;

/// A seat with its ticket type and price for one performance.
#[derive(Debug, Clone)]
pub struct PricedSeat {
    pub id: i32,
    pub row: i32,
    pub number: i32,
    pub zone: String,
    pub ticket_type: TicketType,
    pub price: i64,
}

/// The ticket type the buyer chose for each seat; a seat not named is `full`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketTypes(BTreeMap<i32, TicketType>);

impl TicketTypes {
    /// The choices as given (`tickets` in a request): each seat named once.
    pub fn parse(choices: &[(i32, TicketType)]) -> Result<TicketTypes, Invalid> {
        let mut types = BTreeMap::new();
        for (seat_id, kind) in choices {
            if types.insert(*seat_id, *kind).is_some() {
                return Err(Invalid::new(
                    "tickets",
                    format!("seat {seat_id} is named twice"),
                ));
            }
        }
        Ok(TicketTypes(types))
    }

    pub fn of(&self, seat_id: i32) -> TicketType {
        self.0.get(&seat_id).copied().unwrap_or_default()
    }

    /// Refuses a choice for a seat that is not being sold.
    fn ensure_among(&self, seat_ids: &[i32]) -> Result<(), Invalid> {
        let foreign: Vec<i32> = self
            .0
            .keys()
            .copied()
            .filter(|id| !seat_ids.contains(id))
            .collect();
        if foreign.is_empty() {
            Ok(())
        } else {
            Err(Invalid::new(
                "tickets",
                "some tickets name seats that are not being booked",
            )
            .with_details(serde_json::json!({ "seat_ids": foreign })))
        }
    }
}

/// The seats a buyer picked, each once, in id order: at least one and at most `max`.
pub fn picked_seats(mut seat_ids: Vec<i32>, max: usize) -> Result<Vec<i32>, Invalid> {
    seat_ids.sort_unstable();
    seat_ids.dedup();
    if seat_ids.is_empty() || seat_ids.len() > max {
        return Err(Invalid::new(
            "seat_ids",
            format!("pick from 1 to {max} seats"),
        ));
    }
    Ok(seat_ids)
}

/// Whether the audience may buy for `performance` now: published, and within its sales window
/// (which closes at the start unless the director set another close).
pub fn on_sale(performance: &PerformanceRow, now: DateTime<Utc>) -> Result<(), Error> {
    if performance.status != Status::Published {
        return Err(Error::NotOnSale);
    }
    if performance
        .sales_open_at
        .map(from_stored)
        .is_some_and(|open| now < open)
    {
        return Err(Error::SalesNotOpen);
    }
    let close = performance
        .sales_close_at
        .map(from_stored)
        .unwrap_or(performance.slot().starts_at);
    if now >= close {
        return Err(Error::SalesClosed);
    }
    Ok(())
}

/// Refuses seats that are not in the hall's plan, naming them.
fn ensure_in_hall(plan: &[SeatRow], seat_ids: &[i32]) -> Result<(), Invalid> {
    let foreign: Vec<i32> = seat_ids
        .iter()
        .copied()
        .filter(|id| !plan.iter().any(|seat| seat.id == *id))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(
            Invalid::new("seat_ids", "some seats are not in this performance's hall")
                .with_details(serde_json::json!({ "seat_ids": foreign })),
        )
    }
}

/// The seats with their types and prices, in plan order. A type the performance does not
/// offer in a seat's zone is refused, naming the seat.
fn priced_seats(
    plan: &[SeatRow],
    prices: &PriceList,
    seat_ids: &[i32],
    types: &TicketTypes,
) -> Result<Vec<PricedSeat>, Invalid> {
    types.ensure_among(seat_ids)?;
    plan.iter()
        .filter(|seat| seat_ids.contains(&seat.id))
        .map(|seat| {
            let ticket_type = types.of(seat.id);
            let price = match prices.get(&seat.zone, ticket_type) {
                Some(price) => price,
                // A zone without a full price costs nothing rather than failing a sale.
                None if ticket_type == TicketType::Full => Default::default(),
                None => {
                    return Err(Invalid::new(
                        "tickets",
                        format!(
                            "there is no {ticket_type} price for seat {} in zone `{}`",
                            seat.id, seat.zone
                        ),
                    )
                    .with_details(serde_json::json!({ "seat_ids": [seat.id] })));
                }
            };
            Ok(PricedSeat {
                id: seat.id,
                row: seat.row_number,
                number: seat.seat_number,
                ticket_type,
                price: price.amount(),
                zone: seat.zone.clone(),
            })
        })
        .collect()
}

fn tickets_for(seats: &[PricedSeat], comp: bool) -> Vec<NewTicket> {
    seats
        .iter()
        .map(|seat| NewTicket {
            seat_id: seat.id,
            ticket_type: seat.ticket_type,
            price: if comp { 0 } else { seat.price },
        })
        .collect()
}

/// Claims all of `seat_ids` for `claimant`, or fails naming the seats someone else holds (the
/// caller's transaction then rolls back whatever was claimed).
fn claim_all(
    conn: &mut crate::db::DbConnection,
    performance_id: i32,
    seat_ids: &[i32],
    claimant: crate::db::claims::Claimant,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let claimed = crate::db::claims::claim(conn, performance_id, seat_ids, claimant, now)?;
    if claimed.len() == seat_ids.len() {
        return Ok(());
    }
    Err(Error::SeatsUnavailable {
        seat_ids: seat_ids
            .iter()
            .copied()
            .filter(|id| claimed.binary_search(id).is_err())
            .collect(),
    })
}
