//! The performance page: the hall drawn from the seat plan, zones in colour with their prices,
//! the stage, wheelchair spaces, and seats that cannot be picked greyed out, each labelled for
//! screen readers.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::hall::{self, PlacedSeat};
use super::render::page_for;
use crate::db::claims;
use crate::db::performances;
use crate::domain::performance::{PriceList, Status};
use crate::domain::seat_plan::Zone;
use crate::error::ApiError;
use crate::i18n::date_time;
use crate::startup::AppState;

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
    let plans = state.seat_plans.clone();
    let context = state
        .with_db(move |conn| {
            let now = Utc::now();
            let performances::Staged {
                performance: row,
                venue,
                title,
            } = performances::staged(conn, performance_id)?
                .filter(|s| s.performance.status() != Status::Draft)
                .ok_or_else(|| ApiError::not_found("performance"))?;
            let prices = PriceList::from_stored(performances::prices(conn, performance_id)?);
            let claimed = claims::live(conn, performance_id, now)?;
            let seats = plans.of(conn, row.venue_id)?;

            let price = |zone: &str| prices.get(&Zone::from_stored(zone.to_owned()));
            let placed: Vec<PlacedSeat<'_>> = seats
                .iter()
                .map(|seat| PlacedSeat::of(seat, claimed.get(&seat.id)))
                .collect();
            let hall = hall::draw(lang, &placed, |zone| Some(price(zone).unwrap_or_default()));
            Ok(context! {
                title => title,
                when => date_time(lang, venue.zone(), row.slot().starts_at),
                venue => venue.name,
                address => venue.address,
                id => row.id,
                cancelled => row.status() == Status::Cancelled,
                on_sale => crate::sales::ensure_on_sale(&row, now).is_ok(),
                ..hall
            })
        })
        .await?;
    let context = context! { message => message, ..context };
    page_for(req, language, status, "performance.html", context)
}
