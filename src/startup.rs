//! Wiring: [`Application::build`] connects to the database, migrates, seeds the demo if asked,
//! binds its own listener and assembles the HTTP server. `main` and the tests start exactly this.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::{AuthSettings, BookingSettings, ScheduleSettings, Settings};
use crate::db::{self, DbConnection, DbPool};
use crate::demo::{self, DemoAccounts};
use crate::error::ApiError;
use crate::routes;

/// What every handler shares: the pool and the settings that shape behaviour.
pub struct AppState {
    pub pool: DbPool,
    pub schedule: ScheduleSettings,
    pub booking: BookingSettings,
    pub auth: AuthSettings,
    /// Signs booking management links (see [`crate::auth::token::manage_token`]).
    pub manage_secret: String,
    /// Where the service is reached from outside, for links in mail.
    pub public_url: String,
    /// One permit per pooled connection. A request waits for a connection here, as a future,
    /// rather than in a blocking thread of its own: during an on-sale rush 500 waiting threads
    /// cost tens of MiB of stacks.
    pub db_slots: tokio::sync::Semaphore,
    /// How long a request may wait for a connection before it is refused with 503.
    pub db_wait: std::time::Duration,
    /// Halls' seat plans, read once.
    pub seat_plans: Arc<db::venues::SeatPlans>,
    /// Seat maps as last served (see [`routes::seat_map::SeatMapCache`]).
    pub seat_maps: Arc<routes::seat_map::SeatMapCache>,
}

impl AppState {
    /// Runs `work` with a pooled connection on the blocking thread pool, never on an async
    /// worker. A pool that stays exhausted becomes 503.
    pub async fn with_db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let _slot = tokio::time::timeout(self.db_wait, self.db_slots.acquire())
            .await
            .map_err(|_| {
                ApiError::unavailable(anyhow::anyhow!(
                    "no database connection came free within {:?}",
                    self.db_wait
                ))
            })?
            .map_err(ApiError::internal)?;
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}

pub struct Application {
    port: u16,
    server: Server,
    /// The accounts the demo created on this start, if it seeded an empty database.
    pub demo_accounts: Option<DemoAccounts>,
}

impl Application {
    /// Connects, migrates, seeds (if `demo.seed` and the database is empty) and binds
    /// `server.host:server.port` (port 0 picks a free port). Blocking: call before serving.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let settings = Arc::new(settings);
        let prepared = {
            let settings = settings.clone();
            tokio::task::spawn_blocking(move || prepare_database(&settings)).await??
        };
        let (pool, demo_accounts, manage_secret) = prepared;
        let public_url = settings.server.public_url.trim_end_matches('/').to_owned();
        let courier = crate::mail::Courier::new(
            &settings.mail,
            pool.clone(),
            manage_secret.clone(),
            public_url.clone(),
        )?;
        courier.spawn();
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot listen on {}:{}: {e}",
                    settings.server.host,
                    settings.server.port
                )
            })?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState {
            pool,
            schedule: settings.schedule.clone(),
            booking: settings.booking.clone(),
            auth: settings.auth.clone(),
            manage_secret,
            public_url,
            db_slots: tokio::sync::Semaphore::new(settings.database.pool_size as usize),
            db_wait: std::time::Duration::from_secs(settings.database.connect_timeout_seconds),
            seat_plans: Arc::default(),
            seat_maps: Arc::default(),
        });
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(routes::configure)
        })
        .shutdown_timeout(10);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Application {
            port,
            server,
            demo_accounts,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped (SIGINT or SIGTERM stop it gracefully: requests in
    /// flight finish, for up to ten seconds).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Connects and migrates, then seeds the demo when asked to and the database is empty.
fn prepare_database(settings: &Settings) -> anyhow::Result<(DbPool, Option<DemoAccounts>, String)> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    let demo_accounts = if settings.demo.seed {
        demo::seed_if_empty(&mut conn, chrono::Utc::now())?
    } else {
        None
    };
    let manage_secret = db::secrets::load_or_create(&mut conn, "manage_links", chrono::Utc::now())?;
    Ok((pool, demo_accounts, manage_secret))
}

impl AppState {
    /// The gap the clash rule keeps free after each performance.
    pub fn schedule_changeover(&self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.schedule.changeover_minutes))
    }
}
