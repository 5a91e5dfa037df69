//! What the sales report reads for many performances at once, each in one query however many
//! performances there are: tickets counted by zone, type and channel; the lean rows of bookings
//! and payments their money is summed from; and admissions.

use std::collections::HashMap;

use diesel::dsl::{count, count_star};
use diesel::prelude::*;

use super::DbConnection;
use chrono::{DateTime, Utc};

use super::schema::{
    bookings, checkins, payments, performances, productions, seats, tickets, users,
};
use crate::domain::booking::{BookingStatus, Direction, TicketStatus};
use crate::domain::payment::{Kind, Method};
use crate::domain::prices::TicketType;
use crate::domain::time::to_stored;

/// Valid tickets of one performance alike in zone, type, channel and price.
#[derive(Debug, Clone)]
pub struct TicketCount {
    pub performance_id: i32,
    pub zone: String,
    pub ticket_type: TicketType,
    /// Sold at the door.
    pub walk_up: bool,
    pub comp: bool,
    pub price: i64,
    pub tickets: i64,
}

// The ticket counts group by columns of three tables.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    tickets::performance_id,
    seats::zone,
    tickets::ticket_type,
    bookings::sold_by,
    bookings::comp,
    tickets::price,
);

pub fn ticket_counts(
    conn: &mut DbConnection,
    performance_ids: &[i32],
) -> QueryResult<Vec<TicketCount>> {
    type Row = (i32, String, String, Option<i32>, bool, i64, i64);
    let rows: Vec<Row> = tickets::table
        .inner_join(seats::table)
        .inner_join(bookings::table)
        .filter(tickets::performance_id.eq_any(performance_ids))
        .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
        .group_by((
            tickets::performance_id,
            seats::zone,
            tickets::ticket_type,
            bookings::sold_by,
            bookings::comp,
            tickets::price,
        ))
        .select((
            tickets::performance_id,
            seats::zone,
            tickets::ticket_type,
            bookings::sold_by,
            bookings::comp,
            tickets::price,
            count_star(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(performance_id, zone, kind, sold_by, comp, price, count)| {
                Ok(TicketCount {
                    performance_id,
                    zone,
                    ticket_type: super::decode(kind)?,
                    walk_up: sold_by.is_some(),
                    comp,
                    price,
                    tickets: count,
                })
            },
        )
        .collect()
}

/// A booking as its money is summed: its total and whether it still stands.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bookings)]
pub struct BookingMoney {
    pub id: i32,
    pub performance_id: i32,
    pub total: i64,
    #[diesel(deserialize_as = String)]
    pub status: BookingStatus,
    pub comp: bool,
}

pub fn bookings_of(
    conn: &mut DbConnection,
    performance_ids: &[i32],
) -> QueryResult<Vec<BookingMoney>> {
    bookings::table
        .filter(bookings::performance_id.eq_any(performance_ids))
        .select(BookingMoney::as_select())
        .load(conn)
}

/// A payment or refund as the report sums it.
#[derive(Debug, Clone, Copy)]
pub struct Money {
    pub performance_id: i32,
    pub booking_id: i32,
    pub method: Method,
    pub kind: Kind,
    pub amount: i64,
}

pub fn payments_of(conn: &mut DbConnection, performance_ids: &[i32]) -> QueryResult<Vec<Money>> {
    let rows: Vec<(i32, i32, String, String, i64)> = payments::table
        .inner_join(bookings::table)
        .filter(bookings::performance_id.eq_any(performance_ids))
        .select((
            bookings::performance_id,
            payments::booking_id,
            payments::method,
            payments::kind,
            payments::amount,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(performance_id, booking_id, method, kind, amount)| {
            Ok(Money {
                performance_id,
                booking_id,
                method: super::decode(method)?,
                kind: super::decode(kind)?,
                amount,
            })
        })
        .collect()
}

/// How many tickets of each performance were let in (an admission not undone), each once.
pub fn admitted(
    conn: &mut DbConnection,
    performance_ids: &[i32],
) -> QueryResult<HashMap<i32, i64>> {
    let rows: Vec<(i32, i64)> = checkins::table
        .filter(checkins::performance_id.eq_any(performance_ids))
        .filter(checkins::direction.eq(Direction::In.as_str()))
        .filter(checkins::undone_at.is_null())
        .group_by(checkins::performance_id)
        .select((
            checkins::performance_id,
            count(checkins::ticket_id).aggregate_distinct(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// A payment or refund with what it was for, as an accountant's list shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct PaymentLine {
    pub recorded_at: chrono::NaiveDateTime,
    #[diesel(select_expression = performances::starts_at)]
    pub starts_at: chrono::NaiveDateTime,
    #[diesel(select_expression = productions::title)]
    pub title: String,
    #[diesel(select_expression = bookings::reference)]
    pub reference: String,
    #[diesel(select_expression = bookings::name)]
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: Kind,
    #[diesel(deserialize_as = String)]
    pub method: Method,
    pub amount: i64,
    /// Sold at the door, not booked online.
    #[diesel(select_expression = bookings::sold_by.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<bookings::sold_by>)]
    pub walk_up: bool,
    #[diesel(select_expression = users::email.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::email>)]
    pub by: Option<String>,
    pub note: Option<String>,
}

/// Every payment and refund recorded in `[from, to)`, oldest first, in one query.
pub fn payment_lines(
    conn: &mut DbConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<PaymentLine>> {
    payments::table
        .inner_join(bookings::table.inner_join(performances::table.inner_join(productions::table)))
        .left_join(users::table.on(users::id.nullable().eq(payments::recorded_by)))
        .filter(payments::recorded_at.ge(to_stored(from)))
        .filter(payments::recorded_at.lt(to_stored(to)))
        .order(payments::id)
        .select(PaymentLine::as_select())
        .load(conn)
}

/// The titles of these productions, by id.
pub fn titles(
    conn: &mut DbConnection,
    production_ids: &[i32],
) -> QueryResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = productions::table
        .filter(productions::id.eq_any(production_ids))
        .select((productions::id, productions::title))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// When each valid ticket of these performances was issued: (performance, issued at).
pub fn issued_at(
    conn: &mut DbConnection,
    performance_ids: &[i32],
) -> QueryResult<Vec<(i32, chrono::NaiveDateTime)>> {
    tickets::table
        .filter(tickets::performance_id.eq_any(performance_ids))
        .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
        .select((tickets::performance_id, tickets::created_at))
        .load(conn)
}
