use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn house_seats_come_off_sale_for_one_performance_and_go_back_on() {
    let app = spawn_app().await;
    let director = app.director().await;
    let venue = app.create_venue(&director).await;
    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    let venue_id = venue["id"].as_i64().unwrap();
    let performance: Value = app
        .schedule(
            &director,
            venue_id,
            production,
            "2031-03-01T19:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();
    let other: Value = app
        .schedule(
            &director,
            venue_id,
            production,
            "2031-03-02T19:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();
    let seat_ids: Vec<i64> = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let blocks_path = format!("/api/v1/performances/{}/blocks", performance["id"]);

    let response = app.post(&blocks_path, Some(&director), &json!({"seat_ids": seat_ids, "reason": "house seats", "release_at": "2031-03-01T18:00"})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let blocks = created["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0]["reason"], "house seats");
    assert_eq!(blocks[0]["release_at"], "2031-03-01T18:00:00+05:00");

    let blocked: Value = app
        .get(&format!("/api/v1/performances/{}", performance["id"]), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            blocked["seats_total"].as_i64(),
            blocked["seats_available"].as_i64()
        ),
        (Some(4), Some(2))
    );
    let untouched: Value = app
        .get(&format!("/api/v1/performances/{}", other["id"]), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        untouched["seats_available"], 4,
        "a block is for one performance only"
    );

    let error = error_of(
        app.post(
            &blocks_path,
            Some(&director),
            &json!({"seat_ids": [seat_ids[0]], "reason": "again"}),
        )
        .await,
        StatusCode::CONFLICT,
        "seats_already_blocked",
    )
    .await;
    assert_eq!(error["details"]["seat_ids"], json!([seat_ids[0]]));

    let block_id = blocks[0]["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("{blocks_path}/{block_id}"), Some(&director))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    error_of(
        app.delete(&format!("{blocks_path}/{block_id}"), Some(&director))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let listed: Value = app
        .get(&blocks_path, Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["blocks"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn seats_of_another_hall_or_a_past_release_are_refused() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let elsewhere = app.create_venue(&director).await;
    let performance: Value = app
        .schedule(
            &director,
            venue,
            production,
            "2031-03-01T19:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/performances/{}/blocks", performance["id"]);
    let foreign = elsewhere["seats"][0]["id"].as_i64().unwrap();
    let error = error_of(
        app.post(
            &path,
            Some(&director),
            &json!({"seat_ids": [foreign], "reason": "camera"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["seat_ids"], json!([foreign]));
    let venue_seat: Value = app
        .get(&format!("/api/v1/venues/{venue}"), Some(&director))
        .await
        .json()
        .await
        .unwrap();
    let ours = venue_seat["seats"][0]["id"].as_i64().unwrap();
    let error = error_of(
        app.post(
            &path,
            Some(&director),
            &json!({"seat_ids": [ours], "reason": "camera", "release_at": "2020-01-01T10:00"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "release_at");
    error_of(
        app.post(
            &path,
            Some(&director),
            &json!({"seat_ids": [], "reason": "camera"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
