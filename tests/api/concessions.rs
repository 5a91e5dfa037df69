//! Concession prices: zone × ticket type, picked per seat online and at the door, kept on the
//! ticket, and said by the mail and the door.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app};

/// A published performance in the 4-seat test hall with a student price in both zones and a
/// pensioner price in the standard zone: (performance, seat ids in plan order: front, front,
/// standard, standard).
async fn with_concessions(app: &TestApp, director: &Session) -> (Value, Vec<i64>) {
    let (venue, production) = app.hall_and_play(director).await;
    let response = app
        .post(
            "/api/v1/performances",
            Some(director),
            &json!({
                "production_id": production,
                "venue_id": venue,
                "starts_at": "2031-03-01T19:00",
                "prices": {"front": 6000, "standard": 4500},
                "concessions": {"student": {"front": 4000, "standard": 3000}, "pensioner": {"standard": 2500}},
                "status": "published"
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let performance: Value = response.json().await.unwrap();
    let map: Value = app
        .get(
            &format!("/api/v1/performances/{}/seats", performance["id"]),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let mut seats: Vec<(i64, i64, i64)> = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["row"].as_i64().unwrap(),
                s["number"].as_i64().unwrap(),
                s["id"].as_i64().unwrap(),
            )
        })
        .collect();
    seats.sort_unstable();
    (
        performance,
        seats.into_iter().map(|(_, _, id)| id).collect(),
    )
}

async fn hold(app: &TestApp, performance: &Value, seats: &[i64]) -> String {
    let held: Value = app
        .post(
            &format!("/api/v1/performances/{}/holds", performance["id"]),
            None,
            &json!({ "seat_ids": seats }),
        )
        .await
        .json()
        .await
        .unwrap();
    held["hold_token"].as_str().unwrap().to_owned()
}

fn order(hold_token: &str, tickets: Value) -> Value {
    json!({"hold_token": hold_token, "name": "Дана", "email": "dana@example.kz", "language": "ru", "tickets": tickets})
}

#[tokio::test]
async fn the_buyer_picks_a_type_per_seat_and_the_ticket_mail_and_door_say_it() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats) = with_concessions(&app, &director).await;
    assert_eq!(
        performance["prices"],
        json!({"front": 6000, "standard": 4500})
    );
    assert_eq!(
        performance["concessions"],
        json!({"pensioner": {"standard": 2500}, "student": {"front": 4000, "standard": 3000}})
    );

    let token = hold(&app, &performance, &[seats[0], seats[2], seats[3]]).await;
    let tickets = json!([{"seat_id": seats[2], "type": "student"}, {"seat_id": seats[3], "type": "pensioner"}]);
    let response = app
        .post("/api/v1/bookings", None, &order(&token, tickets))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let booking: Value = response.json().await.unwrap();
    assert_eq!(booking["total"], 6000 + 3000 + 2500);
    assert_eq!(booking["amount_due"], 11500);
    let types: Vec<(&str, i64)> = booking["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["type"].as_str().unwrap(), t["price"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        types,
        vec![("full", 6000), ("student", 3000), ("pensioner", 2500)]
    );

    let delivered = app.courier().deliver_due().await.unwrap();
    assert_eq!(delivered.sent, 1);
    let (_, text) = app.mails().pop().expect("the confirmation");
    assert!(
        text.contains("ряд 2, место 1, standard, студенческий, 3\u{a0}000\u{a0}₸"),
        "{text}"
    );
    assert!(
        text.contains("ряд 2, место 2, standard, пенсионный, 2\u{a0}500\u{a0}₸"),
        "{text}"
    );
    assert!(text.contains("документ для льготного билета"), "{text}");
    assert!(text.contains("К оплате 11\u{a0}500\u{a0}₸"), "{text}");

    let scanned = app
        .post(
            "/api/v1/checkins",
            Some(&staff),
            &json!({"code": booking["tickets"][1]["code"], "performance_id": performance["id"], "direction": "in", "payment": {"method": "cash"}}),
        )
        .await;
    assert_eq!(scanned.status(), StatusCode::OK);
    let answer: Value = scanned.json().await.unwrap();
    assert_eq!(answer["result"], "admitted");
    assert_eq!(answer["ticket"]["type"], "student");
    assert_eq!(
        answer["taken"]["amount"], 11500,
        "the whole booking at its prices"
    );

    let door: Value = app
        .get(
            &format!("/api/v1/performances/{}/door", performance["id"]),
            Some(&staff),
        )
        .await
        .json()
        .await
        .unwrap();
    let offline: Vec<&str> = door["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
    assert_eq!(offline, vec!["full", "student", "pensioner"]);
}

