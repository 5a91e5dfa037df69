//! Settings: `config/default.toml`, then `config/<KASSA_ENV>.toml`, then `KASSA__SECTION__KEY`
//! environment variables, deserialised into typed structs that reject unknown keys. (Longer
//! than most modules: one struct per section of the file, each field documented, read together.)

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod database_url;
pub use database_url::DatabaseUrl;

/// The defaults as shipped, used when no `default.toml` is found next to the binary's config dir.
const EMBEDDED_DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub demo: DemoSettings,
    pub schedule: ScheduleSettings,
    pub booking: BookingSettings,
    pub waitlist: WaitlistSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub backup: BackupSettings,
    pub posters: PosterSettings,
    pub metrics: MetricsSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    /// The address the audience reaches kassa at, for links in mail; empty means the address
    /// served (see [`crate::startup::Application::public_url`]).
    pub public_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: DatabaseUrl,
    pub pool_size: u32,
    pub connect_timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSettings {
    pub seed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    pub changeover_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingSettings {
    pub hold_minutes: u32,
    pub max_seats_per_hold: u32,
    pub cancellation_cutoff_minutes: u32,
    /// How long before the start a holder may still exchange to another date; none: the
    /// cancellation cutoff. A production may set its own.
    #[serde(default)]
    pub exchange_cutoff_minutes: Option<u32>,
    /// How many exchanges a booking gets; a production may set its own.
    pub max_exchanges: u32,
    /// A companion seat is sold only with its wheelchair space until this long before the start.
    pub companion_release_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitlistSettings {
    /// How long freed seats are held for the next person on a waiting list (never past the
    /// performance's sales close).
    pub offer_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub token_ttl_hours: u32,
    pub max_failed_logins: u32,
    pub max_failed_logins_per_client: u32,
    pub failed_login_window_minutes: u32,
    /// How long an invitation's link to set a password stays valid.
    pub invite_link_hours: u32,
    /// How long a "forgot password" link stays valid.
    pub reset_link_minutes: u32,
    /// Reset links asked for one address, and from one client, within the sign-in window.
    pub max_reset_requests: u32,
    pub max_reset_requests_per_client: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// The sender, e.g. `2act <tickets@2act.kz>`.
    pub from: String,
    /// Where the file transport writes `.eml` files.
    pub outbox_dir: PathBuf,
    /// Attempts before a message is given up (status `failed`).
    pub max_attempts: u32,
    /// The first retry waits this long; each next one twice as long (at most an hour).
    pub retry_base_seconds: u64,
    /// How often the background worker looks for mail to send; 0 turns it off.
    pub poll_seconds: u64,
    /// A worker silent this long (no round begun, no message finished) is stuck, and
    /// `/health/ready` says so.
    pub stuck_after_seconds: u64,
    pub smtp: SmtpSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: String,
    /// Only from the environment: `KASSA__MAIL__SMTP__PASSWORD`.
    #[serde(default)]
    pub password: Option<String>,
    pub timeout_seconds: u64,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

/// `GET /metrics`, in the Prometheus text format.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Off: no recorder, no per-request work, and `/metrics` answers 404.
    pub enabled: bool,
    /// The client addresses that may read the metrics without a token (not through a proxy).
    pub allow: Vec<std::net::IpAddr>,
    /// A bearer token that reads them from anywhere; environment only (`KASSA__METRICS__TOKEN`).
    #[serde(default)]
    pub token: Option<String>,
}

impl fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetricsSettings")
            .field("enabled", &self.enabled)
            .field("allow", &self.allow)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Productions' posters on disk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosterSettings {
    /// Where the posters' copies are kept. Several instances need one shared directory.
    pub dir: PathBuf,
    /// The largest upload accepted, in MiB.
    pub max_mib: u32,
}

/// The scheduled backup of an SQLite database (PostgreSQL is backed up with pg_dump).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSettings {
    /// Where the copies go; empty: no scheduled backup.
    pub dir: PathBuf,
    /// How many copies are kept; older ones are removed.
    pub keep: u32,
    /// How old the newest copy may grow before the next is made.
    pub every_hours: u32,
}

