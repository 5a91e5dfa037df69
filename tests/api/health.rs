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
