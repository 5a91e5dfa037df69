//! Selling seats: holding them for a buyer, booking them, cancelling, and selling at the door.
//! Each operation is one write transaction, whoever calls it (the JSON API, the pages): a seat
//! is claimed through `seat_claims`, whose primary key refuses a second claim.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::auth::token;
use crate::db::bookings::{self, BookingRow, NewBooking, NewTicket};
use crate::db::claims::{self, Claimant};
use crate::db::outbox::{self, MessageKind};
use crate::db::performances::{self, PerformanceRow};
use crate::db::venues::SeatRow;
use crate::db::{self, DbConnection, holds};
use crate::domain::booking::{Language, Payment, Reference};
use crate::domain::performance::{PriceList, Status};
use crate::domain::seat_plan::Zone;
use crate::domain::time::from_stored;
use crate::domain::{Email, Invalid};
use crate::error::ApiError;
use crate::startup::AppState;

/// A seat with its price for one performance.
#[derive(Debug, Clone)]
pub struct PricedSeat {
    pub id: i32,
    pub row: i32,
    pub number: i32,
    pub zone: String,
    pub price: i64,
}

/// Seats held for a buyer.
#[derive(Debug, Clone)]
pub struct Held {
    pub hold_token: String,
    pub expires_at: DateTime<Utc>,
    pub seats: Vec<PricedSeat>,
    pub total: i64,
}

/// Holds `seat_ids` for checkout: all of them or none (409 `seats_unavailable`, naming them).
pub async fn hold_seats(
    state: &AppState,
    performance_id: i32,
    mut seat_ids: Vec<i32>,
) -> Result<Held, ApiError> {
    seat_ids.sort_unstable();
    seat_ids.dedup();
    let max = state.booking.max_seats_per_hold as usize;
    if seat_ids.is_empty() || seat_ids.len() > max {
        return Err(Invalid::new("seat_ids", format!("pick from 1 to {max} seats")).into());
    }
    let hold_token = token::generate();
    let token_hash = token::hash(&hold_token);
    let hold_time = Duration::minutes(i64::from(state.booking.hold_minutes));
    let requested = seat_ids.clone();
    let plans = state.seat_plans.clone();
    let result = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let performance = on_sale(conn, performance_id, now)?;
                let plan = plans.of(conn, performance.venue_id)?;
                ensure_in_hall(&plan, &seat_ids)?;
                claims::clear_expired(conn, performance_id, &seat_ids, now)?;
                let taken = claims::taken(conn, performance_id, &seat_ids, now)?;
                if !taken.is_empty() {
                    return Err(seats_unavailable(taken));
                }
                let expires_at = now + hold_time;
                let hold_id = holds::insert(
                    conn,
                    performance_id,
                    &token_hash,
                    seat_ids.len() as i32,
                    expires_at,
                    now,
                )?;
                // The guarantee: a seat claimed by a concurrent request since the check above
                // makes this insert fail on the primary key.
                claims::claim(
                    conn,
                    performance_id,
                    &seat_ids,
                    Claimant::Hold {
                        id: hold_id,
                        expires_at,
                    },
                )?;
                Ok((
                    expires_at,
                    priced_seats(conn, &performance, &plan, &seat_ids)?,
                ))
            })
        })
        .await;
    let (expires_at, seats) = match result {
        Ok(held) => held,
        Err(error) if error.is_duplicate() => {
            return Err(unavailable_now(state, performance_id, requested).await);
        }
        Err(error) => return Err(error),
    };
    let total = seats.iter().map(|s| s.price).sum();
    Ok(Held {
        hold_token,
        expires_at,
        seats,
        total,
    })
}

/// Lets a hold's seats go; false if there is no such hold (or it holds nothing any more).
pub async fn release_hold(state: &AppState, hold_token: &str) -> Result<bool, ApiError> {
    let token_hash = token::hash(hold_token);
    let released = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let Some(hold) = holds::find_by_token(conn, &token_hash)? else {
                    return Ok(0);
                };
                Ok::<_, ApiError>(claims::release_hold(conn, hold.id)?)
            })
        })
        .await?;
    Ok(released > 0)
}

