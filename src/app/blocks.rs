//! House seats: the director keeps seats of one performance off sale, with a reason and
//! optionally until a release time, through the same seat claims as every sale.

use chrono::{DateTime, Utc};

use super::waitlist::offers::{self, Seats};
use super::{Context, Error};
use crate::db::claims::{self, Claimant};
use crate::db::seat_blocks::{self, BlockRow, NewBlock};
use crate::db::{DbConnection, performances, venues};
use crate::domain::invalid::required_text;
use crate::domain::performance::Status;
use crate::domain::time::WallClock;
use crate::domain::{Invalid, VenueZone};

/// Seats to keep off sale.
#[derive(Debug, Clone)]
pub struct NewBlocks {
    pub seat_ids: Vec<i32>,
    pub reason: String,
    /// When the seats go back on sale by themselves; none means when the director says so.
    pub release_at: Option<WallClock>,
}

/// A performance's blocks, with the hall's zone to show their release times in.
#[derive(Debug, Clone)]
pub struct Blocks {
    pub zone: VenueZone,
    pub blocks: Vec<BlockRow>,
}

/// Blocks seats of one performance, all or none. Call inside a write transaction.
pub fn block(
    conn: &mut DbConnection,
    performance_id: i32,
    input: NewBlocks,
    created_by: i32,
    now: DateTime<Utc>,
) -> Result<Blocks, Error> {
    let reason = required_text("reason", &input.reason, 200)?;
    let mut seat_ids = input.seat_ids;
    seat_ids.sort_unstable();
    seat_ids.dedup();
    if seat_ids.is_empty() {
        return Err(Invalid::new("seat_ids", "name at least one seat").into());
    }
    let performance =
        performances::find(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    if performance.status == Status::Cancelled {
        return Err(Error::PerformanceCancelled);
    }
    let zone = zone_of(conn, performance.venue_id)?;
    let release_at = input
        .release_at
        .map(|at| zone.instant("release_at", at))
        .transpose()?;
    if release_at.is_some_and(|at| at <= now) {
        return Err(Invalid::new("release_at", "must be in the future").into());
    }
    let foreign = venues::foreign_seats(conn, performance.venue_id, &seat_ids)?;
    if !foreign.is_empty() {
        return Err(
            Invalid::new("seat_ids", "some seats are not in this performance's hall")
                .with_details(serde_json::json!({ "seat_ids": foreign }))
                .into(),
        );
    }
    seat_blocks::delete_released(conn, performance_id, &seat_ids, now)?;
    let blocked = seat_blocks::already_blocked(conn, performance_id, &seat_ids)?;
    if !blocked.is_empty() {
        return Err(Error::SeatsAlreadyBlocked { seat_ids: blocked });
    }
    claims::clear_expired(conn, performance_id, &seat_ids, now)?;
    let taken = claims::taken(conn, performance_id, &seat_ids, now)?;
    if !taken.is_empty() {
        return Err(Error::SeatsUnavailable { seat_ids: taken });
    }
    for &seat_id in &seat_ids {
        let block = NewBlock {
            performance_id,
            seat_id,
            reason: &reason,
            release_at,
            created_by,
        };
        let id = seat_blocks::insert(conn, &block, now)?;
        let claimed = claims::claim(
            conn,
            performance_id,
            &[seat_id],
            Claimant::Block { id, release_at },
            now,
        )?;
        if claimed.is_empty() {
            return Err(Error::SeatsUnavailable {
                seat_ids: vec![seat_id],
            });
        }
    }
    let blocks = seat_blocks::list(conn, performance_id)?
        .into_iter()
        .filter(|b| seat_ids.contains(&b.seat_id))
        .collect();
    Ok(Blocks { zone, blocks })
}

/// The seats blocked for one performance.
pub fn list(conn: &mut DbConnection, performance_id: i32) -> Result<Blocks, Error> {
    let performance =
        performances::find(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    Ok(Blocks {
        zone: zone_of(conn, performance.venue_id)?,
        blocks: seat_blocks::list(conn, performance_id)?,
    })
}

/// Puts a blocked seat back on sale (its claim goes with it), offering it to the waiting list
/// first. Call inside a write transaction.
pub fn lift(
    conn: &mut DbConnection,
    ctx: &Context,
    performance_id: i32,
    block_id: i32,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    crate::db::waitlist::lock_line(conn, performance_id)?;
    let seat_id =
        seat_blocks::delete(conn, performance_id, block_id)?.ok_or(Error::NotFound("block"))?;
    offers::offer(conn, ctx, performance_id, Seats::Freed(&[seat_id]), now)?;
    Ok(())
}

fn zone_of(conn: &mut DbConnection, venue_id: i32) -> Result<VenueZone, Error> {
    Ok(venues::find(conn, venue_id)?
        .ok_or(Error::NotFound("venue"))?
        .zone())
}
