//! What a page says when a use case refuses: every [`app::Error`] a person can act on becomes a
//! status and a sentence in the reader's language, here and only here. The API's codes and
//! English messages never reach a page.

use actix_web::http::StatusCode;

use crate::app::{self, Clash};
use crate::domain::booking::Language;
use crate::domain::invalid::Problem;
use crate::i18n::{date_time, t};

/// The status and the sentence for a refusal, or the error back if it is a fault of ours
/// (which is not the reader's to fix, and stays an error).
pub fn refusal(lang: Language, error: app::Error) -> Result<(StatusCode, String), app::Error> {
    use app::Error as E;
    let say = |key: &str| t(lang, key, &[]);
    Ok(match &error {
        E::Invalid(invalid) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            match invalid.problem {
                Problem::NonexistentLocalTime => say("page-error-nonexistent-time"),
                Problem::AmbiguousLocalTime => say("page-error-ambiguous-time"),
                Problem::Value => t(
                    lang,
                    "page-error-field",
                    &[("field", field_label(lang, &invalid.field))],
                ),
            },
        ),
        E::NotFound(_) => (StatusCode::NOT_FOUND, say("page-not-found")),
        E::SeatsUnavailable { .. } => (StatusCode::CONFLICT, say("page-seats-taken")),
        E::SeatsAlreadyBlocked { .. } => (StatusCode::CONFLICT, say("page-seats-already-blocked")),
        E::HoldExpired => (StatusCode::GONE, say("page-hold-expired")),
        E::TooLate { cutoff_minutes } => (
            StatusCode::CONFLICT,
            t(
                lang,
                "page-too-late",
                &[("minutes", cutoff_minutes.to_string())],
            ),
        ),
        E::NotOnSale => (StatusCode::CONFLICT, say("page-not-on-sale")),
        E::SalesNotOpen => (StatusCode::CONFLICT, say("page-sales-not-open")),
        E::SalesClosed => (StatusCode::CONFLICT, say("page-sales-closed")),
        E::PerformanceCancelled => (StatusCode::CONFLICT, say("page-cancelled")),
        E::ScheduleClash(clash) => (StatusCode::CONFLICT, clash_text(lang, clash)),
        E::BookingCancelled => (StatusCode::CONFLICT, say("page-payment-cancelled")),
        E::ExchangeClosed { cutoff_minutes } => (
            StatusCode::CONFLICT,
            t(
                lang,
                "page-exchange-closed",
                &[("minutes", cutoff_minutes.to_string())],
            ),
        ),
        E::ExchangeLimitReached { .. } => (StatusCode::CONFLICT, say("page-exchange-limit")),
        E::HolderAdmitted => (StatusCode::CONFLICT, say("page-exchange-admitted")),
        E::CompanionSeat { release_hours, .. } => (
            StatusCode::CONFLICT,
            t(
                lang,
                "page-companion-alone",
                &[("hours", release_hours.to_string())],
            ),
        ),
        E::SeatsAvailable { free } => (
            StatusCode::CONFLICT,
            t(
                lang,
                "page-waitlist-seats-free",
                &[("free", free.to_string())],
            ),
        ),
        E::SeatCountDiffers { seats } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "page-exchange-pick", &[("seats", seats.to_string())]),
        ),
        E::Overpayment { due } => (
            StatusCode::CONFLICT,
            t(lang, "page-overpayment", &[("due", tenge(*due))]),
        ),
        E::RefundTooLarge { refundable } => (
            StatusCode::CONFLICT,
            t(
                lang,
                "page-refund-too-large",
                &[("refundable", tenge(*refundable))],
            ),
        ),
        E::EmailTaken => (StatusCode::CONFLICT, say("page-staff-email-taken")),
        E::LastDirector => (StatusCode::CONFLICT, say("page-staff-last-director")),
        E::LinkExpired => (StatusCode::GONE, say("page-password-link-expired")),
        E::InvalidCredentials => (StatusCode::UNAUTHORIZED, say("page-signin-failed")),
        E::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, say("page-signin-too-many")),
        E::IdempotencyKeyReused | E::AlreadyUndone | E::NotLatest | E::Conflict(_) => {
            (StatusCode::CONFLICT, say("page-changed-meanwhile"))
        }
        E::Busy(_) | E::Unreachable(_) | E::Internal(_) => return Err(error),
    })
}