/// Who books, as checked at the edge.
#[derive(Debug, Clone)]
pub struct Buyer {
    pub name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub language: Language,
}

/// An idempotency key with the hash of the request that carries it.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

/// Turns a hold into a booking with tickets and queues the confirmation mail, in one
/// transaction. An unknown, used or expired hold is 410 `hold_expired`. With an idempotency key,
/// a repeated request returns the booking the first one made. Returns the booking's id.
pub async fn book(
    state: &AppState,
    hold_token: &str,
    buyer: Buyer,
    idempotency: Option<Idempotency>,
) -> Result<i32, ApiError> {
    let hold_hash = token::hash(hold_token);
    let replay_with = idempotency.clone();
    let plans = state.seat_plans.clone();
    let outcome = state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                if let Some(idempotency) = &idempotency
                    && let Some(existing) = replay(conn, idempotency)?
                {
                    return Ok(existing);
                }
                let hold = holds::find_by_token(conn, &hold_hash)?.ok_or_else(hold_expired)?;
                if from_stored(hold.expires_at) <= now {
                    return Err(hold_expired());
                }
                let performance = on_sale(conn, hold.performance_id, now)?;
                // A hold that became a booking claims nothing any more: it is used up.
                let seat_ids = claims::hold_seats(conn, hold.id, now)?;
                if seat_ids.len() != hold.seat_count as usize {
                    return Err(hold_expired());
                }
                let plan = plans.of(conn, performance.venue_id)?;
                let issued =
                    tickets_for(priced_seats(conn, &performance, &plan, &seat_ids)?, false);
                let reference = unused_reference(conn)?;
                let booking_id = bookings::insert(
                    conn,
                    &NewBooking {
                        reference: &reference,
                        performance_id: performance.id,
                        hold_id: Some(hold.id),
                        name: &buyer.name,
                        email: Some(buyer.email.as_str()),
                        phone: buyer.phone.as_deref(),
                        language: buyer.language,
                        payment: Payment::Unpaid,
                        paid_with: None,
                        sold_by: None,
                        total: issued.iter().map(|t| t.price).sum(),
                    },
                    now,
                )?;
                if claims::convert_hold(conn, hold.id, booking_id, now)? != seat_ids.len() {
                    return Err(hold_expired());
                }
                bookings::insert_tickets(conn, booking_id, performance.id, &issued, now)?;
                if let Some(idempotency) = &idempotency {
                    bookings::remember_idempotent(
                        conn,
                        &idempotency.key,
                        &idempotency.request_hash,
                        booking_id,
                        now,
                    )?;
                }
                outbox::enqueue(
                    conn,
                    MessageKind::BookingConfirmed,
                    booking_id,
                    buyer.email.as_str(),
                    &json!({}),
                    now,
                )?;
                Ok(booking_id)
            })
        })
        .await;
    match (outcome, replay_with) {
        (Ok(id), _) => Ok(id),
        // The same key raced itself: the other request's booking is the answer.
        (Err(error), Some(idempotency)) if error.is_duplicate() => {
            state
                .with_db(move |conn| replay(conn, &idempotency)?.ok_or(error))
                .await
        }
        (Err(error), _) => Err(error),
    }
}

/// The booking an idempotency key already produced, if the request is the same; 422
/// `idempotency_key_reused` if it is not.
fn replay(conn: &mut DbConnection, idempotency: &Idempotency) -> Result<Option<i32>, ApiError> {
    match bookings::find_idempotent(conn, &idempotency.key)? {
        None => Ok(None),
        Some((hash, booking_id)) if hash == idempotency.request_hash => Ok(Some(booking_id)),
        Some(_) => Err(ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request",
        )),
    }
}

