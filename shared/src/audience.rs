//! What each screen may receive. The log stores [`SequencedEvent`]s with everything the rules
//! need (who wrote a note, how each person voted); a screen receives a [`ScreenEvent`] and a
//! snapshot made for its [`Audience`], and nothing else. A `ScreenEvent` can only be made here,
//! by [`project_event`], whose `match` names every kind of event without a catch-all: a new
//! kind of event does not compile until someone decides what each audience sees of it.
//!
//! The projection of a state ([`project_state`]) and of each event are made to agree: a screen
//! that starts from a projected snapshot and applies projected events with the one reducer,
//! [`State::apply`], holds exactly the projected server state (apart from `seq`, which for an
//! audience that skips events is the last one it was sent). `shared/tests/fuzz.rs` checks this
//! for every audience after thousands of random commands.
//!
//! What each audience gets (the contract; `docs/protocol.md` has the table):
//!
//! - **Everyone**: no note's author and no ballot, ever; every note as [`anonymity::shown`]
//!   makes it, without attributes that would narrow its writer to fewer than three people.
//! - **The facilitator** also gets hidden and withdrawn notes with their text (to restore
//!   them), and the server's suggested themes.
//! - **The projector and participants** get hidden and withdrawn notes without text or name:
//!   the writer's phone still learns its note's fate (it keeps its own text), nobody else
//!   learns what it said; and talking rounds without how long each person spoke.
//! - **A phone that has not joined** gets what the join form needs — the title, language,
//!   roles and whether joining is open — and nothing else; after *Close joining* it is not
//!   admitted at all.

use serde::{Deserialize, Serialize};

use crate::anonymity;
use crate::event::{Event, SequencedEvent};
use crate::ids::ParticipantId;
use crate::notes::Place;
use crate::state::{Note, Private, State};
use crate::turns::Round;

/// Who is looking at a screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The facilitator's console.
    Facilitator,
    /// The projector.
    Projector,
    /// A participant's phone, after joining.
    Participant(ParticipantId),
    /// A phone on the join form, not yet a participant.
    Joining,
}

/// The audiences whose screens receive the same bytes: every participant gets the
/// projector's view (what the room sees), so one frame serves them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// The facilitator's console.
    Facilitator,
    /// The projector and every participant's phone.
    Room,
    /// Phones on the join form.
    Joining,
}

impl Audience {
    /// Which frames this audience receives.
    pub fn class(self) -> Class {
        match self {
            Audience::Facilitator => Class::Facilitator,
            Audience::Projector | Audience::Participant(_) => Class::Room,
            Audience::Joining => Class::Joining,
        }
    }
}

/// An event as one audience may see it; made only by [`project_event`]. It reads as the
/// [`SequencedEvent`] inside and travels as the same JSON, so every screen applies it with the
/// one reducer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ScreenEvent(SequencedEvent);

impl std::ops::Deref for ScreenEvent {
    type Target = SequencedEvent;

    fn deref(&self) -> &SequencedEvent {
        &self.0
    }
}

/// A state as one audience may see it; made only by [`project_state`].
#[derive(Clone, Debug, PartialEq)]
pub struct View(State);

impl View {
    /// The projected state.
    pub fn state(&self) -> &State {
        &self.0
    }

    /// The projected state, owned.
    pub fn into_state(self) -> State {
        self.0
    }
}

/// A note as an audience of `class` may see it.
fn note_for(note: &Note, class: Class) -> Note {
    let mut shown = anonymity::shown(note);
    if class != Class::Facilitator && matches!(note.place, Place::Hidden | Place::Withdrawn) {
        shown.text = String::new();
        shown.name = None;
    }
    shown
}

/// A talking round as an audience of `class` may see it: who spoke and in what order, but how
/// long each person had the floor only on the facilitator's console (it shows speaking time
/// pooled by role; anywhere else a person's speaking time would be shown with them).
fn round_for(round: &Round, class: Class) -> Round {
    let mut shown = round.clone();
    if class != Class::Facilitator {
        for turn in &mut shown.turns {
            turn.spoke_ms = 0;
        }
    }
    shown
}

/// The state as `audience` may see it.
pub fn project_state(state: &State, audience: Audience) -> View {
    let class = audience.class();
    if class == Class::Joining {
        return View(State {
            seq: state.seq,
            id: state.id,
            title: state.title.clone(),
            language: state.language,
            join_code: state.join_code.clone(),
            created_at: state.created_at,
            roles: state.roles.clone(),
            joining_open: state.joining_open,
            ..State::default()
        });
    }
    let mut view = State {
        private: Private::default(),
        notes: state
            .notes
            .iter()
            .map(|(id, note)| (*id, note_for(note, class)))
            .collect(),
        ..state.clone()
    };
    if class != Class::Facilitator {
        view.suggestion = None;
        for rounds in view.programme.rounds.values_mut() {
            for round in rounds.iter_mut() {
                *round = round_for(round, class);
            }
        }
    }
    View(view)
}

