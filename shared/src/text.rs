//! Cleaning and checking of text that people type: trimmed, control characters removed,
//! length counted in characters (not bytes), so that æ, ø, å and emoji count as one each.
//!
//! Every note, name, title, role, theme, step and question goes through [`clean`], on the
//! phone and again on the server, so what it removes never reaches a projector, a phone or
//! an export. Besides control characters it removes what lets one person's text change how
//! other text looks or hide what it says:
//!
//! - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): one
//!   right-to-left override in a note would turn the rest of a line on the wall backwards;
//! - invisible characters (zero-width space U+200B, word joiner U+2060, the byte order mark
//!   U+FEFF, the soft hyphen U+00AD, U+180E, invisible operators U+2061–U+2064 and other
//!   format characters that draw nothing), which make text that looks empty or the same as
//!   another one but is not;
//! - Unicode tag characters (U+E0000–U+E007F), which draw nothing and can carry a hidden
//!   message, except in the flag emoji that are written with them (🏴 followed by tags);
//! - combining marks beyond [`MAX_COMBINING_MARKS`] on one letter ("Zalgo" text, which
//!   stacks hundreds of accents over the lines above and below it).
//!
//! It keeps what real writing needs: the zero-width joiner U+200D (family and profession
//! emoji, Indic scripts), the zero-width non-joiner U+200C (Persian, German typesetting),
//! variation selectors (emoji presentation) and combining accents. Text with nothing visible
//! left, only spaces, joiners, selectors or blank look-alikes (U+2800, the Hangul fillers),
//! is refused as [`TextProblem::Empty`].

/// Most combining marks kept on one letter: Vietnamese stacks two, a few scripts three or
/// four; more than that is only ever used to draw over other text.
pub const MAX_COMBINING_MARKS: usize = 4;

/// Why a piece of text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing visible: only white space, or characters that draw nothing.
    Empty,
    /// More characters than allowed.
    TooLong,
}

/// Trims `input`, removes control, bidirectional and invisible characters (keeping line
/// breaks when `multiline`), and checks that something visible is left and that it is at
/// most `max_chars` characters long.
pub fn clean(input: &str, max_chars: usize, multiline: bool) -> Result<String, TextProblem> {
    let mut cleaned = String::with_capacity(input.len());
    let mut marks = 0;
    let mut after_flag = false;
    for c in input.chars() {
        let c = match c {
            '\u{2028}' | '\u{2029}' if multiline => '\n',
            '\u{2028}' | '\u{2029}' => ' ',
            _ => c,
        };
        if is_tag(c) {
            if after_flag {
                cleaned.push(c);
            }
            continue;
        }
        after_flag = c == '\u{1F3F4}';
        if (c.is_control() && !(multiline && c == '\n')) || is_removed(c) {
            continue;
        }
        if is_combining_mark(c) {
            marks += 1;
            if marks > MAX_COMBINING_MARKS {
                continue;
            }
        } else {
            marks = 0;
        }
        cleaned.push(c);
    }
    let cleaned = cleaned.trim();
    if !cleaned.chars().any(is_visible) {
        return Err(TextProblem::Empty);
    }
    if cleaned.chars().count() > max_chars {
        return Err(TextProblem::TooLong);
    }
    Ok(cleaned.to_string())
}

/// Characters [`clean`] removes besides control characters: bidirectional controls and
/// format characters that draw nothing.
fn is_removed(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
    )
}

/// Unicode tag characters: invisible, used only in subdivision flag emoji.
fn is_tag(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}

