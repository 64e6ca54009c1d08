//! Resilience over real websockets: many clients dropped at once (the server goes away) all
//! come back and end with the same state as the server; and clients that act at random while
//! dropping out and resuming all converge to the server's state. The storm has a thousand
//! clients (about 25 s); `ORDET_STORM=N` changes that.

use std::time::Duration;

use ordet_shared::protocol::Auth;
use ordet_shared::state::{BuiltinRole, State};
use ordet_shared::{Command, Lang, NoteId, grouping::Rng};
use ordet_tests::{Client, TestServer, join};

/// The state as every screen should have it: the facilitator's fresh view.
async fn server_view(
    server: &TestServer,
    created: &ordet_shared::protocol::CreatedConference,
) -> State {
    Client::facilitator(&server.ws_url(), created)
        .await
        .state
        .expect("a snapshot")
}

/// The server's state as the phone of `auth` may see it (its own seat: a phone knows only
/// the people it sits with), at the seq the phone was last sent.
fn phone_view(server_state: &State, auth: &Auth, phone_seq: u64) -> State {
    let Auth::Participant { id, .. } = auth else {
        unreachable!("a phone")
    };
    let mut view = ordet_shared::audience::project_state(
        server_state,
        ordet_shared::audience::Audience::Participant(*id),
    )
    .into_state();
    view.seq = phone_seq;
    view
}

fn note(text: String) -> Command {
    Command::PostNote {
        note: NoteId::random(),
        text,
        question: None,
        for_group: false,
    }
}

