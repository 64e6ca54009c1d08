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
