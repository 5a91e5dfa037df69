//! The director's pages over HTTP: productions, halls with a previewed seat plan, the month
//! calendar and runs, with refusals told in the director's language.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::pages::{csrf_field, followed, get_with, page_session, post_with, said};

/// A form body, encoded as a browser would.
fn form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The director's cookies and a CSRF token from `path`.
async fn director_on(app: &TestApp, path: &str) -> (String, String) {
    let cookies = page_session(app, kassa::domain::Role::Director).await;
    let page = get_with(app, &cookies, path).await;
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    let csrf = csrf_field(&page.text().await.unwrap());
    (cookies, csrf)
}

#[tokio::test]
async fn the_director_creates_and_edits_a_production_on_the_pages() {
    let app = spawn_app().await;
    let (cookies, csrf) = director_on(&app, "/director/productions").await;
    let fields = |title: &'static str, minutes: &'static str| {
        vec![
            ("csrf", csrf.as_str()),
            ("title", title),
            ("description", "Монологи <тех, кто переехал>"),
            ("duration_minutes", minutes),
            ("intermission_minutes", "15"),
            ("age_rating", "16+"),
            ("language", "ru"),
        ]
    };

    let refused = post_with(
        &app,
        &cookies,
        "/director/productions",
        form(&fields("Здесь.Алматы", "сто")),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Проверьте поле «Продолжительность, минут»"),
        "{page}"
    );
    assert!(
        page.contains("value=\"Здесь.Алматы\""),
        "what was typed stays in the form"
    );

    let created = post_with(
        &app,
        &cookies,
        "/director/productions",
        form(&fields("Здесь.Алматы", "100")),
    )
    .await;
    let list = followed(&app, &cookies, created).await;
    assert_eq!(
        said(&list).as_deref(),
        Some("Постановка «Здесь.Алматы» сохранена.")
    );
    assert!(list.contains("Здесь.Алматы") && list.contains("100 мин, антракт 15 мин"));
    assert!(
        list.contains(">Контроль билетов</a>") && !list.contains(">Вход</a>"),
        "the menu names the door for what it is, not like the sign-in page"
    );
    let director = app.director().await;
    let productions: Value = app
        .get("/api/v1/productions", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    let id = productions[0]["id"].as_i64().unwrap();
    assert_eq!(
        productions[0]["description"],
        "Монологи <тех, кто переехал>"
    );

    let edit_path = format!("/director/productions/{id}");
    let edit = get_with(&app, &cookies, &edit_path)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        edit.contains("Монологи &lt;тех, кто переехал&gt;"),
        "the description is escaped"
    );
    let edited = post_with(
        &app,
        &cookies,
        &edit_path,
        form(&fields("Здесь. Алматы", "110")),
    )
    .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let production: Value = app
        .get(&format!("/api/v1/productions/{id}"), Some(&director))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            production["title"].as_str(),
            production["duration_minutes"].as_i64()
        ),
        (Some("Здесь. Алматы"), Some(110))
    );

    let staff = page_session(&app, kassa::domain::Role::Staff).await;
    assert_eq!(
        get_with(&app, &staff, &edit_path).await.status(),
        StatusCode::FORBIDDEN
    );
    let forged = post_with(&app, &cookies, &edit_path, form(&[("title", "x")])).await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no change"
    );
}

#[tokio::test]
async fn a_seat_plan_is_previewed_as_drawn_then_saved() {
    let app = spawn_app().await;
    let (cookies, csrf) = director_on(&app, "/director/venues").await;
    let plan = r#"[{"row": 1, "number": 1, "zone": "front", "x": 0, "y": 0},
                   {"row": 1, "number": 2, "zone": "front", "x": 40, "y": 0},
                   {"row": 2, "number": 1, "zone": "back", "x": 0, "y": 40, "accessible": true}]"#;
    let post = |action: &'static str, plan: String| {
        let body = form(&[
            ("csrf", csrf.as_str()),
            ("name", "Малый зал"),
            ("address", "Алматы, ТЦ"),
            ("timezone", "Asia/Almaty"),
            ("plan", plan.as_str()),
            ("action", action),
        ]);
        post_with(&app, &cookies, "/director/venues", body)
    };

    let preview = post("preview", plan.to_owned()).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.unwrap();
    assert_eq!(
        page.matches("<g class=\"seat available\"").count(),
        3,
        "every seat drawn"
    );
    assert!(page.contains("Так зал увидят зрители") && page.contains("3 места"));
    assert!(page.contains("aria-label=\"Ряд 2, место 1, back (место для зрителя на коляске)\""));
    let director = app.director().await;
    let halls = || async {
        app.get("/api/v1/venues", Some(&director))
            .await
            .json::<Value>()
            .await
            .unwrap()
    };
    assert_eq!(
        halls().await.as_array().unwrap().len(),
        0,
        "a preview stores nothing"
    );

    let broken = post("preview", "[{\"row\": 1,".to_owned()).await;
    assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        broken
            .text()
            .await
            .unwrap()
            .contains("План зала — не правильный JSON (строка 1")
    );
    let twice = post("save", plan.replace("\"number\": 2", "\"number\": 1")).await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .text()
            .await
            .unwrap()
            .contains("Проверьте поле «место № 2 в плане зала»")
    );
    assert_eq!(halls().await.as_array().unwrap().len(), 0);

    let saved = post("save", plan.to_owned()).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let location = saved.headers()["location"].to_str().unwrap().to_owned();
    let stored = halls().await;
    assert_eq!(stored[0]["name"], "Малый зал");
    assert_eq!(stored[0]["seats"].as_array().unwrap().len(), 3);
    assert_eq!(location, format!("/director/venues/{}", stored[0]["id"]));
    let drawn = get_with(&app, &cookies, &location)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(drawn.matches("<g class=\"seat available\"").count(), 3);
}

