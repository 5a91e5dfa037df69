//! Staff accounts from the API: the director invites someone, who sets a password from the
//! link in the mail and signs in; roles change and accounts are switched off (their sessions
//! end at once); the last active director stays; "forgot password" answers alike for every
//! address, mails only accounts, is limited, and its one-time links are stored hashed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app};
use kassa::domain::Role;

/// The one-time link in the newest mail to `to`, and that mail's subject.
pub(crate) fn password_link(app: &TestApp, subject_has: &str) -> (String, String) {
    let mails = app.mails();
    let (subject, text) = mails
        .iter()
        .find(|(subject, _)| subject.contains(subject_has))
        .unwrap_or_else(|| panic!("a mail about {subject_has} among {mails:?}"));
    let start = text.find("/password/").expect("the mail has a link");
    let token: String = text[start + "/password/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "256 bits in the link: {text}");
    (token, subject.clone())
}

async fn invite(app: &TestApp, director: &Session, email: &str, role: &str) -> Value {
    let response = app
        .post(
            "/api/v1/staff",
            Some(director),
            &json!({"email": email, "role": role, "language": "kk"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{email} invited");
    response.json().await.unwrap()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/reset",
        None,
        &json!({"token": token, "password": password}),
    )
    .await
}

async fn accounts(app: &TestApp, director: &Session) -> Vec<Value> {
    let response = app.get("/api/v1/staff", Some(director)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn actions(app: &TestApp) -> Vec<String> {
    let mut conn = app.db();
    let (from, to) = (
        chrono::Utc::now() - chrono::Duration::hours(1),
        chrono::Utc::now(),
    );
    kassa::db::audit::between(
        &mut conn,
        from,
        to + chrono::Duration::minutes(1),
        None,
        100,
    )
    .unwrap()
    .into_iter()
    .map(|entry| entry.action.as_str().to_owned())
    .collect()
}

#[tokio::test]
async fn an_invited_member_of_staff_sets_a_password_from_the_mail_and_signs_in() {
    let app = spawn_app().await;
    let director = app.director().await;
    let account = invite(&app, &director, "Aigerim@2act.example", "staff").await;
    assert_eq!(account["email"], "aigerim@2act.example");
    assert_eq!(account["role"], "staff");
    assert_eq!(account["language"], "kk");
    assert_eq!(account["invited"], true);
    assert_eq!(account["active"], true);
    assert!(account["last_signin_at"].is_null());
    // Without a password, nothing signs the account in.
    let refused = app.login("aigerim@2act.example", "").await;
    error_of(refused, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 1);
    let (token, subject) = password_link(&app, "шақырады");
    assert!(
        subject.contains("бақылаушы"),
        "in Kazakh, with the role: {subject}"
    );
    // The database keeps the token's hash and a nonce, never the token.
    {
        use diesel::prelude::*;
        use kassa::db::schema::account_tokens::dsl::*;
        let mut conn = app.db();
        let (stored_hash, stored_nonce, stored_purpose, valid_until, made_at): (
            String,
            String,
            String,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
        ) = account_tokens
            .select((token_hash, nonce, purpose, expires_at, created_at))
            .first(&mut conn)
            .unwrap();
        assert_eq!(stored_hash, kassa::auth::token::hash(&token));
        assert_ne!(stored_nonce, token);
        assert_eq!(stored_purpose, "invite");
        assert_eq!((valid_until - made_at).num_hours(), 48);
    }
    let short = reset(&app, &token, "short").await;
    let body = error_of(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["details"]["field"], "password");

    let set = reset(&app, &token, "a long new door password").await;
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    let again = reset(&app, &token, "another long password").await;
    error_of(again, StatusCode::GONE, "link_expired").await;
    let signed_in = app
        .login("aigerim@2act.example", "a long new door password")
        .await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let body: Value = signed_in.json().await.unwrap();
    assert_eq!(body["role"], "staff");

    let listed = accounts(&app, &director).await;
    let listed = listed
        .iter()
        .find(|a| a["email"] == "aigerim@2act.example")
        .unwrap();
    assert_eq!(listed["invited"], false);
    assert!(listed["last_signin_at"].is_string());
    let actions = actions(&app);
    assert!(actions.contains(&"staff_invited".to_owned()), "{actions:?}");
    assert!(actions.contains(&"password_set".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn invitations_are_for_the_director_and_for_new_addresses() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(Role::Staff).await;
    let body = json!({"email": "new@2act.example", "role": "staff", "language": "ru"});
    let anonymous = app.post("/api/v1/staff", None, &body).await;
    error_of(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let by_staff = app.post("/api/v1/staff", Some(&staff), &body).await;
    error_of(by_staff, StatusCode::FORBIDDEN, "forbidden").await;
    let listing = app.get("/api/v1/staff", Some(&staff)).await;
    error_of(listing, StatusCode::FORBIDDEN, "forbidden").await;

    invite(&app, &director, "new@2act.example", "staff").await;
    let twice = app
        .post(
            "/api/v1/staff",
            Some(&director),
            &json!({"email": " NEW@2act.example ", "role": "director", "language": "en"}),
        )
        .await;
    error_of(twice, StatusCode::CONFLICT, "email_taken").await;
    let bad = app
        .post(
            "/api/v1/staff",
            Some(&director),
            &json!({"email": "no address", "role": "staff", "language": "ru"}),
        )
        .await;
    let body = error_of(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["details"]["field"], "email");
    let unknown_role = app
        .post(
            "/api/v1/staff",
            Some(&director),
            &json!({"email": "x@2act.example", "role": "usher", "language": "ru"}),
        )
        .await;
    error_of(
        unknown_role,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        app.courier().deliver_due().await.unwrap().sent,
        1,
        "one invitation"
    );
}

#[tokio::test]
async fn switching_an_account_off_ends_its_sessions_at_once_and_on_again_lets_it_sign_in() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (email, password) = app.create_user(Role::Staff);
    let first = app
        .login(&email, &password)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let session = Session {
        token: first["token"].as_str().unwrap().to_owned(),
    };
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&session)).await.status(),
        200
    );
    let id = accounts(&app, &director)
        .await
        .iter()
        .find(|a| a["email"] == email.as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    let off = app
        .delete(&format!("/api/v1/staff/{id}"), Some(&director))
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(off.json::<Value>().await.unwrap()["active"], false);
    let me = app.get("/api/v1/auth/me", Some(&session)).await;
    error_of(me, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let again = app.login(&email, &password).await;
    error_of(again, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    let on = app
        .patch(
            &format!("/api/v1/staff/{id}"),
            Some(&director),
            &json!({"active": true, "role": "director"}),
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let on: Value = on.json().await.unwrap();
    assert_eq!(
        (on["active"].clone(), on["role"].clone()),
        (json!(true), json!("director"))
    );
    let back = app.login(&email, &password).await;
    assert_eq!(back.json::<Value>().await.unwrap()["role"], "director");
    let missing = app.delete("/api/v1/staff/99999", Some(&director)).await;
    error_of(missing, StatusCode::NOT_FOUND, "not_found").await;
    let actions = actions(&app);
    assert_eq!(
        actions.iter().filter(|a| *a == "staff_changed").count(),
        2,
        "{actions:?}"
    );
}

#[tokio::test]
async fn the_last_active_director_can_be_neither_demoted_nor_switched_off() {
    let app = spawn_app().await;
    let director = app.director().await;
    let me: Value = accounts(&app, &director).await[0].clone();
    let id = me["id"].as_i64().unwrap();
    // A director invited but without a password yet cannot take over.
    invite(&app, &director, "next@2act.example", "director").await;
    let demote = app
        .patch(
            &format!("/api/v1/staff/{id}"),
            Some(&director),
            &json!({"role": "staff"}),
        )
        .await;
    error_of(demote, StatusCode::CONFLICT, "last_director").await;
    let off = app
        .delete(&format!("/api/v1/staff/{id}"), Some(&director))
        .await;
    error_of(off, StatusCode::CONFLICT, "last_director").await;
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&director)).await.status(),
        200
    );
}

/// Two directors demote each other at the same moment: one of them stays director.
#[tokio::test]
async fn two_directors_demoting_each_other_at_once_leave_one_director() {
    for _round in 0..3 {
        let app = spawn_app().await;
        let (a, a_id) = director_with_id(&app).await;
        let (b, b_id) = director_with_id(&app).await;
        let demote = json!({"role": "staff"});
        let (path_b, path_a) = (
            format!("/api/v1/staff/{b_id}"),
            format!("/api/v1/staff/{a_id}"),
        );
        let (by_a, by_b) = tokio::join!(
            app.patch(&path_b, Some(&a), &demote),
            app.patch(&path_a, Some(&b), &demote),
        );
        let mut statuses = [by_a.status().as_u16(), by_b.status().as_u16()];
        statuses.sort();
        // The loser is refused as the last director, or, if its request was let in after the
        // winner's committed, as a director no more.
        assert!(
            statuses == [200, 409] || statuses == [200, 403],
            "one demotion wins: {statuses:?}"
        );
        let mut conn = app.db();
        let directors = kassa::db::users::lock_active_directors(&mut conn).unwrap();
        assert_eq!(directors.len(), 1, "one director is left");
    }
}

/// A director signed in, with the account's id.
async fn director_with_id(app: &TestApp) -> (Session, i64) {
    let (email, password) = app.create_user(Role::Director);
    let body: Value = app.login(&email, &password).await.json().await.unwrap();
    let session = Session {
        token: body["token"].as_str().unwrap().to_owned(),
    };
    let parsed = kassa::domain::Email::parse("email", &email).unwrap();
    let user = kassa::db::users::find_by_email(&mut app.db(), &parsed)
        .unwrap()
        .unwrap();
    (session, i64::from(user.id))
}
