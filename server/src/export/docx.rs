//! The DOCX layout of an export: writes an [`Outline`] as an Office Open XML word-processing
//! document that opens cleanly in Word and LibreOffice, so municipal staff can write their plan
//! from it. Headings carry outline levels (they show in the navigation pane), lists use real
//! bullets, tables repeat their header row on each page, and the same outline always gives the
//! same bytes: nothing in the file depends on the clock.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use super::outline::{Block, CloudWord, Outline, Span, SpanStyle, Table};

/// A4 portrait, in twentieths of a point.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// 2.5 cm on every side.
const MARGIN: u32 = 1418;
/// The width between the margins, which tables fill.
const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// Word cloud font sizes in half-points for size steps 1–5 (11, 14, 18, 24 and 32 pt).
const CLOUD_SIZES: [u32; 5] = [22, 28, 36, 48, 64];

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
/// The document's relationship to its footer.
const FOOTER_REL: &str = "rId4";

/// The document as a .docx file.
pub fn write(outline: &Outline) -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", content_types_xml()),
        ("_rels/.rels", package_rels_xml()),
        ("docProps/core.xml", core_xml(outline)),
        ("docProps/app.xml", app_xml()),
        ("word/document.xml", document_xml(outline)),
        ("word/styles.xml", styles_xml(outline)),
        ("word/numbering.xml", numbering_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/footer1.xml", footer_xml()),
        ("word/_rels/document.xml.rels", document_rels_xml()),
    ];
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .system(System::Unix)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // Writing to memory cannot fail, and the part names are fixed and distinct.
    for (name, xml) in parts {
        zip.start_file(name, options)
            .expect("a fixed, distinct part name");
        zip.write_all(xml.as_bytes())
            .expect("writing to memory cannot fail");
    }
    zip.finish()
        .expect("writing to memory cannot fail")
        .into_inner()
}

/// The language tag Word and LibreOffice use for spelling and hyphenation.
fn lang_tag(outline: &Outline) -> &'static str {
    match outline.lang.code() {
        "nn" => "nn-NO",
        "en" => "en-GB",
        _ => "nb-NO",
    }
}

// ---- Package parts -------------------------------------------------------------------------

fn content_types_xml() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let overrides = [
        ("/word/document.xml", format!("{main}.document.main+xml")),
        ("/word/styles.xml", format!("{main}.styles+xml")),
        ("/word/numbering.xml", format!("{main}.numbering+xml")),
        ("/word/settings.xml", format!("{main}.settings+xml")),
        ("/word/footer1.xml", format!("{main}.footer+xml")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".to_owned(),
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_owned(),
        ),
    ];
    let mut xml = format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" \
         ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    for (part, content_type) in overrides {
        xml.push_str(&format!(
            "<Override PartName=\"{part}\" ContentType=\"{content_type}\"/>"
        ));
    }
    xml.push_str("</Types>");
    xml
}

