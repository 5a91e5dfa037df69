use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app, spawn_app_with};

async fn hold(app: &TestApp, performance: i64, seat_ids: &[i64]) -> reqwest::Response {
    app.post(
        &format!("/api/v1/performances/{performance}/holds"),
        None,
        &json!({ "seat_ids": seat_ids }),
    )
    .await
}

fn buyer(hold_token: &str) -> Value {
    json!({"hold_token": hold_token, "name": "Айгерим Сейтқали", "email": "aigerim@example.kz", "language": "kk"})
}

async fn seat_statuses(app: &TestApp, performance: i64) -> Vec<(i64, String)> {
    app.seat_statuses(performance).await
}

async fn book(app: &TestApp, performance: i64, seat_ids: &[i64]) -> Value {
    let held: Value = hold(app, performance, seat_ids).await.json().await.unwrap();
    let response = app
        .post(
            "/api/v1/bookings",
            None,
            &buyer(held["hold_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_seat_map_shows_prices_positions_and_who_holds_what() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let map: Value = app
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(map["performance_id"], performance);
    let first = &map["seats"][0];
    assert_eq!(
        (
            first["row"].as_i64(),
            first["number"].as_i64(),
            first["price"].as_i64()
        ),
        (Some(1), Some(1), Some(6000))
    );
    assert_eq!(map["seats"][2]["price"], 4500);
    assert_eq!(map["seats"][2]["accessible"], true);
    assert!(
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "available")
    );

    hold(&app, performance, &seats[..1]).await;
    let map: Value = app
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(map["seats"][0]["status"], "held");
    assert!(
        map["seats"][0]["held_until"]
            .as_str()
            .unwrap()
            .ends_with('Z'),
        "a held seat says when it frees up"
    );
}

#[tokio::test]
async fn a_hold_takes_all_seats_or_none() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let response = hold(&app, performance, &seats[..2]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let held: Value = response.json().await.unwrap();
    assert_eq!(held["total"], 12000);
    assert_eq!(held["seats"].as_array().unwrap().len(), 2);

    let error = error_of(
        hold(&app, performance, &[seats[1], seats[2]]).await,
        StatusCode::CONFLICT,
        "seats_unavailable",
    )
    .await;
    assert_eq!(error["details"]["seat_ids"], json!([seats[1]]));
    let statuses = seat_statuses(&app, performance).await;
    assert_eq!(
        statuses[2].1, "available",
        "nothing of a refused hold is held"
    );
}

#[tokio::test]
async fn holds_are_limited_and_checked() {
    let app = spawn_app_with(|s| s.booking.max_seats_per_hold = 2).await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    error_of(
        hold(&app, performance, &seats[..3]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    error_of(
        hold(&app, performance, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    error_of(
        hold(&app, performance, &[999_999]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    error_of(
        hold(&app, 999_999, &seats[..1]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A past performance is not on sale.
    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    let venue = app.create_venue(&director).await;
    let past: Value = app
        .schedule(
            &director,
            venue["id"].as_i64().unwrap(),
            production,
            "2024-02-11T19:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();
    let seat = venue["seats"][0]["id"].as_i64().unwrap();
    error_of(
        hold(&app, past["id"].as_i64().unwrap(), &[seat]).await,
        StatusCode::CONFLICT,
        "sales_closed",
    )
    .await;
}

#[tokio::test]
async fn a_hold_becomes_a_booking_with_tickets_and_a_queued_confirmation() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let booking = book(&app, performance, &seats[1..3]).await;

    let reference = booking["reference"].as_str().unwrap();
    assert_eq!(reference.len(), 8);
    assert!(!reference.contains(['0', 'O', '1', 'I']));
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["payment"], "unpaid");
    assert_eq!(booking["total"], 6000 + 4500);
    assert_eq!(booking["language"], "kk");
    assert_eq!(
        booking["performance"]["starts_at"],
        "2031-03-01T19:00:00+05:00"
    );
    let tickets = booking["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2);
    assert_eq!(
        tickets[0]["seat"],
        json!({"row": 1, "number": 2, "zone": "front"})
    );
    let codes: Vec<&str> = tickets
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert!(codes.iter().all(|c| c.len() == 26));
    assert_ne!(codes[0], codes[1]);

    let statuses = seat_statuses(&app, performance).await;
    assert_eq!(
        statuses.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(),
        ["available", "booked", "booked", "available"]
    );
    let listed: Value = app
        .get(&format!("/api/v1/performances/{performance}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["seats_available"], 2);
    assert_eq!(
        app.outbox(crate::booking_id_of(&app, reference)).await,
        ["booking_confirmed"]
    );
}

#[tokio::test]
async fn an_unknown_expired_or_used_hold_is_gone() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    error_of(
        app.post("/api/v1/bookings", None, &buyer("no-such-hold"))
            .await,
        StatusCode::GONE,
        "hold_expired",
    )
    .await;

    let held: Value = hold(&app, performance, &seats[..1])
        .await
        .json()
        .await
        .unwrap();
    let token = held["hold_token"].as_str().unwrap();
    assert_eq!(
        app.post("/api/v1/bookings", None, &buyer(token))
            .await
            .status(),
        StatusCode::CREATED
    );
    error_of(
        app.post("/api/v1/bookings", None, &buyer(token)).await,
        StatusCode::GONE,
        "hold_expired",
    )
    .await;

    let late: Value = hold(&app, performance, &seats[1..2])
        .await
        .json()
        .await
        .unwrap();
    app.expire_holds();
    error_of(
        app.post(
            "/api/v1/bookings",
            None,
            &buyer(late["hold_token"].as_str().unwrap()),
        )
        .await,
        StatusCode::GONE,
        "hold_expired",
    )
    .await;
    assert_eq!(
        seat_statuses(&app, performance).await[1].1,
        "available",
        "an expired hold stops counting at once"
    );
}

#[tokio::test]
async fn a_hold_that_expired_and_was_taken_by_another_buyer_cannot_become_a_booking() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let slow: Value = hold(&app, performance, &seats[..2])
        .await
        .json()
        .await
        .unwrap();
    app.expire_holds();
    let fast: Value = hold(&app, performance, &seats[1..2])
        .await
        .json()
        .await
        .unwrap();
    error_of(
        app.post(
            "/api/v1/bookings",
            None,
            &buyer(slow["hold_token"].as_str().unwrap()),
        )
        .await,
        StatusCode::GONE,
        "hold_expired",
    )
    .await;
    let booked = app
        .post(
            "/api/v1/bookings",
            None,
            &buyer(fast["hold_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(booked.status(), StatusCode::CREATED);
    let statuses = seat_statuses(&app, performance).await;
    assert_eq!(
        (statuses[0].1.as_str(), statuses[1].1.as_str()),
        ("available", "booked")
    );
}

#[tokio::test]
async fn a_released_hold_frees_its_seats() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let held: Value = hold(&app, performance, &seats[..1])
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/holds/{}", held["hold_token"].as_str().unwrap());
    assert_eq!(
        app.delete(&path, None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(seat_statuses(&app, performance).await[0].1, "available");
    error_of(
        app.delete(&path, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_same_idempotency_key_returns_the_same_booking_and_one_mail() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let held: Value = hold(&app, performance, &seats[..1])
        .await
        .json()
        .await
        .unwrap();
    let body = buyer(held["hold_token"].as_str().unwrap());
    let send = |body: Value| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/bookings"))
                .header("Idempotency-Key", "checkout-42")
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let first = send(body.clone()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone()).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.unwrap();
    assert_eq!(
        again, first,
        "a retry gets the same booking, manage token included"
    );

    let mut other = body.clone();
    other["name"] = json!("Someone Else");
    error_of(
        send(other).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    let reference = first["reference"].as_str().unwrap();
    assert_eq!(
        app.outbox(crate::booking_id_of(&app, reference)).await,
        ["booking_confirmed"],
        "no second mail"
    );
}

#[tokio::test]
async fn the_manage_token_shows_and_cancels_a_booking_exactly_once() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let booking = book(&app, performance, &seats[..2]).await;
    let reference = booking["reference"].as_str().unwrap();
    let token = booking["manage_token"].as_str().unwrap();
    let manage = |method: reqwest::Method, path: String, token: String| {
        let app = &app;
        async move {
            app.client
                .request(method, app.url(&path))
                .header("X-Manage-Token", token)
                .send()
                .await
                .unwrap()
        }
    };
    let shown = manage(
        reqwest::Method::GET,
        format!("/api/v1/bookings/{reference}"),
        token.to_owned(),
    )
    .await;
    assert_eq!(shown.status(), StatusCode::OK);
    let wrong = error_of(
        manage(
            reqwest::Method::GET,
            format!("/api/v1/bookings/{reference}"),
            "x".repeat(32),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let unknown = error_of(
        manage(
            reqwest::Method::GET,
            "/api/v1/bookings/ABCDEFGH".to_owned(),
            token.to_owned(),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        wrong, unknown,
        "a wrong token looks like an unknown reference"
    );

    let cancel = format!("/api/v1/bookings/{reference}/cancel");
    let cancelled: Value = manage(reqwest::Method::POST, cancel.clone(), token.to_owned())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert!(
        cancelled["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "void")
    );
    assert!(
        seat_statuses(&app, performance)
            .await
            .iter()
            .all(|(_, s)| s == "available")
    );

    // Someone else books a freed seat; a second cancel must not free it again.
    let other = book(&app, performance, &seats[..1]).await;
    let again = manage(reqwest::Method::POST, cancel, token.to_owned()).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(seat_statuses(&app, performance).await[0].1, "booked");
    assert_eq!(other["status"], "confirmed");
    assert_eq!(
        app.outbox(crate::booking_id_of(&app, reference)).await,
        ["booking_confirmed", "booking_cancelled"]
    );
}

#[tokio::test]
async fn cancelling_online_ends_before_the_start() {
    let app = spawn_app().await;
    let director = app.director().await;
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1))
        .with_timezone(&chrono_tz::Asia::Almaty)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let (performance, seats) = app.performance_on_sale(&director, &soon).await;
    let booking = book(&app, performance, &seats[..1]).await;
    let response = app
        .client
        .post(app.url(&format!(
            "/api/v1/bookings/{}/cancel",
            booking["reference"].as_str().unwrap()
        )))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    error_of(response, StatusCode::CONFLICT, "too_late").await;
}

#[tokio::test]
async fn cancelling_a_performance_cancels_its_bookings_and_tells_every_holder() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let first = book(&app, performance, &seats[..1]).await;
    let second = book(&app, performance, &seats[1..2]).await;
    let path = format!("/api/v1/performances/{performance}");

    app.patch(
        &path,
        Some(&director),
        &json!({"starts_at": "2031-03-02T19:00"}),
    )
    .await;
    app.patch(&path, Some(&director), &json!({"status": "cancelled"}))
        .await;
    for booking in [&first, &second] {
        let id = crate::booking_id_of(&app, booking["reference"].as_str().unwrap());
        assert_eq!(
            app.outbox(id).await,
            [
                "booking_confirmed",
                "performance_rescheduled",
                "performance_cancelled"
            ]
        );
    }
    let shown: Value = app
        .client
        .get(app.url(&format!(
            "/api/v1/bookings/{}",
            first["reference"].as_str().unwrap()
        )))
        .header("X-Manage-Token", first["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["status"], "cancelled");
}

#[tokio::test]
async fn a_blocked_seat_cannot_be_held_and_a_held_seat_cannot_be_blocked() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let blocks = format!("/api/v1/performances/{performance}/blocks");
    app.post(
        &blocks,
        Some(&director),
        &json!({"seat_ids": [seats[0]], "reason": "camera"}),
    )
    .await;
    error_of(
        hold(&app, performance, &seats[..1]).await,
        StatusCode::CONFLICT,
        "seats_unavailable",
    )
    .await;
    assert_eq!(seat_statuses(&app, performance).await[0].1, "blocked");
    hold(&app, performance, &seats[1..2]).await;
    error_of(
        app.post(
            &blocks,
            Some(&director),
            &json!({"seat_ids": [seats[1]], "reason": "camera"}),
        )
        .await,
        StatusCode::CONFLICT,
        "seats_unavailable",
    )
    .await;
}

#[tokio::test]
async fn a_seat_map_served_from_memory_follows_changes_made_by_another_instance() {
    let database = crate::helpers::TestDatabase::create();
    let one = crate::helpers::spawn_app_on(database.clone(), |_| {}).await;
    let other = crate::helpers::spawn_app_on(database, |_| {}).await;
    let director = one.director().await;
    let (performance, seats) = one.performance_on_sale(&director, "2031-03-01T19:00").await;
    let statuses = |app| seat_statuses(app, performance);
    assert!(statuses(&one).await.iter().all(|(_, s)| s == "available"));
    assert!(
        statuses(&one).await.iter().all(|(_, s)| s == "available"),
        "asked again, from memory"
    );

    // Held through the other instance: this one must not serve its kept map.
    assert_eq!(
        hold(&other, performance, &[seats[0]]).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(statuses(&one).await[0].1, "held");
    // A hold that ended frees its seat.
    one.expire_holds();
    assert_eq!(statuses(&one).await[0].1, "available");

    // A new price, set through the other instance, is the price this one shows.
    let changed = other
        .patch(
            &format!("/api/v1/performances/{performance}"),
            Some(&director),
            &json!({"prices": {"front": 7000, "standard": 5000}}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let map: Value = one
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(map["seats"][0]["price"], 7000);
}

#[tokio::test]
async fn manage_links_point_at_the_address_served_unless_public_url_says_otherwise() {
    // Port 0 and no public_url: the links name the port the server really took.
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let booking = book(&app, performance, &seats[..1]).await;
    let manage_url = booking["manage_url"].as_str().unwrap();
    assert!(
        manage_url.starts_with(&format!("{}/bookings/", app.address)),
        "{manage_url} is under {}",
        app.address
    );

    let behind_a_proxy = spawn_app_with(|settings| {
        settings.server.public_url = "https://tickets.2act.example/".into();
    })
    .await;
    let director = behind_a_proxy.director().await;
    let (performance, seats) = behind_a_proxy
        .performance_on_sale(&director, "2031-03-01T19:00")
        .await;
    let booking = book(&behind_a_proxy, performance, &seats[..1]).await;
    assert!(
        booking["manage_url"]
            .as_str()
            .unwrap()
            .starts_with("https://tickets.2act.example/bookings/")
    );
}
