//! The calendar as the public sees it: `GET /api/v1/performances[/{id}]`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use crate::app::catalog::{self, Listing};
use crate::domain::invalid::number_in;
use crate::domain::performance::Status;
use crate::domain::time::parse_date;
use crate::http::auth::MaybeSignedIn;
use crate::http::views::PerformanceView;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances", web::get().to(list_performances))
        .route("/performances/{id}", web::get().to(get_performance))
        .configure(super::scheduling::routes);
}

/// Which performances a listing asks for: `published` for everyone; the director may also ask
/// for the others.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
enum ListedStatus {
    Published,
    Draft,
    Cancelled,
    All,
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// First date (in the venue's zone), e.g. `2025-02-01`. Without `from` and `to`, upcoming
    /// performances are listed.
    #[param(format = Date, value_type = Option<String>)]
    from: Option<String>,
    /// Last date, inclusive.
    #[param(format = Date, value_type = Option<String>)]
    to: Option<String>,
    production_id: Option<i32>,
    /// `published` (the default); the director may also ask for `draft`, `cancelled` or `all`.
    #[param(inline)]
    status: Option<ListedStatus>,
    /// At most this many (default 200).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
}

/// Performances, earliest first: published ones for everyone.
#[utoipa::path(get, path = "/api/v1/performances", tag = "performances", params(ListQuery),
    responses((status = 200, body = Vec<PerformanceView>),
              (status = 401, description = "Unpublished performances asked for without signing in", body = ErrorBody),
              (status = 403, description = "Unpublished performances asked for by staff", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list_performances(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let statuses = match query.status.unwrap_or(ListedStatus::Published) {
        ListedStatus::Published => vec![Status::Published],
        other => {
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
                Some(_) => {}
            }
            match other {
                ListedStatus::Draft => vec![Status::Draft],
                ListedStatus::Cancelled => vec![Status::Cancelled],
                _ => Status::ALL.to_vec(),
            }
        }
    };
    let date = |field, raw: Option<String>| raw.map(|d| parse_date(field, &d)).transpose();
    let listing = Listing {
        statuses,
        production_id: query.production_id,
        from: date("from", query.from)?,
        to: date("to", query.to)?,
        limit: number_in("limit", query.limit.unwrap_or(200), 1..=1000)? as usize,
    };
    let views = state
        .with_db(move |conn, _| {
            let listed = catalog::list(conn, &listing, Utc::now())?;
            Ok(listed
                .into_iter()
                .map(PerformanceView::from)
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
    let performance = state
        .with_db(move |conn, _| catalog::one(conn, id, director, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(PerformanceView::from(performance)))
}
