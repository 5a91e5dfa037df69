//! The calendar as the public sees it (`GET /api/v1/performances[/{id}]`), and the helpers the
//! director's scheduling routes share: views and the clash rule.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::views::PerformanceView;
use crate::auth::MaybeSignedIn;
use crate::db::performances::{self, PerformanceRow};
use crate::db::{DbConnection, venues};
use crate::domain::performance::Status;
use crate::domain::schedule::Slot;
use crate::domain::time::parse_date;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances", web::get().to(list_performances))
        .route("/performances/{id}", web::get().to(get_performance))
        .configure(super::scheduling::routes);
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// First date (in the venue's zone), e.g. `2025-02-01`. Without `from` and `to`, upcoming
    /// performances are listed.
    from: Option<String>,
    /// Last date, inclusive.
    to: Option<String>,
    production_id: Option<i32>,
    /// `published` (the default); the director may also ask for `draft`, `cancelled` or `all`.
    status: Option<String>,
    /// At most this many (default 200, at most 1000).
    limit: Option<i64>,
}

/// Performances, earliest first: published ones for everyone.
#[utoipa::path(get, path = "/api/v1/performances", tag = "performances", params(ListQuery),
    responses((status = 200, body = Vec<PerformanceView>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_performances(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let statuses = match query.status.as_deref().unwrap_or("published") {
        "published" => vec![Status::Published],
        other => {
            let wanted = match other {
                "all" => vec![Status::Draft, Status::Published, Status::Cancelled],
                status => vec![
                    status
                        .parse::<Status>()
                        .map_err(|e| crate::domain::Invalid::new("status", e))?,
                ],
            };
            match &caller.0 {
                None => {
                    return Err(ApiError::unauthorized(
                        "sign in to see unpublished performances",
                    ));
                }
                Some(_) if !caller.is_director() => {
                    return Err(ApiError::forbidden(
                        "only the director sees unpublished performances",
                    ));
                }
                Some(_) => wanted,
            }
        }
    };
    let from = query
        .from
        .as_deref()
        .map(|d| parse_date("from", d))
        .transpose()?;
    let to = query
        .to
        .as_deref()
        .map(|d| parse_date("to", d))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(crate::domain::Invalid::new("to", "must not be before `from`").into());
    }
    let limit = crate::domain::invalid::number_in("limit", query.limit.unwrap_or(200), 1..=1000)?;
    // Dates are local to each venue: widen the UTC bounds by a day and filter exactly below.
    let day_start = |date: NaiveDate| date.and_time(NaiveTime::MIN).and_utc();
    let now = Utc::now();
    let filter = performances::Filter {
        statuses,
        production_id: query.production_id,
        starts_from: match from {
            Some(from) => Some(day_start(from) - Duration::days(1)),
            None if to.is_none() => Some(now),
            None => None,
        },
        starts_before: to.map(|to| day_start(to) + Duration::days(2)),
        limit: None,
    };
    let views = state
        .with_db(move |conn| {
            let rows = performances::list(conn, &filter)?;
            let views = load_views(conn, rows, now)?;
            Ok(views
                .into_iter()
                .filter(|view| {
                    let date = NaiveDate::parse_from_str(&view.starts_at[..10], "%Y-%m-%d").ok();
                    date.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
                })
                .take(limit as usize)
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// One performance. Drafts are visible to the director only.
#[utoipa::path(get, path = "/api/v1/performances/{id}", tag = "performances",
    params(("id" = i32, Path, description = "Performance id")),
    responses((status = 200, body = PerformanceView), (status = 404, body = ErrorBody)))]
pub async fn get_performance(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (id, director) = (id.into_inner(), caller.is_director());
    let view = state
        .with_db(move |conn| {
            let row = performances::find(conn, id)?
                .filter(|row| director || row.status() != Status::Draft)
                .ok_or_else(|| ApiError::not_found("performance"))?;
            load_view(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub fn load_views(
    conn: &mut DbConnection,
    rows: Vec<PerformanceRow>,
    now: DateTime<Utc>,
) -> Result<Vec<PerformanceView>, ApiError> {
    Ok(performances::details(conn, rows, now)?
        .into_iter()
        .map(PerformanceView::from)
        .collect())
}

pub fn load_view(
    conn: &mut DbConnection,
    row: PerformanceRow,
) -> Result<PerformanceView, ApiError> {
    load_views(conn, vec![row], Utc::now())?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a performance vanished while loading")))
}

/// Refuses `slot` in the hall if it clashes with another performance there (409
/// `schedule_clash`, naming the clashing performances). Call after [`crate::db::lock_venue`].
pub fn check_clashes(
    conn: &mut DbConnection,
    venue_id: i32,
    slot: &Slot,
    changeover: Duration,
    except: &[i32],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let clashing = performances::clashing(conn, venue_id, slot, changeover, except)?;
    if clashing.is_empty() {
        return Ok(());
    }
    let views = load_views(conn, clashing, now)?;
    let zone = venues::find(conn, venue_id)?.map(|v| v.zone());
    let wanted = zone.map(|z| z.rfc3339(slot.starts_at)).unwrap_or_default();
    let first = &views[0];
    Err(ApiError::conflict(
        "schedule_clash",
        format!(
            "the hall is taken: «{}» runs from {} to {}, and {} minutes are needed between performances",
            first.production.title,
            first.starts_at,
            first.ends_at,
            changeover.num_minutes()
        ),
    )
    .with_details(json!({
        "starts_at": wanted,
        "clashing_performance": first,
        "clashes": views,
    })))
}
