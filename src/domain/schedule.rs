//! The hall's calendar: when a performance occupies it, when two clash, and runs of dates.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::Invalid;

/// The stretch of time a performance keeps the hall busy: from its start to its end (the play
/// and the interval), plus the changeover needed before the next one may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Slot {
    pub fn new(starts_at: DateTime<Utc>, running_time: Duration) -> Slot {
        Slot {
            starts_at,
            ends_at: starts_at + running_time,
        }
    }

    /// Whether two performances in one hall would overlap, counting the changeover after each.
    pub fn clashes_with(&self, other: &Slot, changeover: Duration) -> bool {
        self.starts_at < other.ends_at + changeover && other.starts_at < self.ends_at + changeover
    }
}

/// The longest run the director may create in one call.
pub const MAX_RUN_DAYS: i64 = 366;

/// The weekdays a run may name, Monday first: short names, then full ones.
pub const WEEKDAY_NAMES: [&str; 14] = [
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Weekdays as written in a run: `mon`, `tue`, … `sun` (or `monday` … `sunday`), in any case.
pub fn parse_weekdays(raw: &[String]) -> Result<BTreeSet<u32>, Invalid> {
    if raw.is_empty() {
        return Err(Invalid::new(
            "weekdays",
            "name at least one weekday, e.g. [\"sat\"]",
        ));
    }
    raw.iter()
        .enumerate()
        .map(|(i, day)| {
            WEEKDAY_NAMES
                .iter()
                .position(|name| name.eq_ignore_ascii_case(day.trim()))
                .map(|i| i as u32 % 7 + 1)
                .ok_or_else(|| {
                    Invalid::new(
                        format!("weekdays[{i}]"),
                        format!("`{day}` is not a weekday such as sat"),
                    )
                })
        })
        .collect()
}

/// The dates from `from` to `to` (inclusive) that fall on one of `weekdays` (1 = Monday).
pub fn run_dates(
    from: NaiveDate,
    to: NaiveDate,
    weekdays: &BTreeSet<u32>,
) -> Result<Vec<NaiveDate>, Invalid> {
    if to < from {
        return Err(Invalid::new("to", "must not be before `from`"));
    }
    if (to - from).num_days() >= MAX_RUN_DAYS {
        return Err(Invalid::new(
            "to",
            format!("a run may span at most {MAX_RUN_DAYS} days"),
        ));
    }
    let dates: Vec<NaiveDate> = from
        .iter_days()
        .take_while(|date| *date <= to)
        .filter(|date| weekdays.contains(&date.weekday().number_from_monday()))
        .collect();
    if dates.is_empty() {
        return Err(Invalid::new(
            "weekdays",
            "no date in the range falls on these weekdays",
        ));
    }
    Ok(dates)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, hour, minute, 0).unwrap()
    }

    #[test]
    fn performances_clash_when_they_overlap_including_the_changeover() {
        let evening = Slot::new(at(14, 0), Duration::minutes(115)); // until 15:55
        let changeover = Duration::minutes(30);
        assert!(evening.clashes_with(&Slot::new(at(15, 0), Duration::minutes(60)), changeover));
        // Starts 20 minutes after the end: inside the changeover.
        assert!(evening.clashes_with(&Slot::new(at(16, 15), Duration::minutes(60)), changeover));
        // Starts exactly when the changeover ends.
        assert!(!evening.clashes_with(&Slot::new(at(16, 25), Duration::minutes(60)), changeover));
        // Ends (with changeover) exactly when the evening starts.
        assert!(!evening.clashes_with(&Slot::new(at(12, 30), Duration::minutes(60)), changeover));
        assert!(evening.clashes_with(&Slot::new(at(12, 31), Duration::minutes(60)), changeover));
    }

    #[test]
    fn a_run_lists_the_chosen_weekdays_in_the_range() {
        let weekdays = parse_weekdays(&["sat".into(), "Sunday".into()]).unwrap();
        let from = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(); // a Saturday
        let to = NaiveDate::from_ymd_opt(2025, 3, 9).unwrap();
        let dates = run_dates(from, to, &weekdays).unwrap();
        let days: Vec<u32> = dates.iter().map(|d| d.day()).collect();
        assert_eq!(days, vec![1, 2, 8, 9]);
    }

    #[test]
    fn runs_that_are_empty_backwards_or_too_long_are_refused() {
        let saturday = parse_weekdays(&["sat".into()]).unwrap();
        let monday = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        assert_eq!(
            run_dates(monday, monday, &saturday).unwrap_err().field,
            "weekdays"
        );
        assert_eq!(
            run_dates(monday, monday - Duration::days(1), &saturday)
                .unwrap_err()
                .field,
            "to"
        );
        assert_eq!(
            run_dates(monday, monday + Duration::days(400), &saturday)
                .unwrap_err()
                .field,
            "to"
        );
        assert_eq!(
            parse_weekdays(&["someday".into()]).unwrap_err().field,
            "weekdays[0]"
        );
    }
}
