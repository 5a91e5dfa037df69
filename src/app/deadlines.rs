//! What happens at a time rather than on a request, run from the mail worker's clock: unpaid
//! online reservations lapse at their performance's deadline, and every holder is reminded the
//! day before. Both take `now` from their caller, so tests drive them with any clock, and both
//! are safe to run from several instances at once.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveTime, Utc};

use super::bookings::lapses_at;
use super::sales::cancel::cancel_and_tell;
use super::{Context, Error};
use crate::db::outbox::{self, MessageKind};
use crate::db::performances::{self, Filter, PerformanceRow};
use crate::db::{self, DbConnection, bookings, door, payments};
use crate::domain::VenueZone;
use crate::domain::performance::{ReleaseUnpaid, Status};
use crate::domain::time::from_stored;

/// The local time of day reminders go out, the day before the performance.
const REMINDER_TIME: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(time) => time,
    None => panic!("12:00 is a time"),
};

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Unpaid bookings released.
    pub released: usize,
    /// Reminders queued.
    pub reminded: usize,
}

/// Releases what is due and queues the reminders that are due, at `now`.
pub fn run(conn: &mut DbConnection, ctx: &Context, now: DateTime<Utc>) -> Result<Round, Error> {
    Ok(Round {
        released: release_unpaid(conn, ctx, now)?,
        reminded: queue_reminders(conn, now)?,
    })
}

/// Cancels every online booking with nothing paid whose performance's deadline has passed and
/// that nobody was let in on: its seats go back on sale and its holder is mailed. Each booking
/// is settled in its own write transaction under its row lock, so a payment recorded at the
/// same moment either comes first (and the booking stays) or finds it released.
pub fn release_unpaid(
    conn: &mut DbConnection,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let horizon = Duration::minutes(i64::from(ReleaseUnpaid::MAX_MINUTES));
    let mut released = 0;
    for performance in published_between(conn, now, now + horizon)? {
        let Some(release) = performance.release_unpaid() else {
            continue;
        };
        if release.deadline(performance.slot().starts_at) > now {
            continue;
        }
        let sums = payments::sums_of_performance(conn, performance.id)?;
        let admitted: HashSet<i32> = door::admitted(conn, performance.id)?
            .into_values()
            .collect();
        let lapsed: Vec<i32> = bookings::confirmed_for_performance(conn, performance.id)?
            .into_iter()
            .filter(|booking| !admitted.contains(&booking.id))
            .filter(|booking| {
                let paid = sums.get(&booking.id).copied().unwrap_or_default();
                lapses_at(booking, paid, &performance).is_some_and(|at| at <= now)
            })
            .map(|booking| booking.id)
            .collect();
        for booking_id in lapsed {
            if db::write_transaction(conn, |conn| release_one(conn, ctx, booking_id, now))? {
                released += 1;
            }
        }
    }
    Ok(released)
}

/// Releases one booking if, read again under its lock, it still lapses.
fn release_one(
    conn: &mut DbConnection,
    ctx: &Context,
    booking_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let Some(booking) = bookings::find_locked(conn, booking_id)? else {
        return Ok(false);
    };
    let Some(performance) = performances::find(conn, booking.performance_id)? else {
        return Ok(false);
    };
    let sums = payments::sums(conn, booking.id)?;
    let admitted = door::booking_admitted(conn, booking.id)?;
    let lapses = lapses_at(&booking, sums, &performance).is_some_and(|at| at <= now);
    if booking.is_cancelled() || admitted || !lapses {
        return Ok(false);
    }
    cancel_and_tell(conn, ctx, &booking, MessageKind::UnpaidReleased, None, now)?;
    Ok(true)
}

/// Queues a reminder for every confirmed booking with an e-mail of a performance whose
/// reminder time (noon, venue time, the day before) has passed and which has not started; a
/// booking made after that time has just had its confirmation and gets none. Each booking gets
/// one reminder ever: the outbox's unique index keeps that across restarts and instances.
pub fn queue_reminders(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, Error> {
    let mut queued = 0;
    for performance in published_between(conn, now, now + Duration::days(2))? {
        let remind_at = reminder_at(conn, &performance)?;
        if remind_at > now {
            continue;
        }
        let due: Vec<_> = bookings::confirmed_for_performance(conn, performance.id)?
            .into_iter()
            .filter(|booking| {
                booking.email.is_some() && from_stored(booking.created_at) < remind_at
            })
            .collect();
        let ids: Vec<i32> = due.iter().map(|booking| booking.id).collect();
        let reminded = outbox::having(conn, MessageKind::Reminder, &ids)?;
        for booking in due.iter().filter(|booking| !reminded.contains(&booking.id)) {
            let email = booking.email.as_deref().unwrap_or_default();
            let kind = MessageKind::Reminder;
            if db::write_transaction(conn, |conn| {
                outbox::enqueue_once(conn, kind, booking.id, email, now)
            })? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Published performances starting in `(from, to]`.
fn published_between(
    conn: &mut DbConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PerformanceRow>, Error> {
    let filter = Filter {
        statuses: vec![Status::Published],
        starts_from: Some(from + Duration::seconds(1)),
        starts_before: Some(to),
        ..Default::default()
    };
    Ok(performances::list(conn, &filter)?)
}

/// Noon in the venue's zone on the day before the performance's local date.
fn reminder_at(
    conn: &mut DbConnection,
    performance: &PerformanceRow,
) -> Result<DateTime<Utc>, Error> {
    let zone = crate::db::venues::find(conn, performance.venue_id)?
        .map(|venue| venue.zone())
        .unwrap_or_else(|| VenueZone::from_stored("UTC"));
    Ok(reminder_time(zone, performance.slot().starts_at))
}

fn reminder_time(zone: VenueZone, starts_at: DateTime<Utc>) -> DateTime<Utc> {
    let day_before = zone.local_date(starts_at) - Duration::days(1);
    zone.resolve("reminder", day_before.and_time(REMINDER_TIME))
        // A zone that skips noon that day: a day before the start.
        .unwrap_or(starts_at - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_go_at_noon_venue_time_the_day_before() {
        let almaty = VenueZone::parse("timezone", "Asia/Almaty").unwrap();
        // 19:00 in Almaty on 1 March 2024 (UTC+5 from that day) is 14:00 UTC; noon the day
        // before was still UTC+6, so 06:00 UTC.
        let starts_at = "2024-03-01T14:00:00Z".parse().unwrap();
        assert_eq!(
            reminder_time(almaty, starts_at),
            "2024-02-29T06:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        // 00:30 on 2 March is still the day after 1 March.
        let after_midnight = "2024-03-01T19:30:00Z".parse().unwrap();
        assert_eq!(
            reminder_time(almaty, after_midnight),
            "2024-03-01T07:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
