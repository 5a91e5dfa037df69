//! The outbox worker: leases a due message, renders it from the current data, sends it, and
//! records the outcome. Retries back off exponentially; after `mail.max_attempts` the message
//! is `failed` and stays in the outbox with its last error.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::message::{MessageData, Ticket, render};
use super::waitlist::{self as waitlist_mail, WaitlistData};
use crate::app::bookings::Booked;
use crate::app::links::Links;
use crate::app::{Context, deadlines, waitlist};
use crate::config::{MailSettings, MailTransport, SmtpTls};
use crate::db::outbox::{self, OutboxRow};
use crate::db::{DbConnection, DbPool};

/// How long a worker may take over one message before another may try it.
const LEASE: Duration = Duration::minutes(5);

enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Delivers the outbox.
pub struct Courier {
    pool: DbPool,
    transport: Transport,
    from: Mailbox,
    settings: MailSettings,
    context: std::sync::Arc<Context>,
}

/// What a message is about, loaded for rendering.
enum Letter {
    Booking(MessageData),
    Waitlist(WaitlistData),
}

/// What one round of the worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    /// Unpaid bookings released at their deadline.
    pub released: usize,
    /// Reminders queued.
    pub reminded: usize,
    /// Waiting-list offers that ran out unbooked.
    pub lapsed: usize,
    /// Waiting-list entries offered seats.
    pub offered: usize,
}

impl Courier {
    pub fn new(
        settings: &MailSettings,
        pool: DbPool,
        context: std::sync::Arc<Context>,
    ) -> anyhow::Result<Courier> {
        let transport = match settings.transport {
            MailTransport::File => {
                std::fs::create_dir_all(&settings.outbox_dir).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create mail.outbox_dir {}: {e}",
                        settings.outbox_dir.display()
                    )
                })?;
                Transport::File(AsyncFileTransport::new(&settings.outbox_dir))
            }
            MailTransport::Smtp => {
                let smtp = &settings.smtp;
                let mut builder = match smtp.tls {
                    SmtpTls::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                    SmtpTls::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                }
                .port(smtp.port)
                .timeout(Some(StdDuration::from_secs(smtp.timeout_seconds)));
                if !smtp.username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        smtp.username.clone(),
                        smtp.password.clone().unwrap_or_default(),
                    ));
                }
                Transport::Smtp(builder.build())
            }
        };
        Ok(Courier {
            pool,
            transport,
            from: settings.from.parse()?,
            settings: settings.clone(),
            context,
        })
    }

    /// One round at the real time (see [`Courier::round`]).
    pub async fn deliver_due(&self) -> anyhow::Result<Delivery> {
        self.round(Utc::now()).await
    }

    /// One round of the worker as of `now`: releases the unpaid bookings whose deadline has
    /// passed, queues the reminders that are due, lapses the waiting-list offers that ran out and
    /// makes new ones (each with its mail, in the same transactions), then sends every message
    /// that is due, one at a time. A message that fails is tried again in a later round, never
    /// twice in one. Tests pass any `now`; the worker passes the clock.
    pub async fn round(&self, now: DateTime<Utc>) -> anyhow::Result<Delivery> {
        let (pool, context) = (self.pool.clone(), self.context.clone());
        let (deadlines, offers) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            let fault = |e: crate::app::Error| anyhow::anyhow!("{e}");
            let deadlines = deadlines::run(&mut conn, &context, now).map_err(fault)?;
            let offers = waitlist::offers::run(&mut conn, &context, now).map_err(fault)?;
            Ok((deadlines, offers))
        })
        .await??;
        let mut delivery = Delivery {
            released: deadlines.released,
            reminded: deadlines.reminded,
            lapsed: offers.lapsed,
            offered: offers.offered,
            ..Delivery::default()
        };
        loop {
            let pool = self.pool.clone();
            let leased =
                tokio::task::spawn_blocking(move || -> anyhow::Result<Option<OutboxRow>> {
                    let mut conn = pool.get()?;
                    Ok(outbox::lease_due(&mut conn, now, LEASE)?)
                })
                .await??;
            let Some(row) = leased else {
                return Ok(delivery);
            };
            match self.send(&row).await {
                Ok(()) => {
                    self.record(row.id, None).await?;
                    delivery.sent += 1;
                }
                Err(error) => {
                    tracing::warn!(outbox_id = row.id, attempt = row.attempts + 1, error = %format!("{error:#}"), "mail not sent");
                    self.record(row.id, Some((row.attempts, format!("{error:#}"))))
                        .await?;
                    delivery.failed += 1;
                }
            }
        }
    }

    /// Runs [`Courier::deliver_due`] every `mail.poll_seconds` until the process ends.
    pub fn spawn(self) -> Option<tokio::task::JoinHandle<()>> {
        let every = StdDuration::from_secs(self.settings.poll_seconds);
        if every.is_zero() {
            return None;
        }
        Some(tokio::spawn(async move {
            loop {
                if let Err(error) = self.deliver_due().await {
                    tracing::error!(error = %format!("{error:#}"), "mail worker round failed");
                }
                tokio::time::sleep(every).await;
            }
        }))
    }

    async fn send(&self, row: &OutboxRow) -> anyhow::Result<()> {
        let pool = self.pool.clone();
        let (context, row_copy) = (self.context.clone(), row.clone());
        let letter = tokio::task::spawn_blocking(move || -> anyhow::Result<Letter> {
            let mut conn = pool.get()?;
            let links = &context.links;
            match (row_copy.booking_id, row_copy.waitlist_entry_id) {
                (Some(booking_id), _) => {
                    load(&mut conn, &row_copy, booking_id, links).map(Letter::Booking)
                }
                (None, Some(entry_id)) => {
                    waitlist_mail::load(&mut conn, &row_copy, entry_id, &context)
                        .map(Letter::Waitlist)
                }
                (None, None) => Err(anyhow::anyhow!(
                    "outbox message {} is about nothing",
                    row_copy.id
                )),
            }
        })
        .await??;
        let message = match &letter {
            Letter::Booking(data) => render(data, &self.from)?,
            Letter::Waitlist(data) => waitlist_mail::render(data, &self.from)?,
        };
        match &self.transport {
            Transport::File(file) => file.send(message).await.map(|_| ())?,
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ())?,
        }
        Ok(())
    }

    /// Marks a message sent, or records a failed attempt with its next try (or gives up).
    async fn record(&self, id: i32, failure: Option<(i32, String)>) -> anyhow::Result<()> {
        let pool = self.pool.clone();
        let (max_attempts, base) = (
            self.settings.max_attempts as i32,
            self.settings.retry_base_seconds,
        );
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut conn = pool.get()?;
            let now = Utc::now();
            match failure {
                None => outbox::mark_sent(&mut conn, id, now)?,
                Some((attempts_before, error)) => {
                    let attempts = attempts_before + 1;
                    let retry_at = (attempts < max_attempts).then(|| now + backoff(base, attempts));
                    outbox::mark_attempt_failed(&mut conn, id, &error, retry_at)?;
                }
            }
            Ok(())
        })
        .await?
    }
}

