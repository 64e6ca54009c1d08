//! Notes, themes, the wall and voting through `decide` and `apply`, as the server runs them:
//! every command, who may use it, bad input (empty, emoji and right-to-left text, markup, the
//! same note twice, votes over budget or after close, a theme deleted under a move), secrecy
//! (what a screen receives names no writer and no voter), and a property test that any
//! interleaving of moves, merges, hides and theme changes leaves every note in exactly one
//! valid place.

mod support;

use ordet_shared::audience::{Audience, project_event, project_state};
use ordet_shared::command::{Actor, Command};
use ordet_shared::notes::{Focus, Place, Wall, WallMode};
use ordet_shared::programme::{GroupingMode, Step, StepKind};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::state::{BuiltinRole, State};
use ordet_shared::voting::{self, Vote, VoteOn, VotingSetup};
use ordet_shared::{Event, NoteId, ParticipantId, SequencedEvent, StepId, ThemeId};
use proptest::prelude::*;
use support::Room;

fn post(room: &mut Room, who: Actor, text: &str) -> Result<NoteId, ErrorCode> {
    let note = NoteId::random();
    room.run(
        who,
        Command::PostNote {
            note,
            text: text.into(),
            question: None,
            for_group: false,
        },
    )
    .map(|_| note)
}

fn person(id: ParticipantId) -> Actor {
    Actor::Participant { id }
}

fn place(room: &mut Room, note: NoteId, place: Place) -> Result<Vec<Event>, ErrorCode> {
    room.facilitator(Command::PlaceNote { note, place })
}

fn theme(room: &mut Room, name: &str) -> ThemeId {
    let theme = ThemeId::random();
    room.facilitator(Command::CreateTheme {
        theme,
        name: name.into(),
    })
    .unwrap();
    theme
}

/// A running step with two questions and notes open; returns its identifier.
fn notes_step(room: &mut Room) -> StepId {
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde 1".into(),
        questions: vec!["Kvar står vi?".into(), "Kvar vil vi?".into()],
        timebox_secs: None,
        notes_open: true,
        per_group: false,
        turns: None,
    };
    let id = step.id;
    room.facilitator(Command::AddStep { step, index: None })
        .unwrap();
    room.facilitator(Command::StartStep { step: id }).unwrap();
    id
}

