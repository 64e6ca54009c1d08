//! Commands — what a person asks for — and [`decide`], the pure rule that checks who may do
//! what and turns an allowed command into events. The server runs it for every command; the
//! browser app may run it too, to explain a problem before anything is sent.

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::grouping::{self, Rng};
use crate::i18n::Lang;
use crate::ids::{GroupId, NoteId, ParticipantId, RoleId, StepId, ThemeId, Timestamp};
use crate::limits;
use crate::notes::{Place, Wall};
use crate::programme::{self, Clock, Group, GroupingMode, Step};
use crate::protocol::ErrorCode;
use crate::state::{BuiltinRole, Participant, Role, RoleName, State};
use crate::text::{TextProblem, clean};
use crate::turns::{self, TurnAction};
use crate::voting::{Vote, VotingSetup};

/// Who sends a command. The server derives it from the key or token the connection proved,
/// never from anything inside the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Actor {
    /// Holder of the facilitator key.
    Facilitator,
    /// The projector screen: may watch, not act.
    Screen,
    /// A participant's device.
    Participant {
        /// The device's participant identifier.
        id: ParticipantId,
    },
}

/// Something a person asks the conference to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Participant: join with an optional display name and a role.
    Join {
        /// Display name; empty means none.
        name: Option<String>,
        /// One of the conference's roles.
        role: RoleId,
    },
    /// Participant: change display name or role.
    ChangeProfile {
        /// Display name; empty means none.
        name: Option<String>,
        /// One of the conference's roles.
        role: RoleId,
    },
    /// Participant or facilitator: post a note. The identifier is made on the device, so a
    /// note sent twice is recognised.
    PostNote {
        /// The note's identifier.
        note: NoteId,
        /// What it says.
        text: String,
        /// Which of the running step's questions it answers (its position; the first if
        /// left out).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<u16>,
        /// The group's note-taker writes for the whole group (or types in a paper note).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        for_group: bool,
    },
    /// The writer (until the step is locked) or the facilitator (a typo): change a note.
    EditNote {
        /// Which.
        note: NoteId,
        /// The new text.
        text: String,
    },
    /// The writer, until the step is locked: take a note back.
    WithdrawNote {
        /// Which.
        note: NoteId,
    },
    /// Facilitator: put a note somewhere — on the wall in a theme or none, hidden, or merged
    /// into another note. Restoring a hidden or merged note is putting it back on the wall.
    PlaceNote {
        /// Which.
        note: NoteId,
        /// Where.
        place: Place,
    },
    /// Facilitator: create a theme.
    CreateTheme {
        /// Identifier made by the facilitator's device.
        theme: ThemeId,
        /// Its name.
        name: String,
    },
    /// Facilitator: rename a theme.
    RenameTheme {
        /// Which.
        theme: ThemeId,
        /// The new name.
        name: String,
    },
    /// Facilitator: delete a theme; its notes go back to the unsorted ones.
    DeleteTheme {
        /// Which.
        theme: ThemeId,
    },
    /// Facilitator: merge a theme into another (its notes move there).
    MergeThemes {
        /// The theme that goes.
        theme: ThemeId,
        /// The theme that takes its notes.
        into: ThemeId,
    },
    /// Facilitator: ask the server to propose themes for the unsorted notes.
    SuggestThemes {
        /// Only this step's notes (`None`: all unsorted notes).
        step: Option<StepId>,
    },
    /// Facilitator: accept some of the proposed themes, each under a new identifier.
    AcceptSuggestion {
        /// The proposed themes' positions, each with the identifier its theme gets.
        accept: Vec<(u16, ThemeId)>,
    },
    /// Facilitator: throw the proposal away.
    DismissSuggestion,
    /// Facilitator: ask the server to propose, for each unsorted note, one of the themes
    /// made so far ("sort the rest into my themes"), with how sure it is and why.
    SortIntoThemes {
        /// Only this step's notes (`None`: all unsorted notes).
        step: Option<StepId>,
    },
    /// Facilitator: put these notes where "sort the rest" proposed (notes sorted or gone
    /// meanwhile are skipped); the other proposals stay.
    AcceptPlacements {
        /// The notes whose proposals are accepted.
        notes: Vec<NoteId>,
    },
    /// Facilitator: take notes back out of their themes, if they are still there (the undo
    /// of accepting placements).
    ReturnNotes {
        /// Each note with the theme it should be in now.
        notes: Vec<(NoteId, ThemeId)>,
    },
    /// Facilitator: lock (or unlock) a step's notes against changes by their writers.
    LockNotes {
        /// Which step (`None`: notes written outside any step).
        step: Option<StepId>,
        /// Locked or not.
        locked: bool,
    },
    /// Facilitator: show writers' names on new notes (off by default).
    ShowNames {
        /// On or off.
        shown: bool,
    },
    /// Facilitator: what the projector wall shows.
    SetWall {
        /// The wall.
        wall: Wall,
    },
    /// Facilitator: open a vote (any earlier ballots are cleared).
    OpenVoting {
        /// How it runs.
        setup: VotingSetup,
    },
    /// Participant: my whole ballot (moving dots is sending it again).
    CastVotes {
        /// Dots per item.
        votes: Vec<Vote>,
    },
    /// Facilitator: stop taking ballots.
    CloseVoting,
    /// Facilitator: show the results on every screen.
    RevealResults,
    /// Facilitator: rename the conference.
    RenameConference {
        /// New title.
        title: String,
    },
    /// Facilitator: change the default language of the screens.
    ChangeLanguage {
        /// New default language.
        language: Lang,
    },
    /// Facilitator: add a role to the list.
    AddRole {
        /// Identifier made by the facilitator's device.
        role: RoleId,
        /// Its name.
        name: String,
    },
    /// Facilitator: rename a role.
    RenameRole {
        /// Which role.
        role: RoleId,
        /// New name.
        name: String,
    },
    /// Facilitator: remove a role that nobody holds.
    RemoveRole {
        /// Which role.
        role: RoleId,
    },
    /// Facilitator: remove a participant and every note they wrote (a fake participant, or
    /// someone who must leave). They leave every group, queue and job, their ballot no longer
    /// counts, and their device may neither act nor join again. It cannot be undone: the
    /// console asks first.
    RemoveParticipant {
        /// Who.
        participant: ParticipantId,
    },
    /// Facilitator: open or close joining.
    SetJoining {
        /// Whether new participants may join.
        open: bool,
    },
    /// Facilitator: add a step (at the end, or at `index`).
    AddStep {
        /// The step, with an identifier made by the facilitator's device.
        step: Step,
        /// Where; `None` appends.
        index: Option<usize>,
    },
    /// Facilitator: change a step (also while it runs).
    EditStep {
        /// The step as it should be.
        step: Step,
    },
    /// Facilitator: remove a step (if it runs, the programme stops).
    RemoveStep {
        /// Which step.
        step: StepId,
    },
    /// Facilitator: move a step.
    MoveStep {
        /// Which step.
        step: StepId,
        /// Its new position.
        index: usize,
    },
    /// Facilitator: start a step (start, next, back and jump are all this), with its clock.
    StartStep {
        /// Which step.
        step: StepId,
    },
    /// Facilitator: stop the programme (no step runs).
    StopProgramme,
    /// Facilitator: pause the clock.
    PauseClock,
    /// Facilitator: resume the clock.
    ResumeClock,
    /// Facilitator: give the running step more time.
    ExtendClock {
        /// How much more, 1 to 3600 seconds.
        seconds: u32,
    },
    /// Facilitator: group size and leader rule for forming groups.
    SetGroupSettings {
        /// Group size, 2 to 8.
        size: u8,
        /// Whether a youth leads each group when there is one.
        prefer_youth_leader: bool,
    },
    /// Facilitator: form a step's groups (again).
    FormGroups {
        /// Which step.
        step: StepId,
        /// How.
        mode: GroupingMode,
    },
    /// Facilitator: move a person to another group.
    MoveMember {
        /// Which step.
        step: StepId,
        /// Who.
        participant: ParticipantId,
        /// To which group.
        to: GroupId,
    },
    /// Facilitator: choose a group's leader, note-taker and reporter by hand.
    SetGroupJobs {
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
    /// Facilitator: name a group (`None`: shown by its number).
    RenameGroup {
        /// Which step.
        step: StepId,
        /// Which group.
        group: GroupId,
        /// The name.
        name: Option<String>,
    },
    /// Group leader (or facilitator, or the speaker on their own turn): steer a talking round.
    Turn {
        /// Which step.
        step: StepId,
        /// Which group; `None` for the plenary report round of a reports step.
        group: Option<GroupId>,
        /// What to do.
        action: TurnAction,
    },
}

