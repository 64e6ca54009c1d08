//! Talking rounds through `decide` and `apply`, as the server runs them: the whole turn state
//! machine (start, next, pass, skip, pause, extend, reorder, finish), who may press what,
//! two presses at once, people leaving and rejoining a group, rounds that move on by
//! themselves (also after the server was down), wrong phone clocks and plenary reports.

mod support;

use ordet_shared::command::{Actor, Command};
use ordet_shared::programme::{Clock, GroupingMode, Step, StepKind, clock_offset, server_now};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::state::BuiltinRole;
use ordet_shared::turns::{self, Phase, Round, TurnAction, TurnOrder, TurnSettings};
use ordet_shared::{GroupId, ParticipantId, StepId, Timestamp};
use support::Room;

const MINUTE: u64 = 60_000;

fn settings(order: TurnOrder, auto_advance: bool) -> TurnSettings {
    TurnSettings {
        speaker_secs: 300,
        order,
        auto_advance,
        discussion_secs: 120,
    }
}

fn add_step(room: &mut Room, kind: StepKind, turns: Option<TurnSettings>) -> StepId {
    let step = Step {
        id: StepId::random(),
        kind,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(1800),
        notes_open: true,
        per_group: false,
        turns,
    };
    let id = step.id;
    room.facilitator(Command::AddStep { step, index: None })
        .expect("step added");
    id
}

/// A room where a youth, a parent and a teacher (joined in that order, a second apart) sit
/// at one table in a running group round; returns the step, the group and the three.
fn table_of_three(turns: TurnSettings) -> (Room, StepId, GroupId, [ParticipantId; 3]) {
    let mut room = Room::new();
    let people = [
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Teacher,
    ]
    .map(|role| {
        room.now.0 += 1000;
        room.join(role)
    });
    let step = add_step(&mut room, StepKind::GroupRound, Some(turns));
    room.facilitator(Command::SetGroupSettings {
        size: 8,
        prefer_youth_leader: true,
    })
    .unwrap();
    room.facilitator(Command::FormGroups {
        step,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    room.facilitator(Command::StartStep { step }).unwrap();
    let group = room.state.programme.groups[&step][0].clone();
    assert_eq!(group.leader, Some(people[0]), "the youth leads");
    (room, step, group.id, people)
}

fn act(room: &mut Room, who: Actor, step: StepId, group: GroupId, action: TurnAction) -> usize {
    turn(room, who, step, Some(group), action).expect("allowed")
}

fn turn(
    room: &mut Room,
    who: Actor,
    step: StepId,
    group: Option<GroupId>,
    action: TurnAction,
) -> Result<usize, ErrorCode> {
    room.run(
        who,
        Command::Turn {
            step,
            group,
            action,
        },
    )
    .map(|events| events.len())
}

fn round(room: &Room, step: StepId, group: Option<GroupId>) -> Round {
    turns::round_of(&room.state, step, group)
        .expect("round started")
        .clone()
}

fn person(id: ParticipantId) -> Actor {
    Actor::Participant { id }
}

#[test]
fn a_full_round_gives_everyone_the_floor_then_discussion_then_done() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    let leader = person(youth);
    assert_eq!(
        turns::planned_queue(&room.state, step, Some(group)),
        vec![youth, parent, teacher],
        "the queue is known before the round starts"
    );
    act(&mut room, leader, step, group, TurnAction::Start);
    let started = round(&room, step, Some(group));
    assert_eq!(started.speaker(), Some(youth));
    assert_eq!(started.queue, vec![parent, teacher]);
    assert_eq!(started.clock().remaining_ms(room.now), Some(300_000));
    assert_eq!(started.place_of(parent), Some(1));
    assert_eq!(started.progress(), (0, 3));

    room.now.0 += 100_000;
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Next { current: youth },
    );
    room.now.0 += 5_000;
    // The parent passes from their own phone.
    act(
        &mut room,
        person(parent),
        step,
        group,
        TurnAction::Pass { current: parent },
    );
    room.now.0 += 310_000;
    assert_eq!(
        round(&room, step, Some(group))
            .clock()
            .remaining_ms(room.now),
        Some(0),
        "over time, the floor stays until someone moves on"
    );
    act(
        &mut room,
        person(teacher),
        step,
        group,
        TurnAction::Next { current: teacher },
    );
    let discussing = round(&room, step, Some(group));
    assert_eq!(
        discussing.phase,
        Phase::Discussion {
            clock: Clock::start(room.now, 120)
        }
    );
    let spoken: Vec<(ParticipantId, u64, bool)> = discussing
        .turns
        .iter()
        .map(|t| (t.speaker, t.spoke_ms, t.passed))
        .collect();
    assert_eq!(
        spoken,
        vec![
            (youth, 100_000, false),
            (parent, 5_000, true),
            (teacher, 310_000, false)
        ],
        "overtime counts as spoken time"
    );
    assert_eq!(discussing.turns[0].role, BuiltinRole::Youth.id());
    act(&mut room, leader, step, group, TurnAction::Finish);
    assert_eq!(round(&room, step, Some(group)).phase, Phase::Done);
    assert_eq!(
        turn(&mut room, leader, step, Some(group), TurnAction::Start),
        Ok(0),
        "a finished round does not start again"
    );
}

