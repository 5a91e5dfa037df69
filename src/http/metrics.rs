//! Metrics in the Prometheus text format, with `metrics` and `metrics-exporter-prometheus`: a
//! request costs one counter and one histogram update (atomics behind a sharded map; no lock, no
//! allocation beyond the labels), and everything read from the database is read only when
//! Prometheus scrapes. Chosen over actix-web-prom, whose `prometheus` registry locks a label map
//! on every request, and over the exporter's own HTTP listener: `/metrics` is served here, behind
//! the same access rule as the rest.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::app::vitals::Vitals;
use crate::config::MetricsSettings;

/// Latency buckets, in seconds: a seat map from the cache is well under a millisecond, a
/// booking on PostgreSQL a few, a sign-in (argon2) tens.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder: installed by the first application that asks (tests start many).
static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

fn recorder() -> Option<PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let installed = PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match installed {
                Ok(handle) => {
                    // Histograms are drained into their buckets by the upkeep, not per request.
                    let upkeep = handle.clone();
                    std::thread::Builder::new()
                        .name("metrics-upkeep".into())
                        .spawn(move || {
                            loop {
                                std::thread::sleep(Duration::from_secs(5));
                                upkeep.run_upkeep();
                            }
                        })
                        .ok()?;
                    Some(handle)
                }
                Err(error) => {
                    tracing::warn!(%error, "metrics recorder not installed");
                    None
                }
            }
        })
        .clone()
}

/// `/metrics` as configured: who may read it, and the recorder it renders.
pub struct Metrics {
    handle: PrometheusHandle,
    allow: Vec<IpAddr>,
    token: Option<String>,
}

impl Metrics {
    /// The metrics, if `metrics.enabled` (and the recorder could be installed).
    pub fn new(settings: &MetricsSettings) -> Option<Metrics> {
        if !settings.enabled {
            return None;
        }
        Some(Metrics {
            handle: recorder()?,
            allow: settings.allow.clone(),
            token: settings.token.clone(),
        })
    }

    /// Whether the caller may read the metrics: a listed address that did not come through a
    /// proxy (a proxy on the same machine would make every visitor look like loopback), or the
    /// bearer token.
    pub fn admits(&self, req: &HttpRequest) -> bool {
        let headers = req.headers();
        if let Some(token) = &self.token
            && let Some(given) = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
            && crate::auth::token::same(token, given)
        {
            return true;
        }
        let proxied =
            headers.contains_key(header::FORWARDED) || headers.contains_key("x-forwarded-for");
        let peer = req.peer_addr().map(|a| a.ip().to_canonical());
        !proxied && peer.is_some_and(|ip| self.allow.contains(&ip))
    }

    /// The text Prometheus scrapes, with the gauges read just now.
    pub fn render(&self, gauges: &Gauges) -> String {
        gauges.record();
        self.handle.render()
    }
}

/// What is read at scrape time.
pub struct Gauges {
    pub vitals: Option<Vitals>,
    pub pool_size: u32,
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub backup_failing: Option<bool>,
    pub backup_succeeded_at: Option<i64>,
    pub mail_worker_silent_seconds: Option<i64>,
}

impl Gauges {
    fn record(&self) {
        use metrics::gauge;
        gauge!("kassa_database_up").set(if self.vitals.is_some() { 1.0 } else { 0.0 });
        gauge!("kassa_db_pool_size").set(self.pool_size);
        gauge!("kassa_db_pool_connections", "state" => "in_use")
            .set(self.pool_connections.saturating_sub(self.pool_idle));
        gauge!("kassa_db_pool_connections", "state" => "idle").set(self.pool_idle);
        if let Some(v) = &self.vitals {
            gauge!("kassa_outbox_messages", "status" => "pending").set(v.outbox_pending as f64);
            gauge!("kassa_outbox_messages", "status" => "failed").set(v.outbox_failed as f64);
            gauge!("kassa_holds_live").set(v.live_holds as f64);
            for (status, count) in &v.bookings {
                gauge!("kassa_bookings", "status" => status.clone()).set(*count as f64);
            }
            gauge!("kassa_admissions").set(v.admissions as f64);
        }
        if let Some(failing) = self.backup_failing {
            gauge!("kassa_backup_failing").set(if failing { 1.0 } else { 0.0 });
        }
        if let Some(at) = self.backup_succeeded_at {
            gauge!("kassa_backup_last_success_timestamp_seconds").set(at as f64);
        }
        if let Some(silent) = self.mail_worker_silent_seconds {
            gauge!("kassa_mail_worker_silent_seconds").set(silent as f64);
        }
    }
}

/// Middleware: counts each request by method, route pattern and status, and times it.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let response = next.call(req).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let key = (method, shape(response.request().path()), status);
    let known = KNOWN.with_borrow(|known| known.get(&key).map(|series| series.observe(elapsed)));
    if known.is_none() {
        // The pattern, never the path: `/api/v1/performances/{id}/seats`, one series for all ids.
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let series = Series::of(method, route, status);
        series.observe(elapsed);
        KNOWN.with_borrow_mut(|known| {
            if known.len() < KNOWN_MAX {
                known.insert(key, series);
            }
        });
    }
    Ok(response)
}

/// The two series a kind of request updates.
struct Series {
    requests: metrics::Counter,
    duration: metrics::Histogram,
}

impl Series {
    fn of(method: &'static str, route: String, status: u16) -> Series {
        Series {
            duration: metrics::histogram!("kassa_http_request_duration_seconds", "method" => method, "route" => route.clone()),
            requests: metrics::counter!("kassa_http_requests_total", "method" => method, "route" => route, "status" => status.to_string()),
        }
    }

    fn observe(&self, seconds: f64) {
        self.duration.record(seconds);
        self.requests.increment(1);
    }
}

/// The series of each kind of request (method, path with its numbers blanked, status), found
/// once per worker thread: working out a request's route pattern walks actix's whole resource
/// map, which cost more than the rest of a cached seat-map read's metrics put together, and
/// naming a series hashes its labels. Bounded: paths with other parameters (references,
/// tokens) fill it up to [`KNOWN_MAX`], after which their series are looked up each time.
type Kind = (&'static str, String, u16);
thread_local! {
    static KNOWN: std::cell::RefCell<std::collections::HashMap<Kind, Series>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}
const KNOWN_MAX: usize = 4096;

/// The path with each all-digit segment replaced by `#`: one shape for every id.
fn shape(path: &str) -> String {
    let mut shaped = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            shaped.push('/');
        }
        let is_id = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
        shaped.push_str(if is_id { "#" } else { segment });
    }
    shaped
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// How long a request waited for a database connection.
pub fn pool_waited(waited: Duration) {
    metrics::histogram!("kassa_db_pool_wait_seconds").record(waited.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn ids_are_blanked_and_the_rest_is_kept() {
        assert_eq!(
            shape("/api/v1/performances/17/seats"),
            "/api/v1/performances/#/seats"
        );
        assert_eq!(shape("/api/v1/performances/171"), "/api/v1/performances/#");
        assert_eq!(shape("/bookings/K7X9Q2"), "/bookings/K7X9Q2");
        assert_eq!(shape("/"), "/");
        assert_eq!(shape("/director/"), "/director/");
    }
}
