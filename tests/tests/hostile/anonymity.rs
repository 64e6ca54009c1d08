//! Who wrote what, worked out from what a phone receives: an attacker in the room joins as a
//! participant and, for every note that reaches their phone, counts the people the note's
//! shown attributes (group, role, name) fit, in their own copy of the state, leaving out
//! themselves. Ordet promises that count is never under three (`ordet_shared::anonymity`):
//! a mixed group of two youths and a politician shows its group and no role, and the only
//! politician of a conference shows no role, live and after a reconnect (snapshot).

use std::time::Duration;

use ordet_shared::anonymity::K;
use ordet_shared::programme::{GroupingMode, Step, StepKind};
use ordet_shared::protocol::{Auth, ServerMessage};
use ordet_shared::state::{BuiltinRole, Note, State};
use ordet_shared::{Command, Event, Lang, NoteId, ParticipantId, StepId};
use ordet_tests::{Client, TestServer, create_conference, join};

use super::{Bystander, Ordet};

/// Resident memory the server may have once the test is over, in KiB.
const MEMORY_AFTER_KIB: u64 = 100 * 1024;

fn me(auth: &Auth) -> ParticipantId {
    match auth {
        Auth::Participant { id, .. } => *id,
        _ => unreachable!("a participant"),
    }
}

fn post(text: &str) -> Command {
    Command::PostNote {
        note: NoteId::random(),
        text: text.into(),
        question: None,
        for_group: false,
    }
}

/// The people other than `attacker` that `note`'s shown attributes fit in `state`: the
/// members of its group when it shows one, else everyone not in a group big enough to have
/// been shown; of those, the ones with its role when it shows one, and its name when it has
/// one.
fn candidates(state: &State, note: &Note, attacker: ParticipantId) -> usize {
    let groups = note
        .step
        .and_then(|s| state.programme.groups.get(&s))
        .cloned()
        .unwrap_or_default();
    let in_group = |p: &ParticipantId| match note.group {
        Some(g) => groups.iter().any(|x| x.id == g && x.members.contains(p)),
        None => !groups
            .iter()
            .any(|x| x.members.len() >= K && x.members.contains(p)),
    };
    state
        .participants
        .values()
        .filter(|p| p.id != attacker && in_group(&p.id))
        .filter(|p| note.role.is_none_or(|r| r == p.role))
        .filter(|p| note.name.is_none() || note.name == p.name)
        .count()
}

/// Every note the phone received, in its state and in the events it was sent.
fn received_notes(phone: &Client) -> Vec<Note> {
    let mut notes: Vec<Note> = phone
        .state
        .as_ref()
        .map(|s| s.notes.values().cloned().collect())
        .unwrap_or_default();
    for message in &phone.received {
        if let ServerMessage::Event(sequenced) = message
            && let Event::NotePosted { note, .. } | Event::NoteChanged { note } = &sequenced.event
        {
            notes.push(note.clone());
        }
    }
    notes
}

/// Asserts that no note `phone` holds narrows its writer to fewer than [`K`] people, for an
/// attacker who knows everyone in the room and where they sit (`room`: the console's state;
/// a phone itself is told only its own table).
fn assert_nobody_singled_out(
    phone: &Client,
    room: &State,
    attacker: ParticipantId,
    expected_notes: usize,
) {
    let state = phone.state.as_ref().expect("a state");
    assert_eq!(state.notes.len(), expected_notes);
    for note in received_notes(phone) {
        assert_eq!(note.name, None, "names are off");
        let fit = candidates(room, &note, attacker);
        assert!(
            fit >= K,
            "{:?} (role {:?}, group {:?}) fits {fit} people",
            note.text,
            note.role,
            note.group
        );
    }
}

