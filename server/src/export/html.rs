//! The input document as one self-contained HTML page: its style sheet inside, no scripts,
//! no outside resources, so it opens anywhere offline and prints cleanly to PDF (each
//! chapter after a page break starts a new page; table headers repeat).

use std::fmt::Write;

use super::outline::{Block, Outline, Span, SpanStyle, Table};

const STYLE: &str = "body{font-family:Calibri,Carlito,'Liberation Sans',Arial,sans-serif;\
font-size:12pt;line-height:1.45;color:#1a1a1a;max-width:48rem;margin:2rem auto;padding:0 1rem}\
h1{font-size:1.7rem;margin-top:2.2rem;border-bottom:2px solid #1f4e79;color:#1f4e79}\
h2{font-size:1.3rem;margin-top:1.6rem;color:#1f4e79}h3{font-size:1.1rem;margin-top:1.2rem}\
.title-page{padding:2rem 0 1rem;border-bottom:1px solid #8c8c8c}\
.title-page h1{font-size:2.4rem;border:none}.title-page p{font-size:1.2rem;margin:.2rem 0}\
table{border-collapse:collapse;width:100%;margin:.8rem 0}th,td{border:1px solid #8c8c8c;\
padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#dde7f0}\
.quiet{color:#595959;font-size:.9em}ul{padding-left:1.4rem}li{margin:.3rem 0}\
.cloud{text-align:center;line-height:2.2}.cloud span{margin:0 .4rem;white-space:nowrap}\
.s1{font-size:1rem}.s2{font-size:1.3rem}.s3{font-size:1.7rem}.s4{font-size:2.2rem}\
.s5{font-size:2.8rem;font-weight:bold}.page-break{break-after:page}\
@media print{body{margin:0;max-width:none}.title-page{min-height:80vh;border:none;\
display:flex;flex-direction:column;justify-content:center}thead{display:table-header-group}\
h1,h2,h3{break-after:avoid}li,tr{break-inside:avoid}}";

/// The document as an HTML page.
pub fn write(outline: &Outline) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        outline.lang.code(),
        escape(&outline.title)
    );
    for block in &outline.blocks {
        block_html(&mut out, block);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn block_html(out: &mut String, block: &Block) {
    match block {
        Block::TitlePage { title, lines } => {
            let _ = write!(
                out,
                "<header class=\"title-page page-break\">\n<h1>{}</h1>\n",
                escape(title)
            );
            for line in lines {
                let _ = writeln!(out, "<p>{}</p>", escape(line));
            }
            out.push_str("</header>\n");
        }
        Block::Heading { level, text } => {
            // The title page holds the only h1 of a title; chapters are h1 too, as in the DOCX.
            let level = (*level).clamp(1, 3);
            let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
        }
        Block::Paragraph(spans) => {
            out.push_str("<p>");
            spans_html(out, spans);
            out.push_str("</p>\n");
        }
        Block::Bullets(items) => {
            out.push_str("<ul>\n");
            for item in items {
                out.push_str("<li>");
                spans_html(out, item);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        Block::Table(table) => table_html(out, table),
        Block::WordCloud(words) => {
            out.push_str("<p class=\"cloud\">");
            for word in words {
                let _ = write!(
                    out,
                    "<span class=\"s{}\">{} <span class=\"quiet\">({})</span></span> ",
                    word.size,
                    escape(&word.text),
                    word.count
                );
            }
            out.push_str("</p>\n");
        }
        Block::PageBreak => out.push_str("<div class=\"page-break\"></div>\n"),
    }
}

fn spans_html(out: &mut String, spans: &[Span]) {
    for span in spans {
        let text = escape(&span.text).replace('\n', "<br>");
        let _ = match span.style {
            SpanStyle::Plain | SpanStyle::Quote => write!(out, "{text}"),
            SpanStyle::Strong => write!(out, "<strong>{text}</strong>"),
            SpanStyle::Quiet => write!(out, "<span class=\"quiet\">{text}</span>"),
        };
    }
}

fn table_html(out: &mut String, table: &Table) {
    let total: u16 = table.widths.iter().sum::<u16>().max(1);
    out.push_str("<table>\n<colgroup>");
    for width in &table.widths {
        let _ = write!(
            out,
            "<col style=\"width:{}%\">",
            u32::from(*width) * 100 / u32::from(total)
        );
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for cell in &table.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(cell));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell).replace('\n', "<br>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Text made inert: every character HTML gives meaning to is escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