#[test]
fn a_note_belongs_to_its_step_question_and_group_and_names_only_when_turned_on() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let parent = room.join(BuiltinRole::Parent);
    let step = notes_step(&mut room);
    room.facilitator(Command::FormGroups {
        step,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    let note = NoteId::random();
    room.run(
        person(pupil),
        Command::PostNote {
            note,
            text: "Meir lys".into(),
            question: Some(1),
            for_group: false,
        },
    )
    .unwrap();
    let posted = room.state.notes[&note].clone();
    assert_eq!(posted.step, Some(step));
    assert_eq!(posted.question, Some(1));
    assert_eq!(
        posted.group,
        room.state.programme.group_of(step, pupil).map(|g| g.id)
    );
    assert_eq!(posted.name, None, "names are off unless turned on");
    // A question the step does not have means its first.
    let other = NoteId::random();
    room.run(
        person(pupil),
        Command::PostNote {
            note: other,
            text: "Gratis buss".into(),
            question: Some(9),
            for_group: false,
        },
    )
    .unwrap();
    assert_eq!(room.state.notes[&other].question, Some(0));

    // Names on: new notes carry the writer's name (if they gave one).
    room.facilitator(Command::ShowNames { shown: true })
        .unwrap();
    room.run(
        person(parent),
        Command::ChangeProfile {
            name: Some("Kari".into()),
            role: BuiltinRole::Parent.id(),
        },
    )
    .unwrap();
    let named = post(&mut room, person(parent), "Trygg skuleveg").unwrap();
    assert_eq!(room.state.notes[&named].name.as_deref(), Some("Kari"));
    assert_eq!(
        room.state.notes[&note].name, None,
        "earlier notes stay anonymous"
    );
}

#[test]
fn only_the_note_taker_writes_for_the_group_and_such_notes_carry_no_role() {
    let mut room = Room::new();
    let people: Vec<ParticipantId> = (0..2).map(|_| room.join(BuiltinRole::Parent)).collect();
    let step = notes_step(&mut room);
    room.facilitator(Command::FormGroups {
        step,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    let group = room.state.programme.groups[&step][0].clone();
    let taker = group.note_taker.unwrap();
    let other = *people.iter().find(|p| **p != taker).unwrap();
    let for_group = |note| Command::PostNote {
        note,
        text: "Frå papirlappen: fleire benkar".into(),
        question: None,
        for_group: true,
    };
    assert_eq!(
        room.run(person(other), for_group(NoteId::random())),
        Err(ErrorCode::NotANoteTaker)
    );
    let note = NoteId::random();
    room.run(person(taker), for_group(note)).unwrap();
    let written = &room.state.notes[&note];
    assert!(written.for_group);
    assert_eq!(written.role, None);
    assert_eq!(written.group, Some(group.id));
}

#[test]
fn writers_edit_and_withdraw_their_own_notes_until_the_step_is_locked() {
    let mut room = Room::new();
    let writer = room.join(BuiltinRole::Youth);
    let stranger = room.join(BuiltinRole::Youth);
    let step = notes_step(&mut room);
    let note = post(&mut room, person(writer), "Meir lys i gymsalen").unwrap();
    let edit = |text: &str| Command::EditNote {
        note,
        text: text.into(),
    };
    assert_eq!(
        room.run(person(stranger), edit("Kapra")),
        Err(ErrorCode::NotYourNote)
    );
    room.run(person(writer), edit("Meir lys i gymsalen og garderoben"))
        .unwrap();
    assert!(room.state.notes[&note].edited);
    assert_eq!(
        room.run(person(writer), edit("  ")),
        Err(ErrorCode::NoteEmpty)
    );
    room.facilitator(Command::LockNotes {
        step: Some(step),
        locked: true,
    })
    .unwrap();
    assert_eq!(
        room.run(person(writer), edit("Endra")),
        Err(ErrorCode::NotesLocked)
    );
    assert_eq!(
        room.run(person(writer), Command::WithdrawNote { note }),
        Err(ErrorCode::NotesLocked)
    );
    assert_eq!(
        post(&mut room, person(writer), "Ny"),
        Err(ErrorCode::NotesLocked)
    );
    // The facilitator fixes a typo even after the lock.
    room.facilitator(edit("Meir lys i gymsalen og i garderoben"))
        .unwrap();
    room.facilitator(Command::LockNotes {
        step: Some(step),
        locked: false,
    })
    .unwrap();
    room.run(person(writer), Command::WithdrawNote { note })
        .unwrap();
    assert_eq!(room.state.notes[&note].place, Place::Withdrawn);
    assert_eq!(
        place(&mut room, note, Place::default()),
        Err(ErrorCode::NotAllowed),
        "a withdrawn note stays withdrawn"
    );
}

#[test]
fn odd_input_is_kept_as_text_and_the_same_note_twice_is_one_note() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    for text in [
        "🚌🚌 buss!! 🎉",
        "مرحبا — نريد حافلة",
        "<script>alert('x')</script> <b>feit</b>",
    ] {
        let note = post(&mut room, person(pupil), text).unwrap();
        assert_eq!(room.state.notes[&note].text, text, "stored as written");
    }
    assert_eq!(
        post(&mut room, person(pupil), " \n\t "),
        Err(ErrorCode::NoteEmpty)
    );
    let note = NoteId::random();
    let command = Command::PostNote {
        note,
        text: "Same".into(),
        question: None,
        for_group: false,
    };
    assert_eq!(room.run(person(pupil), command.clone()).unwrap().len(), 1);
    assert!(room.run(person(pupil), command).unwrap().is_empty());
    assert_eq!(room.state.notes.len(), 4);
}

#[test]
fn the_facilitator_hides_restores_and_merges_notes_and_merges_never_chain() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let a = post(&mut room, person(pupil), "Gratis buss").unwrap();
    let b = post(&mut room, person(pupil), "Buss gratis for elevar").unwrap();
    let c = post(&mut room, person(pupil), "Bussen må vere gratis").unwrap();
    assert_eq!(place(&mut room, a, Place::Hidden).map(|e| e.len()), Ok(1));
    assert!(!room.state.notes[&a].place.is_visible());
    place(&mut room, a, Place::default()).unwrap();
    assert!(room.state.notes[&a].place.is_visible(), "restored");

    place(&mut room, b, Place::Merged { into: a }).unwrap();
    // Merging a into c takes b along: b now sits with c, not with a.
    place(&mut room, a, Place::Merged { into: c }).unwrap();
    assert_eq!(room.state.notes[&b].place, Place::Merged { into: c });
    let merged: Vec<NoteId> = ordet_shared::notes::merged_into(&room.state, c)
        .iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(merged, vec![a, b], "the merged note keeps every text");
    assert_eq!(
        place(&mut room, c, Place::Merged { into: c }),
        Err(ErrorCode::MergeIntoItself)
    );
    assert_eq!(
        place(&mut room, c, Place::Merged { into: a }),
        Err(ErrorCode::UnknownNote),
        "not into a note that is not on the wall"
    );
    assert_eq!(
        room.run(
            person(pupil),
            Command::PlaceNote {
                note: c,
                place: Place::Hidden
            }
        ),
        Err(ErrorCode::NotAllowed)
    );
}

#[test]
fn themes_are_created_renamed_merged_and_deleted_and_notes_follow() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let bus = post(&mut room, person(pupil), "Gratis buss").unwrap();
    let light = post(&mut room, person(pupil), "Meir lys").unwrap();
    let transport = theme(&mut room, "Transport");
    let safety = theme(&mut room, "Tryggleik");
    place(
        &mut room,
        bus,
        Place::Wall {
            theme: Some(transport),
        },
    )
    .unwrap();
    place(
        &mut room,
        light,
        Place::Wall {
            theme: Some(safety),
        },
    )
    .unwrap();
    room.facilitator(Command::RenameTheme {
        theme: transport,
        name: "Buss og skyss".into(),
    })
    .unwrap();
    assert_eq!(room.state.theme(transport).unwrap().name, "Buss og skyss");
    assert_eq!(
        room.facilitator(Command::RenameTheme {
            theme: transport,
            name: " ".into()
        }),
        Err(ErrorCode::ThemeNameEmpty)
    );
    room.facilitator(Command::MergeThemes {
        theme: safety,
        into: transport,
    })
    .unwrap();
    assert_eq!(room.state.notes[&light].place.theme(), Some(transport));
    assert!(room.state.theme(safety).is_none());
    // A move into a theme deleted meanwhile fails, and the note stays where it was.
    assert_eq!(
        place(
            &mut room,
            bus,
            Place::Wall {
                theme: Some(safety)
            }
        ),
        Err(ErrorCode::UnknownTheme)
    );
    assert_eq!(room.state.notes[&bus].place.theme(), Some(transport));
    room.facilitator(Command::DeleteTheme { theme: transport })
        .unwrap();
    assert_eq!(
        room.state.notes[&bus].place,
        Place::default(),
        "back to unsorted"
    );
    assert!(room.state.themes.is_empty());
}

