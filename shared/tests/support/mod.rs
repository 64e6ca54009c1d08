//! The test room shared by the programme and turn tests: a conference driven through
//! `decide` and `apply` exactly as the server drives it, with a clock the test sets.

#![allow(dead_code)]

use ordet_shared::command::{Actor, Command, decide};
use ordet_shared::event::{Event, SequencedEvent};
use ordet_shared::programme::{Step, StepKind};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::state::{BuiltinRole, Role, State};
use ordet_shared::{ConferenceId, JoinCode, Lang, ParticipantId, StepId, Timestamp};

/// A conference and the time it is.
pub struct Room {
    /// The state after every command so far.
    pub state: State,
    /// Server time for the next command.
    pub now: Timestamp,
}

impl Room {
    pub fn new() -> Room {
        let mut state = State::default();
        state.apply(&SequencedEvent {
            seq: 1,
            event: Event::ConferenceCreated {
                id: ConferenceId::random(),
                title: "Programme".into(),
                language: Lang::Nb,
                join_code: JoinCode::parse("K7P4RX").unwrap(),
                created_at: Timestamp(0),
                roles: Role::defaults(),
            },
        });
        Room {
            state,
            now: Timestamp(1_000_000),
        }
    }

    pub fn run(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, ErrorCode> {
        let events = decide(&self.state, actor, &command, self.now)?;
        for event in &events {
            let seq = self.state.seq + 1;
            self.state.apply(&SequencedEvent {
                seq,
                event: event.clone(),
            });
        }
        Ok(events)
    }

    pub fn facilitator(&mut self, command: Command) -> Result<Vec<Event>, ErrorCode> {
        self.run(Actor::Facilitator, command)
    }

    pub fn join(&mut self, role: BuiltinRole) -> ParticipantId {
        let id = ParticipantId::random();
        let join = Command::Join {
            name: None,
            role: role.id(),
        };
        self.run(Actor::Participant { id }, join).expect("joined");
        id
    }

    pub fn add_step(&mut self, title: &str, timebox: Option<u32>, notes_open: bool) -> StepId {
        let step = Step {
            id: StepId::random(),
            kind: StepKind::GroupRound,
            title: title.into(),
            questions: vec!["Kvar står vi?".into(), "   ".into()],
            timebox_secs: timebox,
            notes_open,
            per_group: false,
            turns: None,
        };
        let id = step.id;
        self.facilitator(Command::AddStep { step, index: None })
            .expect("step added");
        id
    }

    pub fn remaining(&self) -> Option<u64> {
        self.state.programme.clock.remaining_ms(self.now)
    }
}