/// Combining accents of the blocks "Zalgo" text is made from.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether `c` draws something on its own: not white space, not a joiner, selector or
/// combining mark (kept, as real writing needs them), and not one of the characters that
/// look like a blank space (the braille blank, the Hangul fillers of old Hangul).
fn is_visible(c: char) -> bool {
    !(c.is_whitespace()
        || is_combining_mark(c)
        || is_tag(c)
        || matches!(
            c,
            '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180B}'..='\u{180D}'
                | '\u{180F}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2800}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{E0100}'..='\u{E01EF}'
        ))
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

    #[test]
    fn bidirectional_controls_are_removed() {
        for control in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            assert_eq!(
                clean(&format!("Meir {control}buss"), 20, false),
                Ok("Meir buss".to_string()),
                "U+{:04X}",
                control as u32
            );
        }
        // Right-to-left writing itself is kept: only the controls go.
        assert_eq!(clean("שלום", 10, false), Ok("שלום".to_string()));
    }

    #[test]
    fn invisible_characters_are_removed_and_do_not_count() {
        for invisible in [
            '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{180E}', '\u{2061}', '\u{2064}',
            '\u{206A}', '\u{3164}', '\u{FFA0}', '\u{FFF9}',
        ] {
            let text = format!("Meir{invisible} buss{invisible}");
            assert_eq!(
                clean(&text, 9, false),
                Ok("Meir buss".to_string()),
                "U+{:04X}",
                invisible as u32
            );
        }
        // Hidden text in tag characters is dropped.
        let smuggled: String = "\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}".into();
        assert_eq!(
            clean(&format!("Hei{smuggled}"), 10, false),
            Ok("Hei".to_string())
        );
    }

    #[test]
    fn text_with_nothing_visible_is_empty() {
        for blank in [
            "\u{200B}\u{200B}\u{200B}",
            " \u{200D} \u{200C} ",
            "\u{FEFF}\u{2060}\u{00AD}",
            "\u{202E}\u{202C}",
            "\u{2800}\u{3164}",
            "\u{FE0F}",
            "\u{0301}\u{0301}",
            "\u{00A0}\u{3000}\u{2003}",
            "\u{2028}\u{2029}",
            "\u{E0041}\u{E0042}",
        ] {
            assert_eq!(
                clean(blank, 280, true),
                Err(TextProblem::Empty),
                "{blank:?}"
            );
            assert_eq!(
                clean(blank, 40, false),
                Err(TextProblem::Empty),
                "{blank:?}"
            );
        }
    }

    #[test]
    fn what_real_writing_needs_is_kept() {
        for text in [
            "👩‍👩‍👧",                                                       // family: ZWJ between the people
            "🧑🏽‍🚒",         // firefighter with a skin tone
            "❤️",         // heart with the emoji variation selector
            "می‌خواهم",    // Persian with a zero-width non-joiner
            "Tiếng Việt", // two stacked accents
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", // Scotland's flag
            "क्‍ष",         // Devanagari with a ZWJ
        ] {
            assert_eq!(clean(text, 280, false), Ok(text.to_string()), "{text:?}");
        }
    }

    #[test]
    fn line_separators_become_line_breaks_or_spaces() {
        assert_eq!(clean("a\u{2028}b", 10, true), Ok("a\nb".to_string()));
        assert_eq!(clean("a\u{2029}b", 10, false), Ok("a b".to_string()));
    }

    #[test]
    fn stacked_combining_marks_are_cut_to_a_few() {
        let zalgo = format!("H{}i", "\u{0336}\u{0301}\u{0352}".repeat(30));
        let cleaned = clean(&zalgo, 280, false).unwrap();
        assert_eq!(cleaned.chars().count(), 2 + MAX_COMBINING_MARKS);
        assert!(cleaned.starts_with('H') && cleaned.ends_with('i'));
    }

    #[test]
    fn huge_input_is_refused_as_too_long() {
        let huge = "a".repeat(1_000_000);
        assert_eq!(clean(&huge, 280, true), Err(TextProblem::TooLong));
        assert_eq!(
            clean(&format!("{}b", "\u{200B}".repeat(10_000)), 1, false),
            Ok("b".to_string()),
            "removed characters do not count towards the length"
        );
    }
}
