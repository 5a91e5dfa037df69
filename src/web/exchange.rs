//! Exchanging a booking on its page, opened from the manage link: the production's other dates
//! on sale, then the chosen date's seat map as a form that picks as many seats as the booking
//! has. The form calls the same use case as the API ([`exchange::exchange`]) and, refused, is
//! shown again with the reason. Staff signed in open it without a token, from the director's
//! booking list, and move the booking for its holder past the policy (as the API lets them).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::{Value, context};

use super::PageLanguage;
use super::form::PostedForm;
use super::hall::{self, PlacedSeat};
use super::refusal::refusal;
use super::render::{page_for, refused};
use super::see_other;
use crate::app::bookings;
use crate::app::sales::exchange::{self, Exchange, Mover};
use crate::app::{self, Context, sales};
use crate::db::performances::{self, Filter};
use crate::db::{DbConnection, claims, zone_names};
use crate::domain::Role;
use crate::domain::booking::{Language, TicketStatus};
use crate::domain::performance::Status;
use crate::http::auth::signed_in;
use crate::http::{ApiError, AppState};
use crate::i18n::date_time;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bookings/{reference}/exchange", web::get().to(page))
        .route("/bookings/{reference}/exchange", web::post().to(submit));
}

#[derive(serde::Deserialize)]
struct ExchangeQuery {
    token: Option<String>,
    performance: Option<i32>,
}

/// `GET /bookings/{reference}/exchange?token=…[&performance=…]`.
async fn page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ExchangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let token = query.token.unwrap_or_default();
    let asked = Asked {
        reference: reference.into_inner(),
        staff: staff_without_token(&req, &state, &token).await?,
        token,
        performance: query.performance,
    };
    render(&req, language, &state, asked, None, StatusCode::OK).await
}

/// `POST /bookings/{reference}/exchange`: moves the booking and shows it, or shows the map again
/// with the reason it was refused.
async fn submit(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let token = form.text("token");
    let asked = Asked {
        reference: reference.into_inner(),
        staff: staff_without_token(&req, &state, &token).await?,
        token,
        performance: form.text("performance").parse().ok(),
    };
    let to = Exchange {
        performance_id: asked.performance.unwrap_or_default(),
        seat_ids: form.all("seat").filter_map(|v| v.parse().ok()).collect(),
        types: None,
        with_companions: form.get("with_companions").is_some(),
    };
    let (reference, token, staff) = (asked.reference.clone(), asked.token.clone(), asked.staff);
    let moved = state
        .write(move |conn, ctx| {
            let (booked, mover) = opened(conn, ctx, &reference, &token, staff)?;
            let moved = exchange::exchange(conn, ctx, booked.booking.id, &to, mover, Utc::now())?;
            let reference = &moved.booking.reference;
            Ok(match mover {
                Mover::Holder => format!("{}&exchanged=1", ctx.links.manage_path(reference)),
                Mover::Staff { .. } => format!(
                    "/director/performances/{}#booking-{reference}",
                    moved.staged.performance.id
                ),
            })
        })
        .await;
    match moved {
        Ok(path) => Ok(see_other(&path)),
        Err(error @ app::Error::NotFound("booking")) => refused(&req, language, error),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            render(&req, language, &state, asked, Some(text), status).await
        }
    }
}

/// Which booking, with its token (or the staff member who opened it without one), and the
/// date chosen so far.
struct Asked {
    reference: String,
    token: String,
    staff: Option<i32>,
    performance: Option<i32>,
}

/// The staff member (or director) signed in, when the page is opened without a manage token.
async fn staff_without_token(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
) -> Result<Option<i32>, ApiError> {
    if !token.is_empty() {
        return Ok(None);
    }
    Ok(signed_in(req, state)
        .await?
        .filter(|principal| matches!(principal.role, Role::Staff | Role::Director))
        .map(|principal| principal.user_id))
}

/// The booking, opened by its holder's token or by staff, and who moves it.
fn opened(
    conn: &mut DbConnection,
    ctx: &Context,
    reference: &str,
    token: &str,
    staff: Option<i32>,
) -> Result<(bookings::Booked, Mover), app::Error> {
    Ok(match staff {
        Some(user_id) => (
            bookings::by_reference(conn, reference)?,
            Mover::Staff { user_id },
        ),
        None => (bookings::open(conn, ctx, reference, token)?, Mover::Holder),
    })
}

