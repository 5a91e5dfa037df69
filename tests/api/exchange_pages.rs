//! Staff exchanging a booking for its holder from the director's booking list: the exchange
//! page opened with the staff session instead of a manage token, past the holder's policy, and
//! kept in the audit log under the staff member's name.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;
use crate::pages::{csrf_field, get_with, page_session, post_with};

#[tokio::test]
async fn the_director_moves_a_holders_booking_from_the_booking_list() {
    // No exchanges for holders at all: staff are not held to the policy.
    let app = spawn_app_with(|settings| settings.booking.max_exchanges = 0).await;
    let director = app.director().await;
    let venue = app.create_venue(&director).await;
    let venue_id = venue["id"].as_i64().unwrap();
    let seats: Vec<i64> = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    let mut dates = Vec::new();
    for starts_at in ["2031-03-01T19:00", "2031-03-08T19:00"] {
        let response = app
            .schedule(&director, venue_id, production, starts_at, "published")
            .await;
        dates.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let booking = app.book_online(dates[0], &[seats[2]], json!({})).await;
    let reference = booking["reference"].as_str().unwrap();

    // Without a token or a session the page is not there.
    let anonymous = app
        .get(&format!("/bookings/{reference}/exchange"), None)
        .await;
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);

    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let list = get_with(
        &app,
        &cookies,
        &format!("/director/performances/{}", dates[0]),
    )
    .await
    .text()
    .await
    .unwrap();
    let link = format!("href=\"/bookings/{reference}/exchange\"");
    assert!(
        list.contains(&link),
        "an exchange link on the booking's line"
    );

    let path = format!(
        "/bookings/{reference}/exchange?token=&performance={}",
        dates[1]
    );
    let page = get_with(&app, &cookies, &path).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("form method=\"post\""),
        "the map to pick from, past the policy"
    );
    let form = format!(
        "csrf={}&token=&performance={}&seat={}",
        csrf_field(&page),
        dates[1],
        seats[3]
    );
    let moved = post_with(
        &app,
        &cookies,
        &format!("/bookings/{reference}/exchange"),
        form,
    )
    .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let location = moved.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/director/performances/{}#booking-{reference}", dates[1])
    );

    let now: Value = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["performance"]["id"], dates[1]);
    assert_eq!(now["exchanges"], 1);
    let entry = app
        .audit_entry(&director, reference, "booking_exchanged")
        .await;
    assert!(
        entry["by"]
            .as_str()
            .is_some_and(|by| by.starts_with("director")),
        "the staff member who moved it, not the holder: {entry}"
    );
}
