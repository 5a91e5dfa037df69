//! The door: tickets looked up by code, admissions that cannot happen twice, the record of
//! every movement, and the answers given to scans (for replays after an outage).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{bookings, checkins, scan_results, seats, tickets, users};
use crate::domain::booking::{Direction, TicketStatus};
use crate::domain::prices::TicketType;
use crate::domain::time::to_stored;

/// A ticket as the door sees it: with its seat and its booking.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct DoorTicket {
    #[diesel(column_name = id)]
    pub ticket_id: i32,
    pub performance_id: i32,
    #[diesel(deserialize_as = String)]
    pub status: TicketStatus,
    pub inside: bool,
    pub code: String,
    #[diesel(select_expression = seats::row_number)]
    pub row_number: i32,
    #[diesel(select_expression = seats::seat_number)]
    pub seat_number: i32,
    #[diesel(select_expression = seats::zone)]
    pub zone: String,
    #[diesel(select_expression = bookings::name)]
    pub name: String,
    #[diesel(select_expression = bookings::reference)]
    pub reference: String,
    pub booking_id: i32,
    #[diesel(select_expression = bookings::total)]
    pub booking_total: i64,
    #[diesel(select_expression = bookings::comp)]
    pub comp: bool,
    /// Sold at the door, not booked online.
    #[diesel(select_expression = bookings::sold_by.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<bookings::sold_by>)]
    pub walk_up: bool,
    pub price: i64,
    #[diesel(deserialize_as = String)]
    pub ticket_type: TicketType,
}

pub fn ticket_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<DoorTicket>> {
    tickets::table
        .inner_join(seats::table)
        .inner_join(bookings::table)
        .filter(tickets::code.eq(code))
        .select(DoorTicket::as_select())
        .first(conn)
        .optional()
}

/// Every ticket of a performance, valid or void, in seat order.
pub fn tickets_of(conn: &mut DbConnection, performance_id: i32) -> QueryResult<Vec<DoorTicket>> {
    tickets::table
        .inner_join(seats::table)
        .inner_join(bookings::table)
        .filter(tickets::performance_id.eq(performance_id))
        .order((seats::row_number, seats::seat_number, tickets::id))
        .select(DoorTicket::as_select())
        .load(conn)
}

pub fn ticket(conn: &mut DbConnection, ticket_id: i32) -> QueryResult<Option<DoorTicket>> {
    tickets::table
        .inner_join(seats::table)
        .inner_join(bookings::table)
        .filter(tickets::id.eq(ticket_id))
        .select(DoorTicket::as_select())
        .first(conn)
        .optional()
}

/// Every ticket of one booking, in seat order.
pub fn tickets_of_booking(
    conn: &mut DbConnection,
    booking_id: i32,
) -> QueryResult<Vec<DoorTicket>> {
    tickets::table
        .inner_join(seats::table)
        .inner_join(bookings::table)
        .filter(tickets::booking_id.eq(booking_id))
        .order((seats::row_number, seats::seat_number, tickets::id))
        .select(DoorTicket::as_select())
        .load(conn)
}

/// Lets a valid ticket in if it is not inside: true for exactly one of any number of
/// simultaneous calls, whichever database.
pub fn admit(conn: &mut DbConnection, ticket_id: i32) -> QueryResult<bool> {
    diesel::update(
        tickets::table
            .filter(tickets::id.eq(ticket_id))
            .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
            .filter(tickets::inside.eq(false)),
    )
    .set(tickets::inside.eq(true))
    .execute(conn)
    .map(|changed| changed == 1)
}

/// Lets a ticket's holder out (for the interval): true if they were inside.
pub fn let_out(conn: &mut DbConnection, ticket_id: i32) -> QueryResult<bool> {
    diesel::update(
        tickets::table
            .filter(tickets::id.eq(ticket_id))
            .filter(tickets::inside.eq(true)),
    )
    .set(tickets::inside.eq(false))
    .execute(conn)
    .map(|changed| changed == 1)
}

pub fn set_inside(conn: &mut DbConnection, ticket_id: i32, inside: bool) -> QueryResult<()> {
    diesel::update(tickets::table.find(ticket_id))
        .set(tickets::inside.eq(inside))
        .execute(conn)
        .map(|_| ())
}

pub struct NewCheckin<'a> {
    pub ticket_id: i32,
    pub performance_id: i32,
    pub direction: Direction,
    pub user_id: i32,
    pub device: &'a str,
}