/// `event` as `audience` may see it; `None` when that audience is not told of it.
pub fn project_event(event: &SequencedEvent, audience: Audience) -> Option<ScreenEvent> {
    let class = audience.class();
    let room = class != Class::Joining;
    let seq = event.seq;
    let seen = |event: Event| Some(ScreenEvent(SequencedEvent { seq, event }));
    match &event.event {
        // What the join form shows: everyone.
        Event::ConferenceCreated { .. }
        | Event::ConferenceRenamed { .. }
        | Event::LanguageChanged { .. }
        | Event::RoleAdded { .. }
        | Event::RoleRenamed { .. }
        | Event::RoleRemoved { .. }
        | Event::JoiningChanged { .. } => seen(event.event.clone()),
        // A phone on the join form learns nothing of the meeting itself.
        _ if !room => None,
        // Notes: never the author; attributes pooled; hidden text only to the facilitator.
        Event::NotePosted { note, .. } => seen(Event::NotePosted {
            note: note_for(note, class),
            author: None,
        }),
        Event::NoteChanged { note } => seen(Event::NoteChanged {
            note: note_for(note, class),
        }),
        // Ballots: that someone voted, never who or how.
        Event::BallotCast { .. } => seen(Event::BallotCast {
            voter: None,
            votes: vec![],
        }),
        Event::ThemesSuggested { .. } if class == Class::Facilitator => seen(event.event.clone()),
        Event::ThemesSuggested { .. } => None,
        Event::RoundChanged { step, round } => seen(Event::RoundChanged {
            step: *step,
            round: round_for(round, class),
        }),
        // The rest of the meeting, as the room sees it. (Named one by one: a new kind of
        // event must be placed here, or above, on purpose.)
        Event::ParticipantJoined { .. }
        | Event::ParticipantRemoved { .. }
        | Event::ProfileChanged { .. }
        | Event::ThemeChanged { .. }
        | Event::ThemeRemoved { .. }
        | Event::NotesLocked { .. }
        | Event::NamesShown { .. }
        | Event::WallChanged { .. }
        | Event::VotingChanged { .. }
        | Event::StepAdded { .. }
        | Event::StepEdited { .. }
        | Event::StepRemoved { .. }
        | Event::StepMoved { .. }
        | Event::StepStarted { .. }
        | Event::ClockChanged { .. }
        | Event::GroupSettingsChanged { .. }
        | Event::GroupsFormed { .. }
        | Event::GroupAdded { .. }
        | Event::MemberMoved { .. }
        | Event::GroupJobsSet { .. }
        | Event::GroupRenamed { .. } => seen(event.event.clone()),
    }
}

/// Who joined with this event, if it is a join: that phone leaves the join form and is
/// given its view as a participant.
pub fn joined_by(event: &SequencedEvent) -> Option<ParticipantId> {
    match &event.event {
        Event::ParticipantJoined { participant } => Some(participant.id),
        _ => None,
    }
}

impl State {
    /// Applies an event made for this screen's audience (see [`State::apply`]); the same
    /// reducer the server runs.
    pub fn apply_screen(&mut self, event: &ScreenEvent) -> bool {
        self.apply(&event.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{RoleId, StepId};
    use crate::turns::{Phase, TurnRecord};

    #[test]
    fn how_long_a_person_spoke_is_told_only_to_the_console() {
        let step = StepId::random();
        let round = Round {
            group: None,
            queue: vec![],
            phase: Phase::Done,
            turns: vec![TurnRecord {
                speaker: ParticipantId::random(),
                role: RoleId::random(),
                spoke_ms: 90_000,
                passed: false,
            }],
        };
        let mut state = State::default();
        state.programme.rounds.insert(step, vec![round.clone()]);
        let event = SequencedEvent {
            seq: 1,
            event: Event::RoundChanged { step, round },
        };
        let spoke = |state: &State| state.programme.rounds[&step][0].turns[0].spoke_ms;
        let sent = |audience| match project_event(&event, audience).map(|e| e.0.event) {
            Some(Event::RoundChanged { round, .. }) => round.turns[0].spoke_ms,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            spoke(project_state(&state, Audience::Facilitator).state()),
            90_000
        );
        assert_eq!(sent(Audience::Facilitator), 90_000);
        for audience in [
            Audience::Projector,
            Audience::Participant(ParticipantId::random()),
        ] {
            assert_eq!(spoke(project_state(&state, audience).state()), 0);
            assert_eq!(sent(audience), 0);
        }
        assert!(project_event(&event, Audience::Joining).is_none());
    }
}
