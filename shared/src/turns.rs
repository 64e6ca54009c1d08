//! Talking rounds (*rundar*): in a group round every member in turn gets the floor for a fixed
//! time, uninterrupted, and may pass; after the round the group talks freely, then it is done.
//! A plenary report is the same machine run over the groups' reporters.
//!
//! Like the step clock, a turn's clock is an absolute server-time deadline, so every phone
//! counts down the same turn to the same instant whatever its own clock says. A round is
//! small (at most one entry per member, or per group for plenary reports) and every change
//! to it travels as the whole round ([`crate::Event::RoundChanged`]), which keeps the
//! reducer trivial and makes a repeated or late event harmless.
//!
//! Commands name the speaker they mean to act on (`Next { current }`), so two people pressing
//! "next" at once advance the queue once: the second press no longer matches and does
//! nothing. When a round advances by itself, the next turn starts at the previous deadline,
//! not when the server noticed, so a late tick or a restart never shifts the schedule.
//!
//! What is recorded per turn is who spoke, their role and for how long — never what was said
//! — so the input document can report how the floor was shared between roles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::grouping::Rng;
use crate::ids::{GroupId, ParticipantId, RoleId, StepId, Timestamp};
use crate::programme::{Clock, Group, StepKind};
use crate::protocol::ErrorCode;
use crate::state::{BuiltinRole, State};

/// Shortest and longest time per speaker, in seconds.
pub const SPEAKER_SECS: std::ops::RangeInclusive<u32> = 15..=1800;
/// Longest open discussion after a round, in seconds (0: none).
pub const MAX_DISCUSSION_SECS: u32 = 3600;
/// Most seconds one "more time" press adds.
pub const MAX_EXTEND_SECS: u32 = 600;
/// The last stretch of a turn that every screen marks, and when the next speaker is cued.
pub const FINAL_STRETCH_MS: u64 = 30_000;

/// Who speaks first, and in what order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnOrder {
    /// A shuffled order (the same on every screen, so the queue can be shown before it starts).
    Random,
    /// In the order people joined (plenary reports: by table number).
    JoinOrder,
    /// The youth first, then the others in join order.
    YouthFirst,
    /// Whoever has started a round least often starts; then round the table in join order.
    NewStarter,
}

impl TurnOrder {
    /// Every order rule, in the order a form lists them.
    pub const ALL: [TurnOrder; 4] = [
        Self::NewStarter,
        Self::Random,
        Self::JoinOrder,
        Self::YouthFirst,
    ];
}

/// How a step's talking rounds run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnSettings {
    /// Time per speaker, in seconds.
    pub speaker_secs: u32,
    /// Who speaks in what order.
    pub order: TurnOrder,
    /// Whether the floor passes on by itself when a speaker's time runs out.
    pub auto_advance: bool,
    /// Open discussion after the round, in seconds (0: the group is done after the last turn).
    pub discussion_secs: u32,
}

impl TurnSettings {
    /// The settings a new step of `kind` starts with: five minutes per speaker and ten of
    /// open discussion in a group round, two and a half minutes per reporter in plenary
    /// reports (no debate afterwards); other kinds have no rounds.
    pub fn default_for(kind: StepKind) -> Option<TurnSettings> {
        match kind {
            StepKind::GroupRound => Some(TurnSettings {
                speaker_secs: 300,
                order: TurnOrder::NewStarter,
                auto_advance: false,
                discussion_secs: 600,
            }),
            StepKind::Reports => Some(TurnSettings {
                speaker_secs: 150,
                order: TurnOrder::JoinOrder,
                auto_advance: false,
                discussion_secs: 0,
            }),
            _ => None,
        }
    }

    /// The settings checked against the limits.
    pub fn checked(self) -> Result<TurnSettings, ErrorCode> {
        if SPEAKER_SECS.contains(&self.speaker_secs) && self.discussion_secs <= MAX_DISCUSSION_SECS
        {
            Ok(self)
        } else {
            Err(ErrorCode::TimeboxInvalid)
        }
    }
}

