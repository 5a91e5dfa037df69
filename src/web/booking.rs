//! Booking from the pages, without JavaScript if need be: pick seats (a form of checkboxes
//! under the seat map), hold them, fill in the checkout form, and land on the booking's page,
//! where the tickets' QR codes, the calendar entry and cancelling are. Every form carries a
//! CSRF token.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use data_encoding::BASE64;
use minijinja::context;

use super::form::PostedForm;
use super::refusal::refusal;
use super::render::{page_for, refused};
use super::see_other;
use super::{PageLanguage, performance};
use crate::app::bookings::{self, Booked};
use crate::app::sales::book::{Buyer, book_once};
use crate::app::sales::{cancel, hold};
use crate::db::bookings::TicketRow;
use crate::domain::booking::{Language, TicketStatus, buyer_name, phone};
use crate::domain::{Email, Tenge};
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/hold", web::post().to(hold))
        .route("/checkout/{token}", web::get().to(checkout))
        .route("/checkout/{token}", web::post().to(confirm))
        .route("/bookings/{reference}", web::get().to(booking))
        .route("/bookings/{reference}/cancel", web::post().to(cancel))
        .route(
            "/bookings/{reference}/calendar.ics",
            web::get().to(calendar),
        );
}

/// `POST /performances/{id}/hold`: holds the ticked seats and goes to checkout.
async fn hold(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let seat_ids: Vec<i32> = form.all("seat").filter_map(|v| v.parse().ok()).collect();
    let back = |status, text| {
        performance::render(&req, language, &state, performance_id, Some(text), status)
    };
    if seat_ids.is_empty() {
        let text = t(language.0, "page-choose-at-least-one", &[]);
        return back(StatusCode::UNPROCESSABLE_ENTITY, text).await;
    }
    let held = state
        .write(move |conn, ctx| hold::hold(conn, ctx, performance_id, seat_ids, Utc::now()))
        .await;
    match held {
        Ok(held) => Ok(see_other(&format!("/checkout/{}", held.hold_token))),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            back(status, text).await
        }
    }
}

/// `GET /checkout/{token}`: the held seats, the time left, and the buyer's form.
async fn checkout(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    hold_token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    show_checkout(
        &req,
        language,
        &state,
        hold_token.into_inner(),
        Default::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Default, serde::Serialize)]
struct CheckoutForm {
    name: String,
    email: String,
    phone: String,
    errors: std::collections::BTreeMap<String, String>,
}

async fn show_checkout(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    hold_token: String,
    form: CheckoutForm,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let token = hold_token.clone();
    let held = state
        .with_db(move |conn, ctx| hold::checkout(conn, ctx, &token, Utc::now()))
        .await?;
    let Some(held) = held else {
        return refused(req, language, crate::app::Error::HoldExpired);
    };
    let seats: Vec<_> = held
        .seats
        .iter()
        .map(|s| context! { label => seat_name(lang, s.row, s.number), zone => s.zone.clone(), price => Tenge::from_stored(s.price).to_string() })
        .collect();
    let context = context! {
        hold_token => hold_token,
        title => held.title, venue => held.venue, when => date_time(lang, held.zone, held.starts_at),
        seats => seats, total => Tenge::from_stored(held.total).to_string(),
        expires_at => held.expires_at.to_rfc3339(),
        held_until => held.zone.local(held.expires_at).format("%H:%M").to_string(),
        form => minijinja::Value::from(minijinja::value::Serde(form)),
    };
    page_for(req, language, status, "checkout.html", context)
}

/// `POST /checkout/{token}`: books, or shows the form again with the errors by their fields.
async fn confirm(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    hold_token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = PostedForm::parse(&body);
    if let Some(refused) = form.refuse_forged(&req, language) {
        return refused;
    }
    let lang = language.0;
    let mut checkout = CheckoutForm {
        name: form.text("name"),
        email: form.text("email"),
        phone: form.text("phone"),
        errors: Default::default(),
    };
    let mut refuse = |field: &str, key: &str| {
        checkout.errors.insert(field.into(), t(lang, key, &[]));
    };
    let name = buyer_name(&checkout.name)
        .map_err(|_| refuse("name", "page-error-name"))
        .ok();
    let email = Email::parse("email", &checkout.email)
        .map_err(|_| refuse("email", "page-error-email"))
        .ok();
    let phone = match checkout.phone.trim() {
        "" => Some(None),
        raw => phone(raw)
            .map(Some)
            .map_err(|_| refuse("phone", "page-error-phone"))
            .ok(),
    };
    let hold_token = hold_token.into_inner();
    let (Some(name), Some(email), Some(phone)) = (name, email, phone) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show_checkout(&req, language, &state, hold_token, checkout, status).await;
    };
    let buyer = Buyer {
        name,
        email,
        phone,
        language: lang,
    };
    let booked = state
        .with_db(move |conn, ctx| {
            let booked = book_once(conn, ctx, &hold_token, &buyer, None, Utc::now())?;
            Ok(ctx.links.manage_path(&booked.booking.reference))
        })
        .await;
    match booked {
        Ok(path) => Ok(see_other(&path)),
        Err(error) => refused(&req, language, error),
    }
}

