//! One performance for the director: seats sold and revenue by zone, seats in checkout, the
//! bookings, the form to move it, and house seats kept off sale with a reason.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::{buyer, director, director_form, refusal, seat_name, show};
use crate::db::performances;
use crate::domain::performance::Status;
use crate::error::ApiError;
use crate::i18n::{date_time, t};
use crate::startup::AppState;
use crate::web::booking::message;
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/performances/{id}", web::get().to(figures))
        .route(
            "/director/performances/{id}/block",
            web::post().to(block_seats),
        )
        .route(
            "/director/performances/{id}/blocks/{block_id}/lift",
            web::post().to(lift_block),
        );
}

/// One performance's figures: seats sold and revenue by zone, seats in checkout, bookings.
async fn figures(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let (lang, performance_id) = (language.0, id.into_inner());
    let plans = state.seat_plans.clone();
    let context = state
        .with_db(move |conn| {
            let Some(performances::Staged { performance: row, venue, title }) = performances::staged(conn, performance_id)? else {
                return Ok(None);
            };
            let seats = plans.of(conn, row.venue_id)?;
            let tickets = crate::db::door::tickets_of(conn, performance_id)?;
            let claimed = crate::db::claims::live(conn, performance_id, Utc::now())?;
            let held = claimed
                .values()
                .filter(|c| matches!(c, crate::db::claims::Claim::Held { .. }))
                .count();
            let valid: Vec<_> = tickets.iter().filter(|t| t.status == "valid").collect();
            let mut zone_names: Vec<String> = Vec::new();
            for seat in seats.iter() {
                if !zone_names.contains(&seat.zone) {
                    zone_names.push(seat.zone.clone());
                }
            }
            let zones: Vec<_> = zone_names
                .iter()
                .map(|zone| {
                    let sold: Vec<_> = valid.iter().filter(|t| &t.zone == zone).collect();
                    context! {
                        name => zone,
                        seats => seats.iter().filter(|s| &s.zone == zone).count(),
                        sold => sold.len(),
                        revenue => crate::domain::Tenge::from_stored(sold.iter().map(|t| t.price).sum()).to_string(),
                    }
                })
                .collect();
            let mut references: Vec<&str> = Vec::new();
            for ticket in &tickets {
                if !references.contains(&ticket.reference.as_str()) {
                    references.push(&ticket.reference);
                }
            }
            let bookings: Vec<_> = references
                .iter()
                .map(|reference| {
                    let mine: Vec<_> = tickets.iter().filter(|t| t.reference == *reference).collect();
                    let seats = mine
                        .iter()
                        .map(|t| seat_name(lang, t.row_number, t.seat_number))
                        .collect::<Vec<_>>()
                        .join("; ");
                    context! {
                        reference => reference.to_string(),
                        name => buyer(lang, &mine[0].name),
                        seats => seats,
                        payment => match &mine[0].paid_with {
                            Some(with) => t(lang, &format!("page-paid-with-{with}"), &[]),
                            None => t(lang, &format!("page-payment-{}", mine[0].payment), &[]),
                        },
                        cancelled => mine.iter().all(|t| t.status != "valid"),
                    }
                })
                .collect();
            let free_seats: Vec<_> = seats
                .iter()
                .filter(|seat| !claimed.contains_key(&seat.id))
                .map(|seat| context! { id => seat.id, label => format!("{}, {}", seat_name(lang, seat.row_number, seat.seat_number), seat.zone) })
                .collect();
            let blocks: Vec<_> = crate::db::seat_blocks::list(conn, performance_id)?
                .into_iter()
                .map(|b| context! { id => b.id, seat => seat_name(lang, b.row_number, b.seat_number), reason => b.reason })
                .collect();
            let status = row.status();
            Ok(Some(context! {
                id => row.id,
                blocks => blocks,
                free_seats => free_seats,
                cancelled => status == Status::Cancelled,
                local_start => venue.zone().local(row.slot().starts_at).format("%Y-%m-%dT%H:%M").to_string(),
                title => title,
                when => date_time(lang, venue.zone(), row.slot().starts_at),
                venue => venue.name,
                state => t(lang, &format!("page-state-{}", status.as_str()), &[]),
                zones => zones,
                sold => valid.len(),
                seats => seats.len(),
                revenue => crate::domain::Tenge::from_stored(valid.iter().map(|t| t.price).sum()).to_string(),
                held => held,
                bookings => bookings,
            }))
        })
        .await?;
    let Some(context) = context else {
        return message(
            &req,
            language,
            StatusCode::NOT_FOUND,
            t(lang, "page-not-found", &[]),
        );
    };
    show(
        &req,
        language,
        StatusCode::OK,
        "director_performance.html",
        context,
    )
}

/// Keeps the chosen seats of a performance off sale, with a reason.
async fn block_seats(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let principal = match director(&req, language, &state).await? {
        Ok(principal) => principal,
        Err(response) => return Ok(response),
    };
    let posted = match director_form(&req, language, &state, &body).await? {
        Ok(posted) => posted,
        Err(response) => return Ok(response),
    };
    let performance_id = id.into_inner();
    let input = crate::routes::seat_blocks::NewBlocks {
        seat_ids: posted.all("seat").filter_map(|v| v.parse().ok()).collect(),
        reason: posted.text("reason"),
        release_at: None,
    };
    match crate::routes::seat_blocks::block(&state, performance_id, input, principal.user_id).await
    {
        Ok(_) => Ok(see_other(&format!(
            "/director/performances/{performance_id}"
        ))),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            message(&req, language, status, text)
        }
    }
}

/// Puts a blocked seat back on sale.
async fn lift_block(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director_form(&req, language, &state, &body).await? {
        return Ok(response);
    }
    let (performance_id, block_id) = path.into_inner();
    state
        .with_db(move |conn| {
            Ok(crate::db::write_transaction(conn, |conn| {
                crate::db::seat_blocks::delete(conn, performance_id, block_id)
            })?)
        })
        .await?;
    Ok(see_other(&format!(
        "/director/performances/{performance_id}"
    )))
}
