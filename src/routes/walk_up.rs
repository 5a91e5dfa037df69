//! Walk-up sales at the door: `POST /api/v1/performances/{id}/sales` sells seats on the spot,
//! paid or comp, through the same seat claims as online bookings, so the two never oversell and
//! the online map shows the seats booked at once.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use super::bookings::{BookingView, TicketChoice, ticket_types};
use super::openapi::ErrorBody;
use crate::app::sales::walk_up::{self, Sale};
use crate::domain::payment::DoorPayment;
use crate::http::auth::Staff;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/performances/{id}/sales", web::post().to(sell));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkUpSale {
    #[schema(min_items = 1, max_items = 50)]
    seat_ids: Vec<i32>,
    /// The buyer's name, if they give one; the booking's name is empty otherwise.
    #[schema(max_length = 100)]
    name: Option<String>,
    payment: DoorPayment,
    /// A concession for some of the seats; the others are sold at the full price.
    #[schema(max_items = 50)]
    tickets: Option<Vec<TicketChoice>>,
    /// Each wheelchair space sold comes with its companion seat.
    #[serde(default)]
    with_companions: bool,
}

/// Sells seats at the door. Seats not available: 409 `seats_unavailable` and nothing is sold.
#[utoipa::path(post, path = "/api/v1/performances/{id}/sales", tag = "door", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Performance id")), request_body = WalkUpSale,
    responses((status = 201, body = BookingView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`seats_unavailable`, `companion_seat`, `not_on_sale` or `sales_closed`", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn sell(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<WalkUpSale>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let sale = Sale {
        types: ticket_types(input.tickets.as_deref())?,
        seat_ids: input.seat_ids,
        name: input.name.unwrap_or_default(),
        payment: input.payment,
        seller: staff.0.user_id,
        with_companions: input.with_companions,
    };
    let performance_id = id.into_inner();
    let view = state
        .write(move |conn, ctx| {
            let booked = walk_up::sell(conn, ctx, performance_id, sale, Utc::now())?;
            Ok(BookingView::new(booked, &ctx.links))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}
