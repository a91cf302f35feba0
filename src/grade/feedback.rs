//! Feedback for one student in Markdown: every point given or taken, with the survey line it
//! refers to (quoted from the submission), and the file names the feedback files get.

use std::collections::HashMap;

use super::rubric::Rubric;
use super::scores::{Grade, round2};
use crate::diagnostic::Severity;
use crate::model::validate::fmt_num;

/// One feedback file name per grade, in order: the student's name made safe for a file system,
/// with `-2`, `-3`, ... for students whose safe names coincide.
pub fn feedback_file_names(grades: &[Grade]) -> Vec<String> {
    let mut used: HashMap<String, usize> = HashMap::new();
    grades
        .iter()
        .map(|g| {
            let base = safe_file_name(&g.student);
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                format!("{base}.md")
            } else {
                format!("{base}-{n}.md")
            }
        })
        .collect()
}

fn safe_file_name(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let t = t.trim_start_matches('.').to_string();
    if t.is_empty() { "student".into() } else { t }
}

fn quote_line(g: &Grade, line: usize) -> String {
    g.source
        .as_ref()
        .map(|s| s.line_text(line).trim().to_string())
        .filter(|t| !t.is_empty())
        .map(|t| format!(" — `{}`", t.replace('`', "'")))
        .unwrap_or_default()
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The feedback for one student: every point given or taken, with the survey line it refers to.
pub fn feedback_markdown(rubric: &Rubric, g: &Grade) -> String {
    let mut out = format!("# Feedback for {}\n\n", g.student);
    out.push_str(&format!(
        "- Submission: `{}`\n- Rubric: {}\n",
        g.file, rubric.name
    ));
    out.push_str(&format!(
        "- Score: **{} / {}** (band **{}**)\n\n",
        fmt_num(g.total),
        fmt_num(g.max),
        g.band
    ));
    if let Some(diags) = &g.unreadable {
        out.push_str("## The survey could not be read\n\n");
        out.push_str("The file does not parse or validate, so it was given 0 points. `satkit check` reports:\n\n```text\n");
        for d in diags.iter().filter(|d| d.severity == Severity::Error) {
            out.push_str(&format!("{d}\n"));
        }
        out.push_str(
            "```\n\nFix these errors (run `satkit check` on the file) and submit again.\n",
        );
        return out;
    }
    out.push_str(
        "## Points awarded\n\n| Criterion | Points | Why | Survey line |\n|---|---|---|---|\n",
    );
    for (c, a) in rubric.criteria.iter().zip(&g.awards) {
        let line = a
            .line
            .map(|l| format!("{l}{}", quote_line(g, l)))
            .unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "| {} — {} | {} / {} | {} | {} |\n",
            c.id,
            md_escape(&c.description),
            fmt_num(a.points),
            fmt_num(c.points),
            md_escape(&a.why),
            md_escape(&line)
        ));
    }
    let got: f64 = g.awards.iter().map(|a| a.points).sum();
    out.push_str(&format!(
        "\nAwarded: {} of {}.\n\n## Points taken\n\n",
        fmt_num(round2(got)),
        fmt_num(g.max)
    ));
    let mut any = false;
    for (i, d) in rubric.deductions.iter().enumerate() {
        let charges = &g.charges[i];
        if charges.is_empty() {
            continue;
        }
        any = true;
        let caps = match (d.cap, d.cap_per_rule) {
            (Some(c), Some(r)) => format!(
                "; at most {} in all and {} per rule",
                fmt_num(c),
                fmt_num(r)
            ),
            (Some(c), None) => format!("; at most {} in all", fmt_num(c)),
            (None, Some(r)) => format!("; at most {} per rule", fmt_num(r)),
            (None, None) => String::new(),
        };
        let per = if d.points == 0.0 {
            "Listed for information; no points taken".to_string()
        } else {
            format!("{} point(s) per finding{caps}", fmt_num(d.points))
        };
        let taken = round2(g.deducted(i));
        let taken = if taken > 0.0 {
            format!("−{}", fmt_num(taken))
        } else {
            "no points".to_string()
        };
        out.push_str(&format!(
            "### {} — {}: {taken}\n\n{per}.\n\n",
            d.id, d.description
        ));
        for c in charges {
            let f = &c.finding;
            let taken = if c.points > 0.0 {
                format!("−{}", fmt_num(c.points))
            } else if d.points == 0.0 {
                "listed, no points taken".to_string()
            } else {
                "0 (cap reached)".to_string()
            };
            out.push_str(&format!(
                "- line {}:{} `{}` ({}, {taken}): {}{}\n  - fix: {}\n",
                f.line,
                f.column,
                f.rule.as_deref().unwrap_or(""),
                f.severity,
                f.message,
                quote_line(g, f.line),
                f.help
            ));
        }
        out.push('\n');
    }
    if !any {
        out.push_str("No deductions.\n\n");
    }
    let lost: f64 = (0..rubric.deductions.len()).map(|i| g.deducted(i)).sum();
    out.push_str(&format!(
        "## Total\n\n{} awarded − {} deducted = **{}** of {} ({:.0} %), band **{}**.\n",
        fmt_num(round2(got)),
        fmt_num(round2(lost)),
        fmt_num(g.total),
        fmt_num(g.max),
        if g.max > 0.0 {
            100.0 * g.total / g.max
        } else {
            0.0
        },
        g.band
    ));
    out
}
