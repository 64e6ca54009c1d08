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

/// Before: every phone received every participant's name and role and every group's
/// members, so "the youth in group 3" was a name; and every join went to every phone. Now a
/// phone learns the names, roles and identifiers only of the people at its own table — live,
/// after a late arrival, a new name and a talking round at another table, and in a fresh
/// snapshot — and hears of nobody else's join.
#[tokio::test]
async fn a_phone_learns_only_the_people_at_its_own_table() {
    use ordet_shared::programme::{GroupingMode, Step, StepKind};
    use ordet_shared::turns::{TurnAction, TurnSettings};
    use ordet_shared::{ParticipantId, StepId};

    let server = TestServer::start().await;
    let created = server.create("Ope skulemøte", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let id_of = |auth: &Auth| match auth {
        Auth::Participant { id, .. } => *id,
        _ => unreachable!(),
    };
    let mut phones = Vec::new();
    for i in 0..8 {
        let auth = new_participant();
        let mut phone = Client::connect(&server.ws_url(), created.id, auth.clone(), None)
            .await
            .expect("admitted");
        let role = [BuiltinRole::Youth, BuiltinRole::Parent][i % 2];
        phone
            .run(Command::Join {
                name: Some(format!("Deltakar{i}namn")),
                role: role.id(),
            })
            .await
            .unwrap();
        phones.push((phone, auth, format!("Deltakar{i}namn")));
    }
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Kvar står vi?".into(),
        questions: vec!["Kva fungerer i dag?".into()],
        timebox_secs: Some(1800),
        notes_open: true,
        per_group: false,
        turns: TurnSettings::default_for(StepKind::GroupRound),
    };
    let step_id = step.id;
    console
        .run(Command::AddStep { step, index: None })
        .await
        .unwrap();
    console
        .run(Command::SetGroupSettings {
            size: 4,
            prefer_youth_leader: true,
        })
        .await
        .unwrap();
    console
        .run(Command::FormGroups {
            step: step_id,
            mode: GroupingMode::Mixed,
        })
        .await
        .unwrap();
    console
        .run(Command::StartStep { step: step_id })
        .await
        .unwrap();
    let groups = console.state.as_ref().unwrap().programme.groups[&step_id].clone();
    assert!(groups.len() >= 2, "{groups:?}");
    let me = id_of(&phones[0].1);
    let table = groups
        .iter()
        .find(|g| g.members.contains(&me))
        .unwrap()
        .clone();
    let other_table = groups.iter().find(|g| g.id != table.id).unwrap().clone();

    // At the other table: a new name, and its talking round starts.
    let stranger = other_table.members[0];
    let (stranger_phone, ..) = phones
        .iter_mut()
        .find(|(_, a, _)| id_of(a) == stranger)
        .unwrap();
    stranger_phone
        .run(Command::ChangeProfile {
            name: Some("Heilt Ukjend".into()),
            role: BuiltinRole::Teacher.id(),
        })
        .await
        .unwrap();
    console
        .run(Command::Turn {
            step: step_id,
            group: Some(other_table.id),
            action: TurnAction::Start,
        })
        .await
        .unwrap();
    // A late arrival, seated at whichever table has room.
    let late_auth = new_participant();
    let mut late = Client::connect(&server.ws_url(), created.id, late_auth.clone(), None)
        .await
        .unwrap();
    late.run(Command::Join {
        name: Some("Seinkomen".into()),
        role: BuiltinRole::Politician.id(),
    })
    .await
    .unwrap();
    // Something every phone is told, so that phone 0 has had all it will get.
    console
        .run(Command::RenameConference {
            title: "Ope skulemøte i Seljord".into(),
        })
        .await
        .unwrap();
    let everyone = console.state.clone().unwrap();
    let seated: Vec<ParticipantId> = everyone.programme.groups[&step_id]
        .iter()
        .find(|g| g.members.contains(&me))
        .unwrap()
        .members
        .clone();

    let phone = &mut phones[0].0;
    phone.until(|s| s.title == "Ope skulemøte i Seljord").await;
    let mut fresh = Client::connect(&server.ws_url(), created.id, phones[0].1.clone(), None)
        .await
        .unwrap();
    // Its seat follows the snapshot.
    fresh.until(|s| s.participants.contains_key(&me)).await;
    for (how, client) in [("live", &phones[0].0), ("in a snapshot", &fresh)] {
        let received = wire(client);
        let state = client.state.as_ref().unwrap();
        for person in everyone.participants.values() {
            let name = person.name.clone().unwrap();
            if seated.contains(&person.id) {
                // The people at its own table: their names, for the talking round.
                assert!(received.contains(&name), "{how}: {name} of its own table");
                assert_eq!(state.participants.get(&person.id), Some(person), "{how}");
            } else {
                assert!(!received.contains(&name), "{how}: {name} of another table");
                assert!(
                    !received.contains(&person.id.to_string()),
                    "{how}: the identifier of {name} of another table"
                );
            }
        }
        assert!(!received.contains("Heilt Ukjend"), "{how}");
        assert_eq!(
            state.participants.len(),
            seated.len(),
            "{how}: {:?}",
            state.participants
        );
        assert_eq!(
            state.programme.groups[&step_id].len(),
            1,
            "{how}: its own group"
        );
        assert!(
            state
                .programme
                .rounds
                .get(&step_id)
                .into_iter()
                .flatten()
                .all(|r| r.group == Some(table.id)),
            "{how}: the rounds of its own table only"
        );
    }
    // Joins: phone 0 heard of its own and of nobody else's.
    let joins = phones[0]
        .0
        .received
        .iter()
        .filter(|m| matches!(m, ServerMessage::Event(e) if matches!(e.event, ordet_shared::Event::ParticipantJoined { .. })))
        .count();
    assert!(joins <= 1, "{joins} joins told to one phone");
    drop(late);
}
