//! The hostile room: each attack one person on the venue Wi-Fi could try, as a bounded test
//! against the real server. Each module is one kind of attack; while it runs, the defences
//! must keep the rest of the server answering and lose nothing already acknowledged.
//!
//! - [`connections`]: idle sockets, connection floods, pings, foreign Host headers.
//! - [`data`]: imports, exports, hostile text, deletion that really deletes.
//! - [`costs`]: suggesting themes on a huge wall, logs and replay that grow without end.
//! - [`participants`]: fake participants joining in bulk, and removing one with their notes.
//! - [`audiences`]: what a phone that never joined, a participant and the projector are
//!   told: nothing of the meeting before joining, no hidden text outside the console.
//! - [`anonymity`]: telling who wrote a note from the group and role a phone is shown.
//! - [`ballots`]: working out ballots by subtracting vote totals published one after another.

mod anonymity;
mod audiences;
mod ballots;
mod connections;
mod costs;
mod data;
mod participants;

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ordet_shared::state::BuiltinRole;
use ordet_shared::{Command, Lang, NoteId};
use ordet_tests::{Client, create_conference, join, ordet_binary};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command as Process};

/// The real `ordet` program, started on a free loopback port with its own data folder, so
/// that its memory can be read from `/proc` apart from the test's own.
pub struct Ordet {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The data folder (removed when dropped).
    pub data: tempfile::TempDir,
}

impl Ordet {
    /// `ordet serve` with `args` added.
    pub async fn spawn(args: &[&str]) -> Ordet {
        Self::spawn_with_open_files(args, None).await
    }

    /// `ordet serve` with `args` added, under a limit of `open_files` file descriptors (as
    /// `ulimit -n` sets it, soft and hard) when given.
    pub async fn spawn_with_open_files(args: &[&str], open_files: Option<u32>) -> Ordet {
        let data = tempfile::tempdir().expect("temp dir");
        let mut command = match open_files {
            Some(limit) => {
                let mut shell = Process::new("sh");
                shell
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(ordet_binary());
                shell
            }
            None => Process::new(ordet_binary()),
        };
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .args(args)
            .env("ORDET_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("ordet starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = loop {
            let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
                .await
                .expect("ordet prints its address")
                .expect("stdout readable")
                .expect("ordet prints its address before exiting");
            if line.contains("on this computer") {
                let url = line.split_whitespace().last().expect("an address");
                break url.trim_end_matches('/').replace("localhost", "127.0.0.1");
            }
        };
        // Keep reading what the server prints, as a terminal would.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ordet { child, base, data }
    }

    /// `ws://127.0.0.1:PORT/ws`.
    pub fn ws(&self) -> String {
        format!("{}/ws", self.base.replace("http://", "ws://"))
    }

    /// The data folder.
    pub fn data(&self) -> &Path {
        self.data.path()
    }

    /// The process's resident memory now, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let pid = self.child.id().expect("ordet still runs");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// The highest resident memory the process has had, in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let pid = self.child.id().expect("ordet still runs");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .expect("VmHWM in /proc/PID/status")
    }
}

/// What a bystander conference saw while an attack ran.
#[derive(Debug)]
pub struct Witnessed {
    /// Notes posted and seen by every phone.
    pub notes: usize,
    /// Notes posted whose acknowledgement or arrival never came.
    pub lost: usize,
    /// The 99th percentile of the time from posting a note to its arrival on the last phone.
    pub p99: Duration,
    /// `/healthz` requests that failed or took longer than two seconds.
    pub health_failures: usize,
    /// `/healthz` requests made.
    pub health_checks: usize,
}

/// Another conference on the same server, going on as if nothing happened: one phone posts
/// a note every 100 ms, three phones wait for each, and `/healthz` is asked four times a
/// second. Start it before the attack, finish it after.
pub struct Bystander {
    stop: Arc<std::sync::atomic::AtomicBool>,
    notes: tokio::task::JoinHandle<(usize, usize, Vec<Duration>)>,
    health: tokio::task::JoinHandle<(usize, usize)>,
}

