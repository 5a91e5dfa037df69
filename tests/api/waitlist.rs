//! The waiting list of a sold-out performance: joining it, the offers that seats coming back
//! make (held for the first in line that fit, mailed with a link to book), offers that run out
//! on an injected clock, leaving, and the races of freed seats against buyers and workers.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app, spawn_app_with};

const STARTS_AT: &str = "2031-05-10T19:00";

async fn join(app: &TestApp, performance: i64, email: &str, seats: i64) -> reqwest::Response {
    app.post(
        &format!("/api/v1/performances/{performance}/waitlist"),
        None,
        &json!({"name": "Dana", "email": email, "language": "ru", "seats": seats}),
    )
    .await
}

async fn joined(app: &TestApp, performance: i64, email: &str, seats: i64) -> Value {
    let response = join(app, performance, email, seats).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{email} joins");
    response.json().await.unwrap()
}

async fn cancel(app: &TestApp, booking: &Value) -> StatusCode {
    let reference = booking["reference"].as_str().unwrap();
    app.client
        .post(app.url(&format!("/api/v1/bookings/{reference}/cancel")))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .status()
}

/// The director's view of the line: (email → status) and the seats it filled.
async fn line(app: &TestApp, director: &Session, performance: i64) -> (Vec<Value>, i64) {
    let response = app
        .get(
            &format!("/api/v1/performances/{performance}/waitlist"),
            Some(director),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    (
        body["entries"].as_array().unwrap().clone(),
        body["filled_seats"].as_i64().unwrap(),
    )
}

fn statuses(entries: &[Value]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().to_owned(),
                e["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The link of `kind` ("checkout" or "waitlist") in the latest mail to `recipient` whose subject
/// contains `subject`; the worker must have delivered it.
fn link_in_mail(app: &TestApp, subject: &str, kind: &str) -> String {
    let mails = app.mails();
    let (_, text) = mails
        .iter()
        .find(|(s, _)| s.contains(subject))
        .unwrap_or_else(|| panic!("a mail about {subject:?} in {mails:?}"));
    let start = text
        .find(&format!("{}/{kind}/", app.public_url))
        .unwrap_or_else(|| panic!("a {kind} link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// A sold-out performance of the 4-seat hall, as two bookings of two seats each.
async fn sold_out(app: &TestApp, director: &Session) -> (i64, Vec<i64>, Value, Value) {
    let (performance, seats) = app.performance_on_sale(director, STARTS_AT).await;
    let first = app
        .book_online(performance, &seats[..2], json!({"email": "a@example.kz"}))
        .await;
    let second = app
        .book_online(performance, &seats[2..], json!({"email": "b@example.kz"}))
        .await;
    (performance, seats, first, second)
}

#[tokio::test]
async fn a_cancellation_offers_its_seats_to_the_first_in_line_who_books_them_from_the_mail() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, STARTS_AT).await;

    // With seats on sale there is no line to join.
    let refused = error_of(
        join(&app, performance, "x@example.kz", 2).await,
        StatusCode::CONFLICT,
        "seats_available",
    )
    .await;
    assert_eq!(refused["details"]["free"], 4);

    let first = app
        .book_online(performance, &seats[..2], json!({"email": "a@example.kz"}))
        .await;
    // Two seats left: someone wanting three may join, someone wanting two may not.
    let three = joined(&app, performance, "three@example.kz", 3).await;
    assert_eq!(three["position"], 1);
    error_of(
        join(&app, performance, "two@example.kz", 2).await,
        StatusCode::CONFLICT,
        "seats_available",
    )
    .await;
    let second = app
        .book_online(performance, &seats[2..], json!({"email": "b@example.kz"}))
        .await;

    let x = joined(&app, performance, "x@example.kz", 2).await;
    assert_eq!(
        (x["position"].as_i64(), x["status"].as_str()),
        (Some(2), Some("waiting"))
    );
    let y = joined(&app, performance, "y@example.kz", 1).await;
    assert_eq!(y["position"], 3);
    let again = joined(&app, performance, "X@example.kz", 2).await;
    assert_eq!(again["id"], x["id"], "the same address joins once");
    let invalid = error_of(
        join(&app, performance, "z@example.kz", 5).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid["details"]["field"], "seats");

    // The second booking is cancelled: its two seats fit x (three does not fit, y is behind).
    assert_eq!(cancel(&app, &second).await, StatusCode::OK);
    let map: HashMap<i64, String> = app.seat_statuses(performance).await.into_iter().collect();
    assert_eq!(
        map[&seats[2]], "held",
        "an offer never shows a seat as available"
    );
    assert_eq!(map[&seats[3]], "held");
    let (entries, filled) = line(&app, &director, performance).await;
    assert_eq!(
        statuses(&entries),
        [
            ("three@example.kz".into(), "waiting".into()),
            ("x@example.kz".into(), "offered".into()),
            ("y@example.kz".into(), "waiting".into()),
        ]
    );
    assert_eq!(filled, 0);
    let offer_ends = entries[1]["offer_expires_at"].as_str().unwrap();
    let ends = chrono::DateTime::parse_from_rfc3339(offer_ends).unwrap();
    let minutes = (ends.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!(
        (118..=120).contains(&minutes),
        "held for offer_minutes: {minutes}"
    );

    // The mail: three joined, one offer, two confirmations and one cancellation.
    let delivered = app.courier().deliver_due().await.unwrap();
    assert_eq!(delivered.sent, 7);
    let offer = app
        .mails()
        .into_iter()
        .find(|(subject, _)| subject.contains("освободились места"))
        .unwrap();
    assert!(
        offer.1.contains("ряд 2, место 1, ряд 2, место 2"),
        "the seats held: {}",
        offer.1
    );
    let checkout = link_in_mail(&app, "освободились места", "checkout");
    let hold_token = checkout.rsplit('/').next().unwrap();
    let page = app.client.get(&checkout).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the link opens the checkout");
    let booked = app
        .post(
            "/api/v1/bookings",
            None,
            &json!({"hold_token": hold_token, "name": "X", "email": "x@example.kz", "language": "ru"}),
        )
        .await;
    assert_eq!(booked.status(), StatusCode::CREATED);
    let booked: Value = booked.json().await.unwrap();
    let booked_seats: Vec<(i64, i64)> = booked["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["seat"]["row"].as_i64().unwrap(),
                t["seat"]["number"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        booked_seats,
        [(2, 1), (2, 2)],
        "the seats the cancellation freed"
    );
    let map: HashMap<i64, String> = app.seat_statuses(performance).await.into_iter().collect();
    assert_eq!(map[&seats[2]], "booked");

    let (entries, filled) = line(&app, &director, performance).await;
    assert_eq!(entries[1]["status"], "booked");
    assert_eq!(entries[1]["booking_reference"], booked["reference"]);
    assert_eq!(filled, 2);
    assert_eq!(first["status"], "confirmed");
}

#[tokio::test]
async fn an_offer_that_runs_out_goes_to_the_next_in_line_on_the_workers_clock() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats, _, second) = sold_out(&app, &director).await;
    joined(&app, performance, "x@example.kz", 2).await;
    joined(&app, performance, "y@example.kz", 2).await;
    assert_eq!(cancel(&app, &second).await, StatusCode::OK);

    // Nothing runs out before its time.
    let now = chrono::Utc::now();
    let early = app
        .courier()
        .round(now + chrono::Duration::minutes(60))
        .await
        .unwrap();
    assert_eq!((early.lapsed, early.offered), (0, 0));

    let late = app
        .courier()
        .round(now + chrono::Duration::minutes(121))
        .await
        .unwrap();
    assert_eq!((late.lapsed, late.offered), (1, 1));
    let (entries, _) = line(&app, &director, performance).await;
    assert_eq!(
        statuses(&entries),
        [
            ("x@example.kz".into(), "lapsed".into()),
            ("y@example.kz".into(), "offered".into()),
        ]
    );
    // x's link books nothing any more; y's is for the same two seats.
    let x_token = app.offer_token(entries[0]["id"].as_i64().unwrap());
    let held = kassa::db::holds::find_with_seats(
        &mut app.db(),
        &kassa::auth::token::hash(&app.offer_token(entries[1]["id"].as_i64().unwrap())),
        now + chrono::Duration::minutes(122),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        held.1.iter().map(|s| i64::from(*s)).collect::<Vec<_>>(),
        seats[2..]
    );
    let stale = app
        .post(
            "/api/v1/bookings",
            None,
            &json!({"hold_token": x_token, "name": "X", "email": "x@example.kz", "language": "ru"}),
        )
        .await;
    assert_eq!(
        stale.status(),
        StatusCode::GONE,
        "a lapsed offer books nothing"
    );
}

#[tokio::test]
async fn leaving_the_list_from_the_mail_passes_held_seats_to_the_next() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats, _, second) = sold_out(&app, &director).await;
    let x = joined(&app, performance, "x@example.kz", 2).await;
    joined(&app, performance, "y@example.kz", 2).await;
    assert_eq!(cancel(&app, &second).await, StatusCode::OK);
    app.courier().deliver_due().await.unwrap();

    let id = x["id"].as_i64().unwrap();
    let leave = |token: String| {
        app.client
            .delete(app.url(&format!("/api/v1/waitlist/{id}")))
            .header("X-Waitlist-Token", token)
            .send()
    };
    let wrong = leave("not-the-token".into()).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);

    let link = app
        .mails()
        .into_iter()
        .find_map(|(_, text)| {
            let needle = format!("{}/waitlist/{id}?token=", app.public_url);
            let start = text.find(&needle)?;
            Some(text[start..].split_whitespace().next().unwrap().to_owned())
        })
        .expect("x's mail has a link to leave");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let left = leave(token.clone()).await.unwrap();
    assert_eq!(left.status(), StatusCode::OK);
    let left: Value = left.json().await.unwrap();
    assert_eq!(left["status"], "left");
    let again: Value = leave(token).await.unwrap().json().await.unwrap();
    assert_eq!(again["status"], "left", "leaving twice changes nothing");

    // x's seats went to y at once, and are still not on sale.
    let (entries, _) = line(&app, &director, performance).await;
    assert_eq!(
        statuses(&entries),
        [
            ("x@example.kz".into(), "left".into()),
            ("y@example.kz".into(), "offered".into()),
        ]
    );
    let map: HashMap<i64, String> = app.seat_statuses(performance).await.into_iter().collect();
    assert_eq!(
        (map[&seats[2]].as_str(), map[&seats[3]].as_str()),
        ("held", "held")
    );
}

impl TestApp {
    /// The token of the offer made to a waiting-list entry, as its mail carries it.
    pub fn offer_token(&self, entry_id: i64) -> String {
        let secret =
            kassa::db::secrets::load_or_create(&mut self.db(), "manage_links", chrono::Utc::now())
                .unwrap();
        kassa::app::links::Links::new(secret, &self.public_url).offer_token(entry_id as i32)
    }
}

#[tokio::test]
async fn an_offer_is_held_no_longer_than_the_sales_close() {
    let app = spawn_app_with(|settings| settings.waitlist.offer_minutes = 60 * 24 * 365 * 10).await;
    let director = app.director().await;
    let (performance, _, _, second) = sold_out(&app, &director).await;
    joined(&app, performance, "x@example.kz", 2).await;
    assert_eq!(cancel(&app, &second).await, StatusCode::OK);
    let (entries, _) = line(&app, &director, performance).await;
    let ends =
        chrono::DateTime::parse_from_rfc3339(entries[0]["offer_expires_at"].as_str().unwrap())
            .unwrap();
    // Sales close at the start: 19:00 in Almaty (UTC+5 in 2031).
    assert_eq!(ends.to_rfc3339(), "2031-05-10T14:00:00+00:00");
}
