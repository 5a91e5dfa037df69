//! The director schedules: `POST /api/v1/performances`, `POST /api/v1/performances/run` (many
//! dates, all or none) and `PATCH /api/v1/performances/{id}`. No two performances in one hall
//! may overlap, counting the interval and the changeover.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::json::present;
use super::openapi::ErrorBody;
use super::prices::{ConcessionPrices, Price, amounts};
use crate::app::schedule::change::{self, PerformanceChanges as Changes};
use crate::app::schedule::create::{self, NewPerformance as Performance, NewRun as Run};
use crate::domain::Invalid;
use crate::domain::performance::Status;
use crate::domain::schedule::{WEEKDAY_NAMES, parse_weekdays};
use crate::domain::time::{WallClock, parse_date, parse_time_of_day};
use crate::http::auth::Director;
use crate::http::views::PerformanceView;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances", web::post().to(create_performance))
        .route("/performances/run", web::post().to(create_run))
        .route("/performances/{id}", web::patch().to(update_performance));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerformance {
    production_id: i32,
    venue_id: i32,
    /// Wall-clock time in the venue's zone, e.g. `2025-02-11T19:00`; an explicit offset
    /// settles a time the zone repeats.
    #[schema(
        example = "2025-02-11T19:00",
        pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$"
    )]
    starts_at: String,
    /// Price per zone in whole tenge (0 to 10 000 000); every zone of the hall needs one.
    #[schema(example = json!({"front": 6000, "standard": 4500}))]
    prices: BTreeMap<String, Price>,
    /// Concession prices offered; a type or zone left out is not offered.
    #[schema(example = json!({"student": {"front": 4000, "standard": 3000}}))]
    concessions: Option<ConcessionPrices>,
    /// Minutes before the start at which unpaid online reservations are released (0 to 10 080,
    /// a week); absent means never.
    #[schema(minimum = 0, maximum = 10080)]
    release_unpaid_minutes: Option<i64>,
    /// `draft` (the default) or `published`.
    status: Option<Status>,
    /// Local time online sales open; absent means on publication.
    #[schema(
        pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$"
    )]
    sales_open_at: Option<String>,
    /// Local time online sales close; absent means at the start.
    #[schema(
        pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$"
    )]
    sales_close_at: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRun {
    production_id: i32,
    venue_id: i32,
    /// Time of day in the venue's zone.
    #[schema(example = "19:00", pattern = r"^\s*([01][0-9]|2[0-3]):[0-5][0-9]\s*$")]
    time: String,
    #[schema(example = json!(["sat", "sun"]), min_items = 1)]
    weekdays: Vec<Weekday>,
    /// First date, inclusive.
    #[schema(example = "2025-03-01", format = Date)]
    from: String,
    /// Last date, inclusive; a run spans at most 366 days.
    #[schema(example = "2025-03-31", format = Date)]
    to: String,
    /// Price per zone in whole tenge; every zone of the hall needs one.
    prices: BTreeMap<String, Price>,
    concessions: Option<ConcessionPrices>,
    #[schema(minimum = 0, maximum = 10080)]
    release_unpaid_minutes: Option<i64>,
    status: Option<Status>,
}

/// A weekday, short or in full.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    fn name(self) -> &'static str {
        WEEKDAY_NAMES[self as usize]
    }
}

#[derive(Serialize, ToSchema)]
pub struct RunCreated {
    performances: Vec<PerformanceView>,
}

/// Fields to change; those left out keep their value. `null` clears a sales time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerformanceChanges {
    #[schema(
        example = "2025-02-12T19:00",
        pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$"
    )]
    starts_at: Option<String>,
    /// Full price per zone in whole tenge; given, every zone of the hall needs one. The
    /// concessions stay unless given too.
    prices: Option<BTreeMap<String, Price>>,
    /// Every concession offered from now on; a type left out is no longer offered.
    concessions: Option<ConcessionPrices>,
    /// `null` means unpaid reservations are no longer released.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10080)]
    release_unpaid_minutes: Option<Option<i64>>,
    status: Option<Status>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$")]
    sales_open_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?\s*$")]
    sales_close_at: Option<Option<String>>,
}

