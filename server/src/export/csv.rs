//! The input document's notes as CSV: one row per visible note, for spreadsheets. Excel
//! needs two things to open it right: a UTF-8 byte order mark (or æ, ø and å come out
//! garbled) and the list separator of its locale, which is `;` in Norway, so Norwegian
//! documents use `;` and English ones `,`. Every cell that starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is prefixed with an apostrophe, so a note cannot run as a
//! spreadsheet formula: spreadsheets read `- 1+1` and `+ A1` as formulas too, so a sign
//! followed by a space is defused as well ("- more buses" shows as written, the apostrophe
//! only marks the cell as text).

use ordet_shared::Lang;

use super::model::InputDocument;
use super::texts::{DocKey, short_date};

/// The notes as a CSV file.
pub fn write(document: &InputDocument) -> Vec<u8> {
    let lang = document.language;
    let separator = separator(lang);
    let mut out = String::from("\u{feff}");
    let header = [
        DocKey::Plan,
        DocKey::Meeting,
        DocKey::Date,
        DocKey::Step,
        DocKey::Question,
        DocKey::Group,
        DocKey::Role,
        DocKey::Theme,
        DocKey::ThemeVotes,
        DocKey::Votes,
        DocKey::Text,
    ]
    .map(|k| match k {
        DocKey::Group => k
            .fill(lang, &[("number", String::new())])
            .trim()
            .to_string(),
        _ => k.text(lang).to_string(),
    });
    push_row(&mut out, &header, separator);
    let plan = if document.plan {
        document.title.as_str()
    } else {
        ""
    };
    for meeting in &document.meetings {
        let date = short_date(meeting.date, lang);
        let theme_dots = |theme: usize| {
            meeting
                .priorities
                .as_ref()?
                .items
                .iter()
                .find(|i| i.theme == Some(theme))
                .map(|i| i.dots.to_string())
        };
        for note in &meeting.notes {
            let step = note.step.and_then(|s| meeting.steps.get(s));
            let texts = std::iter::once(&note.text).chain(&note.merged);
            let text = texts.cloned().collect::<Vec<_>>().join("\n---\n");
            let row = [
                plan.to_string(),
                meeting.title.clone(),
                date.clone(),
                step.map(|s| s.title.clone()).unwrap_or_default(),
                meeting.question_of(note).unwrap_or_default().to_string(),
                note.group.map(|g| g.to_string()).unwrap_or_default(),
                note.role.clone().unwrap_or_default(),
                note.theme
                    .and_then(|t| meeting.themes.get(t).cloned())
                    .unwrap_or_default(),
                note.theme.and_then(theme_dots).unwrap_or_default(),
                note.votes.map(|v| v.to_string()).unwrap_or_default(),
                text,
            ];
            push_row(&mut out, &row, separator);
        }
    }
    out.into_bytes()
}

/// The list separator Excel expects in `lang`'s locale.
pub fn separator(lang: Lang) -> char {
    match lang {
        Lang::Nn | Lang::Nb => ';',
        Lang::En => ',',
    }
}

fn push_row(out: &mut String, cells: &[String], separator: char) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(&quote(cell, separator));
    }
    out.push_str("\r\n");
}

/// What a cell may not start with unless defused: the formula signs, tab and carriage
/// return, and the full-width signs that some spreadsheets read as formula signs too.
const FORMULA_STARTS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// One cell, quoted when it holds the separator, a quote or a line break, and defused when
/// it starts like a formula.
fn quote(cell: &str, separator: char) -> String {
    let defused = if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if defused.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_needed_and_formulas_defused() {
        assert_eq!(quote("Meir buss", ';'), "Meir buss");
        assert_eq!(quote("Buss; tog", ';'), "\"Buss; tog\"");
        assert_eq!(
            quote("Buss, tog", ';'),
            "Buss, tog",
            "a comma is plain text with ';'"
        );
        assert_eq!(quote("Buss, tog", ','), "\"Buss, tog\"");
        assert_eq!(quote("Han sa \"nei\"", ';'), "\"Han sa \"\"nei\"\"\"");
        assert_eq!(quote("to\nlinjer", ';'), "\"to\nlinjer\"");
        assert_eq!(
            quote("=HYPERLINK(\"x\")", ';'),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(quote("@SUM(A1)", ';'), "'@SUM(A1)");
        assert_eq!(quote("-2+3", ';'), "'-2+3");
        assert_eq!(
            quote("Meir buss =1+1", ';'),
            "Meir buss =1+1",
            "only the start"
        );
        assert_eq!(quote("", ';'), "");
        assert_eq!(separator(Lang::Nb), ';');
        assert_eq!(separator(Lang::En), ',');
    }

    #[test]
    fn every_cell_that_starts_like_a_formula_is_defused() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+1+1", "'+1+1"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("- 1+1", "'- 1+1"),
            ("+ A1", "'+ A1"),
            ("- meir buss", "'- meir buss"),
            ("-", "'-"),
            ("\u{FF1D}1+1", "'\u{FF1D}1+1"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "\"'\r=1+1\""),
            (
                "=HYPERLINK(\"http://x\";\"klikk\")",
                "\"'=HYPERLINK(\"\"http://x\"\";\"\"klikk\"\")\"",
            ),
        ] {
            assert_eq!(quote(cell, ';'), written, "{cell:?}");
        }
        for plain in ["Meir buss", "1+1", "«=»", "'sitat'", " =1"] {
            assert_eq!(quote(plain, ';'), plain, "{plain:?} stays as written");
        }
    }

    #[test]
    fn a_row_defuses_each_cell_on_its_own() {
        let mut out = String::new();
        let cells = ["=a", "b", "- c", "+d", "@e", "f-g"].map(String::from);
        push_row(&mut out, &cells, ';');
        assert_eq!(out, "'=a;b;'- c;'+d;'@e;f-g\r\n");
    }
}
