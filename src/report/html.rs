//! `report.html`: one self-contained page. Inline CSS and inline SVG charts, no scripts, no
//! external requests (links point only at anchors inside the page), a table of contents, and
//! print rules for A4 (`@page`, page breaks between sections, no breaks inside figures or rows).
//! Every text from the results passes through [`html_escape`].

use super::charts::Chart;
use super::document::{Block, Document, Fact};
use super::markup::{CJK_FONT_STACK, html_escape};
use super::tables::Grid;

const CSS: &str = "\
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --soft: #f3f5f8; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); max-width: 62rem; margin: 0 auto; padding: 1.5rem; line-height: 1.5; font-size: 15px; background: #fff; }
header h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
.sub, .muted { color: var(--muted); }
.sub { margin: 0; }
nav.toc { margin: 1rem 0 1.5rem; padding: .5rem 1rem; background: var(--soft); border-radius: 6px; }
nav.toc h2 { font-size: 1rem; margin: .25rem 0; border: 0; padding: 0; }
nav.toc ol { columns: 2; margin: .25rem 0; padding-left: 1.4rem; }
nav.toc a { color: var(--accent); text-decoration: none; }
h2 { font-size: 1.4rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin: 2.2rem 0 .8rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .75rem; margin: .5rem 0 1rem; }
.fact { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: var(--soft); }
.fact-label { font-size: .85rem; color: var(--muted); }
.fact-value { font-size: 2.1rem; font-weight: 700; line-height: 1.15; color: var(--accent); }
.fact-detail { font-size: .85rem; }
.lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.lists h3 { margin-top: .5rem; }
.lists ol { margin: 0; padding-left: 1.4rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td:first-child, td.num { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.strong td { font-weight: 700; }
td.d1 { padding-left: 1.5rem; } td.d2 { padding-left: 2.5rem; } td.d3 { padding-left: 3.5rem; } td.d4 { padding-left: 4.5rem; }
figure.chart { margin: 1rem 0; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
dl.defs { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .4rem 0 1rem; }
dl.defs dt { font-weight: 600; }
dl.defs dd { margin: 0; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section { break-before: page; }
  section#headline { break-before: auto; }
  h2, h3 { break-after: avoid; }
  figure, .fact, .lists > div, tr, dl.defs { break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
";

/// Render the document as one HTML page.
pub fn render(doc: &Document, charts: &[Chart]) -> String {
    let mut o = String::with_capacity(64 * 1024);
    o.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        doc.html_lang
    ));
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str(&format!("<title>{}</title>\n", html_escape(&doc.title)));
    o.push_str(&format!(
        "<style>\n{}</style>\n</head>\n<body>\n",
        CSS.replace("FONTS", CJK_FONT_STACK)
    ));
    o.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        html_escape(&doc.title),
        html_escape(&doc.subtitle)
    ));
    if let Some(g) = &doc.generated {
        o.push_str(&format!("<p class=\"sub\">{}</p>\n", html_escape(g)));
    }
    o.push_str("</header>\n");
    o.push_str(&format!(
        "<nav class=\"toc\">\n<h2>{}</h2>\n<ol>\n",
        html_escape(doc.contents)
    ));
    for s in &doc.sections {
        let title = s
            .title
            .split_once(". ")
            .map_or(s.title.as_str(), |(_, t)| t);
        o.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            s.id,
            html_escape(title)
        ));
    }
    o.push_str("</ol>\n</nav>\n");
    for s in &doc.sections {
        o.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            s.id,
            html_escape(&s.title)
        ));
        for b in &s.blocks {
            block(&mut o, b, charts);
        }
        o.push_str("</section>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn block(o: &mut String, b: &Block, charts: &[Chart]) {
    match b {
        Block::Facts(facts) => {
            o.push_str("<div class=\"facts\">\n");
            for f in facts {
                fact(o, f);
            }
            o.push_str("</div>\n");
        }
        Block::Heading(h) => o.push_str(&format!("<h3>{}</h3>\n", html_escape(h))),
        Block::Para(p) => o.push_str(&format!("<p>{}</p>\n", html_escape(p))),
        Block::Lists(lists) => {
            o.push_str("<div class=\"lists\">\n");
            for (title, items) in lists {
                o.push_str(&format!("<div>\n<h3>{}</h3>\n<ol>\n", html_escape(title)));
                for i in items {
                    o.push_str(&format!("<li>{}</li>\n", html_escape(i)));
                }
                o.push_str("</ol>\n</div>\n");
            }
            o.push_str("</div>\n");
        }
        Block::List(items) => {
            o.push_str("<ul>\n");
            for i in items {
                o.push_str(&format!("<li>{}</li>\n", html_escape(i)));
            }
            o.push_str("</ul>\n");
        }
        Block::Definitions(defs) => {
            o.push_str("<dl class=\"defs\">\n");
            for (term, def) in defs {
                o.push_str(&format!(
                    "<dt>{}</dt><dd>{}</dd>\n",
                    html_escape(term),
                    html_escape(def)
                ));
            }
            o.push_str("</dl>\n");
        }
        Block::Table(g) => table(o, g),
        Block::Chart(i) => {
            if let Some(c) = charts.get(*i) {
                // The chart draws its own title; the label names the figure for screen readers.
                o.push_str(&format!(
                    "<figure class=\"chart\" id=\"chart-{}\" aria-label=\"{}\">\n",
                    html_escape(&super::document::chart_stem(c)),
                    html_escape(&c.title)
                ));
                o.push_str(inline_svg(&c.svg));
                o.push_str("\n</figure>\n");
            }
        }
    }
}

fn fact(o: &mut String, f: &Fact) {
    o.push_str(&format!(
        "<div class=\"fact\"><div class=\"fact-label\">{}</div><div class=\"fact-value\">{}</div>",
        html_escape(&f.label),
        html_escape(&f.value)
    ));
    for d in &f.detail {
        o.push_str(&format!(
            "<div class=\"fact-detail\">{}</div>",
            html_escape(d)
        ));
    }
    o.push_str("</div>\n");
}

fn table(o: &mut String, g: &Grid) {
    let class = |i: usize| {
        if g.numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    o.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
    for (i, h) in g.header.iter().enumerate() {
        o.push_str(&format!("<th{}>{}</th>", class(i), html_escape(h)));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &g.rows {
        o.push_str(if r.strong {
            "<tr class=\"strong\">"
        } else {
            "<tr>"
        });
        for (i, c) in r.cells.iter().enumerate() {
            if i == 0 && r.indent > 0 {
                o.push_str(&format!(
                    "<td class=\"d{}\">{}</td>",
                    r.indent.min(4),
                    html_escape(c)
                ));
            } else {
                o.push_str(&format!("<td{}>{}</td>", class(i), html_escape(c)));
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table></div>\n");
}

/// The `<svg>` element of a chart, without an XML declaration or doctype before it.
fn inline_svg(svg: &str) -> &str {
    let start = svg.find("<svg").unwrap_or(0);
    svg[start..].trim_end()
}
