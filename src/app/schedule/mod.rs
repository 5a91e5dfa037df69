//! The director's calendar: scheduling one performance or a run ([`create`]) and changing one
//! ([`change`]). No two performances in one hall may overlap, counting the interval and the
//! changeover; writers of one hall's calendar queue on the hall ([`crate::db::lock_venue`]).

pub mod change;
pub mod create;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::{Clash, ClashingDate, Error};
use crate::db::DbConnection;
use crate::db::performances::{self, PerformanceDetails, Schedule};
use crate::db::productions::{self, ProductionRow};
use crate::db::venues::{self, VenueRow};
use crate::domain::performance::ReleaseUnpaid;
use crate::domain::prices::{Concessions, PriceList};
use crate::domain::schedule::Slot;
use crate::domain::time::WallClock;
use crate::domain::{Invalid, VenueZone};

/// Refuses `slot` in the hall if another performance there clashes with it, naming those
/// performances. Call after [`crate::db::lock_venue`].
pub fn check_clashes(
    conn: &mut DbConnection,
    venue: &VenueRow,
    slot: &Slot,
    changeover: Duration,
    except: &[i32],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let clashing = performances::clashing(conn, venue.id, slot, changeover, except)?;
    if clashing.is_empty() {
        return Ok(());
    }
    Err(Error::ScheduleClash(Box::new(Clash {
        zone: venue.zone(),
        changeover,
        asked: 1,
        run: false,
        dates: vec![ClashingDate {
            starts_at: slot.starts_at,
            existing: performances::details(conn, clashing, now)?,
        }],
    })))
}

/// The production and hall a performance names; unknown ids are invalid fields.
fn production_and_venue(
    conn: &mut DbConnection,
    production_id: i32,
    venue_id: i32,
) -> Result<(ProductionRow, VenueRow), Error> {
    let production = productions::find(conn, production_id)?.ok_or_else(|| {
        Invalid::new(
            "production_id",
            format!("there is no production {production_id}"),
        )
    })?;
    let venue = venues::find(conn, venue_id)?
        .ok_or_else(|| Invalid::new("venue_id", format!("there is no venue {venue_id}")))?;
    Ok((production, venue))
}

/// Full prices for every zone of the hall and for no other, and the concessions offered.
fn price_list(
    conn: &mut DbConnection,
    venue_id: i32,
    prices: &BTreeMap<String, i64>,
    concessions: &Concessions,
) -> Result<PriceList, Error> {
    Ok(PriceList::parse(
        prices,
        concessions,
        &venues::zones(conn, venue_id)?,
    )?)
}

/// The minutes before the start at which unpaid reservations lapse, if given.
fn release_unpaid(minutes: Option<i64>) -> Result<Option<ReleaseUnpaid>, Invalid> {
    minutes
        .map(|minutes| ReleaseUnpaid::parse("release_unpaid_minutes", minutes))
        .transpose()
}

fn instant(
    zone: VenueZone,
    field: &str,
    time: Option<WallClock>,
) -> Result<Option<DateTime<Utc>>, Invalid> {
    time.map(|time| zone.instant(field, time)).transpose()
}

fn check_sales_window(schedule: &Schedule) -> Result<(), Invalid> {
    match (schedule.sales_open_at, schedule.sales_close_at) {
        (Some(open), Some(close)) if close <= open => Err(Invalid::new(
            "sales_close_at",
            "must be after sales_open_at",
        )),
        (_, Some(close)) if close > schedule.slot.ends_at => Err(Invalid::new(
            "sales_close_at",
            "must not be after the performance ends",
        )),
        _ => Ok(()),
    }
}

/// A performance written in this transaction, with what a listing shows of it.
fn reread(
    conn: &mut DbConnection,
    id: i32,
    now: DateTime<Utc>,
) -> Result<PerformanceDetails, Error> {
    let row = performances::find(conn, id)?
        .ok_or_else(|| Error::internal(anyhow::anyhow!("performance {id} vanished")))?;
    performances::details(conn, vec![row], now)?
        .pop()
        .ok_or_else(|| Error::internal(anyhow::anyhow!("performance {id} vanished")))
}
