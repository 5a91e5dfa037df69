//! A booking rush against one or more running servers, and what it leaves to check afterwards.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, TestDatabase, spawn_app_on};

/// Seat id → (row, number).
pub type Seats = BTreeMap<i64, (i64, i64)>;

/// A hall of `rows` × 10 seats on sale: (performance id, seat id → (row, number)).
pub async fn hall_on_sale(app: &TestApp, director: &Session, rows: i64) -> (i64, Seats) {
    let seats: Vec<Value> = (1..=rows)
        .flat_map(|row| {
            (1..=10).map(move |number| {
                json!({"row": row, "number": number, "zone": if row < 3 { "front" } else { "standard" },
                       "x": number * 40, "y": row * 50, "accessible": false})
            })
        })
        .collect();
    let response = app
        .post(
            "/api/v1/venues",
            Some(director),
            &json!({"name": "Rush hall", "address": "Almaty", "timezone": "Asia/Almaty", "seats": seats}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let venue: Value = response.json().await.unwrap();
    let production = app.create_production(director).await["id"]
        .as_i64()
        .unwrap();
    let venue_id = venue["id"].as_i64().unwrap();
    let scheduled = app
        .schedule(
            director,
            venue_id,
            production,
            "2031-05-01T19:00",
            "published",
        )
        .await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let performance = scheduled.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let seats = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (id, row, number) = (s["id"].as_i64(), s["row"].as_i64(), s["number"].as_i64());
            (id.unwrap(), (row.unwrap(), number.unwrap()))
        })
        .collect();
    (performance, seats)
}

/// A test database with a 120-seat hall on sale, arranged through an in-process server.
pub async fn arranged() -> (Arc<TestDatabase>, TestApp, i64, Arc<Seats>) {
    let database = TestDatabase::create();
    let app = spawn_app_on(database.clone(), |_| {}).await;
    let director = app.director().await;
    let (performance, seats) = hall_on_sale(&app, &director, 12).await;
    (database, app, performance, Arc::new(seats))
}

/// A booking the server confirmed with 201.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub reference: String,
    pub token: String,
    pub email: String,
    pub seats: BTreeSet<(i64, i64)>,
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Attempt {
    Confirmed(Confirmed),
    /// Any HTTP answer but 201 (409 for a taken seat, 503 while busy…).
    Answered(StatusCode),
    /// The request never reached a server: nothing listens (it was killed or has stopped).
    Refused,
    /// A connection broke after the request was sent: reset, closed or timed out.
    Broken(String),
}

static BUYERS: AtomicUsize = AtomicUsize::new(0);

/// Holds two neighbouring seats and books them under a new address; `seat_ids` in plan order.
pub async fn book_pair(
    client: &reqwest::Client,
    address: &str,
    performance: i64,
    pair: [i64; 2],
    seats: &Seats,
) -> Attempt {
    let hold_url = format!("{address}/api/v1/performances/{performance}/holds");
    let held = match created(client, &hold_url, &json!({"seat_ids": pair})).await {
        Ok(held) => held,
        Err(attempt) => return attempt,
    };
    let email = format!("buyer{}@example.kz", BUYERS.fetch_add(1, Ordering::Relaxed));
    let body = json!({"hold_token": held["hold_token"], "name": "Айгерим", "email": email, "language": "ru"});
    let booking = match created(client, &format!("{address}/api/v1/bookings"), &body).await {
        Ok(booking) => booking,
        Err(attempt) => return attempt,
    };
    let wanted: BTreeSet<(i64, i64)> = pair.iter().map(|id| seats[id]).collect();
    let confirmed = Confirmed {
        reference: booking["reference"].as_str().unwrap().to_owned(),
        token: booking["manage_token"].as_str().unwrap().to_owned(),
        email,
        seats: seats_of(&booking),
    };
    assert_eq!(confirmed.seats, wanted, "{booking}");
    Attempt::Confirmed(confirmed)
}

/// POSTs `body`; the created resource, or what the attempt came to instead.
async fn created(client: &reqwest::Client, url: &str, body: &Value) -> Result<Value, Attempt> {
    let response = match client.post(url).json(body).send().await {
        Ok(response) if response.status() == StatusCode::CREATED => response,
        Ok(response) => return Err(Attempt::Answered(response.status())),
        Err(error) if error.is_connect() => return Err(Attempt::Refused),
        Err(error) => return Err(Attempt::Broken(format!("{error:?}"))),
    };
    response
        .json()
        .await
        .map_err(|_| Attempt::Broken(format!("the body from {url} was cut off")))
}

