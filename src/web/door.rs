//! The door on a phone: pick the performance, scan or type codes (the script in
//! static/door.js does the scanning, the offline list and the upload), and sell walk-up seats on
//! the seat map with the tickets' QR codes shown at once. Staff and the director only.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, Utc};
use minijinja::{Value, context};

use super::booking::ticket_views;
use super::form::PostedForm;
use super::hall::{self, PlacedSeat};
use super::refusal::refusal;
use super::render::{not_found, page_for as show};
use super::{PageLanguage, see_other};
use crate::app::door::list::door_list;
use crate::app::sales::walk_up::{self, Sale};
use crate::app::{self, bookings};
use crate::db::claims;
use crate::db::performances::{self, Filter};
use crate::db::sessions::Principal;
use crate::domain::Tenge;
use crate::domain::booking::{DoorPayment, Language};
use crate::domain::performance::Status;
use crate::http::auth::signed_in;
use crate::http::views::DoorData;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/door", web::get().to(choose))
        .route("/door/{id}", web::get().to(scanner))
        .route("/door/{id}/sell", web::get().to(sale_page))
        .route("/door/{id}/sell", web::post().to(sell))
        .route("/door/{id}/sold/{reference}", web::get().to(sold));
}

/// Staff or the director, or the response to send instead (sign in first).
async fn door_keeper(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Result<Principal, HttpResponse>, ApiError> {
    Ok(match signed_in(req, state).await? {
        Some(principal) => Ok(principal),
        None => Err(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/signin?back={}", req.path())))
            .finish()),
    })
}

/// `GET /door`: the performances of today and the next days, to pick one.
async fn choose(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = door_keeper(&req, &state).await? {
        return Ok(response);
    }
    let lang = language.0;
    let performances = state
        .with_db(move |conn, _| {
            let now = Utc::now();
            let rows = performances::list(
                conn,
                &Filter {
                    statuses: vec![Status::Published],
                    // Still at the door until the end: a performance that began hours ago.
                    starts_from: Some(now - Duration::hours(6)),
                    starts_before: Some(now + Duration::days(7)),
                    ..Default::default()
                },
            )?;
            Ok(performances::details(conn, rows, now)?
                .into_iter()
                .filter(|p| p.row.slot().ends_at > now)
                .map(|p| {
                    let starts_at = p.row.slot().starts_at;
                    context! {
                        id => p.row.id,
                        title => p.production_title,
                        when => date_time(lang, p.zone, starts_at),
                        today => p.zone.local_date(starts_at) == p.zone.local_date(now),
                        sold => p.seats_total - p.seats_available,
                        total => p.seats_total,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    show(
        &req,
        language,
        StatusCode::OK,
        "door_choose.html",
        context! { performances => performances },
    )
}

/// The texts the door script shows, in the page's language; `{name}` marks are filled in by
/// the script.
fn script_texts(lang: Language) -> Value {
    let keys = [
        "door-admitted",
        "door-left",
        "door-already",
        "door-not-inside",
        "door-wrong",
        "door-cancelled",
        "door-unknown",
        "door-undone",
        "door-signed-out",
        "door-admit",
        "door-no-match",
        "door-offline-admit",
        "door-no-camera",
        "door-scan-camera",
        "door-stop-camera",
        "door-inside",
        "door-server-error",
    ];
    let mut texts: std::collections::BTreeMap<&str, String> =
        keys.iter().map(|key| (*key, t(lang, key, &[]))).collect();
    fn marks<'a>(names: &[&'a str]) -> Vec<(&'a str, String)> {
        names.iter().map(|n| (*n, format!("{{{n}}}"))).collect()
    }
    texts.insert(
        "door-already-detail",
        t(lang, "door-already-detail", &marks(&["at", "by"])),
    );
    texts.insert(
        "door-wrong-detail",
        t(lang, "door-wrong-detail", &marks(&["title", "when"])),
    );
    texts.insert("door-offline", t(lang, "door-offline", &marks(&["count"])));
    texts.insert(
        "door-conflict",
        t(lang, "door-conflict", &marks(&["name", "seat", "result"])),
    );
    texts.insert("door-this-device", t(lang, "door-this-device", &[]));
    texts.insert("walk-up", t(lang, "page-walk-up-buyer", &[]));
    texts.insert("seat", t(lang, "mail-seat", &marks(&["row", "number"])));
    Value::from(minijinja::value::Serde(&texts))
}

/// `GET /door/{id}`: the scanner of one performance, with its door data for working offline.
async fn scanner(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = door_keeper(&req, &state).await? {
        return Ok(response);
    }
    let (lang, id) = (language.0, id.into_inner());
    let found = state
        .with_db(move |conn, _| {
            let Some(staged) =
                performances::staged(conn, id)?.filter(|s| s.performance.status != Status::Draft)
            else {
                return Ok(None);
            };
            Ok(Some((staged, door_list(conn, id, Utc::now())?)))
        })
        .await?;
    let Some((staged, door_data)) = found else {
        return not_found(&req, language);
    };
    let door_data = DoorData::from(door_data);
    let zone = staged.venue.zone();
    let context = context! {
        id => id,
        title => staged.title,
        when => date_time(lang, zone, staged.performance.slot().starts_at),
        timezone => zone.name(),
        counts => Value::from(minijinja::value::Serde(&door_data.counts)),
        door_data => Value::from(minijinja::value::Serde(&door_data)),
        texts => script_texts(lang),
    };
    show(&req, language, StatusCode::OK, "door.html", context)
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
            let drawing = hall::draw(lang, &placed, |zone| Some(prices.of_zone(zone)));
            Ok(Some(context! {
                id => id,
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
    let name = match name.trim() {
        "" => String::new(),
        given => match crate::domain::booking::buyer_name(given) {
            Ok(name) => name,
            Err(_) => {
                let text = t(lang, "page-error-name", &[]);
                return render_sale(
                    &req,
                    language,
                    &state,
                    id,
                    Some(text),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    if seat_ids.is_empty() {
        let text = t(lang, "door-pick-a-seat", &[]);
        return render_sale(
            &req,
            language,
            &state,
            id,
            Some(text),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let sale = Sale {
        seat_ids,
        name,
        payment,
        seller: principal.user_id,
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
        .with_db(move |conn, _| bookings::sold_at(conn, id, &reference))
        .await;
    let booking = match found {
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
        tickets => ticket_views(language.0, tickets),
    };
    show(&req, language, StatusCode::OK, "door_sold.html", context)
}
