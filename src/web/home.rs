//! The home page: what is on, grouped by production, in the venue's time, with prices and
//! seats left.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::PageLanguage;
use super::render::page;
use crate::db::performances::{self, Filter};
use crate::db::productions;
use crate::domain::performance::Status;
use crate::domain::prices::TicketType;
use crate::http::ApiError;
use crate::http::AppState;
use crate::i18n::date_time;

/// Fewer seats than this (or a tenth of the hall) left reads "few left".
const FEW_SEATS: i64 = 5;

pub async fn home(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let productions = state
        .with_db(move |conn, _| {
            let now = Utc::now();
            let filter = Filter {
                statuses: vec![Status::Published],
                starts_from: Some(now),
                limit: Some(200),
                ..Default::default()
            };
            let rows = performances::list(conn, &filter)?;
            let upcoming = performances::details(conn, rows, now)?;
            let mut ids: Vec<i32> = upcoming.iter().map(|p| p.row.production_id).collect();
            ids.dedup();
            let shows = productions::by_ids(conn, &ids)?;
            Ok(shows
                .into_iter()
                .map(|show| {
                    let dates: Vec<_> = upcoming
                        .iter()
                        .filter(|p| p.row.production_id == show.id)
                        .map(|p| {
                            let cheapest = p
                                .prices
                                .iter()
                                .filter(|(_, kind, _)| *kind == TicketType::Full)
                                .map(|(_, _, price)| price)
                                .min()
                                .unwrap_or_default();
                            let few = p.seats_available <= FEW_SEATS.max(p.seats_total / 10);
                            context! {
                                id => p.row.id,
                                when => date_time(lang, p.zone, p.row.slot().starts_at),
                                venue => p.venue_name.clone(),
                                from_price => cheapest.to_string(),
                                seats_left => p.seats_available,
                                sold_out => p.seats_available == 0,
                                few_left => p.seats_available > 0 && few,
                            }
                        })
                        .collect();
                    context! {
                        title => show.title,
                        description => show.description,
                        minutes => show.duration_minutes + show.intermission_minutes,
                        has_interval => show.intermission_minutes > 0,
                        age_rating => show.age_rating,
                        dates => dates,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    page(
        "home.html",
        context! { lang => lang.as_str(), path => req.path(), productions => productions },
    )
}
