//! Storage: one diesel code base over SQLite (embedded default) and PostgreSQL (production).
//! Query functions take `&mut DbConnection` and return `QueryResult`, so their caller owns the
//! transaction; [`run`] moves them off the async workers.

pub mod account_tokens;
pub mod audit;
pub mod backup;
pub mod bookings;
pub mod claims;
pub mod credits;
mod decode;
pub mod door;
pub mod holds;
pub mod idempotency;
pub mod mail_log;
pub mod outbox;
pub mod payments;
pub mod performances;
pub mod productions;
pub mod reports;
pub mod schema;
pub mod seat_blocks;
pub mod secrets;
pub mod sessions;
pub mod users;
pub mod venues;
pub mod vitals;
pub mod waitlist;
pub mod zone_names;

pub use decode::{Decoded, decode};

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::{DatabaseSettings, DatabaseUrl};

/// Runs `$body` with `$c` bound to the concrete connection of either backend: for statements the
/// combined backend cannot express (multi-row inserts), written once and compiled for each.
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use on_backend;

/// A connection to whichever backend the settings name.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    // PostgreSQL first: `establish` tries the variants in order.
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<Connector>;
pub type PooledDb = PooledConnection<Connector>;

mod pool;
use pool::ConnectionSetup;
pub use pool::Connector;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Writers on SQLite wait this long for the database lock before giving up with "busy".
pub(crate) const SQLITE_BUSY_TIMEOUT_MS: u64 = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the directory for {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot run migrations: {0}")]
    Migrate(String),
}

/// Opens the pool; fails fast, naming the cause, if the database cannot be reached.
pub fn connect(settings: &DatabaseSettings) -> Result<DbPool, StartupError> {
    let connect_error = |reason: String| StartupError::Connect {
        url: settings.url.to_string(),
        reason,
    };
    let mut in_use = None;
    match &settings.url {
        DatabaseUrl::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StartupError::Directory {
                    path: path.display().to_string(),
                    source,
                })?;
            }
            let path = path.display().to_string();
            // WAL is a property of the database file: set it once, not on every connection,
            // where it would contend for the lock the pool's new connections are opening.
            diesel::SqliteConnection::establish(&path)
                .and_then(|mut conn| {
                    conn.batch_execute(&format!(
                        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL;"
                    ))
                    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
                })
                .map_err(|e| connect_error(e.to_string()))?;
            in_use = Some(
                backup::hold_in_use(std::path::Path::new(&path))
                    .map_err(|e| connect_error(e.to_string()))?,
            );
        }
        DatabaseUrl::Postgres(url) => {
            // Once directly, to fail fast with libpq's message rather than the pool's timeout.
            diesel::PgConnection::establish(url).map_err(|e| connect_error(e.to_string()))?;
        }
    }
    // No `SELECT 1` at each check-out: it was a round trip on every request. A connection the
    // server dropped is found by the query that fails on it, which answers 503 (see
    // [`is_lost`]), and is then discarded, so the pool replaces it (see [`discard`]).
    let pool = Pool::builder()
        .max_size(settings.pool_size)
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(settings.connect_timeout_seconds))
        .connection_customizer(Box::new(ConnectionSetup { _in_use: in_use }))
        .build(Connector::new(settings.url.clone()))
        .map_err(|e| connect_error(e.to_string()))?;
    Ok(pool)
}

/// Brings the schema up to date. On PostgreSQL an advisory lock lets several kassa instances
/// start at once without racing each other through the migrations.
pub fn migrate(conn: &mut DbConnection) -> Result<(), StartupError> {
    let failed = |e: &dyn std::fmt::Display| StartupError::Migrate(e.to_string());
    match conn {
        DbConnection::Sqlite(conn) => {
            conn.run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| failed(&e))?;
        }
        DbConnection::Postgresql(conn) => {
            // Any fixed number serves as the lock's key, as long as it never changes.
            conn.batch_execute("SELECT pg_advisory_lock(7355608)")
                .map_err(|e| failed(&e))?;
            let result = conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            conn.batch_execute("SELECT pg_advisory_unlock(7355608)")
                .map_err(|e| failed(&e))?;
            result.map_err(|e| failed(&e))?;
        }
    }
    Ok(())
}

/// SQLite lets one transaction write at a time. This process's writers queue here for it, so
/// that a waiting writer starts the moment the last one commits, instead of in SQLite's busy
/// handler, which sleeps in growing steps (1, 2, 5, 10 ms …) and turned a wait of a millisecond
/// into twenty at the door. (Another process on the same file still waits in the busy handler.)
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `work` in a transaction that writes. On SQLite it begins with `BEGIN IMMEDIATE`, taking
/// the write lock up front: a deferred transaction that reads first and writes later fails with
/// "database is locked" instead of waiting when another writer got in between.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    // Backend-specific: how a write transaction begins. The guard is held until it ends.
    let _writer = match conn {
        DbConnection::Sqlite(sqlite) => {
            // A writer that panicked poisoned nothing that matters: SQLite rolled it back.
            let writer = SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner());
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            Some(writer)
        }
        DbConnection::Postgresql(_) => {
            <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?;
            None
        }
    };
    match work(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            match <DbConnection as Connection>::TransactionManager::rollback_transaction(conn) {
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                Err(rollback_error) => Err(rollback_error.into()),
            }
        }
    }
}

/// Serialises writers of one hall's calendar until the transaction ends. SQLite needs nothing:
/// [`write_transaction`] already holds the database's single write lock.
pub fn lock_venue(conn: &mut DbConnection, venue_id: i32) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(_) => Ok(()),
        DbConnection::Postgresql(pg) => {
            use schema::venues::dsl::*;
            venues
                .filter(id.eq(venue_id))
                .select(id)
                .for_update()
                .execute(pg)
                .map(|_| ())
        }
    }
}

/// Whether the database answers.
/// Whether the database lacks migrations this kassa has: another instance is migrating it now,
/// or it was restored from an older copy and not migrated yet.
pub fn migrations_pending(conn: &mut DbConnection) -> Result<bool, StartupError> {
    let failed = |e: &dyn std::fmt::Display| StartupError::Migrate(e.to_string());
    match conn {
        DbConnection::Sqlite(conn) => conn.has_pending_migration(SQLITE_MIGRATIONS),
        DbConnection::Postgresql(conn) => conn.has_pending_migration(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| failed(&e))
}

pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// Whether the connection itself failed (the server closed it, or went away): the request can
/// be retried on another connection. libpq names some of these only in its message, e.g. a
/// query sent on a connection it already knows is gone.
pub fn is_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            [
                "no connection to the server",
                "server closed the connection",
                "terminating connection",
                "could not receive data from server",
                "could not send data to server",
            ]
            .iter()
            .any(|lost| message.contains(lost))
        }
        _ => false,
    }
}

/// Marks a connection broken, so that the pool drops it rather than hand it out again.
pub fn discard(conn: &mut DbConnection) {
    <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .set_in_error();
}

/// Whether a unique constraint (or primary key) refused a row: what a lost race looks like.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Whether an error only means the database was too busy this time (SQLite's lock wait ran out,
/// or PostgreSQL aborted a transaction to keep it serialisable): worth a retry by the client.
pub fn is_transient(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains("database is locked") || message.contains("database is busy")
        }
        _ => false,
    }
}
