//! Wiring: [`Application::build`] connects to the database, migrates, seeds the demo if asked,
//! binds its own listener and assembles the HTTP server. `main` and the tests start exactly this.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::app::{self, backups::Backups, links::Links};
use crate::config::{DatabaseUrl, Settings};
use crate::db::{self, DbPool};
use crate::demo::{self, DemoAccounts};
use crate::http::{AppState, MailWorker};
use crate::routes;

pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    /// A second handle to the listening socket, kept open through the drain (see
    /// [`crate::http::stopping`]).
    spare_listener: TcpListener,
    mail_worker: Option<crate::mail::RunningWorker>,
    /// How long shutdown waits for the mail worker's message.
    mail_grace: std::time::Duration,
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
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot listen on {}:{}: {e}",
                    settings.server.host,
                    settings.server.port
                )
            })?;
        let port = listener.local_addr()?.port();
        let public_url = match settings.server.public_url.trim() {
            "" => served_url(&settings.server.host, port),
            given => given.trim_end_matches('/').to_owned(),
        };
        tracing::info!(%public_url, "links in mail start with this address");
        let links = Links::new(manage_secret, &public_url);
        let context = Arc::new(app::Context::new(&settings, links));
        let courier = crate::mail::Courier::new(&settings.mail, pool.clone(), context.clone())?;
        let heartbeat = courier.heartbeat();
        let running_worker = courier.spawn();
        let watched_worker = running_worker.as_ref().map(|_| MailWorker {
            heartbeat,
            stuck_after: settings.mail.stuck_after_seconds,
        });
        let backups = match &settings.database.url {
            DatabaseUrl::Sqlite(path) if settings.backup.enabled() => {
                let backups = Backups::new(&settings.backup, path);
                backups.clone().spawn();
                Some(backups)
            }
            _ => None,
        };
        let metrics = crate::http::metrics::Metrics::new(&settings.metrics);
        let measured = metrics.is_some();
        let state = web::Data::new(AppState {
            metrics,
            backups,
            mail_worker: watched_worker,
            pool,
            app: context,
            db_slots: tokio::sync::Semaphore::new(settings.database.pool_size as usize),
            db_wait: std::time::Duration::from_secs(settings.database.connect_timeout_seconds),
            seat_maps: Arc::default(),
        });
        let mut server = HttpServer::new(move || {
            App::new()
                // Brotli, zstd or gzip for clients that ask (a phone on mall Wi-Fi); none for
                // those that do not.
                .wrap(actix_web::middleware::Compress::default())
                .wrap(Condition::new(
                    measured,
                    from_fn(crate::http::metrics::record),
                ))
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(routes::configure)
                // After the API: the pages' scope answers every other path.
                .configure(crate::web::configure)
        })
        // kassa handles SIGINT and SIGTERM itself (see `run_until_stopped`), to stop the mail
        // worker together with the HTTP drain.
        .disable_signals()
        .shutdown_timeout(DRAIN_SECONDS);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let spare_listener = listener.try_clone()?;
        let server = server.listen(listener)?.run();
        Ok(Application {
            port,
            public_url,
            server,
            spare_listener,
            mail_worker: running_worker,
            mail_grace: std::time::Duration::from_secs(settings.mail.smtp.timeout_seconds + 5),
            demo_accounts,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where links in mail point: `server.public_url`, or the address served when it is empty.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// Serves until SIGINT or SIGTERM, then stops gracefully: no new request is taken (those
    /// that arrive are answered 503 with `Retry-After`), requests in flight finish (for up to
    /// [`DRAIN_SECONDS`]), and the mail worker finishes the message it is sending and leaves the
    /// rest pending.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let worker_stop = self.mail_worker.as_ref().map(|w| w.stop_signal());
        let signalled = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let spare_listener = self.spare_listener;
        let signals = tokio::spawn({
            let signalled = signalled.clone();
            async move {
                stop_requested().await;
                signalled.store(true, std::sync::atomic::Ordering::SeqCst);
                tracing::info!("stopping: draining requests in flight");
                if let Some(stop) = worker_stop {
                    stop.raise();
                }
                // Stop accepting first: connections actix accepted but no worker took yet would
                // be dropped by a stop (reset). Then the workers finish what they have.
                handle.pause().await;
                let drained = async {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    handle.stop(true).await;
                };
                crate::http::stopping::answer_until_closed(spare_listener, drained).await;
            }
        });
        let served = self.server.await;
        let closing = async {
            if signalled.load(std::sync::atomic::Ordering::SeqCst) {
                let _ = signals.await;
            } else {
                signals.abort();
            }
        };
        let worker = async {
            if let Some(worker) = self.mail_worker {
                worker.finish(self.mail_grace).await;
            }
        };
        tokio::join!(closing, worker);
        served
    }
}

/// How long a stopping server waits for requests in flight.
pub const DRAIN_SECONDS: u64 = 10;

async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            _ => std::future::pending().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The address kassa serves on, as a browser on this machine reaches it: a wildcard host is
/// reached through loopback.
fn served_url(host: &str, port: u16) -> String {
    match host {
        "0.0.0.0" | "" => format!("http://127.0.0.1:{port}"),
        "::" | "[::]" => format!("http://[::1]:{port}"),
        host if host.contains(':') && !host.starts_with('[') => format!("http://[{host}]:{port}"),
        host => format!("http://{host}:{port}"),
    }
}

/// Connects and migrates, then seeds the demo when asked to and the database is empty.
fn prepare_database(settings: &Settings) -> anyhow::Result<(DbPool, Option<DemoAccounts>, String)> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    let demo_accounts = if settings.demo.seed {
        demo::seed_if_empty(&mut conn, &settings.posters.dir, chrono::Utc::now())?
    } else {
        None
    };
    let manage_secret = db::secrets::load_or_create(&mut conn, "manage_links", chrono::Utc::now())?;
    Ok((pool, demo_accounts, manage_secret))
}
