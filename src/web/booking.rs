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
use super::render::{page_for, page_with};
use super::see_other;
use super::{PageLanguage, performance};
use crate::auth::token;
use crate::db::{bookings, performances};
use crate::domain::Email;
use crate::domain::booking::{Reference, buyer_name, phone};
use crate::error::ApiError;
use crate::i18n::{date_time, t};
use crate::sales::{self, Buyer};
use crate::startup::AppState;

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

/// A page that says one thing, e.g. that a form expired.
pub(super) fn message(
    req: &HttpRequest,
    language: PageLanguage,
    status: StatusCode,
    text: String,
) -> Result<HttpResponse, ApiError> {
    page_with(
        status,
        "message.html",
        context! { lang => language.0.as_str(), path => req.path(), message => text },
        None,
    )
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
    let lang = language.0;
    let back = |key: &str| Some(t(lang, key, &[]));
    if seat_ids.is_empty() {
        return performance::render(
            &req,
            language,
            &state,
            performance_id,
            back("page-choose-at-least-one"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match sales::hold_seats(&state, performance_id, seat_ids).await {
        Ok(held) => Ok(see_other(&format!("/checkout/{}", held.hold_token))),
        Err(error) if error.code() == "seats_unavailable" => {
            performance::render(
                &req,
                language,
                &state,
                performance_id,
                back("page-seats-taken"),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error)
            if error.code() == "validation_failed"
                || error.code().starts_with("sales_")
                || error.code() == "not_on_sale" =>
        {
            performance::render(
                &req,
                language,
                &state,
                performance_id,
                Some(error.to_string()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error),
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
        &hold_token,
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
    hold_token: &str,
    form: CheckoutForm,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let Some(held) = sales::held(state, hold_token).await? else {
        return message(
            req,
            language,
            StatusCode::GONE,
            t(lang, "page-hold-expired", &[]),
        );
    };
    let seats: Vec<_> = held
        .seats
        .iter()
        .map(|s| context! { label => t(lang, "mail-seat", &[("row", s.row.to_string()), ("number", s.number.to_string())]), zone => s.zone.clone(), price => crate::domain::Tenge::from_stored(s.price).to_string() })
        .collect();
    let context = context! {
        hold_token => hold_token,
        title => held.title, venue => held.venue, when => date_time(lang, held.zone, held.starts_at),
        seats => seats, total => crate::domain::Tenge::from_stored(held.total).to_string(),
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
    let mut checkout = CheckoutForm {
        name: form.text("name"),
        email: form.text("email"),
        phone: form.text("phone"),
        errors: Default::default(),
    };
    let name = buyer_name(&checkout.name)
        .map_err(|_| {
            checkout
                .errors
                .insert("name".into(), t(language.0, "page-error-name", &[]))
        })
        .ok();
    let email = Email::parse("email", &checkout.email)
        .map_err(|_| {
            checkout
                .errors
                .insert("email".into(), t(language.0, "page-error-email", &[]))
        })
        .ok();
    let phone = match checkout.phone.trim() {
        "" => Some(None),
        raw => phone(raw)
            .map(Some)
            .map_err(|_| {
                checkout
                    .errors
                    .insert("phone".into(), t(language.0, "page-error-phone", &[]))
            })
            .ok(),
    };
    let (Some(name), Some(email), Some(phone)) = (name, email, phone) else {
        return show_checkout(
            &req,
            language,
            &state,
            &hold_token,
            checkout,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let buyer = Buyer {
        name,
        email,
        phone,
        language: language.0,
    };
    match sales::book(&state, &hold_token, buyer, None).await {
        Ok(booking_id) => {
            let reference = state
                .with_db(move |conn| {
                    Ok(bookings::find(conn, booking_id)?
                        .map(|b| b.reference)
                        .unwrap_or_default())
                })
                .await?;
            let manage_token = token::manage_token(&state.manage_secret, &reference);
            Ok(see_other(&format!(
                "/bookings/{reference}?token={manage_token}"
            )))
        }
        Err(error) if error.code() == "hold_expired" => message(
            &req,
            language,
            StatusCode::GONE,
            t(language.0, "page-hold-expired", &[]),
        ),
        Err(error) => Err(error),
    }
}

#[derive(serde::Deserialize)]
struct ManageQuery {
    token: Option<String>,
}

/// The booking, for whoever holds its manage link.
async fn authorised(
    state: &AppState,
    raw_reference: &str,
    manage_token: Option<&str>,
) -> Result<Option<bookings::BookingRow>, ApiError> {
    let Some(reference) = Reference::parse(raw_reference) else {
        return Ok(None);
    };
    if !token::verify_manage_token(
        &state.manage_secret,
        reference.as_str(),
        manage_token.unwrap_or_default(),
    ) {
        return Ok(None);
    }
    state
        .with_db(move |conn| Ok(bookings::find_by_reference(conn, &reference)?))
        .await
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
    let manage_token = query.into_inner().token;
    let Some(booking) = authorised(&state, &reference, manage_token.as_deref()).await? else {
        return message(
            &req,
            language,
            StatusCode::NOT_FOUND,
            t(lang, "page-not-found", &[]),
        );
    };
    let cutoff = chrono::Duration::minutes(i64::from(state.booking.cancellation_cutoff_minutes));
    let booking_id = booking.id;
    let (performance, venue, title, tickets) = state
        .with_db(move |conn| {
            let staged = performances::staged(conn, booking.performance_id)?
                .ok_or_else(|| ApiError::not_found("performance"))?;
            let (performance, venue, title) = (staged.performance, staged.venue, staged.title);
            Ok((
                performance,
                venue,
                title,
                bookings::tickets(conn, booking_id)?,
            ))
        })
        .await?;
    let tickets = ticket_views(lang, tickets);
    let starts_at = performance.slot().starts_at;
    let cancelled = booking.is_cancelled();
    let context = context! {
        reference => booking.reference, manage_token => manage_token.unwrap_or_default(),
        cancelled => cancelled, email => booking.email, name => booking.name,
        total => crate::domain::Tenge::from_stored(booking.total).to_string(),
        title => title, venue => venue.name.clone(), address => venue.address.clone(),
        when => date_time(lang, venue.zone(), starts_at),
        can_cancel => !cancelled && Utc::now() <= starts_at - cutoff,
        cutoff_minutes => cutoff.num_minutes(),
        tickets => tickets,
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
    let manage_token = form.get("token").map(str::to_owned);
    let Some(booking) = authorised(&state, &reference, manage_token.as_deref()).await? else {
        return message(
            &req,
            language,
            StatusCode::NOT_FOUND,
            t(language.0, "page-not-found", &[]),
        );
    };
    let location = format!(
        "/bookings/{}?token={}",
        booking.reference,
        manage_token.unwrap_or_default()
    );
    match sales::cancel_booking(&state, booking).await {
        Ok(()) => Ok(see_other(&location)),
        Err(error) if error.code() == "too_late" => {
            let minutes = state.booking.cancellation_cutoff_minutes.to_string();
            message(
                &req,
                language,
                StatusCode::CONFLICT,
                t(language.0, "page-too-late", &[("minutes", minutes)]),
            )
        }
        Err(error) => Err(error),
    }
}

/// `GET /bookings/{reference}/calendar.ics?token=…`: the calendar entry, as in the mail.
async fn calendar(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ManageQuery>,
) -> Result<HttpResponse, ApiError> {
    let manage_token = query.into_inner().token;
    let Some(booking) = authorised(&state, &reference, manage_token.as_deref()).await? else {
        return Err(ApiError::not_found("booking"));
    };
    let manage_url = format!(
        "{}/bookings/{}?token={}",
        state.public_url,
        booking.reference,
        manage_token.unwrap_or_default()
    );
    let booking_reference = booking.reference.clone();
    let (performance, venue, title) = state
        .with_db(move |conn| {
            let staged = performances::staged(conn, booking.performance_id)?
                .ok_or_else(|| ApiError::not_found("performance"))?;
            let (performance, venue, title) = (staged.performance, staged.venue, staged.title);
            Ok((performance, venue, title))
        })
        .await?;
    let slot = performance.slot();
    let ics = crate::mail::calendar_entry(
        &booking_reference,
        &title,
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
            format!("attachment; filename=\"{booking_reference}.ics\""),
        ))
        .body(ics))
}

/// Each ticket with its seat, price, code and QR code (a PNG data URL), for a page.
pub(super) fn ticket_views(
    lang: crate::domain::booking::Language,
    tickets: Vec<bookings::TicketRow>,
) -> Vec<minijinja::Value> {
    tickets
        .into_iter()
        .map(|ticket| {
            let qr = crate::mail::qr_png(&ticket.code)
                .map(|png| format!("data:image/png;base64,{}", BASE64.encode(&png)))
                .unwrap_or_default();
            let seat = t(
                lang,
                "mail-seat",
                &[
                    ("row", ticket.row_number.to_string()),
                    ("number", ticket.seat_number.to_string()),
                ],
            );
            context! {
                seat => seat,
                zone => ticket.zone,
                price => crate::domain::Tenge::from_stored(ticket.price).to_string(),
                valid => ticket.status == "valid",
                code => ticket.code,
                qr => minijinja::Value::from_safe_string(qr),
            }
        })
        .collect()
}
