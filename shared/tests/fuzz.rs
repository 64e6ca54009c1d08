//! Hostile input for the protocol decoder and the reducer, as property tests:
//!
//! - any bytes, and byte-level mutations of every real message kind, decode to a message or
//!   to an error — never a panic — in both directions;
//! - long random sequences of commands of every kind, made from the golden protocol samples
//!   with their identifiers, texts and numbers replaced at random (known identifiers, unknown
//!   ones, empty, huge, control characters, extreme numbers), sent by random actors at random
//!   times, never panic and never corrupt the state: the sequence numbers stay gapless, every
//!   note stays in one valid place, the state survives a serialization round trip, and for
//!   every audience (facilitator, projector, a participant, a phone on the join form) a
//!   screen that applies only the events projected for it ends with exactly the server's
//!   state projected for it — which never holds an author, a ballot, hidden text outside the
//!   facilitator's console, or anything of the meeting on the join form.

mod support;

use ordet_shared::audience::{Audience, project_event, project_state, tell, watch};
use ordet_shared::notes::Place;
use ordet_shared::protocol::{ClientMessage, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Actor, SequencedEvent, State, Timestamp, decide};
use proptest::prelude::*;
use serde_json::Value;
use support::Room;

const GOLDEN: &str = include_str!("../../tests/golden/protocol.jsonl");

/// Every client message of the golden samples.
fn client_samples() -> Vec<Value> {
    GOLDEN
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| serde_json::from_value::<ClientMessage>(v.clone()).is_ok())
        .collect()
}

/// Texts that have broken programs before.
const NASTY_TEXTS: &[&str] = &[
    "",
    " ",
    "\n\n\n",
    "\u{0}\u{1}\u{7f}",
    "<script>alert(1)</script>",
    "Ærlig talt — ø å «»",
    "\u{202e}gnp.exe",
    "👩‍👩‍👧‍👦🇳🇴",
    "nn",
    "themes",
    "=1+1",
];

/// A small deterministic random source driven by the test's seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Replaces leaves of `value` at random: identifiers by known or unknown ones, texts by nasty
/// ones, numbers by extreme ones, booleans flipped.
fn mutate(value: &mut Value, ids: &[String], dice: &mut Dice) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if key != "type" {
                    mutate(field, ids, dice);
                }
            }
        }
        Value::Array(items) => {
            if dice.chance(10) {
                items.clear();
            }
            for item in items.iter_mut() {
                mutate(item, ids, dice);
            }
        }
        Value::String(text) if dice.chance(60) => {
            *text = if uuid::Uuid::parse_str(text).is_ok() || dice.chance(30) {
                if dice.chance(85) && !ids.is_empty() {
                    ids[dice.below(ids.len())].clone()
                } else {
                    uuid::Uuid::from_u64_pair(dice.next(), dice.next()).to_string()
                }
            } else if dice.chance(10) {
                "x".repeat(dice.below(2000))
            } else {
                NASTY_TEXTS[dice.below(NASTY_TEXTS.len())].to_string()
            };
        }
        Value::Number(_) if dice.chance(60) => {
            let numbers = [0i64, 1, 2, 3, 7, 255, 256, 65_535, 4_294_967_295, -1];
            *value = if dice.chance(10) {
                serde_json::json!(1e300)
            } else {
                serde_json::json!(numbers[dice.below(numbers.len())])
            };
        }
        Value::Bool(flag) if dice.chance(50) => *flag = !*flag,
        Value::Null if dice.chance(30) => {
            *value = Value::String(ids.first().cloned().unwrap_or_default());
        }
        _ => {}
    }
}

