//! What the server is doing, for operators: `GET /metrics` in Prometheus' text format.
//! Counters and histograms are process-wide atomics, so recording costs a few nanoseconds and
//! nothing is ever allocated on the hot path.
//!
//! - `ordet_connections`: open websockets.
//! - `ordet_conferences`: conferences with a running actor.
//! - `ordet_messages_in_total`, `ordet_messages_out_total`: websocket text frames.
//! - `ordet_events_total`: events appended to the log.
//! - `ordet_connections_refused_total`: connections closed at once, over a connection cap.
//! - `ordet_accept_errors_total`: connections the system could not accept (out of files).
//! - `ordet_append_seconds`: time to make a batch of events durable (SQLite, fsync included).
//! - `ordet_broadcast_seconds`: time to hand a batch's events to every screen's queue.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// A latency histogram with fixed buckets.
pub struct Histogram {
    counts: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

impl Histogram {
    const fn new() -> Histogram {
        Histogram {
            counts: [const { AtomicU64::new(0) }; BUCKETS.len() + 1],
            sum_micros: AtomicU64::new(0),
        }
    }

    /// Records one observation.
    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, name: &str, help: &str, out: &mut String) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.counts[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.counts[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {cumulative}");
    }
}

/// The process's metrics.
pub struct Metrics {
    /// Open websockets.
    pub connections: AtomicI64,
    /// Conferences with a running actor.
    pub conferences: AtomicI64,
    /// Text frames received.
    pub messages_in: AtomicU64,
    /// Text frames sent.
    pub messages_out: AtomicU64,
    /// Events appended.
    pub events: AtomicU64,
    /// Connections closed at once, over a connection cap.
    pub connections_refused: AtomicU64,
    /// Connections the system could not accept.
    pub accept_errors: AtomicU64,
    /// Time to make a batch durable.
    pub append: Histogram,
    /// Time to hand a batch to every screen's queue.
    pub broadcast: Histogram,
}

/// The one set of metrics.
pub static METRICS: Metrics = Metrics {
    connections: AtomicI64::new(0),
    conferences: AtomicI64::new(0),
    messages_in: AtomicU64::new(0),
    messages_out: AtomicU64::new(0),
    events: AtomicU64::new(0),
    connections_refused: AtomicU64::new(0),
    accept_errors: AtomicU64::new(0),
    append: Histogram::new(),
    broadcast: Histogram::new(),
};

/// Adds one while alive: for gauges of things that open and close.
pub struct Gauge(&'static AtomicI64);

impl Gauge {
    /// Counts one more until dropped.
    pub fn hold(gauge: &'static AtomicI64) -> Gauge {
        gauge.fetch_add(1, Ordering::Relaxed);
        Gauge(gauge)
    }
}

impl Drop for Gauge {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Adds one to a counter.
    pub fn count(&self, counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let gauge = |out: &mut String, name: &str, help: &str, value: i64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        };
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        gauge(
            &mut out,
            "ordet_connections",
            "Open websockets.",
            self.connections.load(Ordering::Relaxed),
        );
        gauge(
            &mut out,
            "ordet_conferences",
            "Conferences with a running actor.",
            self.conferences.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "ordet_messages_in_total",
            "Websocket text frames received.",
            self.messages_in.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "ordet_messages_out_total",
            "Websocket text frames sent.",
            self.messages_out.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "ordet_events_total",
            "Events appended to the log.",
            self.events.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "ordet_connections_refused_total",
            "Connections closed at once, over a connection cap.",
            self.connections_refused.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "ordet_accept_errors_total",
            "Connections the system could not accept (out of files, say).",
            self.accept_errors.load(Ordering::Relaxed),
        );
        self.append.render(
            "ordet_append_seconds",
            "Time to make a batch of events durable.",
            &mut out,
        );
        self.broadcast.render(
            "ordet_broadcast_seconds",
            "Time to hand a batch of events to every screen.",
            &mut out,
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_into_cumulative_buckets() {
        let h = Histogram::new();
        h.observe(Duration::from_micros(300));
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_secs(5));
        let mut out = String::new();
        h.render("t", "test", &mut out);
        assert!(out.contains("t_bucket{le=\"0.0005\"} 1\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"0.005\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"2.5\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("t_count 3\n"), "{out}");
    }
}
