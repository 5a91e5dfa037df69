//! What the mail worker's clock does: unpaid online bookings lapse at their performance's
//! deadline and their seats go back on sale; every holder is reminded once, the day before.
//! The worker's rounds are run with an injected time, never by sleeping.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::booking_id_of;
use crate::helpers::{Session, TestApp, spawn_app};

fn at(instant: &str) -> DateTime<Utc> {
    instant.parse().unwrap()
}

/// A published performance of the 4-seat test hall at 19:00 Almaty time on 1 March 2031
/// (14:00 UTC) whose unpaid reservations lapse `release` minutes before: (id, seat ids).
async fn releasing(app: &TestApp, director: &Session, release: i64) -> (i64, Vec<i64>) {
    let venue = app.create_venue(director).await;
    let production = app.create_production(director).await;
    let response = app
        .post(
            "/api/v1/performances",
            Some(director),
            &json!({
                "production_id": production["id"], "venue_id": venue["id"],
                "starts_at": "2031-03-01T19:00", "prices": {"front": 6000, "standard": 4500},
                "release_unpaid_minutes": release, "status": "published"
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let performance: Value = response.json().await.unwrap();
    assert_eq!(performance["release_unpaid_minutes"], release);
    let seats = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    (performance["id"].as_i64().unwrap(), seats)
}

/// Books `seats` online in Russian, as `name`.
async fn book(app: &TestApp, performance: i64, seats: &[i64], name: &str) -> Value {
    let email = format!("{name}@example.kz");
    app.book_online(performance, seats, json!({"name": name, "email": email}))
        .await
}

async fn pay(app: &TestApp, director: &Session, booking: &Value, amount: i64) {
    let reference = booking["reference"].as_str().unwrap();
    let paid = app
        .post(
            &format!("/api/v1/bookings/{reference}/payments"),
            Some(director),
            &json!({"amount": amount, "method": "kaspi"}),
        )
        .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
}

fn status_of(app: &TestApp, booking: &Value) -> String {
    let reference = booking["reference"].as_str().unwrap();
    let id = booking_id_of(app, reference);
    kassa::db::bookings::find(&mut app.db(), id)
        .unwrap()
        .unwrap()
        .status
        .as_str()
        .to_owned()
}

#[tokio::test]
async fn unpaid_online_bookings_lapse_at_the_deadline_and_their_seats_go_back_on_sale() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats) = releasing(&app, &director, 30).await;
    let unpaid = book(&app, performance, &[seats[0]], "unpaid").await;
    let paid = book(&app, performance, &[seats[1]], "paid").await;
    pay(&app, &director, &paid, 6000).await;
    let partly = book(&app, performance, &[seats[2]], "partly").await;
    pay(&app, &director, &partly, 1000).await;
    let let_in = book(&app, performance, &[seats[3]], "inside").await;
    let admitted = app
        .post(
            "/api/v1/checkins",
            Some(&staff),
            &json!({"code": let_in["tickets"][0]["code"], "performance_id": performance, "direction": "in", "admit_unpaid": true}),
        )
        .await;
    assert_eq!(admitted.status(), StatusCode::OK);

    let courier = app.courier();
    assert_eq!(courier.deliver_due().await.unwrap().sent, 4);
    let confirmation = app
        .mails()
        .into_iter()
        .map(|(_, text)| text)
        .find(|text| text.contains(unpaid["reference"].as_str().unwrap()))
        .unwrap();
    assert!(
        confirmation.contains("переводом Kaspi до 18:30, иначе места будут сняты"),
        "the deadline, 30 minutes before 19:00: {confirmation}"
    );

    let before = courier.round(at("2031-03-01T13:29:59Z")).await.unwrap();
    assert_eq!(before.released, 0, "a second before the deadline");
    assert_eq!(status_of(&app, &unpaid), "confirmed");

    let round = courier.round(at("2031-03-01T13:30:00Z")).await.unwrap();
    assert_eq!(
        round.released, 1,
        "only the unpaid one, not the partly paid or the admitted"
    );
    assert_eq!(status_of(&app, &unpaid), "cancelled");
    for kept in [&paid, &partly, &let_in] {
        assert_eq!(status_of(&app, kept), "confirmed", "{}", kept["reference"]);
    }
    let id = booking_id_of(&app, unpaid["reference"].as_str().unwrap());
    assert_eq!(
        app.outbox(id).await,
        vec!["booking_confirmed", "reminder", "unpaid_released"],
        "reminded on the first round past noon the day before, then released"
    );
    assert_eq!(round.sent, 1, "the release mail went in the same round");
    let released_mail = app
        .mails()
        .into_iter()
        .find(|(subject, _)| subject.contains("не оплачена"))
        .expect("the holder is told in Russian");
    assert!(
        released_mail
            .0
            .contains(unpaid["reference"].as_str().unwrap())
    );

    let again = courier.round(at("2031-03-01T13:45:00Z")).await.unwrap();
    assert_eq!(again.released, 0, "released once");

    let sold = app
        .post(
            &format!("/api/v1/performances/{performance}/sales"),
            Some(&staff),
            &json!({"seat_ids": [seats[0]], "payment": "cash"}),
        )
        .await;
    assert_eq!(
        sold.status(),
        StatusCode::CREATED,
        "the seat is on sale again"
    );

    // Noted at the worker's time, on the day of the performance.
    let audit: Value = app
        .get(
            "/api/v1/audit?from=2031-03-01&to=2031-03-01",
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    let releases: Vec<&Value> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "unpaid_released")
        .collect();
    assert_eq!(releases.len(), 1, "{audit}");
    assert_eq!(releases[0]["reference"], unpaid["reference"], "{audit}");
    assert!(releases[0]["by"].is_null(), "kassa did it on its own clock");
}

#[tokio::test]
async fn the_deadline_is_an_instant_even_across_almatys_2024_offset_change() {
    let app = spawn_app().await;
    let director = app.director().await;
    // A day before the start: 19:00 on 1 March 2024 was 14:00 UTC (UTC+5, from that day), so
    // the deadline is 14:00 UTC on 29 February, which Almaty's clocks (UTC+6 then) showed as
    // 20:00, not 19:00.
    let (performance, seats) = releasing(&app, &director, 24 * 60).await;
    let unpaid = book(&app, performance, &[seats[0]], "unpaid").await;
    {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use kassa::db::schema::performances;
        let starts_at = at("2024-03-01T14:00:00Z").naive_utc();
        diesel::update(performances::table.find(performance as i32))
            .set((
                performances::starts_at.eq(starts_at),
                performances::ends_at.eq(starts_at + chrono::Duration::minutes(115)),
            ))
            .execute(&mut app.db())
            .unwrap();
    }
    let shown: Value = app
        .get(&format!("/api/v1/performances/{performance}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["starts_at"], "2024-03-01T19:00:00+05:00");
    assert_eq!(shown["release_unpaid_at"], "2024-02-29T20:00:00+06:00");

    let courier = app.courier();
    let early = courier.round(at("2024-02-29T13:59:59Z")).await.unwrap();
    assert_eq!(
        early.released, 0,
        "19:00 on the clock is not yet the deadline"
    );
    assert_eq!(status_of(&app, &unpaid), "confirmed");
    let due = courier.round(at("2024-02-29T14:00:00Z")).await.unwrap();
    assert_eq!(due.released, 1);
    assert_eq!(status_of(&app, &unpaid), "cancelled");
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use kassa::db::schema::seat_claims;
    let claimed: i64 = seat_claims::table
        .filter(seat_claims::seat_id.eq(seats[0] as i32))
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(claimed, 0, "its seat is free");
}

#[tokio::test]
async fn every_holder_is_reminded_once_the_day_before_even_with_two_instances() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = releasing(&app, &director, 30).await;
    let unpaid = book(&app, performance, &[seats[0], seats[2]], "unpaid").await;
    let paid = book(&app, performance, &[seats[1]], "paid").await;
    pay(&app, &director, &paid, 6000).await;
    let cancelled = book(&app, performance, &[seats[3]], "cancelled").await;
    let cancel = app
        .client
        .post(app.url(&format!(
            "/api/v1/bookings/{}/cancel",
            cancelled["reference"].as_str().unwrap()
        )))
        .header(
            "X-Manage-Token",
            cancelled["manage_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::OK);
    let first = app.courier();
    assert_eq!(first.deliver_due().await.unwrap().sent, 4);

    // Noon in Almaty (UTC+5) the day before is 07:00 UTC.
    let early = first.round(at("2031-02-28T06:59:00Z")).await.unwrap();
    assert_eq!(early.reminded, 0);
    let second = app.courier_of_another_instance();
    let noon = at("2031-02-28T07:00:00Z");
    let (one, other) = tokio::join!(first.round(noon), second.round(noon));
    let (one, other) = (one.unwrap(), other.unwrap());
    assert_eq!(one.reminded + other.reminded, 2, "{one:?} {other:?}");
    assert_eq!(one.sent + other.sent, 2, "each reminder sent once");
    // A restart later that day finds them sent.
    let restarted = app.courier_of_another_instance();
    let later = restarted.round(at("2031-02-28T15:00:00Z")).await.unwrap();
    assert_eq!((later.reminded, later.sent), (0, 0));

    let reminders: Vec<(String, String)> = app
        .mails()
        .into_iter()
        .filter(|(subject, _)| subject.starts_with("Завтра"))
        .collect();
    assert_eq!(reminders.len(), 2, "the cancelled booking gets none");
    let to_unpaid = reminders
        .iter()
        .find(|(_, text)| text.contains(unpaid["reference"].as_str().unwrap()))
        .map(|(_, text)| text)
        .expect("the unpaid holder is reminded");
    assert!(to_unpaid.contains("ряд 1, место 1"), "{to_unpaid}");
    assert!(to_unpaid.contains("ряд 2, место 1"), "{to_unpaid}");
    assert!(
        to_unpaid.contains("К оплате 10\u{a0}500\u{a0}₸"),
        "{to_unpaid}"
    );
    assert!(to_unpaid.contains("до 18:30"), "{to_unpaid}");
    assert!(
        to_unpaid.contains("/bookings/"),
        "the manage link: {to_unpaid}"
    );
    let to_paid = reminders
        .iter()
        .find(|(_, text)| text.contains(paid["reference"].as_str().unwrap()))
        .map(|(_, text)| text)
        .expect("the paid holder is reminded");
    assert!(to_paid.contains("Бронь оплачена"), "{to_paid}");
}

#[tokio::test]
async fn a_payment_racing_the_release_either_keeps_the_booking_or_is_refused() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = releasing(&app, &director, 30).await;
    let courier = app.courier();
    for seat in seats {
        let booking = book(&app, performance, &[seat], "racer").await;
        let reference = booking["reference"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/bookings/{reference}/payments");
        let body = json!({"amount": booking["total"], "method": "kaspi"});
        let (paid, round) = tokio::join!(
            app.post(&path, Some(&director), &body),
            courier.round(at("2031-03-01T13:30:00Z"))
        );
        let round = round.unwrap();
        let status = status_of(&app, &booking);
        let rows: i64 = {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use kassa::db::schema::payments;
            payments::table
                .filter(payments::booking_id.eq(booking_id_of(&app, &reference)))
                .count()
                .get_result(&mut app.db())
                .unwrap()
        };
        match paid.status() {
            StatusCode::CREATED => {
                assert_eq!((status.as_str(), rows, round.released), ("confirmed", 1, 0));
            }
            StatusCode::CONFLICT => {
                let error: Value = paid.json().await.unwrap();
                assert_eq!(error["error"]["code"], "booking_cancelled");
                assert_eq!((status.as_str(), rows, round.released), ("cancelled", 0, 1));
            }
            other => panic!("unexpected {other}"),
        }
    }
}
