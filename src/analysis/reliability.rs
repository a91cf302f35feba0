//! Reliability: Cronbach's alpha of every dimension and of every multi-item indicator under it,
//! from the covariances of the correlation stage (pairwise) or of the group's complete rows
//! (listwise), with item-total correlations and alpha if deleted.

use super::correlations::CorrVars;
use super::items::direction;
use super::options::MissingPolicy;
use super::results::{Omitted, ReliabilityItem, ReliabilityResult, TreeLevel, Warning};
use crate::model::{Question, QuestionKind, Survey};
use crate::stats::correlation::{self, PairwiseMatrix};
use crate::stats::reliability;

/// A group of items whose alpha is reported: node id, scope and the rating items.
type Group<'a> = (String, TreeLevel, Vec<&'a Question>);

/// The rating items of a set of question ids.
fn rating_items<'a, S: AsRef<str>>(survey: &'a Survey, ids: &[S]) -> Vec<&'a Question> {
    ids.iter()
        .filter_map(|id| survey.question(id.as_ref()))
        .filter(|q| q.kind == QuestionKind::Rating)
        .collect()
}

/// Every dimension, each followed by the leaf indicators under it, in preorder.
fn groups(survey: &Survey) -> Vec<Group<'_>> {
    let mut groups = Vec::new();
    for &d in survey.tree.dimensions() {
        let qs = rating_items(survey, &survey.tree.questions_under(d));
        groups.push((survey.tree.nodes[d].id.clone(), TreeLevel::Dimension, qs));
        for n in survey.tree.preorder() {
            let node = &survey.tree.nodes[n];
            if n != d && node.is_leaf() && survey.tree.dimension_of(n) == Some(d) {
                groups.push((
                    node.id.clone(),
                    TreeLevel::Indicator,
                    rating_items(survey, &node.questions),
                ));
            }
        }
    }
    groups
}

/// The reliability sections of every group with two or more items.
pub fn reliability(
    survey: &Survey,
    vars: &CorrVars,
    pw: &PairwiseMatrix,
    missing: MissingPolicy,
    threads: usize,
    warnings: &mut Vec<Warning>,
    omitted: &mut Vec<Omitted>,
) -> Vec<ReliabilityResult> {
    let mut rel = Vec::new();
    for (node, scope, qs) in groups(survey) {
        if qs.len() < 2 {
            continue;
        }
        let idxs: Vec<usize> = qs.iter().filter_map(|q| vars.position(&q.id)).collect();
        let (cov, cor, n_used) = match missing {
            MissingPolicy::Pairwise => {
                let sub = |m: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
                    idxs.iter()
                        .map(|&a| idxs.iter().map(|&b| m[a][b]).collect())
                        .collect()
                };
                let n_min = idxs
                    .iter()
                    .flat_map(|&a| idxs.iter().map(move |&b| (a, b)))
                    .map(|(a, b)| pw.n[a][b])
                    .min()
                    .unwrap_or(0);
                (sub(&pw.cov), sub(&pw.pearson), n_min)
            }
            MissingPolicy::Listwise => {
                let codes: Vec<&correlation::Discrete> =
                    idxs.iter().map(|&i| vars.codes[i]).collect();
                let (mask, n) = correlation::complete_mask(&codes);
                let m = correlation::pairwise_discrete(&codes, threads, Some(&mask));
                (m.cov, m.pearson, n)
            }
        };
        if n_used < 3 {
            omitted.push(Omitted::new(
                format!("reliability {node}"),
                format!("fewer than 3 respondents answered every pair ({n_used})"),
            ));
            continue;
        }
        let reverse: Vec<bool> = qs.iter().map(|q| direction(survey, q) < 0.0).collect();
        match reliability::cronbach(&cov, &cor, &reverse) {
            Ok(r) => rel.push(section(survey, &node, scope, &qs, n_used, r, warnings)),
            Err(e) => omitted.push(Omitted::new(
                format!("reliability {node}"),
                match e {
                    reliability::ReliabilityError::ZeroVariance(i) => {
                        format!("item '{}' has zero variance", qs[i].id)
                    }
                    _ => "undefined covariances".to_string(),
                },
            )),
        }
    }
    rel
}

/// One group's section; alpha under 0.7 also gets a warning naming the items whose removal
/// would raise it.
fn section(
    survey: &Survey,
    node: &str,
    scope: TreeLevel,
    qs: &[&Question],
    n_used: usize,
    r: reliability::Reliability,
    warnings: &mut Vec<Warning>,
) -> ReliabilityResult {
    let warning = (r.alpha < 0.7).then(|| {
        let weak: Vec<String> = qs
            .iter()
            .zip(&r.items)
            .filter(|(_, it)| it.alpha_if_deleted.is_some_and(|a| a > r.alpha))
            .map(|(q, _)| q.id.clone())
            .collect();
        let mut msg = format!("alpha {:.3} of '{node}' is below 0.7", r.alpha);
        if !weak.is_empty() {
            msg.push_str(&format!("; removing {} would raise it", weak.join(", ")));
        }
        warnings.push(Warning::new(node, msg.clone()));
        msg
    });
    ReliabilityResult {
        node: node.to_string(),
        scope,
        k: r.k,
        n: n_used,
        alpha: r.alpha,
        alpha_std: r.alpha_std,
        avg_r: r.avg_r,
        warning,
        items: qs
            .iter()
            .zip(r.items)
            .map(|(q, it)| ReliabilityItem {
                id: q.id.clone(),
                reverse: direction(survey, q) < 0.0,
                item_total_r: it.item_total_r,
                alpha_if_deleted: it.alpha_if_deleted,
            })
            .collect(),
    }
}
