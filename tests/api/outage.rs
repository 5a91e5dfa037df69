//! PostgreSQL only: the database going away under load, and two instances on one database.
//! On SQLite these tests have nothing to run and say so.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use reqwest::StatusCode;

use crate::helpers::{TestDatabase, spawn_app_on};
use crate::process::{Kassa, fresh_connections};
use crate::rush::{self, Attempt};
use crate::smtp::SmtpServer;

/// The admin URL and name of a PostgreSQL test database, or `None` on SQLite.
fn on_postgres(database: &TestDatabase) -> Option<(String, String)> {
    let found = database
        .postgres()
        .map(|(url, name)| (url.to_owned(), name.to_owned()));
    if found.is_none() {
        eprintln!("PostgreSQL only: skipped on SQLite");
    }
    found
}

fn admin(url: &str, statement: &str) {
    let mut conn = diesel::PgConnection::establish(url).expect("admin connection");
    diesel::sql_query(statement)
        .execute(&mut conn)
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// One request's answer during the outage test.
#[derive(Debug)]
struct Answer {
    at: Instant,
    status: StatusCode,
    retry_after: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_going_away_under_load_answers_503_and_recovers_by_itself() {
    let database = TestDatabase::create();
    let Some((admin_url, name)) = on_postgres(&database) else {
        return;
    };
    let app = spawn_app_on(database.clone(), |_| {}).await;
    let director = app.director().await;
    let (performance, seats) = rush::hall_on_sale(&app, &director, 12).await;
    let kassa = Kassa::start(
        &database,
        &[("KASSA__DATABASE__CONNECT_TIMEOUT_SECONDS", "1")],
    )
    .await;
    let seats = Arc::new(seats);

    // Readers of the seat map, and buyers, all the while.
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(std::sync::Mutex::new(Vec::<Answer>::new()));
    let readers = (0..4).map(|_| {
        let (stop, answers, url) = (
            stop.clone(),
            answers.clone(),
            kassa.url(&format!("/api/v1/performances/{performance}/seats")),
        );
        tokio::spawn(async move {
            let client = fresh_connections();
            while !stop.load(Ordering::SeqCst) {
                let response = client
                    .get(&url)
                    .send()
                    .await
                    .expect("kassa keeps answering");
                let retry_after = response.headers().contains_key("retry-after");
                answers.lock().unwrap().push(Answer {
                    at: Instant::now(),
                    status: response.status(),
                    retry_after,
                });
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    });
    let readers: Vec<_> = readers.collect();
    let counter = Arc::new(AtomicUsize::new(0));
    let buyers = {
        let (stop, kassa_address, seats, counter) = (
            stop.clone(),
            kassa.address.clone(),
            seats.clone(),
            counter.clone(),
        );
        tokio::spawn(async move {
            let client = fresh_connections();
            let ids: Vec<i64> = seats.keys().copied().collect();
            let mut attempts = Vec::new();
            let mut attempt = 0;
            while !stop.load(Ordering::SeqCst) {
                let pair = rush::pair_for(&ids, 1, attempt);
                attempt += 1;
                let outcome =
                    rush::book_pair(&client, &kassa_address, performance, pair, &seats).await;
                if matches!(outcome, Attempt::Confirmed(_)) {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                attempts.push(outcome);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            attempts
        })
    };

    rush::until_confirmed(&counter, 3).await;
    admin(
        &admin_url,
        &format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"),
    );
    admin(
        &admin_url,
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ),
    );
    let cut = Instant::now();
    tokio::time::sleep(Duration::from_secs(4)).await;
    admin(
        &admin_url,
        &format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"),
    );
    let back = Instant::now();
    let booked_before_recovery = counter.load(Ordering::SeqCst);
    let recovered = loop {
        let latest = answers
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|a| a.at > back && a.status == StatusCode::OK)
            .map(|a| a.at);
        if let Some(at) = latest {
            break at;
        }
        assert!(
            back.elapsed() < Duration::from_secs(20),
            "kassa did not recover"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    rush::until_confirmed(&counter, booked_before_recovery + 3).await;
    stop.store(true, Ordering::SeqCst);
    for reader in readers {
        reader.await.unwrap();
    }
    let attempts = buyers.await.unwrap();

    let answers = std::mem::take(&mut *answers.lock().unwrap());
    let mut tally: BTreeMap<u16, usize> = BTreeMap::new();
    for answer in answers.iter() {
        *tally.entry(answer.status.as_u16()).or_default() += 1;
    }
    for attempt in &attempts {
        match attempt {
            Attempt::Answered(status) => *tally.entry(status.as_u16()).or_default() += 1,
            Attempt::Refused | Attempt::Broken(_) => {
                panic!("a request went unanswered: {attempt:?}")
            }
            Attempt::Confirmed(_) => *tally.entry(201).or_default() += 1,
        }
    }
    eprintln!(
        "outage: answers {tally:?}; recovered {:?} after the database came back",
        recovered - back
    );
    let unavailable: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!unavailable.is_empty(), "the outage was seen: {tally:?}");
    assert!(
        unavailable.iter().all(|a| a.retry_after),
        "every 503 says when to retry"
    );
    assert!(
        unavailable.iter().all(|a| a.at > cut),
        "503 only once the database went away"
    );
    assert!(
        tally
            .keys()
            .all(|status| [200, 201, 409, 503].contains(status)),
        "only answers a client can act on, never 500: {tally:?}"
    );
    assert!(recovered - back < Duration::from_secs(10));
    let confirmed = rush::confirmed(&attempts);
    rush::assert_all_kept(&fresh_connections(), &kassa.address, &confirmed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_sell_a_seat_once_and_mail_once() {
    let database = TestDatabase::create();
    if on_postgres(&database).is_none() {
        return;
    }
    let app = spawn_app_on(database.clone(), |_| {}).await;
    let director = app.director().await;
    let (performance, seats) = rush::hall_on_sale(&app, &director, 3).await;
    let smtp = SmtpServer::start().await;
    let port = smtp.port.to_string();
    let env = crate::smtp::kassa_env(&port);
    let instances = [
        Kassa::start(&database, &env).await,
        Kassa::start(&database, &env).await,
    ];

    // 200 racers for one pair of seats, alternating between the instances.
    let ids: Vec<i64> = seats.keys().copied().collect();
    let pair = [ids[0], ids[1]];
    let seats = Arc::new(seats);
    let racers = (0..200).map(|i| {
        let (address, seats) = (instances[i % 2].address.clone(), seats.clone());
        tokio::spawn(async move {
            let client = fresh_connections();
            rush::book_pair(&client, &address, performance, pair, &seats).await
        })
    });
    let outcomes: Vec<Attempt> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let winners = rush::confirmed(&outcomes);
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Attempt::Answered(StatusCode::CONFLICT)))
        .count();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    assert_eq!(
        refused, 199,
        "the others are told the seats are taken: {outcomes:?}"
    );

    // More bookings on both instances; each mail goes out once though both workers run.
    let client = fresh_connections();
    let mut bookings = winners;
    for (i, chunk) in ids[2..].chunks(2).take(12).enumerate() {
        match rush::book_pair(
            &client,
            &instances[i % 2].address,
            performance,
            [chunk[0], chunk[1]],
            &seats,
        )
        .await
        {
            Attempt::Confirmed(c) => bookings.push(c),
            other => panic!("{other:?}"),
        }
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.messages().len() < bookings.len() {
        assert!(Instant::now() < deadline, "every booking is mailed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both workers get a few more rounds to send anything twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let recipients = smtp.recipients();
    let unique: BTreeSet<&String> = recipients.iter().collect();
    assert_eq!(recipients.len(), bookings.len(), "{recipients:?}");
    assert_eq!(unique.len(), recipients.len());
}
