//! The benchmark's money phases: door scans where half the tickets are unpaid and paid at the
//! scan, and the sales report for a month of 30 sold-out performances of the 600-seat hall.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::{Api, DOORS, Flows, Statuses, percentile};

/// What the door phase measured: every scan, and the scans that took a payment.
pub struct DoorScans {
    pub all: Flows,
    pub paying: Flows,
}

/// The 600-seat performance: half its seats booked online in pairs and left unpaid, half sold
/// at the door; then four doors scan their share in, out for the interval, and in again. An
/// unpaid ticket's first scan answers 402 with what its booking owes, and the door scans it
/// again with the cash taken, as the door page does.
pub async fn door_scans(
    public: &Api,
    staff: &Api,
    performance: i64,
    seats: &[i64],
) -> Result<DoorScans> {
    let (online, at_door) = seats.split_at(seats.len() / 2);
    let mut codes = Vec::with_capacity(seats.len());
    for pair in online.chunks(2) {
        let held = public
            .create(
                &format!("/api/v1/performances/{performance}/holds"),
                json!({ "seat_ids": pair }),
            )
            .await?;
        let booking = public
            .create(
                "/api/v1/bookings",
                json!({"hold_token": held["hold_token"], "name": "Bench", "email": "bench@example.kz", "language": "ru"}),
            )
            .await?;
        for ticket in booking["tickets"].as_array().context("tickets")? {
            codes.push(ticket["code"].as_str().context("code")?.to_owned());
        }
    }
    for batch in at_door.chunks(50) {
        let sale = staff
            .create(
                &format!("/api/v1/performances/{performance}/sales"),
                json!({"seat_ids": batch, "payment": "cash"}),
            )
            .await?;
        for ticket in sale["tickets"].as_array().context("tickets")? {
            codes.push(ticket["code"].as_str().context("code")?.to_owned());
        }
    }
    // A booking's two holders come to the same door, one after the other: the first pays for
    // both, the second walks in.
    let mut shares: Vec<Vec<String>> = vec![Vec::new(); DOORS];
    for (i, pair) in codes.chunks(2).enumerate() {
        shares[i % DOORS].extend(pair.iter().cloned());
    }
    let statuses = Arc::new(Statuses::default());
    let started = Instant::now();
    let doors: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let (api, statuses) = (staff.clone(), statuses.clone());
            tokio::spawn(async move {
                let (mut times, mut paying) = (Vec::new(), Vec::new());
                for direction in ["in", "out", "in"] {
                    for code in &share {
                        let scan = json!({"code": code, "performance_id": performance, "direction": direction});
                        let at = Instant::now();
                        let (status, _) = api.post("/api/v1/checkins", scan.clone()).await?;
                        times.push(at.elapsed());
                        statuses.add(status);
                        if status == 402 {
                            let mut with_cash = scan;
                            with_cash["payment"] = json!({"method": "cash"});
                            let at = Instant::now();
                            let (status, _) = api.post("/api/v1/checkins", with_cash).await?;
                            let took = at.elapsed();
                            times.push(took);
                            paying.push(took);
                            statuses.add(status);
                        }
                    }
                }
                anyhow::Ok((times, paying))
            })
        })
        .collect();
    let (mut times, mut paying) = (Vec::new(), Vec::new());
    for door in doors {
        let (all, paid) = door.await??;
        times.extend(all);
        paying.extend(paid);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_unstable();
    paying.sort_unstable();
    let flows = |times: &[Duration], statuses: String| Flows {
        per_second: times.len() as f64 / elapsed,
        p50_ms: percentile(times, 0.5),
        p99_ms: percentile(times, 0.99),
        statuses,
        count: times.len(),
    };
    Ok(DoorScans {
        all: flows(&times, statuses.summary()),
        paying: flows(
            &paying,
            format!("{} bookings paid at the door", paying.len()),
        ),
    })
}

/// What the report phase measured.
pub struct Report {
    pub performances: usize,
    pub tickets: i64,
    pub p50_ms: f64,
    pub max_ms: f64,
    pub requests: usize,
}

/// A month of 30 performances of the 600-seat hall, each sold out at the door in sales of 50
/// (18 000 tickets, 360 payment rows), then the month's sales report asked for 20 times.
pub async fn sales_report(
    director: &Api,
    staff: &Api,
    production: i64,
    hall: i64,
    first: chrono::NaiveDate,
    seats: &[i64],
) -> Result<Report> {
    let last = first + chrono::Duration::days(29);
    let run = director
        .create(
            "/api/v1/performances/run",
            json!({
                "production_id": production, "venue_id": hall, "time": "19:00",
                "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "from": first.to_string(), "to": last.to_string(),
                "prices": {"front": 6000, "standard": 4500}, "status": "published",
            }),
        )
        .await?;
    let performances: Vec<i64> = run["performances"]
        .as_array()
        .context("the run")?
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    for performance in &performances {
        for batch in seats.chunks(50) {
            staff
                .create(
                    &format!("/api/v1/performances/{performance}/sales"),
                    json!({"seat_ids": batch, "payment": "cash"}),
                )
                .await?;
        }
    }
    let path = format!("/api/v1/reports/sales?from={first}&to={last}");
    let mut times = Vec::new();
    let mut tickets = 0;
    for _ in 0..20 {
        let at = Instant::now();
        let report = director.get(&path).await?;
        times.push(at.elapsed());
        tickets = report["totals"]["sold"].as_i64().context("totals.sold")?;
    }
    if tickets != (performances.len() * seats.len()) as i64 {
        bail!("the report counted {tickets} tickets");
    }
    times.sort_unstable();
    Ok(Report {
        performances: performances.len(),
        tickets,
        p50_ms: percentile(&times, 0.5),
        max_ms: times.last().map_or(f64::NAN, |t| t.as_secs_f64() * 1000.0),
        requests: times.len(),
    })
}
