//! The wire protocol between the browser app (or any websocket client) and the server:
//! JSON text frames, one message each, tagged by `"type"`. `docs/protocol.md` has an example
//! of every message; the golden tests in `tests/` keep the two in step.
//!
//! A connection starts with [`ClientMessage::Hello`]; the server answers
//! [`ServerMessage::Welcome`], then either a [`ServerMessage::Snapshot`] or the events the
//! client missed, then every new event as it happens.

use serde::{Deserialize, Serialize};

use crate::audience::{ScreenEvent, Seat, Told, View};
use crate::command::{Actor, Command};
use crate::i18n::{Key, Lang};
use crate::ids::{CommandId, ConferenceId, ParticipantId, Timestamp};
use crate::join_code::JoinCode;
use crate::state::{Role, State};

/// Bumped whenever a message changes shape. A client with another version is told to reload.
pub const PROTOCOL_VERSION: u32 = 5;

/// Websocket close codes the server uses (4000–4999 are free for applications).
pub mod close_code {
    /// The client speaks another protocol version: reload the app.
    pub const PROTOCOL_MISMATCH: u16 = 4000;
    /// The key or token does not fit this conference.
    pub const UNAUTHORIZED: u16 = 4001;
    /// The first message was not a valid `hello`.
    pub const BAD_HELLO: u16 = 4002;
    /// No such conference.
    pub const UNKNOWN_CONFERENCE: u16 = 4004;
    /// The client did not read fast enough and fell too far behind: reconnect to catch up.
    pub const TOO_SLOW: u16 = 4008;
    /// The client kept sending far more than allowed.
    pub const FLOODING: u16 = 4009;
    /// The server is shutting down; reconnect later.
    pub const GOING_AWAY: u16 = 1001;
    /// A message was larger than the limit.
    pub const TOO_BIG: u16 = 1009;
}

/// How a connection proves who it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Auth {
    /// The facilitator key from the console link.
    Facilitator {
        /// The secret key.
        key: String,
    },
    /// The projector screen's key (it may watch, not act).
    Screen {
        /// The screen key.
        key: String,
    },
    /// A participant's device: an identifier and a secret token, both made on the device.
    /// The first connection with a new identifier may join; later ones must bring the same
    /// token.
    Participant {
        /// The device's participant identifier.
        id: ParticipantId,
        /// The device's secret token (at least 16 characters).
        token: String,
    },
}

/// Messages from a client to the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// First message of every connection.
    Hello {
        /// Must equal [`PROTOCOL_VERSION`].
        protocol: u32,
        /// Which conference.
        conference: ConferenceId,
        /// Who is connecting.
        auth: Auth,
        /// The last event this client has applied, to resume from; `None` asks for a snapshot.
        since: Option<u64>,
    },
    /// A command; answered by [`ServerMessage::Ack`] or [`ServerMessage::Rejected`].
    Command {
        /// Made by the client; the answer refers to it.
        id: CommandId,
        /// What to do.
        command: Command,
    },
    /// Keeps the connection honest and measures the clock offset; answered by `pong`.
    Ping {
        /// The client's clock in milliseconds, echoed back.
        client_time: f64,
    },
}

