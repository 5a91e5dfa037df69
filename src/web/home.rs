//! The home page and each production's page: what is on, by production, with its poster, in
//! the venue's time, with prices and seats left.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::{Value, context};

use super::PageLanguage;
use super::event_data::{locale, poster_url, summary};
use super::render::{not_found, page, page_for};
use crate::app::posters::WIDTHS;
use crate::db::performances::{self, Filter, PerformanceDetails};
use crate::db::productions::{self, ProductionRow};
use crate::db::{DbConnection, credits};
use crate::domain::booking::Language;
use crate::domain::credits::{Credit, CreditKind};
use crate::domain::performance::Status;
use crate::domain::prices::TicketType;
use crate::http::ApiError;
use crate::http::AppState;
use crate::i18n::{date_time, t};

/// Fewer seats than this (or a tenth of the hall) left reads "few left".
const FEW_SEATS: i64 = 5;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/productions/{id}", web::get().to(production));
}

/// A poster as `<img>` attributes: the smallest copy as `src`, every copy in `srcset`.
fn poster(name: &str) -> Value {
    let srcset: Vec<String> = WIDTHS
        .iter()
        .map(|w| format!("/posters/{name}/{w}.jpg {w}w"))
        .collect();
    context! { src => format!("/posters/{name}/{}.jpg", WIDTHS[0]), srcset => srcset.join(", ") }
}

/// The credits as the page lists them: the crew, then the cast, each in the director's order.
fn credited(credits: &[Credit]) -> Value {
    let of = |kind: CreditKind| -> Vec<Value> {
        credits
            .iter()
            .filter(|credit| credit.kind == kind)
            .map(|credit| context! { role => &credit.role, name => &credit.name })
            .collect()
    };
    context! { crew => of(CreditKind::Crew), cast => of(CreditKind::Cast) }
}

/// "Next: 5 December 2026, 19:00, 2act studio." for a preview: the first of `upcoming`.
fn next_date(lang: Language, upcoming: &[PerformanceDetails]) -> Option<String> {
    upcoming.first().map(|next| {
        let when = date_time(lang, next.zone, next.row.slot().starts_at);
        t(
            lang,
            "page-preview-next",
            &[("when", when), ("venue", next.venue_name.clone())],
        )
    })
}

/// The published performances ahead, soonest first, of one production or of all.
fn upcoming(
    conn: &mut DbConnection,
    production_id: Option<i32>,
) -> Result<Vec<PerformanceDetails>, crate::app::Error> {
    let now = Utc::now();
    let filter = Filter {
        statuses: vec![Status::Published],
        production_id,
        starts_from: Some(now),
        limit: Some(200),
        ..Default::default()
    };
    let rows = performances::list(conn, &filter)?;
    Ok(performances::details(conn, rows, now)?)
}

/// The productions of `upcoming` (or just `only`), each with its dates among them.
fn on_stage(
    conn: &mut DbConnection,
    lang: Language,
    only: Option<&ProductionRow>,
    upcoming: &[PerformanceDetails],
) -> Result<Vec<Value>, crate::app::Error> {
    let shows = match only {
        Some(show) => vec![show.clone()],
        None => {
            let mut ids: Vec<i32> = upcoming.iter().map(|p| p.row.production_id).collect();
            ids.dedup();
            productions::by_ids(conn, &ids)?
        }
    };
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
            let paragraphs: Vec<String> = show
                .description
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
            context! {
                id => show.id,
                title => show.title,
                paragraphs => paragraphs,
                minutes => show.duration_minutes,
                interval => show.intermission_minutes,
                running => show.duration_minutes + show.intermission_minutes,
                has_interval => show.intermission_minutes > 0,
                age_rating => show.age_rating,
                language => t(lang, &format!("page-play-language-{}", show.language), &[]),
                poster => show.poster.as_deref().map(poster),
                dates => dates,
            }
        })
        .collect())
}

pub async fn home(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let productions = state
        .with_db(move |conn, _| {
            let upcoming = upcoming(conn, None)?;
            on_stage(conn, lang, None, &upcoming)
        })
        .await?;
    page(
        "home.html",
        context! { lang => lang.as_str(), path => req.path(), productions => productions },
    )
}

/// `GET /productions/{id}`: the poster, what the production is, and its dates ahead. A
/// production never announced (only drafts) is not found.
async fn production(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id) = (language.0, id.into_inner());
    let shown = state
        .with_db(move |conn, _| {
            let Some(row) = productions::find(conn, id)? else {
                return Ok(None);
            };
            let announced = Filter {
                statuses: vec![Status::Published, Status::Cancelled],
                production_id: Some(id),
                limit: Some(1),
                ..Default::default()
            };
            if performances::list(conn, &announced)?.is_empty() {
                return Ok(None);
            }
            let credits = credits::of_production(conn, id)?;
            let upcoming = upcoming(conn, Some(id))?;
            let next = next_date(lang, &upcoming);
            let shown = on_stage(conn, lang, Some(&row), &upcoming)?.pop();
            Ok(shown.map(|show| (show, row, credits, next)))
        })
        .await?;
    let Some((show, row, credits, next)) = shown else {
        return not_found(&req, language);
    };
    let public_url = state.app.links.public_url();
    let description = match next {
        Some(next) => format!("{next} {}", summary(&row.description)),
        None => summary(&row.description),
    };
    let preview = context! {
        title => row.title,
        description => description.trim_end(),
        url => format!("{public_url}/productions/{id}"),
        locale => locale(lang),
        image => row.poster.map(|poster| poster_url(public_url, &poster)),
    };
    page_for(
        &req,
        language,
        StatusCode::OK,
        "production.html",
        context! { show => show, preview => preview, credits => credited(&credits) },
    )
}
