//! `satkit check`: validate a survey file and print its indicator tree with weights.

use std::path::PathBuf;

use serde::Serialize;

use super::output::{Format, print_stdout, to_json};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Result;
use crate::model::{ChildWeighting, Survey};
use crate::report::text::pad_right;
use crate::stats::sampling;

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

/// The JSON report of `satkit check` (schema_version 1).
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub schema_version: &'static str,
    pub file: String,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<Diagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<TreeSummary>,
}

#[derive(Debug, Serialize)]
pub struct TreeSummary {
    pub id: String,
    pub title: String,
    pub language: crate::model::Language,
    pub version: String,
    pub dimensions: usize,
    pub nodes: usize,
    pub leaves: usize,
    pub body_questions: usize,
    pub profile_questions: usize,
    pub questions_in_tree: usize,
    pub tree: Vec<TreeRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanCheck>,
}

#[derive(Debug, Serialize)]
pub struct TreeRow {
    pub id: String,
    pub name: String,
    pub depth: usize,
    /// Weight among siblings; null when derived from data at analysis time.
    pub local_weight: Option<f64>,
    /// Product of local weights from the root; null when any is derived.
    pub effective_weight: Option<f64>,
    /// How this node weights its children (explicit, equal, ahp, entropy, regression).
    pub child_weighting: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ahp_cr: Option<f64>,
    /// Questions under this node (recursively).
    pub questions: usize,
}

/// Whether the planned sample reaches the planned margin of error.
#[derive(Debug, Serialize)]
pub struct PlanCheck {
    pub sample_size: u64,
    pub confidence: f64,
    pub target_margin: Option<f64>,
    /// The margin the planned sample would achieve (p = 0.5, with FPC when the population is known).
    pub planned_margin: f64,
    pub required_sample: Option<u64>,
    pub meets_target: Option<bool>,
}

pub fn tree_summary(s: &Survey) -> TreeSummary {
    let t = &s.tree;
    let tree = t
        .preorder()
        .into_iter()
        .map(|i| {
            let n = &t.nodes[i];
            TreeRow {
                id: n.id.clone(),
                name: n.name.clone(),
                depth: n.depth,
                local_weight: if n.parent.is_none() {
                    Some(1.0)
                } else {
                    n.local_weight
                },
                effective_weight: t.effective_weight(i),
                child_weighting: if n.is_leaf() {
                    "items".into()
                } else {
                    n.weighting.name().into()
                },
                ahp_cr: match &n.weighting {
                    ChildWeighting::Ahp { result, .. } => Some(result.cr),
                    _ => None,
                },
                questions: t.questions_under(i).len(),
            }
        })
        .collect();
    let plan = s.plan.as_ref().and_then(|p| {
        let n = p.sample_size?;
        let confidence = p.confidence.unwrap_or(0.95);
        let planned = sampling::achieved_margin(n as f64, confidence, 0.5, p.population_size);
        Some(PlanCheck {
            sample_size: n,
            confidence,
            target_margin: p.margin,
            planned_margin: planned,
            required_sample: p.margin.and_then(|m| {
                sampling::required_sample(m, confidence, 0.5, p.population_size).ok()
            }),
            meets_target: p.margin.map(|m| planned <= m + 1e-12),
        })
    });
    TreeSummary {
        id: s.meta.id.clone(),
        title: s.meta.title.clone(),
        language: s.meta.language,
        version: s.meta.version.clone(),
        dimensions: t.dimensions().len(),
        nodes: t.nodes.len() - 1,
        leaves: t
            .nodes
            .iter()
            .filter(|n| n.is_leaf() && n.parent.is_some())
            .count(),
        body_questions: s.questions.len(),
        profile_questions: s.profile.len(),
        questions_in_tree: s.questions.iter().filter(|q| q.node.is_some()).count(),
        tree,
        plan,
    }
}

pub fn run(args: Args) -> Result<i32> {
    let checked = Survey::check_file(&args.survey)?;
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let summary = checked.survey.as_ref().map(tree_summary);
    match args.format {
        Format::Json => {
            let report = CheckReport {
                schema_version: "1.0.0",
                file: args.survey.display().to_string(),
                valid: errors == 0,
                errors,
                warnings,
                diagnostics: checked.diagnostics.clone(),
                summary,
            };
            print_stdout(&to_json(&report));
        }
        Format::Text => {
            for d in &checked.diagnostics {
                eprintln!("{d}");
            }
            if let Some(summary) = &summary {
                print_stdout(&render_text(summary));
            }
        }
    }
    if errors > 0 {
        if args.format == Format::Text {
            eprintln!(
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
