//! The sales report for the director: one row per performance of a range of local dates, with
//! tickets by zone × type × channel, occupancy, admissions and no-shows, and the money summed
//! from payment rows (never from ticket prices), and the totals. A fixed number of queries
//! however many performances the range holds.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

mod figures;

pub use figures::{
    Channel, Counts, Methods, MoneyFigures, PerformanceSales, SalesReport, SalesTotals, TicketLine,
};

use super::Error;
use crate::db::payments::Sums;
use crate::db::performances::{self, Filter, PerformanceRow};
use crate::db::reports::{self, BookingMoney, TicketCount};
use crate::db::{DbConnection, venues};
use crate::domain::VenueZone;
use crate::domain::booking::BookingStatus;
use crate::domain::payment::{Account, Kind};
use crate::domain::performance::Status;
use crate::domain::prices::TicketType;

/// The local dates of a report: as asked, or this month in the venue's zone.
pub fn range(
    zone: VenueZone,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let today = zone.local_date(now);
    let first = today.with_day(1).unwrap_or(today);
    let from = from.unwrap_or(first);
    let to = to.unwrap_or_else(|| {
        let next = if from.month() == 12 {
            NaiveDate::from_ymd_opt(from.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(from.year(), from.month() + 1, 1)
        };
        next.and_then(|next| next.pred_opt()).unwrap_or(from)
    });
    (from, to)
}

/// The house's zone and the local dates of a report asked for with `from` and `to` (see
/// [`range`]).
pub fn zone_and_range(
    conn: &mut DbConnection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(VenueZone, NaiveDate, NaiveDate), Error> {
    let zone = super::venues::house_zone(conn)?;
    let (from, to) = range(zone, from, to, now);
    Ok((zone, from, to))
}

/// The report of the performances (published or cancelled) starting on local dates `from` to
/// `to` in `zone`. A range that ends before it starts holds nothing.
pub fn sales(
    conn: &mut DbConnection,
    zone: VenueZone,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SalesReport, Error> {
    let rows = if from > to {
        Vec::new()
    } else {
        let (start, end) = zone.local_days(from, to);
        let filter = Filter {
            statuses: vec![Status::Published, Status::Cancelled],
            starts_from: Some(start),
            starts_before: Some(end),
            ..Default::default()
        };
        performances::list(conn, &filter)?
    };
    let performances = of_performances(conn, zone, rows, now)?;
    let totals = totals(&performances);
    Ok(SalesReport {
        from,
        to,
        timezone: zone.name().to_owned(),
        performances,
        totals,
    })
}

fn of_performances(
    conn: &mut DbConnection,
    zone: VenueZone,
    rows: Vec<PerformanceRow>,
    now: DateTime<Utc>,
) -> Result<Vec<PerformanceSales>, Error> {
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut production_ids: Vec<i32> = rows.iter().map(|row| row.production_id).collect();
    production_ids.sort_unstable();
    production_ids.dedup();
    let titles = reports::titles(conn, &production_ids)?;
    let mut venue_ids: Vec<i32> = rows.iter().map(|row| row.venue_id).collect();
    venue_ids.sort_unstable();
    venue_ids.dedup();
    let capacity = venues::seat_counts(conn, &venue_ids)?;
    let mut tickets: HashMap<i32, Vec<TicketCount>> = HashMap::new();
    for count in reports::ticket_counts(conn, &ids)? {
        tickets.entry(count.performance_id).or_default().push(count);
    }
    let mut bookings: HashMap<i32, Vec<BookingMoney>> = HashMap::new();
    for booking in reports::bookings_of(conn, &ids)? {
        bookings
            .entry(booking.performance_id)
            .or_default()
            .push(booking);
    }
    let mut money: HashMap<i32, Vec<reports::Money>> = HashMap::new();
    for row in reports::payments_of(conn, &ids)? {
        money.entry(row.performance_id).or_default().push(row);
    }
    let admitted = reports::admitted(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            let starts = row.slot().starts_at;
            let lines = ticket_lines(tickets.remove(&id).unwrap_or_default());
            let sold: i64 = lines.iter().map(|line| line.tickets).sum();
            let capacity = capacity.get(&row.venue_id).copied().unwrap_or(0);
            let admitted = admitted.get(&id).copied().unwrap_or(0);
            PerformanceSales {
                performance_id: id,
                title: titles.get(&row.production_id).cloned().unwrap_or_default(),
                starts_at: zone.rfc3339(starts),
                starts,
                status: row.status,
                capacity,
                sold,
                occupancy_percent: percent(sold, capacity),
                admitted,
                no_shows: (now >= starts).then(|| (sold - admitted).max(0)),
                tickets: lines,
                money: money_of(
                    &bookings.remove(&id).unwrap_or_default(),
                    &money.remove(&id).unwrap_or_default(),
                ),
            }
        })
        .collect())
}

/// Counts alike in zone, type and channel added up (their prices may differ), in that order.
pub(crate) fn ticket_lines(counts: Vec<TicketCount>) -> Vec<TicketLine> {
    let mut lines: BTreeMap<(String, TicketType, Channel), (i64, i64)> = BTreeMap::new();
    for count in counts {
        let key = (count.zone.clone(), count.ticket_type, Channel::of(&count));
        let line = lines.entry(key).or_default();
        line.0 += count.tickets;
        line.1 += count.tickets * count.price;
    }
    lines
        .into_iter()
        .map(
            |((zone, ticket_type, channel), (tickets, value))| TicketLine {
                zone,
                ticket_type,
                channel,
                tickets,
                value,
            },
        )
        .collect()
}

fn money_of(bookings: &[BookingMoney], rows: &[reports::Money]) -> MoneyFigures {
    let mut figures = MoneyFigures::default();
    let mut sums: HashMap<i32, Sums> = HashMap::new();
    for row in rows {
        sums.entry(row.booking_id)
            .or_default()
            .add(row.kind, row.amount);
        match row.kind {
            Kind::Payment => {
                figures.taken += row.amount;
                figures.by_method.add(row.method, row.amount);
            }
            Kind::Refund => {
                figures.refunded += row.amount;
                figures.by_method.add(row.method, -row.amount);
            }
        }
    }
    figures.net = figures.taken - figures.refunded;
    for booking in bookings {
        let paid = sums.get(&booking.id).copied().unwrap_or_default();
        let account = Account {
            total: booking.total,
            comp: booking.comp,
            cancelled: booking.status == BookingStatus::Cancelled,
            paid: paid.paid,
            refunded: paid.refunded,
        };
        figures.outstanding += account.due();
        figures.refunds_due += account.refund_due();
    }
    figures
}

fn totals(performances: &[PerformanceSales]) -> SalesTotals {
    let lines: Vec<TicketLine> = performances
        .iter()
        .flat_map(|p| p.tickets.iter().cloned())
        .collect();
    let capacity = performances.iter().map(|p| p.capacity).sum();
    let sold = performances.iter().map(|p| p.sold).sum();
    SalesTotals {
        performances: performances.len(),
        capacity,
        sold,
        occupancy_percent: percent(sold, capacity),
        admitted: performances.iter().map(|p| p.admitted).sum(),
        no_shows: performances.iter().filter_map(|p| p.no_shows).sum(),
        tickets: Counts::of(&lines),
        money: performances
            .iter()
            .fold(MoneyFigures::default(), |sum, p| sum.plus(p.money)),
    }
}

/// `part` of `whole` in per cent, to one decimal.
pub(crate) fn percent(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// Tickets sold each day before the performances of a report, summed over them: index 0 is
/// the day of the performance, 1 the day before, and so on up to `days` (earlier sales count in
/// the last). Days are local dates in `zone`.
pub fn sold_per_day_before(
    conn: &mut DbConnection,
    zone: VenueZone,
    report: &SalesReport,
    days: usize,
) -> Result<Vec<i64>, Error> {
    let ids: Vec<i32> = report
        .performances
        .iter()
        .map(|p| p.performance_id)
        .collect();
    let starts: HashMap<i32, NaiveDate> = report
        .performances
        .iter()
        .map(|p| (p.performance_id, zone.local_date(p.starts)))
        .collect();
    let mut per_day = vec![0; days + 1];
    for (performance_id, issued) in reports::issued_at(conn, &ids)? {
        let Some(day) = starts.get(&performance_id) else {
            continue;
        };
        let issued = zone.local_date(crate::domain::time::from_stored(issued));
        let before = (*day - issued).num_days().clamp(0, days as i64) as usize;
        per_day[before] += 1;
    }
    Ok(per_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_is_a_share_to_one_decimal() {
        assert_eq!(percent(0, 0), 0.0);
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(60, 60), 100.0);
    }

    #[test]
    fn a_report_without_dates_covers_this_month_in_the_venues_zone() {
        let almaty = VenueZone::parse("timezone", "Asia/Almaty").unwrap();
        // 20:00 UTC on 29 February 2024 was already 1 March in Almaty.
        let now = "2024-02-29T20:00:00Z".parse().unwrap();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            range(almaty, None, None, now),
            (day("2024-03-01"), day("2024-03-31"))
        );
        assert_eq!(
            range(almaty, Some(day("2024-12-05")), None, now),
            (day("2024-12-05"), day("2024-12-31"))
        );
    }
}
