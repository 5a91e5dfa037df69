//! `GET /director/reports`: the sales report for a month or a range of local dates, with a
//! chart of tickets sold per day before the performances (SVG drawn here, no script), and the
//! CSV downloads the API also serves, for the director's page session.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, Utc};
use minijinja::{Value, context};
use serde::Deserialize;

use super::{director, show};
use crate::app;
use crate::app::reports::{self, Counts, SalesReport};
use crate::domain::booking::Language;
use crate::domain::time::parse_date;
use crate::domain::{Invalid, Tenge};
use crate::http::export::{self, RangeFile};
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};
use crate::web::PageLanguage;
use crate::web::render::{not_found, refused};

/// How many days before the performance the chart reaches back; earlier sales count in the
/// leftmost bar.
const CHART_DAYS: usize = 30;
const CHART_WIDTH: usize = 620;
const CHART_HEIGHT: usize = 200;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/reports", web::get().to(reports_page))
        .route("/director/reports/{file}.csv", web::get().to(report_csv))
        .route(
            "/director/performances/{id}/attendees.csv",
            web::get().to(attendees_csv),
        );
}

#[derive(Deserialize)]
struct Asked {
    /// `YYYY-MM`: that month.
    month: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl Asked {
    /// The dates asked for: a month, or from and to (either may be left out).
    fn dates(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), Invalid> {
        if let Some(month) = self.month.as_deref().filter(|m| !m.trim().is_empty()) {
            let first = parse_date("month", &format!("{}-01", month.trim()))?;
            return Ok((Some(first), None));
        }
        let date = |field: &str, raw: &Option<String>| {
            raw.as_deref()
                .filter(|r| !r.trim().is_empty())
                .map(|r| parse_date(field, r))
                .transpose()
        };
        Ok((date("from", &self.from)?, date("to", &self.to)?))
    }
}

async fn reports_page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    asked: web::Query<Asked>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let lang = language.0;
    let (from, to) = match asked.dates() {
        Ok(dates) => dates,
        Err(invalid) => return refused(&req, language, invalid.into()),
    };
    let found = state
        .with_db(move |conn, _| {
            let now = Utc::now();
            let (zone, from, to) = reports::zone_and_range(conn, from, to, now)?;
            let report = reports::sales(conn, zone, from, to, now)?;
            let per_day = reports::sold_per_day_before(conn, zone, &report, CHART_DAYS)?;
            Ok((zone, report, per_day))
        })
        .await;
    let (zone, report, per_day) = match found {
        Ok(found) => found,
        Err(error) => return refused(&req, language, error),
    };
    let tenge = |amount: i64| Tenge::from_stored(amount.max(0)).to_string();
    let rows: Vec<Value> = report
        .performances
        .iter()
        .map(|p| {
            let counts = Counts::of(&p.tickets);
            context! {
                id => p.performance_id,
                when => date_time(lang, zone, p.starts),
                title => p.title.clone(),
                cancelled => p.status == crate::domain::performance::Status::Cancelled,
                sold => p.sold, capacity => p.capacity, occupancy => format!("{:.1}", p.occupancy_percent),
                online => counts.online, walk_up => counts.walk_up, comp => counts.comp,
                concessions => counts.student + counts.pensioner + counts.child,
                admitted => p.admitted, no_shows => p.no_shows,
                net => tenge(p.money.net), outstanding => tenge(p.money.outstanding),
                refunds_due => tenge(p.money.refunds_due),
            }
        })
        .collect();
    let query = format!("from={}&to={}", report.from, report.to);
    let context = context! {
        from => report.from.to_string(), to => report.to.to_string(),
        month => report.from.format("%Y-%m").to_string(),
        rows => rows,
        totals => totals(lang, &report),
        chart => chart(lang, &per_day),
        query => query,
    };
    show(
        &req,
        language,
        StatusCode::OK,
        "director_reports.html",
        context,
    )
}

fn totals(lang: Language, report: &SalesReport) -> Value {
    let total = &report.totals;
    let money = total.money;
    let tenge = |amount: i64| Tenge::from_stored(amount.max(0)).to_string();
    let methods: Vec<Value> = [
        ("cash", money.by_method.cash),
        ("card", money.by_method.card),
        ("kaspi", money.by_method.kaspi),
        ("transfer", money.by_method.transfer),
    ]
    .into_iter()
    .map(|(method, amount)| {
        context! { label => t(lang, &format!("page-method-{method}"), &[]), amount => tenge(amount) }
    })
    .collect();
    context! {
        performances => total.performances, sold => total.sold, capacity => total.capacity,
        occupancy => format!("{:.1}", total.occupancy_percent), admitted => total.admitted,
        no_shows => total.no_shows,
        online => total.tickets.online, walk_up => total.tickets.walk_up, comp => total.tickets.comp,
        full => total.tickets.full, student => total.tickets.student,
        pensioner => total.tickets.pensioner, child => total.tickets.child,
        taken => tenge(money.taken), refunded => tenge(money.refunded), net => tenge(money.net),
        outstanding => tenge(money.outstanding), refunds_due => tenge(money.refunds_due),
        methods => methods,
    }
}

/// Bars from `CHART_DAYS` days before (left) to the day of the performance (right), scaled to
/// the busiest day, each with its count as a title for screen readers and a hover.
fn chart(lang: Language, per_day: &[i64]) -> Value {
    let top = per_day.iter().copied().max().unwrap_or(0).max(1);
    let slot = CHART_WIDTH / per_day.len().max(1);
    let plot = CHART_HEIGHT - 28;
    let bars: Vec<Value> = per_day
        .iter()
        .enumerate()
        .rev()
        .enumerate()
        .map(|(x, (days, tickets))| {
            let height = (*tickets as usize * plot) / top as usize;
            context! {
                x => x * slot + 1, width => slot.saturating_sub(2).max(1),
                y => plot - height, height => height,
                label => (days % 5 == 0).then(|| days.to_string()), label_x => x * slot + slot / 2,
                title => t(lang, "page-reports-chart-day", &[("days", days.to_string()), ("tickets", tickets.to_string())]),
            }
        })
        .collect();
    context! {
        bars => bars, width => CHART_WIDTH, height => CHART_HEIGHT, top => top, plot => plot,
        total => per_day.iter().sum::<i64>(),
    }
}

/// `GET /director/reports/{sales,payments}.csv`: the report or the payment records of the
/// dates asked for, as the API serves them, with the header row in the page's language.
async fn report_csv(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    file: web::Path<String>,
    asked: web::Query<Asked>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let file = match file.as_str() {
        "sales" => RangeFile::Sales,
        "payments" => RangeFile::Payments,
        _ => return not_found(&req, language),
    };
    let (from, to) = match asked.dates() {
        Ok(dates) => dates,
        Err(invalid) => return refused(&req, language, invalid.into()),
    };
    let lang = language.0;
    let made = state
        .with_db(move |conn, _| export::range_file(conn, file, from, to, lang, Utc::now()))
        .await;
    downloaded(&req, language, made)
}

async fn attendees_csv(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let (lang, id) = (language.0, id.into_inner());
    let made = state
        .with_db(move |conn, _| export::attendee_file(conn, id, lang))
        .await;
    downloaded(&req, language, made)
}

/// The file made, or the page refusing what went wrong.
fn downloaded(
    req: &HttpRequest,
    language: PageLanguage,
    made: Result<(Vec<u8>, String), app::Error>,
) -> Result<HttpResponse, ApiError> {
    match made {
        Ok(made) => Ok(export::download(made)),
        Err(error) => refused(req, language, error),
    }
}