#[derive(serde::Deserialize)]
struct ManageQuery {
    token: Option<String>,
}

/// `GET /bookings/{reference}?token=…`: the booking with its tickets' QR codes.
async fn booking(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ManageQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let manage_token = query.into_inner().token.unwrap_or_default();
    let token = manage_token.clone();
    let opened = state
        .with_db(move |conn, ctx| {
            let booked = bookings::open(conn, ctx, &reference, &token)?;
            let can_cancel = !booked.booking.is_cancelled()
                && ctx.can_cancel(booked.staged.performance.slot().starts_at, Utc::now());
            Ok((booked, can_cancel, ctx.cancellation_cutoff().num_minutes()))
        })
        .await;
    let (booked, can_cancel, cutoff_minutes) = match opened {
        Ok(opened) => opened,
        Err(error) => return refused(&req, language, error),
    };
    let Booked {
        booking,
        staged,
        tickets,
    } = booked;
    let zone = staged.venue.zone();
    let cancelled = booking.is_cancelled();
    let context = context! {
        reference => booking.reference, manage_token => manage_token,
        cancelled => cancelled, email => booking.email, name => booking.name,
        total => Tenge::from_stored(booking.total).to_string(),
        title => staged.title, venue => staged.venue.name, address => staged.venue.address,
        when => date_time(lang, zone, staged.performance.slot().starts_at),
        can_cancel => can_cancel,
        cutoff_minutes => cutoff_minutes,
        tickets => ticket_views(lang, tickets),
    };
    page_for(&req, language, StatusCode::OK, "booking.html", context)
}

/// `POST /bookings/{reference}/cancel`: cancels and shows the booking again.
async fn cancel(
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
    let cancelled = state
        .write(move |conn, ctx| {
            let booked = bookings::open(conn, ctx, &reference, &token)?;
            let booked = cancel::by_holder(conn, ctx, booked, Utc::now())?;
            Ok(ctx.links.manage_path(&booked.booking.reference))
        })
        .await;
    match cancelled {
        Ok(path) => Ok(see_other(&path)),
        Err(error) => refused(&req, language, error),
    }
}

/// `GET /bookings/{reference}/calendar.ics?token=…`: the calendar entry, as in the mail.
async fn calendar(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ManageQuery>,
) -> Result<HttpResponse, ApiError> {
    let token = query.into_inner().token.unwrap_or_default();
    let opened = state
        .with_db(move |conn, ctx| {
            let booked = bookings::open(conn, ctx, &reference, &token)?;
            let url = ctx.links.manage_url(&booked.booking.reference);
            Ok((booked, url))
        })
        .await;
    let (booked, manage_url) = match opened {
        Ok(opened) => opened,
        Err(error) => return refused(&req, language, error),
    };
    let slot = booked.staged.performance.slot();
    let venue = &booked.staged.venue;
    let reference = &booked.booking.reference;
    let ics = crate::mail::calendar_entry(
        reference,
        &booked.staged.title,
        &format!("{}, {}", venue.name, venue.address),
        slot.starts_at,
        slot.ends_at,
        0,
        &manage_url,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{reference}.ics\""),
        ))
        .body(ics))
}

/// "Row 2, seat 5" in the reader's language.
pub(in crate::web) fn seat_name(lang: Language, row: i32, number: i32) -> String {
    t(
        lang,
        "mail-seat",
        &[("row", row.to_string()), ("number", number.to_string())],
    )
}

/// Each ticket with its seat, price, code and QR code (a PNG data URL), for a page.
pub(in crate::web) fn ticket_views(
    lang: Language,
    tickets: Vec<TicketRow>,
) -> Vec<minijinja::Value> {
    tickets
        .into_iter()
        .map(|ticket| {
            let qr = crate::mail::qr_png(&ticket.code)
                .map(|png| format!("data:image/png;base64,{}", BASE64.encode(&png)))
                .unwrap_or_default();
            context! {
                seat => seat_name(lang, ticket.row_number, ticket.seat_number),
                zone => ticket.zone,
                price => Tenge::from_stored(ticket.price).to_string(),
                valid => ticket.status == TicketStatus::Valid,
                code => ticket.code,
                qr => minijinja::Value::from_safe_string(qr),
            }
        })
        .collect()
}
