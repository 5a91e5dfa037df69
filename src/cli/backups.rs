//! `kassa backup --to FILE` and `kassa restore --from FILE` (see [`crate::db::backup`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{CONFLICT, FAILED, INVALID, fail};
use crate::config::{DatabaseUrl, Settings};
use crate::db::backup;

/// The SQLite file the settings name, or the exit for PostgreSQL.
fn sqlite_file(settings: &Settings, tool: &str) -> Result<PathBuf, ExitCode> {
    match &settings.database.url {
        DatabaseUrl::Sqlite(path) => Ok(path.clone()),
        DatabaseUrl::Postgres(_) => Err(fail(
            INVALID,
            &format!("the database is PostgreSQL: use {tool}, which backs it up while it serves"),
        )),
    }
}

fn describe(summary: &backup::Summary) -> String {
    format!(
        "{} bytes, {} bookings, {} tickets; integrity check ok",
        summary.bytes, summary.bookings, summary.tickets
    )
}

fn backup_failure(error: backup::BackupError) -> ExitCode {
    let code = match error {
        backup::BackupError::Exists(_) | backup::BackupError::InUse(_) => CONFLICT,
        _ => FAILED,
    };
    fail(code, &error)
}

pub(super) fn backup(settings: &Settings, to: &Path) -> ExitCode {
    let source = match sqlite_file(settings, "pg_dump") {
        Ok(path) => path,
        Err(code) => return code,
    };
    match backup::backup(&source, to) {
        Ok(summary) => {
            println!(
                "kassa: backed up {} to {}: {}",
                source.display(),
                to.display(),
                describe(&summary)
            );
            ExitCode::SUCCESS
        }
        Err(error) => backup_failure(error),
    }
}

pub(super) fn restore(settings: &Settings, from: &Path) -> ExitCode {
    let target = match sqlite_file(settings, "pg_restore") {
        Ok(path) => path,
        Err(code) => return code,
    };
    match backup::restore(&target, from) {
        Ok((summary, replaced)) => {
            println!(
                "kassa: restored {} from {}: {}",
                target.display(),
                from.display(),
                describe(&summary)
            );
            if let Some(kept) = replaced {
                println!(
                    "kassa: the database it replaced is kept as {}",
                    kept.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => backup_failure(error),
    }
}
