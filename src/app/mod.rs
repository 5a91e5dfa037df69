//! Use cases: what the audience, the door and the director can do, each a plain function over
//! a `&mut DbConnection` with the [`Context`] and typed input, returning typed output or an
//! [`Error`]. A use case never begins or ends a transaction unless it says so: its caller picks
//! the transaction, so that several use cases can commit together. The JSON API (`routes`) and
//! the pages (`web`) both call these, and nothing here knows HTTP.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod blocks;
pub mod bookings;
pub mod cashup;
pub mod catalog;
pub mod deadlines;
pub mod door;
mod error;
pub mod exports;
pub mod figures;
pub mod links;
pub mod mail_log;
pub mod passwords;
pub mod payments;
pub mod posters;
pub mod productions;
pub mod reports;
pub mod sales;
pub mod schedule;
pub mod venues;
pub mod vitals;
pub mod waitlist;

pub use error::{Clash, ClashingDate, Error};

use chrono::{DateTime, Duration, Utc};

use crate::config::{AuthSettings, BookingSettings, ScheduleSettings, Settings, WaitlistSettings};
use crate::db::venues::SeatPlans;
use links::Links;

/// An idempotency key with the hash of the request that carries it.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

impl Idempotency {
    /// The key, with the hash (lower-case hex SHA-256) of the request as JSON.
    pub fn new(key: String, request: &impl serde::Serialize) -> Idempotency {
        use sha2::Digest;
        let body = serde_json::to_vec(request).unwrap_or_default();
        Idempotency {
            key,
            request_hash: data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(body)),
        }
    }
}

/// What the use cases need besides a connection: the settings that shape the rules, the
/// signer of manage links, and the halls' seat plans kept in memory.
pub struct Context {
    pub booking: BookingSettings,
    pub waitlist: WaitlistSettings,
    pub schedule: ScheduleSettings,
    pub auth: AuthSettings,
    pub links: Links,
    pub seat_plans: SeatPlans,
    pub posters: crate::config::PosterSettings,
}

impl Context {
    /// The rules of `settings`, with links signed by `links`; the seat plans start empty.
    pub fn new(settings: &Settings, links: Links) -> Context {
        Context {
            booking: settings.booking.clone(),
            waitlist: settings.waitlist.clone(),
            schedule: settings.schedule.clone(),
            auth: settings.auth.clone(),
            links,
            seat_plans: Default::default(),
            posters: settings.posters.clone(),
        }
    }

    /// How long freed seats are held for the next person on a waiting list.
    pub fn offer_time(&self) -> Duration {
        Duration::minutes(i64::from(self.waitlist.offer_minutes))
    }

    /// The gap the clash rule keeps free after each performance.
    pub fn changeover(&self) -> Duration {
        Duration::minutes(i64::from(self.schedule.changeover_minutes))
    }

    /// How long before the start the audience may still cancel online.
    pub fn cancellation_cutoff(&self) -> Duration {
        Duration::minutes(i64::from(self.booking.cancellation_cutoff_minutes))
    }

    /// How long before the start the audience may still exchange, unless the production says.
    pub fn exchange_cutoff(&self) -> Duration {
        self.booking
            .exchange_cutoff_minutes
            .map(|minutes| Duration::minutes(i64::from(minutes)))
            .unwrap_or_else(|| self.cancellation_cutoff())
    }

    /// Whether a booking for a performance starting at `starts_at` may be cancelled online now.
    pub fn can_cancel(&self, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now <= starts_at - self.cancellation_cutoff()
    }
}
