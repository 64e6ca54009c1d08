//! # ordet-server
//!
//! The Ordet server: one process, one SQLite file, no other service.
//!
//! - [`http`]: the axum router — JSON API, websocket endpoint, embedded browser app — and
//!   [`http::start`], which binds and serves.
//! - [`registry`]: the running conferences, started from disk on first use.
//! - [`conference`]: one actor per conference; it checks, applies, stores, then broadcasts.
//! - [`store`]: the append-only event log in SQLite, written with group commit.
//! - [`secrets`], [`clock`], [`net`]: keys and hashes, the server's clock, reachable addresses.
//! - [`metrics`]: counters and latency histograms for `GET /metrics`.
//! - [`cli`]: the `ordet` command line.
//!
//! Chosen crates, and why: `axum`/`tokio` (HTTP and websockets on one async runtime),
//! `rusqlite` with bundled SQLite (a real database file with no system dependency),
//! `sha2` + `subtle` (hash secrets, compare in constant time), `qrcode` (the join QR code as
//! SVG, rendered on the server so the phone app stays small), `if-addrs` (find the address
//! phones can reach without sending any traffic), `clap` (a self-explaining command line),
//! `hyper`/`hyper-util`/`tower-service` (serving connections ourselves, with a header-read
//! timeout and connection caps that `axum::serve` does not offer), `rlimit` (raising the
//! open-file limit at start without unsafe code).

pub mod cli;
pub mod clock;
pub mod conference;
pub mod demo;
pub mod export;
pub mod http;
pub mod metrics;
pub mod net;
pub mod registry;
pub mod secrets;
pub mod store;
