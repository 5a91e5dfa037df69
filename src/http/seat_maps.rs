//! Seat maps as served: the most requested call's answer, kept in memory while the database
//! says it is unchanged.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::web;
use chrono::{DateTime, Utc};

use crate::domain::booking::Language;

/// Seat maps as last served, by performance, each with the `seats_version` it was made at and
/// the instant its first hold or block ends. A kept map is served while the database's version
/// is the same and that instant has not come: any claim or price changed in between, by this
/// instance or another, changes the version (the database's triggers count it).
#[derive(Default)]
pub struct SeatMapCache(Mutex<HashMap<MapKey, KeptMap>>);

/// A map is kept per performance and language (its zones' names).
pub type MapKey = (i32, Language);

struct KeptMap {
    version: i64,
    valid_until: Option<DateTime<Utc>>,
    body: web::Bytes,
}

/// Enough for every performance of a season; past it, the cache starts over.
const KEPT_MAPS: usize = 2_000;

impl SeatMapCache {
    pub fn get(
        &self,
        performance_id: MapKey,
        version: i64,
        now: DateTime<Utc>,
    ) -> Option<web::Bytes> {
        let maps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        maps.get(&performance_id)
            .filter(|kept| {
                kept.version == version && kept.valid_until.is_none_or(|until| now < until)
            })
            .map(|kept| kept.body.clone())
    }

    pub fn keep(
        &self,
        performance_id: MapKey,
        version: i64,
        valid_until: Option<DateTime<Utc>>,
        body: web::Bytes,
    ) {
        let mut maps = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if maps.len() >= KEPT_MAPS {
            maps.clear();
        }
        maps.insert(
            performance_id,
            KeptMap {
                version,
                valid_until,
                body,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    const RU7: MapKey = (7, Language::Ru);

    #[test]
    fn a_kept_map_is_served_only_at_its_version_and_before_its_first_hold_ends() {
        let cache = SeatMapCache::default();
        let now = Utc::now();
        let body = web::Bytes::from_static(b"{}");
        cache.keep(RU7, 3, Some(now + Duration::minutes(10)), body.clone());
        assert_eq!(cache.get(RU7, 3, now), Some(body.clone()));
        assert_eq!(
            cache.get(RU7, 4, now),
            None,
            "a claim or price changed since"
        );
        assert_eq!(
            cache.get((8, Language::Ru), 3, now),
            None,
            "another performance"
        );
        assert_eq!(
            cache.get((7, Language::Kk), 3, now),
            None,
            "another language"
        );
        assert_eq!(
            cache.get(RU7, 3, now + Duration::minutes(10)),
            None,
            "the hold ended with no write, and its seat is free again"
        );
        cache.keep(RU7, 4, None, body.clone());
        assert_eq!(
            cache.get(RU7, 4, now + Duration::days(365)),
            Some(body),
            "no hold, no end"
        );
    }
}