/// Cancels a booking for its holder: 409 `too_late` past the cancellation cutoff. Cancelling a
/// cancelled booking changes nothing.
pub async fn cancel_booking(state: &AppState, booking: BookingRow) -> Result<(), ApiError> {
    let cutoff = Duration::minutes(i64::from(state.booking.cancellation_cutoff_minutes));
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let performance = performances::find(conn, booking.performance_id)?
                    .ok_or_else(|| ApiError::not_found("booking"))?;
                if !booking.is_cancelled() && now > performance.slot().starts_at - cutoff {
                    return Err(ApiError::conflict(
                        "too_late",
                        format!(
                            "bookings can be cancelled online until {} minutes before the start",
                            cutoff.num_minutes()
                        ),
                    ));
                }
                cancel_and_tell(conn, &booking, MessageKind::BookingCancelled, now)
            })
        })
        .await
}

/// Cancels a confirmed booking (once: a second call does nothing), frees its seats and queues
/// the mail of `kind` to its holder. Call inside a write transaction.
pub fn cancel_and_tell(
    conn: &mut DbConnection,
    booking: &BookingRow,
    kind: MessageKind,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if bookings::cancel(conn, booking.id, now)? {
        claims::release_booking(conn, booking.id)?;
        if let Some(email) = &booking.email {
            outbox::enqueue(conn, kind, booking.id, email, &json!({}), now)?;
        }
    }
    Ok(())
}

/// Sells seats at the door, paid or comp, until the performance ends, recording who sold them.
/// A buyer who gives no name is stored with an empty one. Returns the booking's id.
pub async fn sell_at_door(
    state: &AppState,
    performance_id: i32,
    mut seat_ids: Vec<i32>,
    name: String,
    payment: Payment,
    paid_with: Option<&'static str>,
    seller: i32,
) -> Result<i32, ApiError> {
    seat_ids.sort_unstable();
    seat_ids.dedup();
    if seat_ids.is_empty() || seat_ids.len() > 50 {
        return Err(Invalid::new("seat_ids", "pick from 1 to 50 seats").into());
    }
    let plans = state.seat_plans.clone();
    state
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
                let plan = plans.of(conn, performance.venue_id)?;
                ensure_in_hall(&plan, &seat_ids)?;
                claims::clear_expired(conn, performance_id, &seat_ids, now)?;
                let taken = claims::taken(conn, performance_id, &seat_ids, now)?;
                if !taken.is_empty() {
                    return Err(seats_unavailable(taken));
                }
                let issued = tickets_for(
                    priced_seats(conn, &performance, &plan, &seat_ids)?,
                    payment == Payment::Comp,
                );
                let reference = unused_reference(conn)?;
                let booking_id = bookings::insert(
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
                        paid_with,
                        sold_by: Some(seller),
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
                bookings::insert_tickets(conn, booking_id, performance_id, &issued, now)?;
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
        })
}

/// A published performance whose sales window is open now.
fn on_sale(
    conn: &mut DbConnection,
    performance_id: i32,
    now: DateTime<Utc>,
) -> Result<PerformanceRow, ApiError> {
    let performance = performances::find(conn, performance_id)?
        .filter(|p| p.status() != Status::Draft)
        .ok_or_else(|| ApiError::not_found("performance"))?;
    ensure_on_sale(&performance, now)?;
    Ok(performance)
}

/// Refuses sales outside the performance's sales window or when it is not published.
pub fn ensure_on_sale(performance: &PerformanceRow, now: DateTime<Utc>) -> Result<(), ApiError> {
    if performance.status() != Status::Published {
        return Err(ApiError::conflict(
            "not_on_sale",
            "this performance is not on sale",
        ));
    }
    if performance
        .sales_open_at
        .map(from_stored)
        .is_some_and(|open| now < open)
    {
        return Err(ApiError::conflict(
            "sales_not_open",
            "sales for this performance have not opened yet",
        ));
    }
    let close = performance
        .sales_close_at
        .map(from_stored)
        .unwrap_or(performance.slot().starts_at);
    if now >= close {
        return Err(ApiError::conflict(
            "sales_closed",
            "sales for this performance have closed",
        ));
    }
    Ok(())
}

/// Refuses seats that are not in the hall's plan.
fn ensure_in_hall(plan: &[SeatRow], seat_ids: &[i32]) -> Result<(), ApiError> {
    let foreign: Vec<i32> = seat_ids
        .iter()
        .copied()
        .filter(|id| !plan.iter().any(|seat| seat.id == *id))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(
            Invalid::new("seat_ids", "some seats are not in this performance's hall")
                .with_details(json!({ "seat_ids": foreign }))
                .into(),
        )
    }
}

