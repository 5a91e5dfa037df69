//! The load benchmark: how close kassa comes to what this machine allows.
//!
//! `cargo bench --bench load` (SQLite) or `cargo bench --bench load -- --postgres [URL]` starts
//! the release build of kassa on a fresh database, loads it with a larger 2act (100
//! performances of the 60-seat hall and one in a 600-seat hall), drives it over 127.0.0.1 from
//! this separate process (wrk for plain reads, a tokio client for the flows), and prints one
//! table: each figure with the ceiling measured in the same run, and the target.
//! Nothing here asserts a time: it measures. See docs/BENCHMARKS.md for results.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{Datelike, Utc};
use diesel::{Connection, RunQueryDsl};
use serde_json::{Value, json};

const SECONDS: u64 = 10;
const RUSH_CLIENTS: usize = 500;
const BOOKING_CLIENTS: usize = 32;
const DOORS: usize = 4;
/// The metrics' cost: rounds of one slice on each server, the order swapped every round.
const METRIC_ROUNDS: usize = 8;
const METRIC_SLICE: u64 = 3;

#[path = "load/money.rs"]
mod money;
#[path = "load/waitlist.rs"]
mod waitlist;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let backend = match args.iter().position(|a| a == "--postgres") {
        Some(i) => Backend::Postgres {
            admin_url: args
                .get(i + 1)
                .filter(|a| !a.starts_with("--"))
                .cloned()
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        },
        None => Backend::Sqlite,
    };
    which("wrk").context("wrk is needed for the read benchmarks: apt-get install wrk")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let report = runtime.block_on(run(backend))?;
    println!("{report}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir)?;
    let out = dir.join("bench-report.md");
    std::fs::write(&out, &report)?;
    eprintln!("bench: the table is also in {}", out.display());
    Ok(())
}

#[derive(Clone)]
enum Backend {
    Sqlite,
    Postgres { admin_url: String },
}

/// A fresh database for the run, removed afterwards.
struct Database {
    url: String,
    name: String,
    backend: Backend,
    _dir: tempfile::TempDir,
}

