use kassa::domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, error_of, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_director_signs_in_and_gets_a_bearer_token() {
    let app = spawn_app().await;
    let (email, password) = app.create_user(Role::Director);
    let response = app.login(&email.to_uppercase(), &password).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["role"], "director");
    assert!(body["token"].as_str().unwrap().len() >= 40);
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));

    let session = Session {
        token: body["token"].as_str().unwrap().to_owned(),
    };
    let me: Value = app
        .get("/api/v1/auth/me", Some(&session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me, json!({ "email": email, "role": "director" }));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_401() {
    let app = spawn_app().await;
    let (email, _) = app.create_user(Role::Staff);
    let wrong_password = error_of(
        app.login(&email, "not the password at all").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown = error_of(
        app.login("nobody@2act.example", "not the password at all")
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong_password, unknown);
}

#[tokio::test]
async fn signing_out_revokes_the_token() {
    let app = spawn_app().await;
    let session = app.director().await;
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&session)).await.status(),
        StatusCode::OK
    );
    let response = app
        .post("/api/v1/auth/logout", Some(&session), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    error_of(
        app.get("/api/v1/auth/me", Some(&session)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_forged_or_malformed_token_is_401() {
    let app = spawn_app().await;
    let forged = Session {
        token: "x".repeat(43),
    };
    error_of(
        app.get("/api/v1/auth/me", Some(&forged)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let response = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("Authorization", "Basic ZGlyZWN0b3I6cGFzc3dvcmQ=")
        .send()
        .await
        .unwrap();
    error_of(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn repeated_failures_lock_the_address_even_for_the_right_password() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins = 3).await;
    let (email, password) = app.create_user(Role::Director);
    for _ in 0..3 {
        assert_eq!(
            app.login(&email, "guess guess guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let response = app.login(&email, &password).await;
    assert!(response.headers().get("retry-after").is_some());
    error_of(response, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins = 3).await;
    let (email, password) = app.create_user(Role::Director);
    for _ in 0..2 {
        app.login(&email, "guess guess guess").await;
    }
    assert_eq!(app.login(&email, &password).await.status(), StatusCode::OK);
    for _ in 0..2 {
        app.login(&email, "guess guess guess").await;
    }
    assert_eq!(app.login(&email, &password).await.status(), StatusCode::OK);
}

/// Every director route, with a body that would be valid enough to reach the handler.
fn director_routes() -> Vec<(reqwest::Method, &'static str, Option<Value>)> {
    use reqwest::Method;
    vec![
        (
            Method::POST,
            "/api/v1/venues",
            Some(json!({"name": "x", "address": "x", "timezone": "Asia/Almaty", "seats": []})),
        ),
        (Method::GET, "/api/v1/venues", None),
        (Method::GET, "/api/v1/venues/1", None),
        (
            Method::POST,
            "/api/v1/productions",
            Some(
                json!({"title": "x", "duration_minutes": 60, "age_rating": "0+", "language": "ru"}),
            ),
        ),
        (
            Method::PATCH,
            "/api/v1/productions/1",
            Some(json!({"title": "y"})),
        ),
        (
            Method::POST,
            "/api/v1/performances",
            Some(
                json!({"production_id": 1, "venue_id": 1, "starts_at": "2030-01-01T19:00", "prices": {}}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/performances/run",
            Some(
                json!({"production_id": 1, "venue_id": 1, "time": "19:00", "weekdays": ["sat"], "from": "2030-01-01", "to": "2030-01-31", "prices": {}}),
            ),
        ),
        (
            Method::PATCH,
            "/api/v1/performances/1",
            Some(json!({"status": "published"})),
        ),
        (
            Method::POST,
            "/api/v1/performances/1/blocks",
            Some(json!({"seat_ids": [1], "reason": "camera"})),
        ),
        (Method::GET, "/api/v1/performances/1/blocks", None),
        (Method::DELETE, "/api/v1/performances/1/blocks/1", None),
    ]
}

#[tokio::test]
async fn every_director_route_is_401_anonymous_and_403_for_staff() {
    let app = spawn_app().await;
    let staff = app.sign_in_as(Role::Staff).await;
    for (method, path, body) in director_routes() {
        let anonymous = app.send(method.clone(), path, None, body.as_ref()).await;
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} anonymous"
        );
        let as_staff = app
            .send(method.clone(), path, Some(&staff), body.as_ref())
            .await;
        assert_eq!(
            as_staff.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} as staff"
        );
        // Even a malformed body does not get past the role check.
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&staff.token)
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} malformed as staff"
        );
    }
}