/// Why a command was refused; the same codes travel to the browser, which explains them in
/// the reader's language.
pub type Rejection = ErrorCode;

/// Checks `command` from `actor` against `state` and returns the events it causes. An empty
/// list means the command was already carried out (a retry) and there is nothing to do.
pub fn decide(
    state: &State,
    actor: Actor,
    command: &Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    // A removed participant's device is still known to the server (its token matches), so
    // it is turned away here, before any rule: it may neither act nor join again.
    if let Actor::Participant { id } = actor
        && state.removed.contains(&id)
    {
        return Err(ErrorCode::ParticipantRemoved);
    }
    if let Some(decided) = crate::notes::decide_notes(state, actor, command, now) {
        return decided;
    }
    if let Some(decided) = crate::voting::decide_voting(state, actor, command) {
        return decided;
    }
    match command {
        Command::Join { name, role } => {
            let Actor::Participant { id } = actor else {
                return Err(ErrorCode::NotAllowed);
            };
            let name = clean_name(name.as_deref())?;
            require_role(state, *role)?;
            match state.participants.get(&id) {
                Some(existing) if existing.name == name && existing.role == *role => Ok(vec![]),
                Some(_) => Ok(vec![Event::ProfileChanged {
                    participant: id,
                    name,
                    role: *role,
                }]),
                None if !state.joining_open => Err(ErrorCode::JoiningClosed),
                None if state.participants.len() >= limits::MAX_PARTICIPANTS => {
                    Err(ErrorCode::ConferenceFull)
                }
                None => {
                    let mut events = vec![Event::ParticipantJoined {
                        participant: Participant {
                            id,
                            name,
                            role: *role,
                            joined_at: now,
                        },
                    }];
                    events.extend(place_late_arrival(state, id, *role, now));
                    Ok(events)
                }
            }
        }
        Command::ChangeProfile { name, role } => {
            let id = joined_participant(state, actor)?;
            let name = clean_name(name.as_deref())?;
            require_role(state, *role)?;
            Ok(vec![Event::ProfileChanged {
                participant: id,
                name,
                role: *role,
            }])
        }
        Command::RenameConference { title } => {
            require_facilitator(actor)?;
            let title = clean_title(title)?;
            Ok(vec![Event::ConferenceRenamed { title }])
        }
        Command::ChangeLanguage { language } => {
            require_facilitator(actor)?;
            Ok(vec![Event::LanguageChanged {
                language: *language,
            }])
        }
        Command::AddRole { role, name } => {
            require_facilitator(actor)?;
            if state.role(*role).is_some() {
                return Ok(vec![]);
            }
            if state.roles.len() >= limits::MAX_ROLES {
                return Err(ErrorCode::TooManyRoles);
            }
            let name = clean_role_name(name)?;
            Ok(vec![Event::RoleAdded {
                role: Role {
                    id: *role,
                    name: RoleName::Custom(name),
                },
            }])
        }
        Command::RenameRole { role, name } => {
            require_facilitator(actor)?;
            require_role(state, *role)?;
            let name = clean_role_name(name)?;
            Ok(vec![Event::RoleRenamed { role: *role, name }])
        }
        Command::RemoveRole { role } => {
            require_facilitator(actor)?;
            if state.role(*role).is_none() {
                return Ok(vec![]);
            }
            if state.participants.values().any(|p| p.role == *role) {
                return Err(ErrorCode::RoleInUse);
            }
            if state.roles.len() == 1 {
                return Err(ErrorCode::LastRole);
            }
            Ok(vec![Event::RoleRemoved { role: *role }])
        }
        Command::SetJoining { open } => {
            require_facilitator(actor)?;
            Ok(vec![Event::JoiningChanged { open: *open }])
        }
        Command::RemoveParticipant { participant } => {
            require_facilitator(actor)?;
            remove_participant(state, *participant, now)
        }
        Command::Turn {
            step,
            group,
            action,
        } => turns::decide_turn(state, actor, *step, *group, action, now),
        other => {
            require_facilitator(actor)?;
            decide_programme(state, other, now)
        }
    }
}

