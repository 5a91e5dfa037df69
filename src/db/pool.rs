//! The pool's side of a connection: how one is opened ([`Connector`]) and what every new one is
//! told first ([`ConnectionSetup`]).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{CustomizeConnection, ManageConnection, R2D2Connection};

use super::{DbConnection, SQLITE_BUSY_TIMEOUT_MS};
use crate::config::DatabaseUrl;

/// Opens the pool's connections with the configured backend's own driver. (diesel's manager
/// goes through the multi-backend `establish`, whose error on a database that refuses
/// connections is only "Invalid connection url for multiconnection"; this one logs libpq's.)
#[derive(Debug)]
pub struct Connector {
    url: DatabaseUrl,
}

impl Connector {
    pub(super) fn new(url: DatabaseUrl) -> Connector {
        Connector { url }
    }
}

impl ManageConnection for Connector {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                diesel::PgConnection::establish(url).map(DbConnection::Postgresql)
            }
            DatabaseUrl::Sqlite(path) => {
                diesel::SqliteConnection::establish(&path.display().to_string())
                    .map(DbConnection::Sqlite)
            }
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Per-connection settings. SQLite needs them on every connection, the busy timeout first, so
/// that a connection waits for the write lock instead of failing with "locked". The setup lives
/// as long as the pool, and so does its mark that an SQLite file is in use (see [`backup`]).
#[derive(Debug)]
pub(super) struct ConnectionSetup {
    pub(super) _in_use: Option<std::fs::File>,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        match conn {
            DbConnection::Sqlite(conn) => conn
                .batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;"
                ))
                .map_err(diesel::r2d2::Error::QueryError),
            DbConnection::Postgresql(conn) => conn
                .batch_execute("SET TIME ZONE 'UTC'")
                .map_err(diesel::r2d2::Error::QueryError),
        }
    }
}
