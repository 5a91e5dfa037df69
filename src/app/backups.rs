//! The scheduled backup of an SQLite database: a checked copy into `backup.dir` whenever the
//! newest is older than `backup.every_hours`, the oldest removed beyond `backup.keep`. The last
//! outcome is kept for the director's pages and the metrics.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::config::BackupSettings;
use crate::db::backup::{self, Summary};

/// Copies are named `kassa-YYYYMMDD-HHMMSS.db` (UTC), so that their names sort by age.
const PREFIX: &str = "kassa-";
const SUFFIX: &str = ".db";

/// The last scheduled backup that worked and the last that did not.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub succeeded_at: Option<DateTime<Utc>>,
    pub failed: Option<(DateTime<Utc>, String)>,
}

impl Outcome {
    /// The failure, if no backup has worked since.
    pub fn failing(&self) -> Option<&(DateTime<Utc>, String)> {
        self.failed
            .as_ref()
            .filter(|(at, _)| self.succeeded_at.is_none_or(|ok| ok < *at))
    }
}

/// The schedule's state, shared by the backup task and whoever shows it.
#[derive(Debug, Clone)]
pub struct Backups {
    settings: BackupSettings,
    database: PathBuf,
    outcome: Arc<Mutex<Outcome>>,
}

impl Backups {
    pub fn new(settings: &BackupSettings, database: &Path) -> Backups {
        Backups {
            settings: settings.clone(),
            database: database.to_owned(),
            outcome: Arc::default(),
        }
    }

    pub fn outcome(&self) -> Outcome {
        self.outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The copies in the directory, oldest first.
    pub fn copies(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.settings.dir) else {
            return Vec::new();
        };
        let mut copies: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
            })
            .collect();
        copies.sort();
        copies
    }

    /// Whether the newest copy is older than `every_hours` (or there is none).
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        let newest = self.copies().pop().and_then(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?.to_owned();
            chrono::NaiveDateTime::parse_from_str(&stamp, "%Y%m%d-%H%M%S").ok()
        });
        let every = chrono::Duration::hours(i64::from(self.settings.every_hours));
        newest.is_none_or(|made| made.and_utc() + every <= now)
    }

    /// Makes a copy now, removes the copies beyond `keep`, and records the outcome.
    pub fn run(&self, now: DateTime<Utc>) -> Result<(PathBuf, Summary), String> {
        let result = self.copy(now);
        let mut outcome = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        match &result {
            Ok((path, summary)) => {
                tracing::info!(path = %path.display(), bytes = summary.bytes, bookings = summary.bookings, "backup made");
                outcome.succeeded_at = Some(now);
            }
            Err(error) => {
                tracing::error!(%error, "backup failed");
                outcome.failed = Some((now, error.clone()));
            }
        }
        result
    }

    fn copy(&self, now: DateTime<Utc>) -> Result<(PathBuf, Summary), String> {
        let dir = &self.settings.dir;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create backup.dir {}: {e}", dir.display()))?;
        // A copy cut short by a crash is never renamed into place; its leftover goes here.
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(PREFIX) && name.ends_with(".partial") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let name = format!("{PREFIX}{}{SUFFIX}", now.format("%Y%m%d-%H%M%S"));
        let path = dir.join(name);
        let summary = backup::backup(&self.database, &path).map_err(|e| e.to_string())?;
        let copies = self.copies();
        let surplus = copies.len().saturating_sub(self.settings.keep as usize);
        for old in &copies[..surplus] {
            if let Err(error) = std::fs::remove_file(old) {
                tracing::warn!(path = %old.display(), %error, "cannot remove an old backup");
            }
        }
        Ok((path, summary))
    }

    /// Checks every ten minutes (and at once) whether a copy is due, and makes it.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if self.due(Utc::now()) {
                    let backups = self.clone();
                    let _ = tokio::task::spawn_blocking(move || backups.run(Utc::now())).await;
                }
                tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_counts_until_a_later_backup_works() {
        let at = |h| Utc::now() + chrono::Duration::hours(h);
        let mut outcome = Outcome::default();
        assert!(outcome.failing().is_none());
        outcome.failed = Some((at(1), "disk full".into()));
        assert!(outcome.failing().is_some());
        outcome.succeeded_at = Some(at(0));
        assert!(
            outcome.failing().is_some(),
            "an older success does not clear it"
        );
        outcome.succeeded_at = Some(at(2));
        assert!(outcome.failing().is_none());
    }
}
