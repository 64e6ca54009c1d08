//! The conference state and its reducer. [`State::apply`] is the only code that changes a
//! state; the server and every screen run it on the same events, so they agree by
//! construction. The reducer is total: an event that does not fit (unknown role, duplicate
//! note) is ignored rather than panicking, because a screen must never crash on data.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::event::{Event, SequencedEvent};
use crate::i18n::{Key, Lang};
use crate::ids::{
    ConferenceId, GroupId, NoteId, ParticipantId, RoleId, StepId, ThemeId, Timestamp,
};
use crate::join_code::JoinCode;
use crate::notes::{Place, Suggestion, Theme, Wall};
use crate::programme::{Group, Programme};
use crate::voting::{Vote, Voting};

/// The roles every new conference starts with; the facilitator can edit the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    /// Pupil or youth.
    Youth,
    /// Parent or guardian.
    Parent,
    /// Teacher or other school staff.
    Teacher,
    /// Politician.
    Politician,
    /// Municipal staff.
    Staff,
    /// Anyone else.
    Other,
}

impl BuiltinRole {
    /// All built-in roles, in the order a new conference lists them.
    pub const ALL: [BuiltinRole; 6] = [
        Self::Youth,
        Self::Parent,
        Self::Teacher,
        Self::Politician,
        Self::Staff,
        Self::Other,
    ];

    /// A fixed identifier, the same in every conference, so templates and tests can name it.
    pub fn id(self) -> RoleId {
        // "ordet" in ASCII, then the role's position: stable across versions and servers.
        const BASE: u128 = 0x6f72_6465_7400_4000_8000_0000_0000_0001;
        let n = Self::ALL.iter().position(|r| *r == self).unwrap_or(0) as u128;
        RoleId(Uuid::from_u128(BASE + n))
    }

    /// The translation key of the role's name.
    pub fn key(self) -> Key {
        match self {
            Self::Youth => Key::RoleYouth,
            Self::Parent => Key::RoleParent,
            Self::Teacher => Key::RoleTeacher,
            Self::Politician => Key::RolePolitician,
            Self::Staff => Key::RoleStaff,
            Self::Other => Key::RoleOther,
        }
    }
}

/// What a role is called: a built-in role is translated on every screen, a custom one is
/// shown as the facilitator typed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    /// A built-in role, shown in the reader's language.
    Builtin(BuiltinRole),
    /// A role the facilitator named.
    Custom(String),
}

/// One role participants can pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Identifier.
    pub id: RoleId,
    /// Name.
    pub name: RoleName,
}

impl Role {
    /// The role's name as a reader of `lang` should see it.
    pub fn label(&self, lang: Lang) -> String {
        match &self.name {
            RoleName::Builtin(builtin) => builtin.key().text(lang).to_string(),
            RoleName::Custom(name) => name.clone(),
        }
    }

    /// The default role list of a new conference.
    pub fn defaults() -> Vec<Role> {
        BuiltinRole::ALL
            .iter()
            .map(|b| Role {
                id: b.id(),
                name: RoleName::Builtin(*b),
            })
            .collect()
    }
}

/// A person in the conference, on one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Identifier, made on the device.
    pub id: ParticipantId,
    /// Optional display name.
    pub name: Option<String>,
    /// The role they picked.
    pub role: RoleId,
    /// When they joined.
    pub joined_at: Timestamp,
}

/// A sticky note. It carries the writer's role, never the writer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Identifier, made on the device that wrote it.
    pub id: NoteId,
    /// The text, cleaned and within [`crate::limits::NOTE_MAX_CHARS`].
    pub text: String,
    /// The writer's role; `None` when the facilitator wrote it.
    pub role: Option<RoleId>,
    /// When the server accepted it.
    pub posted_at: Timestamp,
    /// The log position of the event that posted it: notes are shown in this order.
    pub seq: u64,
    /// The step it was written in.
    #[serde(default)]
    pub step: Option<StepId>,
    /// Which of the step's questions it answers (its position).
    #[serde(default)]
    pub question: Option<u16>,
    /// The writer's group in that step.
    #[serde(default)]
    pub group: Option<GroupId>,
    /// Written by the note-taker for the whole group (or typed in from paper): no role.
    #[serde(default)]
    pub for_group: bool,
    /// The writer's name, only when the facilitator had turned names on.
    #[serde(default)]
    pub name: Option<String>,
    /// Where the note is: on the wall (in a theme), hidden, merged or withdrawn.
    #[serde(default)]
    pub place: Place,
    /// Whether the text was changed after it was posted.
    #[serde(default)]
    pub edited: bool,
    /// Which attributes are left out of every screen and export so they cannot narrow the
    /// writer to fewer than three people ([`crate::anonymity`]); decided when it is posted.
    /// Notes posted before the rule existed have none.
    #[serde(default, skip_serializing_if = "crate::anonymity::Masked::is_none")]
    pub masked: crate::anonymity::Masked,
}

