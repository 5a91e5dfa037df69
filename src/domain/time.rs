//! Time in the venue's zone. Instants are kept in UTC; the director types wall-clock times, and
//! the tz database turns them into instants (Asia/Almaty was UTC+6 until 2024-03-01, UTC+5
//! since, so no offset may ever be fixed in code).

use std::fmt;

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde_json::json;

use super::Invalid;
use super::invalid::Problem;

/// A venue's IANA time zone, e.g. `Asia/Almaty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VenueZone(Tz);

impl VenueZone {
    pub fn parse(field: &str, name: &str) -> Result<VenueZone, Invalid> {
        name.trim().parse::<Tz>().map(VenueZone).map_err(|_| {
            Invalid::new(
                field,
                format!("`{name}` is not an IANA time zone such as Asia/Almaty"),
            )
        })
    }

    /// A zone read back from storage; it was parsed when stored, so a failure is a corrupt row.
    pub fn from_stored(name: &str) -> VenueZone {
        VenueZone(name.parse().unwrap_or(Tz::UTC))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The instant a wall-clock time in this zone stands for, refusing times that the zone
    /// skips (a spring-forward gap) or repeats (a fall-back or, as in Almaty on 2024-03-01, a
    /// change of standard offset).
    pub fn resolve(self, field: &str, local: NaiveDateTime) -> Result<DateTime<Utc>, Invalid> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
            LocalResult::None => Err(Invalid::new(
                field,
                format!(
                    "{} does not exist in {}: the clocks skip it",
                    local.format("%Y-%m-%d %H:%M"),
                    self.name()
                ),
            )
            .with_problem(Problem::NonexistentLocalTime)),
            LocalResult::Ambiguous(earlier, later) => Err(Invalid::new(
                field,
                format!(
                    "{} happens twice in {}: give the offset, e.g. {} or {}",
                    local.format("%Y-%m-%d %H:%M"),
                    self.name(),
                    earlier.to_rfc3339_opts(SecondsFormat::Secs, true),
                    later.to_rfc3339_opts(SecondsFormat::Secs, true)
                ),
            )
            .with_problem(Problem::AmbiguousLocalTime)
            .with_details(json!({
                "candidates": [
                    earlier.to_rfc3339_opts(SecondsFormat::Secs, true),
                    later.to_rfc3339_opts(SecondsFormat::Secs, true),
                ]
            }))),
        }
    }

    /// Reads a time as the director types it (see [`WallClock::parse`]) as an instant here.
    pub fn parse_time(self, field: &str, raw: &str) -> Result<DateTime<Utc>, Invalid> {
        self.instant(field, WallClock::parse(field, raw)?)
    }

    /// The instant a typed time stands for in this zone.
    pub fn instant(self, field: &str, time: WallClock) -> Result<DateTime<Utc>, Invalid> {
        match time {
            WallClock::Instant(at) => Ok(at),
            WallClock::Local(local) => self.resolve(field, local),
        }
    }

    /// The local calendar date of an instant in this zone.
    pub fn local_date(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The first instant of a local date here: its midnight, the earlier one where midnight
    /// happens twice (Almaty on 2024-03-01), or the first minute after a midnight that the
    /// clocks skip.
    pub fn start_of_day(self, date: NaiveDate) -> DateTime<Utc> {
        let mut local = date.and_time(NaiveTime::MIN);
        loop {
            match self.0.from_local_datetime(&local) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => return at.to_utc(),
                LocalResult::None => local += chrono::Duration::minutes(1),
            }
        }
    }

    /// The instants `[start, end)` that the local dates `from` to `to` (inclusive) cover.
    pub fn local_days(self, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let after = to.succ_opt().unwrap_or(to);
        (self.start_of_day(from), self.start_of_day(after))
    }

    /// An instant in this zone.
    pub fn local(self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.0)
    }

    /// An instant as RFC 3339 with this zone's offset at that instant: `2025-02-11T19:00:00+05:00`.
    pub fn rfc3339(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

/// A time as the director types it, before a venue's zone makes it an instant: a wall-clock
/// time (`2025-02-11T19:00`, seconds and a space instead of `T` allowed), or an instant with an
/// explicit offset (`2024-02-29T23:30:00+06:00`), which is how an ambiguous time is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallClock {
    Local(NaiveDateTime),
    Instant(DateTime<Utc>),
}

impl WallClock {
    pub fn parse(field: &str, raw: &str) -> Result<WallClock, Invalid> {
        let raw = raw.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
            return Ok(WallClock::Instant(at.with_timezone(&Utc)));
        }
        [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
        .map(WallClock::Local)
        .ok_or_else(|| {
            Invalid::new(
                field,
                format!("`{raw}` is not a local time such as 2025-02-11T19:00"),
            )
        })
    }
}