pub fn record(
    conn: &mut DbConnection,
    checkin: &NewCheckin<'_>,
    at: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(checkins::table)
        .values((
            checkins::ticket_id.eq(checkin.ticket_id),
            checkins::performance_id.eq(checkin.performance_id),
            checkins::direction.eq(checkin.direction.as_str()),
            checkins::at.eq(to_stored(at)),
            checkins::user_id.eq(checkin.user_id),
            checkins::device.eq(checkin.device),
        ))
        .returning(checkins::id)
        .get_result(conn)
}

/// The tickets of a performance that were let in (an admission not undone), each once, with
/// their bookings: ticket → booking. A booking whose holder is inside, or was, is theirs
/// whatever it owes.
pub fn admitted(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<std::collections::HashMap<i32, i32>> {
    let rows: Vec<(i32, i32)> = checkins::table
        .inner_join(tickets::table)
        .filter(checkins::performance_id.eq(performance_id))
        .filter(checkins::direction.eq(Direction::In.as_str()))
        .filter(checkins::undone_at.is_null())
        .select((checkins::ticket_id, tickets::booking_id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Whether anyone of the booking was let in (an admission not undone), whatever happened since.
pub fn booking_admitted(conn: &mut DbConnection, booking_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        checkins::table
            .inner_join(tickets::table)
            .filter(tickets::booking_id.eq(booking_id))
            .filter(checkins::direction.eq(Direction::In.as_str()))
            .filter(checkins::undone_at.is_null()),
    ))
    .get_result(conn)
}

/// A recorded movement, with who made it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = checkins)]
pub struct CheckinRow {
    pub id: i32,
    pub ticket_id: i32,
    #[diesel(deserialize_as = String)]
    pub direction: Direction,
    pub at: chrono::NaiveDateTime,
    #[diesel(select_expression = users::email)]
    pub by: String,
    pub device: String,
    pub undone_at: Option<chrono::NaiveDateTime>,
}

pub fn checkin(conn: &mut DbConnection, id: i32) -> QueryResult<Option<CheckinRow>> {
    checkins::table
        .inner_join(users::table.on(users::id.eq(checkins::user_id)))
        .filter(checkins::id.eq(id))
        .select(CheckinRow::as_select())
        .first(conn)
        .optional()
}

/// The ticket's latest movement that was not undone.
pub fn latest(conn: &mut DbConnection, ticket_id: i32) -> QueryResult<Option<CheckinRow>> {
    checkins::table
        .inner_join(users::table.on(users::id.eq(checkins::user_id)))
        .filter(checkins::ticket_id.eq(ticket_id))
        .filter(checkins::undone_at.is_null())
        .order(checkins::id.desc())
        .select(CheckinRow::as_select())
        .first(conn)
        .optional()
}

/// The latest live movement of each ticket of a performance.
pub fn latest_of_performance(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<Vec<CheckinRow>> {
    let rows: Vec<CheckinRow> = checkins::table
        .inner_join(users::table.on(users::id.eq(checkins::user_id)))
        .filter(checkins::performance_id.eq(performance_id))
        .filter(checkins::undone_at.is_null())
        .order(checkins::id)
        .select(CheckinRow::as_select())
        .load(conn)?;
    let mut latest = std::collections::BTreeMap::new();
    for row in rows {
        latest.insert(row.ticket_id, row);
    }
    Ok(latest.into_values().collect())
}

pub fn mark_undone(
    conn: &mut DbConnection,
    id: i32,
    user_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(checkins::table.find(id))
        .set((
            checkins::undone_at.eq(Some(to_stored(now))),
            checkins::undone_by.eq(Some(user_id)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The answer first given to a scan carrying `nonce`, as stored.
pub fn scan_result(conn: &mut DbConnection, nonce: &str) -> QueryResult<Option<String>> {
    scan_results::table
        .filter(scan_results::nonce.eq(nonce))
        .select(scan_results::body)
        .first(conn)
        .optional()
}

pub fn remember_scan(
    conn: &mut DbConnection,
    nonce: &str,
    body: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(scan_results::table)
        .values((
            scan_results::nonce.eq(nonce),
            scan_results::body.eq(body),
            scan_results::created_at.eq(to_stored(now)),
        ))
        .execute(conn)
        .map(|_| ())
}
