//! The database's URL: which backend, where, and shown without its password.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

/// Where the data lives: `sqlite://PATH` or `postgres://…` (also `postgresql://…`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "SQLite",
            DatabaseUrl::Postgres(_) => "PostgreSQL",
        }
    }
}

impl TryFrom<String> for DatabaseUrl {
    type Error = String;

    fn try_from(url: String) -> Result<Self, Self::Error> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.starts_with(':') {
                return Err(format!(
                    "database.url `{url}` needs a file path, e.g. sqlite://data/kassa.db"
                ));
            }
            // `?mode=ro` and the like would otherwise become part of a new file's name.
            if path.contains(['?', '#']) {
                return Err(format!(
                    "database.url `{url}`: kassa takes no parameters in a sqlite:// URL, only the file's path"
                ));
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url))
        } else {
            Err(format!(
                "database.url `{url}` must start with sqlite:// or postgres://"
            ))
        }
    }
}

impl fmt::Display for DatabaseUrl {
    /// Shows the URL without a password, so it can be logged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => write!(f, "{}", redact_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        let url = DatabaseUrl::try_from("postgres://kassa:secret@db/kassa".to_owned()).unwrap();
        assert_eq!(url.to_string(), "postgres://kassa:***@db/kassa");
    }
}
