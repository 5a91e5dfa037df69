use reqwest::StatusCode;
use serde_json::{Value, json};

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

/// serde reads a struct from an array of its fields; the API takes objects only.
#[tokio::test]
async fn a_body_that_is_no_object_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff: Value = app
        .get("/api/v1/staff", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    let id = staff[0]["id"].as_i64().unwrap();
    for body in [
        json!([null, null]),
        json!(["staff", false]),
        json!("staff"),
        json!(7),
    ] {
        let response = app
            .patch(&format!("/api/v1/staff/{id}"), Some(&director), &body)
            .await;
        error_of(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    let after: Value = app
        .get("/api/v1/staff", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, staff);
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

#[tokio::test]
async fn a_path_id_that_is_no_number_is_404_without_the_parsers_words() {
    let app = spawn_app().await;
    let error = error_of(
        app.get("/api/v1/performances/true", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let message = error["message"].as_str().unwrap();
    assert!(!message.contains("deserialize"), "{message}");
    assert!(!message.contains("i32"), "{message}");
}

#[tokio::test]
async fn a_method_a_path_does_not_have_is_405_naming_the_ones_it_has() {
    let app = spawn_app().await;
    let director = app.director().await;
    for (method, path, allowed) in [
        (reqwest::Method::DELETE, "/api/v1/performances", "GET, POST"),
        (reqwest::Method::TRACE, "/health", "GET"),
        (reqwest::Method::PUT, "/api/v1/performances/1", "GET, PATCH"),
        // A literal path wins over the template that would also match it.
        (reqwest::Method::PATCH, "/api/v1/performances/run", "POST"),
    ] {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&director.token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["allow"].to_str().unwrap(),
            allowed,
            "{method} {path}"
        );
        error_of(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_taken_as_the_whole_number() {
    let app = spawn_app().await;
    let director = app.director().await;
    let body = json!({"title": "Здесь.Алматы", "duration_minutes": 100.0, "age_rating": "16+", "language": "ru"});
    let response = app
        .post("/api/v1/productions", Some(&director), &body)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let production: serde_json::Value = response.json().await.unwrap();
    assert_eq!(production["duration_minutes"], 100);
    let body =
        json!({"title": "x", "duration_minutes": 100.5, "age_rating": "16+", "language": "ru"});
    error_of(
        app.post("/api/v1/productions", Some(&director), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_a_hall_of_5000_seats_is_within_it() {
    let app = spawn_app().await;
    let director = app.director().await;
    let seats: Vec<_> = (0..5000)
        .map(|i| json!({"row": i / 100 + 1, "number": i % 100 + 1, "zone": "standard-zone-of-the-hall", "x": (i % 100) * 40, "y": (i / 100) * 40, "accessible": false}))
        .collect();
    let hall = json!({"name": "Большой зал", "address": "Алматы", "timezone": "Asia/Almaty", "seats": seats});
    let response = app.post("/api/v1/venues", Some(&director), &hall).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let too_large = json!({"title": "x".repeat(3 << 20)});
    error_of(
        app.post("/api/v1/productions", Some(&director), &too_large)
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
}
