//! Changing a performance: a new time (the clash rule applies, and every holder is mailed the new
//! time), new prices, publishing, or cancelling (every booking is cancelled and its holder told).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{
    check_clashes, check_sales_window, instant, price_list, production_and_venue, release_unpaid,
    reread,
};
use crate::app::sales::cancel::cancel_and_tell;
use crate::app::{Context, Error, audit};
use crate::db::audit::Action;
use crate::db::outbox::{self, MessageKind};
use crate::db::performances::{self, PerformanceDetails, PerformanceRow, Schedule};
use crate::db::{self, DbConnection, bookings};
use crate::domain::VenueZone;
use crate::domain::performance::Status;
use crate::domain::prices::{Concessions, PriceList};
use crate::domain::schedule::Slot;
use crate::domain::time::{WallClock, from_stored};
use serde_json::json;

/// What to change; what is left out keeps its value. A sales time given as `Some(None)` is
/// cleared.
#[derive(Debug, Clone, Default)]
pub struct PerformanceChanges {
    pub starts_at: Option<WallClock>,
    /// New full prices; the concessions stay unless given too.
    pub prices: Option<BTreeMap<String, i64>>,
    /// New concessions (all of them: a type left out is no longer offered).
    pub concessions: Option<Concessions>,
    /// `Some(None)` means reservations no longer lapse.
    pub release_unpaid_minutes: Option<Option<i64>>,
    pub status: Option<Status>,
    pub sales_open_at: Option<Option<WallClock>>,
    pub sales_close_at: Option<Option<WallClock>>,
}

/// Reschedules, re-prices, publishes or cancels a performance. A cancelled performance changes
/// no more. Call inside a write transaction.
pub fn change(
    conn: &mut DbConnection,
    ctx: &Context,
    by: i32,
    id: i32,
    changes: PerformanceChanges,
    now: DateTime<Utc>,
) -> Result<PerformanceDetails, Error> {
    // Before the performance's row changes: cancelling it frees every seat (see
    // `app::waitlist::offers` on the order of locks).
    crate::db::waitlist::lock_line(conn, id)?;
    let current = performances::find(conn, id)?.ok_or(Error::NotFound("performance"))?;
    if current.status == Status::Cancelled {
        return Err(Error::PerformanceCancelled);
    }
    let (production, venue) = production_and_venue(conn, current.production_id, current.venue_id)?;
    let zone = venue.zone();
    let mut schedule = Schedule {
        slot: current.slot(),
        status: changes.status.unwrap_or(current.status),
        sales_open_at: current.sales_open_at.map(from_stored),
        sales_close_at: current.sales_close_at.map(from_stored),
        release_unpaid: current.release_unpaid(),
    };
    if let Some(minutes) = changes.release_unpaid_minutes {
        schedule.release_unpaid = release_unpaid(minutes)?;
    }
    if let Some(starts_at) = changes.starts_at {
        schedule.slot = Slot::new(
            zone.instant("starts_at", starts_at)?,
            production.details().running_time(),
        );
    }
    if let Some(open) = changes.sales_open_at {
        schedule.sales_open_at = instant(zone, "sales_open_at", open)?;
    }
    if let Some(close) = changes.sales_close_at {
        schedule.sales_close_at = instant(zone, "sales_close_at", close)?;
    }
    check_sales_window(&schedule)?;
    if schedule.slot != current.slot() {
        db::lock_venue(conn, venue.id)?;
        check_clashes(conn, &venue, &schedule.slot, ctx.changeover(), &[id], now)?;
    }
    performances::update_schedule(conn, id, &schedule, now)?;
    note_change(conn, by, &current, &schedule, zone, now)?;
    tell_ticket_holders(conn, ctx, by, &current, &schedule, zone, now)?;
    if changes.prices.is_some() || changes.concessions.is_some() {
        reprice(
            conn,
            by,
            id,
            venue.id,
            changes.prices,
            changes.concessions,
            now,
        )?;
    }
    reread(conn, id, now)
}

/// New full prices, concessions or both; what is not given stays. Sold tickets keep the price
/// they were sold at.
fn reprice(
    conn: &mut DbConnection,
    by: i32,
    id: i32,
    venue_id: i32,
    prices: Option<BTreeMap<String, i64>>,
    concessions: Option<Concessions>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let before = performances::prices(conn, id)?;
    let prices = prices.unwrap_or_else(|| before.full());
    let concessions = concessions.unwrap_or_else(|| before.concessions());
    let after = price_list(conn, venue_id, &prices, &concessions)?;
    if after == before {
        return Ok(());
    }
    performances::replace_prices(conn, id, &after)?;
    let shown =
        |list: &PriceList| json!({ "prices": list.full(), "concessions": list.concessions() });
    audit::note(
        conn,
        Some(by),
        Action::PricesChanged,
        None,
        Some(id),
        json!({ "before": shown(&before), "after": shown(&after) }),
        now,
    )
}

/// Notes a change of time, status or sales window in the audit log, with before and after.
fn note_change(
    conn: &mut DbConnection,
    by: i32,
    before: &PerformanceRow,
    after: &Schedule,
    zone: VenueZone,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let time = |at: Option<DateTime<Utc>>| at.map(|at| zone.rfc3339(at));
    let was = json!({
        "starts_at": zone.rfc3339(before.slot().starts_at),
        "status": before.status.as_str(),
        "sales_open_at": time(before.sales_open_at.map(from_stored)),
        "sales_close_at": time(before.sales_close_at.map(from_stored)),
        "release_unpaid_minutes": before.release_unpaid_minutes,
    });
    let is = json!({
        "starts_at": zone.rfc3339(after.slot.starts_at),
        "status": after.status.as_str(),
        "sales_open_at": time(after.sales_open_at),
        "sales_close_at": time(after.sales_close_at),
        "release_unpaid_minutes": after.release_unpaid.map(|r| r.minutes()),
    });
    if was == is {
        return Ok(());
    }
    let action = if after.status == Status::Cancelled {
        Action::PerformanceCancelled
    } else {
        Action::PerformanceChanged
    };
    let details = json!({ "before": was, "after": is });
    audit::note(conn, Some(by), action, None, Some(before.id), details, now)
}

/// A cancelled performance cancels every booking; a new time is mailed to every holder (with an
/// updated calendar entry). Both are queued in the transaction that makes the change.
fn tell_ticket_holders(
    conn: &mut DbConnection,
    ctx: &Context,
    by: i32,
    before: &PerformanceRow,
    after: &Schedule,
    zone: VenueZone,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let cancelled = after.status == Status::Cancelled;
    let moved = after.slot.starts_at != before.slot().starts_at;
    if !cancelled && !moved {
        return Ok(());
    }
    for booking in bookings::confirmed_for_performance(conn, before.id)? {
        if cancelled {
            cancel_and_tell(
                conn,
                ctx,
                &booking,
                MessageKind::PerformanceCancelled,
                Some(by),
                now,
            )?;
        } else if let Some(email) = &booking.email {
            let details =
                serde_json::json!({ "previous_starts_at": zone.rfc3339(before.slot().starts_at) });
            outbox::enqueue(
                conn,
                MessageKind::PerformanceRescheduled,
                booking.id,
                email,
                &details,
                now,
            )?;
        }
    }
    Ok(())
}
