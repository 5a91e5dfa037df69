//! Booking from the pages, without JavaScript if need be: pick seats (a form of checkboxes
//! under the seat map), hold them, fill in the checkout form, and land on the booking's page.
//! Every form carries a CSRF token.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::booking::seat_name;
use super::form::PostedForm;
use super::refusal::refusal;
use super::render::{page_for, refused};
use super::see_other;
use super::tickets::{picked_types, type_options};
use super::{PageLanguage, performance};
use crate::app::sales::book::{Buyer, book_once};
use crate::app::sales::hold;
use crate::db::zone_names;
use crate::domain::booking::{buyer_name, phone};
use crate::domain::{Email, Tenge};
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/hold", web::post().to(hold))
        .route("/checkout/{token}", web::get().to(checkout))
        .route("/checkout/{token}", web::post().to(confirm));
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
    let with_companions = form.get("with_companions").is_some();
    let back = |status, text| {
        performance::render(&req, language, &state, performance_id, Some(text), status)
    };
    if seat_ids.is_empty() {
        let text = t(language.0, "page-choose-at-least-one", &[]);
        return back(StatusCode::UNPROCESSABLE_ENTITY, text).await;
    }
    let pick = hold::Pick {
        seat_ids,
        with_companions,
    };
    let held = state
        .write(move |conn, ctx| hold::hold(conn, ctx, performance_id, pick, Utc::now()))
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
    /// The ticket type chosen per seat id.
    types: std::collections::BTreeMap<String, String>,
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
        .with_db(move |conn, ctx| {
            let Some(held) = hold::checkout(conn, ctx, &token, Utc::now())? else {
                return Ok(None);
            };
            let names = zone_names::of_performance(conn, held.performance_id)?;
            Ok(Some((held, names)))
        })
        .await?;
    let Some((held, names)) = held else {
        return refused(req, language, crate::app::Error::HoldExpired);
    };
    let seats: Vec<_> = held
        .seats
        .iter()
        .map(|s| {
            let chosen = form.types.get(&s.id.to_string()).map(String::as_str);
            let types = type_options(lang, &held.prices, &s.zone, chosen);
            context! {
                id => s.id, label => seat_name(lang, s.row, s.number), zone => names.read_in(&s.zone, lang),
                price => Tenge::from_stored(s.price).to_string(), amount => s.price, types => types,
            }
        })
        .collect();
    let concessions = !held.prices.concessions().is_empty();
    let context = context! {
        hold_token => hold_token,
        title => held.title, venue => held.venue, when => date_time(lang, held.zone, held.starts_at),
        seats => seats, total => Tenge::from_stored(held.total).to_string(),
        concessions => concessions,
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
        types: form
            .prefixed("type.")
            .map(|(seat, kind)| (seat.to_owned(), kind.to_owned()))
            .collect(),
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
    let picked = checkout.types.iter().map(|(s, k)| (s.as_str(), k.as_str()));
    let types = picked_types(picked, None)
        .map_err(|_| refuse("types", "page-error-ticket-type"))
        .ok();
    let hold_token = hold_token.into_inner();
    let (Some(name), Some(email), Some(phone), Some(types)) = (name, email, phone, types) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show_checkout(&req, language, &state, hold_token, checkout, status).await;
    };
    let buyer = Buyer {
        name,
        email,
        phone,
        language: lang,
        types,
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