/// The wait before the next try after `attempts` failures: base, 2×base, 4×base, … up to an hour.
fn backoff(base_seconds: u64, attempts: i32) -> Duration {
    let factor = 1u64 << (attempts.clamp(1, 20) - 1);
    Duration::seconds(base_seconds.saturating_mul(factor).min(3600) as i64)
}

fn load(
    conn: &mut DbConnection,
    row: &OutboxRow,
    booking_id: i32,
    links: &Links,
) -> anyhow::Result<MessageData> {
    let booked = crate::app::bookings::load(conn, booking_id)
        .map_err(|e| anyhow::anyhow!("outbox message {}: {e}", row.id))?;
    let details: serde_json::Value = serde_json::from_str(&row.details).unwrap_or_default();
    let previous_starts_at = details["previous_starts_at"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|at| at.with_timezone(&Utc));
    let account = booked.account();
    let pay_by = booked.pay_by();
    let Booked {
        booking,
        staged,
        tickets,
        ..
    } = booked;
    let tickets = tickets
        .into_iter()
        .map(|t| Ticket {
            row: t.row_number,
            number: t.seat_number,
            kind: t.ticket_type,
            price: t.price,
            code: t.code,
        })
        .collect();
    let slot = staged.performance.slot();
    Ok(MessageData {
        outbox_id: row.id,
        kind: row.kind,
        recipient: row.recipient.clone(),
        language: booking.language,
        manage_url: links.manage_url(&booking.reference),
        reference: booking.reference,
        name: booking.name,
        title: staged.title,
        zone: staged.venue.zone(),
        venue: staged.venue.name,
        address: staged.venue.address,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        previous_starts_at,
        total: booking.total,
        due: account.due(),
        pay_by,
        tickets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(backoff(30, 1), Duration::seconds(30));
        assert_eq!(backoff(30, 2), Duration::seconds(60));
        assert_eq!(backoff(30, 4), Duration::seconds(240));
        assert_eq!(backoff(30, 12), Duration::seconds(3600));
    }
}
