//! The schedule as a month calendar in the hall's time zone: a week per row, Monday first,
//! each performance on its local date with its local time and state.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, Duration, Months, NaiveDate, Utc};
use minijinja::context;
use serde::Deserialize;

use super::{director, show};
use crate::app::venues::house_zone;
use crate::db::performances::{self, Filter};
use crate::domain::performance::Status;
use crate::http::ApiError;
use crate::http::AppState;
use crate::i18n::t;
use crate::web::PageLanguage;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/calendar", web::get().to(calendar));
}

#[derive(Deserialize)]
struct MonthQuery {
    /// `2026-12`; absent or unreadable means this month.
    month: Option<String>,
}

/// The first day of the month `raw` names (`2026-12`).
fn parse_month(raw: &str) -> Option<NaiveDate> {
    let (year, month) = raw.split_once('-')?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

async fn calendar(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let lang = language.0;
    let asked = query.month.as_deref().and_then(parse_month);
    let context = state
        .with_db(move |conn, _| {
            // The calendar's zone is the first hall's; each performance sits on its own
            // hall's local date.
            let zone = house_zone(conn)?;
            let today = zone.local_date(Utc::now());
            let first = asked.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
            let next = first + Months::new(1);
            let previous = first - Months::new(1);
            // A day's margin each side covers every zone; the local date decides.
            let rows = performances::list(
                conn,
                &Filter {
                    statuses: vec![Status::Draft, Status::Published, Status::Cancelled],
                    starts_from: Some(first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::days(1)),
                    starts_before: Some(next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::days(1)),
                    ..Default::default()
                },
            )?;
            let shown = performances::details(conn, rows, Utc::now())?;
            let weekdays: Vec<String> = (1..=7).map(|i| t(lang, &format!("weekday-{i}"), &[])).collect();
            let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
            let mut weeks = Vec::new();
            let mut day = start;
            while day < next || day.weekday().num_days_from_monday() != 0 {
                let mut week = Vec::with_capacity(7);
                for _ in 0..7 {
                    let on_day: Vec<_> = shown
                        .iter()
                        .filter(|p| p.zone.local_date(p.row.slot().starts_at) == day)
                        .map(|p| {
                            let status = p.row.status;
                            context! {
                                id => p.row.id,
                                time => p.zone.local(p.row.slot().starts_at).format("%H:%M").to_string(),
                                title => p.production_title.clone(),
                                status => status.as_str(),
                                state => t(lang, &format!("page-state-{}", status.as_str()), &[]),
                            }
                        })
                        .collect();
                    week.push(context! {
                        day => day.day(),
                        weekday => weekdays[day.weekday().num_days_from_monday() as usize].clone(),
                        date => day.to_string(),
                        outside => day.month() != first.month(),
                        today => day == today,
                        performances => on_day,
                    });
                    day += Duration::days(1);
                }
                weeks.push(week);
            }
            Ok(context! {
                month_title => t(lang, "page-month-title", &[
                    ("month", t(lang, &format!("month-name-{}", first.month()), &[])),
                    ("year", first.year().to_string()),
                ]),
                previous => previous.format("%Y-%m").to_string(),
                next => next.format("%Y-%m").to_string(),
                weekdays => weekdays,
                weeks => weeks,
                timezone => zone.name(),
            })
        })
        .await?;
    show(
        &req,
        language,
        StatusCode::OK,
        "director_calendar.html",
        context,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_read_from_year_and_month() {
        assert_eq!(parse_month("2024-02"), NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(parse_month("2024-13"), None);
        assert_eq!(parse_month("february"), None);
    }
}
