//! `satkit check`: validate a survey file and print its indicator tree with weights.
//!
//! The report is computed by [`crate::model::summary`]; this file prints it, as JSON or as the
//! diagnostics on stderr and the tree table on stdout. The table is rendered here rather than
//! in the model because it uses the report layer's display-width helpers.

use std::path::PathBuf;

use super::output::{Format, print_stdout, to_json};
use crate::error::Result;
use crate::model::Survey;
use crate::model::summary::{CheckReport, TreeSummary};
use crate::report::text::pad_right;

const EXAMPLES: &str = "\
Examples:
  satkit check surveys/b2b-platform/survey.toml
  satkit check surveys/servqual/survey.toml --format json | jq .tree
  satkit check my-survey.toml 2> problems.txt || echo invalid";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// Output format of the report on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> Result<i32> {
    let checked = Survey::check_file(&args.survey)?;
    let report = CheckReport::new(args.survey.display().to_string(), &checked);
    let (errors, warnings) = (report.errors, report.warnings);
    match args.format {
        Format::Json => print_stdout(&to_json(&report))?,
        Format::Text => {
            for d in &report.diagnostics {
                crate::errln!("{d}");
            }
            if let Some(summary) = &report.summary {
                print_stdout(&render_text(summary))?;
            }
        }
    }
    if errors > 0 {
        if args.format == Format::Text {
            crate::errln!(
                "{}: {errors} error(s), {warnings} warning(s); the survey is invalid",
                args.survey.display()
            );
        }
        return Ok(crate::error::EXIT_INPUT);
    }
    Ok(0)
}

fn fmt_w(w: Option<f64>) -> String {
    w.map_or_else(|| "data".to_string(), |w| format!("{w:.3}"))
}

/// The tree summary as a text table (CJK-aware column widths).
pub fn render_text(s: &TreeSummary) -> String {
    let mut out = format!(
        "{}  {}  (language {}, version {})\n",
        s.id,
        s.title,
        if s.language == crate::model::Language::Zh {
            "zh"
        } else {
            "en"
        },
        s.version
    );
    out.push_str(&format!("ok: {} dimensions, {} nodes ({} leaves), {} body questions ({} in the tree), {} profile questions\n\n", s.dimensions, s.nodes, s.leaves, s.body_questions, s.questions_in_tree, s.profile_questions));
    let labels: Vec<String> = s
        .tree
        .iter()
        .map(|r| format!("{}{} {}", "  ".repeat(r.depth), r.id, r.name))
        .collect();
    let width = labels
        .iter()
        .map(|l| crate::report::text::display_width(l))
        .max()
        .unwrap_or(10)
        .max(20);
    out.push_str(&format!(
        "{}  {:>7}  {:>9}  {:>9}  {}\n",
        pad_right("node", width),
        "local",
        "effective",
        "questions",
        "children weighted by"
    ));
    for (r, label) in s.tree.iter().zip(&labels) {
        let cr = r
            .ahp_cr
            .map(|c| format!(" (CR {c:.3})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {:>7}  {:>9}  {:>9}  {}{}\n",
            pad_right(label, width),
            fmt_w(r.local_weight),
            fmt_w(r.effective_weight),
            r.questions,
            r.child_weighting,
            cr
        ));
    }
    if let Some(p) = &s.plan {
        out.push_str(&format!(
            "\nplan: {} completes give a margin of ±{:.1}% at {:.0}% confidence",
            p.sample_size,
            100.0 * p.planned_margin,
            100.0 * p.confidence
        ));
        match (p.target_margin, p.meets_target, p.required_sample) {
            (Some(m), Some(true), _) => {
                out.push_str(&format!("; meets the target ±{:.1}%\n", 100.0 * m))
            }
            (Some(m), Some(false), Some(req)) => out.push_str(&format!(
                "; MISSES the target ±{:.1}%: plan at least {req} completes\n",
                100.0 * m
            )),
            _ => out.push('\n'),
        }
    }
    out
}
