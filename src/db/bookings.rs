//! Bookings, their tickets, and the idempotency keys that make booking safe to retry.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{bookings, seats, tickets};
use crate::domain::booking::{BookingStatus, Language, Reference, TicketCode, TicketStatus};
use crate::domain::prices::TicketType;
use crate::domain::time::to_stored;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bookings)]
pub struct BookingRow {
    pub id: i32,
    pub reference: String,
    pub performance_id: i32,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[diesel(deserialize_as = String)]
    pub language: Language,
    #[diesel(deserialize_as = String)]
    pub status: BookingStatus,
    pub total: i64,
    pub cancelled_at: Option<chrono::NaiveDateTime>,
    /// The staff member who sold it at the door; none for an online booking.
    pub sold_by: Option<i32>,
    /// Complimentary: nothing is due.
    pub comp: bool,
    pub created_at: chrono::NaiveDateTime,
    /// How often it was moved to another date.
    pub exchanges: i32,
}

impl BookingRow {
    pub fn is_cancelled(&self) -> bool {
        self.status == BookingStatus::Cancelled
    }
}

/// A ticket with its seat.
#[derive(Debug, Clone, Queryable)]
pub struct TicketRow {
    pub id: i32,
    pub seat_id: i32,
    pub row_number: i32,
    pub seat_number: i32,
    pub zone: String,
    pub code: String,
    pub price: i64,
    #[diesel(deserialize_as = String)]
    pub status: TicketStatus,
    #[diesel(deserialize_as = String)]
    pub ticket_type: TicketType,
}

pub struct NewBooking<'a> {
    pub reference: &'a Reference,
    pub performance_id: i32,
    pub hold_id: Option<i32>,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub language: Language,
    pub comp: bool,
    /// The staff member who sold it at the door.
    pub sold_by: Option<i32>,
    pub total: i64,
}

/// Inserts a confirmed booking and returns it as stored.
pub fn insert(
    conn: &mut DbConnection,
    booking: &NewBooking<'_>,
    now: DateTime<Utc>,
) -> QueryResult<BookingRow> {
    let values = (
        bookings::reference.eq(booking.reference.as_str()),
        bookings::performance_id.eq(booking.performance_id),
        bookings::hold_id.eq(booking.hold_id),
        bookings::name.eq(booking.name),
        bookings::email.eq(booking.email),
        bookings::phone.eq(booking.phone),
        bookings::language.eq(booking.language.as_str()),
        bookings::status.eq(BookingStatus::Confirmed.as_str()),
        bookings::comp.eq(booking.comp),
        bookings::sold_by.eq(booking.sold_by),
        bookings::total.eq(booking.total),
        bookings::created_at.eq(to_stored(now)),
    );
    // Backend-specific only in type: RETURNING a whole row needs the concrete backend.
    super::on_backend!(conn, c => diesel::insert_into(bookings::table)
        .values(values)
        .returning(BookingRow::as_returning())
        .get_result(c))
}

/// One ticket to issue: seat, type and price.
pub struct NewTicket {
    pub seat_id: i32,
    pub ticket_type: TicketType,
    pub price: i64,
}

/// An issued ticket: its id, seat and code.
pub struct IssuedTicket {
    pub id: i32,
    pub seat_id: i32,
    pub code: String,
}