impl BackupSettings {
    pub fn enabled(&self) -> bool {
        !self.dir.as_os_str().is_empty()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Settings could not be read: the message names the file, key or value at fault.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct SettingsError(String);

impl Settings {
    /// Reads the settings for `environment` (the value of `KASSA_ENV`, if any) from `config_dir`
    /// and the process environment.
    pub fn load(config_dir: &Path, environment: Option<&str>) -> Result<Settings, SettingsError> {
        Self::load_with_env(config_dir, environment, None)
    }

    /// As [`Settings::load`], with the environment variables given instead of the process's.
    pub fn load_with_env(
        config_dir: &Path,
        environment: Option<&str>,
        env_vars: Option<HashMap<String, String>>,
    ) -> Result<Settings, SettingsError> {
        let defaults_path = config_dir.join("default.toml");
        let mut builder = config::Config::builder();
        builder = if defaults_path.exists() {
            builder.add_source(config::File::from(defaults_path).required(true))
        } else {
            builder.add_source(config::File::from_str(
                EMBEDDED_DEFAULTS,
                config::FileFormat::Toml,
            ))
        };
        if let Some(environment) = environment {
            if environment.is_empty()
                || !environment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(SettingsError(format!(
                    "KASSA_ENV `{environment}` is not a plain name such as `test` or `production`"
                )));
            }
            let path = config_dir.join(format!("{environment}.toml"));
            if !path.exists() {
                return Err(SettingsError(format!(
                    "KASSA_ENV is `{environment}` but {} does not exist",
                    path.display()
                )));
            }
            builder = builder.add_source(config::File::from(path).required(true));
        }
        // Secrets come from the environment only: a password in a file is refused.
        let files = builder
            .build_cloned()
            .map_err(|e| SettingsError(e.to_string()))?;
        for (key, variable) in [
            ("mail.smtp.password", "KASSA__MAIL__SMTP__PASSWORD"),
            ("metrics.token", "KASSA__METRICS__TOKEN"),
        ] {
            if files.get_string(key).is_ok() {
                return Err(SettingsError(format!(
                    "{key} must not be in a config file: set {variable}"
                )));
            }
        }
        let env = config::Environment::with_prefix("KASSA")
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .list_separator(",")
            .with_list_parse_key("metrics.allow")
            .source(env_vars);
        builder
            .add_source(env)
            .build()
            .and_then(|config| config.try_deserialize())
            .map_err(|e| SettingsError(e.to_string()))
            .and_then(Settings::checked)
    }

    fn checked(self) -> Result<Settings, SettingsError> {
        let invalid = |key: &str, why: &str| Err(SettingsError(format!("{key}: {why}")));
        if self.database.pool_size == 0 {
            return invalid("database.pool_size", "must be at least 1");
        }
        if self.database.connect_timeout_seconds == 0 {
            return invalid("database.connect_timeout_seconds", "must be at least 1");
        }
        if self.booking.hold_minutes == 0 {
            return invalid("booking.hold_minutes", "must be at least 1");
        }
        if self.booking.max_seats_per_hold == 0 {
            return invalid("booking.max_seats_per_hold", "must be at least 1");
        }
        if self.mail.max_attempts == 0 {
            return invalid("mail.max_attempts", "must be at least 1");
        }
        if let Err(e) = self.mail.from.parse::<lettre::message::Mailbox>() {
            return invalid("mail.from", &e.to_string());
        }
        if self.auth.token_ttl_hours == 0 {
            return invalid("auth.token_ttl_hours", "must be at least 1");
        }
        if self.auth.max_failed_logins == 0 || self.auth.max_failed_logins_per_client == 0 {
            return invalid("auth.max_failed_logins", "must be at least 1");
        }
        if self.metrics.token.as_deref().is_some_and(|t| t.len() < 16) {
            return invalid("metrics.token", "must be at least 16 characters");
        }
        if self.backup.keep == 0 || self.backup.every_hours == 0 {
            return invalid("backup.keep and backup.every_hours", "must be at least 1");
        }
        if self.backup.enabled() && matches!(self.database.url, DatabaseUrl::Postgres(_)) {
            return invalid(
                "backup.dir",
                "on PostgreSQL, back up with pg_dump; leave backup.dir empty",
            );
        }
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&self.log.filter) {
            return invalid("log.filter", &e.to_string());
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config")
    }

    fn load(environment: Option<&str>, vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let vars = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::load_with_env(&config_dir(), environment, Some(vars))
    }

    #[test]
    fn shipped_files_load_in_every_environment() {
        let default = load(None, &[]).expect("default settings");
        assert_eq!(default.server.port, 8080);
        assert!(default.demo.seed);
        assert_eq!(
            default.database.url,
            DatabaseUrl::Sqlite(PathBuf::from("data/kassa.db"))
        );
        let test = load(Some("test"), &[]).expect("test settings");
        assert_eq!(test.server.port, 0);
        let production = load(Some("production"), &[]).expect("production settings");
        assert!(!production.demo.seed);
        assert!(matches!(production.database.url, DatabaseUrl::Postgres(_)));
    }

    #[test]
    fn environment_variables_override_files() {
        let settings = load(
            Some("production"),
            &[
                ("KASSA__SERVER__PORT", "9000"),
                ("KASSA__DEMO__SEED", "true"),
            ],
        )
        .unwrap();
        assert_eq!(settings.server.port, 9000);
        assert!(settings.demo.seed);
    }

    #[test]
    fn an_unknown_key_is_named_in_the_error() {
        let error = load(None, &[("KASSA__SERVER__PROT", "9000")]).unwrap_err();
        assert!(error.to_string().contains("prot"), "{error}");
    }

    #[test]
    fn a_bad_value_is_named_in_the_error() {
        let error = load(None, &[("KASSA__SERVER__PORT", "eighty")]).unwrap_err();
        assert!(error.to_string().contains("port"), "{error}");
        let error = load(None, &[("KASSA__DATABASE__URL", "mysql://x")]).unwrap_err();
        assert!(error.to_string().contains("mysql://x"), "{error}");
        let error = load(None, &[("KASSA__DATABASE__POOL_SIZE", "0")]).unwrap_err();
        assert!(error.to_string().contains("pool_size"), "{error}");
    }

    #[test]
    fn metrics_are_for_loopback_unless_told_otherwise() {
        let settings = load(None, &[]).unwrap();
        assert!(settings.metrics.enabled);
        assert!(settings.metrics.allow.iter().all(|a| a.is_loopback()));
        assert!(settings.metrics.token.is_none());
        let settings = load(
            None,
            &[
                ("KASSA__METRICS__ALLOW", "10.0.0.5,::1"),
                ("KASSA__METRICS__TOKEN", "a-token-for-prometheus"),
            ],
        )
        .unwrap();
        assert_eq!(settings.metrics.allow.len(), 2);
        assert!(!format!("{settings:?}").contains("a-token-for-prometheus"));
        let error = load(None, &[("KASSA__METRICS__TOKEN", "short")]).unwrap_err();
        assert!(error.to_string().contains("metrics.token"), "{error}");
    }

    #[test]
    fn a_scheduled_backup_is_for_sqlite_only() {
        let on_sqlite = load(None, &[("KASSA__BACKUP__DIR", "data/backups")]).unwrap();
        assert!(on_sqlite.backup.enabled());
        let error = load(
            Some("production"),
            &[("KASSA__BACKUP__DIR", "/var/backups/kassa")],
        )
        .unwrap_err();
        assert!(error.to_string().contains("pg_dump"), "{error}");
        let error = load(None, &[("KASSA__BACKUP__KEEP", "0")]).unwrap_err();
        assert!(error.to_string().contains("backup.keep"), "{error}");
    }

    #[test]
    fn the_smtp_password_comes_from_the_environment_only() {
        let settings = load(None, &[("KASSA__MAIL__SMTP__PASSWORD", "s3cret")]).unwrap();
        assert_eq!(settings.mail.smtp.password.as_deref(), Some("s3cret"));
        assert!(
            !format!("{:?}", settings.mail.smtp).contains("s3cret"),
            "never logged"
        );

        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            config_dir().join("default.toml"),
            dir.path().join("default.toml"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("leaky.toml"),
            "[mail.smtp]\npassword = \"s3cret\"\n",
        )
        .unwrap();
        let error =
            Settings::load_with_env(dir.path(), Some("leaky"), Some(HashMap::new())).unwrap_err();
        assert!(
            error.to_string().contains("KASSA__MAIL__SMTP__PASSWORD"),
            "{error}"
        );
    }

    #[test]
    fn a_sqlite_url_with_parameters_is_refused_rather_than_made_a_file_name() {
        let error = load(
            None,
            &[("KASSA__DATABASE__URL", "sqlite://data/kassa.db?mode=ro")],
        )
        .unwrap_err();
        assert!(error.to_string().contains("no parameters"), "{error}");
        let settings = load(None, &[("KASSA__DATABASE__URL", "sqlite://data/other.db")]).unwrap();
        assert_eq!(settings.database.url.to_string(), "sqlite://data/other.db");
    }

    #[test]
    fn a_missing_environment_file_is_an_error() {
        let error = load(Some("staging"), &[]).unwrap_err();
        assert!(error.to_string().contains("staging.toml"), "{error}");
    }
}
