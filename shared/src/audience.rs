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
//! - **A participant's phone** gets what the room sees, less the people: of the participants
//!   only itself and those it sits with in a group, of the groups only its own, of the talking
//!   rounds only its groups' and the plenary's. Its part is its [`Seat`], sent whole whenever
//!   it changes; so no phone learns the names or roles in other groups, and a join is told to
//!   the facilitator, the projector and the joining phone, not to every phone.
//! - **A phone that has not joined** gets what the join form needs — the title, language,
//!   roles and whether joining is open — and nothing else; after *Close joining* it is not
//!   admitted at all.

use serde::{Deserialize, Serialize};

use crate::anonymity;
use std::collections::{BTreeMap, BTreeSet};

use crate::event::{Event, SequencedEvent};
use crate::ids::{GroupId, ParticipantId, StepId};
use crate::notes::Place;
use crate::programme::Group;
use crate::state::{Note, Participant, Private, State};
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

/// The audiences whose screens receive the same bytes for an event or a snapshot (a phone
/// is also sent its own [`Seat`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// The facilitator's console.
    Facilitator,
    /// The projector.
    Projector,
    /// Every participant's phone.
    Phone,
    /// Phones on the join form.
    Joining,
}

impl Audience {
    /// Which frames this audience receives.
    pub fn class(self) -> Class {
        match self {
            Audience::Facilitator => Class::Facilitator,
            Audience::Projector => Class::Projector,
            Audience::Participant(_) => Class::Phone,
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
    if let Audience::Participant(me) = audience {
        // What every phone shares, then this phone's own part.
        view.participants.clear();
        view.programme.groups.clear();
        view.programme.grouping.clear();
        keep_plenary_rounds(&mut view);
        view.apply_seat(&seat(state, me));
    }
    View(view)
}

/// Keeps only the plenary rounds (those of no group), and no step without rounds.
fn keep_plenary_rounds(view: &mut State) {
    for rounds in view.programme.rounds.values_mut() {
        rounds.retain(|r| r.group.is_none());
    }
    view.programme.rounds.retain(|_, rounds| !rounds.is_empty());
}

/// A phone's own part of the room, sent whole whenever it changes: the people it may know
/// (itself and whoever sits in a group with it), its groups, and their talking rounds. It
/// replaces the phone's previous seat; everything else on the phone is what every phone
/// shares.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Seat {
    /// The phone's participant and those it sits with, in any step.
    pub people: Vec<Participant>,
    /// For each step where the phone sits in a group: that group.
    pub groups: BTreeMap<StepId, Vec<Group>>,
    /// The talking rounds of those groups, per step.
    pub rounds: BTreeMap<StepId, Vec<Round>>,
}

/// The seat of `me` in `state`.
pub fn seat(state: &State, me: ParticipantId) -> Seat {
    let mut people = BTreeSet::from([me]);
    let mut seat = Seat::default();
    for (step, groups) in &state.programme.groups {
        let Some(group) = groups.iter().find(|g| g.members.contains(&me)) else {
            continue;
        };
        people.extend(group.members.iter().copied());
        seat.groups.insert(*step, vec![group.clone()]);
        let rounds: Vec<Round> = state
            .programme
            .rounds
            .get(step)
            .into_iter()
            .flatten()
            .filter(|r| r.group == Some(group.id))
            .map(|r| round_for(r, Class::Phone))
            .collect();
        if !rounds.is_empty() {
            seat.rounds.insert(*step, rounds);
        }
    }
    seat.people = people
        .into_iter()
        .filter_map(|id| state.participants.get(&id).cloned())
        .collect();
    seat
}

/// Who sits in a group with `who` in any step, `who` included (if they joined).
fn knowers(state: &State, who: ParticipantId) -> BTreeSet<ParticipantId> {
    let mut knowers = BTreeSet::new();
    if state.participants.contains_key(&who) {
        knowers.insert(who);
    }
    for groups in state.programme.groups.values() {
        if let Some(group) = groups.iter().find(|g| g.members.contains(&who)) {
            knowers.extend(group.members.iter().copied());
        }
    }
    knowers
}

/// Members of the groups of `step`.
fn members_of_step(state: &State, step: StepId) -> impl Iterator<Item = ParticipantId> + '_ {
    state
        .programme
        .groups
        .get(&step)
        .into_iter()
        .flatten()
        .flat_map(|g| g.members.iter().copied())
}

/// Members of `group` in `step`.
fn members_of(state: &State, step: StepId, group: GroupId) -> Vec<ParticipantId> {
    state
        .programme
        .group(step, group)
        .map(|g| g.members.clone())
        .unwrap_or_default()
}

