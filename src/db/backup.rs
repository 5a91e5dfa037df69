//! Backups of an SQLite database: a consistent copy taken while kassa serves (`VACUUM INTO`
//! reads one snapshot and does not stop writers), checked before it counts, and a restore that
//! refuses a database in use. (PostgreSQL has pg_dump and pg_restore for this.)
//!
//! "In use" is a shared lock on `<database>.lock`, held by every process that opened a pool on
//! the file (see [`super::connect`]); a restore takes it exclusively or not at all.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; kassa does not overwrite a file with a backup")]
    Exists(PathBuf),
    #[error("the database at {0} is in use (kassa serves it); stop kassa, then restore")]
    InUse(PathBuf),
    #[error("{path} failed the integrity check: {report}")]
    Damaged { path: PathBuf, report: String },
    #[error("{path}: {reason}")]
    Failed { path: PathBuf, reason: String },
}

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub bytes: u64,
    pub bookings: i64,
    pub tickets: i64,
}

fn failed(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> BackupError + '_ {
    move |reason| BackupError::Failed {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

/// The lock file that says a database is in use.
fn lock_path(database: &Path) -> PathBuf {
    with_suffix(database, ".lock")
}

/// Marks the database in use for as long as the returned file is open.
pub fn hold_in_use(database: &Path) -> Result<File, BackupError> {
    let path = lock_path(database);
    let file = File::create(&path).map_err(|e| failed(&path)(&e))?;
    match file.try_lock_shared() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(failed(database)(&"a restore is in progress")),
        Err(TryLockError::Error(e)) => Err(failed(&path)(&e)),
    }
}

/// Copies the live database at `source` to `to` (which must not exist), then checks the copy.
/// The copy is written beside `to` and renamed into place only once it passed.
pub fn backup(source: &Path, to: &Path) -> Result<Summary, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    if !source.is_file() {
        return Err(failed(source)(&"no such database file"));
    }
    let partial = with_suffix(to, ".partial");
    let _ = std::fs::remove_file(&partial);
    let mut conn = open(source)?;
    let target = partial
        .to_str()
        .ok_or_else(|| failed(to)(&"the path is not UTF-8"))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target)
        .execute(&mut conn)
        .map_err(|e| failed(source)(&e))?;
    drop(conn);
    let summary = match check(&partial) {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, to).map_err(|e| failed(to)(&e))?;
    Ok(summary)
}

/// Runs SQLite's integrity check on the file and counts what it holds.
pub fn check(path: &Path) -> Result<Summary, BackupError> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    if !path.is_file() {
        return Err(failed(path)(&"no such file"));
    }
    let mut conn = open(path)?;
    let report: Vec<Line> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| failed(path)(&e))?;
    let report: Vec<String> = report.into_iter().map(|l| l.integrity_check).collect();
    if report != ["ok"] {
        return Err(BackupError::Damaged {
            path: path.to_owned(),
            report: report.join("; "),
        });
    }
    let count = |conn: &mut SqliteConnection, table: &str| -> Result<i64, BackupError> {
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<Count>(conn)
            .map(|c| c.n)
            .map_err(|e| failed(path)(&format!("not a kassa database ({e})")))
    };
    let bookings = count(&mut conn, "bookings")?;
    let tickets = count(&mut conn, "tickets")?;
    let bytes = std::fs::metadata(path).map_err(|e| failed(path)(&e))?.len();
    Ok(Summary {
        bytes,
        bookings,
        tickets,
    })
}

/// Replaces the database at `target` by the checked copy `from`. The database it replaces is
/// kept beside it as `<name>.replaced-<time>`, which is returned.
pub fn restore(target: &Path, from: &Path) -> Result<(Summary, Option<PathBuf>), BackupError> {
    let summary = check(from)?;
    if target.exists() && same_file(target, from) {
        return Err(failed(from)(
            &"this is the database itself, not a backup of it",
        ));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| failed(dir)(&e))?;
    }
    let lock_file = lock_path(target);
    let lock = File::create(&lock_file).map_err(|e| failed(&lock_file)(&e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(BackupError::InUse(target.to_owned())),
        Err(TryLockError::Error(e)) => return Err(failed(&lock_file)(&e)),
    }
    let replaced = if target.exists() {
        // Fold the write-ahead log into the file, so that the copy kept is whole on its own.
        open(target)?
            .batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(|e| failed(target)(&e))?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let kept = with_suffix(target, &format!(".replaced-{stamp}"));
        std::fs::rename(target, &kept).map_err(|e| failed(target)(&e))?;
        Some(kept)
    } else {
        None
    };
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(target, leftover));
    }
    let incoming = with_suffix(target, ".restoring");
    std::fs::copy(from, &incoming).map_err(|e| failed(&incoming)(&e))?;
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(|e| failed(&incoming)(&e))?;
    std::fs::rename(&incoming, target).map_err(|e| failed(target)(&e))?;
    drop(lock);
    Ok((summary, replaced))
}

fn open(path: &Path) -> Result<SqliteConnection, BackupError> {
    let text = path
        .to_str()
        .ok_or_else(|| failed(path)(&"the path is not UTF-8"))?;
    let mut conn = SqliteConnection::establish(text).map_err(|e| failed(path)(&e))?;
    conn.batch_execute("PRAGMA busy_timeout = 5000")
        .map_err(|e| failed(path)(&e))?;
    Ok(conn)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
