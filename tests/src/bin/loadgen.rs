//! A load generator for trying a server before a big event: N phones join one conference
//! over real websockets, some of them post notes (at a phone's pace, or all at once with
//! `--burst`), some vote, and every note's arrival at *every* other client (the projector
//! included) is timed. Notes that never arrive are counted as lost, notes that arrive twice as
//! duplicated.
//!
//! ```text
//! cargo run --release -p ordet-tests --bin loadgen -- --participants 1000 --notes 50
//! cargo run --release -p ordet-tests --bin loadgen -- --url http://192.168.1.20:8080 --participants 300
//! ```
//!
//! Without `--url`, it starts the `ordet` binary next to itself (`target/release/ordet`, or
//! `ORDET_BIN`) on a free port with an empty data folder, and also reports the server's
//! memory: resident size with everyone connected, and the growth per connected phone.
//! The last line of output is one JSON object with the figures.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Child, Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ordet_shared::protocol::{Auth, ClientMessage, PROTOCOL_VERSION, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{Command, CommandId, ConferenceId, Lang, NoteId, ThemeId};
use ordet_tests::{create_conference, new_participant};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long to wait for the last notes before counting the rest as lost.
const GRACE: Duration = Duration::from_secs(30);

struct Options {
    url: Option<String>,
    participants: usize,
    notes: usize,
    senders: usize,
    votes: usize,
    burst: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number =
        |name: &str, default: usize| value(name).and_then(|v| v.parse().ok()).unwrap_or(default);
    Options {
        url: value("--url").map(|u| u.trim_end_matches('/').to_string()),
        participants: number("--participants", 100).max(1),
        notes: number("--notes", 50),
        senders: number("--senders", 10).max(1),
        votes: number("--votes", 0),
        burst: args.iter().any(|a| a == "--burst"),
    }
}

/// The `ordet` server this run started, if it started one.
struct LocalServer {
    child: Child,
    _data: tempfile::TempDir,
}

impl LocalServer {
    fn start() -> (LocalServer, String) {
        let binary = std::env::var_os("ORDET_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                std::env::current_exe()
                    .expect("own path")
                    .with_file_name("ordet")
            });
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let data = tempfile::tempdir().expect("temp dir");
        let child = Process::new(&binary)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
            .arg(data.path())
            // Every simulated phone comes from this one address.
            .args(["--joins-per-minute-per-address", "10000000"])
            .args(["--joins-per-minute-per-conference", "10000000"])
            .env("ORDET_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not start {} ({e}); build it with `cargo build --release -p ordet-server`",
                    binary.display()
                )
            });
        (
            LocalServer { child, _data: data },
            format!("http://127.0.0.1:{port}"),
        )
    }

    /// The server's resident memory, in KiB.
    fn rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bytes of every text frame the simulated screens received.
static RECEIVED_BYTES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn count(text: &str) {
    RECEIVED_BYTES.fetch_add(text.len() as u64, std::sync::atomic::Ordering::Relaxed);
}

async fn send(socket: &mut Socket, message: &ClientMessage) {
    let text = serde_json::to_string(message).expect("serializes");
    socket.send(Message::Text(text.into())).await.expect("sent");
}

/// Opens a websocket and says hello; returns once the welcome has arrived.
async fn connect(ws: &str, conference: ConferenceId, auth: Auth) -> Socket {
    let (mut socket, _) = tokio_tungstenite::connect_async(ws)
        .await
        .expect("connects");
    send(
        &mut socket,
        &ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            conference,
            auth,
            since: None,
        },
    )
    .await;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) if text.starts_with(r#"{"type":"welcome""#) => {
                count(&text);
                return socket;
            }
            Some(Ok(_)) => {}
            other => panic!("no welcome: {other:?}"),
        }
    }
}

/// Sends a command and reads until it is acknowledged, ignoring everything else.
async fn run(socket: &mut Socket, command: Command) -> Duration {
    let id = CommandId::random();
    let started = Instant::now();
    send(socket, &ClientMessage::Command { id, command }).await;
    let want = id.to_string();
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text)))
                if {
                    count(&text);
                    text.contains(&want)
                } =>
            {
                match serde_json::from_str::<ServerMessage>(&text) {
                    Ok(ServerMessage::Ack { .. }) => return started.elapsed(),
                    Ok(ServerMessage::Rejected { error, .. }) => {
                        panic!("command refused: {error:?}")
                    }
                    _ => {}
                }
            }
            Some(Ok(_)) => {}
            other => panic!("connection lost: {other:?}"),
        }
    }
}

/// When each note was sent (written by the senders).
type SentAt = Arc<Mutex<HashMap<NoteId, Instant>>>;

/// What one screen saw: when each note first arrived, and how many arrived again.
#[derive(Default)]
struct Arrivals {
    first: Vec<(NoteId, Instant)>,
    duplicated: usize,
}