/// How long a step's talking round needs, in seconds, and the step's clock, when the clock
/// is shorter: every speaker's turn plus the open discussion, for the largest group the step
/// has (or, before groups are formed, the chosen group size); for plenary reports, one turn
/// per reporting group. `None` when the clock is long enough, or the step has no clock or no
/// round. The console warns with it; it never stops a step.
pub fn clock_too_short(state: &State, step: StepId) -> Option<(u32, u32)> {
    let programme = &state.programme;
    let found = programme.step(step)?;
    let (settings, timebox) = (found.turns?, found.timebox_secs?);
    let speakers = match found.kind {
        StepKind::Reports => reporting_groups(state, step).len(),
        _ => programme
            .groups
            .get(&step)
            .and_then(|groups| groups.iter().map(|g| g.members.len()).max())
            .unwrap_or(usize::from(programme.group_size)),
    };
    let needed = settings.speaker_secs as u64 * speakers as u64 + settings.discussion_secs as u64;
    let needed = u32::try_from(needed).unwrap_or(u32::MAX);
    (needed > timebox).then_some((needed, timebox))
}

/// Where a round is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Not started; the queue may be reordered.
    Ready,
    /// `speaker` has the floor.
    Speaking {
        /// Who speaks.
        speaker: ParticipantId,
        /// The turn's clock.
        clock: Clock,
        /// The time this turn was given, extensions included, in milliseconds.
        allotted_ms: u64,
    },
    /// Everyone has had their turn; the group talks freely.
    Discussion {
        /// The discussion's clock (off when the step gives no time for it).
        clock: Clock,
    },
    /// The group is done.
    Done,
}

/// One finished turn: who, in which role, for how long. Never what was said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// Who had the floor.
    pub speaker: ParticipantId,
    /// Their role at the time.
    pub role: RoleId,
    /// How long they had the floor, in milliseconds (pauses not counted).
    pub spoke_ms: u64,
    /// Whether they passed.
    pub passed: bool,
}

/// A talking round in one group of a step, or the plenary report round of a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// The group; `None` for plenary reports, where the speakers are the groups' reporters.
    pub group: Option<GroupId>,
    /// Who is still waiting for the floor, in order (not the current speaker).
    pub queue: Vec<ParticipantId>,
    /// Where the round is.
    pub phase: Phase,
    /// Finished turns, in order.
    pub turns: Vec<TurnRecord>,
}

impl Round {
    /// Who has the floor now.
    pub fn speaker(&self) -> Option<ParticipantId> {
        match self.phase {
            Phase::Speaking { speaker, .. } => Some(speaker),
            _ => None,
        }
    }

    /// The clock that runs now (a turn's or the discussion's).
    pub fn clock(&self) -> Clock {
        match self.phase {
            Phase::Speaking { clock, .. } | Phase::Discussion { clock } => clock,
            Phase::Ready | Phase::Done => Clock::Off,
        }
    }

    /// Who started the round (spoke first, or speaks now as the first).
    pub fn starter(&self) -> Option<ParticipantId> {
        self.turns.first().map(|t| t.speaker).or(self.speaker())
    }

    /// Turns finished, and turns in all (finished, current and waiting): "2 of 5".
    pub fn progress(&self) -> (usize, usize) {
        let current = usize::from(self.speaker().is_some());
        (
            self.turns.len(),
            self.turns.len() + current + self.queue.len(),
        )
    }

    /// Where `who` waits: 1 speaks next (or first, before the round starts); `None` if
    /// they are not waiting.
    pub fn place_of(&self, who: ParticipantId) -> Option<usize> {
        self.queue.iter().position(|p| *p == who).map(|i| i + 1)
    }
}

