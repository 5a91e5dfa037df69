//! Signing in: an e-mail and a password open a session whose token the API takes as a bearer
//! token and the pages keep in a cookie. A wrong address and a wrong password fail alike, and
//! repeated failures for one address or from one client are refused for a while.
//!
//! Checking a password is slow on purpose, so it runs without a database connection:
//! [`attempt`] reads what is needed, [`crate::auth::password::verify`] checks, and [`open`]
//! or [`fail`] records the outcome.

use chrono::{DateTime, Duration, Utc};

use super::{Context, Error};
use crate::auth::token;
use crate::db::users::{self, Throttled, UserRow};
use crate::db::{self, DbConnection, sessions};
use crate::domain::{Email, Role};

/// A sign-in under way: who asks, from where, and the account if the address has one.
#[derive(Debug, Clone)]
pub struct Attempt {
    email_key: String,
    client: String,
    since: DateTime<Utc>,
    user: Option<UserRow>,
}

impl Attempt {
    /// The stored hash to check the password against (none for an unknown address).
    pub fn password_hash(&self) -> Option<String> {
        self.user.as_ref().map(|u| u.password_hash.clone())
    }
}

/// A new session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub role: Role,
}

/// Begins a sign-in, or refuses it while too many have failed for the address or the client.
pub fn attempt(
    conn: &mut DbConnection,
    ctx: &Context,
    email: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, Error> {
    let limits = &ctx.auth;
    let email_key = email.trim().to_lowercase();
    let since = now - Duration::minutes(i64::from(limits.failed_login_window_minutes));
    let (by_email, by_client) =
        users::recent_failures(conn, Throttled::SignIn, &email_key, client, since)?;
    if by_email >= i64::from(limits.max_failed_logins)
        || by_client >= i64::from(limits.max_failed_logins_per_client)
    {
        return Err(Error::TooManyAttempts {
            window_minutes: limits.failed_login_window_minutes,
        });
    }
    // An account switched off, or invited and without a password yet, signs in no more than
    // an unknown address, and takes as long to refuse.
    let user = match Email::parse("email", &email_key) {
        Ok(email) => users::find_by_email(conn, &email)?.filter(UserRow::can_sign_in),
        Err(_) => None,
    };
    Ok(Attempt {
        email_key,
        client: client.to_owned(),
        since,
        user,
    })
}

/// Records a failed sign-in and answers [`Error::InvalidCredentials`].
pub fn fail(conn: &mut DbConnection, attempt: &Attempt, now: DateTime<Utc>) -> Error {
    let recorded = db::write_transaction(conn, |conn| {
        users::record_failure(
            conn,
            Throttled::SignIn,
            &attempt.email_key,
            &attempt.client,
            now,
            attempt.since,
        )
    });
    match recorded {
        Ok(()) => Error::InvalidCredentials,
        Err(error) => error.into(),
    }
}

/// Opens a session for an attempt whose password matched.
pub fn open(
    conn: &mut DbConnection,
    ctx: &Context,
    attempt: Attempt,
    now: DateTime<Utc>,
) -> Result<Session, Error> {
    let user = attempt.user.ok_or(Error::InvalidCredentials)?;
    let token = token::generate();
    let expires_at = now + Duration::hours(i64::from(ctx.auth.token_ttl_hours));
    db::write_transaction(conn, |conn| {
        users::clear_failures(conn, &attempt.email_key)?;
        users::signed_in_at(conn, user.id, now)?;
        sessions::create(conn, user.id, &token::hash(&token), now, expires_at)
    })?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(Session {
        token,
        expires_at,
        role: user.role,
    })
}

/// Who a session token stands for, if it is live.
pub fn principal(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<sessions::Principal>, Error> {
    Ok(sessions::find_principal(conn, &token::hash(token), now)?.map(|(principal, _)| principal))
}

/// Signs a session out: its token stops working at once.
pub fn sign_out(conn: &mut DbConnection, session_id: i32, now: DateTime<Utc>) -> Result<(), Error> {
    Ok(db::write_transaction(conn, |conn| {
        sessions::revoke(conn, session_id, now)
    })?)
}
