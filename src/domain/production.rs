//! Productions: the shows a troupe stages, each with its running time and interval.

use chrono::Duration;

use super::Invalid;
use super::invalid::{number_in, required_text};

/// A production's details, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionDetails {
    pub title: String,
    pub description: String,
    pub duration_minutes: i32,
    pub intermission_minutes: i32,
    pub age_rating: String,
    pub language: String,
}

impl ProductionDetails {
    /// The time a performance occupies the hall: the play and its interval.
    pub fn running_time(&self) -> Duration {
        running_time(self.duration_minutes, self.intermission_minutes)
    }
}

pub fn running_time(duration_minutes: i32, intermission_minutes: i32) -> Duration {
    Duration::minutes(i64::from(duration_minutes) + i64::from(intermission_minutes))
}

pub fn title(raw: &str) -> Result<String, Invalid> {
    required_text("title", raw, 200)
}

pub fn description(raw: &str) -> Result<String, Invalid> {
    let description = raw.trim();
    if description.chars().count() > 10_000 {
        return Err(Invalid::new(
            "description",
            "must be at most 10000 characters",
        ));
    }
    Ok(description.to_owned())
}

pub fn duration_minutes(value: i32) -> Result<i32, Invalid> {
    number_in("duration_minutes", value, 1..=720)
}

pub fn intermission_minutes(value: i32) -> Result<i32, Invalid> {
    number_in("intermission_minutes", value, 0..=180)
}

/// An age rating as used in Kazakhstan and Russia: `0+`, `6+`, `12+`, `16+`, `18+`.
pub fn age_rating(raw: &str) -> Result<String, Invalid> {
    let rating = raw.trim();
    let valid = rating
        .strip_suffix('+')
        .and_then(|age| age.parse::<u8>().ok())
        .is_some_and(|age| age <= 21 && !rating.starts_with('0') || rating == "0+");
    if valid {
        Ok(rating.to_owned())
    } else {
        Err(Invalid::new(
            "age_rating",
            format!("`{raw}` is not an age rating such as 16+"),
        ))
    }
}

/// The language a production is performed in, as an ISO 639 code: `ru`, `kk`, `en`.
pub fn language(raw: &str) -> Result<String, Invalid> {
    let language = raw.trim().to_ascii_lowercase();
    if (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(language)
    } else {
        Err(Invalid::new(
            "language",
            format!("`{raw}` is not a language code such as ru, kk or en"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_ratings_follow_the_n_plus_form() {
        for ok in ["0+", "6+", "12+", "16+", "18+"] {
            assert_eq!(age_rating(ok).unwrap(), ok);
        }
        for bad in ["", "16", "+16", "R", "016+", "99+", "-1+"] {
            assert!(age_rating(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn running_time_includes_the_interval() {
        assert_eq!(running_time(100, 15), Duration::minutes(115));
    }

    #[test]
    fn languages_are_iso_codes() {
        assert_eq!(language("RU").unwrap(), "ru");
        assert!(language("russian").is_err());
        assert!(language("r").is_err());
    }
}

/// A production's own exchange policy; a part left out is the house's (the config's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExchangePolicy {
    /// How long before the start a holder may still exchange, up to a year.
    pub cutoff_minutes: Option<i32>,
    /// How many exchanges a booking gets, up to 10.
    pub max_exchanges: Option<i32>,
}

impl ExchangePolicy {
    pub fn parse(cutoff_minutes: Option<i32>, max_exchanges: Option<i32>) -> Result<Self, Invalid> {
        Ok(ExchangePolicy {
            cutoff_minutes: cutoff_minutes
                .map(|m| number_in("exchange_cutoff_minutes", m, 0..=525_600))
                .transpose()?,
            max_exchanges: max_exchanges
                .map(|n| number_in("max_exchanges", n, 0..=10))
                .transpose()?,
        })
    }
}
