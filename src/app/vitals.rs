//! What the metrics report from the database, read in one go at scrape time.

use chrono::{DateTime, Utc};

use super::Error;
use crate::db::{DbConnection, mail_log, vitals};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vitals {
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    pub live_holds: i64,
    /// Bookings by status (`confirmed`, `cancelled`, …).
    pub bookings: Vec<(String, i64)>,
    pub admissions: i64,
}

pub fn read(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Vitals, Error> {
    let (outbox_pending, _sent, outbox_failed) = mail_log::counts(conn)?;
    Ok(Vitals {
        outbox_pending,
        outbox_failed,
        live_holds: vitals::live_holds(conn, now)?,
        bookings: vitals::bookings_by_status(conn)?,
        admissions: vitals::admissions(conn)?,
    })
}