/// What the leader (or the facilitator, or the speaker on their own turn) does to a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum TurnAction {
    /// Start the round: the first in the queue gets the floor. During the open discussion,
    /// gives the floor to whoever waits in the queue (someone who came late); the discussion
    /// comes back, with its clock from the start, after the last of them.
    Start,
    /// Pause the running clock (turn or discussion).
    Pause,
    /// Resume it.
    Resume,
    /// `current` is done: the floor goes to the next.
    Next {
        /// The speaker this press means; if someone else has the floor, nothing happens.
        current: ParticipantId,
    },
    /// `current` passes: recorded as a pass, the floor goes to the next.
    Pass {
        /// The speaker this press means.
        current: ParticipantId,
    },
    /// `current` is not ready: they go to the back of the queue without losing their turn.
    Skip {
        /// The speaker this press means.
        current: ParticipantId,
    },
    /// More time for the turn or the discussion.
    Extend {
        /// How much, 1 to [`MAX_EXTEND_SECS`] seconds.
        seconds: u32,
    },
    /// A new order for those still waiting (the same people).
    Reorder {
        /// Everyone waiting, in the new order.
        queue: Vec<ParticipantId>,
    },
    /// End the round now (the current turn is recorded); the group is done.
    Finish,
}

/// The people a round in `group` of `step` would start with, in the step's order. For plenary
/// reports (`group` is `None`), the reporters of the groups of the nearest earlier step that
/// has groups, by table number.
pub fn planned_queue(state: &State, step: StepId, group: Option<GroupId>) -> Vec<ParticipantId> {
    let programme = &state.programme;
    let Some(settings) = programme.step(step).and_then(|s| s.turns) else {
        return vec![];
    };
    let joined = |p: &ParticipantId| {
        state
            .participants
            .get(p)
            .map_or((u64::MAX, *p), |person| (person.joined_at.0, *p))
    };
    let is_youth = |p: &ParticipantId| {
        state
            .participants
            .get(p)
            .is_some_and(|person| person.role == BuiltinRole::Youth.id())
    };
    let mut people: Vec<ParticipantId> = match group {
        Some(id) => match state.programme.group(step, id) {
            Some(group) => {
                let mut members = group.members.clone();
                members.sort_by_key(joined);
                members
            }
            None => return vec![],
        },
        None => {
            let mut groups: Vec<&Group> = reporting_groups(state, step);
            groups.sort_by_key(|g| g.number);
            groups.iter().filter_map(|g| g.reporter).collect()
        }
    };
    let seed = step.0.as_u64_pair().0 ^ group.map_or(0, |g| g.0.as_u64_pair().1);
    match settings.order {
        TurnOrder::JoinOrder => {}
        TurnOrder::Random => Rng::new(seed).shuffle(&mut people),
        TurnOrder::YouthFirst => people.sort_by_key(|p| !is_youth(p)),
        TurnOrder::NewStarter => {
            let mut starts: BTreeMap<ParticipantId, usize> = BTreeMap::new();
            for (other, rounds) in &programme.rounds {
                if *other != step {
                    for starter in rounds.iter().filter_map(Round::starter) {
                        *starts.entry(starter).or_default() += 1;
                    }
                }
            }
            let starter = people
                .iter()
                .enumerate()
                .min_by_key(|(i, p)| (starts.get(p).copied().unwrap_or(0), *i))
                .map_or(0, |(i, _)| i);
            people.rotate_left(starter);
        }
    }
    people
}

/// The groups whose reporters speak in `step`'s plenary report: those of the nearest earlier
/// step that has groups.
pub fn reporting_groups(state: &State, step: StepId) -> Vec<&Group> {
    let programme = &state.programme;
    let Some(index) = programme.index_of(step) else {
        return vec![];
    };
    programme.steps[..index]
        .iter()
        .rev()
        .find_map(|s| programme.groups.get(&s.id).filter(|g| !g.is_empty()))
        .map(|groups| groups.iter().collect())
        .unwrap_or_default()
}

/// The round of `group` in `step`, if it has started or been reordered.
pub fn round_of(state: &State, step: StepId, group: Option<GroupId>) -> Option<&Round> {
    state
        .programme
        .rounds
        .get(&step)?
        .iter()
        .find(|r| r.group == group)
}

/// Whether `who` may steer the round of `group` in `step`: the facilitator always; a
/// participant when they lead that group. (The speaker may also end or pass their own turn;
/// [`decide_turn`] allows that separately.)
pub fn may_lead(state: &State, who: crate::Actor, step: StepId, group: Option<GroupId>) -> bool {
    match (who, group) {
        (crate::Actor::Facilitator, _) => true,
        (crate::Actor::Participant { id }, Some(group)) => state
            .programme
            .group(step, group)
            .is_some_and(|g| g.leader == Some(id)),
        _ => false,
    }
}

