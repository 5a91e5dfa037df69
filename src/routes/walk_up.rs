//! Walk-up sales at the door: `POST /api/v1/performances/{id}/sales` sells seats on the spot,
//! paid or comp, through the same seat claims as online bookings, so the two never oversell and
//! the online map shows the seats booked at once.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::ApiJson;
use super::bookings::{BookingView, load_view};
use super::openapi::ErrorBody;
use crate::auth::Staff;
use crate::db::bookings::{self as booking_queries, NewBooking, NewTicket};
use crate::db::claims::{self, Claimant};
use crate::db::{self, performances, venues};
use crate::domain::Invalid;
use crate::domain::booking::{Language, Payment, Reference, buyer_name};
use crate::domain::performance::{PriceList, Status};
use crate::domain::seat_plan::Zone;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/sales", web::post().to(sell));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DoorPayment {
    Cash,
    Card,
    Comp,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkUpSale {
    seat_ids: Vec<i32>,
    /// The buyer's name, if they give one.
    name: Option<String>,
    payment: DoorPayment,
}

/// Sells seats at the door. Seats not available: 409 `seats_unavailable` and nothing is sold.
#[utoipa::path(post, path = "/api/v1/performances/{id}/sales", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")), request_body = WalkUpSale,
    responses((status = 201, body = BookingView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`seats_unavailable`, `not_on_sale` or `sales_closed`", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn sell(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<WalkUpSale>,
) -> Result<HttpResponse, ApiError> {
    let performance_id = id.into_inner();
    let input = body.into_inner();
    let mut seat_ids = input.seat_ids;
    seat_ids.sort_unstable();
    seat_ids.dedup();
    if seat_ids.is_empty() || seat_ids.len() > 50 {
        return Err(Invalid::new("seat_ids", "pick from 1 to 50 seats").into());
    }
    let name = match input
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(name) => buyer_name(name)?,
        None => format!("walk-up ({})", staff.0.email),
    };
    let payment = if input.payment == DoorPayment::Comp {
        Payment::Comp
    } else {
        Payment::Paid
    };
    let booking_id = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let performance = performances::find(conn, performance_id)?
                    .filter(|p| p.status() != Status::Draft)
                    .ok_or_else(|| ApiError::not_found("performance"))?;
                if performance.status() == Status::Cancelled {
                    return Err(ApiError::conflict(
                        "not_on_sale",
                        "this performance is cancelled",
                    ));
                }
                if now >= performance.slot().ends_at {
                    return Err(ApiError::conflict(
                        "sales_closed",
                        "this performance is over",
                    ));
                }
                let foreign = venues::foreign_seats(conn, performance.venue_id, &seat_ids)?;
                if !foreign.is_empty() {
                    return Err(ApiError::from(
                        Invalid::new("seat_ids", "some seats are not in this performance's hall")
                            .with_details(json!({ "seat_ids": foreign })),
                    ));
                }
                claims::clear_expired(conn, performance_id, &seat_ids, now)?;
                let taken = claims::taken(conn, performance_id, &seat_ids, now)?;
                if !taken.is_empty() {
                    return Err(ApiError::conflict(
                        "seats_unavailable",
                        "some of these seats are taken; nothing was sold",
                    )
                    .with_details(json!({ "seat_ids": taken })));
                }
                let prices = PriceList::from_stored(performances::prices(conn, performance_id)?);
                let issued: Vec<NewTicket> = venues::seats(conn, performance.venue_id)?
                    .into_iter()
                    .filter(|seat| seat_ids.contains(&seat.id))
                    .map(|seat| NewTicket {
                        seat_id: seat.id,
                        price: if payment == Payment::Comp {
                            0
                        } else {
                            prices
                                .get(&Zone::from_stored(seat.zone))
                                .map_or(0, |p| p.amount())
                        },
                    })
                    .collect();
                let reference = (0..8)
                    .map(|_| Reference::generate())
                    .find(|r| !booking_queries::reference_taken(conn, r).unwrap_or(true))
                    .ok_or_else(|| {
                        ApiError::internal(anyhow::anyhow!("no unused booking reference"))
                    })?;
                let booking_id = booking_queries::insert(
                    conn,
                    &NewBooking {
                        reference: &reference,
                        performance_id,
                        hold_id: None,
                        name: &name,
                        email: None,
                        phone: None,
                        language: Language::default(),
                        payment,
                        total: issued.iter().map(|t| t.price).sum(),
                    },
                    now,
                )?;
                // The guarantee, as for holds: the primary key refuses a seat claimed meanwhile.
                claims::claim(
                    conn,
                    performance_id,
                    &seat_ids,
                    Claimant::Booking { id: booking_id },
                )?;
                booking_queries::insert_tickets(conn, booking_id, performance_id, &issued, now)?;
                Ok(booking_id)
            })
        })
        .await
        .map_err(|error| {
            if error.is_duplicate() {
                ApiError::conflict(
                    "seats_unavailable",
                    "some of these seats were taken at the same moment; nothing was sold",
                )
            } else {
                error
            }
        })?;
    Ok(HttpResponse::Created().json(load_view(&state, booking_id).await?))
}