/// A relationships part; each entry is (id, type under `officeDocument/2006/relationships/`
/// unless it is a full address, target).
fn relationships_xml(entries: &[(&str, &str, &str)]) -> String {
    let mut xml = format!("{XML_DECL}<Relationships xmlns=\"{NS_PKG_RELS}\">");
    for (id, kind, target) in entries {
        let kind = if kind.starts_with("http") {
            (*kind).to_owned()
        } else {
            format!("{NS_R}/{kind}")
        };
        xml.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>"
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

fn package_rels_xml() -> String {
    relationships_xml(&[
        ("rId1", "officeDocument", "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        ("rId3", "extended-properties", "docProps/app.xml"),
    ])
}

fn document_rels_xml() -> String {
    relationships_xml(&[
        ("rId1", "styles", "styles.xml"),
        ("rId2", "numbering", "numbering.xml"),
        ("rId3", "settings", "settings.xml"),
        (FOOTER_REL, "footer", "footer1.xml"),
    ])
}

/// Title and language only: no author and no dates, so the file names nobody and is the same
/// on every export.
fn core_xml(outline: &Outline) -> String {
    format!(
        "{XML_DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:language>{}</dc:language></cp:coreProperties>",
        escape(&outline.title),
        lang_tag(outline)
    )
}

fn app_xml() -> String {
    format!(
        "{XML_DECL}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>Ordet</Application><DocSecurity>0</DocSecurity></Properties>"
    )
}

fn settings_xml() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{NS_W}\">\
         <w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"709\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>"
    )
}

/// One bullet list definition: "•" at the first level, hanging under the text.
fn numbering_xml() -> String {
    format!(
        "{XML_DECL}<w:numbering xmlns:w=\"{NS_W}\">\
         <w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>\
         <w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr>\
         <w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:cs=\"Calibri\"/></w:rPr>\
         </w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    )
}

/// The page number, centred and quiet.
fn footer_xml() -> String {
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">\
         <w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"
    )
}

// ---- Styles --------------------------------------------------------------------------------

fn styles_xml(outline: &Outline) -> String {
    let lang = lang_tag(outline);
    let mut xml = format!(
        "{XML_DECL}<w:styles xmlns:w=\"{NS_W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" w:cs=\"Calibri\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>\
         <w:lang w:val=\"{lang}\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after=\"160\" w:line=\"276\" w:lineRule=\"auto\"/>\
         </w:pPr></w:pPrDefault></w:docDefaults>"
    );
    xml.push_str(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
    );
    xml.push_str(&paragraph_style(
        "Title",
        "Title",
        "<w:spacing w:before=\"2400\" w:after=\"480\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:b/><w:bCs/><w:color w:val=\"1F4E79\"/><w:sz w:val=\"56\"/><w:szCs w:val=\"56\"/>",
    ));
    xml.push_str(&paragraph_style(
        "Subtitle",
        "Subtitle",
        "<w:spacing w:after=\"120\"/>",
        "<w:color w:val=\"404040\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>",
    ));
    for (level, (size, before)) in [(36, 480), (30, 360), (26, 240)].into_iter().enumerate() {
        let n = level + 1;
        xml.push_str(&paragraph_style(
            &format!("Heading{n}"),
            &format!("heading {n}"),
            &format!(
                "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"120\"/>\
                 <w:outlineLvl w:val=\"{level}\"/>"
            ),
            &format!(
                "<w:b/><w:bCs/><w:color w:val=\"1F4E79\"/>\
                 <w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"
            ),
        ));
    }
    xml.push_str(&paragraph_style(
        "ListParagraph",
        "List Paragraph",
        "<w:spacing w:after=\"80\"/><w:ind w:left=\"720\"/><w:contextualSpacing/>",
        "",
    ));
    xml.push_str(&paragraph_style(
        "TableText",
        "Table Text",
        "<w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    ));
    xml.push_str(&paragraph_style(
        "Footer",
        "footer",
        "<w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/>",
        "<w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    xml.push_str(&character_style("Strong", "Strong", "<w:b/><w:bCs/>"));
    // #595959 on white is 7:1, well above the 4.5:1 that small text needs.
    xml.push_str(&character_style(
        "Quiet",
        "Quiet",
        "<w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    xml.push_str(&table_style());
    xml.push_str("</w:styles>");
    xml
}

fn paragraph_style(id: &str, name: &str, ppr: &str, rpr: &str) -> String {
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr>{ppr}</w:pPr>{rpr}</w:style>"
    )
}

fn character_style(id: &str, name: &str, rpr: &str) -> String {
    format!(
        "<w:style w:type=\"character\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
         <w:qFormat/><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

/// Thin grey borders on every cell and a shaded, bold header row.
fn table_style() -> String {
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8C8C8C\"/>")
    };
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|side| border(side))
        .collect();
    format!(
        "<w:style w:type=\"table\" w:styleId=\"OrdetTable\"><w:name w:val=\"Ordet Table\"/>\
         <w:uiPriority w:val=\"59\"/>\
         <w:tblPr><w:tblBorders>{borders}</w:tblBorders>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"85\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>\
         </w:tblPr>\
         <w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/><w:bCs/></w:rPr>\
         <w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{HEADER_FILL}\"/></w:tcPr>\
         </w:tblStylePr></w:style>"
    )
}

/// The header row's shading: a light blue-grey that keeps black text at well over 4.5:1.
const HEADER_FILL: &str = "DDE7F0";

// ---- Document body -------------------------------------------------------------------------

fn document_xml(outline: &Outline) -> String {
    let mut body = String::new();
    for block in &outline.blocks {
        write_block(&mut body, block);
    }
    let title_page = matches!(outline.blocks.first(), Some(Block::TitlePage { .. }));
    format!(
        "{XML_DECL}<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>{body}{}\
         </w:body></w:document>",
        section_properties(title_page)
    )
}

/// A4 portrait with 2.5 cm margins and the page number in the footer, except on a title page.
fn section_properties(title_page: bool) -> String {
    format!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"{FOOTER_REL}\"/>\
         <w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/>\
         <w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" \
         w:left=\"{MARGIN}\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/>\
         <w:cols w:space=\"709\"/>{}</w:sectPr>",
        if title_page { "<w:titlePg/>" } else { "" }
    )
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::TitlePage { title, lines } => {
            paragraph(out, "<w:pStyle w:val=\"Title\"/>", &run("", title));
            for line in lines {
                paragraph(out, "<w:pStyle w:val=\"Subtitle\"/>", &run("", line));
            }
            page_break(out);
        }
        Block::Heading { level, text } => {
            let style = format!("<w:pStyle w:val=\"Heading{}\"/>", (*level).clamp(1, 3));
            paragraph(out, &style, &run("", text));
        }
        Block::Paragraph(spans) => paragraph(out, "", &spans_runs(spans)),
        Block::Bullets(items) => {
            for item in items {
                paragraph(
                    out,
                    "<w:pStyle w:val=\"ListParagraph\"/>\
                     <w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>",
                    &spans_runs(item),
                );
            }
        }
        Block::Table(table) => write_table(out, table),
        Block::WordCloud(words) => write_cloud(out, words),
        Block::PageBreak => page_break(out),
    }
}

/// A paragraph; `ppr` is the content of its properties (may be empty).
fn paragraph(out: &mut String, ppr: &str, runs: &str) {
    out.push_str("<w:p>");
    if !ppr.is_empty() {
        out.push_str(&format!("<w:pPr>{ppr}</w:pPr>"));
    }
    out.push_str(runs);
    out.push_str("</w:p>");
}

fn page_break(out: &mut String) {
    paragraph(
        out,
        "<w:spacing w:after=\"0\"/>",
        "<w:r><w:br w:type=\"page\"/></w:r>",
    );
}

fn spans_runs(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| {
            let rpr = match span.style {
                // Participants' words stay plain body text: italics are harder to read.
                SpanStyle::Plain | SpanStyle::Quote => "",
                SpanStyle::Strong => "<w:rStyle w:val=\"Strong\"/>",
                SpanStyle::Quiet => "<w:rStyle w:val=\"Quiet\"/>",
            };
            run(rpr, &span.text)
        })
        .collect()
}

/// One run; `rpr` is the content of its properties (may be empty). Line breaks and tabs in
/// `text` become Word's own break and tab elements.
fn run(rpr: &str, text: &str) -> String {
    let mut xml = String::from("<w:r>");
    if !rpr.is_empty() {
        xml.push_str(&format!("<w:rPr>{rpr}</w:rPr>"));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (line_no, line) in text.split('\n').enumerate() {
        if line_no > 0 {
            xml.push_str("<w:br/>");
        }
        for (tab_no, piece) in line.split('\t').enumerate() {
            if tab_no > 0 {
                xml.push_str("<w:tab/>");
            }
            let piece = escape(piece);
            if !piece.is_empty() {
                xml.push_str(&format!("<w:t xml:space=\"preserve\">{piece}</w:t>"));
            }
        }
    }
    xml.push_str("</w:r>");
    xml
}

fn write_table(out: &mut String, table: &Table) {
    let columns = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.header.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return;
    }
    let widths = column_widths(&table.widths, columns);
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"OrdetTable\"/>\
         <w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>\
         <w:tblLook w:val=\"0620\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" \
         w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    ));
    for width in &widths {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    table_row(out, &table.header, &widths, true);
    for row in &table.rows {
        table_row(out, row, &widths, false);
    }
    out.push_str("</w:tbl>");
    // Keeps a following table apart and gives the body a paragraph after the table.
    paragraph(out, "<w:spacing w:after=\"0\"/>", "");
}

/// The header row repeats on every page and is shaded and bold directly as well as through
/// the table style, since not every reader applies a style's first-row look.
fn table_row(out: &mut String, cells: &[String], widths: &[u32], header: bool) {
    out.push_str("<w:tr>");
    if header {
        out.push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    }
    for (column, width) in widths.iter().enumerate() {
        let text = cells.get(column).map_or("", String::as_str);
        let shading = if header {
            format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{HEADER_FILL}\"/>")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{shading}</w:tcPr>"
        ));
        let rpr = if header { "<w:b/><w:bCs/>" } else { "" };
        paragraph(out, "<w:pStyle w:val=\"TableText\"/>", &run(rpr, text));
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr>");
}

