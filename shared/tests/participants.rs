//! Removing a participant and their notes (the facilitator's answer to fake participants),
//! through `decide` and `apply` as the server runs them: their notes leave the wall and the
//! themes, notes merged into theirs come back, a round they spoke in moves on, their groups'
//! jobs pass to others, their dots stop counting, and their device can neither act nor join
//! again. After every removal a projector that applied only the events projected for it has
//! exactly the server's state projected for it, and nothing points at the person or their
//! notes.

mod support;

use ordet_shared::audience::{Audience, project_event, project_state};
use ordet_shared::command::{Actor, Command};
use ordet_shared::notes::{Focus, Place, Wall, WallMode};
use ordet_shared::programme::{GroupingMode, Step, StepKind};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::state::{BuiltinRole, State};
use ordet_shared::turns::{self, TurnAction, TurnOrder, TurnSettings};
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{Event, NoteId, ParticipantId, SequencedEvent, StepId, ThemeId};
use support::Room;

/// A room and a projector that only ever sees what the server broadcasts.
struct Watched {
    room: Room,
    screen: State,
}

impl Watched {
    fn new() -> Watched {
        let room = Room::new();
        let screen = project_state(&room.state, Audience::Projector).into_state();
        Watched { room, screen }
    }

    fn run(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, ErrorCode> {
        let first = self.room.state.seq + 1;
        let events = self.room.run(actor, command)?;
        for (i, event) in events.iter().enumerate() {
            let sequenced = SequencedEvent {
                seq: first + i as u64,
                event: event.clone(),
            };
            if let Some(seen) = project_event(&sequenced, Audience::Projector) {
                self.screen.apply_screen(&seen);
            }
        }
        Ok(events)
    }

    fn facilitator(&mut self, command: Command) -> Result<Vec<Event>, ErrorCode> {
        self.run(Actor::Facilitator, command)
    }

    fn join(&mut self, name: &str, role: BuiltinRole) -> ParticipantId {
        let id = ParticipantId::random();
        let join = Command::Join {
            name: Some(name.into()),
            role: role.id(),
        };
        self.room.now.0 += 1000;
        self.run(Actor::Participant { id }, join).expect("joined");
        id
    }

    fn post(&mut self, who: ParticipantId, text: &str) -> NoteId {
        let note = NoteId::random();
        self.run(
            Actor::Participant { id: who },
            Command::PostNote {
                note,
                text: text.into(),
                question: None,
                for_group: false,
            },
        )
        .expect("posted");
        note
    }

    fn theme(&mut self, name: &str) -> ThemeId {
        let theme = ThemeId::random();
        self.facilitator(Command::CreateTheme {
            theme,
            name: name.into(),
        })
        .unwrap();
        theme
    }

    fn place(&mut self, note: NoteId, place: Place) {
        self.facilitator(Command::PlaceNote { note, place })
            .expect("placed");
    }

    fn remove(&mut self, participant: ParticipantId) -> Vec<Event> {
        self.facilitator(Command::RemoveParticipant { participant })
            .expect("removed")
    }

    /// What must hold after a removal: the screen agrees with the server, and nothing in the
    /// state points at `gone` or at a note that no longer exists.
    fn check_nothing_dangles(&self, gone: ParticipantId) {
        let state = &self.room.state;
        assert_eq!(
            self.screen,
            project_state(state, Audience::Projector).into_state(),
            "the screen agrees"
        );
        assert!(!state.participants.contains_key(&gone));
        assert!(state.removed.contains(&gone));
        assert!(!state.private.authors.values().any(|a| *a == gone));
        assert!(!state.private.ballots.contains_key(&gone));
        for note in state.notes.values() {
            if let Place::Merged { into } = note.place {
                assert!(
                    state.notes.contains_key(&into),
                    "merged into a missing note"
                );
            }
        }
        if let Some(Focus::Note { note }) = state.wall.focus {
            assert!(
                state.notes.contains_key(&note),
                "the wall shows a missing note"
            );
        }
        if let Some(suggestion) = &state.suggestion {
            for theme in &suggestion.themes {
                assert!(theme.notes.iter().all(|n| state.notes.contains_key(n)));
            }
        }
        for groups in state.programme.groups.values() {
            for group in groups {
                assert!(!group.members.contains(&gone));
                for job in [group.leader, group.note_taker, group.reporter] {
                    assert_ne!(job, Some(gone), "a job held by someone who left");
                }
            }
        }
        for rounds in state.programme.rounds.values() {
            for round in rounds {
                assert!(!round.queue.contains(&gone));
                assert_ne!(round.speaker(), Some(gone));
                assert!(round.turns.iter().all(|t| t.speaker != gone));
            }
        }
        let counted: usize = state.role_counts().iter().map(|(_, n)| *n).sum();
        assert_eq!(counted, state.participants.len(), "counts by role add up");
    }
}

#[test]
fn removing_a_participant_takes_their_notes_off_the_wall_out_of_themes_and_proposals() {
    let mut w = Watched::new();
    let fake = w.join("Kari", BuiltinRole::Youth);
    let real = w.join("Ola", BuiltinRole::Parent);
    let spam: Vec<NoteId> = (0..3)
        .map(|i| w.post(fake, &format!("Reklame {i} for gratis mobil")))
        .collect();
    let kept = w.post(real, "Fleire benkar i skulegarden");
    let also_kept = w.post(real, "Gratis mobil til alle elevar");
    let theme = w.theme("Skulegarden");
    w.place(spam[0], Place::Wall { theme: Some(theme) });
    w.place(kept, Place::Wall { theme: Some(theme) });
    w.place(spam[1], Place::Hidden);
    w.facilitator(Command::SetWall {
        wall: Wall {
            mode: WallMode::Newest,
            focus: Some(Focus::Note { note: spam[2] }),
            whole_conference: true,
        },
    })
    .unwrap();
    w.facilitator(Command::SuggestThemes { step: None })
        .unwrap();
    assert!(w.room.state.suggestion.is_some());

    let events = w.remove(fake);
    let Some(Event::ParticipantRemoved { participant, notes }) = events
        .iter()
        .find(|e| matches!(e, Event::ParticipantRemoved { .. }))
    else {
        panic!("no removal in {events:?}");
    };
    assert_eq!(*participant, fake);
    let mut listed = notes.clone();
    listed.sort();
    let mut written = spam.clone();
    written.sort();
    assert_eq!(
        listed, written,
        "every note they wrote, hidden ones too, and no other"
    );

    let state = &w.room.state;
    assert!(spam.iter().all(|n| !state.notes.contains_key(n)));
    assert!(state.notes.contains_key(&kept) && state.notes.contains_key(&also_kept));
    assert_eq!(state.notes[&kept].place, Place::Wall { theme: Some(theme) });
    assert!(
        state.theme(theme).is_some(),
        "the theme stays with the others' notes"
    );
    assert_eq!(
        state.wall.focus, None,
        "the wall no longer shows their note large"
    );
    assert_eq!(state.participants.len(), 1);
    let counts: Vec<usize> = state.role_counts().iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, vec![0, 1, 0, 0, 0, 0]);
    w.check_nothing_dangles(fake);