/// Messages from the server to a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Answer to `hello`.
    Welcome {
        /// The server's protocol version.
        protocol: u32,
        /// The server's clock, for estimating the offset.
        server_time: Timestamp,
        /// Who the server took the connection to be.
        viewer: Actor,
        /// The address phones open to join, as the projector should show it.
        join_url: String,
        /// Only for the facilitator: the key that opens the projector screen.
        screen_key: Option<String>,
    },
    /// The whole state, when the client is new or too far behind to replay.
    Snapshot {
        /// The state as of `state.seq`.
        state: Box<State>,
    },
    /// A large snapshot in pieces: the `data` of parts `0..parts`, joined in order, is the
    /// state's JSON. Parts arrive one after another, before any later event. Pieces keep
    /// every frame small, so no connection holds a buffer the size of a whole conference.
    SnapshotPart {
        /// The state's `seq`.
        seq: u64,
        /// This piece's position, from 0.
        part: u32,
        /// How many pieces there are.
        parts: u32,
        /// This piece of the state's JSON.
        data: String,
    },
    /// One event, live or replayed, as this screen's audience may see it (see
    /// [`crate::audience`]). Events come in the order of `seq`; an audience that is not told
    /// of some events (a phone on the join form) sees gaps, which are not losses.
    Event(ScreenEvent),
    /// A phone's own part of the room, in place of the one it had: the people it sits with,
    /// its groups and their talking rounds (see [`crate::audience::Seat`]). Sent after a
    /// snapshot and after each event that changes it; it carries no `seq`.
    Seat(Seat),
    /// The command was carried out and is safely stored (or had been already).
    Ack {
        /// The command's identifier.
        id: CommandId,
        /// The last event it caused; `None` when it was already carried out before.
        seq: Option<u64>,
    },
    /// The command was refused; nothing changed.
    Rejected {
        /// The command's identifier.
        id: CommandId,
        /// Why, as a code the app translates.
        error: ErrorCode,
        /// Why, in English, for logs and developers.
        message: String,
    },
    /// A problem with the connection rather than one command (sent before a close, or for a
    /// message that could not be read).
    Error {
        /// Why, as a code the app translates.
        error: ErrorCode,
        /// Why, in English, for logs and developers.
        message: String,
    },
    /// Answer to `ping`.
    Pong {
        /// Echo of the client's clock.
        client_time: f64,
        /// The server's clock.
        server_time: Timestamp,
    },
}

impl From<Told> for ServerMessage {
    fn from(told: Told) -> ServerMessage {
        match told {
            Told::Event(event) => ServerMessage::Event(event),
            Told::Seat(seat) => ServerMessage::Seat(seat),
        }
    }
}

/// Snapshots whose JSON is longer than this are sent in pieces of at most this many bytes.
pub const SNAPSHOT_PART_BYTES: usize = 8 * 1024;

/// The snapshot messages for a screen's view: one [`ServerMessage::Snapshot`] when it is
/// small, or [`ServerMessage::SnapshotPart`]s split at character boundaries.
pub fn snapshot_messages(view: &View) -> Vec<ServerMessage> {
    let state = view.state();
    let json = serde_json::to_string(state).unwrap_or_default();
    if json.len() <= SNAPSHOT_PART_BYTES {
        return vec![ServerMessage::Snapshot {
            state: Box::new(state.clone()),
        }];
    }
    let mut pieces = Vec::new();
    let mut rest = json.as_str();
    while !rest.is_empty() {
        let mut end = SNAPSHOT_PART_BYTES.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        pieces.push(&rest[..end]);
        rest = &rest[end..];
    }
    let parts = pieces.len() as u32;
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, data)| ServerMessage::SnapshotPart {
            seq: state.seq,
            part: i as u32,
            parts,
            data: data.to_string(),
        })
        .collect()
}

/// Joins [`ServerMessage::SnapshotPart`]s back into a state.
#[derive(Debug, Default)]
pub struct SnapshotAssembler {
    seq: u64,
    json: String,
    next: u32,
}

