//! Spawning the application on a fresh database, and typed helpers for talking to it.

use std::path::PathBuf;
use std::sync::Arc;

use diesel::{Connection, RunQueryDsl};
use kassa::config::{DatabaseUrl, Settings};
use kassa::startup::Application;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

/// A database that lives as long as the test: a temporary SQLite file, or a PostgreSQL
/// database created for the test and dropped afterwards.
pub enum TestDatabase {
    Sqlite {
        _dir: tempfile::TempDir,
        path: PathBuf,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDatabase {
    pub fn create() -> Arc<TestDatabase> {
        let database = match std::env::var("KASSA_TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let admin_url = without_tls_unless_asked(admin_url);
                assert!(
                    admin_url.starts_with("postgres"),
                    "KASSA_TEST_DATABASE_URL must be a postgres:// URL"
                );
                let name = format!("kassa_test_{}", uuid_like());
                let mut admin = diesel::PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let url = with_database_name(&admin_url, &name);
                TestDatabase::Postgres {
                    admin_url,
                    name,
                    url,
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let path = dir.path().join("kassa.db");
                TestDatabase::Sqlite { _dir: dir, path }
            }
        };
        Arc::new(database)
    }

    pub fn url(&self) -> DatabaseUrl {
        match self {
            TestDatabase::Sqlite { path, .. } => DatabaseUrl::Sqlite(path.clone()),
            TestDatabase::Postgres { url, .. } => DatabaseUrl::Postgres(url.clone()),
        }
    }

    /// The admin URL and name of a PostgreSQL test database, or `None` on SQLite.
    pub fn postgres(&self) -> Option<(&str, &str)> {
        match self {
            TestDatabase::Postgres {
                admin_url, name, ..
            } => Some((admin_url, name)),
            TestDatabase::Sqlite { .. } => None,
        }
    }

    /// The URL as `database.url` takes it.
    pub fn url_string(&self) -> String {
        match self {
            TestDatabase::Sqlite { path, .. } => format!("sqlite://{}", path.display()),
            TestDatabase::Postgres { url, .. } => url.clone(),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres {
            admin_url, name, ..
        } = self
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            let dropped = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
            if let Err(error) = dropped {
                eprintln!("could not drop test database {name}: {error}");
            }
        }
    }
}

/// Test servers on loopback gain nothing from TLS, and a test's worker threads may still be
/// closing TLS connections while the test process exits and OpenSSL tears itself down: unless
/// the URL asks for an `sslmode`, the tests connect without TLS.
fn without_tls_unless_asked(url: String) -> String {
    if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_and_path = &base[scheme_end..];
    let host = host_and_path.split('/').next().unwrap_or(host_and_path);
    format!("{}{host}/{name}{query}", &base[..scheme_end])
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}_{:x}_{}", nanos, std::process::id(), rand_suffix())
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Kept for as long as the app runs: dropping it drops a PostgreSQL test database.
    pub _database: Arc<TestDatabase>,
    pub settings: Settings,
    pub demo_accounts: Option<kassa::demo::DemoAccounts>,
    /// Where links in mail point, as the application worked it out.
    pub public_url: String,
    /// Where the file transport writes this test's mail.
    _mail_dir: tempfile::TempDir,
    pool: std::sync::OnceLock<kassa::db::DbPool>,
}

/// The settings a test starts from: config/test.toml, on this test's database, on port 0.
pub fn test_settings(database: &TestDatabase) -> Settings {
    let config_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut settings = Settings::load_with_env(&config_dir, Some("test"), Some(Default::default()))
        .expect("test settings");
    settings.database.url = database.url();
    settings.server.port = 0;
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_on(TestDatabase::create(), |_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_on(TestDatabase::create(), configure).await
}

/// Starts the application on an existing test database.
pub async fn spawn_app_on(
    database: Arc<TestDatabase>,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = test_settings(&database);
    let mail_dir = tempfile::tempdir().expect("mail directory");
    settings.mail.outbox_dir = mail_dir.path().to_owned();
    settings.posters.dir = mail_dir.path().join("posters");
    configure(&mut settings);
    kassa::telemetry::init_for_tests(&settings.log);
    let application = Application::build(settings.clone())
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let public_url = application.public_url().to_owned();
    let demo_accounts = application.demo_accounts.clone();
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("HTTP client");
    TestApp {
        address,
        client,
        _database: database,
        settings,
        demo_accounts,
        public_url,
        _mail_dir: mail_dir,
        pool: std::sync::OnceLock::new(),
    }
}

/// A signed-in caller: the bearer token and the role it stands for.
#[derive(Clone)]
pub struct Session {
    pub token: String,
}

impl TestApp {
    /// A direct connection to the test database, to arrange or inspect what HTTP cannot.
    pub fn db(&self) -> kassa::db::PooledDb {
        self.pool().get().expect("connection")
    }

    /// One pool per test app, made on first use.
    pub fn pool(&self) -> kassa::db::DbPool {
        self.pool
            .get_or_init(|| kassa::db::connect(&self.settings.database).expect("pool"))
            .clone()
    }

    /// The outbox worker, as the application builds it; tests run its rounds themselves.
    pub fn courier(&self) -> kassa::mail::Courier {
        self.courier_on(self.pool())
    }

    /// The worker of another kassa instance on the same database: its own connection pool.
    pub fn courier_of_another_instance(&self) -> kassa::mail::Courier {
        self.courier_on(kassa::db::connect(&self.settings.database).expect("pool"))
    }

    fn courier_on(&self, pool: kassa::db::DbPool) -> kassa::mail::Courier {
        let secret = kassa::db::secrets::load_or_create(
            &mut pool.get().unwrap(),
            "manage_links",
            chrono::Utc::now(),
        )
        .unwrap();
        let links = kassa::app::links::Links::new(secret, &self.public_url);
        let context = std::sync::Arc::new(kassa::app::Context::new(&self.settings, links));
        kassa::mail::Courier::new(&self.settings.mail, pool, context).expect("courier")
    }

    pub fn backend(&self) -> &'static str {
        self.settings.database.url.backend_name()
    }

    /// Moves every hold's end into the past, as if the buyers had dawdled.
    pub fn expire_holds(&self) {
        use diesel::RunQueryDsl;
        let mut conn = self.db();
        let past = "2000-01-01 00:00:00";
        diesel::sql_query(format!("UPDATE holds SET expires_at = '{past}'"))
            .execute(&mut conn)
            .unwrap();
        diesel::sql_query(format!(
            "UPDATE seat_claims SET expires_at = '{past}' WHERE hold_id IS NOT NULL"
        ))
        .execute(&mut conn)
        .unwrap();
    }

    /// The kinds of mail queued for a booking, oldest first.
    pub async fn outbox(&self, booking_id: i32) -> Vec<String> {
        let mut conn = self.db();
        kassa::db::outbox::for_booking(&mut conn, booking_id)
            .unwrap()
            .into_iter()
            .map(|m| m.kind.as_str().to_owned())
            .collect()
    }

    /// Every message the worker has written to the outbox folder: (subject, plain text).
    pub fn mails(&self) -> Vec<(String, String)> {
        std::fs::read_dir(&self.settings.mail.outbox_dir)
            .unwrap()
            .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .map(|raw| {
                let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
                let subject = message.subject().unwrap_or_default().to_owned();
                (
                    subject,
                    message.body_text(0).unwrap_or_default().into_owned(),
                )
            })
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Creates an account directly in the database and returns its e-mail and password.
    pub fn create_user(&self, role: kassa::domain::Role) -> (String, String) {
        let email = format!("{}-{}@2act.example", role.as_str(), rand_suffix());
        let password = "correct horse battery staple".to_owned();
        let mut conn = self.db();
        let hash = kassa::auth::password::hash(&password).expect("hash");
        let parsed = kassa::domain::Email::parse("email", &email).unwrap();
        kassa::db::users::insert(
            &mut conn,
            &parsed,
            &hash,
            role,
            Default::default(),
            chrono::Utc::now(),
        )
        .expect("insert user");
        (email, password)
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request")
    }

    pub async fn sign_in_as(&self, role: kassa::domain::Role) -> Session {
        let (email, password) = self.create_user(role);
        let response = self.login(&email, &password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        Session {
            token: body["token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn director(&self) -> Session {
        self.sign_in_as(kassa::domain::Role::Director).await
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        request.send().await.expect("request")
    }

    pub async fn post(&self, path: &str, session: Option<&Session>, body: &Value) -> Response {
        self.send(reqwest::Method::POST, path, session, Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, session: Option<&Session>, body: &Value) -> Response {
        self.send(reqwest::Method::PATCH, path, session, Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, session: Option<&Session>) -> Response {
        self.send(reqwest::Method::DELETE, path, session, None)
            .await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        session: Option<&Session>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request")
    }

    /// The seat map's seats as (id, status), in the map's order.
    pub async fn seat_statuses(&self, performance: i64) -> Vec<(i64, String)> {
        let map: Value = self
            .get(&format!("/api/v1/performances/{performance}/seats"), None)
            .await
            .json()
            .await
            .unwrap();
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["id"].as_i64().unwrap(),
                    s["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// Holds `seats` of a performance and books them online, as a buyer in Russian; `fields`
    /// adds to the request or replaces its fields (name, email, language, tickets…).
    pub async fn book_online(&self, performance: i64, seats: &[i64], fields: Value) -> Value {
        let held: Value = self
            .post(
                &format!("/api/v1/performances/{performance}/holds"),
                None,
                &json!({ "seat_ids": seats }),
            )
            .await
            .json()
            .await
            .unwrap();
        let mut body = json!({"hold_token": held["hold_token"], "name": "Айгерим",
                              "email": "buyer@example.kz", "language": "ru"});
        for (field, value) in fields.as_object().into_iter().flatten() {
            body[field] = value.clone();
        }
        let response = self.post("/api/v1/bookings", None, &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "booking {body}");
        response.json().await.unwrap()
    }

    /// The 2act studio's plan in small: two front seats, two standard, one accessible.
    pub async fn create_venue(&self, director: &Session) -> Value {
        let response = self
            .post(
                "/api/v1/venues",
                Some(director),
                &json!({
                    "name": "2act studio",
                    "address": "Almaty",
                    "timezone": "Asia/Almaty",
                    "seats": [
                        {"row": 1, "number": 1, "zone": "front", "x": 0, "y": 0, "accessible": false},
                        {"row": 1, "number": 2, "zone": "front", "x": 40, "y": 0, "accessible": false},
                        {"row": 2, "number": 1, "zone": "standard", "x": 0, "y": 50, "accessible": true},
                        {"row": 2, "number": 2, "zone": "standard", "x": 40, "y": 50, "accessible": false}
                    ]
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// A production of 100 minutes with a 15-minute interval.
    pub async fn create_production(&self, director: &Session) -> Value {
        let response = self
            .post(
                "/api/v1/productions",
                Some(director),
                &json!({
                    "title": "Здесь.Алматы",
                    "description": "Monologues",
                    "duration_minutes": 100,
                    "intermission_minutes": 15,
                    "age_rating": "16+",
                    "language": "ru"
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// A published performance in a new 4-seat test hall: (performance id, seat ids in plan order).
    pub async fn performance_on_sale(
        &self,
        director: &Session,
        starts_at: &str,
    ) -> (i64, Vec<i64>) {
        let venue = self.create_venue(director).await;
        let production = self.create_production(director).await["id"]
            .as_i64()
            .unwrap();
        let response = self
            .schedule(
                director,
                venue["id"].as_i64().unwrap(),
                production,
                starts_at,
                "published",
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let performance: Value = response.json().await.unwrap();
        let seats = venue["seats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect();
        (performance["id"].as_i64().unwrap(), seats)
    }

    /// A hall and a production to schedule: (venue id, production id).
    pub async fn hall_and_play(&self, director: &Session) -> (i64, i64) {
        let venue = self.create_venue(director).await;
        let production = self.create_production(director).await;
        (
            venue["id"].as_i64().unwrap(),
            production["id"].as_i64().unwrap(),
        )
    }

    /// The audit log's first entry of `action` about a booking, as the director reads it.
    pub async fn audit_entry(&self, director: &Session, reference: &str, action: &str) -> Value {
        let audit: Value = self
            .get(
                &format!("/api/v1/audit?booking={reference}"),
                Some(director),
            )
            .await
            .json()
            .await
            .unwrap();
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("{action} in {audit}"))
            .clone()
    }

    pub async fn schedule(
        &self,
        director: &Session,
        venue: i64,
        production: i64,
        starts_at: &str,
        status: &str,
    ) -> Response {
        self.post(
            "/api/v1/performances",
            Some(director),
            &json!({
                "production_id": production,
                "venue_id": venue,
                "starts_at": starts_at,
                "prices": {"front": 6000, "standard": 4500},
                "status": status
            }),
        )
        .await
    }
}

/// Asserts the error shape and returns the error object.
pub async fn error_of(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "expected {status} {code}");
    let body: Value = response.json().await.expect("a JSON error body");
    let error = body["error"].clone();
    assert_eq!(error["code"], code, "{body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    error
}
