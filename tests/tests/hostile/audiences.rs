//! What a screen is told, tried as outsiders would: a phone that only looked up the join code
//! and never joined, a participant reading every frame its phone receives, and both again
//! after reconnects, replays and snapshots in pieces. Each test records the raw messages the
//! attacker's socket received and searches them, not only the state the app would show.

use ordet_shared::notes::Place;
use ordet_shared::protocol::{Auth, ErrorCode, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Command, Lang, NoteId};
use ordet_tests::{Client, TestServer, join, new_participant};

/// Everything a client received, as the JSON that crossed the wire.
fn wire(client: &Client) -> String {
    serde_json::to_string(&client.received).expect("messages serialize")
}

/// Before: with only the conference id from `GET /api/join/CODE`, a participant id that never
/// joined got the snapshot (every name, role, group and note) and every event after it. Now
/// it gets what the join form needs and nothing of the meeting; after *Close joining* it is
/// not admitted at all, and the join code answers nothing but that joining is closed.
#[tokio::test]
async fn a_phone_that_never_joined_learns_nothing_of_the_meeting() {
    let server = TestServer::start().await;
    let created = server.create("Ope møte", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let (mut pupil, _) = join(&server, created.id, BuiltinRole::Youth).await;
    pupil
        .run(Command::PostNote {
            note: NoteId::random(),
            text: "Eg blir mobba av nokon i klassen min".into(),
            question: None,
            for_group: false,
        })
        .await
        .unwrap();

    let mut outsider = Client::connect(&server.ws_url(), created.id, new_participant(), None)
        .await
        .expect("the join form is shown");
    let seen = outsider
        .state
        .clone()
        .expect("a snapshot for the join form");
    assert_eq!(seen.title, "Ope møte");
    assert!(!seen.roles.is_empty(), "the roles to choose from");
    assert!(seen.participants.is_empty(), "{:?}", seen.participants);
    assert!(seen.notes.is_empty());

    // The meeting goes on: a note, a new participant, a step. The outsider hears of none.
    let (mut parent, _) = join(&server, created.id, BuiltinRole::Parent).await;
    let marker = "Bussen går for sjeldan frå Flatdal";
    let seq = parent
        .run(Command::PostNote {
            note: NoteId::random(),
            text: marker.into(),
            question: None,
            for_group: false,
        })
        .await
        .unwrap()
        .unwrap();
    console.until(|s| s.seq >= seq).await;
    // A renamed conference is for the join form too: once it arrives, everything before
    // it would have.
    console
        .run(Command::RenameConference {
            title: "Ope møte i Seljord".into(),
        })
        .await
        .unwrap();
    outsider.until(|s| s.title == "Ope møte i Seljord").await;
    let received = wire(&outsider);
    for secret in [marker, "mobba", "Kari"] {
        assert!(!received.contains(secret), "{secret} reached an outsider");
    }
    assert!(
        !received.contains("participant_joined") && !received.contains("note_posted"),
        "{received}"
    );

    // Joining closed: a new participant id gets no welcome, only the reason.
    console
        .run(Command::SetJoining { open: false })
        .await
        .unwrap();
    let refused = Client::connect(&server.ws_url(), created.id, new_participant(), None)
        .await
        .err()
        .expect("not admitted after joining closed");
    assert_eq!(refused.error, Some(ErrorCode::JoiningClosed));
    // Nor does the join code tell anyone the title and roles any more (phones that joined
    // kept them).
    let lookup = reqwest::get(format!(
        "{}/api/join/{}",
        server.base,
        created.join_code.as_str()
    ))
    .await
    .unwrap();
    assert_eq!(lookup.status(), 403);
    let body = lookup.text().await.unwrap();
    assert!(
        body.contains("joining_closed") && !body.contains("Ope møte"),
        "{body}"
    );
}

/// Before: hidden and withdrawn notes arrived with their full text in the snapshot of every
/// phone. Now their text reaches only the facilitator's console — live, in a resumed replay
/// and in a snapshot in pieces.
#[tokio::test]
async fn hidden_and_withdrawn_text_reaches_only_the_console() {
    let server = TestServer::start().await;
    let created = server.create("Moderering", Lang::Nb).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let (mut writer, _) = join(&server, created.id, BuiltinRole::Youth).await;
    let (mut reader, reader_auth) = join(&server, created.id, BuiltinRole::Parent).await;

    let hidden_text = "Navnet til læreren min og hva han gjorde";
    let withdrawn_text = "Dette angrer jeg på å ha skrevet";
    let (hidden, withdrawn) = (NoteId::random(), NoteId::random());
    for (note, text) in [(hidden, hidden_text), (withdrawn, withdrawn_text)] {
        writer
            .run(Command::PostNote {
                note,
                text: text.into(),
                question: None,
                for_group: false,
            })
            .await
            .unwrap();
    }
    // The reader goes offline before the moderation, and comes back afterwards.
    reader.until(|s| s.notes.len() == 2).await;
    let kept = reader.state.clone().unwrap();
    reader.close().await;

    console
        .run(Command::PlaceNote {
            note: hidden,
            place: Place::Hidden,
        })
        .await
        .unwrap();
    let last = writer
        .run(Command::WithdrawNote { note: withdrawn })
        .await
        .unwrap()
        .unwrap();
    // Enough notes that a new snapshot comes in pieces.
    for i in 0..60 {
        writer
            .run(Command::PostNote {
                note: NoteId::random(),
                text: format!("Innspel nummer {i} om skulevegen og lyset der om kvelden"),
                question: None,
                for_group: false,
            })
            .await
            .unwrap();
    }

    console.until(|s| s.seq >= last).await;
    let console_state = console.state.as_ref().unwrap();
    assert_eq!(
        console_state.notes[&hidden].text, hidden_text,
        "to restore it"
    );
    assert_eq!(console_state.notes[&withdrawn].text, withdrawn_text);

    // Resumed from where it was: the replay.
    let mut resumed = Client::resume(&server.ws_url(), created.id, reader_auth.clone(), kept)
        .await
        .expect("resumed");
    resumed.until(|s| s.seq >= last).await;
    // A new phone, and the projector: snapshots, in pieces.
    let (fresh, _) = join(&server, created.id, BuiltinRole::Teacher).await;
    let projector = Client::connect(
        &server.ws_url(),
        created.id,
        Auth::Screen {
            key: created.screen_key.clone(),
        },
        None,
    )
    .await
    .unwrap();
    assert!(
        fresh
            .received
            .iter()
            .any(|m| matches!(m, ServerMessage::SnapshotPart { .. })),
        "the snapshot came in pieces"
    );
    for (who, client) in [
        ("a resumed phone", &resumed),
        ("a new phone", &fresh),
        ("the projector", &projector),
    ] {
        let received = wire(client);
        assert!(!received.contains(hidden_text), "hidden text reached {who}");
        assert!(
            !received.contains(withdrawn_text),
            "withdrawn text reached {who}"
        );
        let state = client.state.as_ref().unwrap();
        assert_eq!(
            state.notes[&hidden].place,
            Place::Hidden,
            "{who} knows its fate"
        );
        assert!(state.notes[&hidden].text.is_empty(), "{who}");
    }
}
