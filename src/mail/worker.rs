//! The outbox worker: leases a due message, renders it from the current data, sends it, and
//! records the outcome. Retries back off exponentially; after `mail.max_attempts` the message
//! is `failed` and stays in the outbox with its last error.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::heartbeat::Heartbeat;
use super::letter::Letter;
use super::stop::{RunningWorker, StopSignal};
use crate::app::{Context, deadlines, waitlist};
use crate::config::{MailSettings, MailTransport, SmtpTls};
use crate::db::DbPool;
use crate::db::outbox::{self, OutboxRow};

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
    heartbeat: Heartbeat,
    stop: StopSignal,
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
            heartbeat: Heartbeat::new(Utc::now()),
            stop: StopSignal::default(),
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
    /// twice in one. Once the worker is told to stop, it leases no further message: the one it
    /// is sending is finished and recorded, the rest stay pending. Tests pass any `now`; the
    /// worker passes the clock.
    pub async fn round(&self, now: DateTime<Utc>) -> anyhow::Result<Delivery> {
        self.heartbeat.beat(Utc::now());
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
            if self.stop.raised() {
                return Ok(delivery);
            }
            let pool = self.pool.clone();
            let leased =
                tokio::task::spawn_blocking(move || -> anyhow::Result<Option<OutboxRow>> {
                    let mut conn = pool.get()?;
                    Ok(outbox::lease_due(&mut conn, now, LEASE)?)
                })
                .await??;
            self.heartbeat.beat(Utc::now());
            let Some(row) = leased else {
                return Ok(delivery);
            };
            let sending = std::time::Instant::now();
            let sent = self.send(&row).await;
            let outcome = if sent.is_ok() { "sent" } else { "failed" };
            metrics::histogram!("kassa_mail_send_duration_seconds", "outcome" => outcome)
                .record(sending.elapsed().as_secs_f64());
            metrics::counter!("kassa_mail_attempts_total", "outcome" => outcome).increment(1);
            match sent {
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

    /// What the worker beats as it makes progress.
    pub fn heartbeat(&self) -> Heartbeat {
        self.heartbeat.clone()
    }

    /// Runs [`Courier::deliver_due`] every `mail.poll_seconds` until it is stopped (see
    /// [`RunningWorker::finish`]).
    pub fn spawn(self) -> Option<RunningWorker> {
        let every = StdDuration::from_secs(self.settings.poll_seconds);
        if every.is_zero() {
            return None;
        }
        let stop = self.stop.clone();
        let task = tokio::spawn(async move {
            while !self.stop.raised() {
                if let Err(error) = self.deliver_due().await {
                    tracing::error!(error = %format!("{error:#}"), "mail worker round failed");
                }
                self.stop.sleep(every).await;
            }
        });
        Some(RunningWorker { stop, task })
    }

    async fn send(&self, row: &OutboxRow) -> anyhow::Result<()> {
        let pool = self.pool.clone();
        let (context, row_copy) = (self.context.clone(), row.clone());
        let letter = tokio::task::spawn_blocking(move || -> anyhow::Result<Letter> {
            let mut conn = pool.get()?;
            Letter::load(&mut conn, &row_copy, &context)
        })
        .await??;
        let message = letter.render(&self.from)?;
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
                    outbox::mark_attempt_failed(&mut conn, id, &error, retry_at, now)?;
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
