use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestDatabase, spawn_app_on};

#[tokio::test]
async fn the_demo_is_seeded_once_and_a_second_start_reuses_it() {
    let database = TestDatabase::create();
    let first = spawn_app_on(database.clone(), |s| s.demo.seed = true).await;
    let accounts = first
        .demo_accounts
        .clone()
        .expect("the first start seeds the demo");

    let performances: Vec<Value> = first
        .get(
            "/api/v1/performances?status=all&from=2024-01-01&to=2099-12-31",
            Some(&{
                let response = first
                    .login(kassa::demo::DIRECTOR_EMAIL, &accounts.director_password)
                    .await;
                assert_eq!(response.status(), StatusCode::OK);
                let body: Value = response.json().await.unwrap();
                crate::helpers::Session {
                    token: body["token"].as_str().unwrap().to_owned(),
                }
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(performances.len(), 5, "the premiere and four Saturdays");
    let premiere = &performances[0];
    assert_eq!(premiere["starts_at"], "2024-02-11T19:00:00+06:00");
    assert_eq!(premiere["starts_at_utc"], "2024-02-11T13:00:00Z");
    assert_eq!(premiere["seats_total"], 60);
    assert_eq!(premiere["prices"]["front"], 6000);
    assert_eq!(premiere["prices"]["standard"], 4500);
    for upcoming in &performances[1..] {
        assert!(
            upcoming["starts_at"]
                .as_str()
                .unwrap()
                .ends_with("T19:00:00+05:00")
        );
        assert_eq!(upcoming["status"], "published");
    }
    let staff_login = first
        .login(kassa::demo::STAFF_EMAIL, &accounts.staff_password)
        .await;
    assert_eq!(staff_login.status(), StatusCode::OK);

    let second = spawn_app_on(database.clone(), |s| s.demo.seed = true).await;
    assert!(
        second.demo_accounts.is_none(),
        "a second start seeds nothing"
    );
    let productions: Vec<Value> = second
        .get("/api/v1/productions", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(productions.len(), 1);
    assert_eq!(productions[0]["title"], "Здесь.Алматы");
    assert_eq!(
        productions[0]["upcoming_performances"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    // The first start's passwords still work: the accounts were not re-created.
    assert_eq!(
        second
            .login(kassa::demo::DIRECTOR_EMAIL, &accounts.director_password)
            .await
            .status(),
        StatusCode::OK
    );
}
