//! The programme through `decide` and `apply`, as the server runs them: steps, the clock,
//! joining, groups, group jobs and late arrivals — every command, and the edge cases the
//! method brings (a step deleted while running, one person alone in a role, a full room).

use ordet_shared::command::{Actor, Command};
use ordet_shared::programme::{Clock, GroupingMode, Step, StepKind, clock_offset, server_now};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::state::BuiltinRole;
use ordet_shared::{NoteId, ParticipantId, StepId, Timestamp};

mod support;

use support::Room;

#[test]
fn steps_are_added_edited_moved_and_removed_and_blank_questions_dropped() {
    let mut room = Room::new();
    let first = room.add_step("Opning", None, false);
    let second = room.add_step("Runde 1", Some(600), true);
    let programme = &room.state.programme;
    assert_eq!(programme.steps.len(), 2);
    assert_eq!(
        programme.steps[1].questions,
        vec!["Kvar står vi?".to_string()]
    );

    let mut edited = programme.steps[1].clone();
    edited.title = "  Runde 1: like grupper ".into();
    edited.timebox_secs = Some(0);
    room.facilitator(Command::EditStep { step: edited })
        .unwrap();
    let step = room.state.programme.step(second).unwrap();
    assert_eq!(step.title, "Runde 1: like grupper");
    assert_eq!(step.timebox_secs, None, "0 means no clock");

    room.facilitator(Command::MoveStep {
        step: second,
        index: 0,
    })
    .unwrap();
    assert_eq!(room.state.programme.steps[0].id, second);
    // Moving past the end lands at the end.
    room.facilitator(Command::MoveStep {
        step: second,
        index: 99,
    })
    .unwrap();
    assert_eq!(room.state.programme.steps[1].id, second);

    room.facilitator(Command::RemoveStep { step: first })
        .unwrap();
    assert_eq!(room.state.programme.steps.len(), 1);
    assert!(
        room.facilitator(Command::RemoveStep { step: first })
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_steps_are_refused_with_reasons() {
    let mut room = Room::new();
    let step = |title: &str, questions: Vec<String>, timebox| Step {
        id: StepId::random(),
        kind: StepKind::Plenary,
        title: title.into(),
        questions,
        timebox_secs: timebox,
        notes_open: false,
        per_group: false,
        turns: None,
    };
    let add = |s| Command::AddStep {
        step: s,
        index: None,
    };
    assert_eq!(
        room.facilitator(add(step(" ", vec![], None))),
        Err(ErrorCode::StepTitleEmpty)
    );
    assert_eq!(
        room.facilitator(add(step(&"x".repeat(121), vec![], None))),
        Err(ErrorCode::StepTitleTooLong)
    );
    assert_eq!(
        room.facilitator(add(step("Q", vec!["?".repeat(401)], None))),
        Err(ErrorCode::QuestionTooLong)
    );
    assert_eq!(
        room.facilitator(add(step("Q", vec!["?".into(); 11], None))),
        Err(ErrorCode::TooManyQuestions)
    );
    assert_eq!(
        room.facilitator(add(step("T", vec![], Some(5 * 3600)))),
        Err(ErrorCode::TimeboxInvalid)
    );
    let missing = step("Ghost", vec![], None);
    assert_eq!(
        room.facilitator(Command::EditStep { step: missing }),
        Err(ErrorCode::UnknownStep)
    );
    for _ in 0..40 {
        room.facilitator(add(step("Steg", vec![], None))).unwrap();
    }
    assert_eq!(
        room.facilitator(add(step("One too many", vec![], None))),
        Err(ErrorCode::TooManySteps)
    );
    // A retried add of an existing step changes nothing.
    let existing = room.state.programme.steps[0].clone();
    assert!(room.facilitator(add(existing)).unwrap().is_empty());
}

#[test]
fn only_the_facilitator_runs_the_programme() {
    let mut room = Room::new();
    let step = room.add_step("Runde", Some(300), true);
    let pupil = room.join(BuiltinRole::Youth);
    let start = Command::StartStep { step };
    assert_eq!(
        room.run(Actor::Participant { id: pupil }, start.clone()),
        Err(ErrorCode::NotAllowed)
    );
    assert_eq!(
        room.run(Actor::Screen, start.clone()),
        Err(ErrorCode::NotAllowed)
    );
    assert_eq!(
        room.run(Actor::Screen, Command::SetJoining { open: false }),
        Err(ErrorCode::NotAllowed)
    );
    assert!(room.facilitator(start).is_ok());
}

#[test]
fn starting_a_step_starts_its_clock_which_pauses_resumes_and_extends() {
    let mut room = Room::new();
    let timed = room.add_step("Runde", Some(300), true);
    let open = room.add_step("Diskusjon", None, true);
    assert_eq!(
        room.facilitator(Command::PauseClock),
        Err(ErrorCode::NoClock)
    );

    room.facilitator(Command::StartStep { step: timed })
        .unwrap();
    assert_eq!(room.state.programme.current, Some(timed));
    assert_eq!(room.remaining(), Some(300_000));
    room.now = Timestamp(room.now.0 + 100_000);
    assert_eq!(room.remaining(), Some(200_000));
    room.facilitator(Command::PauseClock).unwrap();
    assert!(
        room.facilitator(Command::PauseClock).unwrap().is_empty(),
        "pausing twice is a no-op"
    );
    room.now = Timestamp(room.now.0 + 3_600_000);
    assert_eq!(
        room.remaining(),
        Some(200_000),
        "a paused clock loses nothing"
    );
    room.facilitator(Command::ResumeClock).unwrap();
    room.facilitator(Command::ExtendClock { seconds: 60 })
        .unwrap();
    assert_eq!(room.remaining(), Some(260_000));
    assert_eq!(
        room.facilitator(Command::ExtendClock { seconds: 0 }),
        Err(ErrorCode::TimeboxInvalid)
    );
    assert_eq!(
        room.facilitator(Command::ExtendClock { seconds: 3601 }),
        Err(ErrorCode::TimeboxInvalid)
    );

    // Next: a step without a timebox has no clock, until someone adds time.
    room.facilitator(Command::StartStep { step: open }).unwrap();
    assert_eq!(room.state.programme.clock, Clock::Off);
    assert_eq!(
        room.facilitator(Command::ResumeClock),
        Err(ErrorCode::NoClock)
    );
    room.facilitator(Command::ExtendClock { seconds: 120 })
        .unwrap();
    assert_eq!(room.remaining(), Some(120_000));

    // Back to the first step: its clock starts afresh.
    room.facilitator(Command::StartStep { step: timed })
        .unwrap();
    assert_eq!(room.remaining(), Some(300_000));
    room.facilitator(Command::StopProgramme).unwrap();
    assert_eq!(room.state.programme.current, None);
    assert_eq!(
        room.facilitator(Command::ExtendClock { seconds: 60 }),
        Err(ErrorCode::NoClock)
    );
}

#[test]
fn deleting_the_running_step_stops_the_programme() {
    let mut room = Room::new();
    let step = room.add_step("Runde", Some(300), true);
    room.facilitator(Command::StartStep { step }).unwrap();
    room.facilitator(Command::RemoveStep { step }).unwrap();
    assert_eq!(room.state.programme.current, None);
    assert_eq!(room.state.programme.clock, Clock::Off);
    assert_eq!(
        room.facilitator(Command::StartStep { step }),
        Err(ErrorCode::UnknownStep)
    );
}

#[test]
fn phones_with_wrong_clocks_count_down_the_same() {
    let mut room = Room::new();
    let step = room.add_step("Runde", Some(300), true);
    room.facilitator(Command::StartStep { step }).unwrap();
    let server = room.now.0 as f64 + 30_000.0;
    // Three phones: one right, one five minutes fast, one four minutes slow; 80 ms round trips.
    for skew in [0.0, 300_000.0, -240_000.0] {
        let sent = server + skew - 40.0;
        let received = server + skew + 40.0;
        let offset = clock_offset(sent, Timestamp(server as u64), received);
        let estimate = server_now(received, offset);
        let remaining = room.state.programme.clock.remaining_ms(estimate).unwrap();
        assert!(
            remaining.abs_diff(270_000) <= 40,
            "skew {skew}: {remaining}"
        );
    }
}

#[test]
fn joining_can_be_closed_but_a_returning_phone_still_gets_in() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    room.facilitator(Command::SetJoining { open: false })
        .unwrap();
    let late = ParticipantId::random();
    let join = Command::Join {
        name: None,
        role: BuiltinRole::Parent.id(),
    };
    assert_eq!(
        room.run(Actor::Participant { id: late }, join),
        Err(ErrorCode::JoiningClosed)
    );
    let again = Command::Join {
        name: None,
        role: BuiltinRole::Youth.id(),
    };
    assert!(room.run(Actor::Participant { id: pupil }, again).is_ok());
    room.facilitator(Command::SetJoining { open: true })
        .unwrap();
    room.join(BuiltinRole::Parent);
    assert_eq!(room.state.participants.len(), 2);
}

#[test]
fn notes_are_taken_only_in_steps_that_allow_them() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let quiet = room.add_step("Opning", None, false);
    let post = || Command::PostNote {
        note: NoteId::random(),
        text: "Hei".into(),
        question: None,
        for_group: false,
    };
    assert!(
        room.run(Actor::Participant { id: pupil }, post()).is_ok(),
        "before the programme starts"
    );
    room.facilitator(Command::StartStep { step: quiet })
        .unwrap();
    assert_eq!(
        room.run(Actor::Participant { id: pupil }, post()),
        Err(ErrorCode::NotesClosed)
    );
    assert!(
        room.facilitator(post()).is_ok(),
        "the facilitator may always type in notes"
    );
}

