//! The shared input document: what a steering group writes its plan from. [`model`] takes
//! the anonymous facts from conferences (and is the JSON format, importable again);
//! [`document`] decides what the document says as an [`outline::Outline`]; `docx`, `html`
//! and `markdown` lay that out; `csv` lists the notes for spreadsheets.

mod csv;
pub mod document;
mod docx;
mod html;
mod markdown;
pub mod model;
pub mod outline;
pub mod texts;

use ordet_shared::plan::ExportFormat;

pub use model::{InputDocument, Meeting};

/// The most bytes any export of a plan's imported meetings can have: what the limits on an
/// import ([`model::MAX_IMPORTED_TEXTS`] texts, [`model::MAX_IMPORTED_CHARS`] characters
/// over all of them, see [`InputDocument::from_json`]) allow in the worst case, plus room.
///
/// CSV is the largest: each of at most 20,000 rows repeats the plan's and the meeting's
/// titles, the step and its question and the theme (at most 880 characters of up to 4 bytes,
/// about 3.5 KB), and the texts themselves add at most 2,000,000 characters, 8 bytes each when
/// every one is a quote that CSV doubles: about 86 MB. HTML, Markdown and DOCX show each text
/// twice, escaped (`"` becomes six bytes), with under 1 KB of markup per note: under 40 MB.
/// The test `the_largest_import_exports_in_bounded_size` builds that worst case and checks
/// every format against this bound (measured: CSV 76 MB, HTML 28 MB, Markdown 19 MB, JSON
/// 13 MB, DOCX 0.3 MB).
pub const MAX_IMPORTED_EXPORT_BYTES: usize = 96 * 1024 * 1024;

/// A written document, ready to send.
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its media type.
    pub content_type: &'static str,
    /// A file name for it, from the document's title.
    pub file_name: String,
}

/// Writes `document` in `format`.
pub fn render(document: &InputDocument, format: ExportFormat) -> Rendered {
    let bytes = match format {
        ExportFormat::Docx => docx::write(&document::outline(document)),
        ExportFormat::Html => html::write(&document::outline(document)).into_bytes(),
        ExportFormat::Md => markdown::write(&document::outline(document)).into_bytes(),
        ExportFormat::Csv => csv::write(document),
        ExportFormat::Json => {
            let mut json = serde_json::to_vec_pretty(document).unwrap_or_default();
            json.push(b'\n');
            json
        }
    };
    let content_type = match format {
        ExportFormat::Docx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        ExportFormat::Html => "text/html; charset=utf-8",
        ExportFormat::Md => "text/markdown; charset=utf-8",
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Json => "application/json",
    };
    Rendered {
        bytes,
        content_type,
        file_name: format!("{}.{}", file_stem(&document.title), format.extension()),
    }
}

/// A file name from a title: letters (æ, ø and å kept), digits and dashes.
fn file_stem(title: &str) -> String {
    let mut stem = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem: String = stem.trim_end_matches('-').chars().take(60).collect();
    if stem.is_empty() {
        "ordet".into()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{
        ImportSize, MAX_IMPORTED_CHARS, MAX_IMPORTED_TEXTS, MeetingNote, MeetingStep, Priorities,
        PriorityItem, RoleCount,
    };
    use ordet_shared::programme::{QUESTION_MAX_CHARS, STEP_TITLE_MAX_CHARS, StepKind};
    use ordet_shared::voting::VoteOn;
    use ordet_shared::{Lang, Timestamp, limits};

    /// The import that makes the largest exports: every limit used to the full, with the
    /// text budget spent where the document repeats it most (the meeting's title, step and
    /// question on every CSV row, a long role on every note), written in `letter` (a
    /// four-byte emoji is the most bytes per character, `"` the most once escaped).
    fn worst_case_import(letter: char) -> InputDocument {
        let text = |n: usize| letter.to_string().repeat(n);
        let meetings = 50;
        let per_meeting = MAX_IMPORTED_TEXTS / meetings;
        let fixed = meetings
            * (limits::TITLE_MAX_CHARS + STEP_TITLE_MAX_CHARS + QUESTION_MAX_CHARS + 80 + 5 * 100)
            + limits::TITLE_MAX_CHARS;
        let note_chars =
            (MAX_IMPORTED_CHARS - fixed) / MAX_IMPORTED_TEXTS - limits::ROLE_NAME_MAX_CHARS;
        let meeting = Meeting {
            title: text(limits::TITLE_MAX_CHARS),
            date: Timestamp(1),
            language: Lang::Nn,
            participants: model::MAX_IMPORTED_COUNT,
            roles: vec![],
            steps: vec![MeetingStep {
                kind: StepKind::Notes,
                title: text(STEP_TITLE_MAX_CHARS),
                questions: vec![text(QUESTION_MAX_CHARS)],
            }],
            themes: vec![text(80)],
            notes: (0..per_meeting)
                .map(|_| MeetingNote {
                    text: text(note_chars),
                    step: Some(0),
                    question: Some(0),
                    group: Some(u32::MAX),
                    role: Some(text(limits::ROLE_NAME_MAX_CHARS)),
                    for_group: true,
                    theme: Some(0),
                    votes: Some(model::MAX_IMPORTED_COUNT),
                    merged: vec![],
                })
                .collect(),
            hidden_notes: model::MAX_IMPORTED_COUNT,
            priorities: Some(Priorities {
                on: VoteOn::Notes,
                voters: model::MAX_IMPORTED_COUNT,
                budget: u8::MAX,
                items: (0..5)
                    .map(|_| PriorityItem {
                        label: text(100),
                        theme: None,
                        dots: model::MAX_IMPORTED_COUNT,
                        by_role: vec![RoleCount {
                            role: None,
                            count: model::MAX_IMPORTED_COUNT,
                        }],
                    })
                    .collect(),
            }),
            floor: vec![],
        };
        let document = InputDocument::new(
            text(limits::TITLE_MAX_CHARS),
            Lang::Nn,
            true,
            vec![meeting; meetings],
        );
        let size = ImportSize::of(&document.meetings);
        assert!(size.within_limits().is_ok(), "{size:?}");
        document
    }

    #[test]
    fn the_largest_import_exports_in_bounded_size() {
        for letter in ['😀', '"'] {
            let document = worst_case_import(letter);
            let json = serde_json::to_vec(&document).unwrap();
            let read = InputDocument::from_json(&json).expect("the worst case is importable");
            for format in ExportFormat::ALL {
                let started = std::time::Instant::now();
                let bytes = render(&read, format).bytes.len();
                eprintln!(
                    "{letter} {format:?}: import {} bytes, export {bytes} bytes in {:?}",
                    json.len(),
                    started.elapsed()
                );
                assert!(
                    bytes <= MAX_IMPORTED_EXPORT_BYTES,
                    "{format:?} of the worst case in {letter:?}: {bytes} bytes"
                );
            }
        }
    }

    #[test]
    fn file_names_keep_norwegian_letters_and_drop_the_rest() {
        assert_eq!(
            file_stem("Oppvekstplan 2027–2030: Ope møte!"),
            "oppvekstplan-2027-2030-ope-møte"
        );
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem("«»"), "ordet");
    }
}
