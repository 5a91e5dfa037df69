//! Per-installation secrets kept in the database, so every instance on it agrees.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::app_secrets;
use crate::domain::time::to_stored;

/// The secret called `name`, made (256 random bits) the first time it is asked for.
pub fn load_or_create(
    conn: &mut DbConnection,
    name: &str,
    now: DateTime<Utc>,
) -> QueryResult<String> {
    let existing = |conn: &mut DbConnection| {
        app_secrets::table
            .filter(app_secrets::name.eq(name))
            .select(app_secrets::value)
            .first::<String>(conn)
            .optional()
    };
    if let Some(value) = existing(conn)? {
        return Ok(value);
    }
    let created = crate::auth::token::generate();
    let inserted = super::write_transaction(conn, |conn| {
        diesel::insert_into(app_secrets::table)
            .values((
                app_secrets::name.eq(name),
                app_secrets::value.eq(&created),
                app_secrets::created_at.eq(to_stored(now)),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(created),
        // Another instance made it first: use theirs.
        Err(error) if super::is_unique_violation(&error) => existing(conn)?.ok_or(error),
        Err(error) => Err(error),
    }
}
