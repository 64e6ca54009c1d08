//! # ordet-shared
//!
//! Everything the Ordet server and the browser app must agree on, compiled for both targets:
//!
//! - [`state`]: the conference state and the one reducer, [`state::State::apply`], that both
//!   sides run on the same numbered events — so a screen can never disagree with the server
//!   about what an event means.
//! - [`command`]: what a person may ask for, and [`command::decide`], the pure rule that turns
//!   an allowed command into events (or a plain-words rejection).
//! - [`protocol`]: the websocket messages, with [`protocol::PROTOCOL_VERSION`].
//! - [`i18n`]: every user-visible string, in nynorsk, bokmål and English.
//! - [`programme`]: steps, the running step and its server-authoritative clock;
//!   [`grouping`]: forming groups, placing late arrivals, choosing group jobs;
//!   [`templates`]: ready-made programmes in all three languages;
//!   [`turns`]: talking rounds, where everyone in a group gets the floor in turn.
//! - [`notes`]: sticky notes, moderation, themes and the projector wall; [`voting`]: dot
//!   voting with secret ballots; [`words`] and [`clustering`]: the word cloud and suggested
//!   themes, computed on the server for nynorsk, bokmål and English.
//! - [`audience`]: what each screen may receive — the facilitator's console, the projector,
//!   a participant's phone, a phone still on the join form — as its own type, made only by
//!   projecting the state and each stored event for that audience; [`anonymity`]: the k = 3
//!   rule for what may be shown with a note.
//! - [`join_code`], [`ids`], [`limits`]: the small vocabulary the rest is built from.
//!
//! The crate is pure: no I/O, no clock, no randomness. Time and identifiers come in as
//! arguments, which keeps the reducer deterministic and testable.

pub mod anonymity;
pub mod audience;
pub mod clustering;
pub mod command;
pub mod event;
pub mod grouping;
pub mod i18n;
pub mod ids;
pub mod join_code;
pub mod limits;
pub mod notes;
pub mod plan;
pub mod programme;
pub mod protocol;
pub mod state;
pub mod templates;
pub mod text;
pub mod turns;
pub mod voting;
pub mod words;

pub use command::{Actor, Command, Rejection, decide};
pub use event::{Event, SequencedEvent};
pub use i18n::{Key, Lang};
pub use ids::{
    CommandId, ConferenceId, GroupId, MeetingId, NoteId, ParticipantId, PlanId, RoleId, StepId,
    ThemeId, Timestamp,
};
pub use join_code::JoinCode;
pub use state::State;