#[test]
fn two_presses_of_next_at_once_advance_the_queue_once() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    act(
        &mut room,
        Actor::Facilitator,
        step,
        group,
        TurnAction::Start,
    );
    // The leader and the facilitator both see the youth speaking and both press "next".
    let press = TurnAction::Next { current: youth };
    assert_eq!(act(&mut room, person(youth), step, group, press.clone()), 1);
    assert_eq!(act(&mut room, Actor::Facilitator, step, group, press), 0);
    let after = round(&room, step, Some(group));
    assert_eq!(after.speaker(), Some(parent));
    assert_eq!(after.queue, vec![teacher]);
    assert_eq!(after.turns.len(), 1);
}

#[test]
fn only_the_leader_the_facilitator_and_the_speaker_may_steer() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    assert_eq!(
        turn(
            &mut room,
            person(parent),
            step,
            Some(group),
            TurnAction::Start
        ),
        Err(ErrorCode::NotAllowed)
    );
    assert_eq!(
        turn(
            &mut room,
            Actor::Screen,
            step,
            Some(group),
            TurnAction::Start
        ),
        Err(ErrorCode::NotAllowed)
    );
    act(&mut room, person(youth), step, group, TurnAction::Start);
    // The teacher may not end someone else's turn, nor pause.
    let next = TurnAction::Next { current: youth };
    assert_eq!(
        turn(&mut room, person(teacher), step, Some(group), next),
        Err(ErrorCode::NotAllowed)
    );
    assert_eq!(
        turn(
            &mut room,
            person(teacher),
            step,
            Some(group),
            TurnAction::Pause
        ),
        Err(ErrorCode::NotAllowed)
    );
    // A step without rounds, and an unknown group, are refused with reasons.
    let plain = add_step(&mut room, StepKind::Plenary, None);
    assert_eq!(
        turn(
            &mut room,
            Actor::Facilitator,
            plain,
            None,
            TurnAction::Start
        ),
        Err(ErrorCode::NoTurns)
    );
    assert_eq!(
        turn(
            &mut room,
            Actor::Facilitator,
            step,
            Some(GroupId::random()),
            TurnAction::Start
        ),
        Err(ErrorCode::UnknownGroup)
    );
}

