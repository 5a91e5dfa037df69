use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn the_director_creates_reads_and_updates_a_production() {
    let app = spawn_app().await;
    let director = app.director().await;
    let created = app.create_production(&director).await;
    assert_eq!(created["title"], "Здесь.Алматы");
    assert_eq!(created["duration_minutes"], 100);
    assert_eq!(created["intermission_minutes"], 15);
    let path = format!("/api/v1/productions/{}", created["id"]);

    let response = app
        .patch(
            &path,
            Some(&director),
            &json!({"title": "Here.Almaty", "age_rating": "18+"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["title"], "Here.Almaty");
    assert_eq!(updated["age_rating"], "18+");
    assert_eq!(
        updated["language"], "ru",
        "fields left out keep their value"
    );

    let fetched: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(fetched["title"], "Here.Almaty");
}

#[tokio::test]
async fn the_public_list_shows_productions_with_upcoming_published_performances_only() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, shown) = app.hall_and_play(&director).await;
    let hidden = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.schedule(&director, venue, shown, "2031-03-01T19:00", "published")
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.schedule(&director, venue, hidden, "2031-03-02T19:00", "draft")
            .await
            .status(),
        StatusCode::CREATED
    );

    let public: Vec<Value> = app
        .get("/api/v1/productions", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0]["id"], shown);
    let upcoming = public[0]["upcoming_performances"].as_array().unwrap();
    assert_eq!(upcoming.len(), 1);
    assert_eq!(upcoming[0]["starts_at"], "2031-03-01T19:00:00+05:00");

    let for_director: Vec<Value> = app
        .get("/api/v1/productions", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(for_director.len(), 2);
    let one: Value = app
        .get(&format!("/api/v1/productions/{hidden}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        one["upcoming_performances"],
        json!([]),
        "drafts stay hidden from the public"
    );
}

#[tokio::test]
async fn a_longer_running_time_that_would_clash_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    // 19:00 + 115 min = 20:55; + 30 min changeover = 21:25: the 21:30 show fits.
    app.schedule(
        &director,
        venue,
        production,
        "2031-03-01T19:00",
        "published",
    )
    .await;
    assert_eq!(
        app.schedule(
            &director,
            venue,
            production,
            "2031-03-01T21:30",
            "published"
        )
        .await
        .status(),
        StatusCode::CREATED
    );

    let path = format!("/api/v1/productions/{production}");
    let error = error_of(
        app.patch(&path, Some(&director), &json!({"duration_minutes": 110}))
            .await,
        StatusCode::CONFLICT,
        "schedule_clash",
    )
    .await;
    assert!(error["details"]["clashing_performance"]["id"].is_number());
    let unchanged: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(unchanged["duration_minutes"], 100);
    assert_eq!(
        unchanged["upcoming_performances"][0]["ends_at"],
        "2031-03-01T20:55:00+05:00"
    );

    // A shorter one moves every end.
    let response = app
        .patch(&path, Some(&director), &json!({"duration_minutes": 90}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let shorter: Value = response.json().await.unwrap();
    assert_eq!(
        shorter["upcoming_performances"][0]["ends_at"],
        "2031-03-01T20:45:00+05:00"
    );
}
