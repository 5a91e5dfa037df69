//! Wheelchair spaces sold with their companion seats: a companion seat goes only with its space
//! until `booking.companion_release_hours` before the start, then as an ordinary seat; the same
//! rule online, at the door, in an exchange and for the waiting list.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app, spawn_app_with};

/// A hall of a wheelchair space (6-1), its companion seat (6-3) and an ordinary seat (6-5),
/// with two published dates: (dates, [space, companion, ordinary]).
async fn hall_with_a_space(app: &TestApp, director: &Session) -> (Vec<i64>, Vec<i64>) {
    let venue: Value = app
        .post(
            "/api/v1/venues",
            Some(director),
            &json!({
                "name": "2act studio", "address": "Almaty", "timezone": "Asia/Almaty",
                "seats": [
                    {"row": 6, "number": 1, "zone": "standard", "x": 0, "y": 0, "accessible": true},
                    {"row": 6, "number": 3, "zone": "standard", "x": 80, "y": 0, "companion_of": {"row": 6, "number": 1}},
                    {"row": 6, "number": 5, "zone": "standard", "x": 160, "y": 0}
                ]
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    let production = app.create_production(director).await["id"]
        .as_i64()
        .unwrap();
    let mut dates = Vec::new();
    for starts_at in ["2031-03-01T19:00", "2031-03-08T19:00"] {
        let performance: Value = app
            .post(
                "/api/v1/performances",
                Some(director),
                &json!({"production_id": production, "venue_id": venue["id"], "starts_at": starts_at,
                        "prices": {"standard": 4500}, "status": "published"}),
            )
            .await
            .json()
            .await
            .unwrap();
        dates.push(performance["id"].as_i64().unwrap());
    }
    let seats = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    (dates, seats)
}

async fn hold(app: &TestApp, performance: i64, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/performances/{performance}/holds"),
        None,
        &body,
    )
    .await
}

#[tokio::test]
async fn a_companion_seat_goes_only_with_its_wheelchair_space_online_and_at_the_door() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (dates, seats) = hall_with_a_space(&app, &director).await;
    let (space, companion, ordinary) = (seats[0], seats[1], seats[2]);

    let refused = error_of(
        hold(&app, dates[0], json!({"seat_ids": [companion, ordinary]})).await,
        StatusCode::CONFLICT,
        "companion_seat",
    )
    .await;
    assert_eq!(refused["details"]["seat_ids"], json!([companion]));
    assert_eq!(refused["details"]["release_hours"], 24);
    let statuses: std::collections::HashMap<i64, String> =
        app.seat_statuses(dates[0]).await.into_iter().collect();
    assert_eq!(statuses[&ordinary], "available", "nothing was held");

    // The space with its companion: one hold of both seats.
    let response = hold(
        &app,
        dates[0],
        json!({"seat_ids": [space], "with_companions": true}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let held: Value = response.json().await.unwrap();
    let ids: Vec<i64> = held["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [space, companion]);

    // At the door, on the other date: the same rule.
    let sales = format!("/api/v1/performances/{}/sales", dates[1]);
    let alone = json!({"seat_ids": [companion], "payment": "cash"});
    error_of(
        app.post(&sales, Some(&staff), &alone).await,
        StatusCode::CONFLICT,
        "companion_seat",
    )
    .await;
    let both = json!({"seat_ids": [space], "payment": "cash", "with_companions": true});
    let sold = app.post(&sales, Some(&staff), &both).await;
    assert_eq!(sold.status(), StatusCode::CREATED);
    let sold: Value = sold.json().await.unwrap();
    assert_eq!(
        sold["tickets"].as_array().unwrap().len(),
        2,
        "the space and its companion"
    );
}

#[tokio::test]
async fn a_wheelchair_space_may_be_booked_alone_and_its_companion_seat_still_waits() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (dates, seats) = hall_with_a_space(&app, &director).await;
    let (space, companion) = (seats[0], seats[1]);
    let alone = hold(&app, dates[0], json!({"seat_ids": [space]})).await;
    assert_eq!(alone.status(), StatusCode::CREATED);
    error_of(
        hold(&app, dates[0], json!({"seat_ids": [companion]})).await,
        StatusCode::CONFLICT,
        "companion_seat",
    )
    .await;

    // The waiting list: with the space taken and the ordinary seat booked, the kept companion
    // seat is not a free seat, so the performance takes names.
    app.book_online(dates[0], &[seats[2]], json!({})).await;
    let joined = app
        .post(
            &format!("/api/v1/performances/{}/waitlist", dates[0]),
            None,
            &json!({"name": "Dana", "email": "dana@example.kz", "language": "ru", "seats": 1}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn within_the_release_hours_a_companion_seat_is_an_ordinary_seat() {
    // Released 100 000 hours before the start: the 2031 dates are already inside the window.
    let app = spawn_app_with(|settings| settings.booking.companion_release_hours = 100_000).await;
    let director = app.director().await;
    let (dates, seats) = hall_with_a_space(&app, &director).await;
    let response = hold(&app, dates[0], json!({"seat_ids": [seats[1]]})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_exchange_takes_a_wheelchair_space_with_its_companion_seat() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (dates, seats) = hall_with_a_space(&app, &director).await;
    let (space, companion, ordinary) = (seats[0], seats[1], seats[2]);
    // The space with its companion, booked on the first date.
    let held: Value = hold(
        &app,
        dates[0],
        json!({"seat_ids": [space], "with_companions": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    let booked = app
        .post(
            "/api/v1/bookings",
            None,
            &json!({"hold_token": held["hold_token"], "name": "Алия", "email": "a@example.kz", "language": "kk"}),
        )
        .await;
    assert_eq!(booked.status(), StatusCode::CREATED);
    let booking: Value = booked.json().await.unwrap();
    let reference = booking["reference"].as_str().unwrap();
    let exchange = |body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/bookings/{reference}/exchange")))
            .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
            .json(&body)
            .send()
    };
    error_of(
        exchange(json!({"performance_id": dates[1], "seat_ids": [companion, ordinary]}))
            .await
            .unwrap(),
        StatusCode::CONFLICT,
        "companion_seat",
    )
    .await;
    let moved =
        exchange(json!({"performance_id": dates[1], "seat_ids": [space], "with_companions": true}))
            .await
            .unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["performance"]["id"], dates[1]);
    assert_eq!(moved["tickets"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn buyers_racing_for_a_wheelchair_space_and_its_companion_seat_leave_one_owner_of_each() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (dates, seats) = hall_with_a_space(&app, &director).await;
    let (space, companion, ordinary) = (seats[0], seats[1], seats[2]);
    // Twelve buyers at once: a third want the space with its companion, a third the space
    // alone, a third the companion seat with the ordinary one (refused: its space is not theirs).
    let bodies = [
        json!({"seat_ids": [space], "with_companions": true}),
        json!({"seat_ids": [space]}),
        json!({"seat_ids": [companion, ordinary]}),
    ];
    let racers = (0..12).map(|i| hold(&app, dates[0], bodies[i % 3].clone()));
    let answers = futures::future::join_all(racers).await;
    let mut won = Vec::new();
    for answer in answers {
        let status = answer.status();
        let body: Value = answer.json().await.unwrap();
        match status {
            StatusCode::CREATED => won.push(
                body["seats"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["id"].as_i64().unwrap())
                    .collect::<Vec<_>>(),
            ),
            StatusCode::CONFLICT => assert!(
                ["seats_unavailable", "companion_seat"]
                    .contains(&body["error"]["code"].as_str().unwrap()),
                "{body}"
            ),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(won.len(), 1, "one hold has the space: {won:?}");
    let statuses: std::collections::HashMap<i64, String> =
        app.seat_statuses(dates[0]).await.into_iter().collect();
    assert_eq!(statuses[&space], "held");
    assert_eq!(
        statuses[&companion] == "held",
        won[0].contains(&companion),
        "the companion seat is held only with its space"
    );
    assert_eq!(
        statuses[&ordinary], "available",
        "no buyer of the companion seat alone won"
    );
}