/// A conference with a programme, people in several roles, notes and a theme.
fn busy_room() -> Room {
    let mut room = Room::new();
    for role in [
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Teacher,
        BuiltinRole::Politician,
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Youth,
        BuiltinRole::Teacher,
        BuiltinRole::Youth,
        BuiltinRole::Parent,
    ] {
        room.now.0 += 1000;
        room.join(role);
    }
    room.add_step("Kvar står vi?", Some(600), true);
    room.add_step("Kvar vil vi?", None, true);
    // A running group round at tables of four, and plenary reports after it: so that phones
    // sit together and apart, move, get jobs and take turns.
    use ordet_shared::programme::{GroupingMode, Step, StepKind};
    use ordet_shared::turns::TurnSettings;
    use ordet_shared::{Command, StepId};
    let mut step_of = |kind| {
        let step = Step {
            id: StepId::random(),
            kind,
            title: format!("{kind:?}"),
            questions: vec!["Kva fungerer?".into()],
            timebox_secs: Some(900),
            notes_open: true,
            per_group: false,
            turns: TurnSettings::default_for(kind),
        };
        let id = step.id;
        room.facilitator(Command::AddStep { step, index: None })
            .expect("step added");
        id
    };
    let round = step_of(StepKind::GroupRound);
    step_of(StepKind::Reports);
    room.facilitator(Command::SetGroupSettings {
        size: 4,
        prefer_youth_leader: true,
    })
    .expect("settings");
    room.facilitator(Command::FormGroups {
        step: round,
        mode: GroupingMode::Mixed,
    })
    .expect("groups");
    room.facilitator(Command::StartStep { step: round })
        .expect("started");
    room
}

/// Every identifier the room knows, as text.
fn known_ids(state: &State) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    ids.extend(state.participants.keys().map(|p| p.to_string()));
    ids.extend(state.notes.keys().map(|n| n.to_string()));
    ids.extend(state.themes.iter().map(|t| t.id.to_string()));
    ids.extend(state.roles.iter().map(|r| r.id.to_string()));
    ids.extend(state.programme.steps.iter().map(|s| s.id.to_string()));
    for groups in state.programme.groups.values() {
        ids.extend(groups.iter().map(|g| g.id.to_string()));
    }
    ids
}

/// What must hold after every step, whatever was allowed.
fn check(state: &State, screens: &[(Audience, State)]) -> Result<(), TestCaseError> {
    for note in state.notes.values() {
        match note.place {
            Place::Wall { theme: Some(theme) } => {
                prop_assert!(state.theme(theme).is_some(), "a note in a missing theme")
            }
            Place::Merged { into } => {
                let target = state.notes.get(&into);
                prop_assert!(target.is_some(), "merged into a missing note");
                prop_assert!(
                    target.is_some_and(|t| !matches!(t.place, Place::Merged { .. })),
                    "a chain of merges"
                );
            }
            _ => {}
        }
    }
    // Nobody who left (removed by the facilitator) is still pointed at, and neither are
    // their notes.
    let present = |p: &ordet_shared::ParticipantId| state.participants.contains_key(p);
    for groups in state.programme.groups.values() {
        for group in groups {
            prop_assert!(
                group.members.iter().all(present),
                "a member who is not there"
            );
            for job in [group.leader, group.note_taker, group.reporter]
                .into_iter()
                .flatten()
            {
                prop_assert!(present(&job), "a job held by someone who is not there");
            }
        }
    }
    for rounds in state.programme.rounds.values() {
        for round in rounds {
            prop_assert!(
                round.queue.iter().all(present),
                "a queue with someone not there"
            );
            prop_assert!(
                round.speaker().is_none_or(|s| present(&s)),
                "a speaker not there"
            );
            prop_assert!(round.turns.iter().all(|t| present(&t.speaker)));
        }
    }
    prop_assert!(
        state.private.ballots.keys().all(present),
        "a ballot of someone not there"
    );
    prop_assert!(
        state.private.authors.values().all(present),
        "a writer not there"
    );
    prop_assert!(
        state
            .private
            .authors
            .keys()
            .all(|n| state.notes.contains_key(n))
    );
    prop_assert!(
        state.removed.iter().all(|p| !present(p)),
        "removed yet present"
    );
    if let Some(ordet_shared::notes::Focus::Note { note }) = state.wall.focus {
        prop_assert!(
            state.notes.contains_key(&note),
            "the wall shows a missing note"
        );
    }
    if let Some(suggestion) = &state.suggestion {
        for theme in &suggestion.themes {
            prop_assert!(theme.notes.iter().all(|n| state.notes.contains_key(n)));
        }
    }
    for (audience, screen) in screens {
        let mut expected = project_state(state, *audience).into_state();
        // An audience not told of some events stays at the last seq it was sent.
        expected.seq = screen.seq;
        prop_assert_eq!(
            screen,
            &expected,
            "the screen of {:?} differs from the server's state projected for it",
            audience
        );
        prop_assert!(screen.private.is_empty(), "secrets on a screen");
        if *audience != Audience::Facilitator {
            prop_assert!(
                screen
                    .notes
                    .values()
                    .filter(|n| matches!(n.place, Place::Hidden | Place::Withdrawn))
                    .all(|n| n.text.is_empty() && n.name.is_none()),
                "hidden text outside the console"
            );
            prop_assert!(screen.suggestion.is_none());
            prop_assert!(
                screen
                    .programme
                    .rounds
                    .values()
                    .flatten()
                    .flat_map(|r| &r.turns)
                    .all(|t| t.spoke_ms == 0),
                "a person's speaking time outside the console"
            );
        }
        if *audience == Audience::Joining {
            prop_assert!(screen.participants.is_empty() && screen.notes.is_empty());
            prop_assert!(screen.programme.steps.is_empty() && screen.voting.is_none());
        }
    }
    Ok(())
}