fn wall_clock(field: &str, raw: Option<&str>) -> Result<Option<WallClock>, Invalid> {
    raw.map(|raw| WallClock::parse(field, raw)).transpose()
}

/// Schedules one performance.
#[utoipa::path(post, path = "/api/v1/performances", tag = "performances", security(("bearer" = [])),
    request_body = NewPerformance,
    responses((status = 201, body = PerformanceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "`schedule_clash`: the hall is taken", body = ErrorBody),
              (status = 422, description = "Invalid field, or a local time that does not exist or is ambiguous", body = ErrorBody)))]
pub async fn create_performance(
    director: Director,
    state: web::Data<AppState>,
    body: ApiJson<NewPerformance>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let input = Performance {
        production_id: input.production_id,
        venue_id: input.venue_id,
        starts_at: WallClock::parse("starts_at", &input.starts_at)?,
        prices: amounts(input.prices),
        concessions: input.concessions.unwrap_or_default().amounts(),
        release_unpaid_minutes: input.release_unpaid_minutes,
        status: input.status,
        sales_open_at: wall_clock("sales_open_at", input.sales_open_at.as_deref())?,
        sales_close_at: wall_clock("sales_close_at", input.sales_close_at.as_deref())?,
    };
    let by = director.0.user_id;
    let performance = state
        .write(move |conn, ctx| create::one(conn, ctx, by, input, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(PerformanceView::from(performance)))
}

/// Schedules a run: the same time on the chosen weekdays of a date range. All dates are
/// created, or none if any clashes (409 `schedule_clash` listing every clash).
#[utoipa::path(post, path = "/api/v1/performances/run", tag = "performances", security(("bearer" = [])),
    request_body = NewRun,
    responses((status = 201, body = RunCreated), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "`schedule_clash`, with `details.clashes`", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_run(
    director: Director,
    state: web::Data<AppState>,
    body: ApiJson<NewRun>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let input = Run {
        production_id: input.production_id,
        venue_id: input.venue_id,
        time: parse_time_of_day("time", &input.time)?,
        weekdays: parse_weekdays(
            &input
                .weekdays
                .iter()
                .map(|d| d.name().to_owned())
                .collect::<Vec<_>>(),
        )?,
        from: parse_date("from", &input.from)?,
        to: parse_date("to", &input.to)?,
        prices: amounts(input.prices),
        concessions: input.concessions.unwrap_or_default().amounts(),
        release_unpaid_minutes: input.release_unpaid_minutes,
        status: input.status,
    };
    let by = director.0.user_id;
    let performances = state
        .write(move |conn, ctx| create::run(conn, ctx, by, input, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(RunCreated {
        performances: performances
            .into_iter()
            .map(PerformanceView::from)
            .collect(),
    }))
}

/// Reschedules, re-prices, publishes or cancels a performance; the clash rule applies to a new
/// time. A cancelled performance cannot change any more. Cancelling cancels every booking and
/// mails its holder; a new time is mailed to every holder.
#[utoipa::path(patch, path = "/api/v1/performances/{id}", tag = "performances", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")), request_body = PerformanceChanges,
    responses((status = 200, body = PerformanceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_performance(
    director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<PerformanceChanges>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let changes = Changes {
        starts_at: wall_clock("starts_at", input.starts_at.as_deref())?,
        prices: input.prices.map(amounts),
        concessions: input.concessions.map(ConcessionPrices::amounts),
        release_unpaid_minutes: input.release_unpaid_minutes,
        status: input.status,
        sales_open_at: input
            .sales_open_at
            .map(|at| wall_clock("sales_open_at", at.as_deref()))
            .transpose()?,
        sales_close_at: input
            .sales_close_at
            .map(|at| wall_clock("sales_close_at", at.as_deref()))
            .transpose()?,
    };
    let id = id.into_inner();
    let by = director.0.user_id;
    let performance = state
        .write(move |conn, ctx| change::change(conn, ctx, by, id, changes, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(PerformanceView::from(performance)))
}