/// Checks a turn action and returns the round as it becomes (as an event), or nothing when
/// the action is already done (a second "next" for the same speaker, a pause of a paused
/// clock).
pub fn decide_turn(
    state: &State,
    actor: crate::Actor,
    step: StepId,
    group: Option<GroupId>,
    action: &TurnAction,
    now: Timestamp,
) -> Result<Vec<Event>, ErrorCode> {
    let found = state.programme.step(step).ok_or(ErrorCode::UnknownStep)?;
    let settings = found.turns.ok_or(ErrorCode::NoTurns)?;
    match group {
        Some(id) => {
            state
                .programme
                .group(step, id)
                .ok_or(ErrorCode::UnknownGroup)?;
        }
        None if found.kind != StepKind::Reports => return Err(ErrorCode::UnknownGroup),
        None => {}
    }
    let existing = round_of(state, step, group).cloned();
    let leads = may_lead(state, actor, step, group);
    let own_turn = match (actor, &existing) {
        (crate::Actor::Participant { id }, Some(round)) => round.speaker() == Some(id),
        _ => false,
    };
    let allowed = match action {
        TurnAction::Next { .. } | TurnAction::Pass { .. } => leads || own_turn,
        _ => leads,
    };
    if !allowed {
        return Err(ErrorCode::NotAllowed);
    }
    let mut round = existing.clone().unwrap_or_else(|| Round {
        group,
        queue: planned_queue(state, step, group),
        phase: Phase::Ready,
        turns: vec![],
    });
    match action {
        TurnAction::Start => match round.phase {
            Phase::Ready if round.queue.is_empty() => return Err(ErrorCode::NobodyToSpeak),
            Phase::Ready => advance(&mut round, &settings, now),
            // A latecomer waits during the discussion: they get the floor now.
            Phase::Discussion { .. } if !round.queue.is_empty() => {
                advance(&mut round, &settings, now)
            }
            _ => return Ok(vec![]),
        },
        TurnAction::Pause => round.phase = with_clock(round.phase, |c| c.paused(now)),
        TurnAction::Resume => round.phase = with_clock(round.phase, |c| c.resumed(now)),
        TurnAction::Extend { seconds } => {
            if !(1..=MAX_EXTEND_SECS).contains(seconds) {
                return Err(ErrorCode::TimeboxInvalid);
            }
            round.phase = match round.phase {
                Phase::Speaking {
                    speaker,
                    clock,
                    allotted_ms,
                } => {
                    let extended = clock.extended(now, *seconds);
                    let before = signed_remaining(clock, now);
                    let after = signed_remaining(extended, now);
                    Phase::Speaking {
                        speaker,
                        clock: extended,
                        allotted_ms: (allotted_ms as i64 + after - before).max(0) as u64,
                    }
                }
                Phase::Discussion { clock } => Phase::Discussion {
                    clock: clock.extended(now, *seconds),
                },
                other => other,
            };
        }
        TurnAction::Next { current }
        | TurnAction::Pass { current }
        | TurnAction::Skip { current } => {
            let Phase::Speaking {
                speaker,
                clock,
                allotted_ms,
            } = round.phase
            else {
                return Ok(vec![]);
            };
            if speaker != *current {
                return Ok(vec![]);
            }
            if matches!(action, TurnAction::Skip { .. }) {
                if round.queue.is_empty() {
                    return Ok(vec![]);
                }
                round.queue.push(speaker);
            } else {
                let passed = matches!(action, TurnAction::Pass { .. });
                let spoke = spoken(clock, allotted_ms, now);
                round.turns.push(record(state, speaker, spoke, passed));
            }
            advance(&mut round, &settings, now);
        }
        TurnAction::Reorder { queue } => {
            let mut wanted = queue.clone();
            let mut waiting = round.queue.clone();
            wanted.sort();
            waiting.sort();
            if wanted != waiting || round.phase == Phase::Done {
                return Err(ErrorCode::QueueChanged);
            }
            round.queue = queue.clone();
        }
        TurnAction::Finish => {
            if let Phase::Speaking {
                speaker,
                clock,
                allotted_ms,
            } = round.phase
            {
                let spoke = spoken(clock, allotted_ms, now);
                round.turns.push(record(state, speaker, spoke, false));
            }
            round.queue.clear();
            round.phase = Phase::Done;
        }
    }
    if Some(&round) == existing.as_ref() {
        return Ok(vec![]);
    }
    Ok(vec![Event::RoundChanged { step, round }])
}