/// A screen of each audience, starting from the room's state projected for it.
fn screens_of(state: &State) -> Vec<(Audience, State)> {
    // Several phones, so that some sit together and some apart; and one that never joined.
    let phones = state
        .participants
        .keys()
        .step_by(3)
        .take(4)
        .copied()
        .chain([ordet_shared::ParticipantId::random()])
        .map(Audience::Participant);
    [
        Audience::Facilitator,
        Audience::Projector,
        Audience::Joining,
    ]
    .into_iter()
    .chain(phones)
    .map(|audience| (audience, project_state(state, audience).into_state()))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = serde_json::from_slice::<ClientMessage>(&bytes);
        let _ = serde_json::from_slice::<ServerMessage>(&bytes);
    }

    #[test]
    fn mutated_real_messages_decode_or_fail_without_panicking(
        line in 0..GOLDEN.lines().count(),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..12),
    ) {
        let mut bytes = GOLDEN.lines().nth(line).unwrap().as_bytes().to_vec();
        for (at, byte) in flips {
            let at = at % bytes.len();
            match byte % 3 {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => { bytes.remove(at); }
            }
            if bytes.is_empty() {
                break;
            }
        }
        let _ = serde_json::from_slice::<ClientMessage>(&bytes);
        let _ = serde_json::from_slice::<ServerMessage>(&bytes);
    }

    #[test]
    fn random_commands_from_random_actors_never_corrupt_the_state(
        script in proptest::collection::vec((any::<u64>(), 0u64..120_000), 1..120),
    ) {
        play(&script)?;
    }
}

