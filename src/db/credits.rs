//! Productions' credits, in the director's order.

use std::collections::HashMap;

use diesel::prelude::*;

use super::DbConnection;
use super::decode::decode;
use super::schema::credits;
use crate::domain::credits::Credit;

/// The credits of these productions, in one query; a production without any is missing.
pub fn of_productions(
    conn: &mut DbConnection,
    production_ids: &[i32],
) -> QueryResult<HashMap<i32, Vec<Credit>>> {
    let rows: Vec<(i32, String, String, String)> = credits::table
        .filter(credits::production_id.eq_any(production_ids))
        .order((credits::production_id, credits::position))
        .select((
            credits::production_id,
            credits::kind,
            credits::role,
            credits::name,
        ))
        .load(conn)?;
    let mut by_production: HashMap<i32, Vec<Credit>> = HashMap::new();
    for (production_id, kind, role, name) in rows {
        by_production
            .entry(production_id)
            .or_default()
            .push(Credit {
                kind: decode(kind)?,
                role,
                name,
            });
    }
    Ok(by_production)
}

/// One production's credits.
pub fn of_production(conn: &mut DbConnection, production_id: i32) -> QueryResult<Vec<Credit>> {
    Ok(of_productions(conn, &[production_id])?
        .remove(&production_id)
        .unwrap_or_default())
}

/// Replaces a production's credits with `given`, in their order. Call inside a write
/// transaction.
pub fn replace(conn: &mut DbConnection, production_id: i32, given: &[Credit]) -> QueryResult<()> {
    diesel::delete(credits::table.filter(credits::production_id.eq(production_id)))
        .execute(conn)?;
    let rows: Vec<_> = given
        .iter()
        .zip(0..)
        .map(|(credit, position): (&Credit, i32)| {
            (
                credits::production_id.eq(production_id),
                credits::position.eq(position),
                credits::kind.eq(credit.kind.as_str()),
                credits::role.eq(&credit.role),
                credits::name.eq(&credit.name),
            )
        })
        .collect();
    // At most 100 credits of 5 columns: one statement, within SQLite's parameter limit.
    if !rows.is_empty() {
        super::on_backend!(conn, c => diesel::insert_into(credits::table).values(&rows).execute(c))?;
    }
    Ok(())
}
