use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

/// An online booking of two front seats (6 000 ₸ each) for a new performance, to pay at the
/// door: (performance id, seat ids, booking).
pub(crate) async fn unpaid(
    app: &TestApp,
    director: &Session,
    name: &str,
) -> (i64, Vec<i64>, Value) {
    let (performance, seats) = app.performance_on_sale(director, "2031-03-01T19:00").await;
    let held: Value = app
        .post(
            &format!("/api/v1/performances/{performance}/holds"),
            None,
            &json!({"seat_ids": [seats[0], seats[1]]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"hold_token": held["hold_token"], "name": name, "email": "guest@example.kz", "language": "ru"});
    let booking: Value = app
        .post("/api/v1/bookings", None, &body)
        .await
        .json()
        .await
        .unwrap();
    (performance, seats, booking)
}

/// [`unpaid`]'s booking, paid by a Kaspi transfer before the show: the door admits it at once.
pub(crate) async fn booked(
    app: &TestApp,
    director: &Session,
    name: &str,
) -> (i64, Vec<i64>, Value) {
    let (performance, seats, booking) = unpaid(app, director, name).await;
    let reference = booking["reference"].as_str().unwrap();
    let paid = app
        .post(
            &format!("/api/v1/bookings/{reference}/payments"),
            Some(director),
            &json!({"amount": booking["total"], "method": "kaspi", "note": "Kaspi 1234"}),
        )
        .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    (performance, seats, booking)
}

pub(crate) fn code(booking: &Value, i: usize) -> String {
    booking["tickets"][i]["code"].as_str().unwrap().to_owned()
}

pub(crate) async fn scan(
    app: &TestApp,
    staff: &Session,
    code: &str,
    performance: i64,
    direction: &str,
) -> (StatusCode, Value) {
    let response = app
        .post(
            "/api/v1/checkins",
            Some(staff),
            &json!({"code": code, "performance_id": performance, "direction": direction}),
        )
        .await;
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_ticket_is_admitted_once_and_again_after_the_interval() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Айгерим").await;
    let ticket = code(&booking, 0);

    let (status, admitted) = scan(&app, &staff, &ticket, performance, "in").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(admitted["result"], "admitted");
    assert_eq!(
        admitted["ticket"]["seat"],
        json!({"row": 1, "number": 1, "zone": "front"})
    );
    assert_eq!(admitted["ticket"]["name"], "Айгерим");
    assert_eq!(admitted["ticket"]["reference"], booking["reference"]);
    assert_eq!(admitted["ticket"]["payment"], "paid");
    assert_eq!(admitted["ticket"]["amount_due"], 0);
    assert!(admitted["checkin"]["id"].is_number());
    assert!(
        admitted["checkin"]["by"]
            .as_str()
            .unwrap()
            .starts_with("staff-")
    );

    let (status, again) = scan(&app, &staff, &ticket.to_lowercase(), performance, "in").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["result"], "already_admitted");
    assert_eq!(again["first_at"], admitted["checkin"]["at"]);
    assert_eq!(again["by"], admitted["checkin"]["by"]);
    assert_eq!(again["ticket"]["name"], "Айгерим");

    assert_eq!(
        scan(&app, &staff, &ticket, performance, "out").await.1["result"],
        "left"
    );
    assert_eq!(
        scan(&app, &staff, &ticket, performance, "out").await.1["result"],
        "not_inside"
    );
    assert_eq!(
        scan(&app, &staff, &ticket, performance, "in").await.1["result"],
        "admitted"
    );
}

