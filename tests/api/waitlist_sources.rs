//! Every way seats come back reaches the waiting list: a lifted house seat and an exchange out
//! in their own transactions, a checkout that ran out and an unpaid reservation that lapsed on
//! the worker's clock.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

/// The offered entry's email → status, in line order.
async fn line(app: &TestApp, director: &Session, performance: i64) -> Vec<(String, String)> {
    let body: Value = app
        .get(
            &format!("/api/v1/performances/{performance}/waitlist"),
            Some(director),
        )
        .await
        .json()
        .await
        .unwrap();
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().to_owned(),
                e["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn statuses(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(e, s)| (e.to_string(), s.to_string()))
        .collect()
}

#[tokio::test]
async fn a_lifted_block_an_exchange_out_an_expired_hold_and_a_lapsed_reservation_are_offered() {
    let app = spawn_app().await;
    let director = app.director().await;
    let venue = app.create_venue(&director).await;
    let seats: Vec<i64> = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let production = app.create_production(&director).await;
    let mut dates = Vec::new();
    for (starts_at, release) in [
        ("2031-03-01T19:00", json!(30)),
        ("2031-03-08T19:00", json!(null)),
    ] {
        let performance: Value = app
            .post(
                "/api/v1/performances",
                Some(&director),
                &json!({"production_id": production["id"], "venue_id": venue["id"], "starts_at": starts_at,
                        "prices": {"front": 6000, "standard": 4500}, "release_unpaid_minutes": release,
                        "status": "published"}),
            )
            .await
            .json()
            .await
            .unwrap();
        dates.push(performance["id"].as_i64().unwrap());
    }
    let first = dates[0];

    // Sold out four ways: a house seat, two unpaid bookings, a checkout in progress.
    let blocked: Value = app
        .post(
            &format!("/api/v1/performances/{first}/blocks"),
            Some(&director),
            &json!({"seat_ids": [seats[0]], "reason": "house seat"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let moving = app
        .book_online(first, &[seats[1]], json!({"email": "moving@example.kz"}))
        .await;
    app.book_online(first, &[seats[2]], json!({"email": "unpaid@example.kz"}))
        .await;
    let held = app
        .post(
            &format!("/api/v1/performances/{first}/holds"),
            None,
            &json!({"seat_ids": [seats[3]]}),
        )
        .await;
    assert_eq!(held.status(), StatusCode::CREATED);
    for i in 1..=4 {
        let joined = app
            .post(
                &format!("/api/v1/performances/{first}/waitlist"),
                None,
                &json!({"name": "W", "email": format!("w{i}@example.kz"), "language": "ru", "seats": 1}),
            )
            .await;
        assert_eq!(joined.status(), StatusCode::CREATED);
    }

    // The house seat lifted: offered in the same request.
    let block = blocked["blocks"][0]["id"].as_i64().unwrap();
    let lifted = app
        .delete(
            &format!("/api/v1/performances/{first}/blocks/{block}"),
            Some(&director),
        )
        .await;
    assert_eq!(lifted.status(), StatusCode::NO_CONTENT);
    assert_eq!(line(&app, &director, first).await[0].1, "offered");

    // An exchange to the other date: its old seat offered in the same request.
    let reference = moving["reference"].as_str().unwrap();
    let moved = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/exchange")))
        .header("X-Manage-Token", moving["manage_token"].as_str().unwrap())
        .json(&json!({"performance_id": dates[1], "seat_ids": [seats[1]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(line(&app, &director, first).await[1].1, "offered");

    // The checkout runs out (the offers' holds do not): the worker's round offers its seat.
    {
        use diesel::RunQueryDsl;
        let past = "2000-01-01 00:00:00";
        let checkouts = "SELECT id FROM holds WHERE waitlist_entry_id IS NULL";
        let mut conn = app.db();
        diesel::sql_query(format!(
            "UPDATE holds SET expires_at = '{past}' WHERE id IN ({checkouts})"
        ))
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(format!(
            "UPDATE seat_claims SET expires_at = '{past}' WHERE hold_id IN ({checkouts})"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let round = app.courier().round(chrono::Utc::now()).await.unwrap();
    assert_eq!(round.offered, 1);
    assert_eq!(
        line(&app, &director, first).await,
        statuses(&[
            ("w1@example.kz", "offered"),
            ("w2@example.kz", "offered"),
            ("w3@example.kz", "offered"),
            ("w4@example.kz", "waiting"),
        ])
    );

    // 30 minutes before the start the unpaid reservation lapses, and its seat goes to w4 in the
    // same transaction (the earlier offers ran out long before, in 2026).
    let deadline = chrono::DateTime::parse_from_rfc3339("2031-03-01T13:31:00Z")
        .unwrap()
        .to_utc();
    let round = app.courier().round(deadline).await.unwrap();
    assert_eq!(round.released, 1);
    let now = line(&app, &director, first).await;
    assert_eq!(
        now[3],
        ("w4@example.kz".to_owned(), "offered".to_owned()),
        "{now:?}"
    );
    let map: std::collections::HashMap<i64, String> =
        app.seat_statuses(first).await.into_iter().collect();
    assert_eq!(
        map[&seats[2]], "held",
        "the lapsed reservation's seat is w4's"
    );
}
