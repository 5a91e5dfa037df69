//! Offers: seats that come back to a performance are held for the first entries in line that
//! fit them, each with a mail and a link to book them. One function, [`offer`], makes them,
//! whether called by the transaction that freed the seats or by the worker's clock ([`run`]).
//!
//! On PostgreSQL the offers of a performance are serialised by [`waitlist::lock_line`], taken
//! before the transaction touches any seat. A freeing transaction offers only the seats it
//! freed itself: another transaction's uncommitted claim on a seat that was free before cannot
//! make it wait while it holds the performance's row (which every change of a seat claim
//! updates), so two transactions never wait on each other. Seats that were free already are
//! offered by the worker, whose transaction frees nothing.

use chrono::{DateTime, Utc};

use crate::app::sales::on_sale;
use crate::app::{Context, Error};
use crate::auth::token;
use crate::db::claims::{self, Claimant};
use crate::db::holds::{self, NewHold};
use crate::db::outbox::{self, About, MessageKind};
use crate::db::performances::PerformanceRow;
use crate::db::{self, DbConnection, performances, waitlist};
use crate::domain::time::from_stored;
use crate::domain::waitlist::{FreeSeat, take_seats};

/// Which seats an offer may take.
#[derive(Debug, Clone, Copy)]
pub enum Seats<'a> {
    /// Only these, just freed by the calling transaction.
    Freed(&'a [i32]),
    /// Every seat free now (the worker's round).
    AllFree,
}

/// Offers free seats of a performance on sale to the first waiting entries that fit them, in
/// line order, each until `waitlist.offer_minutes` from now but never past the sales close:
/// the seats are claimed by a hold that names the entry, the entry is marked offered and the
/// offer's mail is queued. Returns how many entries were offered seats. Call inside a write
/// transaction; see the module's note on locks before calling it after freeing seats.
pub fn offer(
    conn: &mut DbConnection,
    ctx: &Context,
    performance_id: i32,
    seats: Seats,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    if let Seats::Freed([]) = seats {
        return Ok(0);
    }
    waitlist::lock_line(conn, performance_id)?;
    let line = waitlist::waiting(conn, performance_id)?;
    if line.is_empty() {
        return Ok(0);
    }
    let Some(performance) = performances::find(conn, performance_id)? else {
        return Ok(0);
    };
    if on_sale(&performance, now).is_err() {
        return Ok(0);
    }
    let close = performance
        .sales_close_at
        .map(from_stored)
        .unwrap_or(performance.slot().starts_at);
    let expires_at = (now + ctx.offer_time()).min(close);
    let mut free = free_seats(conn, ctx, &performance, seats, now)?;
    let mut offered = 0;
    for entry in line {
        if free.is_empty() {
            break;
        }
        let Some(seat_ids) = take_seats(&mut free, entry.seats as usize) else {
            continue;
        };
        let hold_id = holds::insert(
            conn,
            &NewHold {
                performance_id,
                token_hash: &token::hash(&ctx.links.offer_token(entry.id)),
                seat_count: entry.seats,
                expires_at,
                offer_to: Some(entry.id),
            },
            now,
        )?;
        let claimant = Claimant::Hold {
            id: hold_id,
            expires_at,
        };
        let claimed = claims::claim(conn, performance_id, &seat_ids, claimant, now)?;
        // Taken by a buyer who committed first: this entry waits for the next round.
        if claimed.len() != seat_ids.len()
            || !waitlist::mark_offered(conn, entry.id, expires_at, now)?
        {
            holds::delete(conn, hold_id)?;
            continue;
        }
        outbox::enqueue_about(
            conn,
            MessageKind::WaitlistOffer,
            About::WaitlistEntry(entry.id),
            &entry.email,
            now,
        )?;
        offered += 1;
    }
    Ok(offered)
}

/// The seats an offer may take: those named (if still free) or every free one, as
/// [`Rule::free_seats`] counts them (no companion seat still kept for its wheelchair space).
///
/// [`Rule::free_seats`]: crate::app::sales::companions::Rule::free_seats
fn free_seats(
    conn: &mut DbConnection,
    ctx: &Context,
    performance: &PerformanceRow,
    seats: Seats,
    now: DateTime<Utc>,
) -> Result<Vec<FreeSeat>, Error> {
    let plan = ctx.seat_plans.of(conn, performance.venue_id)?;
    let live = claims::live(conn, performance.id, now)?;
    let rule = ctx.companion_rule(performance.slot().starts_at, now);
    Ok(rule
        .free_seats(&plan, &live)
        .filter(|seat| match seats {
            Seats::Freed(freed) => freed.contains(&seat.id),
            Seats::AllFree => true,
        })
        .map(|seat| FreeSeat {
            id: seat.id,
            row: seat.row_number,
            number: seat.seat_number,
        })
        .collect())
}

/// How many seats of a performance are free at `now`, as the offers count them.
pub fn free_count(
    conn: &mut DbConnection,
    ctx: &Context,
    performance: &PerformanceRow,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    Ok(free_seats(conn, ctx, performance, Seats::AllFree, now)?.len())
}

/// What one round of the worker did with the waiting lists.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Offers that ran out unbooked.
    pub lapsed: usize,
    /// Entries offered seats.
    pub offered: usize,
}

/// The worker's round at `now`: offers that ran out are marked lapsed, and every performance
/// someone waits for and that has free seats makes its offers, each in a write transaction of
/// its own. Safe to run from several instances at once.
pub fn run(conn: &mut DbConnection, ctx: &Context, now: DateTime<Utc>) -> Result<Round, Error> {
    let mut round = Round {
        lapsed: db::write_transaction(conn, |conn| waitlist::lapse_expired(conn, now))?,
        offered: 0,
    };
    for performance_id in waitlist::performances_waiting(conn, now)? {
        let Some(performance) = performances::find(conn, performance_id)? else {
            continue;
        };
        if on_sale(&performance, now).is_err() {
            continue;
        }
        // A read first: most rounds find a sold-out hall, and need not queue for the write lock.
        if free_count(conn, ctx, &performance, now)? == 0 {
            continue;
        }
        round.offered += db::write_transaction(conn, |conn| {
            offer(conn, ctx, performance_id, Seats::AllFree, now)
        })?;
    }
    Ok(round)
}
