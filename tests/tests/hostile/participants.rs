//! Fake participants in bulk: a script that joins as many named participants as it can, from
//! one address (one laptop on the venue Wi-Fi) or from many, while another conference on the
//! same server goes on. Joins beyond each limit (per address, per conference) are refused with
//! `rate_limited`, which a real phone simply sends again. Then the facilitator removes one fake
//! with its notes: every screen drops them, and the fake's device can neither post nor join
//! again.
//!
//! The limits are the server's (`server/src/http/joins.rs`): per address a burst of 300, then
//! 5 a second; per conference a burst of 1,000, then 20 a second.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ordet_shared::protocol::{Auth, ClientMessage, ErrorCode, PROTOCOL_VERSION, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Command, CommandId, ConferenceId, Lang, NoteId};
use ordet_tests::{Client, TestServer, create_conference, join, new_participant};
use tokio_tungstenite::tungstenite::Message;

use super::{Bystander, Ordet};

/// New participants one address may bring in at once, and per second after that.
const PER_ADDRESS: (f64, f64) = (300.0, 5.0);
/// New participants one conference takes at once, and per second after that.
const PER_CONFERENCE: (f64, f64) = (1_000.0, 20.0);
/// Fake phones joining at the same time.
const AT_ONCE: usize = 32;
/// Resident memory the server may have once the attack is over, in KiB.
const MEMORY_AFTER_KIB: u64 = 100 * 1024;

/// What one fake phone's join came to.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Joined,
    Refused(ErrorCode),
    Failed(&'static str),
}

/// One fake phone: its own connection from `source`, `hello` as a new participant, then
/// `join` with a name; returns the answer.
async fn fake_join(
    server: SocketAddr,
    source: IpAddr,
    conference: ConferenceId,
    n: usize,
) -> Outcome {
    let attempt = async {
        let socket = tokio::net::TcpSocket::new_v4().map_err(|_| "socket")?;
        socket
            .bind(SocketAddr::new(source, 0))
            .map_err(|_| "bind")?;
        let stream = socket.connect(server).await.map_err(|_| "connect")?;
        let (mut ws, _) = tokio_tungstenite::client_async(format!("ws://{server}/ws"), stream)
            .await
            .map_err(|_| "upgrade")?;
        let send = |message: &ClientMessage| Message::text(serde_json::to_string(message).unwrap());
        ws.send(send(&ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            conference,
            auth: new_participant(),
            since: None,
        }))
        .await
        .map_err(|_| "hello")?;
        let id = CommandId::random();
        while let Some(Ok(frame)) = ws.next().await {
            let Message::Text(text) = frame else { continue };
            match serde_json::from_str::<ServerMessage>(&text).map_err(|_| "bad message")? {
                ServerMessage::Welcome { .. } => {
                    let join = ClientMessage::Command {
                        id,
                        command: Command::Join {
                            name: Some(format!("Falsk {n}")),
                            role: BuiltinRole::Youth.id(),
                        },
                    };
                    ws.send(send(&join)).await.map_err(|_| "join")?;
                }
                ServerMessage::Ack { id: acked, .. } if acked == id => {
                    let _ = ws.close(None).await;
                    return Ok(Outcome::Joined);
                }
                ServerMessage::Rejected {
                    id: refused, error, ..
                } if refused == id => {
                    let _ = ws.close(None).await;
                    return Ok(Outcome::Refused(error));
                }
                ServerMessage::Error { error, .. } => return Ok(Outcome::Refused(error)),
                _ => {}
            }
        }
        Err("closed")
    };
    match tokio::time::timeout(Duration::from_secs(10), attempt).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(why)) => Outcome::Failed(why),
        Err(_) => Outcome::Failed("timeout"),
    }
}

