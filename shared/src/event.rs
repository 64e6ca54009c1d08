//! Events: the facts a conference is made of, in the order they happened. The server appends
//! them to the log and broadcasts them; every screen applies them with
//! [`crate::state::State::apply`]. Events never carry secrets or note authors.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::ids::{ConferenceId, ParticipantId, RoleId, Timestamp};
use crate::join_code::JoinCode;
use crate::state::{Note, Participant, Role};

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
}

/// An event with its place in the conference's log. `seq` starts at 1 and has no gaps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SequencedEvent {
    /// Position in the log.
    pub seq: u64,
    /// What happened.
    pub event: Event,
}