/// The programme's commands (the caller has checked that the facilitator sent them).
fn decide_programme(
    state: &State,
    command: &Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let programme = &state.programme;
    let known = |id: StepId| programme.step(id).map(|_| ()).ok_or(ErrorCode::UnknownStep);
    match command {
        Command::AddStep { step, index } => {
            if programme.step(step.id).is_some() {
                return Ok(vec![]);
            }
            if programme.steps.len() >= programme::MAX_STEPS {
                return Err(ErrorCode::TooManySteps);
            }
            let index = index
                .unwrap_or(programme.steps.len())
                .min(programme.steps.len());
            Ok(vec![Event::StepAdded {
                step: clean_step(step)?,
                index,
            }])
        }
        Command::EditStep { step } => {
            known(step.id)?;
            Ok(vec![Event::StepEdited {
                step: clean_step(step)?,
            }])
        }
        Command::RemoveStep { step } => match programme.step(*step) {
            None => Ok(vec![]),
            Some(_) => Ok(vec![Event::StepRemoved { step: *step }]),
        },
        Command::MoveStep { step, index } => {
            known(*step)?;
            let index = (*index).min(programme.steps.len() - 1);
            Ok(vec![Event::StepMoved { step: *step, index }])
        }
        Command::StartStep { step } => {
            let started = programme.step(*step).ok_or(ErrorCode::UnknownStep)?;
            let clock = started
                .timebox_secs
                .map_or(Clock::Off, |secs| Clock::start(now, secs));
            let mut started = vec![Event::StepStarted {
                step: Some(*step),
                clock,
            }];
            if let Some(left) = programme.current.filter(|current| current != step) {
                started.extend(turns::pause_all(state, left, now));
            }
            // Whoever joined after the groups were formed sits down now.
            Ok(seat_everyone(state, *step, started, now))
        }
        Command::StopProgramme => match programme.current {
            None => Ok(vec![]),
            Some(left) => {
                let mut stopped = vec![Event::StepStarted {
                    step: None,
                    clock: Clock::Off,
                }];
                stopped.extend(turns::pause_all(state, left, now));
                Ok(stopped)
            }
        },
        Command::PauseClock | Command::ResumeClock | Command::ExtendClock { .. } => {
            if programme.current.is_none() {
                return Err(ErrorCode::NoClock);
            }
            let clock = programme.clock;
            let changed = match command {
                Command::PauseClock if clock == Clock::Off => return Err(ErrorCode::NoClock),
                Command::ResumeClock if clock == Clock::Off => return Err(ErrorCode::NoClock),
                Command::PauseClock => clock.paused(now),
                Command::ResumeClock => clock.resumed(now),
                Command::ExtendClock { seconds } if (1..=3600).contains(seconds) => {
                    clock.extended(now, *seconds)
                }
                _ => return Err(ErrorCode::TimeboxInvalid),
            };
            if changed == clock {
                return Ok(vec![]);
            }
            Ok(vec![Event::ClockChanged { clock: changed }])
        }
        Command::SetGroupSettings {
            size,
            prefer_youth_leader,
        } => {
            if !programme::GROUP_SIZES.contains(size) {
                return Err(ErrorCode::GroupSizeInvalid);
            }
            Ok(vec![Event::GroupSettingsChanged {
                size: *size,
                prefer_youth_leader: *prefer_youth_leader,
            }])
        }
        Command::FormGroups { step, mode } => {
            known(*step)?;
            let mut rng = Rng::new(now.0 ^ step.0.as_u64_pair().0 ^ state.seq.rotate_left(32));
            let members: Vec<Vec<ParticipantId>> = match mode {
                GroupingMode::Reuse { from } => programme
                    .groups
                    .get(from)
                    .filter(|groups| !groups.is_empty())
                    .ok_or(ErrorCode::NoGroups)?
                    .iter()
                    .map(|g| g.members.clone())
                    .filter(|members| !members.is_empty())
                    .collect(),
                GroupingMode::Homogeneous | GroupingMode::Mixed => {
                    let people: Vec<(ParticipantId, RoleId)> = state
                        .participants
                        .values()
                        .map(|p| (p.id, p.role))
                        .collect();
                    if people.is_empty() {
                        return Err(ErrorCode::NobodyToGroup);
                    }
                    let size = usize::from(programme.group_size);
                    let seed = rng.next_u64();
                    if *mode == GroupingMode::Homogeneous {
                        grouping::homogeneous(&people, size, seed)
                    } else {
                        grouping::mixed(&people, size, seed)
                    }
                }
            };
            let groups = members
                .into_iter()
                .enumerate()
                .map(|(i, members)| new_group(state, &mut rng, i as u32 + 1, members))
                .collect();
            let formed = vec![Event::GroupsFormed {
                step: *step,
                mode: *mode,
                groups,
            }];
            // Reused groups lack whoever joined since; they sit down too.
            Ok(seat_everyone(state, *step, formed, now))
        }
        Command::MoveMember {
            step,
            participant,
            to,
        } => {
            let target = group(state, *step, *to)?;
            if !state.participants.contains_key(participant) {
                return Err(ErrorCode::UnknownParticipant);
            }
            if target.members.contains(participant) {
                return Ok(vec![]);
            }
            if target.members.len() >= grouping::MAX_GROUP {
                return Err(ErrorCode::GroupFull);
            }
            let mut events = vec![Event::MemberMoved {
                step: *step,
                participant: *participant,
                to: *to,
            }];
            events.extend(turns::member_moved(state, *step, *participant, *to, now));
            let groups = &programme.groups[step];
            if let Some(from) = groups.iter().find(|g| g.members.contains(participant)) {
                let left: Vec<ParticipantId> = from
                    .members
                    .iter()
                    .copied()
                    .filter(|m| m != participant)
                    .collect();
                if let Some(jobs) = refill_jobs(state, from, &left, *participant) {
                    events.push(jobs);
                }
            }
            if target.leader.is_none() {
                let mut members = target.members.clone();
                members.push(*participant);
                if let Some(jobs) =
                    refill_jobs(state, target, &members, ParticipantId(uuid::Uuid::nil()))
                {
                    events.push(jobs);
                }
            }
            Ok(events)
        }
        Command::SetGroupJobs {
            step,
            group: id,
            leader,
            note_taker,
            reporter,
        } => {
            let target = group(state, *step, *id)?;
            for person in [leader, note_taker, reporter].into_iter().flatten() {
                if !target.members.contains(person) {
                    return Err(ErrorCode::NotInGroup);
                }
            }
            Ok(vec![Event::GroupJobsSet {
                step: *step,
                group: *id,
                leader: *leader,
                note_taker: *note_taker,
                reporter: *reporter,
            }])
        }
        Command::RenameGroup {
            step,
            group: id,
            name,
        } => {
            group(state, *step, *id)?;
            Ok(vec![Event::GroupRenamed {
                step: *step,
                group: *id,
                name: clean_name(name.as_deref())?,
            }])
        }
        _ => Err(ErrorCode::NotAllowed),
    }
}

