//! One-time links to set a password: after an invitation, or after "forgot password". A row
//! keeps the random nonce the link's token is made from (an HMAC under the installation's
//! secret, see `auth::token::account_token`) and the token's hash, never the token itself.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::account_tokens;
use crate::domain::stored::stored_enum;
use crate::domain::time::to_stored;

stored_enum! {
    /// Why a link was sent.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Purpose as "account token purpose" {
        /// A new account: its holder sets the first password.
        Invite = "invite",
        /// "Forgot password".
        Reset = "reset",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_tokens)]
pub struct AccountTokenRow {
    pub id: i32,
    pub user_id: i32,
    #[diesel(deserialize_as = String)]
    pub purpose: Purpose,
    pub nonce: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub struct NewToken<'a> {
    pub user_id: i32,
    pub purpose: Purpose,
    pub nonce: &'a str,
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
}

pub fn insert(conn: &mut DbConnection, new: &NewToken, now: DateTime<Utc>) -> QueryResult<i32> {
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::user_id.eq(new.user_id),
            account_tokens::purpose.eq(new.purpose.as_str()),
            account_tokens::nonce.eq(new.nonce),
            account_tokens::token_hash.eq(new.token_hash),
            account_tokens::created_at.eq(to_stored(now)),
            account_tokens::expires_at.eq(to_stored(new.expires_at)),
        ))
        .returning(account_tokens::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<AccountTokenRow>> {
    account_tokens::table
        .find(id)
        .select(AccountTokenRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<AccountTokenRow>> {
    account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash))
        .select(AccountTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Uses a link: true if it was still unused, so of two requests with one link only one sets
/// a password. The account's other unused links end with it.
pub fn consume(
    conn: &mut DbConnection,
    token: &AccountTokenRow,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let used = diesel::update(
        account_tokens::table
            .find(token.id)
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(to_stored(now))))
    .execute(conn)?;
    if used == 1 {
        end_all(conn, token.user_id, now)?;
    }
    Ok(used == 1)
}

/// Ends every unused link of an account (it was switched off, or a password was set).
pub fn end_all(conn: &mut DbConnection, user_id: i32, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user_id))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(to_stored(now))))
    .execute(conn)
    .map(|_| ())
}

/// The accounts with an invitation still open: unused and not expired.
pub fn open_invitations(conn: &mut DbConnection, now: DateTime<Utc>) -> QueryResult<Vec<i32>> {
    account_tokens::table
        .filter(account_tokens::purpose.eq(Purpose::Invite.as_str()))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(to_stored(now)))
        .select(account_tokens::user_id)
        .load(conn)
}
