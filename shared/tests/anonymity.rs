//! k-anonymity (k = 3) for notes: which roles a scope of people may name
//! ([`anonymity::shown_roles`], with the remainder rule), what is left out of a note when it
//! is posted ([`anonymity::mask`] through `PostNote`), what every screen then sees
//! ([`anonymity::shown`]), and that notes of old logs still load.

mod support;

use std::collections::BTreeMap;

use ordet_shared::anonymity::{self, K, Masked};
use ordet_shared::command::{Actor, Command};
use ordet_shared::programme::{GroupingMode, Step, StepKind};
use ordet_shared::state::{BuiltinRole, Note};
use ordet_shared::{NoteId, ParticipantId, RoleId, StepId};
use support::Room;

use BuiltinRole::{Parent, Politician, Teacher, Youth};

fn counts(roles: &[(BuiltinRole, usize)]) -> BTreeMap<RoleId, usize> {
    roles.iter().map(|(r, n)| (r.id(), *n)).collect()
}

fn named(roles: &[(BuiltinRole, usize)]) -> Vec<RoleId> {
    anonymity::shown_roles(&counts(roles)).into_iter().collect()
}

fn ids(roles: &[BuiltinRole]) -> Vec<RoleId> {
    let mut ids: Vec<RoleId> = roles.iter().map(|r| r.id()).collect();
    ids.sort();
    ids
}

#[test]
fn roles_are_named_only_when_neither_they_nor_the_rest_point_at_fewer_than_three() {
    assert_eq!(K, 3);
    // The issue's examples: a group of 3 youths and 1 politician names nothing (naming
    // Youth would leave "no role" meaning the politician); 2 youths and 1 politician
    // neither; 3 youths and 3 parents name both.
    assert_eq!(named(&[(Youth, 3), (Politician, 1)]), ids(&[]));
    assert_eq!(named(&[(Youth, 2), (Politician, 1)]), ids(&[]));
    assert_eq!(named(&[(Youth, 3), (Parent, 3)]), ids(&[Youth, Parent]));
    // A pool of three or more is fine.
    assert_eq!(
        named(&[(Youth, 5), (Parent, 1), (Politician, 1), (Teacher, 1)]),
        ids(&[Youth])
    );
    // The smallest named role joins a pool of one or two, until it is big enough.
    assert_eq!(
        named(&[(Youth, 6), (Parent, 3), (Politician, 2)]),
        ids(&[Youth])
    );
    assert_eq!(named(&[(Youth, 6), (Politician, 1)]), ids(&[]));
    // Ties are broken the same way every time, and only one of them goes.
    let tie = named(&[(Youth, 3), (Parent, 3), (Politician, 1)]);
    assert_eq!(tie.len(), 1);
    assert_eq!(tie, named(&[(Politician, 1), (Parent, 3), (Youth, 3)]));
    // Nobody, or roles nobody holds.
    assert_eq!(named(&[]), ids(&[]));
    assert_eq!(named(&[(Youth, 0), (Parent, 4)]), ids(&[Parent]));
}

fn person(id: ParticipantId) -> Actor {
    Actor::Participant { id }
}

fn post(room: &mut Room, who: Actor, for_group: bool) -> Note {
    let note = NoteId::random();
    room.run(
        who,
        Command::PostNote {
            note,
            text: "Meir lys på skulevegen".into(),
            question: Some(1),
            for_group,
        },
    )
    .expect("posted");
    room.state.notes[&note].clone()
}

/// A running step with two questions, each group its own when `per_group`.
fn running_step(room: &mut Room, per_group: bool) -> StepId {
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into(), "Kvar vil vi?".into()],
        timebox_secs: None,
        notes_open: true,
        per_group,
        turns: None,
    };
    let id = step.id;
    room.facilitator(Command::AddStep { step, index: None })
        .unwrap();
    room.facilitator(Command::StartStep { step: id }).unwrap();
    id
}

fn form_groups(room: &mut Room, step: StepId, size: u8, mode: GroupingMode) {
    room.facilitator(Command::SetGroupSettings {
        size,
        prefer_youth_leader: true,
    })
    .unwrap();
    room.facilitator(Command::FormGroups { step, mode })
        .unwrap();
}

#[test]
fn in_a_mixed_group_of_three_the_group_shows_and_no_role_does() {
    let mut room = Room::new();
    let youths = [room.join(Youth), room.join(Youth)];
    let politician = room.join(Politician);
    let step = running_step(&mut room, false);
    form_groups(&mut room, step, 3, GroupingMode::Mixed);
    let group = room.state.programme.groups[&step][0].clone();
    assert_eq!(group.members.len(), 3);
    for writer in [youths[0], youths[1], politician] {
        let note = post(&mut room, person(writer), false);
        assert_eq!(
            note.masked,
            Masked {
                role: true,
                group: false,
                question: false
            }
        );
        let shown = anonymity::shown(&note);
        assert_eq!(shown.group, Some(group.id), "three people: the group shows");
        assert_eq!(shown.role, None, "a youth of two, the politician of one");
        assert!(
            shown.masked.role,
            "screens can tell it from a facilitator's note"
        );
        assert_eq!(shown.question, Some(1));
    }
}

