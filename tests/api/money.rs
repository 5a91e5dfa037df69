//! Money: payments are rows, the door takes what is due in the transaction that admits, no
//! booking is paid twice however many requests race, and the cash-up adds up to the rows.

use diesel::connection::SimpleConnection;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::door::{code, unpaid};
use crate::helpers::{Session, TestApp, error_of, spawn_app, spawn_app_with};

async fn scan(app: &TestApp, staff: &Session, body: Value) -> (StatusCode, Value) {
    let response = app.post("/api/v1/checkins", Some(staff), &body).await;
    (response.status(), response.json().await.unwrap())
}

async fn pay(app: &TestApp, who: &Session, reference: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/bookings/{reference}/payments"),
        Some(who),
        &body,
    )
    .await
}

/// Every payment row of a booking: (kind, method, amount).
fn rows_of(app: &TestApp, reference: &str) -> Vec<(String, String, i64)> {
    use kassa::db::schema::{bookings, payments};
    payments::table
        .inner_join(bookings::table)
        .filter(bookings::reference.eq(reference))
        .order(payments::id)
        .select((payments::kind, payments::method, payments::amount))
        .load(&mut app.db())
        .unwrap()
}

/// A payment row: (kind, method, amount, sold at the door).
type Row = (String, String, i64, bool);