/// Just enough of an `event` message carrying `note_posted` to time it: the rest is skipped
/// without being built, so the measuring does not slow the screens it measures.
#[derive(serde::Deserialize)]
struct PostedFrame {
    event: PostedEvent,
}

#[derive(serde::Deserialize)]
struct PostedEvent {
    note: PostedNote,
}

#[derive(serde::Deserialize)]
struct PostedNote {
    id: NoteId,
}

/// Reads notes arriving on `socket` until `expected` distinct ones or the deadline. Each
/// screen keeps its own record, so timing one arrival takes no lock shared with the others.
async fn receive(
    mut socket: Socket,
    expected: usize,
    deadline: Arc<Mutex<Option<Instant>>>,
) -> Arrivals {
    let mut arrivals = Arrivals::default();
    let mut seen: HashSet<NoteId> = HashSet::new();
    while seen.len() < expected {
        let wait = deadline
            .lock()
            .unwrap()
            .map(|d| d.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_secs(3600));
        let Ok(frame) = tokio::time::timeout(wait, socket.next()).await else {
            break;
        };
        let Some(Ok(Message::Text(text))) = frame else {
            if frame.is_none() {
                break;
            }
            continue;
        };
        count(&text);
        if !text.contains(r#""note_posted""#) {
            continue;
        }
        let arrived = Instant::now();
        if let Ok(posted) = serde_json::from_str::<PostedFrame>(&text) {
            let note = posted.event.note.id;
            if seen.insert(note) {
                arrivals.first.push((note, arrived));
            } else {
                arrivals.duplicated += 1;
            }
        }
    }
    arrivals
}

