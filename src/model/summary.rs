//! What `satkit check` reports about a survey, as data: the diagnostics with their counts
//! ([`CheckReport`], the JSON report), and for a valid survey a [`TreeSummary`] (counts, the
//! indicator tree in preorder with local and effective weights, and whether the `[plan]` sample
//! reaches its margin). The text rendering is the command line's; this module only computes.

use serde::Serialize;

use super::{Checked, ChildWeighting, Language, Survey};
use crate::diagnostic::{Diagnostic, Severity};
use crate::stats::sampling;

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

impl CheckReport {
    /// The report of a checked file: diagnostics, counts, and the summary when it is valid.
    pub fn new(file: String, checked: &Checked) -> CheckReport {
        let count = |sev: Severity| {
            checked
                .diagnostics
                .iter()
                .filter(|d| d.severity == sev)
                .count()
        };
        let errors = count(Severity::Error);
        CheckReport {
            schema_version: "1.0.0",
            file,
            valid: errors == 0,
            errors,
            warnings: count(Severity::Warning),
            diagnostics: checked.diagnostics.clone(),
            summary: checked.survey.as_ref().map(tree_summary),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TreeSummary {
    pub id: String,
    pub title: String,
    pub language: Language,
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

/// The summary of a valid survey: counts, the tree in preorder with weights, and the plan check.
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
