//! The input document as Markdown (CommonMark with pipe tables), for wikis and version
//! control. Participants' text is escaped so it never turns into markup or links.

use std::fmt::Write;

use super::outline::{Block, Outline, Span, SpanStyle, Table};

/// The document as Markdown.
pub fn write(outline: &Outline) -> String {
    let mut out = String::with_capacity(64 * 1024);
    for block in &outline.blocks {
        block_md(&mut out, block);
    }
    out
}

fn block_md(out: &mut String, block: &Block) {
    match block {
        Block::TitlePage { title, lines } => {
            let _ = writeln!(out, "# {}\n", escape(title));
            for line in lines {
                let _ = writeln!(out, "{}  ", escape(line));
            }
            out.push('\n');
        }
        Block::Heading { level, text } => {
            // The title is the only level-one heading; chapters start at level two.
            let hashes = "#".repeat(usize::from((*level).clamp(1, 3)) + 1);
            let _ = writeln!(out, "{hashes} {}\n", escape(text));
        }
        Block::Paragraph(spans) => {
            let _ = writeln!(out, "{}\n", spans_md(spans, "\n"));
        }
        Block::Bullets(items) => {
            for item in items {
                let _ = writeln!(out, "- {}", spans_md(item, "\n  "));
            }
            out.push('\n');
        }
        Block::Table(table) => table_md(out, table),
        Block::WordCloud(words) => {
            let line = words
                .iter()
                .map(|w| {
                    let word = escape(&w.text);
                    let word = if w.size >= 4 {
                        format!("**{word}**")
                    } else {
                        word
                    };
                    format!("{word} ({})", w.count)
                })
                .collect::<Vec<_>>()
                .join(" · ");
            let _ = writeln!(out, "{line}\n");
        }
        Block::PageBreak => {}
    }
}

/// Spans as inline Markdown; line breaks inside become `break_with` (a hard break that keeps
/// list items together).
fn spans_md(spans: &[Span], break_with: &str) -> String {
    let mut out = String::new();
    for span in spans {
        let text = escape(&span.text).replace('\n', &format!("  {break_with}"));
        let marker = match span.style {
            SpanStyle::Plain | SpanStyle::Quote => "",
            SpanStyle::Strong => "**",
            SpanStyle::Quiet => "*",
        };
        let inner = text.trim();
        if marker.is_empty() || inner.is_empty() {
            out.push_str(&text);
        } else {
            // Emphasis markers hug the words; the spaces around them stay outside.
            let lead = &text[..text.len() - text.trim_start().len()];
            let trail = &text[text.trim_end().len()..];
            let _ = write!(out, "{lead}{marker}{inner}{marker}{trail}");
        }
    }
    out
}

fn table_md(out: &mut String, table: &Table) {
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| escape(c).replace('\n', "<br>"))
            .collect();
        format!("| {} |", cells.join(" | "))
    };
    let _ = writeln!(out, "{}", row(&table.header));
    let _ = writeln!(out, "|{}", " --- |".repeat(table.header.len()));
    for cells in &table.rows {
        let _ = writeln!(out, "{}", row(cells));
    }
    out.push('\n');
}

/// Text made literal: characters Markdown (or HTML inside it) would act on are escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_stays_text_and_emphasis_keeps_its_spaces() {
        let spans = [
            Span::quote("*Meir* [lys](http://x) <b>"),
            Span::quiet(" — Gruppe 2"),
            Span::quiet("\nSame innspel: "),
            Span::quote("Ja!"),
        ];
        assert_eq!(
            spans_md(&spans, "\n  "),
            "\\*Meir\\* \\[lys\\](http://x) &lt;b&gt; *— Gruppe 2*  \n  *Same innspel:* Ja!"
        );
    }
}
