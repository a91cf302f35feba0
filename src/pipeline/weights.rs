//! `satkit weights` as data: the weights of every sibling group, and their text table.
//!
//! Without data the groups are the survey's declared weights (explicit, equal or AHP, with the
//! consistency of each AHP matrix); with a response table they come from the analysis, which
//! adds the entropy and regression-derived weights. [`WeightsReport`] is the JSON report.

use serde::Serialize;

use crate::analysis::{self, AnalysisOptions, WeightGroup};
use crate::data::ResponseTable;
use crate::error::Result;
use crate::model::{ChildWeighting, Survey};
use crate::report::text::pad_right;

/// The JSON report of `satkit weights`.
#[derive(Debug, Serialize)]
pub struct WeightsReport {
    pub schema_version: &'static str,
    pub survey: String,
    /// False when any AHP matrix has CR ≥ 0.1 (exit 1).
    pub consistent: bool,
    pub groups: Vec<WeightGroup>,
}

impl WeightsReport {
    pub fn new(survey: &Survey, groups: &[WeightGroup]) -> WeightsReport {
        WeightsReport {
            schema_version: "1.0.0",
            survey: survey.meta.id.clone(),
            consistent: all_consistent(groups),
            groups: groups.to_vec(),
        }
    }
}

/// True when no AHP matrix is inconsistent (CR ≥ 0.1).
pub fn all_consistent(groups: &[WeightGroup]) -> bool {
    groups.iter().all(|g| g.ahp_consistent != Some(false))
}

/// The weight groups: from the analysis of `data` (with `input` naming it), or as declared.
///
/// # Errors
/// Analysis errors (e.g. responses that do not match the survey).
pub fn weight_groups(
    survey: &Survey,
    data: Option<(&ResponseTable, String)>,
) -> Result<Vec<WeightGroup>> {
    Ok(match data {
        Some((table, input)) => {
            let opts = AnalysisOptions {
                input,
                ..Default::default()
            };
            analysis::analyze(survey, table, &opts)?.weights
        }
        None => declared_groups(survey),
    })
}

/// The survey's own weights of every sibling group, in preorder.
pub fn declared_groups(survey: &Survey) -> Vec<WeightGroup> {
    let t = &survey.tree;
    t.preorder()
        .into_iter()
        .filter(|&i| !t.nodes[i].is_leaf())
        .map(|i| {
            let n = &t.nodes[i];
            let ahp = match &n.weighting {
                ChildWeighting::Ahp { result, .. } => Some(result.clone()),
                _ => None,
            };
            WeightGroup {
                node: n.id.clone(),
                method: n.weighting.name().to_string(),
                children: n.children.iter().map(|&c| t.nodes[c].id.clone()).collect(),
                used: n
                    .children
                    .iter()
                    .map(|&c| t.nodes[c].local_weight.unwrap_or(f64::NAN))
                    .collect(),
                ahp_consistent: ahp.as_ref().map(|a| a.consistent()),
                ahp,
                entropy: None,
                regression: None,
            }
        })
        .collect()
}

fn w(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map_or("data".to_string(), |x| format!("{x:.3}"))
}

/// Per sibling group: the method, the AHP consistency, and the used, entropy and regression
/// weight of every child.
pub fn render_text(survey: &Survey, groups: &[WeightGroup]) -> String {
    let mut s = String::new();
    for g in groups {
        let node = survey
            .tree
            .find(&g.node)
            .map(|i| survey.tree.nodes[i].name.clone())
            .unwrap_or_default();
        s.push_str(&format!("{} {}: {}\n", g.node, node, g.method));
        if let Some(a) = &g.ahp {
            s.push_str(&format!(
                "  λmax {:.4}, CI {:.4}, RI {}, CR {:.4}: {}\n",
                a.lambda_max,
                a.ci,
                a.ri.map_or("–".into(), |r| format!("{r:.2}")),
                a.cr,
                if a.consistent() {
                    "consistent (CR < 0.1)"
                } else {
                    "INCONSISTENT (CR ≥ 0.1)"
                }
            ));
        }
        let width = g.children.iter().map(|c| c.len()).max().unwrap_or(4).max(5);
        s.push_str(&format!(
            "  {}  {:>7}  {:>7}  {:>10}\n",
            pad_right("child", width),
            "used",
            "entropy",
            "regression"
        ));
        for (i, c) in g.children.iter().enumerate() {
            s.push_str(&format!(
                "  {}  {:>7}  {:>7}  {:>10}\n",
                pad_right(c, width),
                w(g.used.get(i).copied()),
                g.entropy
                    .as_ref()
                    .map_or("–".into(), |e| format!("{:.3}", e[i])),
                g.regression
                    .as_ref()
                    .map_or("–".into(), |e| format!("{:.3}", e[i])),
            ));
        }
        s.push('\n');
    }
    s
}
