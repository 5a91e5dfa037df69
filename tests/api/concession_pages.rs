//! Concessions and deadlines on the pages, without JavaScript: the checkout's type per seat,
//! the booking page's deadline, the director's schedule form and the door's sale page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};
use crate::pages::{csrf_field, get_with, page_session, post_with};

fn form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A published performance at 19:00 on 1 March 2031 with a student price in the standard zone
/// whose unpaid bookings lapse 30 minutes before: (id, seat ids: front, front, standard,
/// standard).
async fn student_priced(app: &TestApp, director: &Session) -> (i64, Vec<i64>) {
    let venue = app.create_venue(director).await;
    let production = app.create_production(director).await;
    let response = app
        .post(
            "/api/v1/performances",
            Some(director),
            &json!({
                "production_id": production["id"], "venue_id": venue["id"],
                "starts_at": "2031-03-01T19:00", "prices": {"front": 6000, "standard": 4500},
                "concessions": {"student": {"standard": 3000}},
                "release_unpaid_minutes": 30, "status": "published"
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let performance: Value = response.json().await.unwrap();
    let seats = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    (performance["id"].as_i64().unwrap(), seats)
}

/// A visitor's CSRF cookie and token from `path`.
async fn visitor_on(app: &TestApp, path: &str) -> (String, String, String) {
    let response = get_with(app, "", path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = response.text().await.unwrap();
    (cookie, csrf_field(&page), page)
}

#[tokio::test]
async fn the_checkout_offers_each_seats_types_and_the_booking_page_says_the_deadline() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = student_priced(&app, &director).await;
    let (cookie, csrf, page) = visitor_on(&app, &format!("/performances/{performance}")).await;
    assert!(
        page.contains("студенческий: standard 3\u{a0}000\u{a0}₸"),
        "the performance page lists the concessions"
    );

    let (front, student) = (seats[0].to_string(), seats[2].to_string());
    let held = post_with(
        &app,
        &cookie,
        &format!("/performances/{performance}/hold"),
        form(&[("csrf", &csrf), ("seat", &front), ("seat", &student)]),
    )
    .await;
    assert_eq!(held.status(), StatusCode::SEE_OTHER);
    let checkout = held.headers()["location"].to_str().unwrap().to_owned();
    let page = get_with(&app, &cookie, &checkout)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("name=\"type.{student}\"")), "{page}");
    assert!(
        !page.contains(&format!("name=\"type.{front}\"")),
        "the front zone offers the full price only"
    );
    assert!(page.contains("студенческий — 3\u{a0}000\u{a0}₸"), "{page}");

    let buyer = |kind: &'static str| {
        let field = format!("type.{student}");
        form(&[
            ("csrf", &csrf),
            ("name", "Дана"),
            ("email", "dana@example.kz"),
            ("phone", ""),
            (&field, kind),
        ])
    };
    let refused = post_with(&app, &cookie, &checkout, buyer("veteran")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Выберите тип билета из списка.")
    );

    let booked = post_with(&app, &cookie, &checkout, buyer("student")).await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let booking = booked.headers()["location"].to_str().unwrap().to_owned();
    let page = get_with(&app, &cookie, &booking)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("студенческий, 3\u{a0}000\u{a0}₸"), "{page}");
    assert!(
        page.contains("/lang/kk?back=&#x2f;bookings&#x2f;") && page.contains("%3Ftoken%3D"),
        "switching the language keeps the manage token: {page}"
    );
    assert!(page.contains("К оплате 9\u{a0}000\u{a0}₸"), "{page}");
    assert!(
        page.contains("переводом Kaspi до 18:30, иначе места будут сняты с брони"),
        "{page}"
    );
    assert!(page.contains("На входе покажите документ для льготного билета"));
}

#[tokio::test]
async fn the_director_offers_concessions_and_a_release_time_on_the_schedule_form() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let page = get_with(&app, &cookies, "/director")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"concession.student.standard\""));
    assert!(page.contains("name=\"release_unpaid_minutes\""));
    let csrf = csrf_field(&page);
    let (venue, production) = (venue.to_string(), production.to_string());
    let schedule = |starts_at: &'static str, student_front: &'static str| {
        form(&[
            ("csrf", &csrf),
            ("production_id", &production),
            ("venue_id", &venue),
            ("starts_at", starts_at),
            ("price.front", "6000"),
            ("price.standard", "4500"),
            ("concession.student.front", student_front),
            ("concession.student.standard", "3000"),
            ("concession.child.front", ""),
            ("concession.child.standard", ""),
            ("release_unpaid_minutes", "30"),
            ("publish", "1"),
        ])
    };
    let dearer = post_with(
        &app,
        &cookies,
        "/director/performances",
        schedule("2031-03-01T19:00", "7000"),
    )
    .await;
    assert_eq!(dearer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = dearer.text().await.unwrap();
    assert!(page.contains("Льготные цены: студенческий"), "{page}");
    assert!(
        page.contains("value=\"7000\""),
        "the form keeps what was typed"
    );

    let created = post_with(
        &app,
        &cookies,
        "/director/performances",
        schedule("2031-03-01T19:00", ""),
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let listed: Value = app
        .get("/api/v1/performances?from=2031-03-01&to=2031-03-01", None)
        .await
        .json()
        .await
        .unwrap();
    let performance = &listed[0];
    assert_eq!(
        performance["concessions"],
        json!({"student": {"standard": 3000}}),
        "a blank field offers nothing"
    );
    assert_eq!(performance["release_unpaid_minutes"], 30);
    assert_eq!(
        performance["release_unpaid_at"],
        "2031-03-01T18:30:00+05:00"
    );
}

#[tokio::test]
async fn the_door_sells_a_student_ticket_from_the_sale_page() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = student_priced(&app, &director).await;
    let cookies = page_session(&app, kassa::domain::Role::Staff).await;
    let path = format!("/door/{performance}/sell");
    let page = get_with(&app, &cookies, &path).await.text().await.unwrap();
    let (front, student) = (seats[0].to_string(), seats[3].to_string());
    assert!(page.contains(&format!("name=\"type.{student}\"")), "{page}");
    assert!(!page.contains(&format!("name=\"type.{front}\"")));
    let type_field = format!("type.{student}");
    let sold = post_with(
        &app,
        &cookies,
        &path,
        form(&[
            ("csrf", &csrf_field(&page)),
            ("seat", &student),
            (&type_field, "student"),
            ("payment", "cash"),
        ]),
    )
    .await;
    assert_eq!(sold.status(), StatusCode::SEE_OTHER);
    let tickets = sold.headers()["location"].to_str().unwrap().to_owned();
    let page = get_with(&app, &cookies, &tickets)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("студенческий"), "{page}");
    assert!(page.contains("3\u{a0}000\u{a0}₸"), "{page}");
}
