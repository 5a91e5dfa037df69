//! Selling at the door on a phone: the seat map to tap seats on, the payment choice, and the
//! tickets' QR codes shown at once to scan.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::door_keeper;
use std::collections::BTreeMap;

use crate::app::sales::walk_up::{self, Sale};
use crate::app::{self, bookings};
use crate::db::performances;
use crate::db::{claims, zone_names};
use crate::domain::Tenge;
use crate::domain::booking::Language;
use crate::domain::booking::buyer_name;
use crate::domain::payment::DoorPayment;
use crate::domain::performance::Status;
use crate::domain::prices::PriceList;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};
use crate::web::booking::ticket_views;
use crate::web::form::PostedForm;
use crate::web::hall::{self, PlacedSeat};
use crate::web::refusal::refusal;
use crate::web::render::{not_found, page_for as show};
use crate::web::tickets::{picked_types, type_options};
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/door/{id}/sell", web::get().to(sale_page))
        .route("/door/{id}/sell", web::post().to(sell))
        .route("/door/{id}/sold/{reference}", web::get().to(sold));
}

/// `GET /door/{id}/sell`: the seat map to sell from, with the payment choice.
async fn sale_page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = door_keeper(&req, &state).await? {
        return Ok(response);
    }
    render_sale(
        &req,
        language,
        &state,
        id.into_inner(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_sale(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    id: i32,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let context = state
        .with_db(move |conn, ctx| {
            let Some((staged, prices)) = performances::staged_with_prices(conn, id)?
                .filter(|(s, _)| s.performance.status == Status::Published)
            else {
                return Ok(None);
            };
            let claimed = claims::live(conn, id, Utc::now())?;
            let seats = ctx.seat_plans.of(conn, staged.venue.id)?;
            let placed: Vec<PlacedSeat<'_>> = seats
                .iter()
                .map(|seat| PlacedSeat::of(seat, claimed.get(&seat.id)))
                .collect();
            let names = zone_names::of_venue(conn, staged.venue.id)?;
            let drawing = hall::draw(lang, &placed, &names, |zone| Some(prices.of_zone(zone)));
            Ok(Some(context! {
                id => id,
                concessions => type_choices(lang, &prices, seats.iter().map(|s| s.zone.as_str())),
                title => staged.title,
                when => date_time(lang, staged.venue.zone(), staged.performance.slot().starts_at),
                pickable => true,
                ..drawing
            }))
        })
        .await?;
    let Some(context) = context else {
        return not_found(req, language);
    };
    let context = context! { message => message, ..context };
    show(req, language, status, "door_sell.html", context)
}

/// `POST /door/{id}/sell`: sells the picked seats, then shows their tickets.
async fn sell(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let principal = match door_keeper(&req, &state).await? {
        Ok(principal) => principal,
        Err(response) => return Ok(response),
    };
    let posted = PostedForm::parse(&body);
    if let Some(refused) = posted.refuse_forged(&req, language) {
        return refused;
    }
    let (lang, id) = (language.0, id.into_inner());
    let seat_ids: Vec<i32> = posted.all("seat").filter_map(|s| s.parse().ok()).collect();
    // Cash unless the form says otherwise: three taps for the usual sale.
    let payment = posted.text("payment").parse().unwrap_or(DoorPayment::Cash);
    let name = posted.text("name");
    // What the seller can put right at once, said before anything is sold.
    let mistake = if !name.trim().is_empty() && buyer_name(&name).is_err() {
        Some("page-error-name")
    } else if seat_ids.is_empty() {
        Some("door-pick-a-seat")
    } else {
        None
    };
    if let Some(key) = mistake {
        let (text, status) = (t(lang, key, &[]), StatusCode::UNPROCESSABLE_ENTITY);
        return render_sale(&req, language, &state, id, Some(text), status).await;
    }
    let Ok(types) = picked_types(posted.prefixed("type."), Some(&seat_ids)) else {
        let (text, status) = (
            t(lang, "page-error-ticket-type", &[]),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        return render_sale(&req, language, &state, id, Some(text), status).await;
    };
    let sale = Sale {
        types,
        seat_ids,
        name,
        payment,
        seller: principal.user_id,
        with_companions: posted.get("with_companions").is_some(),
    };
    let sold = state
        .write(move |conn, ctx| {
            let booked = walk_up::sell(conn, ctx, id, sale, Utc::now())?;
            Ok(booked.booking.reference)
        })
        .await;
    let error = match sold {
        Ok(reference) => return Ok(see_other(&format!("/door/{id}/sold/{reference}"))),
        Err(error) => error,
    };
    let (status, text) = match error {
        app::Error::NotOnSale | app::Error::SalesClosed | app::Error::NotFound(_) => {
            (StatusCode::CONFLICT, t(lang, "door-not-on-sale", &[]))
        }
        error => refusal(lang, error)?,
    };
    render_sale(&req, language, &state, id, Some(text), status).await
}

/// `GET /door/{id}/sold/{reference}`: a walk-up sale's tickets, QR codes large, to scan at once.
async fn sold(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = door_keeper(&req, &state).await? {
        return Ok(response);
    }
    let (id, reference) = path.into_inner();
    let found = state
        .with_db(move |conn, _| {
            let sold = bookings::sold_at(conn, id, &reference)?;
            Ok((sold, zone_names::of_performance(conn, id)?))
        })
        .await;
    let (booking, names) = match found {
        Ok(sold) => sold,
        Err(app::Error::NotFound(_)) => return not_found(&req, language),
        Err(error) => return Err(error.into()),
    };
    let (booking, tickets) = (booking.booking, booking.tickets);
    let context = context! {
        id => id,
        reference => booking.reference,
        name => if booking.name.is_empty() { t(language.0, "page-walk-up-buyer", &[]) } else { booking.name },
        total => Tenge::from_stored(booking.total).to_string(),
        tickets => ticket_views(language.0, tickets, &names),
    };
    show(&req, language, StatusCode::OK, "door_sold.html", context)
}

/// Per zone that offers a concession, the types a seat may be sold as (full first), for the
/// selects beside the seats; a zone with the full price only has none.
fn type_choices<'a>(
    lang: Language,
    prices: &PriceList,
    zones: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, Vec<minijinja::Value>> {
    zones
        .filter(|zone| prices.types_of(zone).len() > 1)
        .map(|zone| (zone.to_owned(), type_options(lang, prices, zone, None)))
        .collect()
}