/// `event` as `audience` may see it; `None` when that audience is not told of it. For a
/// participant this is what every phone is told; [`tell`] adds what some phones are told
/// in its place (their own seat, their group's events).
pub fn project_event(event: &SequencedEvent, audience: Audience) -> Option<ScreenEvent> {
    let class = audience.class();
    let room = class != Class::Joining;
    let phone = class == Class::Phone;
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
        // A group's round goes to its own phones only (see `tell`); the plenary to all.
        Event::RoundChanged { round, .. } if phone && round.group.is_some() => None,
        Event::RoundChanged { step, round } => seen(Event::RoundChanged {
            step: *step,
            round: round_for(round, class),
        }),
        // People and groups: a phone hears of them through its seat (see `tell`).
        Event::ParticipantJoined { .. }
        | Event::ProfileChanged { .. }
        | Event::GroupsFormed { .. }
        | Event::GroupAdded { .. }
        | Event::MemberMoved { .. }
        | Event::GroupJobsSet { .. }
        | Event::GroupRenamed { .. }
            if phone =>
        {
            None
        }
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

/// One message for a screen: an event, or a phone's new seat.
#[derive(Clone, Debug, PartialEq)]
pub enum Told {
    /// An event, as this screen's audience may see it.
    Event(ScreenEvent),
    /// The phone's seat, replacing the one it had.
    Seat(Seat),
}

/// Phones whose seat an event may change, noted before the event is applied (see [`tell`]).
#[derive(Debug, Default)]
pub struct Watch(BTreeSet<ParticipantId>);

/// Notes, before `event` is applied to `state`, the phones that sit with someone it moves.
pub fn watch(state: &State, event: &Event) -> Watch {
    let mut watched = BTreeSet::new();
    match event {
        Event::GroupsFormed { step, .. } | Event::StepRemoved { step } => {
            watched.extend(members_of_step(state, *step))
        }
        Event::MemberMoved {
            step, participant, ..
        } => {
            if let Some(group) = state.programme.group_of(*step, *participant) {
                watched.extend(group.members.iter().copied());
            }
        }
        Event::ParticipantRemoved { participant, .. } => {
            // The removed phone too: its seat empties.
            watched.extend(knowers(state, *participant));
        }
        _ => {}
    }
    Watch(watched)
}

/// What particular phones are told of `event` in place of what every phone is told
/// ([`project_event`] for a participant): lists of phones and, for each list, the messages
/// every phone in it gets, in order. `state` is the state after the event; `watch` was taken
/// before it. Phones whose seat changed get the new seat after the shared event; the
/// members of a group get that group's own events; a join and a new name go to those who
/// may know the person.
pub fn tell(
    state: &State,
    event: &SequencedEvent,
    watch: Watch,
) -> Vec<(Vec<ParticipantId>, Vec<Told>)> {
    let told_as = |who: Vec<ParticipantId>| -> Vec<(Vec<ParticipantId>, Vec<Told>)> {
        let who: Vec<ParticipantId> = who
            .into_iter()
            .filter(|p| state.participants.contains_key(p))
            .collect();
        if who.is_empty() {
            return vec![];
        }
        vec![(who, vec![Told::Event(ScreenEvent(event.clone()))])]
    };
    let mut seated = watch.0;
    match &event.event {
        Event::ParticipantJoined { participant } => return told_as(vec![participant.id]),
        Event::ProfileChanged { participant, .. } => {
            return told_as(knowers(state, *participant).into_iter().collect());
        }
        Event::GroupJobsSet { step, group, .. } | Event::GroupRenamed { step, group, .. } => {
            return told_as(members_of(state, *step, *group));
        }
        Event::RoundChanged { step, round } => {
            let Some(group) = round.group else {
                return vec![];
            };
            let seen = ScreenEvent(SequencedEvent {
                seq: event.seq,
                event: Event::RoundChanged {
                    step: *step,
                    round: round_for(round, Class::Phone),
                },
            });
            let who = members_of(state, *step, group);
            return if who.is_empty() {
                vec![]
            } else {
                vec![(who, vec![Told::Event(seen)])]
            };
        }
        Event::GroupsFormed { step, .. } => seated.extend(members_of_step(state, *step)),
        Event::GroupAdded { step, group } => seated.extend(members_of(state, *step, group.id)),
        Event::MemberMoved { step, to, .. } => seated.extend(members_of(state, *step, *to)),
        _ => {}
    }
    seated.retain(|p| state.participants.contains_key(p) || state.removed.contains(p));
    if seated.is_empty() {
        return vec![];
    }
    let shared = project_event(
        event,
        Audience::Participant(ParticipantId(uuid::Uuid::nil())),
    );
    // Phones that sit in the same groups have the same seat: made and sent once for them all
    // (a phone seated nowhere has a seat of its own person alone).
    type SeatKey = (Vec<(StepId, GroupId)>, Option<ParticipantId>);
    let mut by_seat: BTreeMap<SeatKey, Vec<ParticipantId>> = BTreeMap::new();
    for phone in seated {
        let key: Vec<(StepId, GroupId)> = state
            .programme
            .groups
            .iter()
            .filter_map(|(step, groups)| {
                groups
                    .iter()
                    .find(|g| g.members.contains(&phone))
                    .map(|g| (*step, g.id))
            })
            .collect();
        let alone = key.is_empty().then_some(phone);
        by_seat.entry((key, alone)).or_default().push(phone);
    }
    by_seat
        .into_values()
        .map(|phones| {
            let mut told: Vec<Told> = shared.iter().cloned().map(Told::Event).collect();
            told.push(Told::Seat(seat(state, phones[0])));
            (phones, told)
        })
        .collect()
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

    /// Takes a phone's new [`Seat`] in place of its old one: the people it knows, its
    /// groups and their rounds (the plenary rounds, which every phone shares, stay).
    pub fn apply_seat(&mut self, seat: &Seat) {
        self.participants = seat.people.iter().map(|p| (p.id, p.clone())).collect();
        self.programme.groups = seat.groups.clone();
        keep_plenary_rounds(self);
        for (step, rounds) in &seat.rounds {
            self.programme
                .rounds
                .entry(*step)
                .or_default()
                .extend(rounds.iter().cloned());
        }
    }

    /// Applies a message made for this screen.
    pub fn apply_told(&mut self, told: &Told) {
        match told {
            Told::Event(event) => {
                self.apply_screen(event);
            }
            Told::Seat(seat) => self.apply_seat(seat),
        }
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