#[tokio::test]
async fn a_type_the_zone_does_not_offer_is_refused_and_the_hold_stays_bookable() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = with_concessions(&app, &director).await;
    let token = hold(&app, &performance, &[seats[0], seats[2]]).await;

    for (tickets, why) in [
        (
            json!([{"seat_id": seats[0], "type": "pensioner"}]),
            "no pensioner price in front",
        ),
        (
            json!([{"seat_id": seats[1], "type": "student"}]),
            "a seat not in the hold",
        ),
        (
            json!([{"seat_id": seats[2], "type": "student"}, {"seat_id": seats[2], "type": "full"}]),
            "a seat named twice",
        ),
    ] {
        let refused = app
            .post("/api/v1/bookings", None, &order(&token, tickets))
            .await;
        let error = error_of(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error["details"]["field"], "tickets", "{why}: {error}");
    }
    let unknown = app
        .post(
            "/api/v1/bookings",
            None,
            &order(&token, json!([{"seat_id": seats[2], "type": "veteran"}])),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let booked = app
        .post(
            "/api/v1/bookings",
            None,
            &order(&token, json!([{"seat_id": seats[0], "type": "student"}])),
        )
        .await;
    assert_eq!(
        booked.status(),
        StatusCode::CREATED,
        "nothing was half-booked"
    );
    let booking: Value = booked.json().await.unwrap();
    assert_eq!(booking["total"], 4000 + 4500);
}

#[tokio::test]
async fn concessions_are_checked_against_the_hall_and_the_full_price() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    for (concessions, field) in [
        (
            json!({"student": {"front": 6001}}),
            "concessions.student.front",
        ),
        (
            json!({"child": {"balcony": 1000}}),
            "concessions.child.balcony",
        ),
        (
            json!({"student": {"front": -1}}),
            "concessions.student.front",
        ),
    ] {
        let response = app
            .post(
                "/api/v1/performances",
                Some(&director),
                &json!({
                    "production_id": production, "venue_id": venue, "starts_at": "2031-03-01T19:00",
                    "prices": {"front": 6000, "standard": 4500}, "concessions": concessions
                }),
            )
            .await;
        let error = error_of(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error["details"]["field"], field, "{concessions}: {error}");
    }
    use diesel::{QueryDsl, RunQueryDsl};
    let scheduled: i64 = kassa::db::schema::performances::table
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(scheduled, 0, "nothing was scheduled");
}

#[tokio::test]
async fn new_full_prices_keep_the_concessions_and_sold_tickets_keep_their_price() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = with_concessions(&app, &director).await;
    let id = performance["id"].as_i64().unwrap();
    let token = hold(&app, &performance, &[seats[2]]).await;
    let sold: Value = app
        .post(
            "/api/v1/bookings",
            None,
            &order(&token, json!([{"seat_id": seats[2], "type": "student"}])),
        )
        .await
        .json()
        .await
        .unwrap();

    let path = format!("/api/v1/performances/{id}");
    let dearer = app
        .patch(
            &path,
            Some(&director),
            &json!({"prices": {"front": 7000, "standard": 5000}}),
        )
        .await;
    assert_eq!(dearer.status(), StatusCode::OK);
    let changed: Value = dearer.json().await.unwrap();
    assert_eq!(changed["prices"], json!({"front": 7000, "standard": 5000}));
    assert_eq!(changed["concessions"]["student"]["standard"], 3000);

    let too_cheap_full = app
        .patch(
            &path,
            Some(&director),
            &json!({"prices": {"front": 3000, "standard": 2000}}),
        )
        .await;
    let error = error_of(
        too_cheap_full,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        error["details"]["field"]
            .as_str()
            .unwrap()
            .starts_with("concessions."),
        "a concession dearer than the new full price: {error}"
    );

    let none = app
        .patch(&path, Some(&director), &json!({"concessions": {}}))
        .await;
    assert_eq!(none.status(), StatusCode::OK);
    let changed: Value = none.json().await.unwrap();
    assert_eq!(changed["concessions"], json!({}));

    let reread = app
        .client
        .get(app.url(&format!(
            "/api/v1/bookings/{}",
            sold["reference"].as_str().unwrap()
        )))
        .header("X-Manage-Token", sold["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let reread: Value = reread.json().await.unwrap();
    assert_eq!(reread["tickets"][0]["type"], "student");
    assert_eq!(reread["tickets"][0]["price"], 3000);

    let audit: Value = app
        .get("/api/v1/audit", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    let changes: Vec<&Value> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "prices_changed")
        .collect();
    assert_eq!(changes.len(), 2, "two changes that took effect: {audit}");
}

#[tokio::test]
async fn the_door_sells_concessions_and_takes_their_price() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats) = with_concessions(&app, &director).await;
    let response = app
        .post(
            &format!("/api/v1/performances/{}/sales", performance["id"]),
            Some(&staff),
            &json!({"seat_ids": [seats[0], seats[3]], "payment": "kaspi",
                    "tickets": [{"seat_id": seats[0], "type": "student"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sale: Value = response.json().await.unwrap();
    assert_eq!(sale["total"], 4000 + 4500);
    assert_eq!(sale["payment"], "paid");
    assert_eq!(sale["amount_paid"], 8500);
    assert_eq!(sale["tickets"][0]["type"], "student");
    assert_eq!(sale["tickets"][1]["type"], "full");
}
