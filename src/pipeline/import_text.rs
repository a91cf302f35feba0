//! The text form of an import (`satkit import` without `--format json`): the summary of the
//! [`ImportReport`] for stdout, and the first problems with their cures for stderr. It lives here,
//! beside [`super::load_responses`], until the renderers of `report` take it over.

use std::path::Path;

use crate::data::import::{ImportReport, Problem};

/// Problems shown on stderr when no rejects file lists them all.
pub const PROBLEMS_SHOWN: usize = 5;

/// The first [`PROBLEMS_SHOWN`] problems, `file:line: column 'c': message [rule]` with the
/// cure, and how many more there are. Empty when there is none.
pub fn problems_text(input: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for p in problems.iter().take(PROBLEMS_SHOWN) {
        out.push_str(&format!(
            "{input}:{}: column '{}': {} [{}]\n  = help: {}\n",
            p.line,
            p.column,
            p.message,
            p.rule.as_str(),
            p.fix
        ));
    }
    if problems.len() > PROBLEMS_SHOWN {
        out.push_str(&format!(
            "... and {} more; add --rejects rejects.csv to list them all\n",
            problems.len() - PROBLEMS_SHOWN
        ));
    }
    out
}

/// The summary of an import: rows read, written and dropped (by reason), cells set missing,
/// problems by rule, quality flags, dropped flagged respondents and unknown columns.
pub fn render_text(r: &ImportReport, output: &Path) -> String {
    let mut s = format!(
        "imported {} ({}, {}, delimiter '{}') -> {}",
        r.input,
        r.format,
        r.encoding,
        r.delimiter,
        output.display(),
    );
    if let Some(p) = r.platform {
        s.push_str(&format!(
            "\nplatform: {p}{} ({} header row{})",
            if r.platform_detected {
                ", detected"
            } else {
                ""
            },
            r.header_rows,
            if r.header_rows == 1 { "" } else { "s" }
        ));
    }
    if r.rows_excluded > 0 {
        let by: Vec<String> = r
            .excluded_by_reason
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        s.push_str(&format!(
            "\nexcluded: {} row{} that {} not answers ({})",
            r.rows_excluded,
            if r.rows_excluded == 1 { "" } else { "s" },
            if r.rows_excluded == 1 { "is" } else { "are" },
            by.join(", ")
        ));
    }
    for n in &r.notes {
        s.push_str(&format!("\nnote: {n}"));
    }
    s.push('\n');
    let reasons: Vec<String> = r
        .dropped_by_reason
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    s.push_str(&format!(
        "rows: {} read, {} written, {} excluded, {} dropped",
        r.rows_read, r.rows_written, r.rows_excluded, r.rows_dropped
    ));
    if !reasons.is_empty() {
        s.push_str(&format!(" ({})", reasons.join(", ")));
    }
    s.push_str(&format!(
        "\ncells: {} invalid set missing, {} not applicable\n",
        r.cells_set_missing, r.cells_not_applicable
    ));
    s.push_str(&format!("problems: {}", r.problems));
    if !r.problems_by_rule.is_empty() {
        let by: Vec<String> = r
            .problems_by_rule
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        s.push_str(&format!(" ({})", by.join(", ")));
    }
    let f = &r.flags;
    s.push_str(&format!(
        "\nflags: {} respondents flagged (straight-lining {}, speeding {}, duplicate id {}, low completion {})\n",
        f.flagged, f.straightline, f.speeding, f.duplicate_id, f.low_completion
    ));
    let rule = &f.straightline_rule;
    s.push_str(&format!(
        "straight-lining rule: longest run of identical answers >= {} of the answered grid and SD in scale points <= {} ({} rating items; {} respondents with >= {} answered checked)\n",
        rule.longstring_share, rule.irv_max, rule.grid_items, rule.checked, rule.min_grid_items
    ));
    if !r.flagged_dropped_lines.is_empty() {
        let shown: Vec<String> = r
            .flagged_dropped_lines
            .iter()
            .take(20)
            .map(u64::to_string)
            .collect();
        let more = r.flagged_dropped_lines.len().saturating_sub(20);
        s.push_str(&format!(
            "dropped flagged respondents at lines {}{}\n",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more (see --format json)")
            } else {
                String::new()
            }
        ));
    }
    if !r.unknown_columns.is_empty() {
        s.push_str(&format!(
            "unknown columns kept as attributes: {}\n",
            r.unknown_columns.join(", ")
        ));
    }
    s
}
