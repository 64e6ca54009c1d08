//! Talking rounds over real websockets and a real server: a round that moves on by itself
//! survives a server restart and keeps its schedule (the server's own timer moves it, with
//! nobody pressing anything), and two people pressing "next" at the same moment advance the
//! queue once.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ordet_shared::programme::{Clock, GroupingMode, Step, StepKind};
use ordet_shared::protocol::{Auth, ServerMessage};
use ordet_shared::state::{BuiltinRole, State};
use ordet_shared::turns::{self, Phase, TurnAction, TurnOrder, TurnSettings};
use ordet_shared::{Command, Event, GroupId, Lang, ParticipantId, StepId, Timestamp};
use ordet_tests::{Client, TestServer, join};

/// Adds a group round with `settings`, starts it and forms one group of the joined people.
async fn start_round_step(console: &mut Client, settings: TurnSettings) -> (StepId, GroupId) {
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(1800),
        notes_open: true,
        per_group: false,
        turns: Some(settings),
    };
    let id = step.id;
    console
        .run(Command::AddStep { step, index: None })
        .await
        .unwrap();
    console.run(Command::StartStep { step: id }).await.unwrap();
    console
        .run(Command::FormGroups {
            step: id,
            mode: GroupingMode::Mixed,
        })
        .await
        .unwrap();
    let group = console.state.as_ref().unwrap().programme.groups[&id][0].id;
    (id, group)
}

fn me(auth: &Auth) -> ParticipantId {
    match auth {
        Auth::Participant { id, .. } => *id,
        _ => unreachable!("a participant"),
    }
}

fn speaker(state: &State, step: StepId, group: GroupId) -> Option<ParticipantId> {
    turns::round_of(state, step, Some(group)).and_then(|r| r.speaker())
}

/// Sleeps until server time `at` has passed (the test and the server share the clock).
async fn sleep_until(at: Timestamp) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    tokio::time::sleep(Duration::from_millis(at.0.saturating_sub(now) + 300)).await;
}

#[tokio::test]
async fn a_round_that_moves_on_by_itself_survives_a_restart_and_keeps_its_schedule() {
    let mut server = TestServer::start().await;
    let created = server.create("Runde", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let (mut pupil, pupil_auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let (_parent, parent_auth) = join(&server, created.id, BuiltinRole::Parent).await;
    let settings = TurnSettings {
        speaker_secs: 15,
        order: TurnOrder::JoinOrder,
        auto_advance: true,
        discussion_secs: 0,
    };
    let (step, group) = start_round_step(&mut console, settings).await;
    pupil
        .until(|s| s.programme.groups.contains_key(&step))
        .await;
    pupil
        .run(Command::Turn {
            step,
            group: Some(group),
            action: TurnAction::Start,
        })
        .await
        .expect("the leader starts the round");
    pupil.until(|s| speaker(s, step, group).is_some()).await;
    let state = pupil.state.clone().unwrap();
    assert_eq!(speaker(&state, step, group), Some(me(&pupil_auth)));
    let Clock::Running { deadline: first } =
        turns::round_of(&state, step, Some(group)).unwrap().clock()
    else {
        panic!("the first turn's clock runs")
    };

    // The server goes down and comes back; nobody is connected when the first turn ends.
    server.restart().await;
    sleep_until(first).await;
    let mut watcher = Client::facilitator(&server.ws_url(), &created).await;
    let parent = me(&parent_auth);
    watcher
        .until(|s| speaker(s, step, group) == Some(parent))
        .await;
    let round = turns::round_of(watcher.state.as_ref().unwrap(), step, Some(group))
        .unwrap()
        .clone();
    assert_eq!(
        round.clock(),
        Clock::Running {
            deadline: Timestamp(first.0 + 15_000)
        },
        "the second turn started when the first ended, not when the server came back"
    );
    assert_eq!(round.turns[0].spoke_ms, 15_000);

    // The last turn ends with the watcher connected: the server's timer ends the round.
    sleep_until(Timestamp(first.0 + 15_000)).await;
    watcher
        .until(|s| turns::round_of(s, step, Some(group)).is_some_and(|r| r.phase == Phase::Done))
        .await;
    let round = turns::round_of(watcher.state.as_ref().unwrap(), step, Some(group)).unwrap();
    assert_eq!(round.turns.len(), 2);
}

#[tokio::test]
async fn two_presses_of_next_at_the_same_moment_advance_the_queue_once() {
    let server = TestServer::start().await;
    let created = server.create("Samtidig", Lang::Nb).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let (mut pupil, pupil_auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let (_a, _) = join(&server, created.id, BuiltinRole::Parent).await;
    let (_b, _) = join(&server, created.id, BuiltinRole::Teacher).await;
    let settings = TurnSettings {
        order: TurnOrder::JoinOrder,
        ..TurnSettings::default_for(StepKind::GroupRound).unwrap()
    };
    let (step, group) = start_round_step(&mut console, settings).await;
    pupil
        .until(|s| s.programme.groups.contains_key(&step))
        .await;
    let turn = |action| Command::Turn {
        step,
        group: Some(group),
        action,
    };
    pupil.run(turn(TurnAction::Start)).await.unwrap();
    console.until(|s| speaker(s, step, group).is_some()).await;
    let current = me(&pupil_auth);
    let mut watcher = Client::facilitator(&server.ws_url(), &created).await;
    let seen_before = watcher.state.as_ref().unwrap().seq;

    // The leader and the facilitator press "next" for the same speaker at once.
    let next = turn(TurnAction::Next { current });
    let (a, b) = tokio::join!(pupil.run(next.clone()), console.run(next));
    let (a, b) = (a.expect("accepted"), b.expect("accepted"));
    assert!(
        a.is_some() != b.is_some(),
        "exactly one press changes the round: {a:?} {b:?}"
    );
    watcher.until(|s| s.seq >= a.or(b).unwrap()).await;
    let changes = watcher
        .received
        .iter()
        .filter(|m| {
            matches!(m, ServerMessage::Event(e)
                if e.seq > seen_before && matches!(e.event, Event::RoundChanged { .. }))
        })
        .count();
    assert_eq!(changes, 1);
    let round = turns::round_of(watcher.state.as_ref().unwrap(), step, Some(group)).unwrap();
    assert_eq!(round.turns.len(), 1);
    assert_eq!(round.queue.len(), 1);
}