#[test]
fn suggested_themes_are_accepted_in_part_and_the_rest_dismissed() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    for text in [
        "Bussen går for sjeldan",
        "Fleire bussar på kvelden",
        "Gratis busskort",
        "Gratis skulemat",
        "Sunn mat i kantina",
        "Lunsjen er for kort",
    ] {
        post(&mut room, person(pupil), text).unwrap();
    }
    room.facilitator(Command::SuggestThemes { step: None })
        .unwrap();
    let suggestion = room.state.suggestion.clone().expect("themes proposed");
    assert!(suggestion.themes.len() >= 2, "{suggestion:?}");
    let first = ThemeId::random();
    room.facilitator(Command::AcceptSuggestion {
        accept: vec![(0, first)],
    })
    .unwrap();
    let accepted = &suggestion.themes[0];
    assert_eq!(room.state.theme(first).unwrap().name, accepted.label);
    for note in &accepted.notes {
        assert_eq!(room.state.notes[note].place.theme(), Some(first));
    }
    assert_eq!(
        room.state.suggestion.as_ref().unwrap().themes.len(),
        suggestion.themes.len() - 1
    );
    room.facilitator(Command::DismissSuggestion).unwrap();
    assert!(room.state.suggestion.is_none());
    // Nothing left to sort.
    let mut lonely = Room::new();
    assert_eq!(
        lonely.facilitator(Command::SuggestThemes { step: None }),
        Err(ErrorCode::NothingToSuggest)
    );
}