// One thread: the simulated phones are many but cheap, and on a small machine a second busy
// thread would compete with the server it measures.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = options();
    let (local, base) = match &options.url {
        Some(url) => (None, url.clone()),
        None => {
            let (server, base) = LocalServer::start();
            (Some(server), base)
        }
    };
    let ws = format!("{}/ws", base.replacen("http", "ws", 1));
    // The server may still be starting.
    let started = Instant::now();
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no server at {base}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let created = create_conference(&base, "Load", Lang::En).await;
    let rss_before = local.as_ref().and_then(LocalServer::rss_kb);

    // Everyone joins, a few hundred at a time. Receivers start reading at once, so no socket
    // sits unread while thousands of others join; the senders join last.
    let senders = options.senders.min(options.participants);
    let receiving_phones = options.participants - senders;
    let sent_at: SentAt = Arc::default();
    let deadline: Arc<Mutex<Option<Instant>>> = Arc::default();
    let connecting = Instant::now();
    let roles = BuiltinRole::ALL;
    let join = |i: usize| {
        let ws = ws.clone();
        let role = roles[i % roles.len()].id();
        async move {
            let mut socket = connect(&ws, created.id, new_participant()).await;
            run(&mut socket, Command::Join { name: None, role }).await;
            socket
        }
    };
    let mut receivers = Vec::with_capacity(receiving_phones + 1);
    for batch in (0..receiving_phones).collect::<Vec<_>>().chunks(200) {
        for socket in futures_util::future::join_all(batch.iter().map(|i| join(*i))).await {
            receivers.push(tokio::spawn(receive(
                socket,
                options.notes,
                deadline.clone(),
            )));
        }
    }
    let projector = connect(
        &ws,
        created.id,
        Auth::Screen {
            key: created.screen_key.clone(),
        },
    )
    .await;
    receivers.push(tokio::spawn(receive(
        projector,
        options.notes,
        deadline.clone(),
    )));
    let receiving = receivers.len();
    let mut sending: Vec<Socket> =
        futures_util::future::join_all((receiving_phones..options.participants).map(join)).await;
    let connect_seconds = connecting.elapsed().as_secs_f64();
    // Idle memory with everyone connected, after the joins have settled.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = local.as_ref().and_then(LocalServer::rss_kb);
    let joining_bytes = RECEIVED_BYTES.load(std::sync::atomic::Ordering::Relaxed);
    let bytes_per_join = joining_bytes as f64 / options.participants as f64;
    println!(
        "{} phones joined in {connect_seconds:.1} s, {bytes_per_join:.0} bytes received per join",
        options.participants
    );

    // Notes, spread over the senders: a phone's pace, or a burst (a sender's whole share at
    // once, within the per-connection limit of 40).
    let posting = Instant::now();
    let shares: Vec<usize> = (0..senders)
        .map(|s| options.notes / senders + usize::from(s < options.notes % senders))
        .collect();
    let tasks: Vec<_> = sending
        .drain(..)
        .zip(shares)
        .enumerate()
        .map(|(s, (mut socket, share))| {
            let sent_at = sent_at.clone();
            let burst = options.burst;
            tokio::spawn(async move {
                for i in 0..share {
                    let note = NoteId::random();
                    sent_at.lock().unwrap().insert(note, Instant::now());
                    let post = Command::PostNote {
                        note,
                        text: format!("Innspel {s}-{i}: meir lys og fleire benkar i skulegarden"),
                        question: None,
                        for_group: false,
                    };
                    if burst {
                        let id = CommandId::random();
                        send(&mut socket, &ClientMessage::Command { id, command: post }).await;
                    } else {
                        run(&mut socket, post).await;
                        tokio::time::sleep(Duration::from_millis(110)).await;
                    }
                }
                socket
            })
        })
        .collect();
    let mut sending = Vec::new();
    for task in tasks {
        sending.push(task.await.expect("sender"));
    }
    *deadline.lock().unwrap() = Some(Instant::now() + GRACE);
    let mut seen_by_screens = Vec::with_capacity(receivers.len());
    for receiver in receivers {
        seen_by_screens.push(receiver.await.expect("receiver"));
    }
    let posting_seconds = posting.elapsed().as_secs_f64();

    // Votes: the facilitator opens a vote on two themes; `--votes` phones cast a dot.
    let mut vote_acks: Vec<Duration> = Vec::new();
    if options.votes > 0 {
        let mut console = connect(
            &ws,
            created.id,
            Auth::Facilitator {
                key: created.facilitator_key.clone(),
            },
        )
        .await;
        let themes = [ThemeId::random(), ThemeId::random()];
        for (i, theme) in themes.iter().enumerate() {
            run(
                &mut console,
                Command::CreateTheme {
                    theme: *theme,
                    name: format!("Tema {i}"),
                },
            )
            .await;
        }
        run(
            &mut console,
            Command::OpenVoting {
                setup: VotingSetup {
                    on: VoteOn::Themes,
                    budget: 1,
                    per_item_max: 1,
                    hide_results: true,
                },
            },
        )
        .await;
        let voters: Vec<_> = sending.into_iter().take(options.votes).collect();
        let acks = futures_util::future::join_all(voters.into_iter().enumerate().map(
            |(i, mut socket)| async move {
                let vote = Command::CastVotes {
                    votes: vec![Vote {
                        item: themes[i % 2].0,
                        dots: 1,
                    }],
                };
                run(&mut socket, vote).await
            },
        ))
        .await;
        vote_acks.extend(acks);
    }

    // Every arrival's delay from sending, and per note the delay to its first screen and the
    // spread from first to last screen (which is the fan-out's own cost).
    let sent_at = sent_at.lock().unwrap();
    let mut samples: Vec<Duration> = Vec::new();
    let mut per_note: HashMap<NoteId, (Duration, Duration)> = HashMap::new();
    let mut duplicated = 0;
    for screen in &seen_by_screens {
        duplicated += screen.duplicated;
        for (note, arrived) in &screen.first {
            let Some(sent) = sent_at.get(note) else {
                continue;
            };
            let delay = arrived.saturating_duration_since(*sent);
            samples.push(delay);
            let range = per_note.entry(*note).or_insert((delay, delay));
            range.0 = range.0.min(delay);
            range.1 = range.1.max(delay);
        }
    }
    samples.sort();
    let mut first_arrivals: Vec<Duration> = per_note.values().map(|r| r.0).collect();
    first_arrivals.sort();
    let mut spreads: Vec<Duration> = per_note.values().map(|r| r.1 - r.0).collect();
    spreads.sort();
    let expected = options.notes * receiving;
    let lost = expected.saturating_sub(samples.len());
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let quantile = |sorted: &[Duration], q: f64| {
        sorted
            .get(((sorted.len().max(1) - 1) as f64 * q).round() as usize)
            .map_or(0.0, |d| ms(*d))
    };
    let pick = |q: f64| quantile(&samples, q);
    let rss_per_phone = match (rss_before, rss_connected) {
        (Some(before), Some(after)) => {
            Some(after.saturating_sub(before) as f64 / options.participants as f64)
        }
        _ => None,
    };
    println!(
        "{} notes to {receiving} screens in {posting_seconds:.1} s: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; lost {lost}, duplicated {}",
        options.notes,
        pick(0.5),
        pick(0.99),
        samples.last().map_or(0.0, |d| ms(*d)),
        duplicated
    );
    println!(
        "{}",
        serde_json::json!({
            "participants": options.participants,
            "notes": options.notes,
            "burst": options.burst,
            "receivers": receiving,
            "arrivals": samples.len(),
            "p50_ms": pick(0.5),
            "p99_ms": pick(0.99),
            "max_ms": samples.last().map_or(0.0, |d| ms(*d)),
            "lost": lost,
            "duplicated": duplicated,
            "first_arrival_p50_ms": quantile(&first_arrivals, 0.5),
            "spread_p50_ms": quantile(&spreads, 0.5),
            "spread_max_ms": spreads.last().map_or(0.0, |d| ms(*d)),
            "votes": vote_acks.len(),
            "vote_ack_max_ms": vote_acks.iter().max().map_or(0.0, |d| ms(*d)),
            "connect_seconds": connect_seconds,
            "bytes_per_join": bytes_per_join,
            "server_rss_kb": rss_connected,
            "server_rss_kb_per_phone": rss_per_phone,
        })
    );
}
