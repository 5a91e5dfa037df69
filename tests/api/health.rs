use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_once_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({ "status": "ok" }));
}

/// The server closes every connection of kassa's database (as a restart or a failover does):
/// each request that meets a dropped connection answers 503 with `Retry-After`, never 500, and
/// the pool replaces the connection, so kassa answers again by itself.
#[tokio::test]
async fn connections_the_database_dropped_cost_a_503_each_and_kassa_recovers() {
    let app = spawn_app().await;
    let crate::helpers::TestDatabase::Postgres {
        admin_url, name, ..
    } = &*app._database
    else {
        eprintln!("skipped: SQLite has no connections to drop");
        return;
    };
    // Open every pooled connection.
    let warm: Vec<_> = (0..8)
        .map(|_| app.get("/api/v1/performances", None))
        .collect();
    for response in futures::future::join_all(warm).await {
        assert_eq!(response.status(), StatusCode::OK);
    }
    let mut admin = <diesel::PgConnection as diesel::Connection>::establish(admin_url).unwrap();
    let terminated: Vec<TerminatedCount> = diesel::RunQueryDsl::load(
        diesel::sql_query(format!(
            "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = '{name}'"
        )),
        &mut admin,
    )
    .unwrap();
    assert!(terminated[0].n > 0, "kassa had connections open");

    let mut unavailable = 0;
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        let response = app.get("/api/v1/performances", None).await;
        last = response.status();
        assert!(
            last == StatusCode::OK || last == StatusCode::SERVICE_UNAVAILABLE,
            "a dropped connection is never a {last}"
        );
        if last == StatusCode::SERVICE_UNAVAILABLE {
            assert!(response.headers().contains_key("retry-after"));
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "unavailable");
            unavailable += 1;
        }
    }
    eprintln!("{unavailable} requests met a dropped connection");
    assert_eq!(last, StatusCode::OK, "kassa answers again by itself");
    let pool_size = app.settings.database.pool_size as usize;
    assert!(
        unavailable <= pool_size,
        "each dropped connection costs at most one request: {unavailable} > {pool_size}"
    );
}

#[derive(diesel::QueryableByName)]
struct TerminatedCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn readiness(app: &crate::helpers::TestApp) -> (StatusCode, Value) {
    let response = app.get("/health/ready", None).await;
    (response.status(), response.json().await.unwrap())
}

/// Ready once migrated; not ready while the database lacks a migration this kassa has (as
/// while another instance runs it, or after restoring an older copy), and ready again after.
#[tokio::test]
async fn ready_says_when_the_database_lacks_a_migration() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "ready", "database": "ok", "migrations": "done", "mail_worker": "off"})
    );
    let mut conn = app.db();
    let newest: Vec<Version> = diesel::sql_query(
        "SELECT version FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1",
    )
    .load(&mut conn)
    .unwrap();
    let version = &newest[0].version;
    diesel::sql_query(format!(
        "DELETE FROM __diesel_schema_migrations WHERE version = '{version}'"
    ))
    .execute(&mut conn)
    .unwrap();
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        (body["status"].clone(), body["migrations"].clone()),
        (json!("not_ready"), json!("pending"))
    );
    assert_eq!(
        app.get("/health", None).await.status(),
        StatusCode::OK,
        "alive all the same"
    );
    diesel::sql_query(format!(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('{version}')"
    ))
    .execute(&mut conn)
    .unwrap();
    assert_eq!(readiness(&app).await.0, StatusCode::OK);
}

#[derive(diesel::QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// The mail worker hangs on an SMTP server that accepts and never speaks: past
/// `mail.stuck_after_seconds` of silence the instance is not ready, though it still serves.
#[tokio::test]
async fn ready_fails_while_the_mail_worker_is_stuck() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut kept = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            kept.push(socket);
        }
    });
    let app = crate::helpers::spawn_app_with(move |s| {
        s.mail.transport = kassa::config::MailTransport::Smtp;
        s.mail.smtp.host = "127.0.0.1".into();
        s.mail.smtp.port = port;
        s.mail.smtp.tls = kassa::config::SmtpTls::None;
        s.mail.smtp.timeout_seconds = 30;
        s.mail.poll_seconds = 1;
        s.mail.stuck_after_seconds = 1;
    })
    .await;
    let (status, body) = readiness(&app).await;
    assert_eq!(
        (status, body["mail_worker"].clone()),
        (StatusCode::OK, json!("running"))
    );
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-02-11T19:00").await;
    app.book_online(performance, &seats[..1], json!({})).await;
    let mut stuck = None;
    for _ in 0..100 {
        let (status, body) = readiness(&app).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            stuck = Some(body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let body = stuck.expect("not ready within 10 s of the worker hanging");
    assert_eq!(body["mail_worker"], "stuck");
    assert_eq!(body["database"], "ok");
    assert_eq!(
        app.get("/api/v1/performances", None).await.status(),
        StatusCode::OK
    );
    held.abort();
}
