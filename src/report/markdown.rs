//! `report.md`: the same document as the HTML report in GitHub-flavoured Markdown, with charts
//! linked as `charts/<id>.svg` (and the PNG next to it). Every text from the results is escaped
//! with [`md_escape`] so that labels such as `<script>` or `*` show as written.

use super::charts::Chart;
use super::document::{Block, Document, chart_stem};
use super::markup::{md_escape, md_escape_block};
use super::tables::Grid;

/// The deepest indentation drawn (a tree node's depth; deeper rows stay at this level).
const MAX_INDENT: usize = 64;

/// Render the document as Markdown.
pub fn render(doc: &Document, charts: &[Chart]) -> String {
    let mut o = format!(
        "# {}\n\n{}\n\n",
        md_escape(&doc.title),
        md_escape(&doc.subtitle)
    );
    if let Some(g) = &doc.generated {
        o.push_str(&format!("{}\n\n", md_escape(g)));
    }
    o.push_str(&format!("## {}\n\n", md_escape(doc.contents)));
    for (i, s) in doc.sections.iter().enumerate() {
        let title = s
            .title
            .split_once(". ")
            .map_or(s.title.as_str(), |(_, t)| t);
        o.push_str(&format!("{}. {}\n", i + 1, md_escape(title)));
    }
    o.push('\n');
    for s in &doc.sections {
        o.push_str(&format!("## {}\n\n", md_escape(&s.title)));
        for b in &s.blocks {
            block(&mut o, b, charts);
        }
    }
    // Exactly one trailing newline.
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

fn block(o: &mut String, b: &Block, charts: &[Chart]) {
    match b {
        Block::Facts(facts) => {
            for f in facts {
                o.push_str(&format!(
                    "- **{}: {}**",
                    md_escape(&f.label),
                    md_escape(&f.value)
                ));
                if !f.detail.is_empty() {
                    let d: Vec<String> = f.detail.iter().map(|d| md_escape(d)).collect();
                    o.push_str(&format!(" — {}", d.join("; ")));
                }
                o.push('\n');
            }
            o.push('\n');
        }
        Block::Heading(h) => o.push_str(&format!("### {}\n\n", md_escape(h))),
        Block::Para(p) => o.push_str(&format!("{}\n\n", md_escape_block(p))),
        Block::Lists(lists) => {
            for (title, items) in lists {
                o.push_str(&format!("### {}\n\n", md_escape(title)));
                for (i, item) in items.iter().enumerate() {
                    o.push_str(&format!("{}. {}\n", i + 1, md_escape(item)));
                }
                o.push('\n');
            }
        }
        Block::List(items) => {
            for item in items {
                o.push_str(&format!("- {}\n", md_escape(item)));
            }
            o.push('\n');
        }
        Block::Definitions(defs) => {
            for (term, def) in defs {
                o.push_str(&format!("- **{}**: {}\n", md_escape(term), md_escape(def)));
            }
            o.push('\n');
        }
        Block::Table(g) => table(o, g),
        Block::Chart(i) => {
            if let Some(c) = charts.get(*i) {
                let stem = chart_stem(c);
                let title = md_escape(&c.title);
                o.push_str(&format!(
                    "![{title}](charts/{stem}.svg)\n\n[{title} (PNG)](charts/{stem}.png)\n\n"
                ));
            }
        }
    }
}

fn table(o: &mut String, g: &Grid) {
    let cell = |s: &str| {
        let e = md_escape(s);
        if e.is_empty() { " ".to_string() } else { e }
    };
    o.push_str(&format!(
        "| {} |\n",
        g.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let align: Vec<&str> = (0..g.header.len())
        .map(|i| {
            if g.numeric.get(i).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    o.push_str(&format!("| {} |\n", align.join(" | ")));
    for r in &g.rows {
        let cells: Vec<String> = r
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut s = cell(c);
                if i == 0 && r.strong {
                    s = format!("**{s}**");
                }
                if i == 0 && r.indent > 0 {
                    // No-break spaces survive Markdown's trimming of cell content.
                    s = format!("{}{s}", "\u{a0}\u{a0}".repeat(r.indent.min(MAX_INDENT)));
                }
                s
            })
            .collect();
        o.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    o.push('\n');
}
