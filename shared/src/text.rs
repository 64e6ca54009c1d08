//! Cleaning and checking of text that people type: trimmed, control characters removed,
//! length counted in characters (not bytes), so that æ, ø, å and emoji count as one each.

/// Why a piece of text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but white space.
    Empty,
    /// More characters than allowed.
    TooLong,
}

/// Trims `input`, removes control characters (keeping line breaks when `multiline`), and
/// checks it is not empty and at most `max_chars` characters long.
pub fn clean(input: &str, max_chars: usize, multiline: bool) -> Result<String, TextProblem> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_control() || (multiline && *c == '\n'))
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        return Err(TextProblem::Empty);
    }
    if cleaned.chars().count() > max_chars {
        return Err(TextProblem::TooLong);
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_counts_characters_not_bytes() {
        assert_eq!(clean("  æøå  ", 3, false), Ok("æøå".to_string()));
        assert_eq!(clean("æøåæ", 3, false), Err(TextProblem::TooLong));
    }

    #[test]
    fn refuses_blank_and_strips_control_characters() {
        assert_eq!(clean(" \t\n ", 10, true), Err(TextProblem::Empty));
        assert_eq!(clean("a\u{7}b", 10, false), Ok("ab".to_string()));
        assert_eq!(clean("a\nb", 10, true), Ok("a\nb".to_string()));
        assert_eq!(clean("a\nb", 10, false), Ok("ab".to_string()));
    }
}