    // Asking again (a retried command) changes nothing; a stranger cannot be removed.
    assert!(w.remove(fake).is_empty());
    assert_eq!(
        w.facilitator(Command::RemoveParticipant {
            participant: ParticipantId::random()
        }),
        Err(ErrorCode::UnknownParticipant)
    );
}

#[test]
fn notes_merged_into_a_removed_note_come_back_and_theirs_merged_elsewhere_just_go() {
    let mut w = Watched::new();
    let fake = w.join("Kari", BuiltinRole::Youth);
    let real = w.join("Ola", BuiltinRole::Parent);
    let theirs = w.post(fake, "Meir lys i gymsalen");
    let duplicate_of_theirs = w.post(real, "Meir lys i gymsalen!");
    let mine = w.post(real, "Betre busstilbod");
    let theirs_on_mine = w.post(fake, "Betre buss");
    let theme = w.theme("Gymsalen");
    w.place(theirs, Place::Wall { theme: Some(theme) });
    w.place(duplicate_of_theirs, Place::Merged { into: theirs });
    w.place(theirs_on_mine, Place::Merged { into: mine });

    w.remove(fake);
    let state = &w.room.state;
    assert_eq!(
        state.notes[&duplicate_of_theirs].place,
        Place::Wall { theme: Some(theme) },
        "back on the wall where the note it was merged into was"
    );
    assert_eq!(state.notes[&mine].place, Place::Wall { theme: None });
    assert!(!state.notes.contains_key(&theirs_on_mine));
    assert_eq!(state.notes.len(), 2);
    w.check_nothing_dangles(fake);
}