/// Column widths in twips, proportional to `relative` and filling the text width; equal when
/// the relative widths are missing, zero or do not match the columns.
fn column_widths(relative: &[u16], columns: usize) -> Vec<u32> {
    let total: u32 = relative.iter().map(|&w| u32::from(w)).sum();
    let shares: Vec<u32> = if relative.len() == columns && total > 0 {
        relative.iter().map(|&w| u32::from(w)).collect()
    } else {
        vec![1; columns]
    };
    let total: u32 = shares.iter().sum();
    let mut widths: Vec<u32> = shares
        .iter()
        .map(|share| TEXT_WIDTH * share / total)
        .collect();
    let used: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_WIDTH - used;
    }
    widths
}

/// One centred paragraph; each word's size follows its step. The space after a word has the
/// word's size and 4 pt more, so big words get room around them.
fn write_cloud(out: &mut String, words: &[CloudWord]) {
    let mut runs = String::new();
    for (index, word) in words.iter().enumerate() {
        let step = usize::from(word.size.clamp(1, 5)) - 1;
        let size = CLOUD_SIZES[step];
        let sizes = format!("<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
        let bold = if step == 4 { "<w:b/><w:bCs/>" } else { "" };
        runs.push_str(&run(
            &format!("{bold}<w:color w:val=\"1F4E79\"/>{sizes}"),
            &word.text,
        ));
        // How many inputs use the word, small, as in the other formats.
        runs.push_str(&run(
            "<w:rStyle w:val=\"Quiet\"/>",
            &format!("\u{a0}({})", word.count),
        ));
        if index + 1 < words.len() {
            runs.push_str(&run(&format!("<w:spacing w:val=\"80\"/>{sizes}"), " "));
        }
    }
    paragraph(
        out,
        "<w:spacing w:before=\"240\" w:after=\"240\"/><w:jc w:val=\"center\"/>",
        &runs,
    );
}

// ---- Text ----------------------------------------------------------------------------------

/// Escapes text for XML content and attributes, and drops characters XML 1.0 does not allow
/// (control characters other than tab, line feed and carriage return, U+FFFE and U+FFFF) as well
/// as DEL and the C1 controls it discourages, which never carry meaning in a note.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {}
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use ordet_shared::Lang;
    use roxmltree::{Document, Node};

    use super::*;

    const HOSTILE: &str = "<script>alert(1)</script> & \"quotes\" 'too'";

    fn sample() -> Outline {
        let title = "Planverkstad for Ørsta kommune – kommuneplanen sin samfunnsdel";
        let header = [
            "Nr.", "Innspel", "Gruppe", "Rolle", "Tema", "Stemmer", "Merknad",
        ];
        let rows = (1..=12)
            .map(|n| {
                vec![
                    n.to_string(),
                    format!("Innspel nummer {n}: tryggare skuleveg, fleire møteplassar for unge"),
                    format!("Gruppe {}", n % 4 + 1),
                    "Innbyggjar".to_owned(),
                    "Oppvekst".to_owned(),
                    (20 - n).to_string(),
                    "Følgjast opp av etaten".to_owned(),
                ]
            })
            .collect();
        let words = [
            ("skuleveg", 5),
            ("møteplass", 4),
            ("ungdom", 3),
            ("kollektiv", 2),
            ("bibliotek", 1),
            ("fjord", 2),
            ("tryggleik", 3),
        ];
        Outline {
            lang: Lang::Nn,
            title: title.to_owned(),
            blocks: vec![
                Block::TitlePage {
                    title: title.to_owned(),
                    lines: vec![
                        "Måndag 3. mars 2025, kl. 18.00–21.00".to_owned(),
                        "Arrangør: Ørsta kommune, plan- og næringsavdelinga".to_owned(),
                        "Føremål: innspel frå innbyggjarane".to_owned(),
                    ],
                },
                Block::Heading {
                    level: 1,
                    text: "Samandrag".to_owned(),
                },
                Block::Paragraph(vec![
                    Span::strong("Deltakarar: "),
                    Span::plain("42 personar i 6 grupper svarte på 3 spørsmål. "),
                    Span::quiet("(tal frå påmeldinga)"),
                ]),
                Block::Heading {
                    level: 2,
                    text: "Kva vi høyrde".to_owned(),
                },
                Block::Heading {
                    level: 3,
                    text: "Skule og oppvekst".to_owned(),
                },
                Block::Paragraph(vec![
                    Span::quote("Vi treng fleire gang- og sykkelvegar til skulen."),
                    Span::quiet("  Gruppe 1 · forelder · 7 stemmer"),
                ]),
                Block::Paragraph(vec![
                    Span::quote(HOSTILE),
                    Span::quiet("  Gruppe 2 · 1 stemme"),
                ]),
                Block::Paragraph(vec![
                    Span::quote("Første linje\nAndre linje\n\tInnrykt tredje linje\u{7}"),
                    Span::quiet("  Gruppe 3"),
                ]),
                Block::Bullets(vec![
                    vec![
                        Span::plain("Byggje ut "),
                        Span::strong("gang- og sykkelveg"),
                    ],
                    vec![Span::plain("Opne biblioteket om kvelden")],
                    vec![Span::quote("Ein stad å vere utan å måtte kjøpe noko")],
                ]),
                Block::PageBreak,
                Block::Heading {
                    level: 1,
                    text: "Alle innspel".to_owned(),
                },
                Block::Table(Table {
                    header: header.map(str::to_owned).to_vec(),
                    rows,
                    widths: vec![1, 6, 2, 2, 2, 2, 3],
                }),
                Block::Heading {
                    level: 2,
                    text: "Ordsky".to_owned(),
                },
                Block::WordCloud(
                    words
                        .iter()
                        .map(|&(text, size)| CloudWord {
                            text: text.to_owned(),
                            count: usize::from(size) * 3,
                            size,
                        })
                        .collect(),
                ),
            ],
        }
    }

    fn part(docx: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    }

    fn w(name: &str) -> (&'static str, &str) {
        (NS_W, name)
    }

    /// A paragraph's text, with breaks as `\n` and tabs as `\t`.
    fn text_of(paragraph: Node) -> String {
        paragraph
            .descendants()
            .filter_map(|n| {
                if n.has_tag_name(w("t")) {
                    n.text().map(str::to_owned)
                } else if n.has_tag_name(w("br")) && n.attribute(w("type")).is_none() {
                    Some("\n".to_owned())
                } else if n.has_tag_name(w("tab")) {
                    Some("\t".to_owned())
                } else {
                    None
                }
            })
            .collect()
    }

    fn paragraph_style<'a>(paragraph: Node<'a, '_>) -> Option<&'a str> {
        paragraph
            .children()
            .find(|n| n.has_tag_name(w("pPr")))?
            .children()
            .find(|n| n.has_tag_name(w("pStyle")))?
            .attribute(w("val"))
    }

    fn paragraphs<'a, 'i>(doc: &'a Document<'i>) -> impl Iterator<Item = Node<'a, 'i>> {
        doc.descendants().filter(|n| n.has_tag_name(w("p")))
    }

    fn style<'a, 'i>(styles: &'a Document<'i>, id: &str) -> Node<'a, 'i> {
        styles
            .descendants()
            .find(|n| n.has_tag_name(w("style")) && n.attribute(w("styleId")) == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    }

    fn child_val<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
        node.descendants()
            .find(|n| n.has_tag_name(w(name)))?
            .attribute(w("val"))
    }

    #[test]
    fn all_parts_are_present_deflated_and_content_types_come_first() {
        let docx = write(&sample());
        let mut archive = zip::ZipArchive::new(Cursor::new(&docx)).unwrap();
        assert_eq!(
            archive.by_index(0).unwrap().name().unwrap(),
            "[Content_Types].xml"
        );
        for name in [
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/styles.xml",
            "word/numbering.xml",
            "word/settings.xml",
            "word/footer1.xml",
            "word/_rels/document.xml.rels",
        ] {
            let file = archive.by_name(name).unwrap();
            assert_eq!(file.compression(), CompressionMethod::Deflated, "{name}");
        }
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).unwrap();
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            Document::parse(&xml).unwrap_or_else(|e| panic!("{}: {e}", file.name().unwrap()));
        }
    }

    #[test]
    fn relationships_and_overrides_name_existing_parts() {
        let docx = write(&sample());
        let archive = zip::ZipArchive::new(Cursor::new(&docx)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        let types = part(&docx, "[Content_Types].xml");
        for node in Document::parse(&types).unwrap().descendants() {
            if let Some(part_name) = node.attribute("PartName") {
                assert!(
                    names.iter().any(|n| format!("/{n}") == part_name),
                    "{part_name}"
                );
            }
        }
        for (rels, base) in [
            ("_rels/.rels", ""),
            ("word/_rels/document.xml.rels", "word/"),
        ] {
            let xml = part(&docx, rels);
            for node in Document::parse(&xml).unwrap().descendants() {
                if let Some(target) = node.attribute("Target") {
                    assert!(names.contains(&format!("{base}{target}")), "{target}");
                }
            }
        }
        let document = part(&docx, "word/document.xml");
        let footer = Document::parse(&document)
            .unwrap()
            .descendants()
            .find(|n| n.has_tag_name(w("footerReference")))
            .and_then(|n| n.attribute((NS_R, "id")))
            .map(str::to_owned);
        let rels = part(&docx, "word/_rels/document.xml.rels");
        let rels = Document::parse(&rels).unwrap();
        let target = rels
            .descendants()
            .find(|n| n.attribute("Id") == footer.as_deref())
            .and_then(|n| n.attribute("Target"));
        assert_eq!(target, Some("footer1.xml"));
    }

    #[test]
    fn headings_use_heading_styles_with_outline_levels() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let headings: Vec<(String, String)> = paragraphs(&document)
            .filter_map(|p| {
                let style = paragraph_style(p)?;
                style
                    .starts_with("Heading")
                    .then(|| (style.to_owned(), text_of(p)))
            })
            .collect();
        let expected = [
            ("Heading1", "Samandrag"),
            ("Heading2", "Kva vi høyrde"),
            ("Heading3", "Skule og oppvekst"),
            ("Heading1", "Alle innspel"),
            ("Heading2", "Ordsky"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(s, t)| ((*s).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(headings, expected);

        let styles = part(&docx, "word/styles.xml");
        let styles = Document::parse(&styles).unwrap();
        for level in 1..=3 {
            let heading = style(&styles, &format!("Heading{level}"));
            let outline_level = (level - 1).to_string();
            assert_eq!(
                child_val(heading, "outlineLvl"),
                Some(outline_level.as_str())
            );
            assert!(heading.descendants().any(|n| n.has_tag_name(w("keepNext"))));
        }
        for id in ["Normal", "Title", "Subtitle", "ListParagraph", "OrdetTable"] {
            style(&styles, id);
        }
        assert_eq!(child_val(style(&styles, "Quiet"), "color"), Some("595959"));
        let strong = style(&styles, "Strong");
        assert!(strong.descendants().any(|n| n.has_tag_name(w("b"))));
    }

    #[test]
    fn hostile_text_comes_back_as_text() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        assert!(!document.contains("<script>"));
        let document = Document::parse(&document).unwrap();
        let texts: Vec<String> = paragraphs(&document).map(text_of).collect();
        let expected = format!("{HOSTILE}  Gruppe 2 · 1 stemme");
        assert!(texts.contains(&expected), "{texts:?}");
    }

    #[test]
    fn line_breaks_and_tabs_are_kept_and_control_characters_dropped() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let expected = "Første linje\nAndre linje\n\tInnrykt tredje linje  Gruppe 3";
        assert!(paragraphs(&document).any(|p| text_of(p) == expected));
        assert!(
            document
                .descendants()
                .filter(|n| n.has_tag_name(w("t")))
                .all(
                    |n| n.attribute(("http://www.w3.org/XML/1998/namespace", "space"))
                        == Some("preserve")
                )
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\u{fffe}d\u{ffff}e\u{85}f"), "abcdef");
    }

    #[test]
    fn span_styles_map_to_character_styles() {
        let outline = Outline {
            lang: Lang::Nb,
            title: "Stiler".to_owned(),
            blocks: vec![Block::Paragraph(vec![
                Span::plain("a"),
                Span::strong("b"),
                Span::quiet("c"),
                Span::quote("d"),
            ])],
        };
        let document = part(&write(&outline), "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let runs: Vec<Option<&str>> = document
            .descendants()
            .filter(|n| n.has_tag_name(w("r")))
            .map(|r| child_val(r, "rStyle"))
            .collect();
        assert_eq!(runs, [None, Some("Strong"), Some("Quiet"), None]);
        assert!(!document.descendants().any(|n| n.has_tag_name(w("i"))));
    }

    #[test]
    fn table_header_repeats_and_widths_fill_the_text_width() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let table = document
            .descendants()
            .find(|n| n.has_tag_name(w("tbl")))
            .unwrap();
        assert_eq!(child_val(table, "tblStyle"), Some("OrdetTable"));
        let rows: Vec<Node> = table
            .children()
            .filter(|n| n.has_tag_name(w("tr")))
            .collect();
        assert_eq!(rows.len(), 13);
        let is_header = |row: &Node| row.descendants().any(|n| n.has_tag_name(w("tblHeader")));
        assert!(is_header(&rows[0]));
        assert!(!rows[1..].iter().any(is_header));
        assert_eq!(text_of(rows[0]), "Nr.InnspelGruppeRolleTemaStemmerMerknad");
        for row in &rows {
            assert_eq!(
                row.children().filter(|n| n.has_tag_name(w("tc"))).count(),
                7
            );
        }
        let grid: Vec<u32> = table
            .descendants()
            .filter(|n| n.has_tag_name(w("gridCol")))
            .map(|n| n.attribute(w("w")).unwrap().parse().unwrap())
            .collect();
        assert_eq!(grid.len(), 7);
        assert_eq!(grid.iter().sum::<u32>(), TEXT_WIDTH);
        assert_eq!(grid[..6], [503, 3023, 1007, 1007, 1007, 1007]);
    }

    #[test]
    fn column_widths_fall_back_to_equal_columns() {
        assert_eq!(
            column_widths(&[], 2),
            [TEXT_WIDTH / 2, TEXT_WIDTH - TEXT_WIDTH / 2]
        );
        assert_eq!(column_widths(&[0, 0, 0], 3).iter().sum::<u32>(), TEXT_WIDTH);
        assert_eq!(column_widths(&[1, 1], 3).len(), 3);
        assert_eq!(column_widths(&[3, 1], 2), [6802, 2268]);
    }

    #[test]
    fn title_page_and_page_break_blocks_start_new_pages() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let breaks = document
            .descendants()
            .filter(|n| n.has_tag_name(w("br")) && n.attribute(w("type")) == Some("page"))
            .count();
        assert_eq!(breaks, 2);
        let first = paragraphs(&document).next().unwrap();
        assert_eq!(paragraph_style(first), Some("Title"));
        let section = document
            .descendants()
            .find(|n| n.has_tag_name(w("sectPr")))
            .unwrap();
        let size = section
            .children()
            .find(|n| n.has_tag_name(w("pgSz")))
            .unwrap();
        assert_eq!(size.attribute(w("w")), Some("11906"));
        assert_eq!(size.attribute(w("h")), Some("16838"));
        assert!(section.children().any(|n| n.has_tag_name(w("titlePg"))));
    }

    #[test]
    fn language_is_set_in_styles_and_properties() {
        for (lang, tag) in [
            (Lang::Nn, "nn-NO"),
            (Lang::Nb, "nb-NO"),
            (Lang::En, "en-GB"),
        ] {
            let outline = Outline { lang, ..sample() };
            let docx = write(&outline);
            let styles = part(&docx, "word/styles.xml");
            let styles = Document::parse(&styles).unwrap();
            let defaults = styles
                .descendants()
                .find(|n| n.has_tag_name(w("docDefaults")))
                .unwrap();
            assert_eq!(child_val(defaults, "lang"), Some(tag));
            let core = part(&docx, "docProps/core.xml");
            let core = Document::parse(&core).unwrap();
            let text_of_tag = |name: &str| {
                core.descendants()
                    .find(|n| n.tag_name().name() == name)
                    .and_then(|n| n.text())
                    .map(str::to_owned)
            };
            assert_eq!(text_of_tag("language").as_deref(), Some(tag));
            assert_eq!(text_of_tag("title"), Some(outline.title.clone()));
            assert_eq!(text_of_tag("creator"), None);
        }
        assert!(part(&write(&sample()), "docProps/app.xml").contains("<Application>Ordet<"));
    }

    #[test]
    fn bullets_use_a_bullet_list() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let items: Vec<String> = paragraphs(&document)
            .filter(|p| child_val(*p, "numId") == Some("1"))
            .map(text_of)
            .collect();
        assert_eq!(
            items,
            [
                "Byggje ut gang- og sykkelveg",
                "Opne biblioteket om kvelden",
                "Ein stad å vere utan å måtte kjøpe noko"
            ]
        );
        let numbering = part(&docx, "word/numbering.xml");
        let numbering = Document::parse(&numbering).unwrap();
        assert_eq!(
            child_val(numbering.root_element(), "numFmt"),
            Some("bullet")
        );
        assert_eq!(
            child_val(numbering.root_element(), "lvlText"),
            Some("\u{2022}")
        );
    }

    #[test]
    fn cloud_words_grow_with_their_size_step() {
        let docx = write(&sample());
        let document = part(&docx, "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let cloud = paragraphs(&document)
            .find(|p| text_of(*p).starts_with("skuleveg"))
            .unwrap();
        assert_eq!(child_val(cloud, "jc"), Some("center"));
        assert_eq!(
            text_of(cloud),
            "skuleveg\u{a0}(15) møteplass\u{a0}(12) ungdom\u{a0}(9) kollektiv\u{a0}(6) \
             bibliotek\u{a0}(3) fjord\u{a0}(6) tryggleik\u{a0}(9)"
        );
        let sizes: Vec<&str> = cloud
            .children()
            .filter(|r| r.has_tag_name(w("r")) && text_of(*r) != " ")
            .filter_map(|r| child_val(r, "sz"))
            .collect();
        assert_eq!(sizes, ["64", "48", "36", "28", "22", "28", "36"]);
    }

    #[test]
    fn writing_twice_gives_identical_bytes() {
        assert_eq!(write(&sample()), write(&sample()));
    }

    #[test]
    fn empty_outline_is_still_a_document() {
        let outline = Outline {
            lang: Lang::En,
            title: String::new(),
            blocks: vec![Block::Table(Table {
                header: Vec::new(),
                rows: Vec::new(),
                widths: Vec::new(),
            })],
        };
        let document = part(&write(&outline), "word/document.xml");
        let document = Document::parse(&document).unwrap();
        let body = document
            .descendants()
            .find(|n| n.has_tag_name(w("body")))
            .unwrap();
        let children: Vec<&str> = body
            .children()
            .filter(Node::is_element)
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(children, ["sectPr"]);
    }
}
