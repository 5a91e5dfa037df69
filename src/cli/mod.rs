//! The `kassa` command line: `serve` (the default), `migrate`, `user add`, `user set-password`,
//! `backup`, `restore`.
//!
//! Exit codes: 0 done; 1 failed (database unreachable, I/O, a damaged copy); 2 bad usage,
//! settings or input (and `backup`/`restore` on PostgreSQL, which has pg_dump); 3 a conflict:
//! the account already exists (`user add`) or does not (`user set-password`), the backup file
//! exists, the database to restore over is in use.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::password;
use crate::config::Settings;
use crate::db::{self, sessions, users};
use crate::domain::booking::Language;
use crate::domain::{Email, Role};
use crate::startup::Application;
use crate::{demo, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "kassa",
    version,
    about = "Box office and performance scheduler for small theaters"
)]
pub struct Cli {
    /// Directory holding default.toml and <KASSA_ENV>.toml.
    #[arg(
        long,
        env = "KASSA_CONFIG_DIR",
        default_value = "config",
        global = true
    )]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate, seed the demo on an empty database if configured, and serve HTTP (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Manage staff and director accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy the SQLite database, while kassa serves it, to FILE; check the copy and show what it
    /// holds.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Replace the SQLite database by a backup (kassa must be stopped); the replaced file is kept.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account; the password is read as one line from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: Role,
    },
    /// Set a new password (one line from standard input) and sign the account out everywhere.
    SetPassword {
        #[arg(long)]
        email: String,
    },
}

mod backups;

const FAILED: u8 = 1;
const INVALID: u8 = 2;
const CONFLICT: u8 = 3;

/// Runs the command line; returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let environment = std::env::var("KASSA_ENV").ok();
    let settings = match Settings::load(&cli.config_dir, environment.as_deref()) {
        Ok(settings) => settings,
        Err(error) => return fail(INVALID, &error),
    };
    telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::User(command) => user(&settings, command),
        Command::Backup { to } => backups::backup(&settings, &to),
        Command::Restore { from } => backups::restore(&settings, &from),
    }
}

fn fail(code: u8, message: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("kassa: {message}");
    ExitCode::from(code)
}

fn serve(settings: Settings) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(FAILED, &error),
    };
    let host = settings.server.host.clone();
    let backend = settings.database.url.clone();
    runtime.block_on(async move {
        let application = match Application::build(settings).await {
            Ok(application) => application,
            Err(error) => return fail(FAILED, &format!("{error:#}")),
        };
        let shown_host = if host == "0.0.0.0" {
            "127.0.0.1"
        } else {
            host.as_str()
        };
        println!(
            "kassa is serving on http://{shown_host}:{}/ ({backend})",
            application.port()
        );
        println!(
            "API docs: http://{shown_host}:{}/api/docs/",
            application.port()
        );
        if let Some(accounts) = &application.demo_accounts {
            println!("Demo data created. Sign in with (shown only this once):");
            println!(
                "  director: {} / {}",
                demo::DIRECTOR_EMAIL,
                accounts.director_password
            );
            println!(
                "  staff:    {} / {}",
                demo::STAFF_EMAIL,
                accounts.staff_password
            );
        }
        match application.run_until_stopped().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(FAILED, &error),
        }
    })
}

fn migrate(settings: &Settings) -> ExitCode {
    let result = db::connect(&settings.database)
        .map_err(anyhow::Error::from)
        .and_then(|pool| {
            let mut conn = pool.get()?;
            db::migrate(&mut conn)?;
            Ok(())
        });
    match result {
        Ok(()) => {
            println!(
                "kassa: the database at {} is up to date",
                settings.database.url
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(FAILED, &format!("{error:#}")),
    }
}

fn user(settings: &Settings, command: UserCommand) -> ExitCode {
    let (email, role) = match &command {
        UserCommand::Add { email, role } => (email, Some(*role)),
        UserCommand::SetPassword { email } => (email, None),
    };
    let email = match Email::parse("email", email) {
        Ok(email) => email,
        Err(error) => return fail(INVALID, &error),
    };
    let password = match read_password() {
        Ok(password) => password,
        Err(error) => return fail(INVALID, &error),
    };
    let hash = match password::hash(&password) {
        Ok(hash) => hash,
        Err(error) => return fail(FAILED, &error),
    };
    let result = db::connect(&settings.database)
        .map_err(anyhow::Error::from)
        .and_then(|pool| {
            let mut conn = pool.get()?;
            db::migrate(&mut conn)?;
            let now = chrono::Utc::now();
            let changed = db::write_transaction(&mut conn, |conn| -> diesel::QueryResult<bool> {
                let existing = users::find_by_email(conn, &email)?;
                match (role, existing) {
                    (Some(role), None) => {
                        users::insert(conn, &email, &hash, role, Language::default(), now)
                            .map(|_| true)
                    }
                    (None, Some(user)) => {
                        users::set_password(conn, user.id, &hash)?;
                        sessions::revoke_all_for_user(conn, user.id, now)?;
                        Ok(true)
                    }
                    _ => Ok(false),
                }
            })?;
            Ok(changed)
        });
    match (result, role) {
        (Ok(true), Some(role)) => {
            println!("kassa: created {role} {email}");
            ExitCode::SUCCESS
        }
        (Ok(true), None) => {
            println!("kassa: new password set for {email}; all its sessions are signed out");
            ExitCode::SUCCESS
        }
        (Ok(false), Some(_)) => fail(CONFLICT, &format!("an account for {email} already exists")),
        (Ok(false), None) => fail(CONFLICT, &format!("there is no account for {email}")),
        (Err(error), _) => fail(FAILED, &format!("{error:#}")),
    }
}

/// One line from standard input: never from argv, where other users of the machine could see it.
fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least {} characters): ", password::MIN_LENGTH);
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']);
    password::acceptable(password)
        .map(str::to_owned)
        .map_err(|e| e.to_string())
}