/// Carries out `command` from `actor` as the server's actor does (time first, then the
/// command), and updates every screen with what it is told, noting the kinds of event.
/// `Err` when the command was refused.
fn run(
    room: &mut Room,
    screens: &mut [(Audience, State)],
    actor: Actor,
    command: &ordet_shared::Command,
    kinds: &mut std::collections::BTreeSet<String>,
) -> Result<(), ordet_shared::protocol::ErrorCode> {
    let mut events = ordet_shared::turns::due(&room.state, room.now);
    let decided = decide(&room.state, actor, command, room.now);
    let refused = decided.as_ref().err().copied();
    if actor == Actor::Screen {
        assert!(decided.as_ref().is_ok_and(|d| d.is_empty()) || refused.is_some());
    }
    events.extend(decided.unwrap_or_default());
    for event in events {
        kinds.insert(
            serde_json::to_value(&event).unwrap()["type"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        let sequenced = SequencedEvent {
            seq: room.state.seq + 1,
            event,
        };
        let before = room.state.seq;
        let watched = watch(&room.state, &sequenced.event);
        room.state.apply(&sequenced);
        assert_eq!(room.state.seq, before + 1, "sequence numbers stay gapless");
        let personal = tell(&room.state, &sequenced, watched);
        for (audience, screen) in screens.iter_mut() {
            let own = match audience {
                Audience::Participant(me) => personal.iter().find(|(who, _)| who.contains(me)),
                _ => None,
            };
            match own {
                Some((_, told)) => told.iter().for_each(|t| screen.apply_told(t)),
                None => {
                    if let Some(seen) = project_event(&sequenced, *audience) {
                        screen.apply_screen(&seen);
                    }
                }
            }
        }
    }
    refused.map_or(Ok(()), Err)
}

/// Plays `script` (a seed and a pause per step) on a busy room, checking after every step;
/// returns the kinds of event the accepted commands made.
fn play(script: &[(u64, u64)]) -> Result<std::collections::BTreeSet<String>, TestCaseError> {
    let samples = client_samples();
    let commands: Vec<&Value> = samples.iter().filter_map(|m| m.get("command")).collect();
    prop_assert!(commands.len() >= 40, "a sample of every command kind");
    let mut room = busy_room();
    let mut screens = screens_of(&room.state);
    let mut kinds = std::collections::BTreeSet::new();
    for &(seed, pause_ms) in script {
        let mut dice = Dice(seed | 1);
        room.now = Timestamp(room.now.0 + pause_ms);
        let ids = known_ids(&room.state);
        let mut command = commands[dice.below(commands.len())].clone();
        mutate(&mut command, &ids, &mut dice);
        let Ok(command) = serde_json::from_value(command) else {
            continue;
        };
        let people: Vec<_> = room.state.participants.keys().copied().collect();
        let actor = match dice.below(4) {
            0 => Actor::Facilitator,
            1 => Actor::Screen,
            2 if !people.is_empty() => Actor::Participant {
                id: people[dice.below(people.len())],
            },
            _ => Actor::Participant {
                id: ordet_shared::ParticipantId::random(),
            },
        };
        let _ = run(&mut room, &mut screens, actor, &command, &mut kinds);
        check(&room.state, &screens)?;
    }
    let json = serde_json::to_string(&room.state).unwrap();
    let back: State = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(
        &back,
        &room.state,
        "the state survives a serialization round trip"
    );
    Ok(kinds)
}

#[test]
fn the_mutated_commands_reach_deep_into_the_reducer() {
    let mut dice = Dice(0x006f_7264_6574);
    let script: Vec<(u64, u64)> = (0..3000)
        .map(|_| (dice.next(), dice.next() % 60_000))
        .collect();
    let kinds = play(&script).expect("no invariant broken");
    eprintln!("{} kinds of event: {kinds:?}", kinds.len());
    assert!(kinds.len() >= 15, "only {} kinds: {kinds:?}", kinds.len());
}

/// A random walk through what moves people between tables — forming groups again, moving
/// people, jobs, names, talking rounds at the tables and in plenary, late arrivals, new
/// names, removals, steps removed — with phones at several tables. After every step each
/// phone holds exactly its projection: of the people only itself and those it sits with, of
/// the groups only its own.
#[test]
fn phones_learn_only_the_tables_they_sit_at() {
    use ordet_shared::Command;
    use ordet_shared::programme::GroupingMode;
    use ordet_shared::turns::TurnAction;
    let mut room = busy_room();
    let mut screens = screens_of(&room.state);
    let mut kinds = std::collections::BTreeSet::new();
    let mut dice = Dice(0x7461_626c_6573);
    for _ in 0..1500 {
        room.now = Timestamp(room.now.0 + dice.next() % 200_000);
        let state = &room.state;
        let steps: Vec<_> = state.programme.steps.iter().map(|s| s.id).collect();
        let step = steps
            .get(dice.below(steps.len()))
            .copied()
            .unwrap_or_else(ordet_shared::StepId::random);
        let people: Vec<_> = state.participants.keys().copied().collect();
        let someone = people
            .get(dice.below(people.len()))
            .copied()
            .unwrap_or_else(ordet_shared::ParticipantId::random);
        let groups = state
            .programme
            .groups
            .get(&step)
            .cloned()
            .unwrap_or_default();
        let group = groups.get(dice.below(groups.len())).cloned();
        let speaker = group
            .as_ref()
            .and_then(|g| ordet_shared::turns::round_of(state, step, Some(g.id)))
            .and_then(|r| r.speaker())
            .unwrap_or(someone);
        let member = |dice: &mut Dice| {
            group
                .as_ref()
                .and_then(|g| g.members.get(dice.below(g.members.len())).copied())
        };
        let (actor, command) = match dice.below(13) {
            0 => (
                Actor::Facilitator,
                Command::FormGroups {
                    step,
                    mode: if dice.chance(50) {
                        GroupingMode::Mixed
                    } else {
                        GroupingMode::Homogeneous
                    },
                },
            ),
            1 | 2 => (
                Actor::Facilitator,
                Command::MoveMember {
                    step,
                    participant: someone,
                    to: group
                        .as_ref()
                        .map_or(ordet_shared::GroupId::random(), |g| g.id),
                },
            ),
            3 => (
                Actor::Facilitator,
                Command::SetGroupJobs {
                    step,
                    group: group
                        .as_ref()
                        .map_or(ordet_shared::GroupId::random(), |g| g.id),
                    leader: member(&mut dice),
                    note_taker: member(&mut dice),
                    reporter: member(&mut dice),
                },
            ),
            4 => (Actor::Facilitator, Command::StartStep { step }),
            5..=7 => (
                Actor::Facilitator,
                Command::Turn {
                    step,
                    group: if dice.chance(80) {
                        group.as_ref().map(|g| g.id)
                    } else {
                        None
                    },
                    action: match dice.below(3) {
                        0 => TurnAction::Start,
                        1 => TurnAction::Next { current: speaker },
                        _ => TurnAction::Pass { current: speaker },
                    },
                },
            ),
            8 => (
                Actor::Participant {
                    id: ordet_shared::ParticipantId::random(),
                },
                Command::Join {
                    name: Some("Sein".into()),
                    role: BuiltinRole::Parent.id(),
                },
            ),
            9 => (
                Actor::Participant { id: someone },
                Command::ChangeProfile {
                    name: Some(format!("Namn {}", dice.below(100))),
                    role: BuiltinRole::Teacher.id(),
                },
            ),
            10 if dice.chance(20) => (
                Actor::Facilitator,
                Command::RemoveParticipant {
                    participant: someone,
                },
            ),
            11 if dice.chance(10) => (Actor::Facilitator, Command::RemoveStep { step }),
            _ => (
                Actor::Facilitator,
                Command::RenameGroup {
                    step,
                    group: group
                        .as_ref()
                        .map_or(ordet_shared::GroupId::random(), |g| g.id),
                    name: Some("Bord ved vindauget".into()),
                },
            ),
        };
        let _ = run(&mut room, &mut screens, actor, &command, &mut kinds);
        check(&room.state, &screens).expect("every screen holds its projection");
        for (audience, screen) in &screens {
            let Audience::Participant(me) = audience else {
                continue;
            };
            for (step, groups) in &screen.programme.groups {
                assert!(
                    groups.iter().all(|g| g.members.contains(me)),
                    "a phone holds a group of {step} it does not sit in"
                );
            }
            let tablemates: std::collections::BTreeSet<_> = room
                .state
                .programme
                .groups
                .values()
                .flatten()
                .filter(|g| g.members.contains(me))
                .flat_map(|g| g.members.iter().copied())
                .chain([*me])
                .collect();
            assert!(
                screen.participants.keys().all(|p| tablemates.contains(p)),
                "a phone knows someone it does not sit with"
            );
        }
    }
    for kind in [
        "groups_formed",
        "member_moved",
        "group_jobs_set",
        "group_renamed",
        "round_changed",
        "participant_joined",
        "profile_changed",
        "participant_removed",
        "step_started",
    ] {
        assert!(kinds.contains(kind), "never made {kind}: {kinds:?}");
    }
}
