//! Typed identifiers. Everything a client creates gets its UUID on the client, so that a
//! command retried after a dropped connection is recognised instead of applied twice.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random identifier.
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// One conference (one meeting).
    ConferenceId
);
uuid_id!(
    /// One participant's device in one conference.
    ParticipantId
);
uuid_id!(
    /// One sticky note.
    NoteId
);
uuid_id!(
    /// One role in a conference's role list.
    RoleId
);
uuid_id!(
    /// One command as sent by a client; acknowledgements and rejections refer to it.
    CommandId
);
uuid_id!(
    /// One step of a conference's programme.
    StepId
);
uuid_id!(
    /// One group (table) in a step.
    GroupId
);
uuid_id!(
    /// One theme that notes are clustered into.
    ThemeId
);
uuid_id!(
    /// One plan: the meetings whose inputs go into one shared input document.
    PlanId
);
uuid_id!(
    /// One meeting in a plan: a conference on this server, or one imported from a file.
    MeetingId
);

/// Milliseconds since the Unix epoch, as measured by the server's clock. Clients never use
/// their own clock for anything shared; they estimate their offset from the server instead.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub u64);