/// The script: `attempts` fake joins, [`AT_ONCE`] at a time, spread over `sources`. Returns
/// how many joined, how many were refused for rate, and anything else that happened.
async fn script(
    server: SocketAddr,
    sources: &[IpAddr],
    conference: ConferenceId,
    attempts: usize,
) -> (usize, usize, Vec<Outcome>) {
    let outcomes: Vec<Outcome> = futures_util::stream::iter(0..attempts)
        .map(|n| fake_join(server, sources[n % sources.len()], conference, n))
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    let joined = outcomes.iter().filter(|o| **o == Outcome::Joined).count();
    let refused = outcomes
        .iter()
        .filter(|o| **o == Outcome::Refused(ErrorCode::RateLimited))
        .count();
    let other = outcomes
        .into_iter()
        .filter(|o| {
            !matches!(
                o,
                Outcome::Joined | Outcome::Refused(ErrorCode::RateLimited)
            )
        })
        .collect();
    (joined, refused, other)
}

/// Keeps reading `client` (as a screen does) until told to stop; gives it back.
fn keep_reading(mut client: Client, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Client> {
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            if let Ok(None) = tokio::time::timeout(Duration::from_millis(200), client.next()).await
            {
                break;
            }
        }
        client
    })
}

fn socket_address(ordet: &Ordet) -> SocketAddr {
    ordet
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address")
}