fn tenge(amount: i64) -> String {
    crate::domain::Tenge::from_stored(amount).to_string()
}

/// A clash, naming the performance already there; for a run, every date that clashes, with
/// what is there if that is not the run itself.
fn clash_text(lang: Language, clash: &Clash) -> String {
    let title_and_time = |existing: &crate::db::performances::PerformanceDetails| {
        let when = date_time(lang, existing.zone, existing.row.slot().starts_at);
        (existing.production_title.clone(), when)
    };
    if !clash.run
        && let Some(existing) = clash.dates.first().and_then(|d| d.existing.first())
    {
        let (title, when) = title_and_time(existing);
        return t(lang, "page-clash", &[("title", title), ("when", when)]);
    }
    let dates = clash
        .dates
        .iter()
        .map(|date| {
            let wanted = date_time(lang, clash.zone, date.starts_at);
            match date.existing.first() {
                Some(existing) => {
                    let (title, when) = title_and_time(existing);
                    t(
                        lang,
                        "page-run-clash-date",
                        &[("wanted", wanted), ("title", title), ("when", when)],
                    )
                }
                None => t(lang, "page-run-clash-itself", &[("wanted", wanted)]),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    t(
        lang,
        "page-run-clash",
        &[("count", clash.dates.len().to_string()), ("dates", dates)],
    )
}

/// The label of the form field a use case's field name stands for.
fn field_label(lang: Language, field: &str) -> String {
    if let Some(index) = field
        .strip_prefix("seats[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
    {
        return t(
            lang,
            "page-error-plan-seat",
            &[("number", (index + 1).to_string())],
        );
    }
    if let Some(rest) = field.strip_prefix("zone_names.") {
        let (zone, code) = rest.rsplit_once('.').unwrap_or((rest, "ru"));
        return format!(
            "{} «{zone}»: {}",
            t(lang, "page-zone-names", &[]),
            t(lang, &format!("page-zone-name-{code}"), &[])
        );
    }
    if let Some(zone) = field.strip_prefix("prices.") {
        return t(lang, "page-price-zone", &[("zone", zone.to_owned())]);
    }
    if let Some((kind, zone)) = field
        .strip_prefix("concessions.")
        .and_then(|rest| rest.split_once('.'))
    {
        let kind = t(lang, &format!("ticket-type-{kind}"), &[]);
        let zone = t(lang, "page-price-zone", &[("zone", zone.to_owned())]);
        return format!(
            "{}: {zone}",
            t(lang, "page-concession-prices", &[("type", kind)])
        );
    }
    for (prefix, key) in [
        ("crew[", "page-credits-crew-line"),
        ("cast[", "page-credits-cast-line"),
    ] {
        if let Some(line) = field
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(']'))
        {
            return t(lang, key, &[("line", line.to_owned())]);
        }
    }
    let name = field.split(['.', '[', ' ']).next().unwrap_or(field);
    let key = match name {
        "starts_at" => "page-starts-at",
        "production_id" => "page-production",
        "venue_id" => "page-venue",
        "prices" => "page-prices",
        "status" => "page-publish-now",
        "title" => "page-production-title",
        "description" => "page-description",
        "duration_minutes" => "page-duration",
        "intermission_minutes" => "page-intermission",
        "age_rating" => "page-age-rating",
        "language" => "page-play-language",
        "name" => "page-venue-name",
        "address" => "page-address",
        "timezone" => "page-timezone",
        "seats" => "page-seat-plan",
        "time" => "page-run-time",
        "from" => "page-run-from",
        "to" => "page-run-to",
        "weekdays" => "page-weekdays",
        "seat_ids" => "page-house-seats",
        "reason" => "page-reason",
        "amount" => "page-field-amount",
        "note" => "page-field-note",
        "email" => "page-email",
        "password" => "page-password",
        "release_unpaid_minutes" => "page-release-unpaid",
        "tickets" => "page-ticket-types",
        "credits" => "page-credits",
        _ => return field.to_owned(),
    };
    t(lang, key, &[])
}