fn reference_of(booking: &Value) -> String {
    booking["reference"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_unpaid_ticket_is_not_admitted_until_its_booking_is_paid_once_at_the_door() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = unpaid(&app, &director, "Айгерим").await;
    let reference = reference_of(&booking);
    let first =
        json!({"code": code(&booking, 0), "performance_id": performance, "direction": "in"});

    let (status, asked) = scan(&app, &staff, first.clone()).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(asked["result"], "payment_due");
    assert_eq!(
        asked["due"]["amount"], 12000,
        "the whole booking: two front seats"
    );
    assert_eq!(asked["due"]["total"], 12000);
    assert_eq!(asked["due"]["seats"].as_array().unwrap().len(), 2);
    assert_eq!(asked["ticket"]["payment"], "unpaid");
    assert!(asked.get("checkin").is_none(), "nobody was let in");
    let door: Value = app
        .get(
            &format!("/api/v1/performances/{performance}/door"),
            Some(&staff),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        door["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["amount_due"] == 12000 && t["inside"] == false),
        "the offline door data carries what each ticket's booking owes: {door}"
    );

    let mut paying = first.clone();
    paying["payment"] = json!({"method": "cash"});
    let (status, admitted) = scan(&app, &staff, paying).await;
    assert_eq!(status, StatusCode::OK, "{admitted}");
    assert_eq!(admitted["result"], "admitted");
    assert_eq!(
        admitted["taken"],
        json!({"amount": 12000, "method": "cash"})
    );
    assert_eq!(admitted["ticket"]["payment"], "paid");
    assert_eq!(admitted["ticket"]["amount_due"], 0);

    let second = json!({"code": code(&booking, 1), "performance_id": performance, "direction": "in", "payment": {"method": "card"}});
    let (status, also) = scan(&app, &staff, second).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        also.get("taken").is_none(),
        "the booking was paid already: {also}"
    );
    assert_eq!(
        rows_of(&app, &reference),
        vec![("payment".into(), "cash".into(), 12000)],
        "a booking of two admitted one by one is paid once"
    );
}

/// The payment is written after the admission in one transaction: when writing it fails, the
/// admission is undone with it, and the ticket's holder is still outside.
#[tokio::test]
async fn a_door_payment_and_its_admission_commit_together_or_not_at_all() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = unpaid(&app, &director, "Guest").await;
    let reference = reference_of(&booking);
    // The audit entry is the payment's last write: make the database refuse it.
    let refuse = match app.backend() {
        "SQLite" => {
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        }
        _ => {
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END; $$;
             CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit();"
        }
    };
    app.db()
        .batch_execute(refuse)
        .unwrap_or_else(|e| panic!("{e}"));
    let body = json!({"code": code(&booking, 0), "performance_id": performance, "direction": "in", "payment": {"method": "kaspi"}});
    let (status, failed) = scan(&app, &staff, body.clone()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{failed}");
    assert!(rows_of(&app, &reference).is_empty(), "no payment");
    let inside: Vec<bool> = {
        use kassa::db::schema::tickets;
        tickets::table
            .filter(tickets::code.eq(code(&booking, 0)))
            .select(tickets::inside)
            .load(&mut app.db())
            .unwrap()
    };
    assert_eq!(inside, vec![false], "and no admission");

    app.db()
        .batch_execute("DROP TRIGGER refuse_audit ON audit_log")
        .or_else(|_| app.db().batch_execute("DROP TRIGGER refuse_audit"))
        .unwrap();
    let (status, admitted) = scan(&app, &staff, body).await;
    assert_eq!(
        (status, admitted["result"].as_str()),
        (StatusCode::OK, Some("admitted"))
    );
    assert_eq!(
        rows_of(&app, &reference),
        vec![("payment".into(), "kaspi".into(), 12000)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_payments_for_one_booking_record_it_paid_once() {
    let app = spawn_app_with(|s| s.database.pool_size = 8).await;
    let director = app.director().await;
    let (_, _, booking) = unpaid(&app, &director, "Guest").await;
    let reference = reference_of(&booking);
    let url = app.url(&format!("/api/v1/bookings/{reference}/payments"));
    let racers = (0..20).map(|_| {
        let (client, url, token) = (app.client.clone(), url.clone(), director.token.clone());
        tokio::spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"amount": 12000, "method": "kaspi"}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            (status, body)
        })
    });
    let answers: Vec<(StatusCode, Value)> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .map(|(_, body)| {
            (
                body["error"]["code"].clone(),
                body["error"]["details"]["due"].clone(),
            )
        })
        .collect();
    eprintln!(
        "payment race on {}: {created} created, {} refused",
        app.backend(),
        refused.len()
    );
    assert_eq!(created, 1, "{answers:?}");
    assert_eq!(refused.len(), 19, "{answers:?}");
    assert!(
        refused
            .iter()
            .all(|r| *r == (json!("overpayment"), json!(0)))
    );
    assert_eq!(rows_of(&app, &reference).len(), 1);
}

/// Two doors scan the two tickets of one unpaid booking at once, each ready to take the money:
/// it is taken once, and each ticket is admitted once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn doors_racing_to_take_one_bookings_money_take_it_once() {
    let app = spawn_app_with(|s| s.database.pool_size = 8).await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = unpaid(&app, &director, "Guest").await;
    let reference = reference_of(&booking);
    let url = app.url("/api/v1/checkins");
    let racers = (0..20).map(|i| {
        let (client, url, token) = (app.client.clone(), url.clone(), staff.token.clone());
        let body = json!({"code": code(&booking, i % 2), "performance_id": performance, "direction": "in", "payment": {"method": "cash"}});
        tokio::spawn(async move {
            let response = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let body: Value = response.json().await.unwrap();
            body
        })
    });
    let answers: Vec<Value> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let admitted = answers.iter().filter(|a| a["result"] == "admitted").count();
    let taken: i64 = answers
        .iter()
        .filter_map(|a| a["taken"]["amount"].as_i64())
        .sum();
    assert_eq!(admitted, 2, "one admission per ticket: {answers:?}");
    assert_eq!(taken, 12000, "the money taken once: {answers:?}");
    assert_eq!(
        rows_of(&app, &reference),
        vec![("payment".into(), "cash".into(), 12000)]
    );
}

