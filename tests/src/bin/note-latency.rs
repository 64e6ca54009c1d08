//! Measures the time from a phone posting a note to that note arriving at every other
//! screen. Starts a real server in this process (on a temporary data folder), joins
//! `--phones` participants plus one projector, and posts `--notes` notes from one phone at a
//! phone's pace. Prints a summary and, last, one JSON line with the figures.
//!
//! `cargo run --release -p ordet-tests --bin note-latency -- --phones 50 --notes 200`

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ordet_shared::event::Event;
use ordet_shared::protocol::{Auth, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Command, Lang, NoteId};
use ordet_tests::{Client, TestServer, new_participant};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let phones = arg("--phones", 50).max(1);
    let notes = arg("--notes", 200);
    let server = TestServer::start().await;
    let created = server.create("Latency", Lang::En).await;
    let sent: Arc<Mutex<HashMap<NoteId, Instant>>> = Arc::default();
    let samples: Arc<Mutex<Vec<Duration>>> = Arc::default();

    let mut receivers = Vec::new();
    let mut sender = None;
    for i in 0..=phones {
        let auth = if i == phones {
            Auth::Screen {
                key: created.screen_key.clone(),
            }
        } else {
            new_participant()
        };
        let mut client = Client::connect(&server.ws_url(), created.id, auth.clone(), None)
            .await
            .expect("admitted");
        if matches!(auth, Auth::Participant { .. }) {
            let join = Command::Join {
                name: None,
                role: BuiltinRole::Youth.id(),
            };
            client.run(join).await.expect("joined");
        }
        if sender.is_none() {
            sender = Some(client);
            continue;
        }
        let (sent, samples) = (sent.clone(), samples.clone());
        receivers.push(tokio::spawn(async move {
            let mut seen = 0;
            while seen < notes {
                if let Some(ServerMessage::Event(e)) = client.next().await
                    && let Event::NotePosted { note, .. } = e.event
                {
                    let arrived = Instant::now();
                    let at = sent.lock().unwrap().get(&note.id).copied();
                    if let Some(at) = at {
                        samples.lock().unwrap().push(arrived - at);
                        seen += 1;
                    }
                }
            }
        }));
    }

    let mut sender = sender.expect("one phone");
    for i in 0..notes {
        let note = NoteId::random();
        sent.lock().unwrap().insert(note, Instant::now());
        let post = Command::PostNote {
            note,
            text: format!("Note {i}"),
            question: None,
            for_group: false,
        };
        sender.run(post).await.expect("accepted");
        // A phone's pace, and within the per-connection rate limit.
        tokio::time::sleep(Duration::from_millis(110)).await;
    }
    for receiver in receivers {
        receiver.await.expect("receiver finished");
    }
    let mut samples = samples.lock().unwrap().clone();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| ms(samples[((samples.len() as f64 - 1.0) * q).round() as usize]);
    println!(
        "{} notes to {} screens ({} arrivals): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        notes,
        phones,
        samples.len(),
        pick(0.5),
        pick(0.99),
        ms(*samples.last().unwrap())
    );
    println!(
        "{}",
        serde_json::json!({
            "participants": phones, "notes": notes, "arrivals": samples.len(),
            "p50_ms": pick(0.5), "p99_ms": pick(0.99), "max_ms": ms(*samples.last().unwrap()),
        })
    );
}
