//! The programme: the steps a conference goes through, which one is running, and its clock.
//!
//! The clock is server-authoritative and never ticks over the network: a running clock is
//! stored as the absolute instant it runs out (`deadline`, server time), a paused one as the
//! time left. Every screen computes what to show from that and its own estimate of the
//! server's clock, so a phone whose clock is minutes wrong still counts down correctly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{GroupId, ParticipantId, StepId, Timestamp};
use crate::turns::{Round, TurnSettings};

/// Most steps in a programme.
pub const MAX_STEPS: usize = 40;
/// Most questions in one step.
pub const MAX_QUESTIONS: usize = 10;
/// Longest step title, in characters.
pub const STEP_TITLE_MAX_CHARS: usize = 120;
/// Longest question, in characters.
pub const QUESTION_MAX_CHARS: usize = 400;
/// Longest timebox of a step, in seconds (four hours).
pub const MAX_TIMEBOX_SECS: u32 = 4 * 3600;
/// Smallest and largest group size the facilitator may choose (the method says at most 8).
pub const GROUP_SIZES: std::ops::RangeInclusive<u8> = 2..=8;
/// The group size a new conference starts with.
pub const DEFAULT_GROUP_SIZE: u8 = 5;

/// What happens in a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Everyone together: opening, information, the way forward.
    Plenary,
    /// Groups work on the question, with a talking round.
    GroupRound,
    /// Everyone writes notes.
    Notes,
    /// Each group's reporter presents in plenary.
    Reports,
    /// Notes are clustered into themes.
    Clustering,
    /// Dot voting on themes or notes.
    Voting,
}

impl StepKind {
    /// The translation key naming this kind of step.
    pub fn key(self) -> crate::Key {
        use crate::Key;
        match self {
            StepKind::Plenary => Key::KindPlenary,
            StepKind::GroupRound => Key::KindGroupRound,
            StepKind::Notes => Key::KindNotes,
            StepKind::Reports => Key::KindReports,
            StepKind::Clustering => Key::KindClustering,
            StepKind::Voting => Key::KindVoting,
        }
    }
}

/// One step of the programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Identifier, made by the facilitator's device.
    pub id: StepId,
    /// What happens.
    pub kind: StepKind,
    /// Title, as shown on every screen.
    pub title: String,
    /// The question(s) asked, in order.
    pub questions: Vec<String>,
    /// How long the step should take, if it has a clock.
    pub timebox_secs: Option<u32>,
    /// Whether phones may write notes during the step.
    pub notes_open: bool,
    /// Whether each group takes its own question (group 1 the first, group 2 the second, and
    /// round again when there are more groups than questions), as in a child-rights
    /// self-assessment where each step-group works on one theme.
    #[serde(default)]
    pub per_group: bool,
    /// How talking rounds run in this step, if it has them (group rounds and plenary reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turns: Option<TurnSettings>,
}

impl Step {
    /// The question group number `group` works on in this step: its own when the step gives
    /// each group one, otherwise all of them.
    pub fn questions_for(&self, group: Option<u32>) -> Vec<&str> {
        match (self.per_group, group) {
            (true, Some(number)) if !self.questions.is_empty() => {
                let index = (number.max(1) as usize - 1) % self.questions.len();
                vec![self.questions[index].as_str()]
            }
            _ => self.questions.iter().map(String::as_str).collect(),
        }
    }
}

/// The step clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Clock {
    /// No clock (the step has no timebox, or nothing runs).
    #[default]
    Off,
    /// Counting down to `deadline` (server time).
    Running {
        /// When time is up, in server time.
        deadline: Timestamp,
    },
    /// Paused with this much time left.
    Paused {
        /// Milliseconds left.
        remaining_ms: u64,
    },
}

impl Clock {
    /// A clock started now for `secs` seconds.
    pub fn start(now: Timestamp, secs: u32) -> Clock {
        Clock::Running {
            deadline: Timestamp(now.0 + u64::from(secs) * 1000),
        }
    }

    /// Milliseconds left at server time `now` (0 when time is up); `None` without a clock.
    pub fn remaining_ms(self, now: Timestamp) -> Option<u64> {
        match self {
            Clock::Off => None,
            Clock::Running { deadline } => Some(deadline.0.saturating_sub(now.0)),
            Clock::Paused { remaining_ms } => Some(remaining_ms),
        }
    }

    /// The clock paused at `now`; other clocks unchanged.
    pub fn paused(self, now: Timestamp) -> Clock {
        match self {
            Clock::Running { deadline } => Clock::Paused {
                remaining_ms: deadline.0.saturating_sub(now.0),
            },
            other => other,
        }
    }

    /// The clock resumed at `now`; other clocks unchanged.
    pub fn resumed(self, now: Timestamp) -> Clock {
        match self {
            Clock::Paused { remaining_ms } => Clock::Running {
                deadline: Timestamp(now.0 + remaining_ms),
            },
            other => other,
        }
    }

    /// The clock with `secs` more seconds (counted from now if time was already up).
    pub fn extended(self, now: Timestamp, secs: u32) -> Clock {
        let more = u64::from(secs) * 1000;
        match self {
            Clock::Running { deadline } => Clock::Running {
                deadline: Timestamp(deadline.0.max(now.0) + more),
            },
            Clock::Paused { remaining_ms } => Clock::Paused {
                remaining_ms: remaining_ms + more,
            },
            Clock::Off => Clock::start(now, secs),
        }
    }
}