#[test]
fn pauses_do_not_count_and_more_time_is_given_also_when_over_time() {
    let (mut room, step, group, [youth, ..]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    let leader = person(youth);
    act(&mut room, leader, step, group, TurnAction::Start);
    room.now.0 += 100_000;
    act(&mut room, leader, step, group, TurnAction::Pause);
    assert_eq!(act(&mut room, leader, step, group, TurnAction::Pause), 0);
    room.now.0 += 10 * MINUTE;
    let paused = round(&room, step, Some(group));
    assert_eq!(paused.clock().remaining_ms(room.now), Some(200_000));
    act(&mut room, leader, step, group, TurnAction::Resume);
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Extend { seconds: 30 },
    );
    assert_eq!(
        round(&room, step, Some(group))
            .clock()
            .remaining_ms(room.now),
        Some(230_000)
    );
    // 50 s over time, then 30 s more counts from now.
    room.now.0 += 280_000;
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Extend { seconds: 30 },
    );
    assert_eq!(
        round(&room, step, Some(group))
            .clock()
            .remaining_ms(room.now),
        Some(30_000)
    );
    room.now.0 += 10_000;
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Next { current: youth },
    );
    let record = round(&room, step, Some(group)).turns[0];
    assert_eq!(
        record.spoke_ms,
        100_000 + 200_000 + 30_000 + 50_000 + 10_000,
        "spoken time is what the clock ran, pauses excluded, overtime included"
    );
    assert_eq!(
        turn(
            &mut room,
            leader,
            step,
            Some(group),
            TurnAction::Extend { seconds: 0 }
        ),
        Err(ErrorCode::TimeboxInvalid)
    );
}

#[test]
fn the_leader_reorders_the_queue_and_skips_someone_who_is_not_ready() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    let leader = person(youth);
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Reorder {
            queue: vec![teacher, youth, parent],
        },
    );
    assert_eq!(round(&room, step, Some(group)).phase, Phase::Ready);
    assert_eq!(
        turn(
            &mut room,
            leader,
            step,
            Some(group),
            TurnAction::Reorder {
                queue: vec![teacher, youth]
            }
        ),
        Err(ErrorCode::QueueChanged),
        "a reorder must keep the same people"
    );
    act(&mut room, leader, step, group, TurnAction::Start);
    assert_eq!(round(&room, step, Some(group)).speaker(), Some(teacher));
    // The teacher is not ready: to the back of the queue, without a recorded turn.
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Skip { current: teacher },
    );
    let skipped = round(&room, step, Some(group));
    assert_eq!(skipped.speaker(), Some(youth));
    assert_eq!(skipped.queue, vec![parent, teacher]);
    assert!(skipped.turns.is_empty());
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Next { current: youth },
    );
    act(
        &mut room,
        leader,
        step,
        group,
        TurnAction::Next { current: parent },
    );
    // Nobody else waits: skipping the last speaker changes nothing.
    assert_eq!(
        act(
            &mut room,
            leader,
            step,
            group,
            TurnAction::Skip { current: teacher }
        ),
        0
    );
    assert_eq!(round(&room, step, Some(group)).speaker(), Some(teacher));
}

