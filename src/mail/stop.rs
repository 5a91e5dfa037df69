//! Stopping the mail worker on shutdown: it finishes the message it is sending, leaves the rest
//! pending for the next start (or another instance), and the process waits for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// Raised once, when the process is told to stop; the worker checks it between messages.
#[derive(Debug, Clone, Default)]
pub struct StopSignal {
    inner: Arc<(AtomicBool, Notify)>,
}

impl StopSignal {
    pub fn raise(&self) {
        self.inner.0.store(true, Ordering::SeqCst);
        // A permit for a worker about to sleep, and a wake-up for one already asleep.
        self.inner.1.notify_one();
        self.inner.1.notify_waiters();
    }

    pub fn raised(&self) -> bool {
        self.inner.0.load(Ordering::SeqCst)
    }

    /// Sleeps for `period`, or less if the signal is raised meanwhile.
    pub async fn sleep(&self, period: Duration) {
        if self.raised() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            () = self.inner.1.notified() => {}
        }
    }
}

/// The running worker: its task and the signal that stops it.
pub struct RunningWorker {
    pub(super) stop: StopSignal,
    pub(super) task: tokio::task::JoinHandle<()>,
}

impl RunningWorker {
    /// The signal that stops this worker (raised on SIGTERM together with the HTTP drain).
    pub fn stop_signal(&self) -> StopSignal {
        self.stop.clone()
    }

    /// Stops the worker and waits up to `within` for the message it is sending; past that the
    /// message's lease makes it due again later.
    pub async fn finish(self, within: Duration) {
        self.stop.raise();
        let mut task = self.task;
        if tokio::time::timeout(within, &mut task).await.is_err() {
            tracing::warn!(
                seconds = within.as_secs(),
                "the mail worker did not finish its message in time; it is tried again after its lease"
            );
            task.abort();
        } else {
            tracing::info!("mail worker stopped");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_raised_signal_cuts_the_sleep_short() {
        let stop = StopSignal::default();
        let sleeper = {
            let stop = stop.clone();
            tokio::spawn(async move { stop.sleep(Duration::from_secs(600)).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        stop.raise();
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woken at once")
            .unwrap();
        assert!(stop.raised());
        // Raised before the sleep begins: no sleep at all.
        tokio::time::timeout(Duration::from_secs(1), stop.sleep(Duration::from_secs(600)))
            .await
            .expect("no sleep once raised");
    }
}
