//! Events: the facts a conference is made of, in the order they happened. The server appends
//! them to the log and broadcasts them; every screen applies them with
//! [`crate::state::State::apply`]. What the log stores may name a note's writer and a
//! voter's ballot; what a screen receives is made from it by [`crate::audience`], never sent
//! as it is.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::ids::{
    ConferenceId, GroupId, NoteId, ParticipantId, RoleId, StepId, ThemeId, Timestamp,
};
use crate::join_code::JoinCode;
use crate::notes::{Suggestion, Theme, Wall};
use crate::programme::{Clock, Group, GroupingMode, Step};
use crate::state::{Note, Participant, Role};
use crate::turns::Round;
use crate::voting::{Vote, Voting};

/// Something that happened in a conference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The first event of every conference.
    ConferenceCreated {
        /// The conference's identifier.
        id: ConferenceId,
        /// Title shown on every screen.
        title: String,
        /// Default language of the conference's screens.
        language: Lang,
        /// The code participants type to join.
        join_code: JoinCode,
        /// When it was created.
        created_at: Timestamp,
        /// The roles participants choose from.
        roles: Vec<Role>,
    },
    /// The facilitator changed the title.
    ConferenceRenamed {
        /// The new title.
        title: String,
    },
    /// The facilitator changed the conference's default language.
    LanguageChanged {
        /// The new default language.
        language: Lang,
    },
    /// A participant joined from a device.
    ParticipantJoined {
        /// The new participant.
        participant: Participant,
    },
    /// The facilitator removed a participant and every note they wrote (fake participants,
    /// say): they leave the conference, its groups, queues and jobs, and may not join again.
    /// Screens learn which notes go, because those notes disappear from every wall at that
    /// moment anyway; the event says nothing about notes that stay, and nothing of a ballot
    /// (its effect on the totals arrives as a [`Event::VotingChanged`]). Only the
    /// facilitator, who asked for it, is told it happened in words.
    ParticipantRemoved {
        /// Who.
        participant: ParticipantId,
        /// The notes they wrote, removed from the conference.
        notes: Vec<NoteId>,
    },
    /// A participant changed their display name or role.
    ProfileChanged {
        /// Who.
        participant: ParticipantId,
        /// The new display name, if any.
        name: Option<String>,
        /// The new role.
        role: RoleId,
    },
    /// A note was posted.
    NotePosted {
        /// The note, without its author.
        note: Note,
        /// Who wrote it: kept in the server's log so the writer can edit it, and removed from
        /// every copy sent to a screen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        author: Option<ParticipantId>,
    },
    /// A note was edited, hidden, restored, merged, moved to a theme or withdrawn: the note as
    /// it is now.
    NoteChanged {
        /// The note.
        note: Note,
    },
    /// A theme was created or renamed.
    ThemeChanged {
        /// The theme as it is now.
        theme: Theme,
    },
    /// A theme was deleted (its notes were moved first).
    ThemeRemoved {
        /// Which.
        theme: ThemeId,
    },
    /// The server proposed themes (or the proposal was used up or dismissed).
    ThemesSuggested {
        /// The proposal, if any is left.
        suggestion: Option<Suggestion>,
    },
    /// The facilitator locked or unlocked a step's notes.
    NotesLocked {
        /// Which step (`None`: notes written outside any step).
        step: Option<StepId>,
        /// Whether writers may no longer change them.
        locked: bool,
    },
    /// The facilitator turned writers' names on notes on or off.
    NamesShown {
        /// Whether new notes show their writer's name.
        shown: bool,
    },
    /// The facilitator changed what the projector wall shows.
    WallChanged {
        /// The wall.
        wall: Wall,
    },
    /// A vote opened, changed its count or results, closed or was revealed.
    VotingChanged {
        /// The vote as screens may see it.
        voting: Option<Voting>,
    },
    /// Someone voted (or moved their dots). Screens receive it without voter or dots.
    BallotCast {
        /// Who, in the server's log only.
        voter: Option<ParticipantId>,
        /// Their whole ballot, in the server's log only.
        votes: Vec<Vote>,
    },
    /// The facilitator added a role to the list participants choose from.
    RoleAdded {
        /// The new role.
        role: Role,
    },
    /// The facilitator renamed a role.
    RoleRenamed {
        /// Which role.
        role: RoleId,
        /// Its new name.
        name: String,
    },
    /// The facilitator removed a role nobody holds.
    RoleRemoved {
        /// Which role.
        role: RoleId,
    },
    /// The facilitator opened or closed joining.
    JoiningChanged {
        /// Whether new participants may join.
        open: bool,
    },
    /// A step was added to the programme at `index`.
    StepAdded {
        /// The new step.
        step: Step,
        /// Its position.
        index: usize,
    },
    /// A step's title, kind, questions, timebox or notes setting changed.
    StepEdited {
        /// The step as it is now.
        step: Step,
    },
    /// A step was removed (if it was running, nothing runs now).
    StepRemoved {
        /// Which step.
        step: StepId,
    },
    /// A step was moved to `index`.
    StepMoved {
        /// Which step.
        step: StepId,
        /// Its new position.
        index: usize,
    },
    /// A step started (`None`: the programme stopped), with its clock.
    StepStarted {
        /// The running step.
        step: Option<StepId>,
        /// Its clock.
        clock: Clock,
    },
    /// The running step's clock was paused, resumed or extended.
    ClockChanged {
        /// The clock now.
        clock: Clock,
    },
    /// The facilitator changed how groups are formed.
    GroupSettingsChanged {
        /// Group size, 2 to 8.
        size: u8,
        /// Whether a youth leads each group when there is one.
        prefer_youth_leader: bool,
    },
    /// Groups were formed (or formed again) for a step.
    GroupsFormed {
        /// Which step.
        step: StepId,
        /// How.
        mode: GroupingMode,
        /// The groups, replacing any the step had.
        groups: Vec<Group>,
    },
    /// A group was added to a step (a late arrival found every group full).
    GroupAdded {
        /// Which step.
        step: StepId,
        /// The new group.
        group: Group,
    },
    /// A participant was placed in a group (moved by hand, or arriving late).
    MemberMoved {
        /// Which step.
        step: StepId,
        /// Who.
        participant: ParticipantId,
        /// To which group.
        to: GroupId,
    },
    /// A group's leader, note-taker and reporter were set.
    GroupJobsSet {
        /// Which step.
        step: StepId,
        /// Which group.
        group: GroupId,
        /// The group leader.
        leader: Option<ParticipantId>,
        /// The note-taker.
        note_taker: Option<ParticipantId>,
        /// The reporter.
        reporter: Option<ParticipantId>,
    },
    /// A group was named (or its name removed: shown by number).
    GroupRenamed {
        /// Which step.
        step: StepId,
        /// Which group.
        group: GroupId,
        /// The name.
        name: Option<String>,
    },
    /// A talking round started, moved on, paused, was reordered or ended: the round as it
    /// is now, replacing the step's round for the same group.
    RoundChanged {
        /// Which step.
        step: StepId,
        /// The round.
        round: Round,
    },
}

/// An event with its place in the conference's log. `seq` starts at 1 and has no gaps in the
/// log; a screen is sent only the events its audience may see ([`crate::audience`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SequencedEvent {
    /// Position in the log.
    pub seq: u64,
    /// What happened.
    pub event: Event,
}