#[test]
fn someone_who_leaves_loses_their_place_and_gets_it_back_on_return_unless_they_spoke() {
    let mut room = Room::new();
    let people: Vec<ParticipantId> = (0..4)
        .map(|_| {
            room.now.0 += 1000;
            room.join(BuiltinRole::Parent)
        })
        .collect();
    let step = add_step(
        &mut room,
        StepKind::GroupRound,
        Some(settings(TurnOrder::JoinOrder, false)),
    );
    room.facilitator(Command::SetGroupSettings {
        size: 2,
        prefer_youth_leader: false,
    })
    .unwrap();
    room.facilitator(Command::FormGroups {
        step,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    room.facilitator(Command::StartStep { step }).unwrap();
    let groups = room.state.programme.groups[&step].clone();
    let (here, there) = (&groups[0], &groups[1]);
    for g in [here, there] {
        act(&mut room, Actor::Facilitator, step, g.id, TurnAction::Start);
    }
    let speaker = round(&room, step, Some(here.id)).speaker().unwrap();
    let waiting = round(&room, step, Some(here.id)).queue[0];
    let move_to = |room: &mut Room, who: ParticipantId, to: GroupId| {
        room.facilitator(Command::MoveMember {
            step,
            participant: who,
            to,
        })
        .unwrap();
    };
    // The speaker leaves mid-turn: their time so far is recorded and the floor passes on.
    room.now.0 += 42_000;
    move_to(&mut room, speaker, there.id);
    let left = round(&room, step, Some(here.id));
    assert_eq!(left.turns[0].speaker, speaker);
    assert_eq!(left.turns[0].spoke_ms, 42_000);
    assert_eq!(left.speaker(), Some(waiting));
    let arrived = round(&room, step, Some(there.id));
    assert_eq!(
        arrived.queue.last(),
        Some(&speaker),
        "waits in the new group"
    );
    // Coming back after speaking: not queued again.
    move_to(&mut room, speaker, here.id);
    assert!(!round(&room, step, Some(there.id)).queue.contains(&speaker));
    assert_eq!(round(&room, step, Some(here.id)).place_of(speaker), None);
    // Someone waiting in the other group leaves and comes back: queued again, at the end.
    let other_waiting = round(&room, step, Some(there.id)).speaker().unwrap();
    let someone = people
        .iter()
        .copied()
        .find(|p| *p != other_waiting && there.members.contains(p))
        .unwrap();
    move_to(&mut room, someone, here.id);
    move_to(&mut room, someone, there.id);
    assert_eq!(
        round(&room, step, Some(there.id)).queue.last(),
        Some(&someone)
    );
}

#[test]
fn a_round_that_moves_on_by_itself_keeps_its_schedule_even_after_downtime() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::JoinOrder, true));
    let t0 = room.now;
    act(&mut room, person(youth), step, group, TurnAction::Start);
    assert_eq!(
        turns::next_due(&room.state),
        Some(Timestamp(t0.0 + 300_000))
    );
    assert!(turns::due(&room.state, Timestamp(t0.0 + 299_999)).is_empty());
    // The server was down for a while: it catches up two turns at once.
    let later = Timestamp(t0.0 + 605_000);
    let events = turns::due(&room.state, later);
    assert_eq!(events.len(), 1, "one change per round");
    room.now = later;
    for event in events {
        let seq = room.state.seq + 1;
        room.state
            .apply(&ordet_shared::SequencedEvent { seq, event });
    }
    let caught_up = round(&room, step, Some(group));
    assert_eq!(caught_up.speaker(), Some(teacher));
    assert_eq!(
        caught_up.clock(),
        Clock::Running {
            deadline: Timestamp(t0.0 + 900_000)
        },
        "the teacher's turn started when the parent's ended, not when the server noticed"
    );
    let spoken: Vec<(ParticipantId, u64)> = caught_up
        .turns
        .iter()
        .map(|t| (t.speaker, t.spoke_ms))
        .collect();
    assert_eq!(spoken, vec![(youth, 300_000), (parent, 300_000)]);
    // After the last turn: discussion, then done, by time alone.
    let end = Timestamp(t0.0 + 900_000 + 120_000);
    let done = turns::due(&room.state, end);
    let ordet_shared::Event::RoundChanged { round, .. } = &done[0] else {
        panic!("a round change")
    };
    assert_eq!(round.phase, Phase::Done);
    // A paused round does not move.
    act(&mut room, person(youth), step, group, TurnAction::Pause);
    assert!(turns::due(&room.state, end).is_empty());
    assert_eq!(turns::next_due(&room.state), None);
}