/// Where a participant who joins while groups exist for the running step sits down.
fn place_late_arrival(
    state: &State,
    id: ParticipantId,
    role: RoleId,
    now: Timestamp,
) -> Vec<Event> {
    match state.programme.current {
        Some(step) => seat(state, step, id, role, now),
        None => vec![],
    }
}

/// Where `id` sits down in `step`'s groups: the smallest fitting group, or a new one.
/// Nothing if the step has no groups.
fn seat(
    state: &State,
    step: StepId,
    id: ParticipantId,
    role: RoleId,
    now: Timestamp,
) -> Vec<Event> {
    let programme = &state.programme;
    let Some(groups) = programme.groups.get(&step).filter(|g| !g.is_empty()) else {
        return vec![];
    };
    let role_of = |p: ParticipantId| state.participants.get(&p).map(|p| p.role);
    let members: Vec<Vec<ParticipantId>> = groups.iter().map(|g| g.members.clone()).collect();
    let homogeneous = original_mode(state, step) == Some(GroupingMode::Homogeneous);
    let size = usize::from(programme.group_size);
    match grouping::place_late(&members, role_of, role, homogeneous, size) {
        Some(index) => {
            let mut events = vec![Event::MemberMoved {
                step,
                participant: id,
                to: groups[index].id,
            }];
            events.extend(turns::member_moved(state, step, id, groups[index].id, now));
            events
        }
        None => {
            let mut rng = Rng::new(now.0 ^ id.0.as_u64_pair().1);
            let number = groups.iter().map(|g| g.number).max().unwrap_or(0) + 1;
            let mut group = new_group(state, &mut rng, number, vec![]);
            group.leader = Some(id);
            group.note_taker = Some(id);
            group.reporter = Some(id);
            group.members.push(id);
            vec![Event::GroupAdded { step, group }]
        }
    }
}

