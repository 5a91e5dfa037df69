//! Staff accounts and the record of failed sign-ins that limits password guessing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{login_failures, users};
use crate::domain::time::to_stored;
use crate::domain::{Email, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
}

pub fn insert(
    conn: &mut DbConnection,
    email: &Email,
    password_hash: &str,
    role: Role,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email.as_str()),
            users::password_hash.eq(password_hash),
            users::role.eq(role.as_str()),
            users::created_at.eq(to_stored(now)),
        ))
        .returning(users::id)
        .get_result(conn)
}

pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_password(
    conn: &mut DbConnection,
    email: &Email,
    password_hash: &str,
) -> QueryResult<bool> {
    diesel::update(users::table.filter(users::email.eq(email.as_str())))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)
        .map(|updated| updated == 1)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Failed sign-ins since `since`: for this address, and from this client.
pub fn recent_failures(
    conn: &mut DbConnection,
    email: &str,
    client_ip: &str,
    since: DateTime<Utc>,
) -> QueryResult<(i64, i64)> {
    let since = to_stored(since);
    let by_email = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)?;
    let by_client = login_failures::table
        .filter(login_failures::client_ip.eq(client_ip))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)?;
    Ok((by_email, by_client))
}

/// Records a failed sign-in and forgets those older than `forget_before`, so the table stays small.
pub fn record_failure(
    conn: &mut DbConnection,
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
            login_failures::email.eq(email),
            login_failures::client_ip.eq(client_ip),
            login_failures::failed_at.eq(to_stored(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn clear_failures(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email)))
        .execute(conn)
        .map(|_| ())
}