#[test]
fn phones_with_wrong_clocks_count_down_the_same_turn_to_the_same_instant() {
    let (mut room, step, group, [youth, ..]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    act(&mut room, person(youth), step, group, TurnAction::Start);
    let clock = round(&room, step, Some(group)).clock();
    // Three phones: one right, one five minutes slow, one three minutes fast; each measures
    // its offset with one ping of 80 ms round trip, then reads its countdown at the same
    // real moment.
    let real_now = room.now.0 as f64 + 12_345.0;
    let shown: Vec<u64> = [0.0, -5.0 * 60_000.0, 3.0 * 60_000.0]
        .iter()
        .map(|skew| {
            let sent = room.now.0 as f64 + skew;
            let server_time = Timestamp(room.now.0 + 40);
            let offset = clock_offset(sent, server_time, sent + 80.0);
            let remaining = clock.remaining_ms(server_now(real_now + skew, offset));
            remaining.unwrap()
        })
        .collect();
    let spread = shown.iter().max().unwrap() - shown.iter().min().unwrap();
    assert!(spread <= 1, "countdowns differ by {spread} ms: {shown:?}");
    assert_eq!(shown[0], 300_000 - 12_345);
}

#[test]
fn a_new_starter_each_round_and_the_order_rules() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::NewStarter, false));
    act(&mut room, person(youth), step, group, TurnAction::Start);
    let first = round(&room, step, Some(group)).starter().unwrap();
    // The next round, with the same groups: someone else starts.
    let second = add_step(
        &mut room,
        StepKind::GroupRound,
        Some(settings(TurnOrder::NewStarter, false)),
    );
    room.facilitator(Command::FormGroups {
        step: second,
        mode: GroupingMode::Reuse { from: step },
    })
    .unwrap();
    room.facilitator(Command::StartStep { step: second })
        .unwrap();
    let again = room.state.programme.groups[&second][0].id;
    let planned = turns::planned_queue(&room.state, second, Some(again));
    assert_ne!(planned[0], first, "a different starter");
    assert_eq!(planned.len(), 3);
    // Youth first; random is the same on every screen.
    let mut edited = room.state.programme.step(second).unwrap().clone();
    edited.turns = Some(settings(TurnOrder::YouthFirst, false));
    room.facilitator(Command::EditStep {
        step: edited.clone(),
    })
    .unwrap();
    assert_eq!(
        turns::planned_queue(&room.state, second, Some(again))[0],
        youth
    );
    edited.turns = Some(settings(TurnOrder::Random, false));
    room.facilitator(Command::EditStep { step: edited })
        .unwrap();
    let shuffled = turns::planned_queue(&room.state, second, Some(again));
    assert_eq!(
        shuffled,
        turns::planned_queue(&room.state.clone(), second, Some(again))
    );
    let mut sorted = shuffled.clone();
    sorted.sort();
    let mut everyone = vec![youth, parent, teacher];
    everyone.sort();
    assert_eq!(sorted, everyone);
}

