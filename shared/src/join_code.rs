//! Join codes: six characters a participant reads off the projector and types on a phone.
//! The alphabet leaves out characters that look alike from the back of a hall
//! (0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V), so a code is hard to misread. Typing is forgiving:
//! lower case, spaces and dashes are accepted.

use serde::{Deserialize, Serialize};

/// The characters a join code is made of: 22 of them, so 22^6 ≈ 113 million codes.
pub const ALPHABET: &[u8] = b"34679ACDEFGHJKMNPRTWXY";
/// Characters in a join code.
pub const LENGTH: usize = 6;

/// A valid, normalised join code (upper case, exactly [`LENGTH`] characters of [`ALPHABET`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JoinCode(String);

/// Why a typed join code is not a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinCodeProblem {
    /// Not six characters.
    WrongLength,
    /// A character that no join code contains.
    InvalidCharacter,
}

impl JoinCode {
    /// Parses what a person typed: case, spaces and dashes do not matter.
    pub fn parse(typed: &str) -> Result<Self, JoinCodeProblem> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.chars().count() != LENGTH {
            return Err(JoinCodeProblem::WrongLength);
        }
        if !code.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(JoinCodeProblem::InvalidCharacter);
        }
        Ok(Self(code))
    }

    /// Builds a code from [`LENGTH`] random numbers (each taken modulo the alphabet size).
    /// The caller brings the randomness, so this crate stays free of it.
    pub fn from_random(random: [u32; LENGTH]) -> Self {
        let code = random
            .iter()
            .map(|r| ALPHABET[*r as usize % ALPHABET.len()] as char)
            .collect();
        Self(code)
    }

    /// The code as stored and sent: `"K7P4RX"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as shown large on the projector, in two groups of three: `"K7P 4RX"`.
    pub fn display_grouped(&self) -> String {
        format!("{} {}", &self.0[..3], &self.0[3..])
    }
}

impl TryFrom<String> for JoinCode {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).map_err(|_| "not a join code")
    }
}

impl From<JoinCode> for String {
    fn from(code: JoinCode) -> Self {
        code.0
    }
}

impl std::fmt::Display for JoinCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_has_no_look_alikes() {
        for confusable in b"0OQ1IL2Z5S8BUV" {
            assert!(!ALPHABET.contains(confusable), "{}", *confusable as char);
        }
        assert_eq!(ALPHABET.len(), 22);
    }

    #[test]
    fn typing_is_forgiving_about_case_spaces_and_dashes() {
        assert_eq!(JoinCode::parse(" k7p-4rx ").unwrap().as_str(), "K7P4RX");
        assert_eq!(
            JoinCode::parse("k7p 4rx").unwrap().display_grouped(),
            "K7P 4RX"
        );
    }

    #[test]
    fn refuses_wrong_length_and_look_alikes() {
        assert_eq!(JoinCode::parse("K7P4R"), Err(JoinCodeProblem::WrongLength));
        assert_eq!(
            JoinCode::parse("K7P4RXX"),
            Err(JoinCodeProblem::WrongLength)
        );
        assert_eq!(
            JoinCode::parse("K7P40X"),
            Err(JoinCodeProblem::InvalidCharacter)
        );
    }

    #[test]
    fn random_codes_use_only_the_alphabet() {
        let code = JoinCode::from_random([0, 21, 22, 1000, u32::MAX, 7]);
        assert!(JoinCode::parse(code.as_str()).is_ok());
        assert_eq!(&code.as_str()[..2], "3Y");
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<JoinCode>("\"K7P4RX\"").is_ok());
        assert!(serde_json::from_str::<JoinCode>("\"K7P40X\"").is_err());
    }
}
