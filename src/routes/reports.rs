//! Reports for the director: `GET /api/v1/reports/sales` (JSON) and the CSV files for an
//! accountant: `/api/v1/reports/sales.csv`, `/api/v1/reports/payments.csv` and
//! `/api/v1/performances/{id}/attendees.csv`.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::openapi::ErrorBody;
use crate::app::reports::{self, SalesReport};
use crate::domain::booking::Language;
use crate::http::auth::Director;
use crate::http::export::{self, RangeFile};
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/sales", web::get().to(sales))
        .route("/reports/sales.csv", web::get().to(sales_csv))
        .route("/reports/payments.csv", web::get().to(payments_csv))
        .route(
            "/performances/{id}/attendees.csv",
            web::get().to(attendees_csv),
        );
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    /// First local date in the venue's zone (`2026-12-01`); by default the first of this month.
    from: Option<NaiveDate>,
    /// Last local date, inclusive; by default the end of `from`'s month. A range that ends
    /// before it starts holds nothing.
    to: Option<NaiveDate>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvParams {
    /// First local date in the venue's zone; by default the first of this month.
    from: Option<NaiveDate>,
    /// Last local date, inclusive; by default the end of `from`'s month.
    to: Option<NaiveDate>,
    /// The language of the header row and of the words in it; Russian by default.
    lang: Option<Language>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LanguageParam {
    /// The language of the header row and of the words in it; Russian by default.
    lang: Option<Language>,
}

/// One row per performance (published or cancelled) starting in the range, with tickets by
/// zone × type × channel, occupancy, admissions, no-shows after the start and the money summed
/// from payment rows; and the totals.
#[utoipa::path(get, path = "/api/v1/reports/sales", tag = "money", security(("bearer" = [])), params(RangeParams),
    responses((status = 200, body = SalesReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, description = "A date that is not a date", body = ErrorBody)))]
pub async fn sales(
    _director: Director,
    state: web::Data<AppState>,
    query: web::Query<RangeParams>,
) -> Result<HttpResponse, ApiError> {
    let RangeParams { from, to } = query.into_inner();
    let report = state
        .with_db(move |conn, _| {
            let now = Utc::now();
            let (zone, from, to) = reports::zone_and_range(conn, from, to, now)?;
            reports::sales(conn, zone, from, to, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The sales report as CSV: UTF-8 with a BOM, `;` between fields, one row per performance.
#[utoipa::path(get, path = "/api/v1/reports/sales.csv", tag = "money", security(("bearer" = [])), params(CsvParams),
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, description = "A date that is not a date, or an unknown language", body = ErrorBody)))]
pub async fn sales_csv(
    _director: Director,
    state: web::Data<AppState>,
    query: web::Query<CsvParams>,
) -> Result<HttpResponse, ApiError> {
    range_csv(&state, RangeFile::Sales, query.into_inner()).await
}

/// Every payment and refund recorded in the range as CSV, refunds as negative amounts.
#[utoipa::path(get, path = "/api/v1/reports/payments.csv", tag = "money", security(("bearer" = [])), params(CsvParams),
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, description = "A date that is not a date, or an unknown language", body = ErrorBody)))]
pub async fn payments_csv(
    _director: Director,
    state: web::Data<AppState>,
    query: web::Query<CsvParams>,
) -> Result<HttpResponse, ApiError> {
    range_csv(&state, RangeFile::Payments, query.into_inner()).await
}

async fn range_csv(
    state: &AppState,
    file: RangeFile,
    CsvParams { from, to, lang }: CsvParams,
) -> Result<HttpResponse, ApiError> {
    let lang = lang.unwrap_or_default();
    let made = state
        .with_db(move |conn, _| export::range_file(conn, file, from, to, lang, Utc::now()))
        .await?;
    Ok(export::download(made))
}

/// The attendee list of one performance as CSV: one row per ticket, valid or void, with the
/// holder, the payment and whether they came in.
#[utoipa::path(get, path = "/api/v1/performances/{id}/attendees.csv", tag = "money", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id"), LanguageParam),
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "An unknown language", body = ErrorBody)))]
pub async fn attendees_csv(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    query: web::Query<LanguageParam>,
) -> Result<HttpResponse, ApiError> {
    let lang = query.into_inner().lang.unwrap_or_default();
    let id = id.into_inner();
    let made = state
        .with_db(move |conn, _| export::attendee_file(conn, id, lang))
        .await?;
    Ok(export::download(made))
}