#[test]
fn moving_on_pauses_running_rounds_and_forming_groups_again_starts_them_afresh() {
    let (mut room, step, group, [youth, ..]) = table_of_three(settings(TurnOrder::JoinOrder, true));
    act(&mut room, person(youth), step, group, TurnAction::Start);
    let next = add_step(&mut room, StepKind::Plenary, None);
    room.now.0 += 60_000;
    room.facilitator(Command::StartStep { step: next }).unwrap();
    assert_eq!(
        round(&room, step, Some(group)).clock(),
        Clock::Paused {
            remaining_ms: 240_000
        }
    );
    room.facilitator(Command::FormGroups {
        step,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    assert!(!room.state.programme.rounds.contains_key(&step));
    // Settings are checked like every other input.
    let mut bad = room.state.programme.step(step).unwrap().clone();
    bad.turns = Some(TurnSettings {
        speaker_secs: 5,
        ..settings(TurnOrder::JoinOrder, false)
    });
    assert_eq!(
        room.facilitator(Command::EditStep { step: bad }),
        Err(ErrorCode::TimeboxInvalid)
    );
}

#[test]
fn plenary_reports_are_a_round_over_the_groups_reporters_run_by_the_facilitator() {
    let (mut room, step, group, [youth, ..]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    let reporter = room.state.programme.groups[&step][0].reporter.unwrap();
    let reports = add_step(
        &mut room,
        StepKind::Reports,
        TurnSettings::default_for(StepKind::Reports),
    );
    room.facilitator(Command::StartStep { step: reports })
        .unwrap();
    assert_eq!(
        turns::planned_queue(&room.state, reports, None),
        vec![reporter]
    );
    assert_eq!(
        turn(&mut room, person(youth), reports, None, TurnAction::Start),
        Err(ErrorCode::NotAllowed),
        "a group leader does not run the plenary"
    );
    turn(
        &mut room,
        Actor::Facilitator,
        reports,
        None,
        TurnAction::Start,
    )
    .unwrap();
    let plenary = round(&room, reports, None);
    assert_eq!(plenary.speaker(), Some(reporter));
    assert_eq!(plenary.clock().remaining_ms(room.now), Some(150_000));
    room.now.0 += 90_000;
    turn(
        &mut room,
        person(reporter),
        reports,
        None,
        TurnAction::Next { current: reporter },
    )
    .unwrap();
    assert_eq!(
        round(&room, reports, None).phase,
        Phase::Done,
        "no debate after plenary reports"
    );
    // How the floor was shared, by role, over every round.
    let _ = group;
    let shares = turns::floor_by_role(&room.state);
    let total: u64 = shares.iter().map(|s| s.spoke_ms).sum();
    assert_eq!(total, 90_000);
    let reporter_role = room.state.participants[&reporter].role;
    let share = shares.iter().find(|s| s.role == reporter_role).unwrap();
    assert_eq!((share.turns, share.passes, share.spoke_ms), (1, 0, 90_000));
}

#[test]
fn a_latecomer_in_the_open_discussion_is_given_the_floor_and_the_discussion_comes_back() {
    let (mut room, step, group, [youth, parent, teacher]) =
        table_of_three(settings(TurnOrder::JoinOrder, false));
    let leader = person(youth);
    act(&mut room, leader, step, group, TurnAction::Start);
    for current in [youth, parent, teacher] {
        act(&mut room, leader, step, group, TurnAction::Next { current });
    }
    assert!(matches!(
        round(&room, step, Some(group)).phase,
        Phase::Discussion { .. }
    ));
    // Someone comes late and is seated at this table: they wait in the queue.
    room.now.0 += 30_000;
    let late = room.join(BuiltinRole::Politician);
    let waiting = round(&room, step, Some(group));
    assert_eq!(waiting.queue, vec![late], "told they are next");
    assert!(matches!(waiting.phase, Phase::Discussion { .. }));
    // The leader gives them the floor.
    act(&mut room, leader, step, group, TurnAction::Start);
    let speaking = round(&room, step, Some(group));
    assert_eq!(speaking.speaker(), Some(late));
    assert_eq!(speaking.clock().remaining_ms(room.now), Some(300_000));
    room.now.0 += 60_000;
    act(
        &mut room,
        person(late),
        step,
        group,
        TurnAction::Next { current: late },
    );
    let after = round(&room, step, Some(group));
    assert_eq!(
        after.phase,
        Phase::Discussion {
            clock: Clock::start(room.now, 120)
        },
        "the discussion comes back"
    );
    assert_eq!(after.turns.len(), 4, "the latecomer's turn is on record");
    // With nobody waiting, "start" in the discussion changes nothing.
    assert_eq!(
        turn(&mut room, leader, step, Some(group), TurnAction::Start),
        Ok(0)
    );
}

#[test]
fn a_step_whose_clock_is_shorter_than_its_round_is_flagged() {
    let mut room = Room::new();
    let twenty_minutes = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(20 * 60),
        notes_open: true,
        per_group: false,
        turns: Some(TurnSettings {
            speaker_secs: 300,
            order: TurnOrder::JoinOrder,
            auto_advance: false,
            discussion_secs: 600,
        }),
    };
    let step = twenty_minutes.id;
    room.facilitator(Command::AddStep {
        step: twenty_minutes,
        index: None,
    })
    .unwrap();
    room.facilitator(Command::SetGroupSettings {
        size: 6,
        prefer_youth_leader: true,
    })
    .unwrap();
    // Six speakers of five minutes and ten minutes of discussion: 40 minutes, not 20.
    assert_eq!(
        turns::clock_too_short(&room.state, step),
        Some((40 * 60, 20 * 60))
    );
    // Groups of two, once formed, need 20 minutes: enough.
    for role in [
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Teacher,
        BuiltinRole::Youth,
    ] {
        room.join(role);
    }
    room.facilitator(Command::SetGroupSettings {
        size: 2,
        prefer_youth_leader: true,
    })
    .unwrap();
    room.facilitator(Command::FormGroups {
        step,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    assert_eq!(turns::clock_too_short(&room.state, step), None);
}