/// The events that remove `id` and their notes. Everything that can be worked out from what
/// every screen knows is done by the reducer ([`Event::ParticipantRemoved`]); these events
/// carry what needs a rule or the server's private knowledge: who wrote which note, a
/// round moving on when its speaker goes, new jobholders for their groups, and their ballot
/// deleted (while voting is open, the count of voters goes down; after close the published
/// totals are kept, since a re-tally would publish their ballot as the difference: see
/// [`crate::voting`]).
fn remove_participant(
    state: &State,
    id: ParticipantId,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    if state.removed.contains(&id) {
        return Ok(vec![]);
    }
    if !state.participants.contains_key(&id) {
        return Err(ErrorCode::UnknownParticipant);
    }
    let notes: Vec<NoteId> = state
        .private
        .authors
        .iter()
        .filter(|(note, author)| **author == id && state.notes.contains_key(note))
        .map(|(note, _)| *note)
        .collect();
    let mut events = Vec::new();
    // Their ballot goes. While voting is open the count of voters follows; after close the
    // published totals stay as they are (without them re-tallied, nobody can subtract).
    if let Some(voting) = &state.voting
        && state.private.ballots.contains_key(&id)
    {
        events.push(Event::BallotCast {
            voter: Some(id),
            votes: vec![],
        });
        if voting.open {
            let mut ballots = state.private.ballots.clone();
            ballots.remove(&id);
            let next = crate::voting::published(state, voting, &ballots);
            events.push(Event::VotingChanged { voting: Some(next) });
        }
    }
    // Rounds: out of the queue and the record; a round whose speaker they were moves on.
    for (step, rounds) in &state.programme.rounds {
        let settings = state.programme.step(*step).and_then(|s| s.turns);
        for original in rounds {
            let mut round = original.clone();
            round.queue.retain(|p| *p != id);
            round.turns.retain(|t| t.speaker != id);
            if let turns::Phase::Speaking { speaker, clock, .. } = round.phase
                && speaker == id
            {
                round.phase = next_speaker(&mut round.queue, settings, clock, now);
            }
            if round != *original {
                events.push(Event::RoundChanged { step: *step, round });
            }
        }
    }
    // Other people's notes merged into one of theirs go back on the wall, where it was.
    for note in state.notes.values() {
        if let Place::Merged { into } = note.place
            && notes.contains(&into)
            && !notes.contains(&note.id)
        {
            let theme = state.notes.get(&into).and_then(|n| n.place.theme());
            events.push(Event::NoteChanged {
                note: crate::state::Note {
                    place: Place::Wall { theme },
                    ..note.clone()
                },
            });
        }
    }
    let mut jobs = Vec::new();
    for groups in state.programme.groups.values() {
        for group in groups.iter().filter(|g| g.members.contains(&id)) {
            let left: Vec<ParticipantId> =
                group.members.iter().copied().filter(|m| *m != id).collect();
            if !left.is_empty()
                && let Some(refilled) = refill_jobs(state, group, &left, id)
            {
                jobs.push(refilled);
            }
        }
    }
    events.push(Event::ParticipantRemoved {
        participant: id,
        notes,
    });
    // New jobholders once they are gone (the reducer has emptied the jobs they held).
    events.extend(jobs);
    Ok(events)
}