#[tokio::test]
async fn forged_foreign_and_cancelled_tickets_get_their_own_answers() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Guest").await;
    let (other_performance, _, other) = booked(&app, &director, "Other").await;

    let genuine = code(&booking, 0);
    let mut altered = genuine.clone().into_bytes();
    altered[5] = if altered[5] == b'A' { b'B' } else { b'A' };
    for forged in [
        "",
        "not a ticket",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        std::str::from_utf8(&altered).unwrap(),
    ] {
        let (status, answer) = scan(&app, &staff, forged, performance, "in").await;
        assert_eq!(
            (status, answer["result"].as_str()),
            (StatusCode::NOT_FOUND, Some("unknown")),
            "{forged}"
        );
    }

    let (status, answer) = scan(&app, &staff, &code(&other, 0), performance, "in").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["result"], "wrong_performance");
    assert_eq!(answer["ticket"]["performance"]["id"], other_performance);
    assert_eq!(
        answer["ticket"]["performance"]["starts_at"],
        "2031-03-01T19:00:00+05:00"
    );
    assert_eq!(
        answer["ticket"]["performance"]["production"],
        "Здесь.Алматы"
    );

    let cancel = app
        .client
        .post(app.url(&format!(
            "/api/v1/bookings/{}/cancel",
            booking["reference"].as_str().unwrap()
        )))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::OK);
    let (status, answer) = scan(&app, &staff, &genuine, performance, "in").await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (StatusCode::GONE, Some("cancelled"))
    );
    // At another performance's door, cancelled still wins: the holder must not be sent to
    // come back on the ticket's day.
    let (status, answer) = scan(&app, &staff, &genuine, other_performance, "in").await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (StatusCode::GONE, Some("cancelled"))
    );
    assert_eq!(answer["ticket"]["performance"]["id"], performance);
}

#[tokio::test]
async fn a_replayed_nonce_gets_the_first_answer() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Guest").await;
    let body = json!({"code": code(&booking, 0), "performance_id": performance, "direction": "in", "nonce": "door-2:17"});
    let first = app.post("/api/v1/checkins", Some(&staff), &body).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    let replay = app.post("/api/v1/checkins", Some(&staff), &body).await;
    assert_eq!(
        replay.status(),
        StatusCode::OK,
        "the upload after an outage gets the same answer"
    );
    assert_eq!(replay.json::<Value>().await.unwrap(), first);
    let (status, _) = scan(&app, &staff, &code(&booking, 0), performance, "in").await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "without the nonce it is a second admission"
    );
}

#[tokio::test]
async fn a_mistaken_check_in_is_undone_and_kept_on_record() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Guest").await;
    let (_, admitted) = scan(&app, &staff, &code(&booking, 0), performance, "in").await;
    let path = format!("/api/v1/checkins/{}", admitted["checkin"]["id"]);
    let undone = app.delete(&path, Some(&staff)).await;
    assert_eq!(undone.status(), StatusCode::OK);
    assert_eq!(
        app.delete(&path, Some(&staff)).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        scan(&app, &staff, &code(&booking, 0), performance, "in")
            .await
            .0,
        StatusCode::OK
    );
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel::RunQueryDsl;
    let kept: Count =
        diesel::sql_query("SELECT COUNT(*) AS n FROM checkins WHERE undone_at IS NOT NULL")
            .get_result(&mut app.db())
            .unwrap();
    assert_eq!(kept.n, 1, "the undone check-in is still recorded");
}

#[tokio::test]
async fn the_door_data_carries_hashes_and_counts_but_no_codes() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Guest").await;
    scan(&app, &staff, &code(&booking, 0), performance, "in").await;
    let response = app
        .get(
            &format!("/api/v1/performances/{performance}/door"),
            Some(&staff),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        !text.contains(&code(&booking, 0)) && !text.contains(&code(&booking, 1)),
        "codes never leave the server here"
    );
    let door: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        door["counts"],
        json!({"booked": 2, "admitted": 1, "inside": 1, "expected": 1})
    );
    let tickets = door["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2);
    let sha = kassa_code_hash(&code(&booking, 0));
    let first = tickets
        .iter()
        .find(|t| t["code_hash"] == sha)
        .expect("found by the hash of its code");
    assert_eq!(first["inside"], true);
    assert_eq!(first["last_checkin"]["direction"], "in");
    assert_eq!(door["performance"]["id"], performance);
}

fn kassa_code_hash(code: &str) -> String {
    use sha2::Digest;
    data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(code.as_bytes()))
}