fn note(text: &str) -> Command {
    Command::PostNote {
        note: NoteId::random(),
        text: text.into(),
        question: None,
        for_group: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fakes_from_one_address_are_slowed_and_one_is_removed_with_its_notes() {
    let ordet = Ordet::spawn(&[]).await;
    let ws = ordet.ws();
    // The address's bucket starts with the first join from it, the bystander's.
    let first_join = Instant::now();
    let bystander = Bystander::start(&ordet.base, &ws).await;
    let server = TestServer {
        server: None,
        base: ordet.base.clone(),
        data: tempfile::tempdir().expect("temp dir"),
    };
    let created = create_conference(&ordet.base, "Ope møte om skulevegen", Lang::Nn).await;
    let facilitator = Client::facilitator(&ws, &created).await;
    let screen = Client::connect(
        &ws,
        created.id,
        Auth::Screen {
            key: created.screen_key.clone(),
        },
        None,
    )
    .await
    .expect("the projector is admitted");
    let (mut real, _) = join(&server, created.id, BuiltinRole::Parent).await;
    real.run(note("Fleire benkar i skulegarden"))
        .await
        .expect("posted");
    // The fake the facilitator will remove: it joined and posted three notes.
    let (mut fake, fake_auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let Auth::Participant { id: fake_id, .. } = fake_auth.clone() else {
        unreachable!("a participant")
    };
    for i in 0..3 {
        fake.run(note(&format!("Gratis mobil {i}! Klikk her")))
            .await
            .expect("posted");
    }
    // Six joined from this address already: four bystanders, the parent and the fake.
    let before = 6.0;

    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = [facilitator, screen, real]
        .into_iter()
        .map(|c| keep_reading(c, stop.clone()))
        .collect();
    let started = Instant::now();
    let loopback = [IpAddr::from([127, 0, 0, 1])];
    let (joined, refused, other) =
        script(socket_address(&ordet), &loopback, created.id, 1_000).await;
    let elapsed = started.elapsed().as_secs_f64();
    let since_first = first_join.elapsed().as_secs_f64();
    let witnessed = bystander.finish().await;
    stop.store(true, Ordering::Relaxed);
    let mut screens = Vec::new();
    for reader in readers {
        screens.push(reader.await.expect("a reader"));
    }
    let rss = ordet.rss_kib();
    eprintln!(
        "one address: {joined} of 1000 fake joins got through in {elapsed:.1} s, {refused} refused \
         for rate; bystander: {} notes, {} lost, p99 {:?}, {}/{} health checks failed; \
         memory {} MiB after (peak {} MiB)",
        witnessed.notes,
        witnessed.lost,
        witnessed.p99,
        witnessed.health_failures,
        witnessed.health_checks,
        rss / 1024,
        ordet.peak_rss_kib() / 1024,
    );
    assert!(other.is_empty(), "every fake was answered: {other:?}");
    let allowed = PER_ADDRESS.0 - before + PER_ADDRESS.1 * since_first + 1.0;
    assert!(
        (joined as f64) <= allowed,
        "{joined} joined within {since_first:.1} s, more than the {allowed:.0} one address may"
    );
    assert!(
        joined as f64 >= PER_ADDRESS.0 - before,
        "a whole school on one address gets its burst in: only {joined}"
    );
    assert_eq!(joined + refused, 1_000);
    assert!(witnessed.notes > 0, "the bystander kept going");
    assert_eq!(witnessed.lost, 0, "the bystander lost nothing");
    assert_eq!(witnessed.health_failures, 0, "/healthz kept answering");
    assert!(rss < MEMORY_AFTER_KIB, "{rss} KiB after the attack");

    // The facilitator removes the fake with its notes: every screen drops both.
    let [mut facilitator, mut screen, mut real] = <[Client; 3]>::try_from(screens).ok().unwrap();
    facilitator
        .run(Command::RemoveParticipant {
            participant: fake_id,
        })
        .await
        .expect("removed");
    // The parent and the fakes that got in (the bystanders are in their own conference).
    let everyone = joined + 1;
    // (A phone knows only the people it sits with: here, itself.)
    for (client, knows) in [
        (&mut facilitator, everyone),
        (&mut screen, everyone),
        (&mut real, 1),
        (&mut fake, 0),
    ] {
        client
            .until(|s| {
                s.participants.len() == knows
                    && !s.participants.contains_key(&fake_id)
                    && s.notes.len() == 1
                    && s.removed.contains(&fake_id)
            })
            .await;
    }
    assert!(
        facilitator
            .state
            .as_ref()
            .unwrap()
            .notes
            .values()
            .all(|n| n.text == "Fleire benkar i skulegarden"),
        "only the real note is left"
    );

    // The fake's device can no longer post, nor join again, on its connection or a new one.
    assert_eq!(
        fake.run(note("Eg er her enno")).await,
        Err(ErrorCode::ParticipantRemoved)
    );
    match Client::connect(&ws, created.id, fake_auth, None).await {
        Ok(mut again) => {
            let rejoin = Command::Join {
                name: Some("Kari".into()),
                role: BuiltinRole::Youth.id(),
            };
            assert_eq!(again.run(rejoin).await, Err(ErrorCode::ParticipantRemoved));
            assert_eq!(
                again.run(note("Tilbake")).await,
                Err(ErrorCode::ParticipantRemoved)
            );
        }
        Err(refused) => assert_eq!(refused.error, Some(ErrorCode::ParticipantRemoved)),
    }
    // The meeting goes on for the others.
    assert!(
        real.run(note("Betre busstilbod"))
            .await
            .expect("posted")
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fakes_from_many_addresses_meet_the_limit_of_the_conference() {
    let ordet = Ordet::spawn(&[]).await;
    let bystander = Bystander::start(&ordet.base, &ordet.ws()).await;
    let created = create_conference(&ordet.base, "Stort møte", Lang::Nb).await;
    // Forty addresses (all on this machine's loopback), each far below its own limit.
    let sources: Vec<IpAddr> = (10..50).map(|i| IpAddr::from([127, 0, 0, i])).collect();
    let attempts = 1_400;
    let started = Instant::now();
    let (joined, refused, other) =
        script(socket_address(&ordet), &sources, created.id, attempts).await;
    let elapsed = started.elapsed().as_secs_f64();
    let witnessed = bystander.finish().await;
    eprintln!(
        "forty addresses: {joined} of {attempts} fake joins got through in {elapsed:.1} s, \
         {refused} refused for rate; bystander: {} notes, {} lost, p99 {:?}; memory {} MiB after",
        witnessed.notes,
        witnessed.lost,
        witnessed.p99,
        ordet.rss_kib() / 1024,
    );
    assert!(other.is_empty(), "every fake was answered: {other:?}");
    let allowed = PER_CONFERENCE.0 + PER_CONFERENCE.1 * elapsed + 1.0;
    assert!(
        (joined as f64) <= allowed,
        "{joined} joined in {elapsed:.1} s, more than the {allowed:.0} one conference takes"
    );
    assert!(
        joined >= 1_000,
        "the conference takes its burst: only {joined}"
    );
    assert!(refused > 0);
    assert_eq!(witnessed.lost, 0, "the bystander lost nothing");
    assert_eq!(witnessed.health_failures, 0, "/healthz kept answering");
    assert!(ordet.rss_kib() < MEMORY_AFTER_KIB);
}
