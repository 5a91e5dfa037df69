//! "Forgot password" from the API: the same answer for every address, a mail only for an
//! account that is switched on, limits per address and per client, and a link that works once,
//! within its hour, and ends the account's sessions.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app, spawn_app_with};
use crate::staff::password_link;
use kassa::domain::Role;

async fn forgot(app: &TestApp, email: &str) -> reqwest::Response {
    app.post("/api/v1/auth/forgot", None, &json!({ "email": email }))
        .await
}

#[tokio::test]
async fn forgot_answers_alike_mails_only_accounts_and_the_link_ends_every_session() {
    let app = spawn_app().await;
    let (email, password) = app.create_user(Role::Staff);
    let body: Value = app.login(&email, &password).await.json().await.unwrap();
    let session = Session {
        token: body["token"].as_str().unwrap().to_owned(),
    };

    let known = forgot(&app, &email.to_uppercase()).await;
    let unknown = forgot(&app, "nobody@2act.example").await;
    let nonsense = forgot(&app, "not an address").await;
    for response in [known, unknown, nonsense] {
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(
            response.text().await.unwrap(),
            "",
            "nothing tells them apart"
        );
    }
    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 1);
    let (token, subject) = password_link(&app, "Новый пароль");
    assert!(app.mails()[0].1.contains("60"), "the mail says how long");
    assert!(subject.contains("кассы"), "{subject}");
    {
        use diesel::prelude::*;
        use kassa::db::schema::account_tokens::dsl::*;
        let (made_at, valid_until): (chrono::NaiveDateTime, chrono::NaiveDateTime) = account_tokens
            .select((created_at, expires_at))
            .first(&mut app.db())
            .unwrap();
        assert_eq!((valid_until - made_at).num_minutes(), 60);
    }

    let set = app
        .post(
            "/api/v1/auth/reset",
            None,
            &json!({"token": token, "password": "a brand new password"}),
        )
        .await;
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    let me = app.get("/api/v1/auth/me", Some(&session)).await;
    error_of(me, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let old = app.login(&email, &password).await;
    error_of(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(
        app.login(&email, "a brand new password").await.status(),
        StatusCode::OK
    );
    let wrong = app
        .post(
            "/api/v1/auth/reset",
            None,
            &json!({"token": "x".repeat(43), "password": "a brand new password"}),
        )
        .await;
    error_of(wrong, StatusCode::GONE, "link_expired").await;
}

#[tokio::test]
async fn reset_links_end_with_their_hour_and_with_the_account() {
    let app = spawn_app().await;
    let (email, _) = app.create_user(Role::Staff);
    assert_eq!(forgot(&app, &email).await.status(), StatusCode::ACCEPTED);
    app.courier().deliver_due().await.unwrap();
    let (token, _) = password_link(&app, "пароль");
    {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE account_tokens SET expires_at = '2000-01-01 00:00:00'")
            .execute(&mut app.db())
            .unwrap();
    }
    let late = app
        .post(
            "/api/v1/auth/reset",
            None,
            &json!({"token": token, "password": "a brand new password"}),
        )
        .await;
    error_of(late, StatusCode::GONE, "link_expired").await;

    // A fresh link, then the account is switched off: the link dies with it.
    let other = spawn_app().await;
    let (email, _) = other.create_user(Role::Staff);
    let boss = other.director().await;
    forgot(&other, &email).await;
    other.courier().deliver_due().await.unwrap();
    let (token, _) = password_link(&other, "пароль");
    let listed: Vec<Value> = other
        .get("/api/v1/staff", Some(&boss))
        .await
        .json()
        .await
        .unwrap();
    let id = listed
        .iter()
        .find(|a| a["email"] == email.as_str())
        .unwrap()["id"]
        .clone();
    other
        .delete(&format!("/api/v1/staff/{id}"), Some(&boss))
        .await;
    let dead = other
        .post(
            "/api/v1/auth/reset",
            None,
            &json!({"token": token, "password": "a brand new password"}),
        )
        .await;
    error_of(dead, StatusCode::GONE, "link_expired").await;
    // A switched-off account asks in vain: the same answer, no mail.
    assert_eq!(forgot(&other, &email).await.status(), StatusCode::ACCEPTED);
    assert_eq!(other.courier().deliver_due().await.unwrap().sent, 0);
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_per_client() {
    let app = spawn_app_with(|settings| {
        settings.auth.max_reset_requests = 2;
        settings.auth.max_reset_requests_per_client = 4;
    })
    .await;
    let (email, _) = app.create_user(Role::Staff);
    for _ in 0..2 {
        assert_eq!(forgot(&app, &email).await.status(), StatusCode::ACCEPTED);
    }
    let third = forgot(&app, &email).await;
    assert!(third.headers().contains_key("retry-after"));
    error_of(third, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // An unknown address is limited alike, so the limit tells nothing either.
    for _ in 0..2 {
        assert_eq!(forgot(&app, "nobody@2act.example").await.status(), 202);
    }
    let client_limit = forgot(&app, "someone-else@2act.example").await;
    error_of(
        client_limit,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    assert_eq!(
        app.courier().deliver_due().await.unwrap().sent,
        2,
        "two links for the account, none for the rest"
    );
}