#[test]
fn groups_are_formed_reused_and_adjusted_by_hand() {
    let mut room = Room::new();
    let round1 = room.add_step("Runde 1", Some(600), true);
    let round2 = room.add_step("Runde 2", Some(600), true);
    assert_eq!(
        room.facilitator(Command::FormGroups {
            step: round1,
            mode: GroupingMode::Homogeneous
        }),
        Err(ErrorCode::NobodyToGroup)
    );
    let pupils: Vec<_> = (0..6).map(|_| room.join(BuiltinRole::Youth)).collect();
    let parents: Vec<_> = (0..4).map(|_| room.join(BuiltinRole::Parent)).collect();
    room.facilitator(Command::SetGroupSettings {
        size: 3,
        prefer_youth_leader: true,
    })
    .unwrap();
    assert_eq!(
        room.facilitator(Command::SetGroupSettings {
            size: 9,
            prefer_youth_leader: true
        }),
        Err(ErrorCode::GroupSizeInvalid)
    );

    room.facilitator(Command::FormGroups {
        step: round1,
        mode: GroupingMode::Homogeneous,
    })
    .unwrap();
    let groups = room.state.programme.groups[&round1].clone();
    assert_eq!(
        groups.len(),
        4,
        "6 pupils in 2 groups of 3, 4 parents in 2 groups of 2"
    );
    for group in &groups {
        let all_pupils = group.members.iter().all(|m| pupils.contains(m));
        let all_parents = group.members.iter().all(|m| parents.contains(m));
        assert!(all_pupils || all_parents, "homogeneous: {group:?}");
        assert!(group.members.contains(&group.leader.unwrap()));
        assert_ne!(group.leader, group.note_taker);
    }
    let numbers: Vec<u32> = groups.iter().map(|g| g.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);

    room.facilitator(Command::FormGroups {
        step: round2,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    let mixed = &room.state.programme.groups[&round2];
    assert!(
        mixed
            .iter()
            .all(|g| g.members.iter().any(|m| pupils.contains(m))),
        "every mixed group has a youth"
    );
    for group in mixed {
        assert!(
            pupils.contains(&group.leader.unwrap()),
            "youth leads when asked"
        );
    }

    // Reuse the first round's groups.
    let round3 = room.add_step("Runde 3", None, true);
    room.facilitator(Command::FormGroups {
        step: round3,
        mode: GroupingMode::Reuse { from: round1 },
    })
    .unwrap();
    let reused: Vec<_> = room.state.programme.groups[&round3]
        .iter()
        .map(|g| g.members.clone())
        .collect();
    let original: Vec<_> = groups.iter().map(|g| g.members.clone()).collect();
    assert_eq!(reused, original);
    assert_eq!(
        room.facilitator(Command::FormGroups {
            step: round3,
            mode: GroupingMode::Reuse {
                from: StepId::random()
            }
        }),
        Err(ErrorCode::NoGroups)
    );

    // Move a person by hand: they leave their old group and its jobs.
    let from = groups[0].clone();
    let mover = from.leader.unwrap();
    let to = groups[2].id;
    room.facilitator(Command::MoveMember {
        step: round1,
        participant: mover,
        to,
    })
    .unwrap();
    let after = &room.state.programme.groups[&round1];
    assert!(!after[0].members.contains(&mover));
    let new_leader = after[0].leader.expect("the vacated job is filled");
    assert!(after[0].members.contains(&new_leader));
    assert!(after[2].members.contains(&mover));
    assert_ne!(
        after[2].leader,
        Some(mover),
        "the target group keeps its leader"
    );
    // Jobs by hand, only for members.
    let group = after[0].clone();
    let set = |leader| Command::SetGroupJobs {
        step: round1,
        group: group.id,
        leader: Some(leader),
        note_taker: group.members.first().copied(),
        reporter: None,
    };
    assert_eq!(room.facilitator(set(mover)), Err(ErrorCode::NotInGroup));
    room.facilitator(set(group.members[1])).unwrap();
    assert_eq!(
        room.state.programme.groups[&round1][0].leader,
        Some(group.members[1])
    );
    room.facilitator(Command::RenameGroup {
        step: round1,
        group: group.id,
        name: Some("Bord ved vindauget".into()),
    })
    .unwrap();
    assert_eq!(
        room.state.programme.groups[&round1][0].name.as_deref(),
        Some("Bord ved vindauget")
    );
    let ghost = ordet_shared::GroupId::random();
    assert_eq!(
        room.facilitator(Command::MoveMember {
            step: round1,
            participant: mover,
            to: ghost
        }),
        Err(ErrorCode::UnknownGroup)
    );
}

#[test]
fn late_arrivals_sit_down_in_the_smallest_fitting_group() {
    let mut room = Room::new();
    let round = room.add_step("Runde", Some(600), true);
    for _ in 0..5 {
        room.join(BuiltinRole::Youth);
    }
    for _ in 0..2 {
        room.join(BuiltinRole::Parent);
    }
    room.facilitator(Command::SetGroupSettings {
        size: 4,
        prefer_youth_leader: true,
    })
    .unwrap();
    room.facilitator(Command::FormGroups {
        step: round,
        mode: GroupingMode::Homogeneous,
    })
    .unwrap();
    // Not running yet: a newcomer is not placed ...
    let early = room.join(BuiltinRole::Parent);
    assert!(room.state.programme.group_of(round, early).is_none());

    // ... until the step starts: then everyone without a seat sits down.
    room.facilitator(Command::StartStep { step: round })
        .unwrap();
    assert!(room.state.programme.group_of(round, early).is_some());
    let parent = room.join(BuiltinRole::Parent);
    let group = room
        .state
        .programme
        .group_of(round, parent)
        .expect("placed");
    let parent_role = BuiltinRole::Parent.id();
    let others_are_parents = group
        .members
        .iter()
        .filter(|m| **m != parent)
        .all(|m| room.state.participants[m].role == parent_role);
    assert!(others_are_parents, "homogeneous: with their own role");

    // Fill every group to the maximum of 8: the next person gets a group of their own making.
    room.facilitator(Command::SetGroupSettings {
        size: 8,
        prefer_youth_leader: true,
    })
    .unwrap();
    while room.state.programme.groups[&round]
        .iter()
        .any(|g| g.members.len() < 8)
    {
        room.join(BuiltinRole::Other);
    }
    let count = room.state.programme.groups[&round].len();
    let newcomer = room.join(BuiltinRole::Teacher);
    let groups = &room.state.programme.groups[&round];
    assert_eq!(groups.len(), count + 1);
    let last = groups.last().unwrap();
    assert_eq!(last.members, vec![newcomer]);
    assert_eq!(last.number as usize, count + 1);
    assert_eq!(last.leader, Some(newcomer));
}

#[test]
fn reused_groups_seat_people_who_joined_since_and_keep_the_original_mode() {
    let mut room = Room::new();
    let round1 = room.add_step("Runde 1", Some(600), true);
    let round2 = room.add_step("Runde 2", Some(600), true);
    for _ in 0..4 {
        room.join(BuiltinRole::Youth);
    }
    for _ in 0..4 {
        room.join(BuiltinRole::Parent);
    }
    room.facilitator(Command::SetGroupSettings {
        size: 4,
        prefer_youth_leader: true,
    })
    .unwrap();
    room.facilitator(Command::FormGroups {
        step: round1,
        mode: GroupingMode::Homogeneous,
    })
    .unwrap();
    let latecomer = room.join(BuiltinRole::Parent);
    room.facilitator(Command::FormGroups {
        step: round2,
        mode: GroupingMode::Reuse { from: round1 },
    })
    .unwrap();
    let group = room
        .state
        .programme
        .group_of(round2, latecomer)
        .expect("seated in the reused groups");
    let parent = BuiltinRole::Parent.id();
    assert!(
        group
            .members
            .iter()
            .all(|m| room.state.participants[m].role == parent),
        "homogeneous by origin: the parent joins the parents"
    );
    let seated: usize = room.state.programme.groups[&round2]
        .iter()
        .map(|g| g.members.len())
        .sum();
    assert_eq!(
        seated,
        room.state.participants.len(),
        "everyone has exactly one seat"
    );
}

#[test]
fn nobody_is_seated_at_an_empty_table() {
    let mut room = Room::new();
    let round = room.add_step("Runde", Some(600), true);
    for role in [
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Parent,
    ] {
        room.join(role);
    }
    room.facilitator(Command::SetGroupSettings {
        size: 2,
        prefer_youth_leader: true,
    })
    .unwrap();
    room.facilitator(Command::FormGroups {
        step: round,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    room.facilitator(Command::StartStep { step: round })
        .unwrap();
    // Empty one table by moving both its people to the other.
    let groups = room.state.programme.groups[&round].clone();
    let (emptied, full) = (groups[0].clone(), groups[1].id);
    for person in &emptied.members {
        room.facilitator(Command::MoveMember {
            step: round,
            participant: *person,
            to: full,
        })
        .unwrap();
    }
    assert!(room.state.programme.groups[&round][0].members.is_empty());
    let late = room.join(BuiltinRole::Teacher);
    let seat = room.state.programme.group_of(round, late).unwrap();
    assert!(
        seat.members.len() > 1,
        "seated with people, not at an empty table"
    );
}