#[tokio::test]
async fn a_payment_retried_with_its_key_records_once() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (_, _, booking) = unpaid(&app, &director, "Guest").await;
    let reference = reference_of(&booking);
    let url = app.url(&format!("/api/v1/bookings/{reference}/payments"));
    let send = |body: Value| {
        app.client
            .post(url.clone())
            .bearer_auth(&director.token)
            .header("Idempotency-Key", "kaspi-7781")
            .json(&body)
            .send()
    };
    let body = json!({"amount": 5000, "method": "kaspi", "note": "Kaspi 7781"});
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["booking"]["payment"], "partly_paid");
    assert_eq!(first["booking"]["amount_due"], 7000);
    let again = send(body).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["payment"]["id"], first["payment"]["id"]);
    assert_eq!(rows_of(&app, &reference).len(), 1, "recorded once");
    error_of(
        send(json!({"amount": 7000, "method": "kaspi"}))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
}

#[tokio::test]
async fn money_that_cannot_be_owed_is_refused_with_a_clear_code() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (_, _, booking) = unpaid(&app, &director, "Guest").await;
    let reference = reference_of(&booking);
    let over = error_of(
        pay(
            &app,
            &director,
            &reference,
            json!({"amount": 12001, "method": "cash"}),
        )
        .await,
        StatusCode::CONFLICT,
        "overpayment",
    )
    .await;
    assert_eq!(over["details"]["due"], 12000);
    error_of(
        pay(
            &app,
            &director,
            &reference,
            json!({"amount": 1, "method": "cash", "kind": "refund"}),
        )
        .await,
        StatusCode::CONFLICT,
        "refund_exceeds_paid",
    )
    .await;
    for bad in [
        json!({"amount": 0, "method": "cash"}),
        json!({"amount": 10, "method": "barter"}),
        json!({"amount": 10, "method": "cash", "note": "x".repeat(201)}),
    ] {
        let response = pay(&app, &director, &reference, bad.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    error_of(
        pay(
            &app,
            &director,
            "ZZZZZZZZ",
            json!({"amount": 10, "method": "cash"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let anonymous = app
        .post(
            &format!("/api/v1/bookings/{reference}/payments"),
            None,
            &json!({"amount": 10, "method": "cash"}),
        )
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let cancelled = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/cancel")))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    error_of(
        pay(
            &app,
            &director,
            &reference,
            json!({"amount": 10, "method": "cash"}),
        )
        .await,
        StatusCode::CONFLICT,
        "booking_cancelled",
    )
    .await;
    assert!(rows_of(&app, &reference).is_empty());
}

/// A performance with every kind of booking: its cash-up adds up, to the tenge, to the payment
/// rows in the database.
#[tokio::test]
async fn the_cashup_adds_up_to_the_payment_rows() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let book = |seat: i64, name: &'static str| {
        let app = &app;
        async move {
            let held: Value = app
                .post(
                    &format!("/api/v1/performances/{performance}/holds"),
                    None,
                    &json!({"seat_ids": [seat]}),
                )
                .await
                .json()
                .await
                .unwrap();
            let body = json!({"hold_token": held["hold_token"], "name": name, "email": "guest@example.kz", "language": "ru"});
            app.post("/api/v1/bookings", None, &body)
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let cancel = |booking: &Value| {
        app.client
            .post(app.url(&format!(
                "/api/v1/bookings/{}/cancel",
                booking["reference"].as_str().unwrap()
            )))
            .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
            .send()
    };
    // Front seat (6 000 ₸), paid by Kaspi before the show, then cancelled: a refund is due.
    let refund_due = book(seats[0], "Refund Due").await;
    let r = reference_of(&refund_due);
    assert_eq!(
        pay(
            &app,
            &director,
            &r,
            json!({"amount": 6000, "method": "kaspi"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_eq!(cancel(&refund_due).await.unwrap().status(), StatusCode::OK);
    // Front seat, partly paid (2 000 of 6 000 by transfer).
    let partly = book(seats[1], "Partly").await;
    assert_eq!(
        pay(
            &app,
            &director,
            &reference_of(&partly),
            json!({"amount": 2000, "method": "transfer"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    // Standard seat (4 500 ₸) sold at the door for cash; the other given as a comp.
    let walk_up = app
        .post(
            &format!("/api/v1/performances/{performance}/sales"),
            Some(&staff),
            &json!({"seat_ids": [seats[2]], "payment": "cash"}),
        )
        .await;
    assert_eq!(walk_up.status(), StatusCode::CREATED);
    let comp = app
        .post(
            &format!("/api/v1/performances/{performance}/sales"),
            Some(&staff),
            &json!({"seat_ids": [seats[3]], "payment": "comp"}),
        )
        .await;
    assert_eq!(comp.status(), StatusCode::CREATED);
    // The refund is paid back, in part: 1 000 is still owed back.
    assert_eq!(
        pay(
            &app,
            &director,
            &r,
            json!({"amount": 5000, "method": "kaspi", "kind": "refund"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );

    let cashup: Value = app
        .get(
            &format!("/api/v1/performances/{performance}/cashup"),
            Some(&staff),
        )
        .await
        .json()
        .await
        .unwrap();
    let rows: Vec<Row> = {
        use kassa::db::schema::{bookings, payments};
        payments::table
            .inner_join(bookings::table)
            .filter(bookings::performance_id.eq(performance as i32))
            .select((
                payments::kind,
                payments::method,
                payments::amount,
                bookings::sold_by.is_not_null(),
            ))
            .load(&mut app.db())
            .unwrap()
    };
    let sum = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).map(|r| r.2).sum::<i64>();
    let taken = sum(&|r| r.0 == "payment");
    let refunded = sum(&|r| r.0 == "refund");
    assert_eq!((taken, refunded), (6000 + 2000 + 4500, 5000));
    assert_eq!(
        cashup["totals"],
        json!({"taken": taken, "refunded": refunded, "net": taken - refunded})
    );
    let by_method: i64 = cashup["by_method"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["net"].as_i64().unwrap())
        .sum();
    let by_recorder: i64 = cashup["by_recorder"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["net"].as_i64().unwrap())
        .sum();
    assert_eq!(
        (by_method, by_recorder),
        (taken - refunded, taken - refunded)
    );
    assert_eq!(
        cashup["walk_up"]["taken"],
        sum(&|r| r.0 == "payment" && r.3)
    );
    assert_eq!(
        cashup["reservations"]["net"].as_i64().unwrap()
            + cashup["walk_up"]["net"].as_i64().unwrap(),
        taken - refunded
    );
    assert_eq!(cashup["comps"], json!({"bookings": 1, "tickets": 1}));
    assert_eq!(
        cashup["unpaid_total"], 4000,
        "the partly paid booking's rest"
    );
    assert_eq!(cashup["refunds_due_total"], 1000);
    assert_eq!(cashup["refunds_due"][0]["reference"], r);
    assert_eq!(cashup["payments"].as_array().unwrap().len(), rows.len());
}

#[tokio::test]
async fn staff_may_admit_unpaid_and_the_audit_log_says_who() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, _, booking) = unpaid(&app, &director, "Group by invoice").await;
    let reference = reference_of(&booking);
    let (status, admitted) = scan(
        &app,
        &staff,
        json!({"code": code(&booking, 0), "performance_id": performance, "direction": "in", "admit_unpaid": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(admitted["result"], "admitted");
    assert_eq!(admitted["due"]["amount"], 12000, "still owed");
    assert!(rows_of(&app, &reference).is_empty());
    let entry = app
        .audit_entry(&director, &reference, "admitted_unpaid")
        .await;
    assert_eq!(entry["reference"], reference.as_str());
    assert!(entry["by"].as_str().unwrap().starts_with("staff-"));
    assert_eq!(entry["details"]["due"], 12000);
    assert_eq!(
        app.get("/api/v1/audit", Some(&staff)).await.status(),
        StatusCode::FORBIDDEN,
        "the audit log is the director's"
    );

    // Entries are never changed or removed, whatever asks.
    let mut conn = app.db();
    assert!(
        conn.batch_execute("UPDATE audit_log SET action = 'nothing'")
            .is_err()
    );
    assert!(conn.batch_execute("DELETE FROM audit_log").is_err());
}
