//! Races real requests against the running server: the database, not luck, decides.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

const RACERS: usize = 200;

fn tally(statuses: &[StatusCode]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for status in statuses {
        *counts.entry(status.as_u16()).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_buyers_racing_for_one_seat_get_exactly_one_hold() {
    let app = spawn_app_with(|s| s.database.pool_size = 8).await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let url = app.url(&format!("/api/v1/performances/{performance}/holds"));
    let seat = seats[0];
    let racers = (0..RACERS).map(|_| {
        let (client, url) = (app.client.clone(), url.clone());
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"seat_ids": [seat]}))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let counts = tally(&statuses);
    eprintln!("hold race on {}: {counts:?}", app.backend());
    assert_eq!(counts.get(&201), Some(&1), "{counts:?}");
    assert_eq!(
        counts.get(&409),
        Some(&(RACERS - 1)),
        "the rest are refused, none fails: {counts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bookings_racing_for_overlapping_seats_never_share_a_seat() {
    let app = spawn_app_with(|s| s.database.pool_size = 8).await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let hold_url = app.url(&format!("/api/v1/performances/{performance}/holds"));
    let book_url = app.url("/api/v1/bookings");
    // Every racer wants two neighbouring seats of four: each pair overlaps two others.
    let racers = (0..RACERS).map(|i| {
        let (client, hold_url, book_url) = (app.client.clone(), hold_url.clone(), book_url.clone());
        let pair = [seats[i % 3], seats[i % 3 + 1]];
        tokio::spawn(async move {
            let held = client.post(hold_url).json(&json!({"seat_ids": pair})).send().await.unwrap();
            if held.status() != StatusCode::CREATED {
                return (held.status(), None);
            }
            let token = held.json::<Value>().await.unwrap()["hold_token"].as_str().unwrap().to_owned();
            let body = json!({"hold_token": token, "name": "Racer", "email": "racer@example.kz", "language": "ru"});
            let booked = client.post(book_url).json(&body).send().await.unwrap();
            let status = booked.status();
            let seats: Option<Vec<i64>> = if status == StatusCode::CREATED {
                let booking: Value = booked.json().await.unwrap();
                Some(booking["tickets"].as_array().unwrap().iter().map(|t| t["seat"]["number"].as_i64().unwrap() * 10 + t["seat"]["row"].as_i64().unwrap()).collect())
            } else {
                None
            };
            (status, seats)
        })
    });
    let outcomes: Vec<(StatusCode, Option<Vec<i64>>)> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let statuses: Vec<StatusCode> = outcomes.iter().map(|(s, _)| *s).collect();
    let counts = tally(&statuses);
    eprintln!("booking race on {}: {counts:?}", app.backend());
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "only 201 or 409: {counts:?}"
    );
    let mut sold: Vec<i64> = outcomes
        .into_iter()
        .filter_map(|(_, seats)| seats)
        .flatten()
        .collect();
    let tickets = sold.len();
    sold.sort_unstable();
    sold.dedup();
    assert_eq!(sold.len(), tickets, "no seat was sold twice");
    assert!(tickets >= 2, "someone booked");
    let map: Value = app
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    let booked = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "booked")
        .count();
    assert_eq!(booked, tickets, "the map shows exactly the seats sold");
}

/// The control: the same race against a check-then-insert with no constraint behind it. Seeing
/// duplicates here shows the races above are real, and that the constraint is what stops them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_the_constraint_the_same_race_sells_a_seat_twice() {
    use diesel::RunQueryDsl;
    let app = spawn_app_with(|s| s.database.pool_size = 8).await;
    diesel::sql_query(
        "CREATE TABLE naive_claims (performance_id INTEGER NOT NULL, seat_id INTEGER NOT NULL)",
    )
    .execute(&mut app.db())
    .unwrap();
    let pool = app.pool();
    // How many racers found the seat free: each waits (up to 2 s) until someone else has too,
    // which is the window a handler has between its check and its insert, held open.
    let saw_free = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let racers = (0..RACERS).map(|_| {
        let (pool, saw_free) = (pool.clone(), saw_free.clone());
        tokio::task::spawn_blocking(move || {
            use std::sync::atomic::Ordering;
            let mut conn = pool.get().unwrap();
            let taken: Count = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM naive_claims WHERE performance_id = 1 AND seat_id = 1",
            )
            .get_result(&mut conn)
            .unwrap();
            if taken.n == 0 {
                saw_free.fetch_add(1, Ordering::SeqCst);
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
                while saw_free.load(Ordering::SeqCst) < 2 && std::time::Instant::now() < deadline {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                diesel::sql_query("INSERT INTO naive_claims VALUES (1, 1)")
                    .execute(&mut conn)
                    .unwrap();
            }
        })
    });
    futures::future::join_all(racers).await;
    let sold: Count = diesel::sql_query("SELECT COUNT(*) AS n FROM naive_claims")
        .get_result(&mut app.db())
        .unwrap();
    eprintln!(
        "control race on {}: seat sold {} times",
        app.backend(),
        sold.n
    );
    assert!(
        sold.n > 1,
        "the naive check-then-insert sold the seat {} times",
        sold.n
    );
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
