//! Walk-up sales at the door: `POST /api/v1/performances/{id}/sales` sells seats on the spot,
//! paid or comp, through the same seat claims as online bookings, so the two never oversell and
//! the online map shows the seats booked at once.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use super::bookings::{BookingView, load_view};
use super::openapi::ErrorBody;
use crate::auth::Staff;
use crate::domain::booking::{Payment, buyer_name};
use crate::error::ApiError;
use crate::sales;
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

impl DoorPayment {
    /// How the booking records it: paid (and with what) or complimentary.
    pub fn recorded(self) -> (Payment, Option<&'static str>) {
        match self {
            DoorPayment::Cash => (Payment::Paid, Some("cash")),
            DoorPayment::Card => (Payment::Paid, Some("card")),
            DoorPayment::Comp => (Payment::Comp, None),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkUpSale {
    seat_ids: Vec<i32>,
    /// The buyer's name, if they give one; the booking's name is empty otherwise.
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
    let input = body.into_inner();
    let name = match input
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(name) => buyer_name(name)?,
        None => String::new(),
    };
    let (payment, paid_with) = input.payment.recorded();
    let booking_id = sales::sell_at_door(
        &state,
        id.into_inner(),
        input.seat_ids,
        name,
        payment,
        paid_with,
        staff.0.user_id,
    )
    .await?;
    Ok(HttpResponse::Created().json(load_view(&state, booking_id).await?))
}