#[test]
fn the_lone_politician_shows_no_role_and_neither_do_those_who_would_give_them_away() {
    let mut room = Room::new();
    let youths: Vec<_> = (0..4).map(|_| room.join(Youth)).collect();
    let parents: Vec<_> = (0..3).map(|_| room.join(Parent)).collect();
    let politician = room.join(Politician);
    // No step, no groups: the scope is everyone. Youth (4) stays named; Parent (3) joins
    // the politician in the pool, so "no role" is one of four.
    let youth_note = anonymity::shown(&post(&mut room, person(youths[0]), false));
    assert_eq!(youth_note.role, Some(Youth.id()));
    assert!(!youth_note.masked.role);
    for writer in [politician, parents[0]] {
        let note = anonymity::shown(&post(&mut room, person(writer), false));
        assert_eq!(note.role, None);
        assert!(note.masked.role);
    }
}

#[test]
fn a_group_too_small_is_left_out_and_its_question_with_it_and_roles_count_outside_groups() {
    let mut room = Room::new();
    let _youths: Vec<_> = (0..6).map(|_| room.join(Youth)).collect();
    let parents: Vec<_> = (0..4).map(|_| room.join(Parent)).collect();
    let step = running_step(&mut room, true);
    // Homogeneous groups of three: youths 3 + 3, parents 2 + 2.
    form_groups(&mut room, step, 3, GroupingMode::Homogeneous);
    let groups = room.state.programme.groups[&step].clone();
    assert!(groups.iter().any(|g| g.members.len() == 2));
    let note = post(&mut room, person(parents[0]), false);
    assert_eq!(
        note.masked,
        Masked {
            role: false,
            group: true,
            question: true
        },
        "the group of two is left out, and its own question would name it"
    );
    let shown = anonymity::shown(&note);
    assert_eq!(shown.group, None);
    assert_eq!(shown.question, None);
    assert_eq!(
        shown.role,
        Some(Parent.id()),
        "outside the groups shown there are four parents"
    );
    assert_eq!(
        shown.masked,
        Masked::default(),
        "'from a small group' is not shown"
    );
    // A youth in a group of three youths: the group and the role both show.
    let youth = groups
        .iter()
        .find(|g| g.members.len() == 3)
        .unwrap()
        .members[0];
    let note = anonymity::shown(&post(&mut room, person(youth), false));
    assert!(note.group.is_some() && note.question.is_some());
    assert_eq!(note.role, Some(Youth.id()));
}

#[test]
fn a_small_group_in_a_step_of_one_question_per_group_keeps_the_question_when_it_names_nobody() {
    let mut room = Room::new();
    let pair = [room.join(Youth), room.join(Politician)];
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: None,
        notes_open: true,
        per_group: true,
        turns: None,
    };
    let id = step.id;
    room.facilitator(Command::AddStep { step, index: None })
        .unwrap();
    room.facilitator(Command::StartStep { step: id }).unwrap();
    form_groups(&mut room, id, 2, GroupingMode::Mixed);
    let note = post(&mut room, person(pair[1]), false);
    assert!(note.masked.group && note.masked.role && !note.masked.question);
    let shown = anonymity::shown(&note);
    assert_eq!(
        (shown.group, shown.role, shown.question),
        (None, None, Some(0))
    );
}

#[test]
fn the_facilitator_and_a_group_s_own_notes_keep_what_they_carry() {
    let mut room = Room::new();
    let members = [room.join(Youth), room.join(Politician)];
    let step = running_step(&mut room, false);
    form_groups(&mut room, step, 2, GroupingMode::Mixed);
    let group = room
        .state
        .programme
        .group_of(step, members[0])
        .unwrap()
        .clone();
    let facilitator = post(&mut room, Actor::Facilitator, false);
    assert_eq!(facilitator.masked, Masked::default());
    assert_eq!(anonymity::shown(&facilitator), facilitator);
    let taker = group.note_taker.unwrap();
    let for_group = post(&mut room, person(taker), true);
    assert_eq!(for_group.masked, Masked::default());
    assert_eq!(anonymity::shown(&for_group).group, Some(group.id));
}

#[test]
fn the_mask_is_decided_once_and_kept_through_edits() {
    let mut room = Room::new();
    let youths: Vec<_> = (0..2).map(|_| room.join(Youth)).collect();
    let note = post(&mut room, person(youths[0]), false);
    assert!(note.masked.role, "two youths: the role is left out");
    // A third youth joins: the note posted among two stays as it was shown.
    room.join(Youth);
    room.run(
        person(youths[0]),
        Command::EditNote {
            note: note.id,
            text: "Meir lys, takk".into(),
        },
    )
    .unwrap();
    let edited = &room.state.notes[&note.id];
    assert!(edited.masked.role);
    assert_eq!(anonymity::shown(edited).role, None);
    // A note posted now, among three, shows its role.
    let later = post(&mut room, person(youths[1]), false);
    assert_eq!(anonymity::shown(&later).role, Some(Youth.id()));
}

#[test]
fn notes_of_old_logs_load_and_a_note_with_nothing_left_out_has_no_mask_in_its_json() {
    let old = r#"{"id":"00000000-0000-4000-8000-000000000001","text":"Meir buss",
        "role":"6f726465-7400-4000-8000-000000000001","posted_at":5,"seq":7,
        "group":"00000000-0000-4000-8000-000000000002"}"#;
    let note: Note = serde_json::from_str(old).unwrap();
    assert_eq!(note.masked, Masked::default());
    assert_eq!(
        anonymity::shown(&note),
        note,
        "an old note shows what it did"
    );
    let json = serde_json::to_string(&note).unwrap();
    assert!(!json.contains("masked"), "{json}");
    let masked = Note {
        masked: Masked {
            role: true,
            group: true,
            question: false,
        },
        ..note
    };
    let json = serde_json::to_string(&masked).unwrap();
    assert!(
        json.contains(r#""masked":{"role":true,"group":true}"#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Note>(&json).unwrap(), masked);
}
