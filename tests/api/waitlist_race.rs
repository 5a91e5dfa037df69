//! Freed seats raced: cancellations at once, buyers grabbing the freed seats, and the workers
//! of two instances making offers at the same moment. Each seat goes to one entry, in line
//! order, and no buyer gets a seat the line was offered.

use std::collections::HashMap;

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn freed_seats_go_once_each_to_the_first_in_line_however_the_requests_race() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-06-01T19:00").await;
    let mut bookings = Vec::new();
    for (i, seat) in seats.iter().enumerate() {
        let email = format!("holder{i}@example.kz");
        bookings.push(
            app.book_online(performance, &[*seat], json!({"email": email}))
                .await,
        );
    }
    let mut line = Vec::new();
    for i in 0..6 {
        let response = app
            .post(
                &format!("/api/v1/performances/{performance}/waitlist"),
                None,
                &json!({"name": "W", "email": format!("w{i}@example.kz"), "language": "kk", "seats": 1}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        line.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }

    let cancellations = bookings.iter().map(|booking| {
        let reference = booking["reference"].as_str().unwrap().to_owned();
        let token = booking["manage_token"].as_str().unwrap().to_owned();
        let request = app
            .client
            .post(app.url(&format!("/api/v1/bookings/{reference}/cancel")))
            .header("X-Manage-Token", token);
        async move { request.send().await.unwrap().status() }
    });
    let buyers = seats.iter().cycle().take(16).map(|seat| {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/performances/{performance}/holds")))
            .json(&json!({"seat_ids": [seat]}));
        async move { request.send().await.unwrap().status() }
    });
    let (one, other) = (app.courier(), app.courier_of_another_instance());
    let now = chrono::Utc::now();
    let (cancelled, bought, rounds) = tokio::join!(
        futures::future::join_all(cancellations),
        futures::future::join_all(buyers),
        futures::future::join(one.round(now), other.round(now)),
    );
    assert!(
        cancelled.iter().all(|s| *s == StatusCode::OK),
        "{cancelled:?}"
    );
    assert!(
        bought.iter().all(|s| *s == StatusCode::CONFLICT),
        "no buyer gets a seat freed for the line: {bought:?}"
    );
    rounds.0.unwrap();
    rounds.1.unwrap();
    // A round after the race offers nothing more: every seat is offered already.
    assert_eq!(
        app.courier()
            .round(chrono::Utc::now())
            .await
            .unwrap()
            .offered,
        0
    );

    // Each seat is held by exactly one offer, each offer is one entry's, and the first four in
    // line have them.
    use kassa::db::schema::{holds, seat_claims, waitlist_entries};
    let mut conn = app.db();
    let offers: Vec<(i32, Option<i32>)> = seat_claims::table
        .inner_join(holds::table)
        .filter(seat_claims::performance_id.eq(performance as i32))
        .select((seat_claims::seat_id, holds::waitlist_entry_id))
        .load(&mut conn)
        .unwrap();
    assert_eq!(offers.len(), 4, "{offers:?}");
    let mut by_entry: HashMap<i32, usize> = HashMap::new();
    for (_, entry) in &offers {
        *by_entry.entry(entry.expect("an offer's hold")).or_default() += 1;
    }
    assert!(by_entry.values().all(|seats| *seats == 1), "{by_entry:?}");
    let statuses: Vec<(i32, String)> = waitlist_entries::table
        .filter(waitlist_entries::performance_id.eq(performance as i32))
        .order(waitlist_entries::id)
        .select((waitlist_entries::id, waitlist_entries::status))
        .load(&mut conn)
        .unwrap();
    let expected: Vec<(i32, String)> = line
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                *id as i32,
                if i < 4 { "offered" } else { "waiting" }.to_owned(),
            )
        })
        .collect();
    assert_eq!(statuses, expected);
    let offered: Vec<i32> = expected.iter().take(4).map(|(id, _)| *id).collect();
    let mut holders: Vec<i32> = by_entry.keys().copied().collect();
    holders.sort_unstable();
    assert_eq!(holders, offered);
}