fn round_step(w: &mut Watched) -> StepId {
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(1800),
        notes_open: true,
        per_group: false,
        turns: Some(TurnSettings {
            speaker_secs: 300,
            order: TurnOrder::JoinOrder,
            auto_advance: false,
            discussion_secs: 120,
        }),
    };
    let id = step.id;
    w.facilitator(Command::AddStep { step, index: None })
        .unwrap();
    w.facilitator(Command::SetGroupSettings {
        size: 8,
        prefer_youth_leader: true,
    })
    .unwrap();
    w.facilitator(Command::FormGroups {
        step: id,
        mode: GroupingMode::Mixed,
    })
    .unwrap();
    w.facilitator(Command::StartStep { step: id }).unwrap();
    id
}

#[test]
fn a_round_whose_speaker_is_removed_moves_on_and_their_jobs_pass_to_others() {
    let mut w = Watched::new();
    let fake = w.join("Kari", BuiltinRole::Youth);
    let parent = w.join("Ola", BuiltinRole::Parent);
    let teacher = w.join("Per", BuiltinRole::Teacher);
    let step = round_step(&mut w);
    let group = w.room.state.programme.groups[&step][0].clone();
    assert_eq!(group.leader, Some(fake), "the youth leads");
    w.facilitator(Command::Turn {
        step,
        group: Some(group.id),
        action: TurnAction::Start,
    })
    .unwrap();
    let round = turns::round_of(&w.room.state, step, Some(group.id)).unwrap();
    assert_eq!(round.speaker(), Some(fake));

    w.room.now.0 += 60_000;
    w.remove(fake);
    let state = &w.room.state;
    let round = turns::round_of(state, step, Some(group.id)).unwrap();
    assert_eq!(
        round.speaker(),
        Some(parent),
        "the next in the queue has the floor"
    );
    assert_eq!(round.queue, vec![teacher]);
    assert_eq!(
        round.clock().remaining_ms(w.room.now),
        Some(300_000),
        "a whole turn, from now"
    );
    assert!(round.turns.is_empty(), "their turn is not on record");
    let group = state.programme.groups[&step][0].clone();
    assert_eq!(group.members, vec![parent, teacher]);
    assert!(group.leader.is_some() && group.note_taker.is_some() && group.reporter.is_some());
    w.check_nothing_dangles(fake);

    // The round still works: the parent hands on, then the teacher, then the discussion.
    w.facilitator(Command::Turn {
        step,
        group: Some(group.id),
        action: TurnAction::Next { current: parent },
    })
    .unwrap();
    let round = turns::round_of(&w.room.state, step, Some(group.id)).unwrap();
    assert_eq!(round.speaker(), Some(teacher));
}

#[test]
fn a_group_only_the_removed_person_sat_in_goes_with_its_round() {
    let mut w = Watched::new();
    let pupils: Vec<ParticipantId> = (0..8)
        .map(|i| w.join(&format!("Elev {i}"), BuiltinRole::Youth))
        .collect();
    let step = round_step(&mut w);
    // A late arrival finds the only table full (eight) and gets a table of their own.
    let late = w.join("Sein", BuiltinRole::Parent);
    let groups = &w.room.state.programme.groups[&step];
    assert_eq!(groups.len(), 2, "a new table for the late arrival");
    let alone = groups[1].clone();
    assert_eq!(alone.members, vec![late]);
    w.facilitator(Command::Turn {
        step,
        group: Some(alone.id),
        action: TurnAction::Start,
    })
    .unwrap();

    w.remove(late);
    let state = &w.room.state;
    assert_eq!(state.programme.groups[&step].len(), 1);
    assert!(turns::round_of(state, step, Some(alone.id)).is_none());
    let mut seated = state.programme.groups[&step][0].members.clone();
    seated.sort();
    let mut pupils = pupils;
    pupils.sort();
    assert_eq!(seated, pupils, "the others keep their table");
    w.check_nothing_dangles(late);
}

