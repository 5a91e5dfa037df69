//! The mail worker's heartbeat: the moment it last made progress (began a round, or finished a
//! message), so that `/health/ready` can tell a worker that is busy from one that is stuck.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub struct Heartbeat {
    last: Arc<AtomicI64>,
}

impl Heartbeat {
    pub fn new(now: DateTime<Utc>) -> Heartbeat {
        Heartbeat {
            last: Arc::new(AtomicI64::new(now.timestamp())),
        }
    }

    pub fn beat(&self, now: DateTime<Utc>) {
        self.last.store(now.timestamp(), Ordering::Relaxed);
    }

    /// Seconds since the last beat.
    pub fn silent_for(&self, now: DateTime<Utc>) -> i64 {
        now.timestamp() - self.last.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_is_counted_from_the_last_beat() {
        let start = Utc::now();
        let heartbeat = Heartbeat::new(start);
        assert_eq!(
            heartbeat.silent_for(start + chrono::Duration::seconds(90)),
            90
        );
        heartbeat
            .clone()
            .beat(start + chrono::Duration::seconds(60));
        assert_eq!(
            heartbeat.silent_for(start + chrono::Duration::seconds(90)),
            30
        );
    }
}