/// (row, number) of every valid ticket of a booking as the API shows it.
pub fn seats_of(booking: &Value) -> BTreeSet<(i64, i64)> {
    booking["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "valid")
        .map(|t| {
            (
                t["seat"]["row"].as_i64().unwrap(),
                t["seat"]["number"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// A pseudo-random pair of neighbouring seats: buyer `buyer`'s `attempt`-th choice.
pub fn pair_for(seat_ids: &[i64], buyer: usize, attempt: usize) -> [i64; 2] {
    let i = (buyer * 7919 + attempt * 104_729) % (seat_ids.len() - 1);
    [seat_ids[i], seat_ids[i + 1]]
}

/// Buyers booking in a loop, each until no server answers, in the background.
pub struct Rush {
    confirmed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<Vec<Attempt>>,
}

impl Rush {
    /// `buyers` buyers, taking turns over `addresses`, for pairs of the performance's seats.
    pub fn start(
        buyers: usize,
        addresses: Vec<String>,
        performance: i64,
        seats: Arc<Seats>,
    ) -> Rush {
        let confirmed = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn(run(
            buyers,
            addresses,
            performance,
            seats,
            confirmed.clone(),
        ));
        Rush { confirmed, task }
    }

    /// How many bookings were confirmed so far.
    pub fn confirmed_so_far(&self) -> usize {
        self.confirmed.load(Ordering::SeqCst)
    }

    /// Waits until at least `count` bookings are confirmed (or a minute passes).
    pub async fn until_confirmed(&self, count: usize) {
        until_confirmed(&self.confirmed, count).await;
    }

    /// Every attempt's outcome, once every buyer has stopped.
    pub async fn finish(self) -> Vec<Attempt> {
        self.task.await.unwrap()
    }
}

async fn run(
    buyers: usize,
    addresses: Vec<String>,
    performance: i64,
    seats: Arc<Seats>,
    confirmed: Arc<AtomicUsize>,
) -> Vec<Attempt> {
    let seat_ids: Arc<Vec<i64>> = Arc::new(seats.keys().copied().collect());
    let tasks = (0..buyers).map(|buyer| {
        let (addresses, seats, seat_ids, confirmed) = (
            addresses.clone(),
            seats.clone(),
            seat_ids.clone(),
            confirmed.clone(),
        );
        tokio::spawn(async move {
            let client = crate::process::fresh_connections();
            let mut attempts = Vec::new();
            for attempt in 0..400 {
                let address = &addresses[(buyer + attempt) % addresses.len()];
                let pair = pair_for(&seat_ids, buyer, attempt);
                let outcome = book_pair(&client, address, performance, pair, &seats).await;
                let over = matches!(outcome, Attempt::Refused | Attempt::Broken(_));
                // A busy or stopping server says when to come back; buyers' apps listen.
                if matches!(outcome, Attempt::Answered(StatusCode::SERVICE_UNAVAILABLE)) {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
                if matches!(outcome, Attempt::Confirmed(_)) {
                    confirmed.fetch_add(1, Ordering::SeqCst);
                }
                attempts.push(outcome);
                if over {
                    break;
                }
            }
            attempts
        })
    });
    futures::future::join_all(tasks)
        .await
        .into_iter()
        .flat_map(Result::unwrap)
        .collect()
}

/// The confirmed bookings among the attempts.
pub fn confirmed(attempts: &[Attempt]) -> Vec<Confirmed> {
    attempts
        .iter()
        .filter_map(|a| match a {
            Attempt::Confirmed(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// Waits until at least `count` bookings are confirmed (or a minute passes).
pub async fn until_confirmed(counter: &AtomicUsize, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while counter.load(Ordering::SeqCst) < count {
        assert!(
            std::time::Instant::now() < deadline,
            "the rush confirmed too few bookings"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// Every confirmed booking is there, with exactly its seats, as a server shows it now.
pub async fn assert_all_kept(client: &reqwest::Client, address: &str, bookings: &[Confirmed]) {
    for booking in bookings {
        let shown = client
            .get(format!("{address}/api/v1/bookings/{}", booking.reference))
            .header("X-Manage-Token", &booking.token)
            .send()
            .await
            .unwrap();
        assert_eq!(shown.status(), StatusCode::OK, "{} lost", booking.reference);
        let shown: Value = shown.json().await.unwrap();
        assert_eq!(seats_of(&shown), booking.seats, "{}", booking.reference);
    }
}

/// The seat ids of the performance's valid tickets; panics if a seat is in two.
pub fn valid_ticket_seats(app: &TestApp, performance: i64) -> BTreeSet<i32> {
    use diesel::prelude::*;
    use kassa::db::schema::tickets;
    let seat_ids: Vec<i32> = tickets::table
        .filter(tickets::performance_id.eq(performance as i32))
        .filter(tickets::status.eq("valid"))
        .select(tickets::seat_id)
        .load(&mut app.db())
        .unwrap();
    let unique: BTreeSet<i32> = seat_ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        seat_ids.len(),
        "a seat is in two valid tickets"
    );
    unique
}
