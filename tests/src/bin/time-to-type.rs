//! How long a phone takes from opening the join link to being able to type, on Chromium's
//! "Fast 4G" network profile:
//!
//! ```text
//! cargo xtask web && cargo build --release -p ordet-tests --bin time-to-type
//! target/release/time-to-type [--runs 5]
//! ```
//!
//! It starts the server in this process (with the browser app built in), opens the join link
//! `/j/CODE` in a phone-sized headless Chromium (ChromeDriver, as the browser tests use) with
//! an empty cache each run, throttled to the preset DevTools calls Fast 4G: 9 Mbit/s down and
//! 1.5 Mbit/s up, each derated to 90 %, and 60 ms latency × 2.75 = 165 ms (the values of
//! `Fast4GConditions` in Chromium's DevTools, `front_end/core/sdk/NetworkManager.ts`). The
//! app marks the moment its first text field is on the page (`ordet-can-type`, a
//! `performance.mark`); that mark's time since the navigation began is the figure. The bytes
//! are what the browser received for the page and its files. The last line is one JSON object.

use std::time::Duration;

use ordet_shared::Lang;
use ordet_tests::TestServer;
use ordet_tests::chromium::{PHONE, browser, chromedriver};
use serde_json::{Value, json};

/// Chromium DevTools' "Fast 4G": bytes per second and milliseconds.
const FAST_4G: (f64, f64, f64) = (
    9.0 * 1000.0 * 1000.0 / 8.0 * 0.9,
    1.5 * 1000.0 * 1000.0 / 8.0 * 0.9,
    60.0 * 2.75,
);

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let server = TestServer::start().await;
    let created = server.create("Fast 4G", Lang::Nn).await;
    let driver = chromedriver().await;
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    let mut bytes = 0.0;
    for run in 0..runs {
        let profile = tempfile::tempdir().expect("a profile folder");
        let phone = browser(&driver, PHONE, &profile).await;
        let session = phone.session_id().await.ok().flatten().expect("a session");
        let (down, up, latency) = FAST_4G;
        let throttled = http
            .post(format!(
                "{}/session/{session}/chromium/network_conditions",
                driver.url()
            ))
            .json(&json!({ "network_conditions": {
                "offline": false,
                "latency": latency,
                "download_throughput": down,
                "upload_throughput": up,
            }}))
            .send()
            .await
            .expect("ChromeDriver answers");
        assert!(throttled.status().is_success(), "throttling was refused");
        phone
            .goto(&format!("{}/j/{}", server.base, created.join_code))
            .await
            .expect("the join link opens");
        let mut waited = Duration::ZERO;
        let measured = loop {
            let found = phone
                .execute(
                    "const m = performance.getEntriesByName('ordet-can-type')[0];
                     if (!m) return null;
                     const all = [performance.getEntriesByType('navigation')[0],
                                  ...performance.getEntriesByType('resource')];
                     return { ms: m.startTime,
                              bytes: all.reduce((sum, e) => sum + (e.transferSize || 0), 0) };",
                    vec![],
                )
                .await
                .expect("the script runs");
            if let Value::Object(found) = found {
                break found;
            }
            assert!(
                waited < Duration::from_secs(60),
                "the join page never became ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
            waited += Duration::from_millis(100);
        };
        let ms = measured["ms"].as_f64().unwrap_or(f64::NAN);
        bytes = measured["bytes"].as_f64().unwrap_or(0.0);
        println!(
            "run {}: can type after {ms:.0} ms, {bytes:.0} bytes received",
            run + 1
        );
        times.push(ms);
        phone.close().await.expect("the browser closes");
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{}",
        json!({
            "runs": runs,
            "profile": "Fast 4G (DevTools)",
            "median_ms": median,
            "fastest_ms": times[0],
            "slowest_ms": times[times.len() - 1],
            "bytes_received": bytes,
        })
    );
}