impl Note {
    /// A note on the wall, outside any step and group, with no name: the common case, filled
    /// in further where needed.
    pub fn plain(
        id: NoteId,
        text: String,
        role: Option<RoleId>,
        posted_at: Timestamp,
        seq: u64,
    ) -> Note {
        Note {
            id,
            text,
            role,
            posted_at,
            seq,
            step: None,
            question: None,
            group: None,
            for_group: false,
            name: None,
            place: Place::default(),
            edited: false,
            masked: crate::anonymity::Masked::default(),
        }
    }
}

/// What only the server knows: who wrote each note and how each person voted. It is kept
/// with the state (and in the log) so the rules can use it, and removed from everything sent
/// to a screen ([`crate::audience`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Private {
    /// Each note's writer.
    #[serde(default)]
    pub authors: BTreeMap<NoteId, ParticipantId>,
    /// Each voter's ballot in the current vote.
    #[serde(default)]
    pub ballots: BTreeMap<ParticipantId, Vec<Vote>>,
}

impl Private {
    /// Whether there is nothing private.
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.ballots.is_empty()
    }
}

/// Everything every screen knows about a conference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The last event applied (0 before the first).
    pub seq: u64,
    /// Identifier.
    pub id: ConferenceId,
    /// Title.
    pub title: String,
    /// Default language of the screens.
    pub language: Lang,
    /// Code to join with.
    pub join_code: JoinCode,
    /// When it was created.
    pub created_at: Timestamp,
    /// Roles participants choose from, in the order shown.
    pub roles: Vec<Role>,
    /// Everyone who joined.
    pub participants: BTreeMap<ParticipantId, Participant>,
    /// All notes.
    pub notes: BTreeMap<NoteId, Note>,
    /// Whether new participants may join.
    #[serde(default = "yes")]
    pub joining_open: bool,
    /// The programme of steps and where the conference is in it.
    #[serde(default)]
    pub programme: Programme,
    /// Themes notes are clustered into, in the order shown.
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// Themes the server proposed, waiting for the facilitator.
    #[serde(default)]
    pub suggestion: Option<Suggestion>,
    /// What the projector wall shows.
    #[serde(default)]
    pub wall: Wall,
    /// Whether new notes show their writer's name.
    #[serde(default)]
    pub show_names: bool,
    /// Steps whose notes their writers may no longer change (`None`: notes from outside any
    /// step).
    #[serde(default)]
    pub locked: BTreeSet<Option<StepId>>,
    /// The vote in progress or last held.
    #[serde(default)]
    pub voting: Option<Voting>,
    /// Participants the facilitator removed: their devices may no longer act or join again.
    /// Only identifiers (made at random on the device) are kept, nothing else about them.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub removed: BTreeSet<ParticipantId>,
    /// What only the server knows; empty on every screen.
    #[serde(default, skip_serializing_if = "Private::is_empty")]
    pub private: Private,
}

fn yes() -> bool {
    true
}

impl Default for State {
    fn default() -> Self {
        Self {
            seq: 0,
            id: ConferenceId(Uuid::nil()),
            title: String::new(),
            language: Lang::default(),
            join_code: JoinCode::from_random([0; 6]),
            created_at: Timestamp(0),
            roles: Vec::new(),
            participants: BTreeMap::new(),
            notes: BTreeMap::new(),
            joining_open: true,
            programme: Programme::default(),
            themes: Vec::new(),
            suggestion: None,
            wall: Wall::default(),
            show_names: false,
            locked: BTreeSet::new(),
            voting: None,
            removed: BTreeSet::new(),
            private: Private::default(),
        }
    }
}

