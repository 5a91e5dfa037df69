//! The real `kassa` binary as a child process on a loopback port, for the tests that signal,
//! kill and restart it.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::TestDatabase;
use crate::smtp::unused_port;

pub struct Kassa {
    child: Child,
    pub address: String,
    /// The child's log: shown when the test fails, kept out of a passing test's output.
    log: tempfile::NamedTempFile,
}

impl Kassa {
    /// Starts `kassa serve` on the test database with the test settings, a free port, and
    /// `env` on top; returns once `/health` answers.
    pub async fn start(database: &TestDatabase, env: &[(&str, &str)]) -> Kassa {
        Kassa::start_on(&database.url_string(), env).await
    }

    /// As [`Kassa::start`], on the database at `url`.
    pub async fn start_on(url: &str, env: &[(&str, &str)]) -> Kassa {
        let port = unused_port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_kassa"))
            .env("KASSA_ENV", "test")
            .env(
                "KASSA_CONFIG_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/config"),
            )
            .env("KASSA__DATABASE__URL", url)
            .env("KASSA__SERVER__PORT", port.to_string())
            .env("KASSA__LOG__FILTER", "error")
            .env(
                "KASSA__POSTERS__DIR",
                std::env::temp_dir().join(format!("kassa-posters-{port}")),
            )
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log file opens"))
            .spawn()
            .expect("kassa starts");
        let mut kassa = Kassa {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
        };
        kassa.wait_until_healthy().await;
        kassa
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    async fn wait_until_healthy(&mut self) {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("kassa exited before it served: {status}");
            }
            if let Ok(response) = client.get(self.url("/health")).send().await
                && response.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "kassa did not answer /health");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `kill -9`: no chance to finish anything.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, as systemd and container runtimes stop a service.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM {}", self.pid());
    }

    /// Waits up to `within` for the process to exit.
    pub async fn exited_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Kassa {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.log.path()).unwrap_or_default();
            eprintln!("kassa (pid {}) logged:\n{log}", self.child.id());
        }
    }
}

/// A client that opens a new connection for every request, so that each request's fate is its
/// own: refused (the listener is closed), answered, or reset.
pub fn fresh_connections() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}
