//! The one error every use case returns. Each variant is a fact about the request, named for
//! what the caller can do about it; the API maps them to statuses and codes in one place
//! (`http::error`), the pages to sentences in the reader's language in another (`web::refusal`).

use chrono::{DateTime, Duration, Utc};

use crate::db::performances::PerformanceDetails;
use crate::domain::{Invalid, VenueZone};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field that cannot become a domain value.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The thing named does not exist, or the caller may not know that it does.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Some of the seats asked for are held, booked or blocked: nothing was done.
    #[error("some of these seats are no longer available; nothing was done")]
    SeatsUnavailable { seat_ids: Vec<i32> },
    #[error("some of these seats are already blocked")]
    SeatsAlreadyBlocked { seat_ids: Vec<i32> },
    /// The hold is unknown, used, or expired.
    #[error("the hold has expired or was used; pick the seats again")]
    HoldExpired,
    /// Past the online cancellation cutoff.
    #[error("bookings can be cancelled online until {cutoff_minutes} minutes before the start")]
    TooLate { cutoff_minutes: i64 },
    #[error("this performance is not on sale")]
    NotOnSale,
    #[error("sales for this performance have not opened yet")]
    SalesNotOpen,
    #[error("sales for this performance have closed")]
    SalesClosed,
    /// A cancelled performance changes no more: its ticket holders have been told.
    #[error("this performance is cancelled")]
    PerformanceCancelled,
    #[error("{0}")]
    ScheduleClash(Box<Clash>),
    /// Money for a booking that is cancelled: only a refund can be recorded.
    #[error("this booking is cancelled")]
    BookingCancelled,
    #[error("bookings can be exchanged online until {cutoff_minutes} minutes before the start")]
    ExchangeClosed { cutoff_minutes: i64 },
    #[error("this booking has had the {max_exchanges} exchanges it may have")]
    ExchangeLimitReached { max_exchanges: i32 },
    #[error("someone of this booking was let in already")]
    HolderAdmitted,
    #[error("seat_ids: pick {seats} seats: an exchange keeps the number of seats")]
    SeatCountDiffers { seats: usize },
    /// A companion seat picked without its wheelchair space, before it is sold on its own.
    #[error(
        "a companion seat is sold with its wheelchair space until {release_hours} hours before the start"
    )]
    CompanionSeat {
        seat_ids: Vec<i32>,
        release_hours: u32,
    },
    /// A waiting list is for a performance without the seats asked for: they can be booked.
    #[error("{free} seats are on sale for this performance: book them instead")]
    SeatsAvailable { free: usize },
    /// More than the booking still owes.
    #[error("that is more than is due: {due} ₸")]
    Overpayment { due: i64 },
    /// A refund of more than the booking paid and has not had back.
    #[error("that is more than can be refunded: {refundable} ₸")]
    RefundTooLarge { refundable: i64 },
    #[error("this Idempotency-Key was used with a different request")]
    IdempotencyKeyReused,
    #[error("this check-in was already undone")]
    AlreadyUndone,
    #[error("only the ticket's latest movement can be undone")]
    NotLatest,
    /// An account with this address exists already.
    #[error("an account with this e-mail address exists already")]
    EmailTaken,
    /// The change would leave no active director.
    #[error("the last active director cannot be removed or demoted")]
    LastDirector,
    /// A link to set a password that is unknown, used, or expired.
    #[error("this link has expired or was used; ask for a new one")]
    LinkExpired,
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many attempts; try again in {window_minutes} minutes")]
    TooManyAttempts { window_minutes: u32 },
    /// A unique constraint refused a row: a concurrent request did the same thing first.
    #[error("this changed at the same moment in another request; look again and retry")]
    Conflict(#[source] diesel::result::Error),
    /// The database was too busy this time (its lock wait ran out, no connection came free).
    #[error("the service is busy; try again in a moment")]
    Busy(#[source] anyhow::Error),
    /// The connection to the database failed under the request; the next one gets another.
    #[error("the database could not be reached; try again in a moment")]
    Unreachable(#[source] diesel::result::Error),
    /// Anything else: a fault of ours, logged with its cause and never shown.
    #[error("something went wrong on our side; it has been logged")]
    Internal(#[source] anyhow::Error),
}

impl Error {
    pub fn internal(cause: impl Into<anyhow::Error>) -> Error {
        Error::Internal(cause.into())
    }
}

impl From<diesel::result::Error> for Error {
    fn from(error: diesel::result::Error) -> Error {
        if crate::db::is_unique_violation(&error) {
            Error::Conflict(error)
        } else if crate::db::is_lost(&error) {
            Error::Unreachable(error)
        } else if crate::db::is_transient(&error) {
            Error::Busy(error.into())
        } else {
            Error::Internal(error.into())
        }
    }
}

impl From<diesel::r2d2::PoolError> for Error {
    fn from(error: diesel::r2d2::PoolError) -> Error {
        // No connection came free in time: the database is overloaded or down.
        Error::Busy(error.into())
    }
}

/// Why the hall is taken: the performances already there (or, for a run, the run's own dates).
#[derive(Debug)]
pub struct Clash {
    pub zone: VenueZone,
    /// The gap the hall needs between two performances.
    pub changeover: Duration,
    /// How many dates were asked for: 1, or a run's count.
    pub asked: usize,
    /// Whether a run asked (all its dates are refused together).
    pub run: bool,
    pub dates: Vec<ClashingDate>,
}

/// One wanted start and what stands in its way; none means another date of the same run.
#[derive(Debug)]
pub struct ClashingDate {
    pub starts_at: DateTime<Utc>,
    pub existing: Vec<PerformanceDetails>,
}

impl std::fmt::Display for Clash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let first = self.dates.first().and_then(|d| d.existing.first());
        match first {
            Some(existing) if !self.run => {
                let slot = existing.row.slot();
                write!(
                    f,
                    "the hall is taken: «{}» runs from {} to {}, and {} minutes are needed between performances",
                    existing.production_title,
                    existing.zone.rfc3339(slot.starts_at),
                    existing.zone.rfc3339(slot.ends_at),
                    self.changeover.num_minutes()
                )
            }
            _ => write!(
                f,
                "{} of the {} dates clash with the hall's calendar; nothing was created",
                self.dates.len(),
                self.asked
            ),
        }
    }
}