impl State {
    /// Applies one event. Events at or before [`State::seq`] are ignored (already applied), so
    /// a replay that overlaps a snapshot is harmless. Returns whether the event was applied.
    pub fn apply(&mut self, sequenced: &SequencedEvent) -> bool {
        if sequenced.seq <= self.seq {
            return false;
        }
        self.seq = sequenced.seq;
        match &sequenced.event {
            Event::ConferenceCreated {
                id,
                title,
                language,
                join_code,
                created_at,
                roles,
            } => {
                self.id = *id;
                self.title = title.clone();
                self.language = *language;
                self.join_code = join_code.clone();
                self.created_at = *created_at;
                self.roles = roles.clone();
            }
            Event::ConferenceRenamed { title } => self.title = title.clone(),
            Event::LanguageChanged { language } => self.language = *language,
            Event::ParticipantJoined { participant } if self.removed.contains(&participant.id) => {}
            Event::ParticipantJoined { participant } => {
                self.participants
                    .entry(participant.id)
                    .or_insert_with(|| participant.clone());
            }
            Event::ProfileChanged {
                participant,
                name,
                role,
            } => {
                if let Some(p) = self.participants.get_mut(participant) {
                    p.name = name.clone();
                    p.role = *role;
                }
            }
            Event::NotePosted { note, author } => {
                self.notes.entry(note.id).or_insert_with(|| note.clone());
                if let Some(author) = author {
                    self.private.authors.insert(note.id, *author);
                }
            }
            Event::NoteChanged { note } => {
                if let Some(existing) = self.notes.get_mut(&note.id) {
                    *existing = note.clone();
                }
            }
            Event::ThemeChanged { theme } => {
                match self.themes.iter_mut().find(|t| t.id == theme.id) {
                    Some(existing) => *existing = theme.clone(),
                    None => self.themes.push(theme.clone()),
                }
            }
            Event::ThemeRemoved { theme } => {
                self.themes.retain(|t| t.id != *theme);
                if self.wall.focus == Some(crate::notes::Focus::Theme { theme: *theme }) {
                    self.wall.focus = None;
                }
            }
            Event::ThemesSuggested { suggestion } => self.suggestion = suggestion.clone(),
            Event::NotesLocked { step, locked } => {
                if *locked {
                    self.locked.insert(*step);
                } else {
                    self.locked.remove(step);
                }
            }
            Event::NamesShown { shown } => self.show_names = *shown,
            Event::WallChanged { wall } => self.wall = *wall,
            Event::VotingChanged { voting } => self.voting = voting.clone(),
            Event::BallotCast { voter, votes } => {
                if let Some(voter) = voter {
                    if votes.is_empty() {
                        self.private.ballots.remove(voter);
                    } else {
                        self.private.ballots.insert(*voter, votes.clone());
                    }
                }
            }
            Event::RoleAdded { role } => {
                if self.role(role.id).is_none() {
                    self.roles.push(role.clone());
                }
            }
            Event::RoleRenamed { role, name } => {
                if let Some(r) = self.roles.iter_mut().find(|r| r.id == *role) {
                    r.name = RoleName::Custom(name.clone());
                }
            }
            Event::RoleRemoved { role } => self.roles.retain(|r| r.id != *role),
            Event::JoiningChanged { open } => self.joining_open = *open,
            Event::StepAdded { step, index } => {
                let programme = &mut self.programme;
                if programme.step(step.id).is_none() {
                    let index = (*index).min(programme.steps.len());
                    programme.steps.insert(index, step.clone());
                }
            }
            Event::StepEdited { step } => {
                if let Some(existing) = self.programme.steps.iter_mut().find(|s| s.id == step.id) {
                    *existing = step.clone();
                }
            }
            Event::StepRemoved { step } => {
                let programme = &mut self.programme;
                programme.steps.retain(|s| s.id != *step);
                programme.groups.remove(step);
                programme.grouping.remove(step);
                programme.rounds.remove(step);
                if programme.current == Some(*step) {
                    programme.current = None;
                    programme.clock = crate::programme::Clock::Off;
                }
            }
            Event::StepMoved { step, index } => {
                let programme = &mut self.programme;
                if let Some(from) = programme.index_of(*step) {
                    let moved = programme.steps.remove(from);
                    let index = (*index).min(programme.steps.len());
                    programme.steps.insert(index, moved);
                }
            }
            Event::StepStarted { step, clock } => {
                self.programme.current = *step;
                self.programme.clock = *clock;
                // No step after one ran: the facilitator ended the programme.
                self.programme.ended = step.is_none();
            }
            Event::ClockChanged { clock } => self.programme.clock = *clock,
            Event::GroupSettingsChanged {
                size,
                prefer_youth_leader,
            } => {
                self.programme.group_size = *size;
                self.programme.prefer_youth_leader = *prefer_youth_leader;
            }
            Event::GroupsFormed { step, mode, groups } => {
                self.programme.groups.insert(*step, groups.clone());
                self.programme.grouping.insert(*step, *mode);
                // New tables, new rounds.
                self.programme.rounds.remove(step);
            }
            Event::GroupAdded { step, group } => {
                let groups = self.programme.groups.entry(*step).or_default();
                if !groups.iter().any(|g| g.id == group.id) {
                    groups.push(group.clone());
                }
            }
            Event::MemberMoved {
                step,
                participant,
                to,
            } => {
                if let Some(groups) = self.programme.groups.get_mut(step)
                    && groups.iter().any(|g| g.id == *to)
                {
                    for group in groups.iter_mut() {
                        group.members.retain(|m| m != participant);
                        for job in [
                            &mut group.leader,
                            &mut group.note_taker,
                            &mut group.reporter,
                        ] {
                            if *job == Some(*participant) {
                                *job = None;
                            }
                        }
                    }
                    if let Some(group) = groups.iter_mut().find(|g| g.id == *to) {
                        group.members.push(*participant);
                    }
                }
            }
            Event::GroupJobsSet {
                step,
                group,
                leader,
                note_taker,
                reporter,
            } => {
                if let Some(group) = self.group_mut(*step, *group) {
                    group.leader = *leader;
                    group.note_taker = *note_taker;
                    group.reporter = *reporter;
                }
            }
            Event::GroupRenamed { step, group, name } => {
                if let Some(group) = self.group_mut(*step, *group) {
                    group.name = name.clone();
                }
            }
            Event::ParticipantRemoved { participant, notes } => {
                self.remove_participant(*participant, notes)
            }
            Event::RoundChanged { step, round } => {
                if self.programme.step(*step).is_some() {
                    let rounds = self.programme.rounds.entry(*step).or_default();
                    match rounds.iter_mut().find(|r| r.group == round.group) {
                        Some(existing) => *existing = round.clone(),
                        None => rounds.push(round.clone()),
                    }
                }
            }
        }
        true
    }