/// The phase of a round whose speaker left: the next in `queue` speaks, with the clock
/// running or paused as the leaver's was; without anyone left, the discussion or the end.
fn next_speaker(
    queue: &mut Vec<ParticipantId>,
    settings: Option<turns::TurnSettings>,
    clock: Clock,
    now: Timestamp,
) -> turns::Phase {
    let settings = settings.unwrap_or(turns::TurnSettings {
        speaker_secs: 300,
        order: turns::TurnOrder::JoinOrder,
        auto_advance: false,
        discussion_secs: 0,
    });
    let fresh = |secs: u32| match clock {
        Clock::Paused { .. } => Clock::Paused {
            remaining_ms: u64::from(secs) * 1000,
        },
        Clock::Off => Clock::Off,
        Clock::Running { .. } => Clock::start(now, secs),
    };
    if queue.is_empty() {
        if settings.discussion_secs > 0 {
            turns::Phase::Discussion {
                clock: fresh(settings.discussion_secs),
            }
        } else {
            turns::Phase::Done
        }
    } else {
        turns::Phase::Speaking {
            speaker: queue.remove(0),
            clock: fresh(settings.speaker_secs),
            allotted_ms: u64::from(settings.speaker_secs) * 1000,
        }
    }
}

/// How a step's groups were first formed, following reuse back to the original.
fn original_mode(state: &State, step: StepId) -> Option<GroupingMode> {
    let mut mode = state.programme.grouping.get(&step).copied();
    for _ in 0..programme::MAX_STEPS {
        match mode {
            Some(GroupingMode::Reuse { from }) => {
                mode = state.programme.grouping.get(&from).copied()
            }
            other => return other,
        }
    }
    mode
}

/// Events that seat everyone who has joined but has no group in `step`, one by one (each
/// placement sees the ones before it). Applied to a scratch copy of the state.
fn seat_everyone(
    state: &State,
    step: StepId,
    mut events: Vec<Event>,
    now: Timestamp,
) -> Vec<Event> {
    let mut scratch = state.clone();
    for event in &events {
        let seq = scratch.seq + 1;
        scratch.apply(&crate::event::SequencedEvent {
            seq,
            event: event.clone(),
        });
    }
    let unseated: Vec<(ParticipantId, RoleId)> = scratch
        .participants
        .values()
        .filter(|p| scratch.programme.group_of(step, p.id).is_none())
        .map(|p| (p.id, p.role))
        .collect();
    for (id, role) in unseated {
        for event in seat(&scratch, step, id, role, now) {
            let seq = scratch.seq + 1;
            scratch.apply(&crate::event::SequencedEvent {
                seq,
                event: event.clone(),
            });
            events.push(event);
        }
    }
    events
}

/// The group's jobs after `gone` left (or with empty jobs filled), `members` being who is
/// there now: jobs still held are kept, empty ones go to members by the conference's rule.
/// `None` if nothing changes.
fn refill_jobs(
    state: &State,
    group: &Group,
    members: &[ParticipantId],
    gone: ParticipantId,
) -> Option<Event> {
    let (leader, note_taker, reporter) = jobs_for(state, members);
    let keep = |held: Option<ParticipantId>, fresh: Option<ParticipantId>| match held {
        Some(p) if p != gone && members.contains(&p) => Some(p),
        _ => fresh,
    };
    let jobs = (
        keep(group.leader, leader),
        keep(group.note_taker, note_taker),
        keep(group.reporter, reporter),
    );
    (jobs != (group.leader, group.note_taker, group.reporter)).then_some(Event::GroupJobsSet {
        step: state
            .programme
            .groups
            .iter()
            .find(|(_, groups)| groups.iter().any(|g| g.id == group.id))
            .map(|(step, _)| *step)?,
        group: group.id,
        leader: jobs.0,
        note_taker: jobs.1,
        reporter: jobs.2,
    })
}

/// Leader, note-taker and reporter among `members` by the conference's rule (a youth leads
/// when the facilitator asked for it and there is one).
fn jobs_for(
    state: &State,
    members: &[ParticipantId],
) -> (
    Option<ParticipantId>,
    Option<ParticipantId>,
    Option<ParticipantId>,
) {
    let is_youth = |p: ParticipantId| {
        state
            .participants
            .get(&p)
            .is_some_and(|p| p.role == BuiltinRole::Youth.id())
    };
    grouping::pick_jobs(members, is_youth, state.programme.prefer_youth_leader)
}

/// A group with a fresh identifier and its jobs chosen by the conference's rule.
fn new_group(state: &State, rng: &mut Rng, number: u32, members: Vec<ParticipantId>) -> Group {
    let (leader, note_taker, reporter) = jobs_for(state, &members);
    Group {
        id: GroupId(uuid::Uuid::from_u64_pair(rng.next_u64(), rng.next_u64())),
        number,
        name: None,
        members,
        leader,
        note_taker,
        reporter,
    }
}

fn group(state: &State, step: StepId, id: GroupId) -> Result<&Group, Rejection> {
    state.programme.step(step).ok_or(ErrorCode::UnknownStep)?;
    state
        .programme
        .groups
        .get(&step)
        .and_then(|groups| groups.iter().find(|g| g.id == id))
        .ok_or(ErrorCode::UnknownGroup)
}