#[tokio::test]
async fn attendees_are_found_by_name_reference_or_seat() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Айгерим Сейтқали").await;
    let find = |q: String| {
        let (app, staff) = (&app, &staff);
        async move {
            let url = format!(
                "/api/v1/performances/{performance}/attendees?q={}",
                urlencode(&q)
            );
            let found: Value = app.get(&url, Some(staff)).await.json().await.unwrap();
            found["attendees"].as_array().unwrap().len()
        }
    };
    assert_eq!(
        find("айгерим".into()).await,
        2,
        "case does not matter, in Cyrillic too"
    );
    assert_eq!(
        find(booking["reference"].as_str().unwrap().to_lowercase()).await,
        2
    );
    assert_eq!(find("1-2".into()).await, 1);
    assert_eq!(find("Нурлан".into()).await, 0);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_walk_up_sale_is_paid_and_booked_on_the_public_map_at_once() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let sales = format!("/api/v1/performances/{performance}/sales");
    let response = app
        .post(
            &sales,
            Some(&staff),
            &json!({"seat_ids": [seats[2]], "payment": "cash"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sale: Value = response.json().await.unwrap();
    assert_eq!(
        (
            sale["payment"].as_str(),
            sale["amount_paid"].as_i64(),
            sale["total"].as_i64()
        ),
        (Some("paid"), Some(4500), Some(4500))
    );
    assert_eq!(sale["name"], "", "no name given, none made up");
    let sold_by: Option<i32> = {
        use diesel::{QueryDsl, RunQueryDsl};
        use kassa::db::schema::bookings;
        bookings::table
            .filter(diesel::ExpressionMethods::eq(
                bookings::reference,
                sale["reference"].as_str().unwrap(),
            ))
            .select(bookings::sold_by)
            .first(&mut app.db())
            .unwrap()
    };
    assert!(sold_by.is_some(), "the seller is recorded");
    assert_eq!(sale["tickets"].as_array().unwrap().len(), 1);
    let map: Value = app
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(map["seats"][2]["status"], "booked");

    let comp: Value = app
        .post(
            &sales,
            Some(&staff),
            &json!({"seat_ids": [seats[3]], "payment": "comp", "name": "Critic"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            comp["payment"].as_str(),
            comp["amount_due"].as_i64(),
            comp["total"].as_i64(),
            comp["name"].as_str()
        ),
        (Some("comp"), Some(0), Some(0), Some("Critic"))
    );
    let taken = app
        .post(
            &sales,
            Some(&staff),
            &json!({"seat_ids": [seats[2]], "payment": "card"}),
        )
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.post(
            &sales,
            None,
            &json!({"seat_ids": [seats[0]], "payment": "card"})
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn every_door_route_needs_a_signed_in_member_of_staff() {
    let app = spawn_app().await;
    for (method, path) in [
        (reqwest::Method::POST, "/api/v1/checkins"),
        (reqwest::Method::DELETE, "/api/v1/checkins/1"),
        (reqwest::Method::GET, "/api/v1/performances/1/door"),
        (reqwest::Method::GET, "/api/v1/performances/1/attendees?q=x"),
        (reqwest::Method::POST, "/api/v1/performances/1/sales"),
    ] {
        let response = app.send(method.clone(), path, None, Some(&json!({}))).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_doors_scanning_one_ticket_at_once_admit_it_exactly_once() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = booked(&app, &director, "Guest").await;
    let ticket = code(&booking, 0);
    let scans = (0..50).map(|_| {
        let (client, url, token) = (
            app.client.clone(),
            app.url("/api/v1/checkins"),
            staff.token.clone(),
        );
        let body = json!({"code": ticket, "performance_id": performance, "direction": "in"});
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(scans)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let admitted = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    eprintln!(
        "door race on {}: {admitted} admitted, {refused} already admitted",
        app.backend()
    );
    assert_eq!((admitted, refused), (1, 49), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn walk_up_sales_racing_online_holds_never_oversell() {
    let app = crate::helpers::spawn_app_with(|s| s.database.pool_size = 8).await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let seat = seats[0];
    let racers = (0..60).map(|i| {
        let client = app.client.clone();
        let (sales, holds, token) = (
            app.url(&format!("/api/v1/performances/{performance}/sales")),
            app.url(&format!("/api/v1/performances/{performance}/holds")),
            staff.token.clone(),
        );
        tokio::spawn(async move {
            let request = if i % 2 == 0 {
                client
                    .post(sales)
                    .bearer_auth(token)
                    .json(&json!({"seat_ids": [seat], "payment": "cash"}))
            } else {
                client.post(holds).json(&json!({"seat_ids": [seat]}))
            };
            request.send().await.unwrap().status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    eprintln!(
        "walk-up vs online race on {}: {won} won, {lost} refused",
        app.backend()
    );
    assert_eq!((won, lost), (1, 59), "{statuses:?}");
}