/// "Sort the rest into my themes": the facilitator names two themes and sorts one note into
/// each; Ordet proposes a theme for every unsorted note that is alike to one, with how sure
/// and why; the facilitator accepts some, the rest stay proposed, and the accepted ones can
/// be taken back.
#[test]
fn the_rest_is_sorted_into_the_facilitators_themes_on_acceptance_with_undo() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    assert_eq!(
        room.facilitator(Command::SortIntoThemes { step: None }),
        Err(ErrorCode::NoThemesYet)
    );
    let bus = theme(&mut room, "Bussen");
    let food = theme(&mut room, "Skulemat");
    let seeds = [
        (
            post(&mut room, person(pupil), "Bussen går for sjeldan").unwrap(),
            bus,
        ),
        (
            post(&mut room, person(pupil), "Gratis skulemat for alle").unwrap(),
            food,
        ),
    ];
    for (note, theme) in seeds {
        place(&mut room, note, Place::Wall { theme: Some(theme) }).unwrap();
    }
    assert_eq!(
        room.facilitator(Command::SortIntoThemes { step: None }),
        Err(ErrorCode::NothingToSort)
    );
    let late_bus = post(&mut room, person(pupil), "Bussane om kvelden er fulle").unwrap();
    let lunch = post(&mut room, person(pupil), "Skulematen er kald").unwrap();
    let stray = post(&mut room, person(pupil), "Eg likar fotball").unwrap();
    assert_eq!(
        room.run(person(pupil), Command::SortIntoThemes { step: None }),
        Err(ErrorCode::NotAllowed)
    );
    room.facilitator(Command::SortIntoThemes { step: None })
        .unwrap();
    let proposed = room.state.suggestion.clone().expect("placements proposed");
    assert!(proposed.themes.is_empty(), "no new themes: {proposed:?}");
    let of = |note: NoteId| proposed.placements.iter().find(|p| p.note == note);
    assert_eq!(of(late_bus).map(|p| p.theme), Some(bus));
    assert_eq!(of(lunch).map(|p| p.theme), Some(food));
    assert!(of(stray).is_none(), "alike to no theme: stays unsorted");
    let why = of(late_bus).unwrap();
    assert!(why.sure > 50, "{why:?}");
    assert!(
        why.words
            .iter()
            .any(|w| w.to_lowercase().starts_with("buss")),
        "says why: {why:?}"
    );
    // Nothing moves until the facilitator accepts; one accepted, the other stays proposed.
    assert_eq!(
        room.state.notes[&late_bus].place,
        Place::Wall { theme: None }
    );
    room.facilitator(Command::AcceptPlacements {
        notes: vec![late_bus],
    })
    .unwrap();
    assert_eq!(room.state.notes[&late_bus].place.theme(), Some(bus));
    assert_eq!(room.state.notes[&lunch].place, Place::Wall { theme: None });
    let left = room
        .state
        .suggestion
        .clone()
        .expect("the rest still proposed");
    assert_eq!(left.placements.len(), proposed.placements.len() - 1);
    // Undo: back to unsorted, only if it is still where it was put.
    room.facilitator(Command::ReturnNotes {
        notes: vec![(late_bus, bus), (lunch, bus)],
    })
    .unwrap();
    assert_eq!(
        room.state.notes[&late_bus].place,
        Place::Wall { theme: None }
    );
    assert_eq!(room.state.notes[&lunch].place, Place::Wall { theme: None });
    // Accepting the rest ends the proposal.
    room.facilitator(Command::AcceptPlacements {
        notes: left.placements.iter().map(|p| p.note).collect(),
    })
    .unwrap();
    assert_eq!(room.state.notes[&lunch].place.theme(), Some(food));
    assert!(room.state.suggestion.is_none());
}

#[test]
fn the_wall_shows_a_mode_and_focuses_on_existing_things_only() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let note = post(&mut room, person(pupil), "Gratis buss").unwrap();
    let wall = Wall {
        mode: WallMode::ByTheme,
        focus: Some(Focus::Note { note }),
        whole_conference: true,
    };
    room.facilitator(Command::SetWall { wall }).unwrap();
    assert_eq!(room.state.wall, wall);
    let gone = Wall {
        focus: Some(Focus::Theme {
            theme: ThemeId::random(),
        }),
        ..wall
    };
    assert_eq!(
        room.facilitator(Command::SetWall { wall: gone }),
        Err(ErrorCode::UnknownTheme)
    );
    assert_eq!(
        room.run(person(pupil), Command::SetWall { wall }),
        Err(ErrorCode::NotAllowed)
    );
}

fn cast(
    room: &mut Room,
    who: ParticipantId,
    votes: &[(ThemeId, u8)],
) -> Result<Vec<Event>, ErrorCode> {
    room.run(
        person(who),
        Command::CastVotes {
            votes: votes
                .iter()
                .map(|(t, d)| Vote {
                    item: t.0,
                    dots: *d,
                })
                .collect(),
        },
    )
}

