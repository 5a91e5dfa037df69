//! Scheduling: one performance, or a run (the same time on chosen weekdays of a date range),
//! all of whose dates are created or none.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::{
    check_clashes, check_sales_window, instant, price_list, production_and_venue, release_unpaid,
    reread,
};
use crate::app::{Clash, ClashingDate, Context, Error};
use crate::db::performances::{self, PerformanceDetails, Schedule};
use crate::db::{self, DbConnection};
use crate::domain::Invalid;
use crate::domain::performance::Status;
use crate::domain::prices::{Concessions, PriceList};
use crate::domain::schedule::{Slot, run_dates};
use crate::domain::time::WallClock;

/// One performance as the director asks for it.
#[derive(Debug, Clone)]
pub struct NewPerformance {
    pub production_id: i32,
    pub venue_id: i32,
    pub starts_at: WallClock,
    /// Whole tenge per zone; every zone of the hall needs one.
    pub prices: BTreeMap<String, i64>,
    /// Concession prices offered: type → zone → tenge.
    pub concessions: Concessions,
    /// Minutes before the start at which unpaid online reservations lapse; none means never.
    pub release_unpaid_minutes: Option<i64>,
    /// Draft unless given; a new performance is never cancelled.
    pub status: Option<Status>,
    /// When online sales open; none means on publication.
    pub sales_open_at: Option<WallClock>,
    /// When online sales close; none means at the start.
    pub sales_close_at: Option<WallClock>,
}

/// Schedules one performance. Call inside a write transaction.
pub fn one(
    conn: &mut DbConnection,
    ctx: &Context,
    by: i32,
    input: NewPerformance,
    now: DateTime<Utc>,
) -> Result<PerformanceDetails, Error> {
    let (production, venue) = production_and_venue(conn, input.production_id, input.venue_id)?;
    let zone = venue.zone();
    let prices = price_list(conn, venue.id, &input.prices, &input.concessions)?;
    let schedule = Schedule {
        slot: Slot::new(
            zone.instant("starts_at", input.starts_at)?,
            production.details().running_time(),
        ),
        status: new_status(input.status)?,
        sales_open_at: instant(zone, "sales_open_at", input.sales_open_at)?,
        sales_close_at: instant(zone, "sales_close_at", input.sales_close_at)?,
        release_unpaid: release_unpaid(input.release_unpaid_minutes)?,
    };
    check_sales_window(&schedule)?;
    db::lock_venue(conn, venue.id)?;
    check_clashes(conn, &venue, &schedule.slot, ctx.changeover(), &[], now)?;
    let id = performances::insert(conn, production.id, venue.id, &schedule, &prices, now)?;
    scheduled(conn, by, id, &schedule, zone, &prices, now)?;
    reread(conn, id, now)
}

/// A run as the director asks for it.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub production_id: i32,
    pub venue_id: i32,
    /// The time of day in the venue's zone.
    pub time: NaiveTime,
    /// 1 = Monday … 7 = Sunday.
    pub weekdays: BTreeSet<u32>,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub prices: BTreeMap<String, i64>,
    pub concessions: Concessions,
    pub release_unpaid_minutes: Option<i64>,
    pub status: Option<Status>,
}

/// Schedules a run: every date, or none if any clashes (with the hall's calendar or with
/// another date of the run). Call inside a write transaction.
pub fn run(
    conn: &mut DbConnection,
    ctx: &Context,
    by: i32,
    input: NewRun,
    now: DateTime<Utc>,
) -> Result<Vec<PerformanceDetails>, Error> {
    let dates = run_dates(input.from, input.to, &input.weekdays)?;
    let status = new_status(input.status)?;
    let release_unpaid = release_unpaid(input.release_unpaid_minutes)?;
    let changeover = ctx.changeover();
    let (production, venue) = production_and_venue(conn, input.production_id, input.venue_id)?;
    let zone = venue.zone();
    let prices = price_list(conn, venue.id, &input.prices, &input.concessions)?;
    let slots = dates
        .iter()
        .map(|date| {
            let starts_at = zone.resolve(&format!("time ({date})"), date.and_time(input.time))?;
            Ok(Slot::new(starts_at, production.details().running_time()))
        })
        .collect::<Result<Vec<_>, Invalid>>()?;
    db::lock_venue(conn, venue.id)?;
    let mut clashes = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let clashing = performances::clashing(conn, venue.id, slot, changeover, &[])?;
        let within_run = slots[..i]
            .iter()
            .any(|earlier| earlier.clashes_with(slot, changeover));
        if !clashing.is_empty() || within_run {
            clashes.push(ClashingDate {
                starts_at: slot.starts_at,
                existing: performances::details(conn, clashing, now)?,
            });
        }
    }
    if !clashes.is_empty() {
        return Err(Error::ScheduleClash(Box::new(Clash {
            zone,
            changeover,
            asked: slots.len(),
            run: true,
            dates: clashes,
        })));
    }
    let mut rows = Vec::with_capacity(slots.len());
    for slot in slots {
        let schedule = Schedule {
            slot,
            status,
            sales_open_at: None,
            sales_close_at: None,
            release_unpaid,
        };
        let id = performances::insert(conn, production.id, venue.id, &schedule, &prices, now)?;
        scheduled(conn, by, id, &schedule, zone, &prices, now)?;
        rows.push(
            performances::find(conn, id)?
                .ok_or_else(|| Error::internal(anyhow::anyhow!("performance {id} vanished")))?,
        );
    }
    Ok(performances::details(conn, rows, now)?)
}

/// Notes a new performance in the audit log.
fn scheduled(
    conn: &mut DbConnection,
    by: i32,
    id: i32,
    schedule: &Schedule,
    zone: crate::domain::VenueZone,
    prices: &PriceList,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let details = serde_json::json!({
        "starts_at": zone.rfc3339(schedule.slot.starts_at),
        "status": schedule.status.as_str(),
        "prices": prices.full(),
        "concessions": prices.concessions(),
        "release_unpaid_minutes": schedule.release_unpaid.map(|r| r.minutes()),
    });
    let action = crate::db::audit::Action::PerformanceScheduled;
    crate::app::audit::note(conn, Some(by), action, None, Some(id), details, now)
}

fn new_status(status: Option<Status>) -> Result<Status, Invalid> {
    match status.unwrap_or(Status::Draft) {
        Status::Cancelled => Err(Invalid::new(
            "status",
            "a new performance is draft or published",
        )),
        status => Ok(status),
    }
}