impl SnapshotAssembler {
    /// Adds a piece; the state once the last piece is in. A piece out of order starts over
    /// (the client will be sent a fresh snapshot when it next connects).
    pub fn add(&mut self, seq: u64, part: u32, parts: u32, data: &str) -> Option<State> {
        if part == 0 {
            *self = SnapshotAssembler {
                seq,
                json: String::new(),
                next: 0,
            };
        }
        if seq != self.seq || part != self.next {
            *self = SnapshotAssembler::default();
            return None;
        }
        self.json.push_str(data);
        self.next += 1;
        if self.next < parts {
            return None;
        }
        // Read as a whole snapshot message, so the app needs no second copy of the state's
        // reader (it is large).
        let message = format!(r#"{{"type":"snapshot","state":{}}}"#, self.json);
        *self = SnapshotAssembler::default();
        match serde_json::from_str::<ServerMessage>(&message) {
            Ok(ServerMessage::Snapshot { state }) => Some(*state),
            _ => None,
        }
    }
}

/// Every problem the server can report, over websocket or HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Another protocol version.
    ProtocolMismatch,
    /// The key or token does not fit.
    Unauthorized,
    /// No conference with this identifier.
    UnknownConference,
    /// No conference with this join code.
    UnknownJoinCode,
    /// The join code is not six characters.
    JoinCodeLength,
    /// The join code has a character no code has.
    JoinCodeCharacters,
    /// The message could not be read.
    BadMessage,
    /// Too many messages or requests.
    RateLimited,
    /// The message was too large.
    TooBig,
    /// This person may not do that.
    NotAllowed,
    /// Join before doing that.
    JoinFirst,
    /// The role does not exist.
    UnknownRole,
    /// The role is held by someone.
    RoleInUse,
    /// The last role cannot be removed.
    LastRole,
    /// Too many roles.
    TooManyRoles,
    /// The role name is empty.
    RoleNameEmpty,
    /// The note is empty.
    NoteEmpty,
    /// The note is too long.
    NoteTooLong,
    /// The name is too long.
    NameTooLong,
    /// The title is empty.
    TitleEmpty,
    /// The title is too long.
    TitleTooLong,
    /// The conference has reached a size limit.
    ConferenceFull,
    /// The conference has stored as much as one conference may: nothing more can be added.
    StorageFull,
    /// The server could not store the change; nothing was changed.
    StorageFailed,
    /// The server is shutting down.
    ShuttingDown,
    /// The facilitator has closed joining.
    JoiningClosed,
    /// The running step does not take notes.
    NotesClosed,
    /// No such step.
    UnknownStep,
    /// The step has no title.
    StepTitleEmpty,
    /// The step title is too long.
    StepTitleTooLong,
    /// A question is too long.
    QuestionTooLong,
    /// Too many questions in a step.
    TooManyQuestions,
    /// Too many steps.
    TooManySteps,
    /// A time that is out of range.
    TimeboxInvalid,
    /// No clock runs.
    NoClock,
    /// A group size outside 2–8.
    GroupSizeInvalid,
    /// Nobody has joined yet.
    NobodyToGroup,
    /// The step to reuse has no groups.
    NoGroups,
    /// No such group.
    UnknownGroup,
    /// No such participant.
    UnknownParticipant,
    /// The facilitator removed this participant: the device may no longer act or join again.
    ParticipantRemoved,
    /// The group has the maximum of 8.
    GroupFull,
    /// The person is not in that group.
    NotInGroup,
    /// The step has no talking rounds.
    NoTurns,
    /// Nobody to give the floor to.
    NobodyToSpeak,
    /// The queue changed meanwhile.
    QueueChanged,
    /// No such note.
    UnknownNote,
    /// Only the writer may do that with a note.
    NotYourNote,
    /// The facilitator has locked the step's notes.
    NotesLocked,
    /// Only the group's note-taker writes for the group.
    NotANoteTaker,
    /// No such theme.
    UnknownTheme,
    /// The theme has no name.
    ThemeNameEmpty,
    /// The theme name is too long.
    ThemeNameTooLong,
    /// Too many themes.
    TooManyThemes,
    /// A note cannot be merged into itself.
    MergeIntoItself,
    /// Too few unsorted notes to propose themes.
    NothingToSuggest,
    /// No unsorted notes to sort into themes.
    NothingToSort,
    /// "Sort the rest" needs at least one theme made by hand.
    NoThemesYet,
    /// Themes are being suggested already; the answer comes soon.
    SuggestionRunning,
    /// Nothing to vote on.
    NothingToVoteOn,
    /// The vote's budget or limits are out of range.
    VoteSetupInvalid,
    /// No vote has been opened.
    NoVoting,
    /// The vote is closed.
    VotingClosed,
    /// That is not one of the vote's options.
    UnknownItem,
    /// Too many dots on one option.
    VoteOverMax,
    /// More dots than the budget.
    VoteOverBudget,
    /// This server needs the organiser password to create a conference (or it was wrong).
    OrganiserPasswordNeeded,
    /// A page from another site tried to connect.
    OriginNotAllowed,
    /// No plan with this identifier.
    UnknownPlan,
    /// No such meeting in the plan.
    UnknownMeeting,
    /// The export format is not one Ordet writes.
    UnknownFormat,
    /// The file is not an input document exported by Ordet (as JSON), or it breaks a limit
    /// on what a plan's imported meetings may hold.
    ImportInvalid,
}

