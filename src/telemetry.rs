//! Logging: tracing to standard error, as text for people or JSON for collectors.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber. `RUST_LOG`, when set, wins over `log.filter`. Each request
/// runs in a span carrying its request id, method, route and status; the span's close event is
/// the request log line, with its latency (`time.busy` + `time.idle`).
pub fn init(settings: &LogSettings) {
    let builder = builder(settings).with_writer(std::io::stderr);
    // A second call finds a subscriber installed and keeps it.
    let _ = match settings.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// As [`init`], for the test suite: the log goes through the test harness's capture, so a test
/// that passes prints nothing and a test that fails shows what was logged while it ran.
pub fn init_for_tests(settings: &LogSettings) {
    let _ = builder(settings).with_test_writer().try_init();
}

fn builder(
    settings: &LogSettings,
) -> tracing_subscriber::fmt::SubscriberBuilder<
    tracing_subscriber::fmt::format::DefaultFields,
    tracing_subscriber::fmt::format::Format,
    EnvFilter,
> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
}