#[test]
fn dot_voting_keeps_budget_and_limits_hides_results_until_revealed_and_keeps_ballots_secret() {
    let mut room = Room::new();
    let youth: Vec<ParticipantId> = (0..3).map(|_| room.join(BuiltinRole::Youth)).collect();
    let parents: Vec<ParticipantId> = (0..2).map(|_| room.join(BuiltinRole::Parent)).collect();
    let themes: Vec<ThemeId> = ["Buss", "Mat", "Lys", "Klubb", "Hall", "Skjerm", "Mobbing"]
        .iter()
        .map(|n| theme(&mut room, n))
        .collect();
    assert_eq!(
        cast(&mut room, youth[0], &[(themes[0], 1)]),
        Err(ErrorCode::NoVoting)
    );
    room.facilitator(Command::OpenVoting {
        setup: VotingSetup {
            on: VoteOn::Themes,
            budget: 0,
            per_item_max: 2,
            hide_results: true,
        },
    })
    .unwrap();
    let voting = room.state.voting.clone().unwrap();
    assert_eq!(voting.setup.budget, 3, "about one dot per three options");
    assert_eq!(
        cast(&mut room, youth[0], &[(themes[0], 3)]),
        Err(ErrorCode::VoteOverMax)
    );
    assert_eq!(
        cast(&mut room, youth[0], &[(themes[0], 2), (themes[1], 2)]),
        Err(ErrorCode::VoteOverBudget)
    );
    assert_eq!(
        room.run(
            person(youth[0]),
            Command::CastVotes {
                votes: vec![Vote {
                    item: uuid::Uuid::nil(),
                    dots: 1
                }]
            }
        ),
        Err(ErrorCode::UnknownItem)
    );
    for voter in &youth {
        cast(&mut room, *voter, &[(themes[0], 2), (themes[1], 1)]).unwrap();
    }
    // Moving dots: the whole ballot again.
    let events = cast(&mut room, youth[2], &[(themes[2], 2), (themes[1], 1)]).unwrap();
    for voter in &parents {
        cast(&mut room, *voter, &[(themes[2], 1)]).unwrap();
    }
    let hidden = room.state.voting.clone().unwrap();
    assert_eq!(hidden.voters, 5);
    assert_eq!(hidden.results, None, "hidden until revealed");
    // What a screen receives names no voter and carries no dots.
    let seen = serde_json::to_string(&sent_to_the_console(&events)).unwrap();
    assert!(!seen.contains(&youth[2].to_string()), "{seen}");
    assert!(seen.contains(r#""voter":null,"votes":[]"#), "{seen}");
    let snapshot =
        serde_json::to_string(project_state(&room.state, Audience::Facilitator).state()).unwrap();
    assert!(!snapshot.contains("ballots") && !snapshot.contains("authors"));
    assert!(
        serde_json::to_string(&room.state)
            .unwrap()
            .contains("ballots"),
        "the server keeps them"
    );

    room.facilitator(Command::CloseVoting).unwrap();
    assert_eq!(
        cast(&mut room, youth[0], &[(themes[3], 1)]),
        Err(ErrorCode::VotingClosed)
    );
    room.facilitator(Command::RevealResults).unwrap();
    let results = room.state.voting.clone().unwrap().results.unwrap();
    let dots = |t: ThemeId| results.iter().find(|r| r.item == t.0).unwrap().dots;
    assert_eq!(
        (dots(themes[0]), dots(themes[1]), dots(themes[2])),
        (4, 3, 4)
    );
    let lights = results.iter().find(|r| r.item == themes[2].0).unwrap();
    assert_eq!(
        lights.by_role,
        vec![],
        "the parents (2 voters) are not broken out, nor the youth: the parents' dots would be \
         the total minus the youth's"
    );
    let ranks = voting::ranks(results.iter().map(|r| r.dots));
    assert_eq!(
        &ranks[..3],
        &[1, 1, 3],
        "4 and 4 tie; 3 is more than a tenth below: {results:?}"
    );
}

#[test]
fn ranks_share_places_only_for_near_ties() {
    assert_eq!(
        voting::ranks([40, 39, 30, 12, 12, 2]),
        vec![1, 1, 3, 4, 4, 6]
    );
}

#[test]
fn what_screens_receive_never_names_a_writer() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let note = NoteId::random();
    let events = room
        .run(
            person(pupil),
            Command::PostNote {
                note,
                text: "Hei".into(),
                question: None,
                for_group: false,
            },
        )
        .unwrap();
    assert_eq!(room.state.private.authors[&note], pupil, "the server knows");
    let sent = sent_to_the_console(&events);
    let json = serde_json::to_string(&sent).unwrap();
    assert!(!json.contains(&pupil.to_string()), "{json}");
    let mut screen = State::default();
    for event in &sent {
        screen.apply_screen(event);
    }
    assert!(screen.private.authors.is_empty());
}

/// `events`, numbered from 1, as the facilitator's console receives them: the screen that
/// sees the most.
fn sent_to_the_console(events: &[Event]) -> Vec<ordet_shared::audience::ScreenEvent> {
    events
        .iter()
        .enumerate()
        .filter_map(|(i, event)| {
            let sequenced = SequencedEvent {
                seq: i as u64 + 1,
                event: event.clone(),
            };
            project_event(&sequenced, Audience::Facilitator)
        })
        .collect()
}

/// One thing the facilitator may do to notes and themes.
#[derive(Clone, Debug)]
enum Move {
    ToTheme(usize, usize),
    Unsort(usize),
    Hide(usize),
    Merge(usize, usize),
    DeleteTheme(usize),
    MergeThemes(usize, usize),
    NewTheme,
}

fn moves() -> impl Strategy<Value = Move> {
    prop_oneof![
        (0..8usize, 0..4usize).prop_map(|(n, t)| Move::ToTheme(n, t)),
        (0..8usize).prop_map(Move::Unsort),
        (0..8usize).prop_map(Move::Hide),
        (0..8usize, 0..8usize).prop_map(|(a, b)| Move::Merge(a, b)),
        (0..4usize).prop_map(Move::DeleteTheme),
        (0..4usize, 0..4usize).prop_map(|(a, b)| Move::MergeThemes(a, b)),
        Just(Move::NewTheme),
    ]
}

proptest! {
    #[test]
    fn every_note_is_always_in_exactly_one_valid_place(script in proptest::collection::vec(moves(), 1..60)) {
        let mut room = Room::new();
        let pupil = room.join(BuiltinRole::Youth);
        let notes: Vec<NoteId> = (0..8).map(|i| post(&mut room, person(pupil), &format!("Lapp {i}")).unwrap()).collect();
        let mut themes: Vec<ThemeId> = (0..2).map(|i| theme(&mut room, &format!("Tema {i}"))).collect();
        for step in script {
            // Refusals are fine; what matters is the state after whatever was allowed.
            let _ = match step {
                Move::ToTheme(n, t) => place(&mut room, notes[n], Place::Wall { theme: themes.get(t).copied() }),
                Move::Unsort(n) => place(&mut room, notes[n], Place::default()),
                Move::Hide(n) => place(&mut room, notes[n], Place::Hidden),
                Move::Merge(a, b) => place(&mut room, notes[a], Place::Merged { into: notes[b] }),
                Move::DeleteTheme(t) => match themes.get(t) {
                    Some(theme) => room.facilitator(Command::DeleteTheme { theme: *theme }),
                    None => Ok(vec![]),
                },
                Move::MergeThemes(a, b) => match (themes.get(a), themes.get(b)) {
                    (Some(x), Some(y)) => room.facilitator(Command::MergeThemes { theme: *x, into: *y }),
                    _ => Ok(vec![]),
                },
                Move::NewTheme => {
                    themes.push(theme(&mut room, "Nytt"));
                    Ok(vec![])
                }
            };
            themes.retain(|t| room.state.theme(*t).is_some());
            for note in room.state.notes.values() {
                match note.place {
                    Place::Wall { theme: Some(t) } => prop_assert!(room.state.theme(t).is_some(), "{:?} in a deleted theme", note.id),
                    Place::Merged { into } => {
                        let target = &room.state.notes[&into];
                        prop_assert!(target.place.is_visible(), "merged into a note that is not on the wall");
                        prop_assert_ne!(into, note.id);
                    }
                    _ => {}
                }
            }
            prop_assert_eq!(room.state.notes.len(), notes.len(), "no note lost or doubled");
        }
    }
}

#[test]
fn a_note_written_outside_any_step_has_no_step_or_question() {
    let mut room = Room::new();
    let pupil = room.join(BuiltinRole::Youth);
    let note = post(&mut room, person(pupil), "Utan steg").unwrap();
    assert_eq!(room.state.notes[&note].step, None);
    assert_eq!(room.state.notes[&note].question, None);
}