impl fmt::Display for VenueZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An instant as RFC 3339 in UTC: `2025-02-11T14:00:00Z`.
pub fn rfc3339_utc(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A calendar date as `2025-02-11`.
pub fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::new(field, format!("`{raw}` is not a date such as 2025-02-11")))
}

/// A time of day as `19:00`.
pub fn parse_time_of_day(field: &str, raw: &str) -> Result<NaiveTime, Invalid> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| Invalid::new(field, format!("`{raw}` is not a time of day such as 19:00")))
}

/// Instants are stored as UTC without zone; these convert at the storage boundary.
pub fn to_stored(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

pub fn from_stored(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn almaty() -> VenueZone {
        VenueZone::parse("timezone", "Asia/Almaty").unwrap()
    }

    #[test]
    fn local_days_follow_the_offset_of_each_date() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let (start, end) = almaty().local_days(day("2024-02-11"), day("2024-02-11"));
        assert_eq!(rfc3339_utc(start), "2024-02-10T18:00:00Z");
        assert_eq!(rfc3339_utc(end), "2024-02-11T18:00:00Z");
        // At midnight of 1 March 2024 the clocks went back to 23:00 (UTC+6 to UTC+5): 29
        // February lasted 25 hours.
        let (start, end) = almaty().local_days(day("2024-02-29"), day("2024-02-29"));
        assert_eq!(rfc3339_utc(start), "2024-02-28T18:00:00Z");
        assert_eq!(rfc3339_utc(end), "2024-02-29T19:00:00Z");
        let (start, end) = almaty().local_days(day("2024-03-01"), day("2024-03-01"));
        assert_eq!(rfc3339_utc(start), "2024-02-29T19:00:00Z");
        assert_eq!(rfc3339_utc(end), "2024-03-01T19:00:00Z");
    }

    #[test]
    fn the_premiere_was_at_13_utc_because_almaty_was_utc_plus_6() {
        let at = almaty()
            .parse_time("starts_at", "2024-02-11T19:00")
            .unwrap();
        assert_eq!(rfc3339_utc(at), "2024-02-11T13:00:00Z");
        assert_eq!(almaty().rfc3339(at), "2024-02-11T19:00:00+06:00");
    }

    #[test]
    fn the_same_evening_a_year_later_is_14_utc_because_almaty_moved_to_utc_plus_5() {
        let at = almaty()
            .parse_time("starts_at", "2025-02-11 19:00")
            .unwrap();
        assert_eq!(rfc3339_utc(at), "2025-02-11T14:00:00Z");
        assert_eq!(almaty().rfc3339(at), "2025-02-11T19:00:00+05:00");
    }

    #[test]
    fn the_hour_repeated_when_almaty_changed_offset_is_ambiguous() {
        let error = almaty()
            .parse_time("starts_at", "2024-02-29T23:30")
            .unwrap_err();
        assert_eq!(error.problem, Problem::AmbiguousLocalTime);
        assert_eq!(error.field, "starts_at");
        // With an explicit offset the director settles it.
        let at = almaty()
            .parse_time("starts_at", "2024-02-29T23:30:00+05:00")
            .unwrap();
        assert_eq!(rfc3339_utc(at), "2024-02-29T18:30:00Z");
    }

    #[test]
    fn a_time_skipped_by_daylight_saving_does_not_exist() {
        let berlin = VenueZone::parse("timezone", "Europe/Berlin").unwrap();
        let error = berlin
            .parse_time("starts_at", "2025-03-30T02:30")
            .unwrap_err();
        assert_eq!(error.problem, Problem::NonexistentLocalTime);
    }

    #[test]
    fn unknown_zones_and_garbled_times_are_refused() {
        assert!(VenueZone::parse("timezone", "Asia/Atlantis").is_err());
        assert!(VenueZone::parse("timezone", "+05:00").is_err());
        for raw in [
            "",
            "tomorrow",
            "2025-02-30T19:00",
            "2025-02-11T25:00",
            "19:00",
        ] {
            assert!(almaty().parse_time("starts_at", raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn local_dates_follow_the_zone() {
        // 20:30 UTC on the 10th is already the 11th in Almaty.
        let at = Utc.with_ymd_and_hms(2025, 2, 10, 20, 30, 0).unwrap();
        assert_eq!(
            almaty().local_date(at),
            NaiveDate::from_ymd_opt(2025, 2, 11).unwrap()
        );
    }
}
