//! The HTTP edge that the JSON API (`routes`) and the pages (`web`) share: the application
//! state with its pool ([`AppState::with_db`] keeps diesel off the async workers), the seat-map
//! cache, who is calling ([`auth`]), CSRF, the API's error body ([`error`]) and the JSON views
//! shared by the API and the pages' scripts ([`views`]).

pub mod auth;
pub mod csrf;
pub mod error;
pub mod export;
pub mod metrics;
pub mod seat_maps;
pub mod stopping;
pub mod views;

use std::sync::Arc;

use actix_web::web;

pub use error::ApiError;

use crate::app::{self, Context};
use crate::db::{self, DbConnection, DbPool};

/// What every handler shares.
pub struct AppState {
    pub pool: DbPool,
    /// The settings and kept seat plans the use cases need.
    pub app: Arc<Context>,
    /// One permit per pooled connection. A request waits for a connection here, as a future,
    /// rather than in a blocking thread of its own: during an on-sale rush 500 waiting threads
    /// cost tens of MiB of stacks.
    pub db_slots: tokio::sync::Semaphore,
    /// How long a request may wait for a connection before it is refused with 503.
    pub db_wait: std::time::Duration,
    /// Seat maps as last served (see [`seat_maps::SeatMapCache`]).
    pub seat_maps: Arc<seat_maps::SeatMapCache>,
    /// This instance's mail worker, if it runs one (`mail.poll_seconds` > 0).
    pub mail_worker: Option<MailWorker>,
    /// The scheduled backup, if `backup.dir` is set.
    pub backups: Option<crate::app::backups::Backups>,
    /// `/metrics`, if `metrics.enabled`.
    pub metrics: Option<metrics::Metrics>,
}

/// The mail worker as `/health/ready` watches it.
pub struct MailWorker {
    pub heartbeat: crate::mail::Heartbeat,
    /// Seconds of silence after which it counts as stuck.
    pub stuck_after: u64,
}

impl AppState {
    /// Runs `work` with a pooled connection on the blocking thread pool, never on an async
    /// worker. A pool that stays exhausted is [`app::Error::Busy`].
    pub async fn with_db<T, F>(&self, work: F) -> Result<T, app::Error>
    where
        F: FnOnce(&mut DbConnection, &Context) -> Result<T, app::Error> + Send + 'static,
        T: Send + 'static,
    {
        let asked = std::time::Instant::now();
        let _slot = tokio::time::timeout(self.db_wait, self.db_slots.acquire())
            .await
            .map_err(|_| {
                app::Error::Busy(anyhow::anyhow!(
                    "no database connection came free within {:?}",
                    self.db_wait
                ))
            })?
            .map_err(app::Error::internal)?;
        let (pool, context) = (self.pool.clone(), self.app.clone());
        web::block(move || {
            let mut conn = pool.get()?;
            metrics::pool_waited(asked.elapsed());
            let outcome = work(&mut conn, &context);
            if let Err(app::Error::Unreachable(_)) = &outcome {
                db::discard(&mut conn);
            }
            outcome
        })
        .await
        .map_err(|e| app::Error::internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// [`with_db`](Self::with_db) in one write transaction: committed if `work` succeeds,
    /// rolled back if it fails.
    pub async fn write<T, F>(&self, work: F) -> Result<T, app::Error>
    where
        F: FnOnce(&mut DbConnection, &Context) -> Result<T, app::Error> + Send + 'static,
        T: Send + 'static,
    {
        self.with_db(move |conn, ctx| db::write_transaction(conn, |conn| work(conn, ctx)))
            .await
    }
}
