//! Links to set a password: sent with an invitation ([`crate::app::accounts::invite`]) or asked
//! for with "forgot password" ([`forgot`]). A link works once, within its time, for an account
//! that is switched on; setting a password with it ([`set`]) ends every session of the account.
//!
//! The token in a link is an HMAC of a random nonce under the installation's secret; the
//! database keeps the nonce and the token's hash, so a copy of the database opens no link.
//! Hashing the new password is slow, so it runs between [`check`] and [`set`], with no
//! connection held.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{Context, Error, audit};
use crate::auth::token;
use crate::db::account_tokens::{self, AccountTokenRow, NewToken, Purpose};
use crate::db::audit::Action;
use crate::db::outbox::{self, About, MessageKind};
use crate::db::users::{self, Throttled, UserRow};
use crate::db::{DbConnection, sessions};
use crate::domain::{Email, Invalid};

/// Makes a link for an account and queues the mail that carries it. Call inside the
/// transaction that makes the reason true (the invitation, the request).
pub fn issue(
    conn: &mut DbConnection,
    ctx: &Context,
    user: &UserRow,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let nonce = token::generate();
    let token_hash = token::hash(&ctx.links.password_token(&nonce));
    let (valid_for, kind) = match purpose {
        Purpose::Invite => (
            Duration::hours(i64::from(ctx.auth.invite_link_hours)),
            MessageKind::StaffInvited,
        ),
        Purpose::Reset => (
            Duration::minutes(i64::from(ctx.auth.reset_link_minutes)),
            MessageKind::PasswordReset,
        ),
    };
    let new = NewToken {
        user_id: user.id,
        purpose,
        nonce: &nonce,
        token_hash: &token_hash,
        expires_at: now + valid_for,
    };
    let id = account_tokens::insert(conn, &new, now)?;
    outbox::enqueue_about(conn, kind, About::AccountToken(id), &user.email, now)?;
    Ok(())
}

/// "Forgot password": mails a reset link if the address belongs to an account that is switched
/// on, and answers the same either way. Requests count against limits per address and per
/// client, found or not, so the limits tell nothing either. Call in a write transaction.
pub fn forgot(
    conn: &mut DbConnection,
    ctx: &Context,
    email: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if email.chars().count() > 254 {
        return Err(Invalid::new("email", "must have at most 254 characters").into());
    }
    let limits = &ctx.auth;
    let email_key = email.trim().to_lowercase();
    let since = now - Duration::minutes(i64::from(limits.failed_login_window_minutes));
    let (by_email, by_client) =
        users::recent_failures(conn, Throttled::Reset, &email_key, client, since)?;
    if by_email >= i64::from(limits.max_reset_requests)
        || by_client >= i64::from(limits.max_reset_requests_per_client)
    {
        return Err(Error::TooManyAttempts {
            window_minutes: limits.failed_login_window_minutes,
        });
    }
    users::record_failure(conn, Throttled::Reset, &email_key, client, now, since)?;
    let user = match Email::parse("email", &email_key) {
        Ok(email) => users::find_by_email(conn, &email)?.filter(|user| user.active),
        Err(_) => None,
    };
    if let Some(user) = user {
        issue(conn, ctx, &user, Purpose::Reset, now)?;
        let details = json!({ "account": user.id, "email": user.email });
        audit::note(
            conn,
            None,
            Action::PasswordResetRequested,
            None,
            None,
            details,
            now,
        )?;
    }
    Ok(())
}

/// A link that still works, with its account.
#[derive(Debug, Clone)]
pub struct Link {
    pub token: AccountTokenRow,
    pub user: UserRow,
}

/// The link `given` opens: unused, unexpired, made under this installation's secret, for an
/// account that is switched on. Anything else is [`Error::LinkExpired`], alike.
pub fn check(
    conn: &mut DbConnection,
    ctx: &Context,
    given: &str,
    now: DateTime<Utc>,
) -> Result<Link, Error> {
    let given_hash = token::hash(given);
    let found = account_tokens::find_by_hash(conn, &given_hash)?.filter(|row| {
        token::same(&row.token_hash, &given_hash)
            && token::same(&ctx.links.password_token(&row.nonce), given)
            && row.used_at.is_none()
            && row.expires_at > crate::domain::time::to_stored(now)
    });
    let Some(token) = found else {
        return Err(Error::LinkExpired);
    };
    match users::find(conn, token.user_id)? {
        Some(user) if user.active => Ok(Link { token, user }),
        _ => Err(Error::LinkExpired),
    }
}

/// Sets the password of the link's account and uses the link up; every session of the account
/// ends, and so do its other links. Of two requests with one link, one wins and the other gets
/// [`Error::LinkExpired`]. Call in a write transaction.
pub fn set(
    conn: &mut DbConnection,
    ctx: &Context,
    given: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<UserRow, Error> {
    let Link { token, user } = check(conn, ctx, given, now)?;
    if !account_tokens::consume(conn, &token, now)? {
        return Err(Error::LinkExpired);
    }
    users::set_password(conn, user.id, password_hash)?;
    sessions::revoke_all_for_user(conn, user.id, now)?;
    let details = json!({ "account": user.id, "email": user.email, "purpose": token.purpose });
    audit::note(
        conn,
        Some(user.id),
        Action::PasswordSet,
        None,
        None,
        details,
        now,
    )?;
    Ok(user)
}
