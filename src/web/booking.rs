//! A booking's page, opened by its manage link: the tickets' QR codes, the calendar entry and
//! cancelling (see [`super::checkout`] for how a booking is made). Every form carries a CSRF
//! token.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use data_encoding::BASE64;
use minijinja::context;

use super::PageLanguage;
use super::form::PostedForm;
use super::render::{page_for, refused};
use super::see_other;
use crate::app::bookings::{self, Booked};
use crate::app::sales::{cancel, exchange};
use crate::db::bookings::TicketRow;
use crate::db::zone_names;
use crate::domain::Tenge;
use crate::domain::booking::{Language, TicketStatus};
use crate::domain::prices::TicketType;
use crate::domain::zone_names::ZoneNames;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t, to_pay};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bookings/{reference}", web::get().to(booking))
        .route("/bookings/{reference}/cancel", web::post().to(cancel))
        .route(
            "/bookings/{reference}/calendar.ics",
            web::get().to(calendar),
        );
}

#[derive(serde::Deserialize)]
struct ManageQuery {
    token: Option<String>,
    /// Set by the exchange form's redirect: say that the booking moved.
    exchanged: Option<String>,
    /// Set by the page's "Cancel the booking": ask before cancelling.
    cancel: Option<String>,
}

/// `GET /bookings/{reference}?token=…`: the booking with its tickets' QR codes; with `&cancel`,
/// the same page asks whether to cancel it (the step that works without JavaScript).
async fn booking(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ManageQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let query = query.into_inner();
    let exchanged = query.exchanged.is_some();
    let asked_to_cancel = query.cancel.is_some();
    let manage_token = query.token.unwrap_or_default();
    let token = manage_token.clone();
    let opened = state
        .with_db(move |conn, ctx| {
            let now = Utc::now();
            let booked = bookings::open(conn, ctx, &reference, &token)?;
            let starts_at = booked.staged.performance.slot().starts_at;
            let live = !booked.booking.is_cancelled();
            let can_cancel = live && ctx.can_cancel(starts_at, now);
            let can_exchange = live
                && exchange::policy_of(conn, ctx, &booked)?
                    .refusal(booked.booking.exchanges, starts_at, now)
                    .is_none();
            let cutoff = ctx.cancellation_cutoff().num_minutes();
            let names = zone_names::of_venue(conn, booked.staged.venue.id)?;
            Ok((booked, (can_cancel, can_exchange), cutoff, names))
        })
        .await;
    let (booked, (can_cancel, can_exchange), cutoff_minutes, names) = match opened {
        Ok(opened) => opened,
        Err(error) => return refused(&req, language, error),
    };
    let account = booked.account();
    let pay_by = booked.pay_by();
    let Booked {
        booking,
        staged,
        tickets,
        ..
    } = booked;
    let zone = staged.venue.zone();
    let cancelled = booking.is_cancelled();
    let payment = to_pay(lang, zone, account.due(), pay_by);
    let concession = tickets
        .iter()
        .any(|ticket| ticket.ticket_type.needs_check());
    let context = context! {
        reference => booking.reference, manage_token => manage_token,
        cancelled => cancelled, email => booking.email, name => booking.name,
        total => Tenge::from_stored(booking.total).to_string(),
        title => staged.title, venue => staged.venue.name, address => staged.venue.address,
        when => date_time(lang, zone, staged.performance.slot().starts_at),
        can_cancel => can_cancel,
        confirming => can_cancel && asked_to_cancel,
        can_exchange => can_exchange,
        exchanged => exchanged,
        cutoff_minutes => cutoff_minutes,
        payment => payment,
        concession_check => concession,
        tickets => ticket_views(lang, tickets, &names),
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
            let sequence = bookings::calendar_sequence(conn, booked.booking.id)?;
            Ok((booked, url, sequence))
        })
        .await;
    let (booked, manage_url, sequence) = match opened {
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
        sequence,
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
    names: &ZoneNames,
) -> Vec<minijinja::Value> {
    tickets
        .into_iter()
        .map(|ticket| {
            let qr = crate::mail::qr_png(&ticket.code)
                .map(|png| format!("data:image/png;base64,{}", BASE64.encode(&png)))
                .unwrap_or_default();
            context! {
                seat => seat_name(lang, ticket.row_number, ticket.seat_number),
                zone => names.read_in(&ticket.zone, lang),
                kind => (ticket.ticket_type != TicketType::Full)
                    .then(|| t(lang, &format!("ticket-type-{}", ticket.ticket_type.as_str()), &[])),
                price => Tenge::from_stored(ticket.price).to_string(),
                valid => ticket.status == TicketStatus::Valid,
                code => ticket.code,
                qr => minijinja::Value::from_safe_string(qr),
            }
        })
        .collect()
}