/// The seats with their prices for the performance, in plan order.
fn priced_seats(
    conn: &mut DbConnection,
    performance: &PerformanceRow,
    plan: &[SeatRow],
    seat_ids: &[i32],
) -> Result<Vec<PricedSeat>, ApiError> {
    let prices = PriceList::from_stored(performances::prices(conn, performance.id)?);
    Ok(plan
        .iter()
        .filter(|seat| seat_ids.contains(&seat.id))
        .map(|seat| PricedSeat {
            id: seat.id,
            row: seat.row_number,
            number: seat.seat_number,
            price: prices
                .get(&Zone::from_stored(seat.zone.clone()))
                .map_or(0, |p| p.amount()),
            zone: seat.zone.clone(),
        })
        .collect())
}

fn tickets_for(seats: Vec<PricedSeat>, comp: bool) -> Vec<NewTicket> {
    seats
        .into_iter()
        .map(|seat| NewTicket {
            seat_id: seat.id,
            price: if comp { 0 } else { seat.price },
        })
        .collect()
}

fn unused_reference(conn: &mut DbConnection) -> Result<Reference, ApiError> {
    for _ in 0..8 {
        let reference = Reference::generate();
        if !bookings::reference_taken(conn, &reference)? {
            return Ok(reference);
        }
    }
    Err(ApiError::internal(anyhow::anyhow!(
        "no unused booking reference after 8 tries"
    )))
}

fn hold_expired() -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::GONE,
        "hold_expired",
        "the hold has expired or was used; pick the seats again",
    )
}

fn seats_unavailable(seat_ids: Vec<i32>) -> ApiError {
    ApiError::conflict(
        "seats_unavailable",
        "some of these seats are no longer available; nothing was held",
    )
    .with_details(json!({ "seat_ids": seat_ids }))
}

/// After losing a race on the primary key: which of the requested seats are taken now.
async fn unavailable_now(state: &AppState, performance_id: i32, requested: Vec<i32>) -> ApiError {
    let fallback = requested.clone();
    let taken = state
        .with_db(move |conn| Ok(claims::taken(conn, performance_id, &requested, Utc::now())?))
        .await
        .unwrap_or(fallback);
    seats_unavailable(taken)
}

/// A live hold, for the checkout page.
#[derive(Debug, Clone)]
pub struct HoldSummary {
    pub performance_id: i32,
    pub title: String,
    pub venue: String,
    pub zone: crate::domain::VenueZone,
    pub starts_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub seats: Vec<PricedSeat>,
    pub total: i64,
}

/// The hold behind `hold_token`, if it is still live and unused.
pub async fn held(state: &AppState, hold_token: &str) -> Result<Option<HoldSummary>, ApiError> {
    let token_hash = token::hash(hold_token);
    let plans = state.seat_plans.clone();
    state
        .with_db(move |conn| {
            let now = Utc::now();
            let Some(hold) = holds::find_by_token(conn, &token_hash)? else {
                return Ok(None);
            };
            if from_stored(hold.expires_at) <= now {
                return Ok(None);
            }
            // A used hold claims nothing any more: the count below tells.
            let seat_ids = claims::hold_seats(conn, hold.id, now)?;
            if seat_ids.len() != hold.seat_count as usize {
                return Ok(None);
            }
            let Some(performances::Staged {
                performance,
                venue,
                title,
            }) = performances::staged(conn, hold.performance_id)?
            else {
                return Ok(None);
            };
            let plan = plans.of(conn, performance.venue_id)?;
            let seats = priced_seats(conn, &performance, &plan, &seat_ids)?;
            Ok(Some(HoldSummary {
                performance_id: performance.id,
                title,
                venue: venue.name.clone(),
                zone: venue.zone(),
                starts_at: performance.slot().starts_at,
                expires_at: from_stored(hold.expires_at),
                total: seats.iter().map(|s| s.price).sum(),
                seats,
            }))
        })
        .await
}