impl Database {
    fn create(backend: &Backend, dir: tempfile::TempDir) -> Result<Database> {
        match backend {
            Backend::Sqlite => Ok(Database {
                url: format!("sqlite://{}", dir.path().join("kassa.db").display()),
                name: "SQLite (bundled)".into(),
                backend: backend.clone(),
                _dir: dir,
            }),
            Backend::Postgres { admin_url } => {
                let db = format!("kassa_bench_{}", std::process::id());
                let mut admin = diesel::PgConnection::establish(admin_url)?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {db}")).execute(&mut admin)?;
                diesel::sql_query(format!("CREATE DATABASE {db}")).execute(&mut admin)?;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(admin_url);
                Ok(Database {
                    url: format!("{base}/{db}?sslmode=disable"),
                    name: "PostgreSQL".into(),
                    backend: backend.clone(),
                    _dir: dir,
                })
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Backend::Postgres { admin_url } = &self.backend
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            let db = format!("kassa_bench_{}", std::process::id());
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// kassa itself, the release binary cargo built for this benchmark.
struct Server {
    child: Child,
    base: String,
    port: u16,
    dir: PathBuf,
    url: String,
}

impl Server {
    /// Starts kassa and waits until `/health` answers; returns it with the time that took and
    /// the demo accounts it printed (on a fresh database).
    async fn start(
        url: &str,
        dir: &Path,
        port: u16,
    ) -> Result<(Server, Duration, Option<Accounts>)> {
        Server::start_with(url, dir, port, &[]).await
    }

    /// As [`Server::start`], with `env` on top of the settings.
    async fn start_with(
        url: &str,
        dir: &Path,
        port: u16,
        env: &[(&str, &str)],
    ) -> Result<(Server, Duration, Option<Accounts>)> {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kassa"))
            .arg("serve")
            .env(
                "KASSA_CONFIG_DIR",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
            )
            .env("KASSA__DATABASE__URL", url)
            .env("KASSA__SERVER__HOST", "127.0.0.1")
            .env("KASSA__SERVER__PORT", port.to_string())
            .env(
                "KASSA__SERVER__PUBLIC_URL",
                format!("http://127.0.0.1:{port}"),
            )
            .env("KASSA__MAIL__OUTBOX_DIR", dir.join("outbox"))
            .env("KASSA__POSTERS__DIR", dir.join("posters"))
            .env("KASSA__LOG__FILTER", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting kassa")?;
        let stdout = child.stdout.take().expect("piped");
        let (lines_tx, lines_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{base}/health")).send().await
                && response.status().is_success()
            {
                break;
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("kassa did not become healthy within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let healthy_after = started.elapsed();
        let printed: Vec<String> = lines_rx.try_iter().collect();
        let account = |label: &str| {
            printed.iter().find_map(|line| {
                let rest = line.trim().strip_prefix(label)?.trim();
                let (email, password) = rest.split_once(" / ")?;
                Some((email.to_owned(), password.to_owned()))
            })
        };
        let accounts = account("director:")
            .zip(account("staff:"))
            .map(|(director, staff)| Accounts { director, staff });
        let server = Server {
            child,
            base,
            port,
            dir: dir.to_owned(),
            url: url.to_owned(),
        };
        Ok((server, healthy_after, accounts))
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait: kassa shuts down gracefully.
    fn stop(mut self) -> Result<()> {
        Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()?;
        self.child.wait()?;
        Ok(())
    }
}

struct Accounts {
    director: (String, String),
    staff: (String, String),
}

fn which(program: &str) -> Result<()> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()?
        .success();
    if found {
        Ok(())
    } else {
        Err(anyhow!("{program} not found"))
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Resident memory of a process now and at its peak, in KiB, from /proc.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Samples a process's resident memory until stopped; returns the highest seen, in KiB.
fn sample_memory(pid: u32) -> (Arc<AtomicBool>, std::thread::JoinHandle<u64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut peak = 0;
        while !flag.load(Ordering::Relaxed) {
            peak = peak.max(memory_kib(pid).0);
            std::thread::sleep(Duration::from_millis(10));
        }
        peak
    });
    (stop, handle)
}

/// An API client signed in (or not).
#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Api {
    fn new(base: &str) -> Api {
        Api {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(1024)
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            base: base.to_owned(),
            token: None,
        }
    }

    async fn signed_in(&self, (email, password): &(String, String)) -> Result<Api> {
        let (_, body) = self
            .send(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                Some(json!({"email": email, "password": password})),
            )
            .await?;
        Ok(Api {
            token: Some(body["token"].as_str().context("a token")?.to_owned()),
            ..self.clone()
        })
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value)> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    async fn post(&self, path: &str, body: Value) -> Result<(u16, Value)> {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Result<Value> {
        let (status, body) = self.send(reqwest::Method::GET, path, None).await?;
        if status != 200 {
            bail!("GET {path}: {status} {body}");
        }
        Ok(body)
    }

    /// A POST that must succeed with 201.
    async fn create(&self, path: &str, body: Value) -> Result<Value> {
        let (status, answer) = self.post(path, body).await?;
        if status != 201 {
            bail!("POST {path}: {status} {answer}");
        }
        Ok(answer)
    }
}

/// The larger 2act: what the benchmark works on.
struct Scaled {
    /// The 100 performances of the 60-seat hall, and the hall's seat ids.
    performances: Vec<i64>,
    seats: Vec<i64>,
    /// A 60-seat performance nobody has touched, for the rush.
    rush: i64,
    /// The performance in the 600-seat hall, and that hall's seat ids.
    big: i64,
    big_seats: Vec<i64>,
    /// For the month of the sales report: the production, the 600-seat hall, the first day.
    production: i64,
    big_hall: i64,
    report_from: chrono::NaiveDate,
}

async fn scale_up(director: &Api) -> Result<Scaled> {
    let production = director.get("/api/v1/productions").await?[0]["id"]
        .as_i64()
        .context("the demo production")?;
    let studio = &director.get("/api/v1/venues").await?[0];
    let studio_id = studio["id"].as_i64().context("the demo hall")?;
    let seats: Vec<i64> = studio["seats"]
        .as_array()
        .context("seats")?
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .collect();
    let prices = json!({"front": 6000, "standard": 4500});
    // Far enough ahead to miss the demo's Saturdays.
    let first = Utc::now().date_naive() + chrono::Duration::days(60);
    let last = first + chrono::Duration::days(99);
    let run = director
        .create(
            "/api/v1/performances/run",
            json!({
                "production_id": production, "venue_id": studio_id, "time": "19:00",
                "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "from": first.to_string(), "to": last.to_string(), "prices": prices, "status": "published",
            }),
        )
        .await?;
    let performances: Vec<i64> = run["performances"]
        .as_array()
        .context("the run")?
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    let rush_day = last + chrono::Duration::days(1);
    let rush = director
        .create(
            "/api/v1/performances",
            json!({"production_id": production, "venue_id": studio_id,
                   "starts_at": format!("{rush_day}T19:00"), "prices": prices, "status": "published"}),
        )
        .await?["id"]
        .as_i64()
        .context("the rush performance")?;
    let big_plan: Vec<Value> = (1..=20)
        .flat_map(|row| {
            (1..=30).map(move |number| {
                json!({"row": row, "number": number, "zone": if row <= 5 { "front" } else { "standard" },
                       "x": number * 40, "y": row * 40})
            })
        })
        .collect();
    let hall = director
        .create(
            "/api/v1/venues",
            json!({"name": "Big hall", "address": "Almaty", "timezone": "Asia/Almaty", "seats": big_plan}),
        )
        .await?;
    let big_seats: Vec<i64> = hall["seats"]
        .as_array()
        .context("seats")?
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .collect();
    let big = director
        .create(
            "/api/v1/performances",
            json!({"production_id": production, "venue_id": hall["id"],
                   "starts_at": format!("{first}T19:00"), "prices": prices, "status": "published"}),
        )
        .await?["id"]
        .as_i64()
        .context("the big performance")?;
    Ok(Scaled {
        performances,
        seats,
        rush,
        big,
        big_seats,
        production,
        big_hall: hall["id"].as_i64().context("the big hall")?,
        report_from: rush_day + chrono::Duration::days(7),
    })
}

/// What wrk measured.
struct Reads {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

fn wrk(url: &str) -> Result<Reads> {
    wrk_for(url, SECONDS)
}

/// As [`wrk`], for `seconds`.
fn wrk_for(url: &str, seconds: u64) -> Result<Reads> {
    let output = Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{seconds}s"), "--latency", url])
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let number_after = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.trim().to_owned())
    };
    let latency = |percent: &str| -> Result<f64> {
        let raw = number_after(percent).with_context(|| format!("wrk's {percent} in {text}"))?;
        let (value, unit) =
            raw.split_at(raw.find(|c: char| c.is_alphabetic()).unwrap_or(raw.len()));
        let value: f64 = value.parse()?;
        Ok(match unit {
            "us" => value / 1000.0,
            "ms" => value,
            "s" => value * 1000.0,
            "m" => value * 60_000.0,
            _ => bail!("wrk unit {unit}"),
        })
    };
    let per_second = number_after("Requests/sec:")
        .with_context(|| format!("wrk's rate in {text}"))?
        .parse()?;
    let errors = number_after("Non-2xx or 3xx responses:")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
        + number_after("Socket errors:").map_or(0, |_| 1);
    Ok(Reads {
        per_second,
        p50_ms: latency("50%")?,
        p99_ms: latency("99%")?,
        errors,
    })
}

/// The storage ceiling: single-row INSERT transactions, each committed, from this process on
/// the same database kassa uses (kassa's own connection settings), with 1 and with 4 threads;
/// the better rate counts.
fn insert_ceiling(url: &str) -> Result<(f64, usize)> {
    let settings = kassa::config::DatabaseSettings {
        url: kassa::config::DatabaseUrl::try_from(url.to_owned()).map_err(|e| anyhow!(e))?,
        pool_size: 4,
        connect_timeout_seconds: 10,
    };
    let pool = kassa::db::connect(&settings)?;
    let id = match settings.url {
        kassa::config::DatabaseUrl::Sqlite(_) => "INTEGER PRIMARY KEY",
        kassa::config::DatabaseUrl::Postgres(_) => "SERIAL PRIMARY KEY",
    };
    diesel::sql_query(format!(
        "CREATE TABLE bench_inserts (id {id}, note TEXT NOT NULL)"
    ))
    .execute(&mut pool.get()?)?;
    let mut best = (0.0, 1);
    for threads in [1, 4] {
        let done = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (pool, done) = (pool.clone(), done.clone());
                std::thread::spawn(move || -> Result<()> {
                    let mut conn = pool.get()?;
                    while started.elapsed() < Duration::from_secs(5) {
                        kassa::db::write_transaction(&mut conn, |conn| {
                            diesel::sql_query("INSERT INTO bench_inserts (note) VALUES ('x')")
                                .execute(conn)
                        })?;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker
                .join()
                .map_err(|_| anyhow!("insert thread panicked"))??;
        }
        let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
        if rate > best.0 {
            best = (rate, threads);
        }
    }
    diesel::sql_query("DROP TABLE bench_inserts").execute(&mut pool.get()?)?;
    Ok(best)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

/// Statuses seen, by code.
#[derive(Default)]
struct Statuses(std::sync::Mutex<BTreeMap<u16, u64>>);

impl Statuses {
    fn add(&self, status: u16) {
        *self.0.lock().unwrap().entry(status).or_default() += 1;
    }
    fn server_errors(&self) -> u64 {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(s, _)| **s >= 500)
            .map(|(_, n)| n)
            .sum()
    }
    fn summary(&self) -> String {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(s, n)| format!("{n}×{s}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

struct Flows {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    statuses: String,
    count: usize,
}

/// Bookings: clients hold one or two seats and book them, across the 100 performances, each
/// taking the next free pair so that the load is throughput, not contention.
async fn bookings(public: &Api, scaled: &Scaled) -> Result<Flows> {
    let slots: Vec<(i64, Vec<i64>)> = scaled
        .seats
        .chunks(2)
        .enumerate()
        .flat_map(|(pair, seats)| {
            scaled.performances.iter().map(move |p| {
                let take = if pair % 2 == 0 { seats.len() } else { 1 };
                (*p, seats[..take].to_vec())
            })
        })
        .collect();
    let slots = Arc::new(slots);
    let next = Arc::new(AtomicUsize::new(0));
    let statuses = Arc::new(Statuses::default());
    let started = Instant::now();
    let clients: Vec<_> = (0..BOOKING_CLIENTS)
        .map(|_| {
            let (api, slots, next, statuses) =
                (public.clone(), slots.clone(), next.clone(), statuses.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                while started.elapsed() < Duration::from_secs(SECONDS) {
                    let Some((performance, seats)) = slots.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let flow = Instant::now();
                    let (status, hold) = api
                        .post(&format!("/api/v1/performances/{performance}/holds"), json!({"seat_ids": seats}))
                        .await?;
                    statuses.add(status);
                    if status != 201 {
                        continue;
                    }
                    let (status, _) = api
                        .post("/api/v1/bookings", json!({"hold_token": hold["hold_token"], "name": "Bench",
                                                         "email": "bench@example.kz", "language": "ru"}))
                        .await?;
                    statuses.add(status);
                    if status == 201 {
                        times.push(flow.elapsed());
                    }
                }
                anyhow::Ok(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for client in clients {
        times.extend(client.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_unstable();
    Ok(Flows {
        per_second: times.len() as f64 / elapsed,
        p50_ms: percentile(&times, 0.5),
        p99_ms: percentile(&times, 0.99),
        statuses: statuses.summary(),
        count: times.len(),
    })
}

struct Rush {
    sold_out_after: Duration,
    statuses: String,
    server_errors: u64,
    seats_sold: usize,
    distinct_seats: usize,
    /// Companion seats left on sale whose wheelchair space was sold alone: they go on sale on
    /// their own only `booking.companion_release_hours` before the start.
    unsellable: usize,
    peak_rss_kib: u64,
    /// What each buyer booked, for the cancellation wave.
    booked: Vec<waitlist::Booked>,
}

/// The on-sale rush: 500 buyers at once for the 60 seats of one performance. Each picks one or
/// two seats it believes free, holds and books them; refused, it looks at the map again; it
/// stops with a booking or when the map shows nothing free.
async fn rush(public: &Api, staff: &Api, performance: i64, pid: u32) -> Result<Rush> {
    let statuses = Arc::new(Statuses::default());
    let last_sale = Arc::new(std::sync::Mutex::new(Duration::ZERO));
    let booked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (stop_sampling, sampler) = sample_memory(pid);
    let started = Instant::now();
    let buyers: Vec<_> = (0..RUSH_CLIENTS)
        .map(|buyer| {
            let (api, statuses, last_sale) = (public.clone(), statuses.clone(), last_sale.clone());
            let booked = booked.clone();
            tokio::spawn(async move {
                let map_path = format!("/api/v1/performances/{performance}/seats");
                let mut free: Vec<i64> = Vec::new();
                let mut companions: Vec<(i64, i64)> = Vec::new();
                let mut round = buyer;
                loop {
                    if free.is_empty() {
                        let (status, map) = api.send(reqwest::Method::GET, &map_path, None).await?;
                        statuses.add(status);
                        (free, companions) = sellable(&map);
                        if free.is_empty() {
                            return anyhow::Ok(());
                        }
                    }
                    round += 7;
                    let first = round % free.len();
                    let mut wanted = vec![free[first]];
                    if buyer % 3 == 0 && free.len() > 1 {
                        wanted.push(free[(first + 1) % free.len()]);
                    }
                    // A companion seat goes with its wheelchair space, as the hall sells it.
                    for (companion, space) in &companions {
                        if wanted.contains(companion) && !wanted.contains(space) {
                            wanted.push(*space);
                        }
                    }
                    let (status, hold) = api
                        .post(&format!("/api/v1/performances/{performance}/holds"), json!({"seat_ids": wanted}))
                        .await?;
                    statuses.add(status);
                    if status != 201 {
                        free.clear();
                        continue;
                    }
                    let (status, booking) = api
                        .post("/api/v1/bookings", json!({"hold_token": hold["hold_token"], "name": "Rush",
                                                         "email": "rush@example.kz", "language": "ru"}))
                        .await?;
                    statuses.add(status);
                    if status == 201 {
                        let mut last = last_sale.lock().unwrap();
                        *last = (*last).max(started.elapsed());
                        booked.lock().unwrap().push((
                            booking["reference"].as_str().unwrap_or_default().to_owned(),
                            booking["manage_token"].as_str().unwrap_or_default().to_owned(),
                            wanted.len(),
                        ));
                        return Ok(());
                    }
                    free.clear();
                }
            })
        })
        .collect();
    for buyer in buyers {
        buyer.await??;
    }
    stop_sampling.store(true, Ordering::Relaxed);
    let peak_rss_kib = sampler.join().map_err(|_| anyhow!("sampler panicked"))?;
    let door = staff
        .get(&format!("/api/v1/performances/{performance}/door"))
        .await?;
    let tickets = door["tickets"].as_array().context("tickets")?;
    let distinct: HashSet<(i64, i64)> = tickets
        .iter()
        .map(|t| {
            (
                t["seat"]["row"].as_i64().unwrap_or(0),
                t["seat"]["number"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let sold_out_after = *last_sale.lock().unwrap();
    let (_, map) = public
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/performances/{performance}/seats"),
            None,
        )
        .await?;
    let unsellable = map["seats"].as_array().map_or(0, |seats| {
        seats.iter().filter(|s| s["status"] == "available").count()
    });
    Ok(Rush {
        unsellable,
        sold_out_after,
        statuses: statuses.summary(),
        server_errors: statuses.server_errors(),
        seats_sold: tickets.len(),
        distinct_seats: distinct.len(),
        peak_rss_kib,
        booked: std::mem::take(&mut *booked.lock().unwrap()),
    })
}

/// The seats a buyer can take from a seat map: every available seat but a companion seat whose
/// wheelchair space is gone; and (companion, space) for those whose space is still free.
fn sellable(map: &Value) -> (Vec<i64>, Vec<(i64, i64)>) {
    let seats = map["seats"].as_array().cloned().unwrap_or_default();
    let available: HashSet<i64> = seats
        .iter()
        .filter(|s| s["status"] == "available")
        .filter_map(|s| s["id"].as_i64())
        .collect();
    let mut free = Vec::new();
    let mut companions = Vec::new();
    for seat in seats.iter().filter(|s| s["status"] == "available") {
        let Some(id) = seat["id"].as_i64() else {
            continue;
        };
        match seat["companion_of"].as_i64() {
            Some(space) if available.contains(&space) => {
                companions.push((id, space));
                free.push(id);
            }
            Some(_) => {}
            None => free.push(id),
        }
    }
    (free, companions)
}

/// Seat-map reads from a kassa with metrics on and one with them off, both running on the same
/// database at once, measured in turns of [`METRIC_SLICE`] seconds (off, on, on, off, …) so that
/// the machine's drift falls on both alike. Returns the rates of each round: (on, off).
async fn metrics_cost(
    url: &str,
    dir: &Path,
    port: u16,
    map_path: &str,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let other_port = free_port()?;
    let (on, _, _) =
        Server::start_with(url, dir, port, &[("KASSA__METRICS__ENABLED", "true")]).await?;
    let (off, _, _) = Server::start_with(
        url,
        dir,
        other_port,
        &[("KASSA__METRICS__ENABLED", "false")],
    )
    .await?;
    let (on_url, off_url) = (
        format!("{}{map_path}", on.base),
        format!("{}{map_path}", off.base),
    );
    // Both warm, and the server with metrics really has them.
    wrk_for(&on_url, 1)?;
    wrk_for(&off_url, 1)?;
    let scraped = reqwest::get(format!("{}/metrics", on.base))
        .await?
        .text()
        .await?;
    if !scraped.contains("kassa_http_requests_total") {
        bail!("the server with metrics on shows none");
    }
    if reqwest::get(format!("{}/metrics", off.base))
        .await?
        .status()
        != 404
    {
        bail!("the server with metrics off serves them");
    }
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 0..METRIC_ROUNDS {
        let order = if round % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for enabled in order {
            let target = if enabled { &on_url } else { &off_url };
            let rate = wrk_for(target, METRIC_SLICE)?.per_second;
            if enabled {
                with.push(rate)
            } else {
                without.push(rate)
            }
        }
    }
    on.stop()?;
    off.stop()?;
    Ok((with, without))
}

fn yes(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .map_or("?".into(), |kib| {
            format!("{:.0} GiB", kib as f64 / 1024.0 / 1024.0)
        });
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {memory}")
}

fn commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

async fn run(backend: Backend) -> Result<String> {
    let dir = tempfile::tempdir()?;
    let database = Database::create(&backend, tempfile::tempdir()?)?;
    let port = free_port()?;
    eprintln!("bench: starting kassa on {} ({})", port, database.name);
    let (server, _, accounts) = Server::start(&database.url, dir.path(), port).await?;
    let accounts = accounts.context("the demo accounts on a fresh database")?;
    let (idle_rss, _) = memory_kib(server.pid());
    let public = Api::new(&server.base);
    let director = public.signed_in(&accounts.director).await?;
    let staff = public.signed_in(&accounts.staff).await?;
    eprintln!("bench: loading 100 performances of the 60-seat hall and a 600-seat hall");
    let scaled = scale_up(&director).await?;

    eprintln!(
        "bench: GET /health, then the seat map, {SECONDS} s each with wrk (2 threads, 64 connections)"
    );
    let health = wrk(&format!("{}/health", server.base))?;
    let map_url = format!(
        "{}/api/v1/performances/{}/seats",
        server.base, scaled.performances[0]
    );
    let reads = wrk(&map_url)?;

    eprintln!("bench: single-row insert transactions on the same database (the storage ceiling)");
    let url = database.url.clone();
    let (ceiling, ceiling_threads) =
        tokio::task::spawn_blocking(move || insert_ceiling(&url)).await??;

    eprintln!(
        "bench: bookings, {BOOKING_CLIENTS} clients across 100 performances, up to {SECONDS} s"
    );
    let booked = bookings(&public, &scaled).await?;

    eprintln!("bench: the rush, {RUSH_CLIENTS} buyers for 60 seats");
    let rushed = rush(&public, &staff, scaled.rush, server.pid()).await?;
    eprintln!(
        "bench: {} people on its waiting list, then {} of its bookings cancelled at once",
        waitlist::WAITING,
        waitlist::CANCELLED
    );
    let wave = waitlist::cancellation_wave(
        &public,
        &director,
        scaled.rush,
        &rushed.booked,
        rushed.unsellable,
    )
    .await?;

    eprintln!("bench: door scans, 600 tickets (300 unpaid), {DOORS} doors, in, out, in");
    let scans = money::door_scans(&public, &staff, scaled.big, &scaled.big_seats).await?;
    eprintln!("bench: a month of 30 sold-out performances of the 600-seat hall, then its report");
    let report = money::sales_report(
        &director,
        &staff,
        scaled.production,
        scaled.big_hall,
        scaled.report_from,
        &scaled.big_seats,
    )
    .await?;
    let (_, peak_rss) = memory_kib(server.pid());

    eprintln!("bench: restarting on the existing database, three times");
    let (url, dir_path, port) = (server.url.clone(), server.dir.clone(), server.port);
    server.stop()?;
    let mut starts = Vec::new();
    for _ in 0..3 {
        let (again, healthy_after, _) = Server::start(&url, &dir_path, port).await?;
        starts.push(healthy_after);
        again.stop()?;
    }
    starts.sort_unstable();

    eprintln!(
        "bench: the seat map with metrics off and on, two servers at once, {METRIC_ROUNDS} rounds of {METRIC_SLICE} s each"
    );
    let map_path = format!("/api/v1/performances/{}/seats", scaled.performances[0]);
    let (with_metrics, without_metrics) = metrics_cost(&url, &dir_path, port, &map_path).await?;
    let mean = |rates: &[f64]| rates.iter().sum::<f64>() / rates.len() as f64;
    // Each round's two slices are next to each other in time: their ratio cancels the drift.
    let mut round_ratios: Vec<f64> = with_metrics
        .iter()
        .zip(&without_metrics)
        .map(|(on, off)| on / off)
        .collect();
    round_ratios.sort_by(f64::total_cmp);
    let metrics_ratio =
        (round_ratios[METRIC_ROUNDS / 2 - 1] + round_ratios[METRIC_ROUNDS / 2]) / 2.0;
    let spread = |rates: &[f64]| {
        let (low, high) = rates
            .iter()
            .fold((f64::MAX, 0f64), |(l, h), r| (l.min(*r), h.max(*r)));
        format!("{low:.0}–{high:.0}")
    };

    let mib = |kib: u64| kib as f64 / 1024.0;
    let reads_ratio = reads.per_second / health.per_second;
    let bookings_ratio = booked.per_second / ceiling;
    let today = Utc::now().date_naive();
    let mut out = String::new();
    use std::fmt::Write;
    writeln!(
        out,
        "### {} — {} {}, commit {}",
        database.name,
        today,
        today.weekday(),
        commit()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Machine: {}. Server and load generator share it.",
        machine()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| measure | result | ceiling in the same run | ratio | target | |"
    )?;
    writeln!(out, "| --- | --- | --- | --- | --- | --- |")?;
    writeln!(
        out,
        "| seat map reads, 64 connections, {SECONDS} s | {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors | `GET /health` {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms | {:.0}% | ≥ 50%, p99 < 20 ms | {} |",
        reads.per_second,
        reads.p50_ms,
        reads.p99_ms,
        reads.errors,
        health.per_second,
        health.p50_ms,
        health.p99_ms,
        reads_ratio * 100.0,
        yes(reads_ratio >= 0.5 && reads.p99_ms < 20.0)
    )?;
    writeln!(
        out,
        "| seat map reads with metrics on, 64 connections, {METRIC_ROUNDS} × {METRIC_SLICE} s interleaved with metrics off | {:.0} req/s (rounds {}) | metrics off: {:.0} req/s (rounds {}) | {:.1}% (median of the rounds' ratios, {:.0}–{:.0}%) | ≥ 95% | {} |",
        mean(&with_metrics),
        spread(&with_metrics),
        mean(&without_metrics),
        spread(&without_metrics),
        metrics_ratio * 100.0,
        round_ratios[0] * 100.0,
        round_ratios[METRIC_ROUNDS - 1] * 100.0,
        yes(metrics_ratio >= 0.95)
    )?;
    writeln!(
        out,
        "| bookings (hold + book, 1–2 seats), {BOOKING_CLIENTS} clients, 100 performances | {:.0} bookings/s ({} in all), p50 {:.1} ms, p99 {:.1} ms; {} | single-row insert transactions {:.0}/s ({} thread{}) | {:.0}% | ≥ 25% | {} |",
        booked.per_second,
        booked.count,
        booked.p50_ms,
        booked.p99_ms,
        booked.statuses,
        ceiling,
        ceiling_threads,
        if ceiling_threads == 1 { "" } else { "s" },
        bookings_ratio * 100.0,
        yes(bookings_ratio >= 0.25)
    )?;
    let rush_ok = rushed.server_errors == 0
        && rushed.seats_sold + rushed.unsellable == 60
        && rushed.distinct_seats == rushed.seats_sold
        && rushed.sold_out_after < Duration::from_secs(2);
    writeln!(
        out,
        "| on-sale rush, {RUSH_CLIENTS} buyers, 60 seats | sold out after {:.2} s; {} seats sold, {} distinct, {} companion seats kept for their wheelchair spaces; requests: {} | | | < 2 s, no 5xx, none oversold | {} |",
        rushed.sold_out_after.as_secs_f64(),
        rushed.seats_sold,
        rushed.distinct_seats,
        rushed.unsellable,
        rushed.statuses,
        yes(rush_ok)
    )?;
    writeln!(
        out,
        "| cancellation wave: {} on the waiting list (joins: {}, p99 {:.1} ms), {} bookings cancelled at once | {} seats freed, all offered {:.0} ms after the first cancellation was sent (cancellations: {}, p50 {:.1} ms, p99 {:.1} ms); {} entries offered {} seats; map: {} held, {} on sale, {} companion seats kept ({} before) | | | every freed seat offered within 1 s, none to two people | {} |",
        waitlist::WAITING,
        wave.join_statuses,
        wave.join_p99_ms,
        waitlist::CANCELLED,
        wave.freed_seats,
        wave.all_offered_after.as_secs_f64() * 1000.0,
        wave.cancel_statuses,
        wave.cancel_p50_ms,
        wave.cancel_p99_ms,
        wave.offered_entries,
        wave.offered_seats,
        wave.held_on_map,
        wave.available_on_map,
        wave.kept,
        wave.kept_before,
        yes(wave.met())
    )?;
    writeln!(
        out,
        "| door scans, 600 tickets (half unpaid, paid at the scan), {DOORS} doors (in, out, in) | {:.0} scans/s ({}), p50 {:.2} ms, p99 {:.2} ms; {} | | | p99 < 10 ms | {} |",
        scans.all.per_second,
        scans.all.count,
        scans.all.p50_ms,
        scans.all.p99_ms,
        scans.all.statuses,
        yes(scans.all.p99_ms < 10.0)
    )?;
    writeln!(
        out,
        "| of which scans with a payment | {}: p50 {:.2} ms, p99 {:.2} ms | | | p99 < 10 ms | {} |",
        scans.paying.statuses,
        scans.paying.p50_ms,
        scans.paying.p99_ms,
        yes(scans.paying.p99_ms < 10.0)
    )?;
    writeln!(
        out,
        "| sales report, a month of {} performances of the 600-seat hall ({} tickets) | p50 {:.1} ms, slowest {:.1} ms of {} requests | | | < 50 ms | {} |",
        report.performances,
        report.tickets,
        report.p50_ms,
        report.max_ms,
        report.requests,
        yes(report.max_ms < 50.0)
    )?;
    writeln!(
        out,
        "| memory (RSS) | idle {:.1} MiB; peak during the rush {:.1} MiB; peak over the whole run {:.1} MiB | | | < 100 MiB under the rush | {} |",
        mib(idle_rss),
        mib(rushed.peak_rss_kib),
        mib(peak_rss),
        yes(mib(rushed.peak_rss_kib) < 100.0)
    )?;
    writeln!(
        out,
        "| start-up to a healthy `/health` on the existing database | {:.0} ms (3 starts: {}) | | | < 500 ms | {} |",
        starts[1].as_secs_f64() * 1000.0,
        starts
            .iter()
            .map(|s| format!("{:.0}", s.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", "),
        yes(starts[2] < Duration::from_millis(500))
    )?;
    Ok(out)
}