/// Issues the tickets, each with a new code.
pub fn insert_tickets(
    conn: &mut DbConnection,
    booking_id: i32,
    performance_id: i32,
    issued: &[NewTicket],
    now: DateTime<Utc>,
) -> QueryResult<Vec<IssuedTicket>> {
    let rows: Vec<_> = issued
        .iter()
        .map(|ticket| {
            (
                tickets::booking_id.eq(booking_id),
                tickets::performance_id.eq(performance_id),
                tickets::seat_id.eq(ticket.seat_id),
                tickets::code.eq(TicketCode::generate().as_str().to_owned()),
                tickets::price.eq(ticket.price),
                tickets::ticket_type.eq(ticket.ticket_type.as_str()),
                tickets::status.eq(TicketStatus::Valid.as_str()),
                tickets::created_at.eq(to_stored(now)),
            )
        })
        .collect();
    let issued: Vec<(i32, i32, String)> = super::on_backend!(conn, c => diesel::insert_into(tickets::table)
        .values(&rows)
        .returning((tickets::id, tickets::seat_id, tickets::code))
        .get_results(c))?;
    Ok(issued
        .into_iter()
        .map(|(id, seat_id, code)| IssuedTicket { id, seat_id, code })
        .collect())
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<BookingRow>> {
    bookings::table
        .find(id)
        .select(BookingRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_reference(
    conn: &mut DbConnection,
    reference: &Reference,
) -> QueryResult<Option<BookingRow>> {
    bookings::table
        .filter(bookings::reference.eq(reference.as_str()))
        .select(BookingRow::as_select())
        .first(conn)
        .optional()
}

/// A booking's tickets for the performance it is for now: those of a date it was exchanged from
/// stay behind, void.
pub fn tickets(conn: &mut DbConnection, booking_id: i32) -> QueryResult<Vec<TicketRow>> {
    tickets::table
        .inner_join(seats::table)
        .inner_join(bookings::table)
        .filter(tickets::booking_id.eq(booking_id))
        .filter(tickets::performance_id.eq(bookings::performance_id))
        .order((seats::row_number, seats::seat_number))
        .select((
            tickets::id,
            tickets::seat_id,
            seats::row_number,
            seats::seat_number,
            seats::zone,
            tickets::code,
            tickets::price,
            tickets::status,
            tickets::ticket_type,
        ))
        .load(conn)
}

/// The booking read under its row lock, held until the transaction ends, so that money recorded
/// against it (or a change to it) is made one request at a time: one statement, `SELECT … FOR
/// UPDATE`. SQLite needs no lock: [`super::write_transaction`] already holds the database's
/// single write lock.
pub fn find_locked(conn: &mut DbConnection, booking_id: i32) -> QueryResult<Option<BookingRow>> {
    match conn {
        DbConnection::Sqlite(_) => find(conn, booking_id),
        DbConnection::Postgresql(pg) => bookings::table
            .find(booking_id)
            .select(BookingRow::as_select())
            .for_update()
            .first(pg)
            .optional(),
    }
}

/// Marks a confirmed booking cancelled and voids its tickets. False if it was not confirmed:
/// a booking is cancelled once.
pub fn cancel(conn: &mut DbConnection, booking_id: i32, now: DateTime<Utc>) -> QueryResult<bool> {
    let changed = diesel::update(
        bookings::table
            .filter(bookings::id.eq(booking_id))
            .filter(bookings::status.eq(BookingStatus::Confirmed.as_str())),
    )
    .set((
        bookings::status.eq(BookingStatus::Cancelled.as_str()),
        bookings::cancelled_at.eq(Some(to_stored(now))),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(tickets::table.filter(tickets::booking_id.eq(booking_id)))
        .set(tickets::status.eq(TicketStatus::Void.as_str()))
        .execute(conn)?;
    Ok(true)
}

/// Voids a booking's tickets for one performance (the date it is exchanged from).
pub fn void_tickets_of(
    conn: &mut DbConnection,
    booking_id: i32,
    performance_id: i32,
) -> QueryResult<usize> {
    diesel::update(
        tickets::table
            .filter(tickets::booking_id.eq(booking_id))
            .filter(tickets::performance_id.eq(performance_id)),
    )
    .set(tickets::status.eq(TicketStatus::Void.as_str()))
    .execute(conn)
}

/// Moves a booking to another performance with its new total, counting the exchange.
pub fn move_to(
    conn: &mut DbConnection,
    booking_id: i32,
    performance_id: i32,
    total: i64,
) -> QueryResult<()> {
    diesel::update(bookings::table.find(booking_id))
        .set((
            bookings::performance_id.eq(performance_id),
            bookings::total.eq(total),
            bookings::exchanges.eq(bookings::exchanges + 1),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The confirmed bookings of a performance: whom to tell when it changes.
pub fn confirmed_for_performance(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<Vec<BookingRow>> {
    bookings::table
        .filter(bookings::performance_id.eq(performance_id))
        .filter(bookings::status.eq(BookingStatus::Confirmed.as_str()))
        .order(bookings::id)
        .select(BookingRow::as_select())
        .load(conn)
}

/// Every booking of a performance, confirmed or cancelled.
pub fn of_performance(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<Vec<BookingRow>> {
    bookings::table
        .filter(bookings::performance_id.eq(performance_id))
        .order(bookings::id)
        .select(BookingRow::as_select())
        .load(conn)
}

/// How many valid tickets each booking of a performance has.
pub fn valid_ticket_counts(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<std::collections::HashMap<i32, usize>> {
    let booking_ids: Vec<i32> = tickets::table
        .filter(tickets::performance_id.eq(performance_id))
        .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
        .select(tickets::booking_id)
        .load(conn)?;
    let mut counts = std::collections::HashMap::new();
    for id in booking_ids {
        *counts.entry(id).or_insert(0) += 1;
    }
    Ok(counts)
}
