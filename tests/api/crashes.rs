//! The real binary stopped in the middle of a booking rush: killed with SIGKILL, or stopped with
//! SIGTERM as systemd does. What the server confirmed must survive either.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::process::{Kassa, fresh_connections};
use crate::rush::{self, Attempt, Rush};
use crate::smtp::SmtpServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_a_booking_rush_loses_no_confirmed_booking_and_sells_no_seat_twice() {
    let (database, app, performance, seats) = rush::arranged().await;
    let mut kassa = Kassa::start(&database, &[]).await;

    let rush = Rush::start(12, vec![kassa.address.clone()], performance, seats.clone());
    rush.until_confirmed(8).await;
    kassa.kill();
    let attempts = rush.finish().await;
    let confirmed = rush::confirmed(&attempts);
    let cut_short = attempts
        .iter()
        .filter(|a| matches!(a, Attempt::Refused | Attempt::Broken(_)))
        .count();
    eprintln!(
        "SIGKILL rush on {}: {} confirmed, {} attempts cut short",
        app.backend(),
        confirmed.len(),
        cut_short
    );
    assert!(confirmed.len() >= 8);
    assert!(
        cut_short > 0,
        "the kill came while buyers were still booking"
    );

    let kassa = Kassa::start(&database, &[]).await;
    let client = fresh_connections();
    rush::assert_all_kept(&client, &kassa.address, &confirmed).await;
    let sold = rush::valid_ticket_seats(&app, performance);
    let confirmed_seats: usize = confirmed.iter().map(|c| c.seats.len()).sum();
    assert!(sold.len() >= confirmed_seats);

    // Holds of buyers who never finished lapse as usual; then every other seat sells again.
    app.expire_holds();
    let unsold: Vec<i64> = seats
        .keys()
        .copied()
        .filter(|id| !sold.contains(&(*id as i32)))
        .collect();
    for chunk in unsold.chunks(8) {
        let held = client
            .post(kassa.url(&format!("/api/v1/performances/{performance}/holds")))
            .json(&json!({"seat_ids": chunk}))
            .send()
            .await
            .unwrap();
        assert_eq!(held.status(), StatusCode::CREATED, "{chunk:?} can be held");
    }
    let statuses = app.seat_statuses(performance).await;
    assert!(
        statuses.iter().all(|(_, status)| status != "available"),
        "every seat is sold or held now: {statuses:?}"
    );
}

/// The outbox as the worker left it: (status, attempts, leased) per message.
fn outbox_rows(app: &TestApp) -> Vec<(String, i32, bool)> {
    use diesel::prelude::*;
    use kassa::db::schema::outbox;
    outbox::table
        .select((outbox::status, outbox::attempts, outbox::locked_until))
        .load::<(String, i32, Option<chrono::NaiveDateTime>)>(&mut app.db())
        .unwrap()
        .into_iter()
        .map(|(status, attempts, lease)| (status, attempts, lease.is_some()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_during_a_rush_drains_requests_and_leaves_unsent_mail_for_the_next_start() {
    let (database, app, performance, seats) = rush::arranged().await;
    // Half a second a message: the signal comes while one is being sent.
    let smtp = SmtpServer::start_slow(Duration::from_millis(500)).await;
    let port = smtp.port.to_string();
    let mail = crate::smtp::kassa_env(&port);
    let mut kassa = Kassa::start(&database, &mail).await;

    let rush = Rush::start(12, vec![kassa.address.clone()], performance, seats.clone());
    rush.until_confirmed(10).await;
    // The worker is under way: the signal comes while it sends the next message.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while smtp.messages().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the worker sends");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    kassa.terminate();
    let attempts = rush.finish().await;
    let status = kassa
        .exited_within(Duration::from_secs(30))
        .await
        .expect("kassa stops after SIGTERM");
    assert!(status.success(), "a clean exit: {status}");

    let broken: Vec<&String> = attempts
        .iter()
        .filter_map(|a| match a {
            Attempt::Broken(why) => Some(why),
            _ => None,
        })
        .collect();
    assert!(
        broken.is_empty(),
        "no request was cut off by the stop: {broken:?}"
    );
    assert!(
        attempts.iter().any(|a| matches!(a, Attempt::Refused)),
        "buyers went on until the listener closed"
    );
    let confirmed = rush::confirmed(&attempts);
    let left = outbox_rows(&app);
    let sent_before = smtp.messages().len();
    eprintln!(
        "SIGTERM rush on {}: {} confirmed, {} mails sent before the stop, {} messages in the outbox",
        app.backend(),
        confirmed.len(),
        sent_before,
        left.len()
    );
    assert!(
        left.iter().all(|(_, _, leased)| !leased),
        "the worker finished or left every message, none is mid-lease"
    );
    let sent = left
        .iter()
        .filter(|(status, _, _)| status == "sent")
        .count();
    assert_eq!(
        sent, sent_before,
        "every message the SMTP server took is recorded as sent, so none goes out again"
    );
    assert!(
        left.iter().any(|(status, _, _)| status == "pending"),
        "the unsent messages wait for the next start"
    );

    // The next start sends the rest, and nothing twice.
    smtp.hurry();
    let kassa = Kassa::start(&database, &mail).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    while outbox_rows(&app)
        .iter()
        .any(|(status, _, _)| status == "pending")
    {
        assert!(std::time::Instant::now() < deadline, "the outbox drains");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    rush::assert_all_kept(&fresh_connections(), &kassa.address, &confirmed).await;
    let rows = outbox_rows(&app);
    assert!(
        rows.iter()
            .all(|(status, attempts, _)| status == "sent" && *attempts == 1),
        "{rows:?}"
    );
    let recipients = smtp.recipients();
    let unique: BTreeSet<&String> = recipients.iter().collect();
    assert_eq!(
        unique.len(),
        recipients.len(),
        "a mail went out twice: {recipients:?}"
    );
    assert_eq!(recipients.len(), rows.len());
    for booking in &confirmed {
        assert!(
            unique.contains(&booking.email),
            "{} was mailed",
            booking.email
        );
    }
}
