//! The input document as a list of blocks (headings, paragraphs, lists, tables, a word
//! cloud), in the reader's language and with every anonymity rule already applied. The DOCX,
//! HTML and Markdown writers only lay these blocks out, so all three say exactly the same.

use ordet_shared::Lang;

/// A whole document, ready to be written in any layout format.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    /// Its language (for `lang` attributes and the document's properties).
    pub lang: Lang,
    /// Its title (the plan's or the meeting's).
    pub title: String,
    /// The body, in reading order. The first block is usually [`Block::TitlePage`].
    pub blocks: Vec<Block>,
}

/// One piece of a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A title page: the title large, then lines of facts (dates, organiser, purpose); a page
    /// break follows it in paged formats.
    TitlePage {
        /// The document's title.
        title: String,
        /// Lines under it.
        lines: Vec<String>,
    },
    /// A heading; `level` 1 is a chapter, 2 a section, 3 a subsection. Paged formats show
    /// these in their navigation pane.
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// Its text.
        text: String,
    },
    /// A paragraph of text.
    Paragraph(Vec<Span>),
    /// A bulleted list; each item is a line of spans.
    Bullets(Vec<Vec<Span>>),
    /// A table with a header row.
    Table(Table),
    /// A word cloud as text: words sized by how often they were written.
    WordCloud(Vec<CloudWord>),
    /// Starts a new page in paged formats (DOCX, HTML when printed); nothing in Markdown.
    PageBreak,
}

/// A run of text with one look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The text; may contain line breaks (`\n`), which are kept.
    pub text: String,
    /// How it looks.
    pub style: SpanStyle,
}

/// How a span looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanStyle {
    /// Body text.
    Plain,
    /// Bold: labels and totals.
    Strong,
    /// Smaller and grey: facts about a note (group, role, votes).
    Quiet,
    /// A participant's words, verbatim.
    Quote,
}

impl Span {
    /// Body text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: SpanStyle::Plain,
        }
    }

    /// Bold text.
    pub fn strong(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: SpanStyle::Strong,
        }
    }

    /// Small grey text.
    pub fn quiet(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: SpanStyle::Quiet,
        }
    }

    /// A participant's words.
    pub fn quote(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: SpanStyle::Quote,
        }
    }
}

/// A table: a header row and body rows of plain text cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows; each has as many cells as the header.
    pub rows: Vec<Vec<String>>,
    /// Relative column widths (same length as the header), e.g. `[3, 1, 1]`.
    pub widths: Vec<u16>,
}

/// One word of a word cloud.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudWord {
    /// The word as most often written.
    pub text: String,
    /// How often it was written.
    pub count: usize,
    /// Its size step, 1 (smallest) to 5 (largest).
    pub size: u8,
}
