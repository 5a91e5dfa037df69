//! The outbox worker: leases a due message, renders it from the current data, sends it, and
//! records the outcome. Retries back off exponentially; after `mail.max_attempts` the message
//! is `failed` and stays in the outbox with its last error.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::message::{MessageData, Ticket, render};
use crate::app::links::Links;
use crate::config::{MailSettings, MailTransport, SmtpTls};
use crate::db::outbox::{self, OutboxRow};
use crate::db::{DbConnection, DbPool, bookings, performances};

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
    links: Links,
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

impl Courier {
    pub fn new(settings: &MailSettings, pool: DbPool, links: Links) -> anyhow::Result<Courier> {
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
            links,
        })
    }

    /// Sends every message that is due now, one at a time, and returns what happened. A message
    /// that fails is tried again in a later round, never twice in one.
    pub async fn deliver_due(&self) -> anyhow::Result<Delivery> {
        let mut delivery = Delivery::default();
        let now = Utc::now();
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
        let (links, row_copy) = (self.links.clone(), row.clone());
        let data = tokio::task::spawn_blocking(move || -> anyhow::Result<MessageData> {
            let mut conn = pool.get()?;
            load(&mut conn, &row_copy, &links)
        })
        .await??;
        let message = render(&data, &self.from)?;
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

fn load(conn: &mut DbConnection, row: &OutboxRow, links: &Links) -> anyhow::Result<MessageData> {
    let missing =
        |what: &str| anyhow::anyhow!("outbox message {} refers to a missing {what}", row.id);
    let kind = row.kind;
    let booking = bookings::find(conn, row.booking_id)?.ok_or_else(|| missing("booking"))?;
    let performances::Staged {
        performance,
        venue,
        title,
    } = performances::staged(conn, booking.performance_id)?
        .ok_or_else(|| missing("performance"))?;
    let details: serde_json::Value = serde_json::from_str(&row.details).unwrap_or_default();
    let previous_starts_at = details["previous_starts_at"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|at| at.with_timezone(&Utc));
    let tickets = bookings::tickets(conn, booking.id)?
        .into_iter()
        .map(|t| Ticket {
            row: t.row_number,
            number: t.seat_number,
            price: t.price,
            code: t.code,
        })
        .collect();
    let slot = performance.slot();
    Ok(MessageData {
        outbox_id: row.id,
        kind,
        recipient: row.recipient.clone(),
        language: booking.language,
        manage_url: links.manage_url(&booking.reference),
        reference: booking.reference,
        name: booking.name,
        title,
        venue: venue.name.clone(),
        address: venue.address.clone(),
        zone: venue.zone(),
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        previous_starts_at,
        total: booking.total,
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
