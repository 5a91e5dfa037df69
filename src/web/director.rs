//! The director's schedule: the upcoming performances with what has sold, publish and cancel
//! buttons, and a form to schedule a performance (clashes are refused with the reason).

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::booking::message;
use super::form::PostedForm;
use super::render::page_with;
use super::staff::signed_in;
use super::{PageLanguage, csrf};
use crate::db::performances::{self, Filter};
use crate::db::sessions::Principal;
use crate::db::{productions, venues};
use crate::domain::Role;
use crate::domain::performance::Status;
use crate::error::ApiError;
use crate::i18n::{date_time, t};
use crate::routes::scheduling::{self, NewPerformance, PerformanceChanges};
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director", web::get().to(schedule))
        .route("/director/performances/{id}", web::get().to(figures))
        .route(
            "/director/performances/{id}/block",
            web::post().to(block_seats),
        )
        .route(
            "/director/performances/{id}/blocks/{block_id}/lift",
            web::post().to(lift_block),
        )
        .route("/director/performances", web::post().to(create))
        .route("/director/performances/{id}/{action}", web::post().to(act));
}

/// The director, or the response to send instead: sign in first, or 403 for staff.
async fn director(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
) -> Result<Result<Principal, HttpResponse>, ApiError> {
    match signed_in(req, state).await? {
        Some(principal) if principal.role == Role::Director => Ok(Ok(principal)),
        Some(_) => Ok(Err(message(
            req,
            language,
            StatusCode::FORBIDDEN,
            t(language.0, "page-director-only", &[]),
        )?)),
        None => Ok(Err(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/signin?back={}", req.path())))
            .finish())),
    }
}

#[derive(Default, serde::Serialize)]
struct ScheduleForm {
    starts_at: String,
    prices: BTreeMap<String, String>,
    publish: bool,
}

async fn schedule(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let principal = match director(&req, language, &state).await? {
        Ok(principal) => principal,
        Err(response) => return Ok(response),
    };
    render(
        &req,
        language,
        &state,
        &principal,
        None,
        ScheduleForm::default(),
        StatusCode::OK,
    )
    .await
}

async fn render(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    principal: &Principal,
    message: Option<String>,
    form: ScheduleForm,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let (performances, productions, venues, zones) = state
        .with_db(move |conn| {
            let now = Utc::now();
            let filter = Filter {
                statuses: vec![Status::Draft, Status::Published, Status::Cancelled],
                starts_from: Some(now),
                limit: Some(200),
                ..Default::default()
            };
            let rows = performances::list(conn, &filter)?;
            let upcoming = performances::details(conn, rows, now)?;
            let halls = venues::list(conn)?;
            let mut zones = Vec::new();
            for hall in &halls {
                for zone in venues::zones(conn, hall.id)? {
                    if !zones.contains(&zone.as_str().to_owned()) {
                        zones.push(zone.as_str().to_owned());
                    }
                }
            }
            let performances: Vec<_> = upcoming
                .into_iter()
                .map(|p| {
                    let status = p.row.status();
                    context! {
                        id => p.row.id,
                        when => date_time(lang, p.zone, p.row.slot().starts_at),
                        title => p.production_title,
                        status => status.as_str(),
                        state => t(lang, &format!("page-state-{}", status.as_str()), &[]),
                        sold => p.seats_total - p.seats_available,
                        total => p.seats_total,
                    }
                })
                .collect();
            let productions: Vec<_> = productions::list(conn)?
                .into_iter()
                .map(|p| context! { id => p.id, title => p.title })
                .collect();
            let venues: Vec<_> = halls
                .into_iter()
                .map(|v| context! { id => v.id, name => v.name, timezone => v.timezone })
                .collect();
            Ok((performances, productions, venues, zones))
        })
        .await?;
    let (csrf, cookie) = csrf::token_for(req);
    let context = context! {
        lang => lang.as_str(), path => req.path(), csrf => csrf, email => principal.email.clone(), message => message,
        performances => performances, productions => productions, venues => venues, zones => zones,
        form => minijinja::Value::from(minijinja::value::Serde(form)),
    };
    page_with(status, "director.html", context, cookie)
}

