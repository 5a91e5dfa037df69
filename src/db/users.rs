//! Staff accounts and the record of failed sign-ins (and of reset-link requests) that limits
//! password guessing and mail flooding.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{login_failures, users};
use crate::domain::booking::Language;
use crate::domain::stored::stored_enum;
use crate::domain::time::to_stored;
use crate::domain::{Email, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    /// Empty until an invited account's holder sets a password.
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub active: bool,
    #[diesel(deserialize_as = String)]
    pub language: Language,
    pub last_signin_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl UserRow {
    /// Whether the account can sign in: switched on, with a password set.
    pub fn can_sign_in(&self) -> bool {
        self.active && !self.password_hash.is_empty()
    }
}

stored_enum! {
    /// What a row of `login_failures` counts against.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Throttled as "throttled attempt" {
        /// A sign-in with a wrong address or password.
        SignIn = "signin",
        /// A request for a password-reset link, found or not.
        Reset = "reset",
    }
}

/// An account; `password_hash` empty for one invited to set its own.
pub fn insert(
    conn: &mut DbConnection,
    email: &Email,
    password_hash: &str,
    role: Role,
    language: Language,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email.as_str()),
            users::password_hash.eq(password_hash),
            users::role.eq(role.as_str()),
            users::language.eq(language.as_str()),
            users::created_at.eq(to_stored(now)),
        ))
        .returning(users::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Every account: directors first, then by address.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .order((users::role.asc(), users::email.asc()))
        .select(UserRow::as_select())
        .load(conn)
}

/// The ids of the active directors who have a password (an invited director who has not set
/// one cannot direct yet), locked on PostgreSQL until the transaction ends, so that two
/// directors demoting each other at once cannot both pass the last-director rule. (SQLite's
/// write transaction already runs one writer at a time.)
pub fn lock_active_directors(conn: &mut DbConnection) -> QueryResult<Vec<i32>> {
    let query = users::table
        .filter(users::role.eq(Role::Director.as_str()))
        .filter(users::active.eq(true))
        .filter(users::password_hash.ne(""))
        .order(users::id)
        .select(users::id);
    match conn {
        DbConnection::Postgresql(pg) => query.for_update().load(pg),
        DbConnection::Sqlite(_) => query.load(conn),
    }
}

pub fn set_role_and_active(
    conn: &mut DbConnection,
    id: i32,
    role: Role,
    active: bool,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::role.eq(role.as_str()), users::active.eq(active)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_password(conn: &mut DbConnection, id: i32, password_hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)
        .map(|_| ())
}

pub fn signed_in_at(conn: &mut DbConnection, id: i32, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_signin_at.eq(Some(to_stored(now))))
        .execute(conn)
        .map(|_| ())
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Attempts of `kind` since `since`: for this address, and from this client.
pub fn recent_failures(
    conn: &mut DbConnection,
    kind: Throttled,
    email: &str,
    client_ip: &str,
    since: DateTime<Utc>,
) -> QueryResult<(i64, i64)> {
    let since = to_stored(since);
    let of_kind = login_failures::kind.eq(kind.as_str());
    let by_email = login_failures::table
        .filter(of_kind)
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)?;
    let by_client = login_failures::table
        .filter(of_kind)
        .filter(login_failures::client_ip.eq(client_ip))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)?;
    Ok((by_email, by_client))
}

/// Records an attempt and forgets those older than `forget_before`, so the table stays small.
pub fn record_failure(
    conn: &mut DbConnection,
    kind: Throttled,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::delete(
        login_failures::table.filter(login_failures::failed_at.lt(to_stored(forget_before))),
    )
    .execute(conn)?;
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::kind.eq(kind.as_str()),
            login_failures::email.eq(email),
            login_failures::client_ip.eq(client_ip),
            login_failures::failed_at.eq(to_stored(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Forgets an address's failed sign-ins (after it signs in).
pub fn clear_failures(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::kind.eq(Throttled::SignIn.as_str()))
            .filter(login_failures::email.eq(email)),
    )
    .execute(conn)
    .map(|_| ())
}
