//! Size limits for everything a person can type or send. The server enforces them; the
//! browser app uses the same numbers to show counters and stop typing before the limit.

/// Longest sticky note, in characters (Unicode scalar values).
pub const NOTE_MAX_CHARS: usize = 280;
/// Longest display name a participant may pick.
pub const NAME_MAX_CHARS: usize = 40;
/// Longest conference title.
pub const TITLE_MAX_CHARS: usize = 120;
/// Longest role name.
pub const ROLE_NAME_MAX_CHARS: usize = 40;
/// Most roles a conference may offer.
pub const MAX_ROLES: usize = 20;
/// Most participants in one conference.
pub const MAX_PARTICIPANTS: usize = 20_000;
/// Most notes in one conference.
pub const MAX_NOTES: usize = 100_000;
/// Largest websocket message the server accepts, in bytes. A note of 280 four-byte
/// characters, escaped as JSON, fits with room to spare.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// Largest HTTP request body the server accepts, in bytes.
pub const MAX_HTTP_BODY_BYTES: usize = 16 * 1024;
