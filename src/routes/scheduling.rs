//! The director schedules: `POST /api/v1/performances`, `POST /api/v1/performances/run` (many
//! dates, all or none) and `PATCH /api/v1/performances/{id}`. No two performances in one hall
//! may overlap, counting the interval and the changeover.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use super::performances::{check_clashes, load_view, load_views};
use super::views::PerformanceView;
use crate::auth::Director;
use crate::db::outbox::{self, MessageKind};
use crate::db::performances::{self, Schedule};
use crate::db::productions::ProductionRow;
use crate::db::venues::{self, VenueRow};
use crate::db::{self, DbConnection, bookings, productions};
use crate::domain::performance::{PriceList, Status};
use crate::domain::schedule::{Slot, parse_weekdays, run_dates};
use crate::domain::time::{parse_date, parse_time_of_day};
use crate::domain::{Invalid, VenueZone};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances", web::post().to(create_performance))
        .route("/performances/run", web::post().to(create_run))
        .route("/performances/{id}", web::patch().to(update_performance));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerformance {
    pub(crate) production_id: i32,
    pub(crate) venue_id: i32,
    /// Wall-clock time in the venue's zone, e.g. `2025-02-11T19:00`; an explicit offset
    /// settles a time the zone repeats.
    #[schema(example = "2025-02-11T19:00")]
    pub(crate) starts_at: String,
    /// Price per zone in whole tenge; every zone of the hall needs one.
    #[schema(example = json!({"front": 6000, "standard": 4500}))]
    pub(crate) prices: BTreeMap<String, i64>,
    /// `draft` (the default) or `published`.
    pub(crate) status: Option<Status>,
    /// Local time online sales open; absent means on publication.
    pub(crate) sales_open_at: Option<String>,
    /// Local time online sales close; absent means at the start.
    pub(crate) sales_close_at: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRun {
    pub(crate) production_id: i32,
    pub(crate) venue_id: i32,
    /// Time of day in the venue's zone.
    #[schema(example = "19:00")]
    pub(crate) time: String,
    #[schema(example = json!(["sat", "sun"]))]
    pub(crate) weekdays: Vec<String>,
    /// First date, inclusive.
    #[schema(example = "2025-03-01")]
    pub(crate) from: String,
    /// Last date, inclusive.
    #[schema(example = "2025-03-31")]
    pub(crate) to: String,
    pub(crate) prices: BTreeMap<String, i64>,
    pub(crate) status: Option<Status>,
}

#[derive(Serialize, ToSchema)]
pub struct RunCreated {
    performances: Vec<PerformanceView>,
}

/// Fields to change; those left out keep their value. `null` clears a sales time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerformanceChanges {
    #[schema(example = "2025-02-12T19:00")]
    pub(crate) starts_at: Option<String>,
    pub(crate) prices: Option<BTreeMap<String, i64>>,
    pub(crate) status: Option<Status>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub(crate) sales_open_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub(crate) sales_close_at: Option<Option<String>>,
}

/// Tells a field given as `null` (Some(None)) from one left out (None).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Schedules one performance.
#[utoipa::path(post, path = "/api/v1/performances", tag = "performances", security(("bearer" = [])),
    request_body = NewPerformance,
    responses((status = 201, body = PerformanceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "`schedule_clash`: the hall is taken", body = ErrorBody),
              (status = 422, description = "Invalid field, or a local time that does not exist or is ambiguous", body = ErrorBody)))]
pub async fn create_performance(
    _director: Director,
    state: web::Data<AppState>,
    body: ApiJson<NewPerformance>,
) -> Result<HttpResponse, ApiError> {
    let view = create(&state, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Schedules one performance (for the API and the director's pages).
pub(crate) async fn create(
    state: &AppState,
    input: NewPerformance,
) -> Result<PerformanceView, ApiError> {
    let changeover = state.schedule_changeover();
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let (production, venue) =
                    production_and_venue(conn, input.production_id, input.venue_id)?;
                let zone = venue.zone();
                let prices = PriceList::parse(&input.prices, &venues::zones(conn, venue.id)?)?;
                let starts_at = zone.parse_time("starts_at", &input.starts_at)?;
                let schedule = Schedule {
                    slot: Slot::new(starts_at, production.details().running_time()),
                    status: new_status(input.status)?,
                    sales_open_at: local_time(
                        zone,
                        "sales_open_at",
                        input.sales_open_at.as_deref(),
                    )?,
                    sales_close_at: local_time(
                        zone,
                        "sales_close_at",
                        input.sales_close_at.as_deref(),
                    )?,
                };
                check_sales_window(&schedule)?;
                db::lock_venue(conn, venue.id)?;
                check_clashes(conn, venue.id, &schedule.slot, changeover, &[], now)?;
                let id =
                    performances::insert(conn, production.id, venue.id, &schedule, &prices, now)?;
                let row = found(performances::find(conn, id)?)?;
                load_view(conn, row)
            })
        })
        .await
}

