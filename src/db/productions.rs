//! Productions.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::productions;
use crate::domain::production::{ExchangePolicy, ProductionDetails};
use crate::domain::time::to_stored;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = productions)]
pub struct ProductionRow {
    pub id: i32,
    pub title: String,
    pub description: String,
    pub duration_minutes: i32,
    pub intermission_minutes: i32,
    pub age_rating: String,
    pub language: String,
    /// How long before the start a holder may still exchange; none: the house's cutoff.
    pub exchange_cutoff_minutes: Option<i32>,
    /// How many exchanges a booking gets; none: the house's number.
    pub max_exchanges: Option<i32>,
    /// The name of the poster's copies, if it has one.
    pub poster: Option<String>,
}

impl ProductionRow {
    pub fn exchange_policy(&self) -> ExchangePolicy {
        ExchangePolicy {
            cutoff_minutes: self.exchange_cutoff_minutes,
            max_exchanges: self.max_exchanges,
        }
    }

    pub fn details(&self) -> ProductionDetails {
        ProductionDetails {
            title: self.title.clone(),
            description: self.description.clone(),
            duration_minutes: self.duration_minutes,
            intermission_minutes: self.intermission_minutes,
            age_rating: self.age_rating.clone(),
            language: self.language.clone(),
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    details: &ProductionDetails,
    exchange: ExchangePolicy,
    now: DateTime<Utc>,
) -> QueryResult<ProductionRow> {
    let id: i32 = diesel::insert_into(productions::table)
        .values((
            productions::title.eq(&details.title),
            productions::description.eq(&details.description),
            productions::duration_minutes.eq(details.duration_minutes),
            productions::intermission_minutes.eq(details.intermission_minutes),
            productions::age_rating.eq(&details.age_rating),
            productions::language.eq(&details.language),
            productions::exchange_cutoff_minutes.eq(exchange.cutoff_minutes),
            productions::max_exchanges.eq(exchange.max_exchanges),
            productions::created_at.eq(to_stored(now)),
            productions::updated_at.eq(to_stored(now)),
        ))
        .returning(productions::id)
        .get_result(conn)?;
    productions::table
        .find(id)
        .select(ProductionRow::as_select())
        .first(conn)
}

pub fn update(
    conn: &mut DbConnection,
    production_id: i32,
    details: &ProductionDetails,
    now: DateTime<Utc>,
) -> QueryResult<ProductionRow> {
    diesel::update(productions::table.find(production_id))
        .set((
            productions::title.eq(&details.title),
            productions::description.eq(&details.description),
            productions::duration_minutes.eq(details.duration_minutes),
            productions::intermission_minutes.eq(details.intermission_minutes),
            productions::age_rating.eq(&details.age_rating),
            productions::language.eq(&details.language),
            productions::updated_at.eq(to_stored(now)),
        ))
        .execute(conn)?;
    productions::table
        .find(production_id)
        .select(ProductionRow::as_select())
        .first(conn)
}

pub fn set_exchange_policy(
    conn: &mut DbConnection,
    production_id: i32,
    policy: ExchangePolicy,
) -> QueryResult<()> {
    diesel::update(productions::table.find(production_id))
        .set((
            productions::exchange_cutoff_minutes.eq(policy.cutoff_minutes),
            productions::max_exchanges.eq(policy.max_exchanges),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConnection, production_id: i32) -> QueryResult<Option<ProductionRow>> {
    productions::table
        .find(production_id)
        .select(ProductionRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<ProductionRow>> {
    productions::table
        .order(productions::title)
        .select(ProductionRow::as_select())
        .load(conn)
}

pub fn by_ids(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<ProductionRow>> {
    productions::table
        .filter(productions::id.eq_any(ids))
        .order(productions::title)
        .select(ProductionRow::as_select())
        .load(conn)
}

/// Gives a production the poster whose copies are named `poster`.
pub fn set_poster(
    conn: &mut DbConnection,
    production_id: i32,
    poster: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(productions::table.find(production_id))
        .set((
            productions::poster.eq(poster),
            productions::updated_at.eq(to_stored(now)),
        ))
        .execute(conn)
}
