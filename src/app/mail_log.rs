//! The mail the director can see: every message with its state, the warning when some were
//! given up in the last week, and **Send again** for one that was.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{Error, audit};
use crate::db::DbConnection;
use crate::db::audit::Action;
use crate::db::mail_log::{self, MailRow};
use crate::db::outbox::OutboxStatus;

/// The most messages one page shows.
pub const PAGE: i64 = 500;

/// How far back a given-up message still raises the warning.
pub fn warning_window() -> Duration {
    Duration::days(7)
}

/// What the page lists.
pub struct Mailbag {
    pub messages: Vec<MailRow>,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub fn list(conn: &mut DbConnection, status: Option<OutboxStatus>) -> Result<Mailbag, Error> {
    let (pending, sent, failed) = mail_log::counts(conn)?;
    Ok(Mailbag {
        messages: mail_log::newest(conn, status, PAGE)?,
        pending,
        sent,
        failed,
    })
}

/// Messages given up in the last week: the director's schedule warns while there are any.
pub fn recently_failed(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<i64, Error> {
    Ok(mail_log::failed_since(conn, now - warning_window())?)
}

/// Tries a given-up message once more, soon (the worker's next round). A message that is not
/// given up is [`Error::NotFound`] for this: there is nothing to send again. Call in a write
/// transaction.
pub fn send_again(
    conn: &mut DbConnection,
    by: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if !mail_log::send_again(conn, id, now)? {
        return Err(Error::NotFound("failed message"));
    }
    audit::note(
        conn,
        Some(by),
        Action::MailSentAgain,
        None,
        None,
        json!({ "message": id }),
        now,
    )
}