async fn create(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let principal = match director(&req, language, &state).await? {
        Ok(principal) => principal,
        Err(response) => return Ok(response),
    };
    let posted = PostedForm::parse(&body);
    if let Some(refused) = posted.refuse_forged(&req, language) {
        return refused;
    }
    let form = ScheduleForm {
        starts_at: posted.text("starts_at"),
        prices: posted
            .prefixed("price.")
            .map(|(zone, price)| (zone.to_owned(), price.to_owned()))
            .collect(),
        publish: posted.text("publish") == "1",
    };
    let input = NewPerformance {
        production_id: posted.text("production_id").parse().unwrap_or_default(),
        venue_id: posted.text("venue_id").parse().unwrap_or_default(),
        starts_at: form.starts_at.clone(),
        prices: form
            .prices
            .iter()
            .map(|(zone, price)| (zone.clone(), price.trim().parse().unwrap_or(-1)))
            .collect(),
        status: Some(if form.publish {
            Status::Published
        } else {
            Status::Draft
        }),
        sales_open_at: None,
        sales_close_at: None,
    };
    match scheduling::create(&state, input).await {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/director"))
            .finish()),
        Err(error) if error.code() == "schedule_clash" => {
            let text = clash_text(language, &error);
            render(
                &req,
                language,
                &state,
                &principal,
                Some(text),
                form,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) if error.status_code_is_client_error() => {
            render(
                &req,
                language,
                &state,
                &principal,
                Some(error.to_string()),
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error),
    }
}

async fn act(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let posted = PostedForm::parse(&body);
    if let Some(refused) = posted.refuse_forged(&req, language) {
        return refused;
    }
    let (id, action) = path.into_inner();
    let mut changes = PerformanceChanges {
        starts_at: None,
        prices: None,
        status: None,
        sales_open_at: None,
        sales_close_at: None,
    };
    let back = match action.as_str() {
        "publish" => {
            changes.status = Some(Status::Published);
            "/director".to_owned()
        }
        "cancel" => {
            changes.status = Some(Status::Cancelled);
            "/director".to_owned()
        }
        "reschedule" => {
            changes.starts_at = Some(posted.text("starts_at"));
            format!("/director/performances/{id}")
        }
        _ => {
            return message(
                &req,
                language,
                StatusCode::NOT_FOUND,
                t(language.0, "page-not-found", &[]),
            );
        }
    };
    match scheduling::change(&state, id, changes).await {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, back))
            .finish()),
        Err(error) if error.code() == "schedule_clash" => message(
            &req,
            language,
            StatusCode::CONFLICT,
            clash_text(language, &error),
        ),
        Err(error) if error.status_code_is_client_error() => message(
            &req,
            language,
            StatusCode::UNPROCESSABLE_ENTITY,
            error.to_string(),
        ),
        Err(error) => Err(error),
    }
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
    let context = state
        .with_db(move |conn| {
            let Some(performances::Staged { performance: row, venue, title }) = performances::staged(conn, performance_id)? else {
                return Ok(None);
            };
            let seats = venues::seats(conn, row.venue_id)?;
            let tickets = crate::db::door::tickets_of(conn, performance_id)?;
            let held = crate::db::claims::live(conn, performance_id, Utc::now())?
                .values()
                .filter(|c| matches!(c, crate::db::claims::Claim::Held { .. }))
                .count();
            let valid: Vec<_> = tickets.iter().filter(|t| t.status == "valid").collect();
            let mut zone_names: Vec<String> = Vec::new();
            for seat in &seats {
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
                        .map(|t| t_seat(lang, t.row_number, t.seat_number))
                        .collect::<Vec<_>>()
                        .join("; ");
                    context! {
                        reference => reference.to_string(),
                        name => mine[0].name.clone(),
                        seats => seats,
                        payment => t(lang, &format!("page-payment-{}", mine[0].payment), &[]),
                        cancelled => mine.iter().all(|t| t.status != "valid"),
                    }
                })
                .collect();
            let claimed = crate::db::claims::live(conn, performance_id, Utc::now())?;
            let free_seats: Vec<_> = seats
                .iter()
                .filter(|seat| !claimed.contains_key(&seat.id))
                .map(|seat| context! { id => seat.id, label => format!("{}, {}", t_seat(lang, seat.row_number, seat.seat_number), seat.zone) })
                .collect();
            let blocks: Vec<_> = crate::db::seat_blocks::list(conn, performance_id)?
                .into_iter()
                .map(|b| context! { id => b.id, seat => t_seat(lang, b.row_number, b.seat_number), reason => b.reason })
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
    let (csrf, cookie) = csrf::token_for(&req);
    let context = context! { lang => lang.as_str(), path => req.path(), csrf => csrf, ..context };
    page_with(StatusCode::OK, "director_performance.html", context, cookie)
}

fn t_seat(lang: crate::domain::booking::Language, row: i32, number: i32) -> String {
    t(
        lang,
        "mail-seat",
        &[("row", row.to_string()), ("number", number.to_string())],
    )
}

/// A clash refused, in the director's language, naming the clashing performance.
fn clash_text(language: PageLanguage, error: &ApiError) -> String {
    let clash = error
        .details()
        .and_then(|d| d.get("clashing_performance"))
        .cloned()
        .unwrap_or_default();
    let zone = crate::domain::VenueZone::from_stored(clash["timezone"].as_str().unwrap_or("UTC"));
    let when = clash["starts_at"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|at| date_time(language.0, zone, at.to_utc()))
        .unwrap_or_default();
    let title = clash["production"]["title"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    t(
        language.0,
        "page-clash",
        &[("title", title), ("when", when)],
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
    let posted = PostedForm::parse(&body);
    if let Some(refused) = posted.refuse_forged(&req, language) {
        return refused;
    }
    let performance_id = id.into_inner();
    let input = crate::routes::seat_blocks::NewBlocks {
        seat_ids: posted.all("seat").filter_map(|v| v.parse().ok()).collect(),
        reason: posted.text("reason"),
        release_at: None,
    };
    match crate::routes::seat_blocks::block(&state, performance_id, input, principal.user_id).await
    {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                format!("/director/performances/{performance_id}"),
            ))
            .finish()),
        Err(error) if error.status_code_is_client_error() => message(
            &req,
            language,
            actix_web::ResponseError::status_code(&error),
            error.to_string(),
        ),
        Err(error) => Err(error),
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
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    if let Some(refused) = PostedForm::parse(&body).refuse_forged(&req, language) {
        return refused;
    }
    let (performance_id, block_id) = path.into_inner();
    state
        .with_db(move |conn| {
            Ok(crate::db::write_transaction(conn, |conn| {
                crate::db::seat_blocks::delete(conn, performance_id, block_id)
            })?)
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/director/performances/{performance_id}"),
        ))
        .finish())
}