#[tokio::test]
async fn the_calendar_puts_a_performance_on_its_local_date() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    // 00:30 on 1 March in Almaty is still 28 February in UTC.
    let response = app
        .schedule(&director, venue, production, "2031-03-01T00:30", "draft")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let page = get_with(&app, &cookies, "/director/calendar?month=2031-03")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Март 2031</h1>"));
    let first_of_march = page.split("data-date=\"2031-03-01\"").nth(1).unwrap();
    let first_of_march = first_of_march.split("</td>").next().unwrap();
    assert!(
        first_of_march.contains(&format!("href=\"/director/performances/{id}\"")),
        "{first_of_march}"
    );
    assert!(first_of_march.contains("<time>00:30</time>") && first_of_march.contains("черновик"));
    let february = get_with(&app, &cookies, "/director/calendar?month=2031-02")
        .await
        .text()
        .await
        .unwrap();
    let last_of_february = february
        .split("data-date=\"2031-02-28\"")
        .nth(1)
        .unwrap()
        .split("</td>")
        .next()
        .unwrap();
    assert!(
        !last_of_february.contains("/director/performances/"),
        "not on the UTC date"
    );
    assert!(february.contains("?month=2031-03\" rel=\"next\""));
}

#[tokio::test]
async fn a_run_is_scheduled_from_the_form_and_a_clashing_run_adds_nothing() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let (cookies, csrf) = director_on(&app, "/director").await;
    let (venue, production) = (venue.to_string(), production.to_string());
    let run = |time: &'static str| {
        let body = form(&[
            ("csrf", csrf.as_str()),
            ("production_id", production.as_str()),
            ("venue_id", venue.as_str()),
            ("weekday", "sat"),
            ("weekday", "sun"),
            ("from", "2031-04-01"),
            ("to", "2031-04-14"),
            ("time", time),
            ("price.front", "6000"),
            ("price.standard", "4500"),
            ("publish", "1"),
        ]);
        post_with(&app, &cookies, "/director/runs", body)
    };
    let performances = || async {
        app.get(
            "/api/v1/performances?from=2031-04-01&to=2031-04-30",
            Some(&director),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .len()
    };

    let created = run("19:00").await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let schedule = followed(&app, &cookies, created).await;
    assert_eq!(
        said(&schedule).as_deref(),
        Some(
            "Добавлено 4 спектакля «Здесь.Алматы»: с 5 апреля 2031, 19:00 по 13 апреля 2031, 19:00."
        ),
        "the schedule says what was added"
    );
    let again = get_with(&app, &cookies, "/director")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(said(&again), None, "said once, not on every later visit");
    assert_eq!(performances().await, 4, "5, 6, 12 and 13 April");

    let clash = run("20:00").await;
    assert_eq!(clash.status(), StatusCode::CONFLICT);
    let page = clash.text().await.unwrap();
    assert!(
        page.contains("4 даты пересекаются с расписанием зала"),
        "{page}"
    );
    assert!(
        page.contains("5 апреля 2031, 20:00: идёт «Здесь.Алматы» (5 апреля 2031, 19:00)"),
        "each date as the director reads dates, no ISO: {page}"
    );
    let (one_form, run_form) = page
        .split_once("class=\"run\"")
        .expect("the run's form after the single performance's");
    assert!(
        run_form.contains("value=\"20:00\"") && run_form.contains("value=\"6000\""),
        "the run's form keeps what was typed"
    );
    assert!(
        !one_form.contains("value=\"6000\""),
        "the other form is not filled with this form's prices"
    );
    assert_eq!(performances().await, 4, "nothing was added");

    let empty = run("").await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Проверьте поле «Время начала (время зала)»")
    );
}

#[tokio::test]
async fn the_director_cancels_a_performance_from_the_schedule_and_its_holders_are_told() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, _, booking) = crate::door::booked(&app, &director, "Айгерим").await;
    let (cookies, csrf) = director_on(&app, "/director").await;
    let path = format!("/director/performances/{performance}/cancel");

    let forged = post_with(&app, &cookies, &path, String::new()).await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, nothing cancelled"
    );
    let cancelled = post_with(&app, &cookies, &path, form(&[("csrf", csrf.as_str())])).await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    assert_eq!(cancelled.headers()["location"], "/director");
    let told = said(&followed(&app, &cookies, cancelled).await).expect("the schedule says it");
    assert!(
        told.starts_with("Спектакль отменён: «Здесь.Алматы»,")
            && told.ends_with("Зрителям с билетами уйдут письма."),
        "{told}"
    );

    let now: Value = app
        .get(
            &format!("/api/v1/performances/{performance}"),
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["status"], "cancelled");
    let id = crate::booking_id_of(&app, booking["reference"].as_str().unwrap());
    assert_eq!(
        app.outbox(id).await,
        ["booking_confirmed", "performance_cancelled"],
        "the holder is told"
    );
    let schedule = get_with(&app, &cookies, "/director")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        schedule.contains("отменён"),
        "the schedule shows it cancelled"
    );
}
