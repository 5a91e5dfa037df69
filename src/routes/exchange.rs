//! `POST /api/v1/bookings/{reference}/exchange`: a booking moves to another date of its
//! production, with new seats and tickets, in one step. The holder sends the manage token and is
//! held to the exchange policy; the theater's staff (signed in) may move any booking.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use super::bookings::{BookingView, TicketChoice, manage_token, ticket_types};
use super::openapi::ErrorBody;
use crate::app::bookings;
use crate::app::sales::exchange::{self, Exchange, Mover};
use crate::domain::Role;
use crate::http::auth::MaybeSignedIn;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/bookings/{reference}/exchange",
        web::post().to(exchange_booking),
    );
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    /// Another published date of the same production, on sale.
    performance_id: i32,
    /// As many seats as the booking has, from that performance's seat map.
    #[schema(min_items = 1, max_items = 50)]
    seat_ids: Vec<i32>,
    /// A ticket type per new seat; without it each ticket keeps its type, in seat order.
    #[schema(max_items = 50)]
    tickets: Option<Vec<TicketChoice>>,
    /// Each wheelchair space picked comes with its companion seat (counted among the seats).
    #[serde(default)]
    with_companions: bool,
}

/// Moves a booking to another date of its production: the new seats are claimed, the old ones
/// freed, the old tickets voided and new ones issued, all or nothing, and one mail goes out with
/// the new tickets and the calendar entry moved (same UID, higher SEQUENCE). The total follows
/// the new seats: `amount_due` for dearer ones, `refund_due` for cheaper ones already paid.
#[utoipa::path(post, path = "/api/v1/bookings/{reference}/exchange", tag = "booking",
    request_body = ExchangeRequest,
    params(("reference" = String, Path),
           ("X-Manage-Token" = Option<String>, Header, description = "The holder's token; staff send their bearer token instead")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The booking, moved", body = BookingView),
              (status = 404, description = "Unknown reference or wrong token", body = ErrorBody),
              (status = 409, description = "`seats_unavailable` (the seats someone else has), `companion_seat`, `exchange_closed` (`details.cutoff_minutes`), `exchange_limit_reached` (`details.max_exchanges`), `booking_cancelled`, `already_admitted`, `not_on_sale`, `sales_not_open` or `sales_closed`", body = ErrorBody),
              (status = 422, description = "`validation_failed`: `performance_id` not another date of the production, `seat_ids` not as many as the booking has or not in the hall, `tickets` naming a type the new zone does not offer", body = ErrorBody)))]
pub async fn exchange_booking(
    req: HttpRequest,
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: ApiJson<ExchangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let to = Exchange {
        performance_id: input.performance_id,
        seat_ids: input.seat_ids,
        types: input
            .tickets
            .as_deref()
            .map(|choices| ticket_types(Some(choices)))
            .transpose()?,
        with_companions: input.with_companions,
    };
    let token = manage_token(&req);
    let staff = caller
        .0
        .filter(|p| matches!(p.role, Role::Staff | Role::Director))
        .map(|p| p.user_id);
    let view = state
        .write(move |conn, ctx| {
            let now = Utc::now();
            let (booked, mover) = match staff {
                Some(user_id) if token.is_empty() => (
                    bookings::by_reference(conn, &reference)?,
                    Mover::Staff { user_id },
                ),
                _ => (
                    bookings::open(conn, ctx, &reference, &token)?,
                    Mover::Holder,
                ),
            };
            let moved = exchange::exchange(conn, ctx, booked.booking.id, &to, mover, now)?;
            Ok(BookingView::new(moved, &ctx.links))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
