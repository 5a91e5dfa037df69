use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn the_premiere_at_19_almaty_time_was_13_utc() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let response = app
        .schedule(
            &director,
            venue,
            production,
            "2024-02-11T19:00",
            "published",
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let performance: Value = response.json().await.unwrap();
    assert_eq!(performance["starts_at"], "2024-02-11T19:00:00+06:00");
    assert_eq!(performance["starts_at_utc"], "2024-02-11T13:00:00Z");
    assert_eq!(performance["ends_at"], "2024-02-11T20:55:00+06:00");
    assert_eq!(performance["timezone"], "Asia/Almaty");
    assert_eq!(performance["seats_total"], 4);
}

#[tokio::test]
async fn the_same_evening_in_2025_is_14_utc_after_almaty_moved_to_utc_plus_5() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let performance: Value = app
        .schedule(&director, venue, production, "2025-02-11T19:00", "draft")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(performance["starts_at"], "2025-02-11T19:00:00+05:00");
    assert_eq!(performance["starts_at_utc"], "2025-02-11T14:00:00Z");
    assert_eq!(performance["status"], "draft");
}

#[tokio::test]
async fn a_local_time_almaty_repeated_on_1_march_2024_is_ambiguous() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let response = app
        .schedule(&director, venue, production, "2024-02-29T23:30", "draft")
        .await;
    let error = error_of(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ambiguous_local_time",
    )
    .await;
    assert_eq!(error["details"]["field"], "starts_at");
    assert_eq!(
        error["details"]["candidates"],
        json!(["2024-02-29T23:30:00+06:00", "2024-02-29T23:30:00+05:00"])
    );
    // The offset settles it.
    let settled = app
        .schedule(
            &director,
            venue,
            production,
            "2024-02-29T23:30:00+05:00",
            "draft",
        )
        .await;
    assert_eq!(settled.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_local_time_skipped_by_daylight_saving_does_not_exist() {
    let app = spawn_app().await;
    let director = app.director().await;
    let body = json!({"name": "Berlin hall", "address": "Berlin", "timezone": "Europe/Berlin",
                      "seats": [{"row": 1, "number": 1, "zone": "front", "x": 0, "y": 0},
                                {"row": 2, "number": 1, "zone": "standard", "x": 0, "y": 50}]});
    let venue: Value = app
        .post("/api/v1/venues", Some(&director), &body)
        .await
        .json()
        .await
        .unwrap();
    let production = app.create_production(&director).await;
    let response = app
        .schedule(
            &director,
            venue["id"].as_i64().unwrap(),
            production["id"].as_i64().unwrap(),
            "2025-03-30T02:30",
            "draft",
        )
        .await;
    let error = error_of(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nonexistent_local_time",
    )
    .await;
    assert_eq!(error["details"]["field"], "starts_at");
}

#[tokio::test]
async fn two_performances_may_not_overlap_in_one_hall_counting_interval_and_changeover() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let first: Value = app
        .schedule(
            &director,
            venue,
            production,
            "2031-03-01T15:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();

    // 15:00 + 100 min + 15 min interval = 16:55; the changeover keeps the hall until 17:25.
    let error = error_of(
        app.schedule(&director, venue, production, "2031-03-01T17:20", "draft")
            .await,
        StatusCode::CONFLICT,
        "schedule_clash",
    )
    .await;
    assert_eq!(error["details"]["clashing_performance"]["id"], first["id"]);
    assert_eq!(
        error["details"]["clashing_performance"]["starts_at"],
        "2031-03-01T15:00:00+05:00"
    );
    // Ending into the first one clashes too.
    error_of(
        app.schedule(&director, venue, production, "2031-03-01T13:00", "draft")
            .await,
        StatusCode::CONFLICT,
        "schedule_clash",
    )
    .await;

    assert_eq!(
        app.schedule(&director, venue, production, "2031-03-01T17:25", "draft")
            .await
            .status(),
        StatusCode::CREATED
    );
    let other_hall = app.create_venue(&director).await["id"].as_i64().unwrap();
    assert_eq!(
        app.schedule(
            &director,
            other_hall,
            production,
            "2031-03-01T15:00",
            "draft"
        )
        .await
        .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_changeover_is_configurable() {
    let app = crate::helpers::spawn_app_with(|s| s.schedule.changeover_minutes = 0).await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    app.schedule(
        &director,
        venue,
        production,
        "2031-03-01T15:00",
        "published",
    )
    .await;
    assert_eq!(
        app.schedule(&director, venue, production, "2031-03-01T16:55", "draft")
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_cancelled_performance_frees_the_hall_and_stays_cancelled() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let first: Value = app
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
    let path = format!("/api/v1/performances/{}", first["id"]);
    let cancelled: Value = app
        .patch(&path, Some(&director), &json!({"status": "cancelled"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        app.schedule(
            &director,
            venue,
            production,
            "2031-03-01T19:00",
            "published"
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    error_of(
        app.patch(&path, Some(&director), &json!({"status": "published"}))
            .await,
        StatusCode::CONFLICT,
        "performance_cancelled",
    )
    .await;
}

#[tokio::test]
async fn a_run_creates_every_date_on_the_chosen_weekdays() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let body = json!({"production_id": production, "venue_id": venue, "time": "19:00", "weekdays": ["sat", "sun"],
                      "from": "2031-03-01", "to": "2031-03-16", "prices": {"front": 6000, "standard": 4500}, "status": "published"});
    let response = app
        .post("/api/v1/performances/run", Some(&director), &body)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let run: Value = response.json().await.unwrap();
    let starts: Vec<&str> = run["performances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2031-03-01T19:00:00+05:00",
            "2031-03-02T19:00:00+05:00",
            "2031-03-08T19:00:00+05:00",
            "2031-03-09T19:00:00+05:00",
            "2031-03-15T19:00:00+05:00",
            "2031-03-16T19:00:00+05:00"
        ]
    );
}

#[tokio::test]
async fn a_run_with_one_clashing_date_creates_nothing_and_lists_the_clash() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let existing: Value = app
        .schedule(
            &director,
            venue,
            production,
            "2031-03-08T20:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"production_id": production, "venue_id": venue, "time": "19:00", "weekdays": ["sat"],
                      "from": "2031-03-01", "to": "2031-03-31", "prices": {"front": 6000, "standard": 4500}});
    let error = error_of(
        app.post("/api/v1/performances/run", Some(&director), &body)
            .await,
        StatusCode::CONFLICT,
        "schedule_clash",
    )
    .await;
    let clashes = error["details"]["clashes"].as_array().unwrap();
    assert_eq!(clashes.len(), 1);
    assert_eq!(clashes[0]["starts_at"], "2031-03-08T19:00:00+05:00");
    assert_eq!(clashes[0]["clashing_performance"]["id"], existing["id"]);

    let all: Vec<Value> = app
        .get(
            "/api/v1/performances?status=all&from=2031-03-01&to=2031-03-31",
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "nothing of the run was created");
}

#[tokio::test]
async fn rescheduling_applies_the_clash_rule_but_not_against_itself() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let first: Value = app
        .schedule(&director, venue, production, "2031-03-01T15:00", "draft")
        .await
        .json()
        .await
        .unwrap();
    app.schedule(&director, venue, production, "2031-03-01T19:00", "draft")
        .await;
    let path = format!("/api/v1/performances/{}", first["id"]);

    // Moving by half an hour overlaps its own old slot only: fine.
    let moved: Value = app
        .patch(
            &path,
            Some(&director),
            &json!({"starts_at": "2031-03-01T14:30"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["starts_at"], "2031-03-01T14:30:00+05:00");
    error_of(
        app.patch(
            &path,
            Some(&director),
            &json!({"starts_at": "2031-03-01T18:00"}),
        )
        .await,
        StatusCode::CONFLICT,
        "schedule_clash",
    )
    .await;

    let response = app
        .patch(
            &path,
            Some(&director),
            &json!({"status": "published", "prices": {"front": 7000, "standard": 5000}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let published: Value = response.json().await.unwrap();
    assert_eq!(published["status"], "published");
    assert_eq!(
        published["prices"],
        json!({"front": 7000, "standard": 5000})
    );
    assert_eq!(published["starts_at"], "2031-03-01T14:30:00+05:00");
}

#[tokio::test]
async fn prices_must_cover_every_zone_of_the_hall() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let body = json!({"production_id": production, "venue_id": venue, "starts_at": "2031-03-01T19:00", "prices": {"front": 6000}});
    let error = error_of(
        app.post("/api/v1/performances", Some(&director), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "prices.standard");
    let body = json!({"production_id": 999, "venue_id": venue, "starts_at": "2031-03-01T19:00", "prices": {"front": 1, "standard": 1}});
    let error = error_of(
        app.post("/api/v1/performances", Some(&director), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "production_id");
}

#[tokio::test]
async fn the_public_sees_published_performances_only_and_upcoming_by_default() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let past: Value = app
        .schedule(
            &director,
            venue,
            production,
            "2024-02-11T19:00",
            "published",
        )
        .await
        .json()
        .await
        .unwrap();
    let upcoming: Value = app
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
    let draft: Value = app
        .schedule(&director, venue, production, "2031-03-02T19:00", "draft")
        .await
        .json()
        .await
        .unwrap();

    let listed: Vec<Value> = app
        .get("/api/v1/performances", None)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&Value> = listed.iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, vec![&upcoming["id"]]);
    let first = &listed[0];
    for field in [
        "starts_at",
        "starts_at_utc",
        "timezone",
        "ends_at",
        "status",
        "seats_total",
        "seats_available",
    ] {
        assert!(!first[field].is_null(), "{field} is listed");
    }
    assert_eq!(first["production"]["title"], "Здесь.Алматы");
    assert_eq!(first["venue"]["name"], "2act studio");

    let february_2024: Vec<Value> = app
        .get("/api/v1/performances?from=2024-02-11&to=2024-02-11", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(february_2024.len(), 1);
    assert_eq!(february_2024[0]["id"], past["id"]);

    error_of(
        app.get(&format!("/api/v1/performances/{}", draft["id"]), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get(
            &format!("/api/v1/performances/{}", draft["id"]),
            Some(&director)
        )
        .await
        .status(),
        StatusCode::OK
    );
    error_of(
        app.get("/api/v1/performances?status=draft", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    error_of(
        app.get("/api/v1/performances?status=draft", Some(&staff))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let drafts: Vec<Value> = app
        .get("/api/v1/performances?status=draft", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drafts.len(), 1);
}

#[tokio::test]
async fn dates_filter_by_the_local_date_in_the_venues_zone() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    // 00:30 on the 2nd in Almaty is still the 1st in UTC.
    app.schedule(
        &director,
        venue,
        production,
        "2031-03-02T00:30",
        "published",
    )
    .await;
    let on_the_1st: Vec<Value> = app
        .get("/api/v1/performances?from=2031-03-01&to=2031-03-01", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(on_the_1st.is_empty());
    let on_the_2nd: Vec<Value> = app
        .get("/api/v1/performances?from=2031-03-02&to=2031-03-02", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(on_the_2nd.len(), 1);
}

#[tokio::test]
async fn concurrent_requests_for_one_slot_schedule_exactly_one_performance() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let requests = (0..16).map(|i| {
        let (app, director) = (&app, &director);
        // Start times a few minutes apart: every pair clashes.
        let starts_at = format!("2031-03-01T19:{:02}", i * 2);
        async move {
            app.schedule(director, venue, production, &starts_at, "published")
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(requests).await;
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let clashed = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, clashed), (1, 15), "{statuses:?}");
}
