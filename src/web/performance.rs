//! The performance page: the hall drawn from the seat plan, zones in colour with their prices,
//! the stage, wheelchair spaces, and seats that cannot be picked greyed out, each labelled for
//! screen readers.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::csrf;
use super::render::page_with;
use crate::db::claims::{self, Claim};
use crate::db::{performances, venues};
use crate::domain::performance::{PriceList, Status};
use crate::domain::seat_plan::Zone;
use crate::error::ApiError;
use crate::i18n::{date_time, t};
use crate::startup::AppState;

/// Zone colours, in the order zones first appear; dark enough for white text and for contrast
/// with the grey of unavailable seats.
const ZONE_COLOURS: [&str; 6] = [
    "#8a1c2b", "#1f5f99", "#2f6f3e", "#7a4b00", "#5b3a8c", "#00646e",
];
const UNAVAILABLE: &str = "#c9c9c9";
const MARGIN: i32 = 10;
/// Room on the left for the row numbers.
const ROW_LABELS: i32 = 28;
const STAGE_GAP: i32 = 40;

pub async fn performance(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    render(
        &req,
        language,
        &state,
        id.into_inner(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The page, with a message above the map when a form sent the visitor back here.
pub(super) async fn render(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    performance_id: i32,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let context = state
        .with_db(move |conn| {
            let now = Utc::now();
            let performances::Staged { performance: row, venue, title } = performances::staged(conn, performance_id)?
                .filter(|s| s.performance.status() != Status::Draft)
                .ok_or_else(|| ApiError::not_found("performance"))?;
            let prices = PriceList::from_stored(performances::prices(conn, performance_id)?);
            let claimed = claims::live(conn, performance_id, now)?;
            let seats = venues::seats(conn, row.venue_id)?;

            let mut zones: Vec<String> = Vec::new();
            for seat in &seats {
                if !zones.contains(&seat.zone) {
                    zones.push(seat.zone.clone());
                }
            }
            let colour = |zone: &str| ZONE_COLOURS[zones.iter().position(|z| z == zone).unwrap_or(0) % ZONE_COLOURS.len()];
            let price = |zone: &str| prices.get(&Zone::from_stored(zone.to_owned())).unwrap_or_default();
            let (min_x, min_y) = (
                seats.iter().map(|s| s.x).min().unwrap_or(0),
                seats.iter().map(|s| s.y).min().unwrap_or(0),
            );
            let width = seats.iter().map(|s| s.x - min_x).max().unwrap_or(0) + 30 + 2 * MARGIN + ROW_LABELS;
            let height = seats.iter().map(|s| s.y - min_y).max().unwrap_or(0) + 30 + STAGE_GAP + MARGIN;
            let seat_views: Vec<_> = seats
                .iter()
                .map(|seat| {
                    let status = match claimed.get(&seat.id) {
                        None => "available",
                        Some(Claim::Held { .. }) => "held",
                        Some(Claim::Booked) => "booked",
                        Some(Claim::Blocked) => "blocked",
                    };
                    let available = status == "available";
                    let label = t(
                        lang,
                        "page-seat-label",
                        &[
                            ("row", seat.row_number.to_string()),
                            ("number", seat.seat_number.to_string()),
                            ("zone", seat.zone.clone()),
                            ("price", price(&seat.zone).to_string()),
                            ("status", t(lang, &format!("page-status-{status}"), &[])),
                        ],
                    );
                    context! {
                        id => seat.id,
                        number => seat.seat_number,
                        price => price(&seat.zone).amount(),
                        x => seat.x - min_x + MARGIN + ROW_LABELS,
                        y => seat.y - min_y + STAGE_GAP,
                        accessible => seat.accessible,
                        status => status,
                        fill => if available { colour(&seat.zone) } else { UNAVAILABLE },
                        text => if available { "#fff" } else { "#1b1b1b" },
                        label => if seat.accessible { format!("{label} ({})", t(lang, "page-accessible", &[])) } else { label },
                    }
                })
                .collect();
            let mut rows: Vec<(i32, i32)> = seats.iter().map(|s| (s.row_number, s.y - min_y + STAGE_GAP)).collect();
            rows.sort_unstable();
            rows.dedup_by_key(|(row, _)| *row);
            let row_views: Vec<_> = rows.into_iter().map(|(row, y)| context! { row => row, y => y + 20 }).collect();
            let zone_views: Vec<_> = zones
                .iter()
                .map(|zone| context! { name => zone, colour => colour(zone), price => price(zone).to_string() })
                .collect();
            Ok(context! {
                title => title,
                when => date_time(lang, venue.zone(), row.slot().starts_at),
                venue => venue.name,
                address => venue.address,
                id => row.id,
                cancelled => row.status() == Status::Cancelled,
                on_sale => crate::sales::ensure_on_sale(&row, now).is_ok(),
                zones => zone_views,
                seats => seat_views,
                rows => row_views,
                width => width,
                height => height,
            })
        })
        .await?;
    let (csrf, cookie) = csrf::token_for(req);
    let context = context! { lang => lang.as_str(), path => req.path(), csrf => csrf, message => message, ..context };
    page_with(status, "performance.html", context, cookie)
}

#[cfg(test)]
mod tests {
    #[test]
    fn zone_colours_are_distinct() {
        let mut colours = super::ZONE_COLOURS.to_vec();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), super::ZONE_COLOURS.len());
    }
}
