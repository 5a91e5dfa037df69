//! Exchanging a booking to another date of the same production, in one step: new seats
//! claimed, old ones freed, old tickets void, new ones issued, the money left due or owed back,
//! one mail with the moved calendar entry. Raced against new bookings and other exchanges.

use mail_parser::MimeHeaders;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app, spawn_app_with};

/// Two published dates of one production in the 4-seat test hall: (production, first date,
/// second date, seat ids in plan order: front, front, standard, standard).
async fn two_dates(app: &TestApp, director: &Session) -> (i64, i64, i64, Vec<i64>) {
    let venue = app.create_venue(director).await;
    let venue_id = venue["id"].as_i64().unwrap();
    let production = app.create_production(director).await["id"]
        .as_i64()
        .unwrap();
    let mut dates = Vec::new();
    for starts_at in ["2031-03-01T19:00", "2031-03-08T19:00"] {
        let response = app
            .schedule(director, venue_id, production, starts_at, "published")
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let performance: Value = response.json().await.unwrap();
        dates.push(performance["id"].as_i64().unwrap());
    }
    let seats = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    (production, dates[0], dates[1], seats)
}

async fn exchange(app: &TestApp, booking: &Value, body: &Value) -> reqwest::Response {
    let reference = booking["reference"].as_str().unwrap();
    app.client
        .post(app.url(&format!("/api/v1/bookings/{reference}/exchange")))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The statuses of the seat map's seats, by id.
async fn seat_statuses(app: &TestApp, performance: i64) -> std::collections::HashMap<i64, String> {
    app.seat_statuses(performance).await.into_iter().collect()
}

fn codes(booking: &Value) -> Vec<String> {
    booking["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Asks for an exchange that is refused with `status` and `code`; returns the error object.
async fn refused(
    app: &TestApp,
    booking: &Value,
    body: Value,
    status: StatusCode,
    code: &str,
) -> Value {
    error_of(exchange(app, booking, &body).await, status, code).await
}

async fn scan(app: &TestApp, staff: &Session, code: &str, performance: i64) -> StatusCode {
    app.post(
        "/api/v1/checkins",
        Some(staff),
        &json!({"code": code, "performance_id": performance, "direction": "in"}),
    )
    .await
    .status()
}

#[tokio::test]
async fn a_buyer_moves_a_booking_to_another_date_in_one_step() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (_, first, second, seats) = two_dates(&app, &director).await;
    let booking = app
        .book_online(first, &[seats[0], seats[2]], json!({}))
        .await;
    assert_eq!(booking["total"], 6000 + 4500);
    assert_eq!(
        app.courier().deliver_due().await.unwrap().sent,
        1,
        "the confirmation"
    );

    let response = exchange(
        &app,
        &booking,
        &json!({"performance_id": second, "seat_ids": [seats[0], seats[1]]}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let moved: Value = response.json().await.unwrap();
    assert_eq!(moved["reference"], booking["reference"], "the same booking");
    assert_eq!(moved["performance"]["id"], second);
    assert_eq!(moved["status"], "confirmed");
    assert_eq!(moved["exchanges"], 1);
    assert_eq!(moved["total"], 12000, "two front seats");
    assert_eq!(moved["amount_due"], 12000);
    assert_eq!(moved["payment"], "unpaid");
    let seats_now: Vec<(i64, i64)> = moved["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["status"], "valid");
            (
                t["seat"]["row"].as_i64().unwrap(),
                t["seat"]["number"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(seats_now, [(1, 1), (1, 2)]);
    let (old_codes, new_codes) = (codes(&booking), codes(&moved));
    assert!(
        new_codes.iter().all(|code| !old_codes.contains(code)),
        "new tickets, new codes"
    );

    // The old seats are on sale again, the new ones taken.
    let before = seat_statuses(&app, first).await;
    assert_eq!(before[&seats[0]], "available");
    assert_eq!(before[&seats[2]], "available");
    let after = seat_statuses(&app, second).await;
    assert_eq!(after[&seats[0]], "booked");
    assert_eq!(after[&seats[1]], "booked");

    // The old tickets are void at the door; the new ones are for the new date (and owe money).
    assert_eq!(
        scan(&app, &staff, &old_codes[0], first).await,
        StatusCode::GONE
    );
    assert_eq!(
        scan(&app, &staff, &new_codes[0], first).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another performance"
    );
    assert_eq!(
        scan(&app, &staff, &new_codes[0], second).await,
        StatusCode::PAYMENT_REQUIRED
    );

    // The freed seats can be booked by someone else.
    app.book_online(
        first,
        &[seats[0], seats[2]],
        json!({"email": "next@example.kz"}),
    )
    .await;

    // One mail to the holder (and the next buyer's confirmation), with the moved calendar
    // entry: the same UID, a higher SEQUENCE.
    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 2);
    let reference = booking["reference"].as_str().unwrap();
    let calendars: Vec<_> = calendar_entries(&app)
        .into_iter()
        .filter(|mail| mail.uid.contains(reference))
        .collect();
    assert_eq!(calendars.len(), 2, "{calendars:?}");
    let (confirmation, exchanged) = (&calendars[0], &calendars[1]);
    assert!(
        exchanged
            .subject
            .contains(booking["reference"].as_str().unwrap()),
        "{}",
        exchanged.subject
    );
    assert!(
        exchanged.text.contains("8 марта 2031") && exchanged.text.contains("1 марта 2031"),
        "the new date and the old: {}",
        exchanged.text
    );
    assert_eq!(exchanged.uid, confirmation.uid);
    assert!(exchanged.sequence > confirmation.sequence);
    assert_eq!(exchanged.starts, "20310308T140000Z");
    for code in &new_codes {
        assert!(
            exchanged.text.contains(code),
            "the new codes are in the mail"
        );
    }

    // The booking page's calendar entry is the moved one too, never older than the mail's.
    let ics = app
        .client
        .get(app.url(&format!(
            "/bookings/{reference}/calendar.ics?token={}",
            booking["manage_token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    let event = calendar
        .components
        .iter()
        .find_map(|c| c.as_event())
        .unwrap();
    use icalendar::Component;
    assert_eq!(event.property_value("UID"), Some(exchanged.uid.as_str()));
    assert_eq!(event.property_value("DTSTART"), Some("20310308T140000Z"));
    let sequence: u32 = event.property_value("SEQUENCE").unwrap().parse().unwrap();
    assert!(
        sequence >= exchanged.sequence,
        "{sequence} < {}",
        exchanged.sequence
    );

    // The audit log keeps it.
    let exchanged_entry = app
        .audit_entry(
            &director,
            booking["reference"].as_str().unwrap(),
            "booking_exchanged",
        )
        .await;
    assert_eq!(exchanged_entry["details"]["from_performance"], first);
    assert_eq!(exchanged_entry["details"]["to_performance"], second);
}

#[derive(Debug)]
struct CalendarMail {
    subject: String,
    text: String,
    uid: String,
    sequence: u32,
    starts: String,
}

/// The messages in the outbox folder that carry a calendar entry, oldest first.
fn calendar_entries(app: &TestApp) -> Vec<CalendarMail> {
    use icalendar::Component;
    let mut files: Vec<_> = std::fs::read_dir(&app.settings.mail.outbox_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort_by_key(|path| std::fs::metadata(path).unwrap().modified().unwrap());
    files
        .iter()
        .filter_map(|path| {
            let raw = std::fs::read(path).unwrap();
            let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let ics = message.attachments().find(|a| {
                a.content_type()
                    .is_some_and(|c| c.subtype() == Some("calendar"))
            })?;
            let calendar: icalendar::Calendar = std::str::from_utf8(ics.contents())
                .unwrap()
                .parse()
                .unwrap();
            let event = calendar
                .components
                .iter()
                .find_map(|c| c.as_event())
                .unwrap()
                .clone();
            let field = |name: &str| event.property_value(name).unwrap().to_owned();
            Some(CalendarMail {
                subject: message.subject().unwrap_or_default().to_owned(),
                text: message.body_text(0).unwrap_or_default().into_owned(),
                uid: field("UID"),
                sequence: field("SEQUENCE").parse().unwrap(),
                starts: field("DTSTART"),
            })
        })
        .collect()
}

async fn pay(app: &TestApp, director: &Session, booking: &Value, amount: i64, kind: &str) {
    let reference = booking["reference"].as_str().unwrap();
    let mut body = json!({"amount": amount, "method": "kaspi"});
    if kind == "refund" {
        body["kind"] = json!("refund");
    }
    let response = app
        .post(
            &format!("/api/v1/bookings/{reference}/payments"),
            Some(director),
            &body,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{kind} {amount}");
}

#[tokio::test]
async fn a_dearer_zone_leaves_the_difference_due_and_a_cheaper_one_a_refund_only_if_paid() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (_, first, second, seats) = two_dates(&app, &director).await;

    // Paid 4 500 for a standard seat, moved to a front seat at 6 000: 1 500 still due.
    let dearer = app.book_online(first, &[seats[2]], json!({})).await;
    pay(&app, &director, &dearer, 4500, "payment").await;
    let moved: Value = exchange(
        &app,
        &dearer,
        &json!({"performance_id": second, "seat_ids": [seats[0]]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(moved["total"], 6000);
    assert_eq!(moved["payment"], "partly_paid");
    assert_eq!(moved["amount_due"], 1500);
    assert_eq!(moved["refund_due"], 0);

    // Paid 6 000 for a front seat, moved to a standard one at 4 500: 1 500 owed back, and the
    // refund settles it.
    let cheaper = app.book_online(first, &[seats[1]], json!({})).await;
    pay(&app, &director, &cheaper, 6000, "payment").await;
    let moved: Value = exchange(
        &app,
        &cheaper,
        &json!({"performance_id": second, "seat_ids": [seats[2]]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(moved["total"], 4500);
    assert_eq!(moved["payment"], "refund_due");
    assert_eq!(moved["amount_due"], 0);
    assert_eq!(moved["refund_due"], 1500);
    pay(&app, &director, &cheaper, 1500, "refund").await;
    let reference = cheaper["reference"].as_str().unwrap();
    let settled: Value = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .header("X-Manage-Token", cheaper["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settled["payment"], "paid");
    assert_eq!(settled["refund_due"], 0);

    // Unpaid and cheaper: just a lower total.
    let unpaid = app.book_online(first, &[seats[0]], json!({})).await;
    let moved: Value = exchange(
        &app,
        &unpaid,
        &json!({"performance_id": second, "seat_ids": [seats[3]]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(moved["total"], 4500);
    assert_eq!(moved["payment"], "unpaid");
    assert_eq!(moved["amount_due"], 4500);
    assert_eq!(moved["refund_due"], 0);

    // The cash-up of the new date counts the money where the booking now is.
    let cashup: Value = app
        .get(
            &format!("/api/v1/performances/{second}/cashup"),
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cashup["totals"]["net"], 4500 + 6000 - 1500, "{cashup}");
}

#[tokio::test]
async fn exchanges_are_refused_with_a_clear_code_and_change_nothing() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (_, first, second, seats) = two_dates(&app, &director).await;
    let booking = app.book_online(first, &[seats[2]], json!({})).await;
    let other = app.book_online(second, &[seats[3]], json!({})).await;

    // Another production's performance, the same performance, or a seat count that differs.
    let (elsewhere, elsewhere_seats) = app.performance_on_sale(&director, "2031-04-01T19:00").await;
    let response = exchange(
        &app,
        &booking,
        &json!({"performance_id": elsewhere, "seat_ids": [elsewhere_seats[0]]}),
    )
    .await;
    let error = error_of(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "performance_id");
    let response = exchange(
        &app,
        &booking,
        &json!({"performance_id": first, "seat_ids": [seats[3]]}),
    )
    .await;
    let error = error_of(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "performance_id");
    let response = exchange(
        &app,
        &booking,
        &json!({"performance_id": second, "seat_ids": [seats[0], seats[1]]}),
    )
    .await;
    let error = error_of(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "seat_ids");

    // A seat someone else has.
    let error = refused(
        &app,
        &booking,
        json!({"performance_id": second, "seat_ids": [seats[3]]}),
        StatusCode::CONFLICT,
        "seats_unavailable",
    )
    .await;
    assert_eq!(error["details"]["seat_ids"], json!([seats[3]]));

    // A wrong token is an unknown booking.
    let forged = json!({"reference": booking["reference"], "manage_token": other["manage_token"]});
    refused(
        &app,
        &forged,
        json!({"performance_id": second, "seat_ids": [seats[0]]}),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Nothing of that changed the booking.
    let statuses = seat_statuses(&app, first).await;
    assert_eq!(statuses[&seats[2]], "booked");

    // One exchange is allowed, the second is not; the director's staff may still move it.
    let response = exchange(
        &app,
        &booking,
        &json!({"performance_id": second, "seat_ids": [seats[0]]}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let error = refused(
        &app,
        &booking,
        json!({"performance_id": first, "seat_ids": [seats[2]]}),
        StatusCode::CONFLICT,
        "exchange_limit_reached",
    )
    .await;
    assert_eq!(error["details"]["max_exchanges"], 1);
    let reference = booking["reference"].as_str().unwrap();
    let response = app
        .post(
            &format!("/api/v1/bookings/{reference}/exchange"),
            Some(&director),
            &json!({"performance_id": first, "seat_ids": [seats[2]]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let moved: Value = response.json().await.unwrap();
    assert_eq!(moved["exchanges"], 2);
    assert_eq!(moved["performance"]["id"], first);

    // Staff at the door without the director's role may too; a buyer without a token may not.
    let anonymous = app
        .post(
            &format!("/api/v1/bookings/{reference}/exchange"),
            None,
            &json!({"performance_id": second, "seat_ids": [seats[0]]}),
        )
        .await;
    error_of(anonymous, StatusCode::NOT_FOUND, "not_found").await;

    // A cancelled booking cannot move.
    let reference = other["reference"].as_str().unwrap();
    let cancelled = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/cancel")))
        .header("X-Manage-Token", other["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    refused(
        &app,
        &other,
        json!({"performance_id": first, "seat_ids": [seats[3]]}),
        StatusCode::CONFLICT,
        "booking_cancelled",
    )
    .await;
}

#[tokio::test]
async fn the_cutoff_and_the_limit_come_from_config_and_the_production() {
    // Exchanges close ten years before the start: every one of these is too late.
    let app = spawn_app_with(|s| s.booking.exchange_cutoff_minutes = Some(60 * 24 * 3650)).await;
    let director = app.director().await;
    let (production, first, second, seats) = two_dates(&app, &director).await;
    let booking = app.book_online(first, &[seats[2]], json!({})).await;
    let error = refused(
        &app,
        &booking,
        json!({"performance_id": second, "seat_ids": [seats[2]]}),
        StatusCode::CONFLICT,
        "exchange_closed",
    )
    .await;
    assert_eq!(error["details"]["cutoff_minutes"], 60 * 24 * 3650);

    // The production's own policy wins over the house's: open until an hour before, no limit
    // other than three.
    let response = app
        .patch(
            &format!("/api/v1/productions/{production}"),
            Some(&director),
            &json!({"exchange_cutoff_minutes": 60, "max_exchanges": 3}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let shown: Value = response.json().await.unwrap();
    assert_eq!(shown["exchange_cutoff_minutes"], 60);
    assert_eq!(shown["max_exchanges"], 3);
    for (to, seat) in [(second, seats[2]), (first, seats[2]), (second, seats[3])] {
        let response = exchange(
            &app,
            &booking,
            &json!({"performance_id": to, "seat_ids": [seat]}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let error = refused(
        &app,
        &booking,
        json!({"performance_id": first, "seat_ids": [seats[2]]}),
        StatusCode::CONFLICT,
        "exchange_limit_reached",
    )
    .await;
    assert_eq!(error["details"]["max_exchanges"], 3);

    // A production that allows none.
    let response = app
        .patch(
            &format!("/api/v1/productions/{production}"),
            Some(&director),
            &json!({"max_exchanges": 0}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let fresh = app.book_online(first, &[seats[0]], json!({})).await;
    let error = refused(
        &app,
        &fresh,
        json!({"performance_id": second, "seat_ids": [seats[0]]}),
        StatusCode::CONFLICT,
        "exchange_limit_reached",
    )
    .await;
    assert_eq!(error["details"]["max_exchanges"], 0);
}

#[tokio::test]
async fn a_ticket_type_moves_with_its_holder_unless_the_new_zone_has_no_such_price() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (venue, production) = app.hall_and_play(&director).await;
    let mut dates = Vec::new();
    for (starts_at, concessions) in [
        ("2031-03-01T19:00", json!({"student": {"standard": 3000}})),
        ("2031-03-08T19:00", json!({"student": {"front": 4000}})),
    ] {
        let response = app
            .post(
                "/api/v1/performances",
                Some(&director),
                &json!({"production_id": production, "venue_id": venue, "starts_at": starts_at,
                        "prices": {"front": 6000, "standard": 4500},
                        "concessions": concessions, "status": "published"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        dates.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let seats: Vec<i64> = seat_statuses(&app, dates[0]).await.into_keys().collect();
    let mut seats = seats;
    seats.sort_unstable();
    let booking = app
        .book_online(
            dates[0],
            &[seats[2]],
            json!({"tickets": [{"seat_id": seats[2], "type": "student"}]}),
        )
        .await;
    assert_eq!(booking["total"], 3000);

    // The second date has no student price in the standard zone.
    let response = exchange(
        &app,
        &booking,
        &json!({"performance_id": dates[1], "seat_ids": [seats[3]]}),
    )
    .await;
    let error = error_of(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "tickets");

    // In the front it has one: the student ticket stays a student ticket.
    let moved: Value = exchange(
        &app,
        &booking,
        &json!({"performance_id": dates[1], "seat_ids": [seats[0]]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(moved["tickets"][0]["type"], "student");
    assert_eq!(moved["total"], 4000);
}

const RACERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn buyers_exchanging_into_the_last_seat_end_with_one_owner() {
    race_for_the_last_seat(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exchanges_and_new_bookings_racing_for_the_last_seat_end_with_one_owner() {
    race_for_the_last_seat(RACERS).await;
}

/// Every seat of the first date is booked, one seat each; the second date has one seat left.
/// Four of the first date's holders exchange into it at once, while `buyers` new buyers try to
/// hold it: exactly one of them gets it, and everyone else keeps what they had.
async fn race_for_the_last_seat(buyers: usize) {
    let app = spawn_app_with(|s| s.database.pool_size = 8).await;
    let director = app.director().await;
    let (_, first, second, seats) = two_dates(&app, &director).await;
    let mut bookings = Vec::new();
    for (i, seat) in seats.iter().enumerate() {
        let email = format!("buyer{i}@example.kz");
        bookings.push(
            app.book_online(first, &[*seat], json!({"email": email}))
                .await,
        );
    }
    app.book_online(second, &seats[1..], json!({"email": "early@example.kz"}))
        .await;
    let last = seats[0];

    let url = |booking: &Value| {
        app.url(&format!(
            "/api/v1/bookings/{}/exchange",
            booking["reference"].as_str().unwrap()
        ))
    };
    let exchanges = bookings.iter().take(RACERS).map(|booking| {
        let (client, url) = (app.client.clone(), url(booking));
        let token = booking["manage_token"].as_str().unwrap().to_owned();
        tokio::spawn(async move {
            let response = client
                .post(url)
                .header("X-Manage-Token", token)
                .json(&json!({"performance_id": second, "seat_ids": [last]}))
                .send()
                .await
                .unwrap();
            response.status()
        })
    });
    let holds = (0..buyers).map(|_| {
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/performances/{second}/holds"));
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"seat_ids": [last]}))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let (exchanged, held) = futures::future::join(
        futures::future::join_all(exchanges),
        futures::future::join_all(holds),
    )
    .await;
    let exchanged: Vec<StatusCode> = exchanged.into_iter().map(Result::unwrap).collect();
    let held: Vec<StatusCode> = held.into_iter().map(Result::unwrap).collect();
    eprintln!(
        "exchange race on {}: exchanges {exchanged:?}, holds {held:?}",
        app.backend()
    );
    let won =
        |statuses: &[StatusCode], ok: StatusCode| statuses.iter().filter(|s| **s == ok).count();
    assert_eq!(
        won(&exchanged, StatusCode::OK) + won(&held, StatusCode::CREATED),
        1,
        "exactly one owner: {exchanged:?} {held:?}"
    );
    assert!(
        exchanged.iter().chain(&held).all(|s| matches!(
            *s,
            StatusCode::OK | StatusCode::CREATED | StatusCode::CONFLICT
        )),
        "the others are refused, none fails: {exchanged:?} {held:?}"
    );

    // The door data agrees: the seat has one valid ticket on the second date at most (the
    // early buyer holds the others), and every booking that lost still has its seat on the
    // first.
    let door: Value = app
        .get(
            &format!("/api/v1/performances/{second}/door"),
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    let row1_seat1 = door["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["seat"]["row"] == 1 && t["seat"]["number"] == 1)
        .count();
    assert_eq!(row1_seat1, won(&exchanged, StatusCode::OK));
    let first_door: Value = app
        .get(
            &format!("/api/v1/performances/{first}/door"),
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    // The door's list holds the valid tickets only.
    let valid_on_first = first_door["tickets"].as_array().unwrap().len();
    assert_eq!(
        valid_on_first,
        seats.len() - won(&exchanged, StatusCode::OK)
    );
}
