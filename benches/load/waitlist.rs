//! The benchmark's cancellation wave: 500 people on the waiting list of the rush's sold-out
//! performance, then 30 of its bookings cancelled at once. Every freed seat must be offered
//! within a second, none to two people, and none shown available on the public map.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::json;

use super::{Api, Statuses, percentile};

/// People on the waiting list; every third asks for two seats, the others for one.
pub const WAITING: usize = 500;
/// Bookings cancelled at once.
pub const CANCELLED: usize = 30;

/// A booking the rush made: its reference, manage token and number of seats.
pub type Booked = (String, String, usize);

pub struct Wave {
    pub join_p99_ms: f64,
    pub join_statuses: String,
    pub cancel_statuses: String,
    pub cancel_p50_ms: f64,
    pub cancel_p99_ms: f64,
    /// From the first cancellation sent to the last answered: each answer comes after its seats
    /// were offered, in the same transaction.
    pub all_offered_after: Duration,
    pub freed_seats: usize,
    pub offered_entries: usize,
    pub offered_seats: i64,
    pub held_on_map: usize,
    /// Seats a buyer could take from the map after the wave.
    pub available_on_map: usize,
    /// Companion seats whose wheelchair space is gone, after the wave and before: they are not
    /// sold (nor offered) on their own until `booking.companion_release_hours` before the start.
    pub kept: usize,
    pub kept_before: usize,
}

impl Wave {
    /// Every freed seat offered within a second, each to one person, none left on sale.
    pub fn met(&self) -> bool {
        let kept_now = self.kept.saturating_sub(self.kept_before) as i64;
        self.all_offered_after < Duration::from_secs(1)
            && self.offered_seats + kept_now == self.freed_seats as i64
            && self.offered_seats == self.held_on_map as i64
            && self.available_on_map == 0
    }
}

pub async fn cancellation_wave(
    public: &Api,
    director: &Api,
    performance: i64,
    booked: &[Booked],
    kept_before: usize,
) -> Result<Wave> {
    if booked.len() < CANCELLED {
        bail!(
            "the rush made {} bookings, fewer than {CANCELLED}",
            booked.len()
        );
    }
    let join_statuses = Arc::new(Statuses::default());
    let mut joins = Vec::with_capacity(WAITING);
    for chunk in (0..WAITING).collect::<Vec<_>>().chunks(32) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|&i| {
                let (api, statuses) = (public.clone(), join_statuses.clone());
                tokio::spawn(async move {
                    let seats = if i % 3 == 0 { 2 } else { 1 };
                    let started = Instant::now();
                    let (status, _) = api
                        .post(
                            &format!("/api/v1/performances/{performance}/waitlist"),
                            json!({"name": "Wait", "email": format!("wait{i}@example.kz"),
                                   "language": "ru", "seats": seats}),
                        )
                        .await?;
                    statuses.add(status);
                    anyhow::Ok(started.elapsed())
                })
            })
            .collect();
        for join in batch {
            joins.push(join.await??);
        }
    }
    joins.sort_unstable();

    let victims = &booked[..CANCELLED];
    let freed_seats = victims.iter().map(|(_, _, seats)| seats).sum();
    let cancel_statuses = Arc::new(Statuses::default());
    let started = Instant::now();
    let cancellations: Vec<_> = victims
        .iter()
        .map(|(reference, token, _)| {
            let request = public
                .http
                .post(format!(
                    "{}/api/v1/bookings/{reference}/cancel",
                    public.base
                ))
                .header("X-Manage-Token", token);
            let statuses = cancel_statuses.clone();
            tokio::spawn(async move {
                let sent = Instant::now();
                let status = request.send().await?.status().as_u16();
                statuses.add(status);
                anyhow::Ok(sent.elapsed())
            })
        })
        .collect();
    let mut cancels = Vec::with_capacity(CANCELLED);
    for cancellation in cancellations {
        cancels.push(cancellation.await??);
    }
    let all_offered_after = started.elapsed();
    cancels.sort_unstable();

    let map = public
        .get(&format!("/api/v1/performances/{performance}/seats"))
        .await?;
    let count = |status: &str| {
        map["seats"].as_array().map_or(0, |seats| {
            seats.iter().filter(|s| s["status"] == status).count()
        })
    };
    let line = director
        .get(&format!("/api/v1/performances/{performance}/waitlist"))
        .await?;
    let offered: Vec<_> = line["entries"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["status"] == "offered")
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Ok(Wave {
        join_p99_ms: percentile(&joins, 0.99),
        join_statuses: join_statuses.summary(),
        cancel_statuses: cancel_statuses.summary(),
        cancel_p50_ms: percentile(&cancels, 0.50),
        cancel_p99_ms: percentile(&cancels, 0.99),
        all_offered_after,
        freed_seats,
        offered_entries: offered.len(),
        offered_seats: offered.iter().filter_map(|e| e["seats"].as_i64()).sum(),
        held_on_map: count("held"),
        available_on_map: super::sellable(&map).0.len(),
        kept: count("available") - super::sellable(&map).0.len(),
        kept_before,
    })
}