/// A finished turn of `speaker`, with their role now.
fn record(state: &State, speaker: ParticipantId, spoke_ms: u64, passed: bool) -> TurnRecord {
    TurnRecord {
        speaker,
        role: state
            .participants
            .get(&speaker)
            .map_or(BuiltinRole::Other.id(), |p| p.role),
        spoke_ms,
        passed,
    }
}

/// The floor passes to the next in the queue; after the last, the discussion (or done).
/// A turn starts at `from`: now, or the previous deadline when the round moves by itself.
fn advance(round: &mut Round, settings: &TurnSettings, from: Timestamp) {
    round.phase = if round.queue.is_empty() {
        if settings.discussion_secs > 0 {
            Phase::Discussion {
                clock: Clock::start(from, settings.discussion_secs),
            }
        } else {
            Phase::Done
        }
    } else {
        Phase::Speaking {
            speaker: round.queue.remove(0),
            clock: Clock::start(from, settings.speaker_secs),
            allotted_ms: u64::from(settings.speaker_secs) * 1000,
        }
    };
}

fn with_clock(phase: Phase, change: impl Fn(Clock) -> Clock) -> Phase {
    match phase {
        Phase::Speaking {
            speaker,
            clock,
            allotted_ms,
        } => Phase::Speaking {
            speaker,
            clock: change(clock),
            allotted_ms,
        },
        Phase::Discussion { clock } => Phase::Discussion {
            clock: change(clock),
        },
        other => other,
    }
}

/// Milliseconds left, negative when the speaker has gone over time.
fn signed_remaining(clock: Clock, now: Timestamp) -> i64 {
    match clock {
        Clock::Running { deadline } => deadline.0 as i64 - now.0 as i64,
        Clock::Paused { remaining_ms } => remaining_ms as i64,
        Clock::Off => 0,
    }
}

/// How long the speaker has had the floor at `now`, overtime included, pauses not.
fn spoken(clock: Clock, allotted_ms: u64, now: Timestamp) -> u64 {
    (allotted_ms as i64 - signed_remaining(clock, now)).max(0) as u64
}

/// Milliseconds the speaker is over time at `now` (0 when within time or paused).
pub fn overtime_ms(clock: Clock, now: Timestamp) -> u64 {
    (-signed_remaining(clock, now)).max(0) as u64
}

/// The changes time alone makes at `now` in the running step's rounds that advance by
/// themselves: each expired turn is recorded at its full time and the next starts at its
/// deadline; an expired discussion ends. The server calls this before each batch and when
/// [`next_due`] comes.
pub fn due(state: &State, now: Timestamp) -> Vec<Event> {
    let programme = &state.programme;
    let Some(step) = programme.current_step() else {
        return vec![];
    };
    let Some(settings) = step.turns.filter(|t| t.auto_advance) else {
        return vec![];
    };
    let Some(rounds) = programme.rounds.get(&step.id) else {
        return vec![];
    };
    let mut events = Vec::new();
    for original in rounds {
        let mut round = original.clone();
        // Each pass consumes one turn (or the discussion), so this ends.
        loop {
            match round.phase {
                Phase::Speaking {
                    speaker,
                    clock: Clock::Running { deadline },
                    allotted_ms,
                } if deadline <= now => {
                    round.turns.push(record(state, speaker, allotted_ms, false));
                    advance(&mut round, &settings, deadline);
                }
                Phase::Discussion {
                    clock: Clock::Running { deadline },
                } if deadline <= now => round.phase = Phase::Done,
                _ => break,
            }
        }
        if round != *original {
            events.push(Event::RoundChanged {
                step: step.id,
                round,
            });
        }
    }
    events
}