impl ErrorCode {
    /// The translation key that explains this problem to a person.
    pub fn key(self) -> Key {
        match self {
            Self::ProtocolMismatch => Key::ErrorProtocolMismatch,
            Self::Unauthorized => Key::ErrorUnauthorized,
            Self::UnknownConference => Key::ErrorUnknownConference,
            Self::UnknownJoinCode => Key::ErrorUnknownJoinCode,
            Self::JoinCodeLength => Key::ErrorJoinCodeLength,
            Self::JoinCodeCharacters => Key::ErrorJoinCodeCharacters,
            Self::BadMessage => Key::ErrorBadMessage,
            Self::RateLimited => Key::ErrorRateLimited,
            Self::TooBig => Key::ErrorTooBig,
            Self::NotAllowed => Key::ErrorNotAllowed,
            Self::JoinFirst => Key::ErrorJoinFirst,
            Self::UnknownRole => Key::ErrorUnknownRole,
            Self::RoleInUse => Key::ErrorRoleInUse,
            Self::LastRole => Key::ErrorLastRole,
            Self::TooManyRoles => Key::ErrorTooManyRoles,
            Self::RoleNameEmpty => Key::ErrorRoleNameEmpty,
            Self::NoteEmpty => Key::ErrorNoteEmpty,
            Self::NoteTooLong => Key::ErrorNoteTooLong,
            Self::NameTooLong => Key::ErrorNameTooLong,
            Self::TitleEmpty => Key::ErrorTitleEmpty,
            Self::TitleTooLong => Key::ErrorTitleTooLong,
            Self::ConferenceFull => Key::ErrorConferenceFull,
            Self::StorageFull => Key::ErrorStorageFull,
            Self::StorageFailed => Key::ErrorStorageFailed,
            Self::ShuttingDown => Key::ErrorShuttingDown,
            Self::JoiningClosed => Key::ErrorJoiningClosed,
            Self::NotesClosed => Key::ErrorNotesClosed,
            Self::UnknownStep => Key::ErrorUnknownStep,
            Self::StepTitleEmpty => Key::ErrorStepTitleEmpty,
            Self::StepTitleTooLong => Key::ErrorStepTitleTooLong,
            Self::QuestionTooLong => Key::ErrorQuestionTooLong,
            Self::TooManyQuestions => Key::ErrorTooManyQuestions,
            Self::TooManySteps => Key::ErrorTooManySteps,
            Self::TimeboxInvalid => Key::ErrorTimeboxInvalid,
            Self::NoClock => Key::ErrorNoClock,
            Self::GroupSizeInvalid => Key::ErrorGroupSizeInvalid,
            Self::NobodyToGroup => Key::ErrorNobodyToGroup,
            Self::NoGroups => Key::ErrorNoGroups,
            Self::UnknownGroup => Key::ErrorUnknownGroup,
            Self::UnknownParticipant => Key::ErrorUnknownParticipant,
            Self::ParticipantRemoved => Key::ErrorParticipantRemoved,
            Self::GroupFull => Key::ErrorGroupFull,
            Self::NotInGroup => Key::ErrorNotInGroup,
            Self::NoTurns => Key::ErrorNoTurns,
            Self::NobodyToSpeak => Key::ErrorNobodyToSpeak,
            Self::QueueChanged => Key::ErrorQueueChanged,
            Self::UnknownNote => Key::ErrorUnknownNote,
            Self::NotYourNote => Key::ErrorNotYourNote,
            Self::NotesLocked => Key::ErrorNotesLocked,
            Self::NotANoteTaker => Key::ErrorNotANoteTaker,
            Self::UnknownTheme => Key::ErrorUnknownTheme,
            Self::ThemeNameEmpty => Key::ErrorThemeNameEmpty,
            Self::ThemeNameTooLong => Key::ErrorThemeNameTooLong,
            Self::TooManyThemes => Key::ErrorTooManyThemes,
            Self::MergeIntoItself => Key::ErrorMergeIntoItself,
            Self::NothingToSuggest => Key::ErrorNothingToSuggest,
            Self::NothingToSort => Key::ErrorNothingToSort,
            Self::NoThemesYet => Key::ErrorNoThemesYet,
            Self::SuggestionRunning => Key::ErrorSuggestionRunning,
            Self::NothingToVoteOn => Key::ErrorNothingToVoteOn,
            Self::VoteSetupInvalid => Key::ErrorVoteSetupInvalid,
            Self::NoVoting => Key::ErrorNoVoting,
            Self::VotingClosed => Key::ErrorVotingClosed,
            Self::UnknownItem => Key::ErrorUnknownItem,
            Self::VoteOverMax => Key::ErrorVoteOverMax,
            Self::VoteOverBudget => Key::ErrorVoteOverBudget,
            Self::OrganiserPasswordNeeded => Key::ErrorOrganiserPasswordNeeded,
            Self::OriginNotAllowed => Key::ErrorOriginNotAllowed,
            Self::UnknownPlan => Key::ErrorUnknownPlan,
            Self::UnknownMeeting => Key::ErrorUnknownMeeting,
            Self::UnknownFormat => Key::ErrorUnknownFormat,
            Self::ImportInvalid => Key::ErrorImportInvalid,
        }
    }

