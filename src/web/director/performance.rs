//! One performance for the director: seats sold and revenue by zone, seats in checkout, the
//! bookings, the form to move it, house seats kept off sale with a reason, and the waiting list.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::{buyer, director, director_form, seat_name, show};
use crate::app::blocks::{self, NewBlocks};
use crate::app::figures::{self, Figures};
use crate::app::waitlist;
use crate::domain::booking::Language;
use crate::domain::payment::Method;
use crate::domain::performance::Status;
use crate::domain::time::from_stored;
use crate::domain::waitlist::EntryStatus;
use crate::domain::{Tenge, VenueZone};
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};
use crate::web::PageLanguage;
use crate::web::flash::see_other_saying;
use crate::web::hall::{self, PlacedSeat};
use crate::web::money::money_context;
use crate::web::render::refused;

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
    let found = state
        .with_db(move |conn, ctx| {
            let figures = figures::of_performance(conn, ctx, performance_id, Utc::now())?;
            Ok((figures, waitlist::line(conn, performance_id)?))
        })
        .await;
    let (figures, line) = match found {
        Ok(found) => found,
        Err(error) => return refused(&req, language, error),
    };
    let Figures {
        staged,
        plan,
        zones,
        sold,
        value,
        money,
        attendance,
        held,
        bookings,
        free_seats,
        blocks,
        claims,
        zone_names,
    } = figures;
    // House seats are picked on the hall's drawing, as the door sells walk-up seats.
    let placed: Vec<PlacedSeat<'_>> = plan
        .iter()
        .map(|seat| PlacedSeat::of(seat, claims.get(&seat.id)))
        .collect();
    let hall = hall::draw(lang, &placed, &zone_names, |_| None);
    let zone_name = |zone: &str| zone_names.read_in(zone, lang).to_owned();
    let zones: Vec<_> = zones
        .into_iter()
        .map(|zone| {
            context! {
                name => zone_name(&zone.zone), seats => zone.seats, sold => zone.sold,
                value => Tenge::from_stored(zone.value).to_string(),
            }
        })
        .collect();
    let bookings: Vec<_> = bookings
        .into_iter()
        .map(|line| {
            let seats = line
                .seats
                .iter()
                .map(|(row, number)| seat_name(lang, *row, *number))
                .collect::<Vec<_>>()
                .join("; ");
            context! {
                reference => line.reference,
                name => buyer(lang, &line.name),
                seats => seats,
                payment => t(lang, &format!("page-payment-{}", line.payment.as_str()), &[]),
                due => line.due,
                due_text => Tenge::from_stored(line.due).to_string(),
                refund_due => line.refund_due,
                refund_due_text => Tenge::from_stored(line.refund_due).to_string(),
                records => line.records.iter().map(|r| context! {
                    kind => t(lang, &format!("page-kind-{}", r.kind.as_str()), &[]),
                    method => t(lang, &format!("page-method-{}", r.method.as_str()), &[]),
                    amount => Tenge::from_stored(r.amount).to_string(),
                    note => r.note.clone(),
                }).collect::<Vec<_>>(),
                cancelled => line.cancelled,
            }
        })
        .collect();
    let free_seats: Vec<_> = free_seats
        .iter()
        .map(|seat| {
            let name = t(lang, "page-seat-name", &[("row", seat.row_number.to_string()), ("number", seat.seat_number.to_string())]);
            context! { id => seat.id, name => name, zone => zone_name(&seat.zone), label => format!("{}, {}", seat_name(lang, seat.row_number, seat.seat_number), zone_name(&seat.zone)) }
        })
        .collect();
    let blocks: Vec<_> = blocks
        .into_iter()
        .map(|b| context! { id => b.id, seat => seat_name(lang, b.row_number, b.seat_number), reason => b.reason })
        .collect();
    let (row, venue) = (&staged.performance, &staged.venue);
    let waitlist = waitlist_context(lang, venue.zone(), line);
    let status = row.status;
    let context = context! {
        id => row.id,
        waitlist => waitlist,
        blocks => blocks,
        free_seats => free_seats,
        hall => hall,
        cancelled => status == Status::Cancelled,
        local_start => venue.zone().local(row.slot().starts_at).format("%Y-%m-%dT%H:%M").to_string(),
        title => staged.title.clone(),
        when => date_time(lang, venue.zone(), row.slot().starts_at),
        venue => venue.name.clone(),
        state => t(lang, &format!("page-state-{}", status.as_str()), &[]),
        zones => zones,
        sold => sold,
        seats => plan.len(),
        value => Tenge::from_stored(value).to_string(),
        money => money_context(lang, &money),
        lines => attendance.tickets.iter().map(|line| context! {
            zone => zone_name(&line.zone),
            kind => t(lang, &format!("ticket-type-{}", line.ticket_type.as_str()), &[]),
            channel => t(lang, &format!("page-channel-{}", line.channel.as_str()), &[]),
            tickets => line.tickets,
            value => Tenge::from_stored(line.value).to_string(),
        }).collect::<Vec<_>>(),
        occupancy => format!("{:.1}", attendance.occupancy_percent),
        admitted => attendance.admitted,
        no_shows => attendance.no_shows,
        methods => Method::ALL.iter().map(|m| context! { value => m.as_str(), label => t(lang, &format!("page-method-{m}"), &[]) }).collect::<Vec<_>>(),
        form_key => crate::auth::token::generate(),
        held => held,
        bookings => bookings,
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
    let (principal, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let performance_id = id.into_inner();
    let input = NewBlocks {
        seat_ids: posted.all("seat").filter_map(|v| v.parse().ok()).collect(),
        reason: posted.text("reason"),
        release_at: None,
    };
    let user_id = principal.user_id;
    let blocked = state
        .write(move |conn, _| blocks::block(conn, performance_id, input, user_id, Utc::now()))
        .await;
    match blocked {
        Ok(blocked) => {
            let lang = language.0;
            let seats: Vec<String> = blocked
                .blocks
                .iter()
                .map(|b| seat_name(lang, b.row_number, b.seat_number))
                .collect();
            let said = t(
                lang,
                "page-done-blocked",
                &[
                    ("count", seats.len().to_string()),
                    ("seats", seats.join(", ")),
                ],
            );
            Ok(see_other_saying(
                &req,
                &format!("/director/performances/{performance_id}"),
                &said,
            ))
        }
        Err(error) => refused(&req, language, error),
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
    let lifted = state
        .write(move |conn, ctx| blocks::lift(conn, ctx, performance_id, block_id, Utc::now()))
        .await;
    match lifted {
        Ok(()) => Ok(see_other_saying(
            &req,
            &format!("/director/performances/{performance_id}"),
            &t(language.0, "page-done-unblocked", &[]),
        )),
        Err(error) => refused(&req, language, error),
    }
}

/// The performance's waiting list: place in line (for those waiting), who, seats, what became
/// of the entry, and the seats it filled.
fn waitlist_context(lang: Language, zone: VenueZone, line: waitlist::Line) -> minijinja::Value {
    let entries: Vec<_> = line
        .entries
        .into_iter()
        .map(|waitlist::InLine { entry, position, booking_reference: reference }| {
            let until = entry
                .offer_expires_at
                .filter(|_| entry.status == EntryStatus::Offered)
                .map(|at| date_time(lang, zone, from_stored(at)));
            context! {
                position => position, name => entry.name, email => entry.email, seats => entry.seats,
                status => t(lang, &format!("page-waitlist-status-{}", entry.status.as_str()), &[]),
                until => until, reference => reference,
            }
        })
        .collect();
    context! { entries => entries, filled => line.filled_seats }
}
