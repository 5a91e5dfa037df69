//! Holding seats during checkout, letting them go, and the checkout's view of a hold.

use chrono::{DateTime, Duration, Utc};

use super::{
    PricedSeat, TicketTypes, claim_all, ensure_in_hall, on_sale, picked_seats, priced_seats,
};
use crate::app::waitlist::offers::{self, Seats};
use crate::app::{Context, Error};
use crate::auth::token;
use crate::db::claims::{self, Claimant};
use crate::db::holds::NewHold;
use crate::db::{DbConnection, holds, performances, waitlist};
use crate::domain::VenueZone;
use crate::domain::performance::Status;
use crate::domain::prices::PriceList;
use crate::domain::time::from_stored;
use crate::domain::waitlist::EntryStatus;

/// Seats held for a buyer.
#[derive(Debug, Clone)]
pub struct Held {
    /// Shown once; only its hash is stored.
    pub hold_token: String,
    pub expires_at: DateTime<Utc>,
    pub seats: Vec<PricedSeat>,
    pub total: i64,
}

/// The seats a buyer picked, and whether each picked wheelchair space comes with its companion
/// seat.
#[derive(Debug, Clone, Default)]
pub struct Pick {
    pub seat_ids: Vec<i32>,
    pub with_companions: bool,
}

/// Holds the picked seats of a performance on sale for `booking.hold_minutes` (with the
/// companion seats asked for): all of them, or none ([`Error::SeatsUnavailable`] naming those
/// taken). Call inside a write transaction.
pub fn hold(
    conn: &mut DbConnection,
    ctx: &Context,
    performance_id: i32,
    pick: Pick,
    now: DateTime<Utc>,
) -> Result<Held, Error> {
    let max = ctx.booking.max_seats_per_hold as usize;
    let seat_ids = picked_seats(pick.seat_ids, max)?;
    let (performance, prices) = performances::with_prices(conn, performance_id)?
        .filter(|(performance, _)| performance.status != Status::Draft)
        .ok_or(Error::NotFound("performance"))?;
    on_sale(&performance, now)?;
    let plan = ctx.seat_plans.of(conn, performance.venue_id)?;
    ensure_in_hall(&plan, &seat_ids)?;
    let seat_ids = ctx
        .companion_rule(performance.slot().starts_at, now)
        .seats_to_sell(&plan, seat_ids, pick.with_companions)?;
    let seat_ids = picked_seats(seat_ids, max)?;
    let hold_token = token::generate();
    let expires_at = now + Duration::minutes(i64::from(ctx.booking.hold_minutes));
    let hold_id = holds::insert(
        conn,
        &NewHold {
            performance_id,
            token_hash: &token::hash(&hold_token),
            seat_count: seat_ids.len() as i32,
            expires_at,
            offer_to: None,
        },
        now,
    )?;
    claim_all(
        conn,
        performance_id,
        &seat_ids,
        Claimant::Hold {
            id: hold_id,
            expires_at,
        },
        now,
    )?;
    let seats = priced_seats(&plan, &prices, &seat_ids, &TicketTypes::default())?;
    Ok(Held {
        hold_token,
        expires_at,
        total: seats.iter().map(|s| s.price).sum(),
        seats,
    })
}

/// Lets a hold's seats go at once, offering them to the waiting list (a hold that was an offer
/// ends its entry: the offer was turned down); false if there is no such hold, or it holds
/// nothing any more. Call inside a write transaction.
pub fn release(
    conn: &mut DbConnection,
    ctx: &Context,
    hold_token: &str,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let Some(hold) = holds::find_by_token(conn, &token::hash(hold_token))? else {
        return Ok(false);
    };
    waitlist::lock_line(conn, hold.performance_id)?;
    let freed = claims::release_hold(conn, hold.id, now)?;
    if let Some(entry_id) = hold.waitlist_entry_id {
        waitlist::end(conn, entry_id, EntryStatus::Left, now)?;
    }
    offers::offer(conn, ctx, hold.performance_id, Seats::Freed(&freed), now)?;
    Ok(!freed.is_empty())
}

/// A live hold, as the checkout shows it.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub performance_id: i32,
    pub title: String,
    pub venue: String,
    pub zone: VenueZone,
    pub starts_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// At the full price; [`Checkout::prices`] has the concessions the buyer may pick.
    pub seats: Vec<PricedSeat>,
    pub total: i64,
    pub prices: PriceList,
}

/// The hold behind `hold_token`, if it is live and unused (a used hold claims nothing).
pub fn checkout(
    conn: &mut DbConnection,
    ctx: &Context,
    hold_token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Checkout>, Error> {
    let Some((hold, seat_ids)) = holds::find_with_seats(conn, &token::hash(hold_token), now)?
    else {
        return Ok(None);
    };
    if from_stored(hold.expires_at) <= now || seat_ids.len() != hold.seat_count as usize {
        return Ok(None);
    }
    let Some((staged, prices)) = performances::staged_with_prices(conn, hold.performance_id)?
    else {
        return Ok(None);
    };
    let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
    let seats = priced_seats(&plan, &prices, &seat_ids, &TicketTypes::default())?;
    Ok(Some(Checkout {
        performance_id: staged.performance.id,
        zone: staged.venue.zone(),
        starts_at: staged.performance.slot().starts_at,
        title: staged.title,
        venue: staged.venue.name,
        expires_at: from_stored(hold.expires_at),
        total: seats.iter().map(|s| s.price).sum(),
        seats,
        prices,
    }))
}
