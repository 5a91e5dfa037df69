//! Wiring: [`Application::build`] connects to the database, migrates, seeds the demo if asked,
//! binds its own listener and assembles the HTTP server. `main` and the tests start exactly this.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::app::{self, links::Links};
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::demo::{self, DemoAccounts};
use crate::http::{AppState, MailWorker};
use crate::routes;

pub struct Application {
    port: u16,
    public_url: String,
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
        let mail_worker = courier.spawn().map(|_| MailWorker {
            heartbeat,
            stuck_after: settings.mail.stuck_after_seconds,
        });
        let state = web::Data::new(AppState {
            mail_worker,
            pool,
            app: context,
            db_slots: tokio::sync::Semaphore::new(settings.database.pool_size as usize),
            db_wait: std::time::Duration::from_secs(settings.database.connect_timeout_seconds),
            seat_maps: Arc::default(),
        });
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(routes::configure)
                // After the API: the pages' scope answers every other path.
                .configure(crate::web::configure)
        })
        .shutdown_timeout(10);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Application {
            port,
            public_url,
            server,
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

    /// Serves until the server is stopped (SIGINT or SIGTERM stop it gracefully: requests in
    /// flight finish, for up to ten seconds).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
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
        demo::seed_if_empty(&mut conn, chrono::Utc::now())?
    } else {
        None
    };
    let manage_secret = db::secrets::load_or_create(&mut conn, "manage_links", chrono::Utc::now())?;
    Ok((pool, demo_accounts, manage_secret))
}
