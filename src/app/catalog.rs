//! What is on: performances as a listing shows them, filtered by local dates in each venue's
//! zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::Error;
use crate::db::DbConnection;
use crate::db::performances::{self, Filter, PerformanceDetails};
use crate::domain::Invalid;
use crate::domain::performance::Status;

/// Which performances to list.
#[derive(Debug, Clone)]
pub struct Listing {
    pub statuses: Vec<Status>,
    pub production_id: Option<i32>,
    /// First local date; with neither date, upcoming performances are listed.
    pub from: Option<NaiveDate>,
    /// Last local date, inclusive.
    pub to: Option<NaiveDate>,
    pub limit: usize,
}

/// Performances, earliest first.
pub fn list(
    conn: &mut DbConnection,
    listing: &Listing,
    now: DateTime<Utc>,
) -> Result<Vec<PerformanceDetails>, Error> {
    let (from, to) = (listing.from, listing.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(Invalid::new("to", "must not be before `from`").into());
    }
    // Dates are local to each venue: widen the UTC bounds by a day and filter exactly below.
    let day_start = |date: NaiveDate| date.and_time(NaiveTime::MIN).and_utc();
    let filter = Filter {
        statuses: listing.statuses.clone(),
        production_id: listing.production_id,
        starts_from: match from {
            Some(from) => Some(day_start(from) - Duration::days(1)),
            None if to.is_none() => Some(now),
            None => None,
        },
        starts_before: to.map(|to| day_start(to) + Duration::days(2)),
        limit: None,
    };
    let rows = performances::list(conn, &filter)?;
    Ok(performances::details(conn, rows, now)?
        .into_iter()
        .filter(|p| {
            let date = p.zone.local_date(p.row.slot().starts_at);
            from.is_none_or(|f| date >= f) && to.is_none_or(|t| date <= t)
        })
        .take(listing.limit)
        .collect())
}

/// One performance; drafts only for the director.
pub fn one(
    conn: &mut DbConnection,
    id: i32,
    director: bool,
    now: DateTime<Utc>,
) -> Result<PerformanceDetails, Error> {
    let row = performances::find(conn, id)?
        .filter(|row| director || row.status != Status::Draft)
        .ok_or(Error::NotFound("performance"))?;
    performances::details(conn, vec![row], now)?
        .pop()
        .ok_or(Error::NotFound("performance"))
}