#[test]
fn a_removed_voters_dots_no_longer_count() {
    let mut w = Watched::new();
    let fake = w.join("Kari", BuiltinRole::Youth);
    let real = w.join("Ola", BuiltinRole::Parent);
    let a = w.theme("Buss");
    let b = w.theme("Lys");
    w.facilitator(Command::OpenVoting {
        setup: VotingSetup {
            on: VoteOn::Themes,
            budget: 3,
            per_item_max: 3,
            hide_results: false,
        },
    })
    .unwrap();
    let vote = |item: ThemeId, dots: u8| Vote { item: item.0, dots };
    w.run(
        Actor::Participant { id: fake },
        Command::CastVotes {
            votes: vec![vote(b, 3)],
        },
    )
    .unwrap();
    w.run(
        Actor::Participant { id: real },
        Command::CastVotes {
            votes: vec![vote(a, 2)],
        },
    )
    .unwrap();
    let dots = |state: &State, item: ThemeId| {
        let results = state.voting.as_ref().unwrap().results.as_ref().unwrap();
        results.iter().find(|r| r.item == item.0).unwrap().dots
    };
    assert_eq!(w.room.state.voting.as_ref().unwrap().voters, 2);

    w.remove(fake);
    let voting = w.room.state.voting.as_ref().unwrap();
    assert_eq!(voting.voters, 1);
    assert!(voting.open, "the vote goes on");
    // Totals come at close (never while open), without the removed voter's dots.
    w.facilitator(Command::CloseVoting).unwrap();
    let state = &w.room.state;
    assert_eq!((dots(state, a), dots(state, b)), (2, 0));
    w.check_nothing_dangles(fake);
}

#[test]
fn a_removed_device_can_neither_act_nor_join_again_and_only_the_facilitator_removes() {
    let mut w = Watched::new();
    let fake = w.join("Kari", BuiltinRole::Youth);
    let other = w.join("Ola", BuiltinRole::Parent);
    for who in [Actor::Screen, Actor::Participant { id: other }] {
        assert_eq!(
            w.run(who, Command::RemoveParticipant { participant: fake }),
            Err(ErrorCode::NotAllowed)
        );
    }
    let note = w.post(fake, "Hei");
    w.remove(fake);
    let me = Actor::Participant { id: fake };
    let attempts = [
        Command::PostNote {
            note: NoteId::random(),
            text: "Eg er tilbake".into(),
            question: None,
            for_group: false,
        },
        Command::Join {
            name: Some("Kari".into()),
            role: BuiltinRole::Youth.id(),
        },
        Command::ChangeProfile {
            name: None,
            role: BuiltinRole::Parent.id(),
        },
        Command::EditNote {
            note,
            text: "Ny tekst".into(),
        },
        Command::CastVotes { votes: vec![] },
    ];
    for command in attempts {
        assert_eq!(
            w.run(me, command.clone()),
            Err(ErrorCode::ParticipantRemoved),
            "{command:?}"
        );
    }
    // Even a join event that somehow arrived would not bring them back.
    let mut state = w.room.state.clone();
    let seq = state.seq + 1;
    state.apply(&SequencedEvent {
        seq,
        event: Event::ParticipantJoined {
            participant: ordet_shared::state::Participant {
                id: fake,
                name: None,
                role: BuiltinRole::Youth.id(),
                joined_at: ordet_shared::Timestamp(0),
            },
        },
    });
    assert!(!state.participants.contains_key(&fake));
    w.check_nothing_dangles(fake);
}