    /// The explanation in English, for logs and API clients.
    pub fn english(self) -> String {
        self.key().fill(Lang::En, &crate::i18n::limit_values())
    }
}

/// `POST /api/conferences` request body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateConference {
    /// Title of the meeting.
    pub title: String,
    /// Default language.
    pub language: Lang,
    /// The organiser password, on a server that asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organiser_password: Option<String>,
}

/// `POST /api/conferences` answer (201). The keys are shown once: the console link carries
/// the facilitator key, and the server keeps only a hash of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedConference {
    /// The new conference.
    pub id: ConferenceId,
    /// Its join code.
    pub join_code: JoinCode,
    /// The facilitator's secret key.
    pub facilitator_key: String,
    /// The projector screen's key (view only).
    pub screen_key: String,
    /// Path of the facilitator console, key included (keep it secret).
    pub console_path: String,
}

/// `GET /api/join/{code}` answer: what a phone shows before joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinInfo {
    /// The conference to connect to.
    pub conference: ConferenceId,
    /// Its title.
    pub title: String,
    /// Its default language.
    pub language: Lang,
    /// The roles to choose from.
    pub roles: Vec<Role>,
}

/// The body of every HTTP error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong, as a code the app translates.
    pub error: ErrorCode,
    /// What went wrong, in English.
    pub message: String,
}

impl ApiError {
    /// The error for `code`, with its English explanation.
    pub fn new(code: ErrorCode) -> Self {
        Self {
            error: code,
            message: code.english(),
        }
    }
}
