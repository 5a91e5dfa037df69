//! Performances: one date of a production in a hall, and its status; its prices are in
//! [`super::prices`].

use chrono::{DateTime, Duration, Utc};

use super::Invalid;
use super::stored::stored_enum;

stored_enum! {
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Status as "performance status" {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
    }
}

impl Status {
    /// Whether the director may move a performance from `self` to `next`. A cancelled
    /// performance stays cancelled: its ticket holders have been told.
    pub fn can_become(self, next: Status) -> bool {
        self == next || self != Status::Cancelled
    }
}

/// How long before the start unpaid online reservations lapse: a week at most, so the worker
/// that releases them needs to look only a week ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseUnpaid(i32);

impl ReleaseUnpaid {
    pub const MAX_MINUTES: i32 = 7 * 24 * 60;

    pub fn parse(field: &str, minutes: i64) -> Result<ReleaseUnpaid, Invalid> {
        if (0..=i64::from(Self::MAX_MINUTES)).contains(&minutes) {
            Ok(ReleaseUnpaid(minutes as i32))
        } else {
            Err(Invalid::new(
                field,
                format!(
                    "must be a whole number of minutes from 0 to {}",
                    Self::MAX_MINUTES
                ),
            ))
        }
    }

    pub fn from_stored(minutes: i32) -> ReleaseUnpaid {
        ReleaseUnpaid(minutes)
    }

    pub fn minutes(self) -> i32 {
        self.0
    }

    /// The instant unpaid reservations of a performance starting at `starts_at` lapse: an
    /// instant, so a change of the venue's offset in between moves nothing.
    pub fn deadline(self, starts_at: DateTime<Utc>) -> DateTime<Utc> {
        starts_at - Duration::minutes(i64::from(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaid_reservations_lapse_a_bounded_number_of_minutes_before_the_start() {
        let release = ReleaseUnpaid::parse("release_unpaid_minutes", 30).unwrap();
        let starts_at = "2024-03-01T13:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            release.deadline(starts_at),
            "2024-03-01T12:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert!(ReleaseUnpaid::parse("r", -1).is_err());
        assert!(ReleaseUnpaid::parse("r", i64::from(ReleaseUnpaid::MAX_MINUTES) + 1).is_err());
    }

    #[test]
    fn a_cancelled_performance_stays_cancelled() {
        assert!(Status::Draft.can_become(Status::Published));
        assert!(Status::Published.can_become(Status::Cancelled));
        assert!(!Status::Cancelled.can_become(Status::Published));
        assert!(Status::Cancelled.can_become(Status::Cancelled));
    }
}
