//! Payments and refunds: one row per amount of money that changed hands, never updated.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{bookings, payments, users};
use crate::domain::payment::{Kind, Method};
use crate::domain::time::to_stored;

/// The sums of a booking's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sums {
    pub paid: i64,
    pub refunded: i64,
}

impl Sums {
    /// Counts one row in.
    pub fn add(&mut self, kind: Kind, amount: i64) {
        match kind {
            Kind::Payment => self.paid += amount,
            Kind::Refund => self.refunded += amount,
        }
    }
}

pub struct NewPayment<'a> {
    pub booking_id: i32,
    pub amount: i64,
    pub method: Method,
    pub kind: Kind,
    pub recorded_by: Option<i32>,
    pub note: Option<&'a str>,
    /// The Idempotency-Key that made it, with the hash of its request.
    pub idempotency: Option<(&'a str, &'a str)>,
}

pub fn insert(
    conn: &mut DbConnection,
    payment: &NewPayment<'_>,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(payments::table)
        .values((
            payments::booking_id.eq(payment.booking_id),
            payments::amount.eq(payment.amount),
            payments::method.eq(payment.method.as_str()),
            payments::kind.eq(payment.kind.as_str()),
            payments::recorded_by.eq(payment.recorded_by),
            payments::recorded_at.eq(to_stored(now)),
            payments::note.eq(payment.note),
            payments::idempotency_key.eq(payment.idempotency.map(|(key, _)| key)),
            payments::request_hash.eq(payment.idempotency.map(|(_, hash)| hash)),
        ))
        .returning(payments::id)
        .get_result(conn)
}

/// A payment or refund as recorded, with its booking and who recorded it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: i32,
    pub booking_id: i32,
    #[diesel(select_expression = bookings::reference)]
    pub reference: String,
    #[diesel(select_expression = bookings::performance_id)]
    pub performance_id: i32,
    /// Sold at the door, not booked online.
    #[diesel(select_expression = bookings::sold_by.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<bookings::sold_by>)]
    pub walk_up: bool,
    pub amount: i64,
    #[diesel(deserialize_as = String)]
    pub method: Method,
    #[diesel(deserialize_as = String)]
    pub kind: Kind,
    #[diesel(select_expression = users::email.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::email>)]
    pub by: Option<String>,
    pub recorded_at: chrono::NaiveDateTime,
    pub note: Option<String>,
}

type Recorded = diesel::dsl::LeftJoinOn<
    diesel::dsl::InnerJoin<payments::table, bookings::table>,
    users::table,
    diesel::dsl::Eq<diesel::dsl::Nullable<users::id>, payments::recorded_by>,
>;

fn recorded() -> Recorded {
    payments::table
        .inner_join(bookings::table)
        .left_join(users::table.on(users::id.nullable().eq(payments::recorded_by)))
}

/// The sums of one booking's rows.
pub fn sums(conn: &mut DbConnection, booking_id: i32) -> QueryResult<Sums> {
    let rows: Vec<(String, i64)> = payments::table
        .filter(payments::booking_id.eq(booking_id))
        .select((payments::kind, payments::amount))
        .load(conn)?;
    let mut sums = Sums::default();
    for (kind, amount) in rows {
        sums.add(super::decode(kind)?, amount);
    }
    Ok(sums)
}

/// The sums of each booking of a performance that has rows.
pub fn sums_of_performance(
    conn: &mut DbConnection,
    performance_id: i32,
) -> QueryResult<HashMap<i32, Sums>> {
    let mut sums: HashMap<i32, Sums> = HashMap::new();
    for row in of_performances(conn, &[performance_id])? {
        sums.entry(row.booking_id)
            .or_default()
            .add(row.kind, row.amount);
    }
    Ok(sums)
}

/// Every row recorded for the bookings of these performances, oldest first.
pub fn of_performances(
    conn: &mut DbConnection,
    performance_ids: &[i32],
) -> QueryResult<Vec<PaymentRow>> {
    recorded()
        .filter(bookings::performance_id.eq_any(performance_ids))
        .order(payments::id)
        .select(PaymentRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<PaymentRow>> {
    recorded()
        .filter(payments::id.eq(id))
        .select(PaymentRow::as_select())
        .first(conn)
        .optional()
}

/// The payment an Idempotency-Key made, with the hash of the request that made it.
pub fn find_by_key(
    conn: &mut DbConnection,
    key: &str,
) -> QueryResult<Option<(Option<String>, i32)>> {
    payments::table
        .filter(payments::idempotency_key.eq(key))
        .select((payments::request_hash, payments::id))
        .first(conn)
        .optional()
}
