//! Sign-in sessions. Only a hash of each token is stored: a copy of the database signs nobody in.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{sessions, users};
use crate::domain::Role;
use crate::domain::time::{from_stored, to_stored};

/// Who is signed in, as resolved from a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i32,
    pub session_id: i32,
    pub email: String,
    pub role: Role,
}

pub fn create(
    conn: &mut DbConnection,
    user_id: i32,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::token_hash.eq(token_hash),
            sessions::created_at.eq(to_stored(now)),
            sessions::expires_at.eq(to_stored(expires_at)),
        ))
        .returning(sessions::id)
        .get_result(conn)
}

/// The principal a live (unexpired, unrevoked) session token stands for.
pub fn find_principal(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(Principal, DateTime<Utc>)>> {
    let row: Option<(i32, i32, String, String, chrono::NaiveDateTime)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(to_stored(now)))
        .filter(users::active.eq(true))
        .select((
            users::id,
            sessions::id,
            users::email,
            users::role,
            sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
    let Some((user_id, session_id, email, role, expires_at)) = row else {
        return Ok(None);
    };
    let role: Role = super::decode(role)?;
    Ok(Some((
        Principal {
            user_id,
            session_id,
            email,
            role,
        },
        from_stored(expires_at),
    )))
}

pub fn revoke(conn: &mut DbConnection, session_id: i32, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(sessions::table.filter(sessions::id.eq(session_id)))
        .set(sessions::revoked_at.eq(Some(to_stored(now))))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of a user, e.g. after a password change.
pub fn revoke_all_for_user(
    conn: &mut DbConnection,
    user_id: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(to_stored(now))))
    .execute(conn)
    .map(|_| ())
}