/// A step with its texts cleaned and checked: blank questions are dropped, a timebox of 0
/// means none.
pub fn clean_step(step: &Step) -> Result<Step, Rejection> {
    let title =
        clean(&step.title, programme::STEP_TITLE_MAX_CHARS, false).map_err(|p| match p {
            TextProblem::Empty => ErrorCode::StepTitleEmpty,
            TextProblem::TooLong => ErrorCode::StepTitleTooLong,
        })?;
    let mut questions = Vec::new();
    for question in &step.questions {
        match clean(question, programme::QUESTION_MAX_CHARS, false) {
            Ok(q) => questions.push(q),
            Err(TextProblem::Empty) => {}
            Err(TextProblem::TooLong) => return Err(ErrorCode::QuestionTooLong),
        }
    }
    if questions.len() > programme::MAX_QUESTIONS {
        return Err(ErrorCode::TooManyQuestions);
    }
    let timebox_secs = match step.timebox_secs {
        None | Some(0) => None,
        Some(secs) if secs <= programme::MAX_TIMEBOX_SECS => Some(secs),
        Some(_) => return Err(ErrorCode::TimeboxInvalid),
    };
    Ok(Step {
        id: step.id,
        kind: step.kind,
        title,
        questions,
        timebox_secs,
        notes_open: step.notes_open,
        per_group: step.per_group,
        turns: step.turns.map(turns::TurnSettings::checked).transpose()?,
    })
}

/// Checks a title typed for a new or renamed conference.
pub fn clean_title(title: &str) -> Result<String, Rejection> {
    clean(title, limits::TITLE_MAX_CHARS, false).map_err(|p| match p {
        TextProblem::Empty => ErrorCode::TitleEmpty,
        TextProblem::TooLong => ErrorCode::TitleTooLong,
    })
}

fn clean_name(name: Option<&str>) -> Result<Option<String>, Rejection> {
    match name.map(|n| clean(n, limits::NAME_MAX_CHARS, false)) {
        None | Some(Err(TextProblem::Empty)) => Ok(None),
        Some(Err(TextProblem::TooLong)) => Err(ErrorCode::NameTooLong),
        Some(Ok(name)) => Ok(Some(name)),
    }
}

fn clean_role_name(name: &str) -> Result<String, Rejection> {
    clean(name, limits::ROLE_NAME_MAX_CHARS, false).map_err(|p| match p {
        TextProblem::Empty => ErrorCode::RoleNameEmpty,
        TextProblem::TooLong => ErrorCode::NameTooLong,
    })
}

fn require_facilitator(actor: Actor) -> Result<(), Rejection> {
    match actor {
        Actor::Facilitator => Ok(()),
        _ => Err(ErrorCode::NotAllowed),
    }
}

fn require_role(state: &State, role: RoleId) -> Result<(), Rejection> {
    state.role(role).map(|_| ()).ok_or(ErrorCode::UnknownRole)
}

