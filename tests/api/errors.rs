use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let director = app.director().await;
    let response = app
        .client
        .post(app.url("/api/v1/productions"))
        .bearer_auth(&director.token)
        .header("content-type", "application/json")
        .body(r#"{"title": "Здесь.Алматы", "duration_minutes": 100,"#)
        .send()
        .await
        .unwrap();
    error_of(response, StatusCode::BAD_REQUEST, "malformed_json").await;
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_422_naming_the_field() {
    let app = spawn_app().await;
    let director = app.director().await;
    let body =
        json!({"title": "x", "duration_minutes": "long", "age_rating": "16+", "language": "ru"});
    let error = error_of(
        app.post("/api/v1/productions", Some(&director), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "duration_minutes");
}

#[tokio::test]
async fn a_missing_field_is_422_naming_it() {
    let app = spawn_app().await;
    let director = app.director().await;
    let body = json!({"title": "x", "duration_minutes": 100, "language": "ru"});
    let error = error_of(
        app.post("/api/v1/productions", Some(&director), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "age_rating");
}

#[tokio::test]
async fn an_invalid_value_is_422_naming_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let director = app.director().await;
    for (field, body) in [
        (
            "title",
            json!({"title": "  ", "duration_minutes": 100, "age_rating": "16+", "language": "ru"}),
        ),
        (
            "duration_minutes",
            json!({"title": "x", "duration_minutes": 0, "age_rating": "16+", "language": "ru"}),
        ),
        (
            "age_rating",
            json!({"title": "x", "duration_minutes": 100, "age_rating": "adults", "language": "ru"}),
        ),
        (
            "language",
            json!({"title": "x", "duration_minutes": 100, "age_rating": "16+", "language": "russian"}),
        ),
    ] {
        let error = error_of(
            app.post("/api/v1/productions", Some(&director), &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error["details"]["field"], field, "{error}");
    }
    let all: serde_json::Value = app
        .get("/api/v1/productions", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all, json!([]));
}

#[tokio::test]
async fn an_unknown_field_is_422() {
    let app = spawn_app().await;
    let director = app.director().await;
    let body = json!({"title": "x", "duration_minutes": 100, "age_rating": "16+", "language": "ru", "colour": "red"});
    error_of(
        app.post("/api/v1/productions", Some(&director), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn unknown_ids_and_routes_are_404_in_the_error_shape() {
    let app = spawn_app().await;
    let director = app.director().await;
    error_of(
        app.get("/api/v1/productions/999", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error_of(
        app.get("/api/v1/performances/999", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error_of(
        app.get("/api/v1/venues/999", Some(&director)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error_of(
        app.get("/api/v1/venues/not-a-number", Some(&director))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error_of(
        app.patch("/api/v1/performances/999", Some(&director), &json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error_of(
        app.get("/api/v1/no-such-thing", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_bad_query_string_is_422() {
    let app = spawn_app().await;
    error_of(
        app.get("/api/v1/performances?from=yesterday", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    error_of(
        app.get("/api/v1/performances?limit=many", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    error_of(
        app.get("/api/v1/performances?from=2025-02-10&to=2025-02-01", None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
