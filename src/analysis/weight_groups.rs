//! The weight comparison: for each group of siblings, the weights the survey states beside the
//! entropy and regression-derived weights the data would give.

use super::context::{Context, MomentsTable};
use super::results::*;
use crate::model::ChildWeighting;
use crate::stats::{correlation, regression, weights};

/// The sibling groups whose regression-derived weights are compared (for
/// [`MomentsTable::new`]).
pub fn moment_sets(cx: &Context) -> Vec<Vec<usize>> {
    let t = &cx.survey.tree;
    (t.preorder().into_iter())
        .filter(|&i| !t.nodes[i].is_leaf())
        .map(|i| t.nodes[i].children.clone())
        .collect()
}

pub fn weight_groups(cx: &Context, moments: &MomentsTable, outcome_y: &[f64]) -> Vec<WeightGroup> {
    let t = &cx.survey.tree;
    t.preorder()
        .into_iter()
        .filter(|&i| !t.nodes[i].is_leaf())
        .map(|i| {
            let node = &t.nodes[i];
            let kids = &node.children;
            // Children coded already (the dimensions, for the correlations) are reused.
            let built: Vec<Option<correlation::Discrete>> = kids
                .iter()
                .map(|&c| {
                    cx.coded_node(c)
                        .is_none()
                        .then(|| correlation::Discrete::new(&cx.idx.respondent_scores[c]))
                })
                .collect();
            let cols: Vec<&correlation::Discrete> = kids
                .iter()
                .zip(&built)
                .filter_map(|(&c, b)| b.as_ref().or_else(|| cx.coded_node(c)))
                .collect();
            let entropy = weights::entropy_weights_coded(&cols, cx.threads);
            let mut slot = None;
            let m = moments.get(cx, kids, outcome_y, &mut slot);
            let regression = regression::relative_weights_moments(m).ok().and_then(|rw| {
                let s: f64 = rw.iter().map(|v| v.max(0.0)).sum();
                (s > 0.0).then(|| rw.iter().map(|v| v.max(0.0) / s).collect())
            });
            let ahp = match &node.weighting {
                ChildWeighting::Ahp { result, .. } => Some(result.clone()),
                _ => None,
            };
            WeightGroup {
                node: node.id.clone(),
                method: node.weighting.name().to_string(),
                children: kids.iter().map(|&c| t.nodes[c].id.clone()).collect(),
                used: kids.iter().map(|&c| cx.idx.local_weights[c]).collect(),
                ahp_consistent: ahp.as_ref().map(|a| a.consistent()),
                ahp,
                entropy,
                regression,
            }
        })
        .collect()
}