fn joined_participant(state: &State, actor: Actor) -> Result<ParticipantId, Rejection> {
    match actor {
        Actor::Participant { id } if state.participants.contains_key(&id) => Ok(id),
        Actor::Participant { .. } => Err(ErrorCode::JoinFirst),
        _ => Err(ErrorCode::NotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::SequencedEvent;
    use crate::ids::ConferenceId;
    use crate::join_code::JoinCode;
    use crate::state::BuiltinRole;

    fn conference() -> State {
        let mut state = State::default();
        state.apply(&SequencedEvent {
            seq: 1,
            event: Event::ConferenceCreated {
                id: ConferenceId::random(),
                title: "Oppvekstplan".into(),
                language: Lang::Nn,
                join_code: JoinCode::parse("K7P4RX").unwrap(),
                created_at: Timestamp(1),
                roles: Role::defaults(),
            },
        });
        state
    }

    /// Decides and applies, as the server does; returns the new events.
    fn run(state: &mut State, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        let events = decide(state, actor, &command, Timestamp(state.seq * 1000))?;
        for event in &events {
            let seq = state.seq + 1;
            assert!(state.apply(&SequencedEvent {
                seq,
                event: event.clone()
            }));
        }
        Ok(events)
    }

    fn join(state: &mut State, role: BuiltinRole) -> Actor {
        let actor = Actor::Participant {
            id: ParticipantId::random(),
        };
        let join = Command::Join {
            name: Some(" Kari ".into()),
            role: role.id(),
        };
        run(state, actor, join).unwrap();
        actor
    }

    #[test]
    fn participant_joins_and_posts_a_note_that_carries_role_not_author() {
        let mut state = conference();
        let pupil = join(&mut state, BuiltinRole::Youth);
        let Actor::Participant { id } = pupil else {
            unreachable!()
        };
        assert_eq!(state.participants[&id].name.as_deref(), Some("Kari"));
        let note = NoteId::random();
        let post = Command::PostNote {
            note,
            text: "  Meir lys i gymsalen\n".into(),
            question: None,
            for_group: false,
        };
        run(&mut state, pupil, post).unwrap();
        let posted = &state.notes[&note];
        assert_eq!(posted.text, "Meir lys i gymsalen");
        assert_eq!(posted.role, Some(BuiltinRole::Youth.id()));
        assert_eq!(posted.seq, state.seq);
        let json = serde_json::to_string(posted).unwrap();
        assert!(
            !json.contains(&id.to_string()),
            "a note must not name its writer"
        );
    }

    #[test]
    fn a_retried_note_is_recognised_and_produces_nothing() {
        let mut state = conference();
        let pupil = join(&mut state, BuiltinRole::Youth);
        let post = Command::PostNote {
            note: NoteId::random(),
            text: "Hei".into(),
            question: None,
            for_group: false,
        };
        assert_eq!(run(&mut state, pupil, post.clone()).unwrap().len(), 1);
        assert_eq!(run(&mut state, pupil, post).unwrap().len(), 0);
        assert_eq!(state.notes.len(), 1);
    }

    #[test]
    fn joining_twice_with_the_same_profile_is_a_no_op_and_with_another_a_change() {
        let mut state = conference();
        let actor = Actor::Participant {
            id: ParticipantId::random(),
        };
        let join = |role: BuiltinRole| Command::Join {
            name: None,
            role: role.id(),
        };
        assert_eq!(
            run(&mut state, actor, join(BuiltinRole::Parent))
                .unwrap()
                .len(),
            1
        );
        assert!(
            run(&mut state, actor, join(BuiltinRole::Parent))
                .unwrap()
                .is_empty()
        );
        let changed = run(&mut state, actor, join(BuiltinRole::Teacher)).unwrap();
        assert!(matches!(changed[0], Event::ProfileChanged { .. }));
        assert_eq!(state.participants.len(), 1);
    }

    #[test]
    fn notes_are_refused_when_empty_too_long_or_before_joining() {
        let mut state = conference();
        let stranger = Actor::Participant {
            id: ParticipantId::random(),
        };
        let post = |text: String| Command::PostNote {
            note: NoteId::random(),
            text,
            question: None,
            for_group: false,
        };
        assert_eq!(
            run(&mut state, stranger, post("Hei".into())),
            Err(ErrorCode::JoinFirst)
        );
        let pupil = join(&mut state, BuiltinRole::Youth);
        assert_eq!(
            run(&mut state, pupil, post(" \n ".into())),
            Err(ErrorCode::NoteEmpty)
        );
        let long = "ø".repeat(limits::NOTE_MAX_CHARS + 1);
        assert_eq!(
            run(&mut state, pupil, post(long)),
            Err(ErrorCode::NoteTooLong)
        );
        let exact = "ø".repeat(limits::NOTE_MAX_CHARS);
        assert!(run(&mut state, pupil, post(exact)).is_ok());
        assert_eq!(
            run(&mut state, Actor::Screen, post("x".into())),
            Err(ErrorCode::NotAllowed)
        );
    }

    #[test]
    fn only_the_facilitator_edits_roles_and_title() {
        let mut state = conference();
        let pupil = join(&mut state, BuiltinRole::Youth);
        let add = Command::AddRole {
            role: RoleId::random(),
            name: "Trenar".into(),
        };
        assert_eq!(
            run(&mut state, pupil, add.clone()),
            Err(ErrorCode::NotAllowed)
        );
        assert_eq!(
            run(&mut state, Actor::Screen, add.clone()),
            Err(ErrorCode::NotAllowed)
        );
        run(&mut state, Actor::Facilitator, add).unwrap();
        assert_eq!(state.roles.len(), 7);
        let rename = Command::RenameConference { title: "Ny".into() };
        assert_eq!(
            run(&mut state, pupil, rename.clone()),
            Err(ErrorCode::NotAllowed)
        );
        run(&mut state, Actor::Facilitator, rename).unwrap();
        assert_eq!(state.title, "Ny");
    }

    #[test]
    fn a_role_in_use_cannot_be_removed_and_an_unknown_role_cannot_be_joined() {
        let mut state = conference();
        join(&mut state, BuiltinRole::Youth);
        let remove = |role: BuiltinRole| Command::RemoveRole { role: role.id() };
        assert_eq!(
            run(&mut state, Actor::Facilitator, remove(BuiltinRole::Youth)),
            Err(ErrorCode::RoleInUse)
        );
        run(
            &mut state,
            Actor::Facilitator,
            remove(BuiltinRole::Politician),
        )
        .unwrap();
        let late = Actor::Participant {
            id: ParticipantId::random(),
        };
        let join_removed = Command::Join {
            name: None,
            role: BuiltinRole::Politician.id(),
        };
        assert_eq!(
            run(&mut state, late, join_removed),
            Err(ErrorCode::UnknownRole)
        );
        let counts: Vec<usize> = state.role_counts().iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, vec![1, 0, 0, 0, 0]);
    }

    #[test]
    fn names_are_optional_and_limited() {
        let mut state = conference();
        let actor = Actor::Participant {
            id: ParticipantId::random(),
        };
        let too_long = Command::Join {
            name: Some("x".repeat(limits::NAME_MAX_CHARS + 1)),
            role: BuiltinRole::Other.id(),
        };
        assert_eq!(
            run(&mut state, actor, too_long),
            Err(ErrorCode::NameTooLong)
        );
        let blank = Command::Join {
            name: Some("   ".into()),
            role: BuiltinRole::Other.id(),
        };
        run(&mut state, actor, blank).unwrap();
        let Actor::Participant { id } = actor else {
            unreachable!()
        };
        assert_eq!(state.participants[&id].name, None);
    }
}