async fn render(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    asked: Asked,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let context = state
        .with_db(move |conn, ctx| page_context(conn, ctx, lang, &asked))
        .await;
    match context {
        Ok(context) => page_for(
            req,
            language,
            status,
            "exchange.html",
            context! { message => message, ..context },
        ),
        Err(error) => refused(req, language, error),
    }
}

fn page_context(
    conn: &mut DbConnection,
    ctx: &Context,
    lang: Language,
    asked: &Asked,
) -> Result<Value, app::Error> {
    let now = Utc::now();
    let (booked, mover) = opened(conn, ctx, &asked.reference, &asked.token, asked.staff)?;
    let current = &booked.staged.performance;
    let policy = exchange::policy_of(conn, ctx, &booked)?;
    let closed = if booked.booking.is_cancelled() {
        Some(app::Error::BookingCancelled)
    } else if mover == Mover::Holder {
        policy.refusal(booked.booking.exchanges, current.slot().starts_at, now)
    } else {
        None
    };
    let closed = closed
        .map(|error| refusal(lang, error).map(|(_, text)| text))
        .transpose()?;
    let seats = booked
        .tickets
        .iter()
        .filter(|ticket| ticket.status == TicketStatus::Valid)
        .count();
    let filter = Filter {
        statuses: vec![Status::Published],
        production_id: Some(current.production_id),
        starts_from: Some(now),
        ..Default::default()
    };
    let rows: Vec<_> = performances::list(conn, &filter)?
        .into_iter()
        .filter(|row| row.id != current.id && sales::on_sale(row, now).is_ok())
        .collect();
    let others = performances::details(conn, rows, now)?;
    let ids: Vec<i32> = others.iter().map(|date| date.row.id).collect();
    let dates: Vec<Value> = others
        .iter()
        .map(|date| {
            context! {
                id => date.row.id,
                when => date_time(lang, date.zone, date.row.slot().starts_at),
                venue => date.venue_name.clone(),
                chosen => asked.performance == Some(date.row.id),
            }
        })
        .collect();
    let open = closed.is_none();
    let chosen = asked.performance.filter(|id| open && ids.contains(id));
    let here = match chosen {
        Some(id) => format!(
            "/bookings/{}/exchange?token={}&performance={id}",
            booked.booking.reference, asked.token
        ),
        None => format!(
            "/bookings/{}/exchange?token={}",
            booked.booking.reference, asked.token
        ),
    };
    let back = match mover {
        Mover::Holder => ctx.links.manage_path(&booked.booking.reference),
        Mover::Staff { .. } => format!(
            "/director/performances/{}#booking-{}",
            current.id, booked.booking.reference
        ),
    };
    let base = context! {
        here => here,
        back => back,
        reference => booked.booking.reference,
        manage_token => asked.token.clone(),
        title => booked.staged.title,
        when => date_time(lang, booked.staged.venue.zone(), current.slot().starts_at),
        count => seats,
        closed => closed,
        dates => dates,
        chosen => chosen,
        pickable => open,
    };
    Ok(match chosen {
        Some(id) => context! { ..seat_map(conn, ctx, lang, id, now)?, ..base },
        None => base,
    })
}

/// The chosen date's hall, its free seats pickable.
fn seat_map(
    conn: &mut DbConnection,
    ctx: &Context,
    lang: Language,
    performance_id: i32,
    now: chrono::DateTime<Utc>,
) -> Result<Value, app::Error> {
    let (staged, prices) = performances::staged_with_prices(conn, performance_id)?
        .ok_or(app::Error::NotFound("performance"))?;
    let claimed = claims::live(conn, performance_id, now)?;
    let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
    let placed: Vec<PlacedSeat<'_>> = plan
        .iter()
        .map(|seat| PlacedSeat::of(seat, claimed.get(&seat.id)))
        .collect();
    let names = zone_names::of_venue(conn, staged.venue.id)?;
    let hall = hall::draw(lang, &placed, &names, |zone| Some(prices.of_zone(zone)));
    let when = date_time(
        lang,
        staged.venue.zone(),
        staged.performance.slot().starts_at,
    );
    Ok(context! { new_when => when, ..hall })
}