/// When [`due`] will next have something to do, if ever (server time).
pub fn next_due(state: &State) -> Option<Timestamp> {
    let programme = &state.programme;
    let step = programme.current_step()?;
    step.turns.filter(|t| t.auto_advance)?;
    programme
        .rounds
        .get(&step.id)?
        .iter()
        .filter_map(|round| match round.clock() {
            Clock::Running { deadline } => Some(deadline),
            _ => None,
        })
        .min()
}

/// The round changes when `participant` moves from one group of `step` to another: they leave
/// the old group's queue (a turn in progress is recorded and the floor passes on), and join
/// the end of the new group's queue if its round is under way and they have not spoken in it.
pub fn member_moved(
    state: &State,
    step: StepId,
    participant: ParticipantId,
    to: GroupId,
    now: Timestamp,
) -> Vec<Event> {
    let Some(settings) = state.programme.step(step).and_then(|s| s.turns) else {
        return vec![];
    };
    let Some(rounds) = state.programme.rounds.get(&step) else {
        return vec![];
    };
    let mut events = Vec::new();
    for original in rounds {
        let Some(group) = original.group else {
            continue;
        };
        let mut round = original.clone();
        if group == to {
            let waiting =
                round.place_of(participant).is_some() || round.speaker() == Some(participant);
            let spoke = round.turns.iter().any(|t| t.speaker == participant);
            if !waiting && !spoke && round.phase != Phase::Done {
                round.queue.push(participant);
            }
        } else {
            round.queue.retain(|p| *p != participant);
            if let Phase::Speaking {
                speaker,
                clock,
                allotted_ms,
            } = round.phase
                && speaker == participant
            {
                let spoke = spoken(clock, allotted_ms, now);
                round.turns.push(record(state, speaker, spoke, false));
                advance(&mut round, &settings, now);
            }
        }
        if round != *original {
            events.push(Event::RoundChanged { step, round });
        }
    }
    events
}

/// Pauses the running clocks of `step`'s rounds, for when the programme moves on: a round
/// left running would otherwise run out unseen.
pub fn pause_all(state: &State, step: StepId, now: Timestamp) -> Vec<Event> {
    let Some(rounds) = state.programme.rounds.get(&step) else {
        return vec![];
    };
    rounds
        .iter()
        .filter(|r| matches!(r.clock(), Clock::Running { .. }))
        .map(|r| Event::RoundChanged {
            step,
            round: Round {
                phase: with_clock(r.phase, |c| c.paused(now)),
                ..r.clone()
            },
        })
        .collect()
}

/// How the floor was shared: per role, the total speaking time, the number of turns and of
/// passes, over every finished turn of the conference (plenary reports included).
pub fn floor_by_role(state: &State) -> Vec<FloorShare> {
    let mut shares: Vec<FloorShare> = state
        .roles
        .iter()
        .map(|r| FloorShare {
            role: r.id,
            spoke_ms: 0,
            turns: 0,
            passes: 0,
        })
        .collect();
    for turn in state
        .programme
        .rounds
        .values()
        .flatten()
        .flat_map(|r| &r.turns)
    {
        let index = match shares.iter().position(|s| s.role == turn.role) {
            Some(i) => i,
            None => {
                shares.push(FloorShare {
                    role: turn.role,
                    spoke_ms: 0,
                    turns: 0,
                    passes: 0,
                });
                shares.len() - 1
            }
        };
        let share = &mut shares[index];
        share.turns += 1;
        share.passes += usize::from(turn.passed);
        share.spoke_ms += turn.spoke_ms;
    }
    shares
}

/// One role's share of the floor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloorShare {
    /// The role.
    pub role: RoleId,
    /// Total speaking time, in milliseconds.
    pub spoke_ms: u64,
    /// Turns taken (passes included).
    pub turns: usize,
    /// Of which passes.
    pub passes: usize,
}