impl Bystander {
    /// Starts the bystander meeting on the server at `base` (`ws` is its websocket URL).
    pub async fn start(base: &str, ws: &str) -> Bystander {
        let created = create_conference(base, "Ein annan konferanse", Lang::Nn).await;
        let server = ordet_tests::TestServer {
            server: None,
            base: base.to_string(),
            data: tempfile::tempdir().expect("temp dir"),
        };
        debug_assert_eq!(server.ws_url(), ws);
        let (poster, _) = join(&server, created.id, BuiltinRole::Youth).await;
        let mut watchers = Vec::new();
        for _ in 0..3 {
            watchers.push(join(&server, created.id, BuiltinRole::Parent).await.0);
        }
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let notes = tokio::spawn(witness_notes(poster, watchers, stop.clone()));
        let health = tokio::spawn(check_health(base.to_string(), stop.clone()));
        Bystander {
            stop,
            notes,
            health,
        }
    }

    /// Stops the bystander and reports what it saw.
    pub async fn finish(self) -> Witnessed {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (notes, lost, mut delays) = self.notes.await.expect("bystander notes");
        let (health_checks, health_failures) = self.health.await.expect("bystander health");
        delays.sort();
        let p99 = delays
            .get((delays.len() * 99).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or_default();
        Witnessed {
            notes,
            lost,
            p99,
            health_failures,
            health_checks,
        }
    }
}

async fn witness_notes(
    mut poster: Client,
    watchers: Vec<Client>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> (usize, usize, Vec<Duration>) {
    let arrivals: Arc<Mutex<std::collections::HashMap<NoteId, Vec<Instant>>>> = Arc::default();
    let mut readers = Vec::new();
    for mut watcher in watchers {
        let arrivals = arrivals.clone();
        let stop = stop.clone();
        readers.push(tokio::spawn(async move {
            let mut seen = std::collections::HashSet::new();
            loop {
                let next = tokio::time::timeout(Duration::from_millis(500), watcher.next()).await;
                if let Ok(None) = next {
                    return;
                }
                if let Some(state) = &watcher.state {
                    let now = Instant::now();
                    let mut arrivals = arrivals.lock().expect("arrivals");
                    for id in state.notes.keys() {
                        if seen.insert(*id) {
                            arrivals.entry(*id).or_default().push(now);
                        }
                    }
                }
                if stop.load(std::sync::atomic::Ordering::Relaxed) && next.is_err() {
                    return;
                }
            }
        }));
    }
    let mut posted = Vec::new();
    let mut lost = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let note = NoteId::random();
        let at = Instant::now();
        let answer = tokio::time::timeout(
            Duration::from_secs(5),
            poster.run(Command::PostNote {
                note,
                text: format!("Innspel {}", posted.len() + 1),
                question: None,
                for_group: false,
            }),
        )
        .await;
        match answer {
            Ok(Ok(_)) => posted.push((note, at)),
            _ => lost += 1,
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Give the last notes time to arrive (seconds, on a machine busy with the other attacks),
    // then stop reading.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for reader in readers {
        let _ = reader.await;
    }
    let arrivals = arrivals.lock().expect("arrivals");
    let mut delays = Vec::new();
    for (note, at) in &posted {
        match arrivals.get(note) {
            Some(seen) if seen.len() == 3 => {
                delays.push(seen.iter().max().expect("three").duration_since(*at))
            }
            _ => lost += 1,
        }
    }
    (delays.len(), lost, delays)
}

async fn check_health(base: String, stop: Arc<std::sync::atomic::AtomicBool>) -> (usize, usize) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("http client");
    let (mut checks, mut failures) = (0, 0);
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        checks += 1;
        let ok = client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if !ok {
            failures += 1;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    (checks, failures)
}
