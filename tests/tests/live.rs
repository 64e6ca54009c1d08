//! The live loop against the real server and real websocket clients: create, join, post,
//! receive; reconnect and resume; retries applied once; keys enforced; bad input handled;
//! restart on the same data folder.

use ordet_shared::protocol::{Auth, ClientMessage, ErrorCode, JoinInfo, ServerMessage, close_code};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Actor, Command, CommandId, Lang, NoteId, RoleId};
use ordet_tests::{Client, TestServer, join};
use tokio_tungstenite::tungstenite::Message;

fn note(text: &str) -> Command {
    Command::PostNote {
        note: NoteId::random(),
        text: text.into(),
        question: None,
        for_group: false,
    }
}

#[tokio::test]
async fn a_note_posted_on_a_phone_reaches_console_and_projector_without_its_author() {
    let server = TestServer::start().await;
    let created = server.create("Ope møte om oppvekstplanen", Lang::Nn).await;

    let info: JoinInfo = reqwest::get(format!("{}/api/join/{}", server.base, created.join_code))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info.conference, created.id);
    assert_eq!(info.title, "Ope møte om oppvekstplanen");
    assert_eq!(info.roles.len(), 6);

    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let Some(ServerMessage::Welcome {
        viewer,
        screen_key,
        join_url,
        ..
    }) = console.received.first().cloned()
    else {
        panic!("welcome first");
    };
    assert_eq!(viewer, Actor::Facilitator);
    assert_eq!(screen_key.as_deref(), Some(created.screen_key.as_str()));
    assert!(join_url.ends_with("/j"), "{join_url}");

    let mut projector = Client::connect(
        &server.ws_url(),
        created.id,
        Auth::Screen {
            key: created.screen_key.clone(),
        },
        None,
    )
    .await
    .expect("screen admitted");

    let (mut phone, auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let Auth::Participant { id: phone_id, .. } = auth else {
        unreachable!()
    };
    let note_id = NoteId::random();
    let seq = phone
        .run(Command::PostNote {
            note: note_id,
            text: "Fleire benkar i skulegarden".into(),
            question: None,
            for_group: false,
        })
        .await
        .expect("note accepted")
        .expect("new event");

    for client in [&mut console, &mut projector] {
        client.until(|state| state.seq >= seq).await;
        let state = client.state.as_ref().unwrap();
        assert_eq!(state.notes[&note_id].text, "Fleire benkar i skulegarden");
        // The only youth in the room: a role on the note would name them (k = 3).
        assert_eq!(state.notes[&note_id].role, None);
        assert_eq!(state.participants.len(), 1);
    }
    // No message to any screen names who wrote the note.
    let broadcast = serde_json::to_string(&projector.received).unwrap();
    assert!(broadcast.contains("Fleire benkar"));
    let note_event = projector
        .received
        .iter()
        .find(|m| matches!(m, ServerMessage::Event(e) if e.seq == seq))
        .unwrap();
    assert!(
        !serde_json::to_string(note_event)
            .unwrap()
            .contains(&phone_id.to_string())
    );
}

#[tokio::test]
async fn join_code_lookup_explains_unknown_and_malformed_codes() {
    let server = TestServer::start().await;
    let unknown = reqwest::get(format!("{}/api/join/7777AA", server.base))
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let body: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(body["error"], "unknown_join_code");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("No conference has this code")
    );

    let malformed = reqwest::get(format!("{}/api/join/O0O0O0", server.base))
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let body: serde_json::Value = malformed.json().await.unwrap();
    assert_eq!(body["error"], "join_code_characters");
}

