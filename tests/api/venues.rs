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
