//! The correlation matrix: the tree's items in preorder, then the dimension scores, then the
//! overall item; Pearson and Spearman from the coded columns, pairwise-complete or over the rows
//! complete on every variable (`--missing listwise`).

use super::columns::ItemColumns;
use super::index::IndexComputation;
use super::options::MissingPolicy;
use super::results::{CorrMatrix, CorrelationResult, finite};
use crate::model::{Question, Role, Survey};
use crate::stats::correlation::{self, Discrete, PairwiseMatrix};

/// The variables of the matrix and their codes.
pub struct CorrVars<'a> {
    pub names: Vec<String>,
    pub codes: Vec<&'a Discrete>,
    /// Where the dimension scores start in `names`.
    pub dim_start: usize,
}

impl CorrVars<'_> {
    /// The position of a variable.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.names.iter().position(|v| v == id)
    }
}

/// The tree's questions in preorder of their nodes.
pub fn tree_items(survey: &Survey) -> Vec<&Question> {
    survey
        .tree
        .preorder()
        .into_iter()
        .flat_map(|n| survey.tree.nodes[n].questions.iter())
        .filter_map(|id| survey.question(id))
        .collect()
}

/// The dimension scores coded to their distinct values, in the order of the dimensions.
pub fn code_dimensions(survey: &Survey, idx: &IndexComputation, threads: usize) -> Vec<Discrete> {
    crate::par::map(survey.tree.dimensions(), threads, |&d| {
        Discrete::new(&idx.respondent_scores[d])
    })
}

/// The variables: tree items (`empty` where a column is absent), dimensions, overall item.
pub fn variables<'a>(
    survey: &Survey,
    tree_items: &[&Question],
    columns: &'a ItemColumns,
    dims: &'a [Discrete],
    empty: &'a Discrete,
) -> CorrVars<'a> {
    let mut names: Vec<String> = tree_items.iter().map(|q| q.id.clone()).collect();
    let mut codes: Vec<&Discrete> = tree_items
        .iter()
        .map(|q| columns.discrete_of(&q.id).unwrap_or(empty))
        .collect();
    let dim_start = names.len();
    for (&d, dd) in survey.tree.dimensions().iter().zip(dims) {
        names.push(survey.tree.nodes[d].id.clone());
        codes.push(dd);
    }
    if let Some(o) = survey.role_item(Role::Overall)
        && let Some(v) = columns.discrete_of(&o.id)
        && !names.contains(&o.id)
    {
        names.push(o.id.clone());
        codes.push(v);
    }
    CorrVars {
        names,
        codes,
        dim_start,
    }
}

/// Pearson, Spearman, covariances and n of every pair, under the missing-data policy.
pub fn pairwise(vars: &CorrVars, missing: MissingPolicy, threads: usize) -> PairwiseMatrix {
    match missing {
        MissingPolicy::Pairwise => correlation::pairwise_discrete(&vars.codes, threads, None),
        MissingPolicy::Listwise => {
            let (mask, _) = correlation::complete_mask(&vars.codes);
            correlation::pairwise_discrete(&vars.codes, threads, Some(&mask))
        }
    }
}

/// The correlation section.
pub fn result(vars: &CorrVars, pw: &PairwiseMatrix, missing: MissingPolicy) -> CorrelationResult {
    let nan_to_none = |m: &Vec<Vec<f64>>| -> Vec<Vec<Option<f64>>> {
        m.iter()
            .map(|r| r.iter().map(|v| finite(*v)).collect())
            .collect()
    };
    CorrelationResult {
        missing,
        pearson: CorrMatrix {
            vars: vars.names.clone(),
            r: nan_to_none(&pw.pearson),
            p: pw.pearson_p(),
            n: pw.n.clone(),
        },
        spearman: CorrMatrix {
            vars: vars.names.clone(),
            r: nan_to_none(&pw.spearman),
            p: pw.spearman_p(),
            n: pw.n.clone(),
        },
    }
}

/// Pearson r and n of each dimension with the overall item, by node index, for the drivers
/// (pairwise only: the drivers' r is always pairwise-complete).
pub fn outcome_r(
    survey: &Survey,
    columns: &ItemColumns,
    vars: &CorrVars,
    pw: &PairwiseMatrix,
    missing: MissingPolicy,
) -> Vec<(usize, f64, usize)> {
    match (missing, survey.role_item(Role::Overall)) {
        (MissingPolicy::Pairwise, Some(o)) if columns.position(&o.id).is_some() => {
            match vars.position(&o.id) {
                Some(oi) => (survey.tree.dimensions().iter().enumerate())
                    .map(|(j, &d)| {
                        let k = vars.dim_start + j;
                        (d, pw.pearson[k][oi], pw.n[k][oi])
                    })
                    .collect(),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