    /// A participant leaves for good with their notes (see [`Event::ParticipantRemoved`]):
    /// nothing may point at them or at their notes afterwards. Notes merged into one of theirs
    /// go back on the wall; a group that only they sat in goes, with its round; they leave
    /// every queue, every job and the record of past turns; their ballot, on the server, goes.
    fn remove_participant(&mut self, id: ParticipantId, notes: &[NoteId]) {
        use crate::notes::Focus;
        self.participants.remove(&id);
        self.removed.insert(id);
        self.private.ballots.remove(&id);
        let gone: BTreeSet<NoteId> = notes.iter().copied().collect();
        for note in &gone {
            self.notes.remove(note);
            self.private.authors.remove(note);
        }
        for note in self.notes.values_mut() {
            if let Place::Merged { into } = note.place
                && gone.contains(&into)
            {
                note.place = Place::Wall { theme: None };
            }
        }
        if let Some(Focus::Note { note }) = self.wall.focus
            && gone.contains(&note)
        {
            self.wall.focus = None;
        }
        if let Some(suggestion) = &mut self.suggestion {
            for theme in &mut suggestion.themes {
                theme.notes.retain(|n| !gone.contains(n));
            }
            suggestion.themes.retain(|t| !t.notes.is_empty());
            if suggestion.themes.is_empty() {
                self.suggestion = None;
            }
        }
        let programme = &mut self.programme;
        for (step, groups) in programme.groups.iter_mut() {
            let mut emptied = BTreeSet::new();
            for group in groups.iter_mut() {
                let sat_here = group.members.contains(&id);
                group.members.retain(|m| *m != id);
                for job in [
                    &mut group.leader,
                    &mut group.note_taker,
                    &mut group.reporter,
                ] {
                    if *job == Some(id) {
                        *job = None;
                    }
                }
                if sat_here && group.members.is_empty() {
                    emptied.insert(group.id);
                }
            }
            groups.retain(|g| !emptied.contains(&g.id));
            if let Some(rounds) = programme.rounds.get_mut(step) {
                rounds.retain(|r| r.group.is_none_or(|g| !emptied.contains(&g)));
            }
        }
        for rounds in programme.rounds.values_mut() {
            for round in rounds {
                round.queue.retain(|p| *p != id);
                round.turns.retain(|t| t.speaker != id);
            }
        }
    }

    fn group_mut(
        &mut self,
        step: crate::ids::StepId,
        group: crate::ids::GroupId,
    ) -> Option<&mut Group> {
        self.programme
            .groups
            .get_mut(&step)?
            .iter_mut()
            .find(|g| g.id == group)
    }

    /// The theme with this identifier.
    pub fn theme(&self, id: ThemeId) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The role with this identifier, if the conference still offers it.
    pub fn role(&self, id: RoleId) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// How many participants hold each role, in the order of the role list. Roles nobody holds
    /// are included with 0, so a screen can show the full list.
    pub fn role_counts(&self) -> Vec<(&Role, usize)> {
        self.roles
            .iter()
            .map(|role| {
                let count = self
                    .participants
                    .values()
                    .filter(|p| p.role == role.id)
                    .count();
                (role, count)
            })
            .collect()
    }

    /// Notes in the order they were posted.
    pub fn notes_in_order(&self) -> Vec<&Note> {
        let mut notes: Vec<&Note> = self.notes.values().collect();
        notes.sort_by_key(|n| n.seq);
        notes
    }
}