/// How a step's groups are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum GroupingMode {
    /// People with the same role together (*like grupper*), so everyone dares to speak.
    Homogeneous,
    /// Roles spread as evenly as the numbers allow (*blanda grupper*), so views meet.
    Mixed,
    /// The same groups as an earlier step.
    Reuse {
        /// The step whose groups to copy.
        from: StepId,
    },
}

/// A group (table) in a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Identifier.
    pub id: GroupId,
    /// Table number, from 1, as shown in the room.
    pub number: u32,
    /// Optional name given by the facilitator.
    pub name: Option<String>,
    /// Members, in the order they were placed.
    pub members: Vec<ParticipantId>,
    /// The group leader (*gruppeleiar*).
    pub leader: Option<ParticipantId>,
    /// The note-taker (*referent*).
    pub note_taker: Option<ParticipantId>,
    /// The reporter (*rapportør*).
    pub reporter: Option<ParticipantId>,
}

/// The programme and where the conference is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The step running now, if any.
    pub current: Option<StepId>,
    /// The current step's clock.
    pub clock: Clock,
    /// Group size used when groups are formed.
    pub group_size: u8,
    /// Whether the group leader is chosen among the youth when there is one.
    pub prefer_youth_leader: bool,
    /// Each step's groups, once formed.
    pub groups: BTreeMap<StepId, Vec<Group>>,
    /// How each step's groups were formed (late arrivals are placed by the same rule).
    pub grouping: BTreeMap<StepId, GroupingMode>,
    /// Each step's talking rounds, once started (one per group; plenary reports have one
    /// without a group).
    #[serde(default)]
    pub rounds: BTreeMap<StepId, Vec<Round>>,
    /// Whether the facilitator ended the programme (no step runs, and one did before).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ended: bool,
}

impl Default for Programme {
    fn default() -> Self {
        Programme {
            steps: Vec::new(),
            current: None,
            clock: Clock::Off,
            group_size: DEFAULT_GROUP_SIZE,
            prefer_youth_leader: true,
            groups: BTreeMap::new(),
            grouping: BTreeMap::new(),
            rounds: BTreeMap::new(),
            ended: false,
        }
    }
}

impl Programme {
    /// The step with this identifier.
    pub fn step(&self, id: StepId) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// Position of a step in the programme.
    pub fn index_of(&self, id: StepId) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    /// The running step.
    pub fn current_step(&self) -> Option<&Step> {
        self.current.and_then(|id| self.step(id))
    }

    /// The group with this identifier in `step`.
    pub fn group(&self, step: StepId, group: GroupId) -> Option<&Group> {
        self.groups.get(&step)?.iter().find(|g| g.id == group)
    }

    /// The group `participant` is in during `step`.
    pub fn group_of(&self, step: StepId, participant: ParticipantId) -> Option<&Group> {
        self.groups
            .get(&step)?
            .iter()
            .find(|g| g.members.contains(&participant))
    }
}

/// The server clock minus this device's clock, estimated from one ping: the server's time
/// is taken to be halfway through the round trip. All in milliseconds.
pub fn clock_offset(sent: f64, server_time: Timestamp, received: f64) -> f64 {
    server_time.0 as f64 + (received - sent) / 2.0 - received
}

/// This device's estimate of the server's clock, given its own clock and the offset.
pub fn server_now(device_now: f64, offset: f64) -> Timestamp {
    Timestamp((device_now + offset).max(0.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_gets_its_own_question_when_the_step_says_so() {
        let mut step = Step {
            id: StepId::random(),
            kind: StepKind::GroupRound,
            title: "Sju steg".into(),
            questions: vec!["A".into(), "B".into(), "C".into()],
            timebox_secs: None,
            notes_open: true,
            per_group: false,
            turns: None,
        };
        assert_eq!(step.questions_for(Some(2)), vec!["A", "B", "C"]);
        step.per_group = true;
        assert_eq!(step.questions_for(Some(2)), vec!["B"]);
        assert_eq!(step.questions_for(Some(4)), vec!["A"], "round again");
        assert_eq!(
            step.questions_for(None),
            vec!["A", "B", "C"],
            "the projector shows all"
        );
    }

    #[test]
    fn a_clock_counts_pauses_resumes_and_extends_in_server_time() {
        let start = Timestamp(1_000_000);
        let clock = Clock::start(start, 300);
        assert_eq!(clock.remaining_ms(Timestamp(1_060_000)), Some(240_000));
        let paused = clock.paused(Timestamp(1_060_000));
        // Time passes while paused: nothing is lost.
        assert_eq!(paused.remaining_ms(Timestamp(9_999_999)), Some(240_000));
        let resumed = paused.resumed(Timestamp(2_000_000));
        assert_eq!(resumed.remaining_ms(Timestamp(2_000_000)), Some(240_000));
        assert_eq!(
            resumed
                .extended(Timestamp(2_000_000), 60)
                .remaining_ms(Timestamp(2_000_000)),
            Some(300_000)
        );
        // Past the deadline: 0, and +1 minute counts from now.
        assert_eq!(resumed.remaining_ms(Timestamp(3_000_000)), Some(0));
        assert_eq!(
            resumed
                .extended(Timestamp(3_000_000), 60)
                .remaining_ms(Timestamp(3_000_000)),
            Some(60_000)
        );
        assert_eq!(Clock::Off.remaining_ms(start), None);
    }
}