#[tokio::test]
async fn creating_a_conference_validates_the_title_and_the_body() {
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/conferences", server.base);
    let empty = http
        .post(&url)
        .json(&serde_json::json!({"title": "  ", "language": "nb"}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
    assert_eq!(
        empty.json::<serde_json::Value>().await.unwrap()["error"],
        "title_empty"
    );

    let long = "x".repeat(ordet_shared::limits::TITLE_MAX_CHARS + 1);
    let too_long = http
        .post(&url)
        .json(&serde_json::json!({"title": long, "language": "nb"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        too_long.json::<serde_json::Value>().await.unwrap()["error"],
        "title_too_long"
    );

    let garbage = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    assert_eq!(
        garbage.json::<serde_json::Value>().await.unwrap()["error"],
        "bad_message"
    );

    let huge = http
        .post(&url)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"title\":\"{}\",\"language\":\"nb\"}}",
            "x".repeat(100_000)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
}

#[tokio::test]
async fn a_reconnecting_client_gets_only_the_events_it_missed() {
    let server = TestServer::start().await;
    let created = server.create("Referansegruppa", Lang::Nb).await;
    let facilitator = Auth::Facilitator {
        key: created.facilitator_key.clone(),
    };
    let screen = Client::connect(&server.ws_url(), created.id, facilitator.clone(), None)
        .await
        .unwrap();
    let seen = screen.state.as_ref().unwrap().seq;
    screen.close().await;

    let (mut phone, _) = join(&server, created.id, BuiltinRole::Parent).await;
    for text in ["Én", "To", "Tre"] {
        phone.run(note(text)).await.unwrap();
    }

    let base = screen_state_at(seen, &created).await;
    let mut resumed = Client::resume(&server.ws_url(), created.id, facilitator, base)
        .await
        .unwrap();
    resumed.until(|s| s.notes.len() == 3).await;
    // Exactly the missed events followed the welcome: no snapshot, no duplicates.
    let replayed: Vec<u64> = resumed
        .received
        .iter()
        .filter_map(|m| match m {
            ServerMessage::Event(e) => Some(e.seq),
            ServerMessage::Snapshot { .. } => {
                panic!("a resume within the ring must not send a snapshot")
            }
            _ => None,
        })
        .collect();
    assert_eq!(replayed, vec![seen + 1, seen + 2, seen + 3, seen + 4]);
}

/// The state as it was at `seq` (here: just after creation), for applying a replay to.
async fn screen_state_at(
    seq: u64,
    created: &ordet_shared::protocol::CreatedConference,
) -> ordet_shared::State {
    assert_eq!(seq, 1, "the conference was fresh");
    let mut state = ordet_shared::State::default();
    state.apply(&ordet_shared::SequencedEvent {
        seq: 1,
        event: ordet_shared::Event::ConferenceCreated {
            id: created.id,
            title: "Referansegruppa".into(),
            language: Lang::Nb,
            join_code: created.join_code.clone(),
            created_at: ordet_shared::Timestamp(0),
            roles: ordet_shared::state::Role::defaults(),
        },
    });
    state
}

#[tokio::test]
async fn a_retried_command_is_applied_once() {
    let server = TestServer::start().await;
    let created = server.create("Dobbel", Lang::En).await;
    let (mut phone, auth) = join(&server, created.id, BuiltinRole::Teacher).await;
    let command = note("Same note twice");
    let first = phone.run(command.clone()).await.unwrap();
    assert!(first.is_some());
    // Same note identifier, new command identifier: recognised, acknowledged, not applied.
    assert_eq!(phone.run(command.clone()).await.unwrap(), None);

    // The same command id resent on a new connection after a drop.
    phone.close().await;
    let mut again = Client::connect(&server.ws_url(), created.id, auth, None)
        .await
        .unwrap();
    let id = CommandId::random();
    again
        .send(&ClientMessage::Command {
            id,
            command: command.clone(),
        })
        .await;
    again.send(&ClientMessage::Command { id, command }).await;
    assert_eq!(again.answer(id).await.unwrap(), None);
    assert_eq!(again.answer(id).await.unwrap(), None);
    let state = again.state.as_ref().unwrap();
    assert_eq!(state.notes.len(), 1);
}

#[tokio::test]
async fn facilitator_powers_need_the_facilitator_key() {
    let server = TestServer::start().await;
    let created = server.create("Nøkkel", Lang::Nb).await;

    let wrong = Client::connect(
        &server.ws_url(),
        created.id,
        Auth::Facilitator {
            key: "not-the-key".into(),
        },
        None,
    )
    .await
    .err()
    .expect("refused");
    assert_eq!(wrong.error, Some(ErrorCode::Unauthorized));
    assert_eq!(wrong.close_code, Some(close_code::UNAUTHORIZED));

    // The screen key opens the projector, but acts on nothing.
    let mut screen = Client::connect(
        &server.ws_url(),
        created.id,
        Auth::Screen {
            key: created.screen_key.clone(),
        },
        None,
    )
    .await
    .unwrap();
    let add = Command::AddRole {
        role: RoleId::random(),
        name: "Trenar".into(),
    };
    assert_eq!(screen.run(add.clone()).await, Err(ErrorCode::NotAllowed));
    assert_eq!(screen.run(note("hei")).await, Err(ErrorCode::NotAllowed));

    let (mut phone, _) = join(&server, created.id, BuiltinRole::Youth).await;
    assert_eq!(phone.run(add.clone()).await, Err(ErrorCode::NotAllowed));
    assert_eq!(
        phone
            .run(Command::RenameConference {
                title: "Mine".into()
            })
            .await,
        Err(ErrorCode::NotAllowed)
    );

    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    assert!(console.run(add).await.unwrap().is_some());
    assert_eq!(console.state.as_ref().map(|s| s.roles.len()), Some(7));
}

#[tokio::test]
async fn a_participant_cannot_be_impersonated_without_the_device_token() {
    let server = TestServer::start().await;
    let created = server.create("Identitet", Lang::Nb).await;
    let (_phone, auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let Auth::Participant { id, .. } = auth.clone() else {
        unreachable!()
    };
    let impostor = Auth::Participant {
        id,
        token: "a-different-token-of-enough-length".into(),
    };
    let refused = Client::connect(&server.ws_url(), created.id, impostor, None)
        .await
        .err()
        .expect("refused");
    assert_eq!(refused.close_code, Some(close_code::UNAUTHORIZED));
    // The real device comes back as itself.
    let back = Client::connect(&server.ws_url(), created.id, auth, None)
        .await
        .unwrap();
    let Some(ServerMessage::Welcome { viewer, .. }) = back.received.first() else {
        panic!()
    };
    assert_eq!(*viewer, Actor::Participant { id });
}

#[tokio::test]
async fn bad_input_gets_a_clear_answer_and_disturbs_no_one_else() {
    let server = TestServer::start().await;
    let created = server.create("Støy", Lang::En).await;
    let (mut bystander, _) = join(&server, created.id, BuiltinRole::Parent).await;
    let (mut phone, _) = join(&server, created.id, BuiltinRole::Youth).await;

    phone.send_raw(Message::text("{not json")).await;
    assert!(matches!(
        phone.next().await,
        Some(ServerMessage::Error {
            error: ErrorCode::BadMessage,
            ..
        })
    ));
    phone
        .send_raw(Message::text(r#"{"type":"launch_rockets"}"#))
        .await;
    assert!(matches!(
        phone.next().await,
        Some(ServerMessage::Error {
            error: ErrorCode::BadMessage,
            ..
        })
    ));
    phone.send_raw(Message::binary(vec![1, 2, 3])).await;
    assert!(matches!(
        phone.next().await,
        Some(ServerMessage::Error {
            error: ErrorCode::BadMessage,
            ..
        })
    ));

    let long = "ø".repeat(ordet_shared::limits::NOTE_MAX_CHARS + 1);
    assert_eq!(phone.run(note(&long)).await, Err(ErrorCode::NoteTooLong));
    assert_eq!(phone.run(note(" \n\t ")).await, Err(ErrorCode::NoteEmpty));
    assert_eq!(
        phone
            .run(Command::ChangeProfile {
                name: None,
                role: RoleId::random()
            })
            .await,
        Err(ErrorCode::UnknownRole)
    );
    // HTML is just text: stored and sent as typed, never interpreted by the server.
    let script = "<script>alert(1)</script>";
    assert!(phone.run(note(script)).await.unwrap().is_some());

    // Still connected and working after all that.
    assert!(phone.run(note("Still here")).await.unwrap().is_some());

    // A flood: the bucket refuses the excess with one clear error.
    for _ in 0..60 {
        phone.send(&ClientMessage::Ping { client_time: 0.0 }).await;
    }
    let mut rate_limited = false;
    let mut pongs = 0;
    while !rate_limited {
        match phone.next().await.expect("still open") {
            ServerMessage::Error {
                error: ErrorCode::RateLimited,
                ..
            } => rate_limited = true,
            ServerMessage::Pong { .. } => pongs += 1,
            _ => {}
        }
    }
    assert!(
        pongs >= 20,
        "a burst is allowed before the limit ({pongs} answered)"
    );
    assert!(rate_limited);

    // A frame over the size limit closes that connection with 1009 ...
    phone
        .send_raw(Message::text(
            "x".repeat(ordet_shared::limits::MAX_MESSAGE_BYTES + 1),
        ))
        .await;
    assert_eq!(phone.wait_close().await, Some(close_code::TOO_BIG));

    // ... and the bystander saw every accepted note and none of the noise.
    bystander.until(|s| s.notes.len() == 2).await;
    assert!(
        bystander
            .state
            .as_ref()
            .unwrap()
            .notes
            .values()
            .any(|n| n.text == script)
    );
    assert!(
        bystander
            .run(note("Business as usual"))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_client_that_keeps_flooding_is_disconnected() {
    let server = TestServer::start().await;
    let created = server.create("Flaum", Lang::En).await;
    let ping = serde_json::to_string(&ClientMessage::Ping { client_time: 0.0 }).unwrap();
    // Text the server answers, and binary frames it does not use: both count.
    for flood in [Message::text(ping), Message::binary(vec![0u8; 16])] {
        let (mut phone, _) = join(&server, created.id, BuiltinRole::Youth).await;
        for _ in 0..400 {
            if !phone.try_send_raw(flood.clone()).await {
                break;
            }
        }
        assert_eq!(
            phone.wait_close().await,
            Some(close_code::FLOODING),
            "{flood:?}"
        );
    }
}

#[tokio::test]
async fn a_client_that_closes_gets_the_answering_close() {
    let server = TestServer::start().await;
    let created = server.create("Farvel", Lang::En).await;
    let (mut phone, _) = join(&server, created.id, BuiltinRole::Youth).await;
    let close = tokio_tungstenite::tungstenite::protocol::CloseFrame {
        code: 1000.into(),
        reason: "bye".into(),
    };
    assert!(phone.try_send_raw(Message::Close(Some(close))).await);
    // The server's echo of the close, not a dropped connection.
    assert_eq!(phone.wait_close().await, Some(1000));
}

#[tokio::test]
async fn hello_is_checked_before_anything_else() {
    let server = TestServer::start().await;
    let created = server.create("Helsing", Lang::En).await;

    let mut old_app = Client::open(&server.ws_url()).await;
    old_app
        .send_raw(Message::text(
            serde_json::json!({
                "type": "hello", "protocol": 999, "conference": created.id,
                "auth": {"as": "screen", "key": created.screen_key}, "since": null
            })
            .to_string(),
        ))
        .await;
    assert!(matches!(
        old_app.next().await,
        Some(ServerMessage::Error {
            error: ErrorCode::ProtocolMismatch,
            ..
        })
    ));
    assert_eq!(
        old_app.wait_close().await,
        Some(close_code::PROTOCOL_MISMATCH)
    );

    let unknown = Client::connect(
        &server.ws_url(),
        ordet_shared::ConferenceId::random(),
        Auth::Screen { key: "x".into() },
        None,
    )
    .await
    .err()
    .unwrap();
    assert_eq!(unknown.close_code, Some(close_code::UNKNOWN_CONFERENCE));

    let mut rude = Client::open(&server.ws_url()).await;
    rude.send(&ClientMessage::Ping { client_time: 1.0 }).await;
    assert_eq!(rude.wait_close().await, Some(close_code::BAD_HELLO));
}

#[tokio::test]
async fn a_restart_on_the_same_data_folder_keeps_everything() {
    let mut server = TestServer::start().await;
    let created = server.create("Etter omstart", Lang::Nn).await;
    let (mut phone, auth) = join(&server, created.id, BuiltinRole::Politician).await;
    for i in 0..5 {
        phone.run(note(&format!("Innspel {i}"))).await.unwrap();
    }
    let before = phone.state.clone().unwrap();
    server.restart().await;
    // The phone's old connection was closed with "going away"; it comes back as itself.
    assert_eq!(phone.wait_close().await, Some(close_code::GOING_AWAY));
    let mut back = Client::resume(&server.ws_url(), created.id, auth, before.clone())
        .await
        .unwrap();
    assert!(back.run(note("Etter")).await.unwrap().is_some());
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    console.until(|s| s.notes.len() == 6).await;
    let after = console.state.unwrap();
    assert_eq!(after.title, before.title);
    assert_eq!(after.participants, before.participants);
    for (id, note) in &before.notes {
        assert_eq!(&after.notes[id], note);
    }
    // The join code still leads to the conference.
    let info: JoinInfo = reqwest::get(format!("{}/api/join/{}", server.base, created.join_code))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info.conference, created.id);
}

/// The path of the wasm file a page of the app loads (from its loader script).
async fn wasm_of_page(http: &reqwest::Client, base: &str, path: &str) -> String {
    let text = |path: String| async move {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        response.text().await.unwrap()
    };
    let after = |text: &str, start: &str, end: char| {
        text.split(start)
            .nth(1)
            .and_then(|rest| rest.split(end).next())
            .unwrap_or_else(|| panic!("no {start} in {text}"))
            .to_string()
    };
    let html = text(path.to_string()).await;
    let loader = text(after(&html, "<script type=\"module\" src=\"", '"')).await;
    format!("/assets/{}", after(&loader, "new URL('./", '\''))
}

#[tokio::test]
async fn a_phone_gets_the_smaller_phone_bundle_and_other_paths_the_whole_app() {
    assert!(ordet_server::http::web_app_built());
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let whole = wasm_of_page(&http, &server.base, "/f/some/link").await;
    assert_eq!(wasm_of_page(&http, &server.base, "/").await, whole);
    let phone = wasm_of_page(&http, &server.base, "/j/K7P4RX").await;
    assert_eq!(wasm_of_page(&http, &server.base, "/j").await, phone);
    assert_ne!(phone, whole, "a phone should not load the whole app");
    let brotli_size = |path: String| {
        let http = http.clone();
        let url = format!("{}{path}", server.base);
        async move {
            let response = http
                .get(url)
                .header("accept-encoding", "br")
                .send()
                .await
                .unwrap();
            assert_eq!(response.headers()["content-encoding"], "br");
            response.bytes().await.unwrap().len()
        }
    };
    let (phone_size, whole_size) = (brotli_size(phone).await, brotli_size(whole).await);
    assert!(
        phone_size * 4 < whole_size * 3,
        "the phone's wasm ({phone_size} B) should be well under the whole app's ({whole_size} B)"
    );
}

#[tokio::test]
async fn the_app_is_served_compressed_with_cache_rules_and_security_headers() {
    assert!(
        ordet_server::http::web_app_built(),
        "the browser app is not embedded: run the tests with `cargo xtask test`"
    );
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let index = http
        .get(format!("{}/f/some/deep/link", server.base))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let csp = index.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(index.headers()["x-content-type-options"], "nosniff");
    assert_eq!(index.headers()["referrer-policy"], "no-referrer");
    let html = index.text().await.unwrap();
    let wasm_js = html
        .split("modulepreload\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();

    let gz = http
        .get(format!("{}{}", server.base, wasm_js))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert!(
        gz.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let br = http
        .get(format!("{}{}", server.base, wasm_js))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    let etag = br.headers()["etag"].clone();
    let revalidated = http
        .get(format!("{}{}", server.base, wasm_js))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);

    let api_404 = http
        .get(format!("{}/api/nothing", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(api_404.status(), 404);
    assert_eq!(
        api_404.json::<serde_json::Value>().await.unwrap()["error"],
        "bad_message"
    );
    let missing_asset = http
        .get(format!("{}/assets/nothing.js", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_asset.status(), 404);
    assert_eq!(
        http.get(format!("{}/healthz", server.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

fn timed_step(title: &str, minutes: u32) -> ordet_shared::programme::Step {
    ordet_shared::programme::Step {
        id: ordet_shared::StepId::random(),
        kind: ordet_shared::programme::StepKind::GroupRound,
        title: title.into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(minutes * 60),
        notes_open: true,
        per_group: false,
        turns: None,
    }
}

/// Adds a group-round step of `minutes` and starts it; returns its identifier.
async fn start_timed_step(console: &mut Client, minutes: u32) -> ordet_shared::StepId {
    let step = timed_step("Runde", minutes);
    let id = step.id;
    console
        .run(Command::AddStep { step, index: None })
        .await
        .unwrap();
    console.run(Command::StartStep { step: id }).await.unwrap();
    id
}

#[tokio::test]
async fn the_facilitator_on_two_devices_sees_one_programme() {
    let server = TestServer::start().await;
    let created = server.create("To einingar", Lang::Nn).await;
    let mut laptop = Client::facilitator(&server.ws_url(), &created).await;
    let mut tablet = Client::facilitator(&server.ws_url(), &created).await;
    let step = timed_step("Runde 1", 10);
    let id = step.id;
    laptop
        .run(Command::AddStep { step, index: None })
        .await
        .unwrap();
    // The same step added from the other device at the same time is recognised, not doubled.
    let again = laptop.state.as_ref().unwrap().programme.steps[0].clone();
    assert_eq!(
        tablet
            .run(Command::AddStep {
                step: again,
                index: None
            })
            .await
            .unwrap(),
        None
    );
    tablet.run(Command::StartStep { step: id }).await.unwrap();
    laptop.until(|s| s.programme.current == Some(id)).await;
    laptop.run(Command::PauseClock).await.unwrap();
    tablet
        .until(|s| {
            matches!(
                s.programme.clock,
                ordet_shared::programme::Clock::Paused { .. }
            )
        })
        .await;
    assert_eq!(laptop.state, tablet.state);
}

#[tokio::test]
async fn the_step_clock_survives_a_server_restart() {
    let mut server = TestServer::start().await;
    let created = server.create("Omstart", Lang::Nb).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let id = start_timed_step(&mut console, 5).await;
    let clock = console.state.as_ref().unwrap().programme.clock;
    server.restart().await;
    let back = Client::facilitator(&server.ws_url(), &created).await;
    let programme = &back.state.as_ref().unwrap().programme;
    assert_eq!(programme.current, Some(id));
    assert_eq!(programme.clock, clock, "the same deadline, in server time");
}

#[tokio::test]
async fn a_phone_that_drops_out_mid_round_keeps_its_seat_and_job() {
    let server = TestServer::start().await;
    let created = server.create("Sovande telefon", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let (pupil, pupil_auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let (_parent, _) = join(&server, created.id, BuiltinRole::Parent).await;
    let id = start_timed_step(&mut console, 10).await;
    console
        .run(Command::FormGroups {
            step: id,
            mode: ordet_shared::programme::GroupingMode::Mixed,
        })
        .await
        .unwrap();
    let Auth::Participant { id: me, .. } = pupil_auth.clone() else {
        unreachable!()
    };
    let before = console
        .state
        .as_ref()
        .unwrap()
        .programme
        .group_of(id, me)
        .cloned()
        .unwrap();
    assert_eq!(before.leader, Some(me), "the youth leads");
    // The phone sleeps (connection gone) and wakes up: still in the same group, still leading.
    pupil.close().await;
    let back = Client::connect(&server.ws_url(), created.id, pupil_auth, None)
        .await
        .unwrap();
    let after = back
        .state
        .as_ref()
        .unwrap()
        .programme
        .group_of(id, me)
        .cloned()
        .unwrap();
    assert_eq!(after, before);
}
