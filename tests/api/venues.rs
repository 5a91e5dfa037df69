use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn a_venue_is_created_with_its_seat_plan() {
    let app = spawn_app().await;
    let director = app.director().await;
    let venue = app.create_venue(&director).await;
    assert_eq!(venue["timezone"], "Asia/Almaty");
    let seats = venue["seats"].as_array().unwrap();
    assert_eq!(seats.len(), 4);
    assert!(seats.iter().all(|s| s["id"].as_i64().is_some()));
    assert_eq!(seats[2]["zone"], "standard");
    assert_eq!(seats[2]["accessible"], true);

    let fetched: Value = app
        .get(&format!("/api/v1/venues/{}", venue["id"]), Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, venue);
    let listed: Value = app
        .get("/api/v1/venues", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([venue]));
}

#[tokio::test]
async fn a_bad_seat_plan_is_refused_naming_the_seat() {
    let app = spawn_app().await;
    let director = app.director().await;
    let seat = |row: i32, number: i32| json!({"row": row, "number": number, "zone": "front", "x": 0, "y": 0});
    for (field, timezone, seats) in [
        ("seats[1]", "Asia/Almaty", json!([seat(1, 1), seat(1, 1)])),
        ("seats[0].row", "Asia/Almaty", json!([seat(0, 1)])),
        ("seats", "Asia/Almaty", json!([])),
        ("timezone", "UTC+5", json!([seat(1, 1)])),
    ] {
        let body =
            json!({"name": "Hall", "address": "Almaty", "timezone": timezone, "seats": seats});
        let error = error_of(
            app.post("/api/v1/venues", Some(&director), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error["details"]["field"], field);
    }
    let listed: Value = app
        .get("/api/v1/venues", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]), "a refused plan leaves nothing behind");
}

#[tokio::test]
async fn a_companion_seat_names_its_wheelchair_space_on_the_plan_and_the_map() {
    let app = spawn_app().await;
    let director = app.director().await;
    let plan = |companion_of: Value| {
        json!({
            "name": "2act studio", "address": "Almaty", "timezone": "Asia/Almaty",
            "seats": [
                {"row": 6, "number": 1, "zone": "standard", "x": 0, "y": 0, "accessible": true},
                {"row": 6, "number": 3, "zone": "standard", "x": 80, "y": 0, "companion_of": companion_of},
                {"row": 6, "number": 5, "zone": "standard", "x": 160, "y": 0}
            ]
        })
    };
    let refused = error_of(
        app.post(
            "/api/v1/venues",
            Some(&director),
            &plan(json!({"row": 6, "number": 5})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        refused["details"]["field"], "seats[1].companion_of",
        "seat 5 is no wheelchair space"
    );

    let response = app
        .post(
            "/api/v1/venues",
            Some(&director),
            &plan(json!({"row": 6, "number": 1})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let venue: Value = response.json().await.unwrap();
    let seats = venue["seats"].as_array().unwrap();
    let (space, companion) = (&seats[0], &seats[1]);
    assert_eq!(companion["companion_of"], space["id"]);
    assert!(
        seats[2].get("companion_of").is_none(),
        "an ordinary seat names none"
    );

    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    let scheduled: Value = app
        .post(
            "/api/v1/performances",
            Some(&director),
            &json!({"production_id": production, "venue_id": venue["id"], "starts_at": "2031-03-01T19:00",
                    "prices": {"standard": 4500}, "status": "published"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let map: Value = app
        .get(
            &format!("/api/v1/performances/{}/seats", scheduled["id"]),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(map["seats"][1]["companion_of"], space["id"]);
    let page = app
        .get(&format!("/performances/{}", scheduled["id"]), None)
        .await
        .text()
        .await
        .unwrap();
    let companion_id = companion["id"].as_i64().unwrap();
    let seat = &page[page
        .find(&format!("data-seat-id=\"{companion_id}\""))
        .unwrap()..];
    let label = seat
        .split("aria-label=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        label.starts_with("Ряд 6, место 3")
            && label.ends_with("(место сопровождающего зрителя на коляске)"),
        "the companion seat is labelled for screen readers: {label}"
    );
}
