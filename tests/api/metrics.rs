//! `GET /metrics`: what it counts, and who may read it. The recorder is one per process, so the
//! request counters include other tests' requests (they are compared with `>=`); the gauges are
//! set at each scrape, and only the first test here reads them.

use reqwest::StatusCode;
use serde_json::json;

use crate::door::{booked, code, scan};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// The value of the first sample whose name and labels contain every one of `parts`.
fn sample(text: &str, name: &str, parts: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.split(['{', ' ']).next() == Some(name) && parts.iter().all(|p| line.contains(p))
        })
        .find_map(|line| line.rsplit(' ').next()?.parse().ok())
}

async fn scrape(app: &TestApp) -> String {
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_read_the_box_office_at_each_scrape() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats, booking) = booked(&app, &director, "Айгерим").await;
    for _ in 0..3 {
        let map = app
            .get(&format!("/api/v1/performances/{performance}/seats"), None)
            .await;
        assert_eq!(map.status(), StatusCode::OK);
    }
    let missing = app.get("/api/v1/performances/999999/seats", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let held = app
        .post(
            &format!("/api/v1/performances/{performance}/holds"),
            None,
            &json!({"seat_ids": [seats[3]]}),
        )
        .await;
    assert_eq!(held.status(), StatusCode::CREATED);
    let (admitted, _) = scan(&app, &staff, &code(&booking, 0), performance, "in").await;
    assert_eq!(admitted, StatusCode::OK);
    app.courier().deliver_due().await.unwrap();

    let text = scrape(&app).await;
    let seats_route = r#"route="/api/v1/performances/{id}/seats""#;
    let requests = |status: &str| {
        sample(
            &text,
            "kassa_http_requests_total",
            &[
                r#"method="GET""#,
                seats_route,
                &format!(r#"status="{status}""#),
            ],
        )
    };
    assert!(requests("200").is_some_and(|n| n >= 3.0), "{text}");
    assert!(
        requests("404").is_some_and(|n| n >= 1.0),
        "one series per pattern, not per id"
    );
    assert!(
        !text.contains("/api/v1/performances/999999"),
        "paths never become labels"
    );
    let timed = sample(
        &text,
        "kassa_http_request_duration_seconds_count",
        &[seats_route],
    );
    assert!(timed.is_some_and(|n| n >= 4.0), "{text}");
    assert!(
        text.contains("kassa_http_request_duration_seconds_bucket{"),
        "a histogram with buckets"
    );
    assert!(sample(&text, "kassa_db_pool_wait_seconds_count", &[]).is_some_and(|n| n >= 1.0));
    assert_eq!(sample(&text, "kassa_database_up", &[]), Some(1.0));
    let pool_size = f64::from(app.settings.database.pool_size);
    assert_eq!(sample(&text, "kassa_db_pool_size", &[]), Some(pool_size));
    let in_use = sample(&text, "kassa_db_pool_connections", &[r#"state="in_use""#]).unwrap();
    let idle = sample(&text, "kassa_db_pool_connections", &[r#"state="idle""#]).unwrap();
    assert!(
        idle >= 1.0 && in_use + idle <= pool_size,
        "{in_use} in use, {idle} idle"
    );

    // The box office as the database has it now.
    assert_eq!(sample(&text, "kassa_holds_live", &[]), Some(1.0), "{text}");
    assert_eq!(
        sample(&text, "kassa_bookings", &[r#"status="confirmed""#]),
        Some(1.0),
        "{text}"
    );
    assert_eq!(sample(&text, "kassa_admissions", &[]), Some(1.0));
    assert_eq!(
        sample(&text, "kassa_outbox_messages", &[r#"status="pending""#]),
        Some(0.0)
    );
    assert_eq!(
        sample(&text, "kassa_outbox_messages", &[r#"status="failed""#]),
        Some(0.0)
    );
    assert!(
        sample(&text, "kassa_mail_attempts_total", &[r#"outcome="sent""#])
            .is_some_and(|n| n >= 1.0)
    );
    assert!(
        sample(
            &text,
            "kassa_mail_send_duration_seconds_count",
            &[r#"outcome="sent""#]
        )
        .is_some_and(|n| n >= 1.0)
    );

    // The hold lapses and a second booking comes: the next scrape says so.
    app.expire_holds();
    app.book_online(performance, &seats[2..3], json!({})).await;
    let text = scrape(&app).await;
    assert_eq!(sample(&text, "kassa_holds_live", &[]), Some(0.0));
    assert_eq!(
        sample(&text, "kassa_bookings", &[r#"status="confirmed""#]),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, "kassa_outbox_messages", &[r#"status="pending""#]),
        Some(1.0)
    );
}

#[tokio::test]
async fn metrics_are_for_the_allowed_addresses_or_the_bearer_token() {
    // Loopback is allowed by default, but not through a proxy on the same machine.
    let app = spawn_app().await;
    let proxied = app
        .client
        .get(app.url("/metrics"))
        .header("X-Forwarded-For", "203.0.113.7")
        .send()
        .await
        .unwrap();
    crate::helpers::error_of(proxied, StatusCode::FORBIDDEN, "forbidden").await;

    let token = "a-long-token-for-prometheus";
    let app = spawn_app_with(|s| {
        s.metrics.allow = vec![];
        s.metrics.token = Some(token.to_owned());
    })
    .await;
    let with = |bearer: &'static str| {
        app.client
            .get(app.url("/metrics"))
            .header("Authorization", format!("Bearer {bearer}"))
            .send()
    };
    crate::helpers::error_of(
        app.get("/metrics", None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    crate::helpers::error_of(
        with("a-long-token-for-prometheuS").await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let admitted = with("a-long-token-for-prometheus").await.unwrap();
    assert_eq!(admitted.status(), StatusCode::OK);
    assert!(
        admitted
            .text()
            .await
            .unwrap()
            .contains("kassa_http_requests_total")
    );

    let off = spawn_app_with(|s| s.metrics.enabled = false).await;
    crate::helpers::error_of(
        off.get("/metrics", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