/// Schedules a run: the same time on the chosen weekdays of a date range. All dates are
/// created, or none if any clashes (409 `schedule_clash` listing every clash).
#[utoipa::path(post, path = "/api/v1/performances/run", tag = "performances", security(("bearer" = [])),
    request_body = NewRun,
    responses((status = 201, body = RunCreated), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "`schedule_clash`, with `details.clashes`", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_run(
    _director: Director,
    state: web::Data<AppState>,
    body: ApiJson<NewRun>,
) -> Result<HttpResponse, ApiError> {
    let views = run(&state, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(RunCreated {
        performances: views,
    }))
}

/// Schedules a run, all dates or none (for the API and the director's pages).
pub(crate) async fn run(state: &AppState, input: NewRun) -> Result<Vec<PerformanceView>, ApiError> {
    let time = parse_time_of_day("time", &input.time)?;
    let dates = run_dates(
        parse_date("from", &input.from)?,
        parse_date("to", &input.to)?,
        &parse_weekdays(&input.weekdays)?,
    )?;
    let status = new_status(input.status)?;
    let changeover = state.schedule_changeover();
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let (production, venue) = production_and_venue(conn, input.production_id, input.venue_id)?;
                let zone = venue.zone();
                let prices = PriceList::parse(&input.prices, &venues::zones(conn, venue.id)?)?;
                let slots = dates
                    .iter()
                    .map(|date| {
                        let starts_at = zone.resolve(&format!("time ({date})"), date.and_time(time))?;
                        Ok(Slot::new(starts_at, production.details().running_time()))
                    })
                    .collect::<Result<Vec<_>, Invalid>>()?;
                db::lock_venue(conn, venue.id)?;
                let mut clashes = Vec::new();
                for (i, slot) in slots.iter().enumerate() {
                    let clashing = performances::clashing(conn, venue.id, slot, changeover, &[])?;
                    let existing = load_views(conn, clashing, now)?;
                    let within_run = slots[..i].iter().any(|earlier| earlier.clashes_with(slot, changeover));
                    if let Some(first) = existing.into_iter().next() {
                        clashes.push(json!({ "starts_at": zone.rfc3339(slot.starts_at), "clashing_performance": first }));
                    } else if within_run {
                        clashes.push(json!({ "starts_at": zone.rfc3339(slot.starts_at), "clashing_performance": null }));
                    }
                }
                if !clashes.is_empty() {
                    return Err(ApiError::conflict(
                        "schedule_clash",
                        format!("{} of the {} dates clash with the hall's calendar; nothing was created", clashes.len(), slots.len()),
                    )
                    .with_details(json!({ "clashes": clashes })));
                }
                let mut rows = Vec::with_capacity(slots.len());
                for slot in slots {
                    let schedule = Schedule { slot, status, sales_open_at: None, sales_close_at: None };
                    let id = performances::insert(conn, production.id, venue.id, &schedule, &prices, now)?;
                    rows.push(found(performances::find(conn, id)?)?);
                }
                load_views(conn, rows, now)
            })
        })
        .await
}