#[tokio::test]
async fn a_reconnect_storm_ends_with_every_client_in_the_servers_state() {
    let storm: usize = std::env::var("ORDET_STORM")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let mut server = TestServer::start().await;
    let created = server.create("Storm", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let mut phones: Vec<(Client, Auth)> = Vec::new();
    for chunk in (0..storm).collect::<Vec<_>>().chunks(100) {
        let joined = futures_util::future::join_all(
            chunk
                .iter()
                .map(|i| join(&server, created.id, BuiltinRole::ALL[i % 6])),
        )
        .await;
        phones.extend(joined);
    }
    for i in 0..20 {
        console.run(note(format!("Før {i}"))).await.unwrap();
    }
    // Everyone has caught up, then the server goes away: every connection drops at once.
    let seq = console.state.as_ref().unwrap().seq;
    for (phone, _) in &mut phones {
        phone.until(|s| s.seq >= seq).await;
    }
    let addr = server.stop_for_now().await;
    server.start_again(addr).await;
    // They all come back, with jitter, asking only for what they missed.
    let url = server.ws_url();
    let resumed =
        futures_util::future::join_all(phones.into_iter().enumerate().map(|(i, (phone, auth))| {
            let url = url.clone();
            let id = created.id;
            async move {
                let state = phone.state.clone().expect("had a state");
                let mut rng = Rng::new(i as u64);
                tokio::time::sleep(Duration::from_millis(rng.next_u64() % 500)).await;
                let phone = Client::resume(&url, id, auth.clone(), state)
                    .await
                    .expect("resumed");
                (phone, auth)
            }
        }))
        .await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    console.run(note("Etter stormen".into())).await.unwrap();
    let last = console.state.as_ref().unwrap().seq;
    let expected = server_view(&server, &created).await;
    assert_eq!(expected.seq, last);
    let mut same = 0;
    for (mut phone, auth) in resumed {
        phone.until(|s| s.seq >= last).await;
        let seq = phone.state.as_ref().unwrap().seq;
        assert_eq!(
            phone.state.as_ref(),
            Some(&phone_view(&expected, &auth, seq))
        );
        same += 1;
    }
    assert_eq!(same, storm);
}

#[tokio::test]
async fn clients_acting_at_random_while_dropping_out_converge_to_the_servers_state() {
    let server = TestServer::start().await;
    let created = server.create("Tilfeldig", Lang::Nb).await;
    let mut phones: Vec<(Client, Auth)> = Vec::new();
    for i in 0..8 {
        phones.push(join(&server, created.id, BuiltinRole::ALL[i % 6]).await);
    }
    let mut rng = Rng::new(2026);
    let mut written: Vec<(usize, NoteId)> = Vec::new();
    for round in 0..120 {
        let who = (rng.next_u64() % phones.len() as u64) as usize;
        match rng.next_u64() % 10 {
            // Drop out and come back, catching up from where it was.
            0 | 1 => {
                let (phone, auth) = phones.remove(who);
                let state = phone.state.clone().unwrap();
                phone.close().await;
                let back = Client::resume(&server.ws_url(), created.id, auth.clone(), state)
                    .await
                    .expect("resumed");
                phones.insert(who, (back, auth));
            }
            // Edit one of its own notes.
            2 | 3 if written.iter().any(|(w, _)| *w == who) => {
                let (_, id) = *written.iter().rev().find(|(w, _)| *w == who).unwrap();
                let edit = Command::EditNote {
                    note: id,
                    text: format!("Endra i runde {round}"),
                };
                phones[who].0.run(edit).await.unwrap();
            }
            // Write a note.
            _ => {
                let id = NoteId::random();
                let post = Command::PostNote {
                    note: id,
                    text: format!("Lapp {round} frå {who}"),
                    question: None,
                    for_group: false,
                };
                phones[who].0.run(post).await.unwrap();
                written.push((who, id));
            }
        }
    }
    // A last note, which every phone is told of (a phone is not told of the others' joins).
    phones[0].0.run(note("Siste lapp".into())).await.unwrap();
    let expected = server_view(&server, &created).await;
    for (phone, auth) in &mut phones {
        phone.until(|s| s.seq >= expected.seq).await;
        let seq = phone.state.as_ref().unwrap().seq;
        assert_eq!(
            phone.state.as_ref(),
            Some(&phone_view(&expected, auth, seq))
        );
    }
    assert!(
        expected.notes.values().any(|n| n.edited),
        "some edits happened"
    );
}

/// A phone that stops reading (asleep in a pocket, on a dead network) must not hold up the
/// room: while thirty phones post 1,200 notes, the projector gets every one before the server
/// gives up on the silent phone (after `SEND_TIMEOUT`), and the server then closes it. Its
/// place in the room is kept: it resumes and catches up with everything.
#[tokio::test]
async fn a_phone_that_stops_reading_does_not_hold_up_the_others() {
    use futures_util::SinkExt;
    use ordet_server::http::SEND_TIMEOUT;
    use ordet_shared::protocol::{ClientMessage, PROTOCOL_VERSION};
    use tokio_tungstenite::tungstenite::Message;

    const PHONES: usize = 30;
    const NOTES_EACH: usize = 40;
    let server = TestServer::start().await;
    let created = server.create("Sovande telefon", Lang::Nn).await;
    let mut projector = Client::facilitator(&server.ws_url(), &created).await;

    // The silent phone: a tiny receive buffer, a hello, then it never reads again.
    let (silent_auth, silent_id) = {
        let auth = ordet_tests::new_participant();
        let Auth::Participant { id, .. } = &auth else {
            unreachable!()
        };
        (auth.clone(), *id)
    };
    let mut joined = Client::connect(&server.ws_url(), created.id, silent_auth.clone(), None)
        .await
        .expect("admitted");
    joined
        .run(Command::Join {
            name: None,
            role: BuiltinRole::Youth.id(),
        })
        .await
        .unwrap();
    joined.close().await;
    let addr = server.server.as_ref().unwrap().addr;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(addr).await.unwrap();
    let (mut silent, _) = tokio_tungstenite::client_async(server.ws_url(), stream)
        .await
        .expect("websocket");
    let hello = ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        conference: created.id,
        auth: silent_auth.clone(),
        since: None,
    };
    silent
        .send(Message::text(serde_json::to_string(&hello).unwrap()))
        .await
        .unwrap();
    let silent_since = tokio::time::Instant::now();

    let mut phones = Vec::new();
    for _ in 0..PHONES {
        phones.push(join(&server, created.id, BuiltinRole::Parent).await.0);
    }
    let long =
        "Vi treng fleire trygge gangvegar til skulen og lys langs vegen om vinteren. ".repeat(3);
    let posting = phones.iter_mut().enumerate().map(|(p, phone)| {
        let long = long.clone();
        async move {
            for i in 0..NOTES_EACH {
                phone.run(note(format!("{p}-{i} {long}"))).await.unwrap();
            }
        }
    });
    futures_util::future::join_all(posting).await;
    projector
        .until(|s| s.notes.len() == PHONES * NOTES_EACH)
        .await;
    assert!(
        silent_since.elapsed() < SEND_TIMEOUT,
        "every note reached the projector while the silent phone was still connected"
    );

    // The server gives up on the silent phone once a send has waited `SEND_TIMEOUT`: when it
    // reads again, it finds what the buffers held, then the end of the connection.
    tokio::time::sleep_until(silent_since + SEND_TIMEOUT + std::time::Duration::from_secs(2)).await;
    // Generous: on a loaded machine the send that waits may start a few seconds late.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(15), async {
        use futures_util::StreamExt;
        let mut messages = 0;
        while let Some(Ok(message)) = silent.next().await {
            if message.is_close() {
                break;
            }
            messages += 1;
        }
        messages
    })
    .await;
    let buffered = ended.expect("the server closed the silent phone's connection");
    assert!(
        buffered < PHONES * NOTES_EACH,
        "the server stopped sending before everything was sent ({buffered} messages)"
    );

    // Its place is kept: it resumes as itself and catches up.
    let mut back = Client::connect(&server.ws_url(), created.id, silent_auth, None)
        .await
        .expect("the silent phone comes back as itself");
    back.until(|s| s.notes.len() == PHONES * NOTES_EACH && s.participants.contains_key(&silent_id))
        .await;
}