fn server_for(ordet: &Ordet) -> TestServer {
    TestServer {
        server: None,
        base: ordet.base.clone(),
        data: tempfile::tempdir().expect("temp dir"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_cannot_single_out_the_writer_of_a_note_in_a_small_group_or_a_rare_role() {
    let ordet = Ordet::spawn(&[]).await;
    let ws = ordet.ws();
    let bystander = Bystander::start(&ordet.base, &ws).await;
    let server = server_for(&ordet);

    // A mixed group of three: two youths and the politician.
    let created = create_conference(&ordet.base, "Ope møte om skulevegen", Lang::Nn).await;
    let mut console = Client::facilitator(&ws, &created).await;
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(1800),
        notes_open: true,
        per_group: false,
        turns: None,
    };
    let step_id = step.id;
    console
        .run(Command::AddStep { step, index: None })
        .await
        .unwrap();
    console
        .run(Command::StartStep { step: step_id })
        .await
        .unwrap();
    let mut writers = Vec::new();
    for role in [
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Politician,
    ] {
        writers.push(join(&server, created.id, role).await.0);
    }
    console
        .run(Command::SetGroupSettings {
            size: 3,
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
    let groups = console.state.as_ref().unwrap().programme.groups[&step_id].clone();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].members.len(), 3);
    // The attacker arrives late (sits down at a table of their own) and watches.
    let (mut attacker, attacker_auth) = join(&server, created.id, BuiltinRole::Parent).await;
    for (i, writer) in writers.iter_mut().enumerate() {
        writer
            .run(post(&format!("Meir lys på skulevegen {i}")))
            .await
            .expect("posted");
    }
    attacker.until(|s| s.notes.len() == 3).await;
    console.until(|s| s.notes.len() == 3).await;
    let room = console.state.clone().unwrap();
    assert_nobody_singled_out(&attacker, &room, me(&attacker_auth), 3);
    // The attacker's count does single out a writer when a role is shown: the politician's
    // note as it was sent before the rule.
    let state = room.clone();
    let mut unmasked = state.notes.values().next().unwrap().clone();
    unmasked.role = Some(BuiltinRole::Politician.id());
    assert_eq!(candidates(&state, &unmasked, me(&attacker_auth)), 1);
    for note in received_notes(&attacker) {
        assert_eq!(note.group, Some(groups[0].id), "a group of three shows");
        assert_eq!(note.role, None, "one politician, two youths: no role shows");
        assert!(note.masked.role, "and the phone knows a role was left out");
    }
    // After a reconnect, from the snapshot.
    attacker.close().await;
    let again = Client::connect(&ws, created.id, attacker_auth.clone(), None)
        .await
        .expect("admitted again");
    assert_nobody_singled_out(&again, &room, me(&attacker_auth), 3);

    // The only politician of a bigger conference, no groups.
    let big = create_conference(&ordet.base, "Ungdomsrådet", Lang::Nn).await;
    let mut big_console = Client::facilitator(&ws, &big).await;
    let mut youths = Vec::new();
    for _ in 0..4 {
        youths.push(join(&server, big.id, BuiltinRole::Youth).await.0);
    }
    let (mut politician, _) = join(&server, big.id, BuiltinRole::Politician).await;
    let (mut watcher, watcher_auth) = join(&server, big.id, BuiltinRole::Youth).await;
    politician
        .run(post("Vi skal sjå på bussruta"))
        .await
        .expect("posted");
    youths[0]
        .run(post("Bussen går for sjeldan"))
        .await
        .expect("posted");
    watcher.until(|s| s.notes.len() == 2).await;
    big_console.until(|s| s.notes.len() == 2).await;
    let big_room = big_console.state.clone().unwrap();
    assert_nobody_singled_out(&watcher, &big_room, me(&watcher_auth), 2);
    let from_politician = received_notes(&watcher)
        .into_iter()
        .find(|n| n.text.starts_with("Vi skal"))
        .expect("the politician's note");
    assert_eq!(
        from_politician.role, None,
        "the only politician shows no role"
    );
    watcher.close().await;
    let again = Client::connect(&ws, big.id, watcher_auth.clone(), None)
        .await
        .expect("admitted again");
    assert_nobody_singled_out(&again, &big_room, me(&watcher_auth), 2);

    tokio::time::sleep(Duration::from_millis(300)).await;
    let witnessed = bystander.finish().await;
    assert_eq!(witnessed.lost, 0, "the bystander lost nothing");
    assert_eq!(witnessed.health_failures, 0, "/healthz kept answering");
    assert!(ordet.rss_kib() < MEMORY_AFTER_KIB);
}
