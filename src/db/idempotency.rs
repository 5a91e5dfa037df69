//! The idempotency keys that make booking safe to retry: each remembers the booking it made
//! and a hash of the request that made it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::idempotency_keys;
use crate::domain::time::to_stored;

/// The booking an idempotency key produced, with the hash of the request that produced it.
pub fn find(conn: &mut DbConnection, key: &str) -> QueryResult<Option<(String, i32)>> {
    idempotency_keys::table
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select((idempotency_keys::request_hash, idempotency_keys::booking_id))
        .first(conn)
        .optional()
}

/// Remembers the booking a key made, in the booking's transaction.
pub fn remember(
    conn: &mut DbConnection,
    key: &str,
    request_hash: &str,
    booking_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::booking_id.eq(booking_id),
            idempotency_keys::created_at.eq(to_stored(now)),
        ))
        .execute(conn)
        .map(|_| ())
}