/// Reschedules, re-prices, publishes or cancels a performance; the clash rule applies to a new
/// time. A cancelled performance cannot change any more. Cancelling cancels every booking and
/// mails its holder; a new time is mailed to every holder.
#[utoipa::path(patch, path = "/api/v1/performances/{id}", tag = "performances", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")), request_body = PerformanceChanges,
    responses((status = 200, body = PerformanceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_performance(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<PerformanceChanges>,
) -> Result<HttpResponse, ApiError> {
    let view = change(&state, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Reschedules, re-prices, publishes or cancels a performance (for the API and the pages).
pub(crate) async fn change(
    state: &AppState,
    id: i32,
    changes: PerformanceChanges,
) -> Result<PerformanceView, ApiError> {
    let changeover = state.schedule_changeover();
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let current = performances::find(conn, id)?
                    .ok_or_else(|| ApiError::not_found("performance"))?;
                if current.status() == Status::Cancelled {
                    return Err(ApiError::conflict(
                        "performance_cancelled",
                        "this performance is cancelled and cannot change",
                    ));
                }
                let (production, venue) =
                    production_and_venue(conn, current.production_id, current.venue_id)?;
                let zone = venue.zone();
                let mut schedule = Schedule {
                    slot: current.slot(),
                    status: changes.status.unwrap_or(current.status()),
                    sales_open_at: current.sales_open_at.map(crate::domain::time::from_stored),
                    sales_close_at: current.sales_close_at.map(crate::domain::time::from_stored),
                };
                if let Some(starts_at) = &changes.starts_at {
                    schedule.slot = Slot::new(
                        zone.parse_time("starts_at", starts_at)?,
                        production.details().running_time(),
                    );
                }
                if let Some(open) = &changes.sales_open_at {
                    schedule.sales_open_at = local_time(zone, "sales_open_at", open.as_deref())?;
                }
                if let Some(close) = &changes.sales_close_at {
                    schedule.sales_close_at = local_time(zone, "sales_close_at", close.as_deref())?;
                }
                check_sales_window(&schedule)?;
                if schedule.slot != current.slot() {
                    db::lock_venue(conn, venue.id)?;
                    check_clashes(conn, venue.id, &schedule.slot, changeover, &[id], now)?;
                }
                performances::update_schedule(conn, id, &schedule, now)?;
                tell_ticket_holders(conn, &current, &schedule, zone, now)?;
                if let Some(prices) = &changes.prices {
                    let prices = PriceList::parse(prices, &venues::zones(conn, venue.id)?)?;
                    performances::replace_prices(conn, id, &prices)?;
                }
                let row = found(performances::find(conn, id)?)?;
                load_view(conn, row)
            })
        })
        .await
}

/// A cancelled performance cancels every booking; a new time is mailed to every holder (with an
/// updated calendar entry). Both are queued in the transaction that makes the change.
fn tell_ticket_holders(
    conn: &mut DbConnection,
    before: &performances::PerformanceRow,
    after: &Schedule,
    zone: VenueZone,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let cancelled = after.status == Status::Cancelled;
    let moved = after.slot.starts_at != before.slot().starts_at;
    if !cancelled && !moved {
        return Ok(());
    }
    for booking in bookings::confirmed_for_performance(conn, before.id)? {
        if cancelled {
            crate::sales::cancel_and_tell(conn, &booking, MessageKind::PerformanceCancelled, now)?;
        } else if let Some(email) = &booking.email {
            let details = json!({ "previous_starts_at": zone.rfc3339(before.slot().starts_at) });
            outbox::enqueue(
                conn,
                MessageKind::PerformanceRescheduled,
                booking.id,
                email,
                &details,
                now,
            )?;
        }
    }
    Ok(())
}

/// The production and hall a new performance names; unknown ids are invalid fields (422).
fn production_and_venue(
    conn: &mut DbConnection,
    production_id: i32,
    venue_id: i32,
) -> Result<(ProductionRow, VenueRow), ApiError> {
    let production = productions::find(conn, production_id)?.ok_or_else(|| {
        Invalid::new(
            "production_id",
            format!("there is no production {production_id}"),
        )
    })?;
    let venue = venues::find(conn, venue_id)?
        .ok_or_else(|| Invalid::new("venue_id", format!("there is no venue {venue_id}")))?;
    Ok((production, venue))
}

fn new_status(status: Option<Status>) -> Result<Status, Invalid> {
    match status.unwrap_or(Status::Draft) {
        Status::Cancelled => Err(Invalid::new(
            "status",
            "a new performance is draft or published",
        )),
        status => Ok(status),
    }
}

fn local_time(
    zone: VenueZone,
    field: &str,
    raw: Option<&str>,
) -> Result<Option<DateTime<Utc>>, Invalid> {
    raw.map(|raw| zone.parse_time(field, raw)).transpose()
}

fn check_sales_window(schedule: &Schedule) -> Result<(), Invalid> {
    match (schedule.sales_open_at, schedule.sales_close_at) {
        (Some(open), Some(close)) if close <= open => Err(Invalid::new(
            "sales_close_at",
            "must be after sales_open_at",
        )),
        (_, Some(close)) if close > schedule.slot.ends_at => Err(Invalid::new(
            "sales_close_at",
            "must not be after the performance ends",
        )),
        _ => Ok(()),
    }
}

fn found<T>(row: Option<T>) -> Result<T, ApiError> {
    row.ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!(
            "a row written in this transaction is missing"
        ))
    })
}
