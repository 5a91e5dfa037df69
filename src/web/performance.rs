//! The performance page: the hall drawn from the seat plan, zones in colour with their prices,
//! the stage, wheelchair spaces, and seats that cannot be picked greyed out, each labelled for
//! screen readers.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::event_data::{Event, event_data};
use super::hall::{self, PlacedSeat};
use super::render::{page_for, refused};
use crate::app::{self, sales};
use crate::db::{audit, performances, productions};
use crate::db::{claims, credits, zone_names};
use crate::domain::Tenge;
use crate::domain::performance::Status;
use crate::domain::waitlist;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};

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
        .with_db(move |conn, ctx| {
            let now = Utc::now();
            let (staged, prices) = performances::staged_with_prices(conn, performance_id)?
                .filter(|(s, _)| s.performance.status != Status::Draft)
                .ok_or(app::Error::NotFound("performance"))?;
            let (description, poster) = productions::find(conn, staged.performance.production_id)?
                .map(|p| (p.description, p.poster))
                .unwrap_or_default();
            let first_start = audit::first_start_if_moved(conn, performance_id)?;
            let credits = credits::of_production(conn, staged.performance.production_id)?;
            let row = &staged.performance;
            let claimed = claims::live(conn, performance_id, now)?;
            let seats = ctx.seat_plans.of(conn, row.venue_id)?;
            let placed: Vec<PlacedSeat<'_>> = seats
                .iter()
                .map(|seat| PlacedSeat::of(seat, claimed.get(&seat.id)))
                .collect();
            let names = zone_names::of_venue(conn, row.venue_id)?;
            let hall = hall::draw(lang, &placed, &names, |zone| Some(prices.of_zone(zone)));
            let on_sale = sales::on_sale(row, now).is_ok();
            // Fewer seats free than one person may wait for: the waiting list is open. A
            // companion seat still kept for its wheelchair space is not free on its own.
            let rule = ctx.companion_rule(row.slot().starts_at, now);
            let free = rule.free_seats(&seats, &claimed).count() as i32;
            let waitlist = (on_sale && free < waitlist::MAX_SEATS)
                .then(|| ((free + 1)..=waitlist::MAX_SEATS).collect::<Vec<i32>>());
            let concessions: Vec<_> = prices
                .concessions()
                .into_iter()
                .map(|(kind, zones)| {
                    let zones: Vec<String> = zones
                        .into_iter()
                        .map(|(zone, price)| {
                            format!(
                                "{} {}",
                                names.read_in(&zone, lang),
                                Tenge::from_stored(price)
                            )
                        })
                        .collect();
                    format!(
                        "{}: {}",
                        t(lang, &format!("ticket-type-{kind}"), &[]),
                        zones.join(", ")
                    )
                })
                .collect();
            let meta = event_data(
                lang,
                &Event {
                    staged: &staged,
                    description: &description,
                    prices: &prices,
                    names: &names,
                    free,
                    on_sale,
                    first_start,
                    public_url: ctx.links.public_url(),
                    poster: poster.as_deref(),
                    credits: &credits,
                },
            );
            let performances::Staged {
                performance: row,
                venue,
                title,
            } = staged;
            Ok(context! {
                meta => meta,
                share_text => t(lang, "page-share-text", &[("title", title.clone())]),
                title => title,
                concessions => concessions,
                when => date_time(lang, venue.zone(), row.slot().starts_at),
                venue => venue.name,
                address => venue.address,
                id => row.id,
                // After a refused form the language switch returns to the page, not the form.
                here => format!("/performances/{}", row.id),
                cancelled => row.status == Status::Cancelled,
                on_sale => on_sale,
                free => free,
                waitlist => waitlist,
                ..hall
            })
        })
        .await;
    let context = match context {
        Ok(context) => context! { message => message, ..context },
        Err(error) => return refused(req, language, error),
    };
    page_for(req, language, status, "performance.html", context)
}
