//! The satisfaction index on 0–100 for every node of the tree (docs/methods.md):
//! - item score = 100·(x − min)/(max − min), flipped for reverse-coded or descending items;
//! - a leaf's respondent score is the mean of its answered items;
//! - an inner node's respondent score is the weighted mean of its answered children, with the
//!   weights renormalised over those answered;
//! - the survey's node score is the survey-weighted mean over respondents with a score, with a
//!   95% t interval from the linearised standard error.

use super::columns::ItemColumns;
use super::items::direction;
use super::options::AnalysisOptions;
use super::results::finite;
use super::results::{ChoiceOption, ChoiceResult, IndexResult, NodeScore, Warning};
use crate::data::ResponseTable;
use crate::error::{Error, Result};
use crate::model::{ChildWeighting, DeriveMethod, Question, QuestionKind, Survey};
use crate::stats::codes::{Code, Codes};
use crate::stats::{descriptive, regression, weights};

pub struct IndexComputation {
    pub result: IndexResult,
    /// Respondent scores per node (arena order), NaN where the node has no answered child.
    pub respondent_scores: Vec<Vec<f64>>,
    /// Local weights used per node (arena order).
    pub local_weights: Vec<f64>,
}

/// A respondent's 0–100 item scores.
pub fn item_scores(survey: &Survey, q: &Question, x: &[f64]) -> Vec<f64> {
    let Some(scale) = survey.question_scale(q) else {
        return vec![f64::NAN; x.len()];
    };
    let (lo, hi) = (scale.min as f64, scale.max as f64);
    let flip = direction(survey, q) < 0.0;
    x.iter()
        .map(|v| {
            let s = 100.0 * (v - lo) / (hi - lo);
            if flip { 100.0 - s } else { s }
        })
        .collect()
}

/// Item scores are looked up per coded value where a column is integer-coded, else computed
/// per row. `outcome` names the column that regression-derived weights explain.
pub fn compute(
    survey: &Survey,
    columns: &ItemColumns,
    w: Option<&[f64]>,
    opts: &AnalysisOptions,
    outcome: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Result<IndexComputation> {
    let t = &survey.tree;
    let n_nodes = t.nodes.len();
    let n = columns.rows();
    // Materialised only if a node derives its weights by regression.
    let outcome_values = std::cell::OnceCell::new();
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); n_nodes];
    let mut local: Vec<f64> = t
        .nodes
        .iter()
        .map(|nd| nd.local_weight.unwrap_or(f64::NAN))
        .collect();
    local[0] = 1.0;
    let mut sources: Vec<String> = vec!["root".to_string(); n_nodes];
    // Post-order: children before parents.
    let mut order = t.preorder();
    order.reverse();
    // Leaves are independent of each other: their respondent scores first, in parallel.
    let leaves: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| t.nodes[i].is_leaf())
        .collect();
    let mut timer = crate::timing::Timer::new();
    let leaf_scores = crate::par::map(&leaves, opts.threads, |&i| {
        leaf_respondent_scores(survey, &t.nodes[i].questions, columns, n)
    });
    for (&i, s) in leaves.iter().zip(leaf_scores) {
        scores[i] = s;
    }
    timer.mark("  index.leaves");
    for &i in &order {
        let node = &t.nodes[i];
        if node.is_leaf() {
            continue;
        }
        // Child weights: resolved, or derived from the children's respondent scores.
        let kids = &node.children;
        let y = || {
            outcome_values
                .get_or_init(|| outcome.and_then(|id| columns.f64_of(id)))
                .as_deref()
        };
        if let Some(derived) = derived_weights(node, &scores, y, opts.threads, warnings)? {
            for (&c, wv) in kids.iter().zip(derived) {
                local[c] = wv;
            }
        }
        for &c in kids {
            sources[c] = node.weighting.name().to_string();
        }
        let s = inner_respondent_scores(kids, &scores, &local, n, opts.threads);
        scores[i] = s;
    }
    timer.mark("  index.nodes");
    let mut nodes = Vec::with_capacity(n_nodes);
    let pre = t.preorder();
    let summaries = crate::par::map(&pre, opts.threads, |&i| match w {
        Some(w) => descriptive::weighted_summary(&scores[i], w),
        None => descriptive::summary(&scores[i]),
    });
    timer.mark("  index.summaries");
    for (&i, summary) in pre.iter().zip(summaries) {
        let node = &t.nodes[i];
        if summary.n == 0 {
            warnings.push(Warning::new(
                &node.id,
                format!("node '{}' has no answers; its score is omitted", node.id),
            ));
        }
        let mut eff = 1.0;
        let mut j = i;
        while let Some(p) = t.nodes[j].parent {
            eff *= local[j];
            j = p;
        }
        nodes.push(NodeScore {
            id: node.id.clone(),
            name: node.name.clone(),
            parent: node.parent.map(|p| t.nodes[p].id.clone()),
            depth: node.depth,
            weight: local[i],
            effective_weight: eff,
            weight_source: sources[i].clone(),
            score: finite(summary.mean),
            ci_low: summary.ci_low,
            ci_high: summary.ci_high,
            sd: summary.sd,
            n: summary.n,
        });
    }
    let root = &nodes[0];
    let result = IndexResult {
        score: root.score,
        ci_low: root.ci_low,
        ci_high: root.ci_high,
        n: root.n,
        nodes,
    };
    Ok(IndexComputation {
        result,
        respondent_scores: scores,
        local_weights: local,
    })
}

/// The local weights of a node's children where the node derives them from the children's
/// respondent `scores` (entropy, or relative weights in a regression on the outcome `y`);
/// `None` where the weights are stated. Equal weights, with a warning, where the derivation is
/// undefined.
///
/// # Errors
/// Regression-derived weights in a survey without an overall item.
fn derived_weights<'y>(
    node: &crate::model::Node,
    scores: &[Vec<f64>],
    y: impl FnOnce() -> Option<&'y [f64]>,
    threads: usize,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Vec<f64>>> {
    let kids = &node.children;
    let cols: Vec<&[f64]> = kids.iter().map(|&c| scores[c].as_slice()).collect();
    let (derived, what) = match &node.weighting {
        ChildWeighting::Derive {
            derive: DeriveMethod::Entropy,
        } => (
            weights::entropy_weights(&cols, threads),
            "entropy weights are undefined (too few complete respondents or constant scores); equal weights used",
        ),
        ChildWeighting::Derive {
            derive: DeriveMethod::Regression,
        } => {
            let Some(y) = y() else {
                return Err(Error::usage(
                    format!(
                        "node '{}' derives its weights by regression, but the survey has no overall-satisfaction item to regress on",
                        node.id
                    ),
                    "add a rating question with role = \"overall\", or use derive = \"entropy\", AHP or explicit weights",
                ));
            };
            let m = regression::Moments::complete(&cols, y);
            let rw = regression::relative_weights_moments(&m)
                .ok()
                .and_then(|rw| {
                    let s: f64 = rw.iter().map(|v| v.max(0.0)).sum();
                    (s > 0.0).then(|| rw.iter().map(|v| v.max(0.0) / s).collect::<Vec<f64>>())
                });
            (
                rw,
                "regression-derived weights are undefined (too few complete respondents or collinear children); equal weights used",
            )
        }
        _ => return Ok(None),
    };
    Ok(Some(derived.unwrap_or_else(|| {
        warnings.push(Warning::new(&node.id, what));
        vec![1.0 / kids.len() as f64; kids.len()]
    })))
}

/// An inner node's respondent scores: the weighted mean of its answered children's scores,
/// with the weights renormalised over those answered. Blocks of rows in parallel; within a
/// block, child by child (each row's sums still run over the children in order).
fn inner_respondent_scores(
    kids: &[usize],
    scores: &[Vec<f64>],
    local: &[f64],
    n: usize,
    threads: usize,
) -> Vec<f64> {
    const BLOCK: usize = 1024;
    let mut out = vec![f64::NAN; n];
    let blocks: Vec<(usize, &mut [f64])> = out.chunks_mut(BLOCK).enumerate().collect();
    crate::par::map_owned(blocks, threads, |(b, out)| {
        let start = b * BLOCK;
        let mut sum = [0f64; BLOCK];
        let mut ws = [0f64; BLOCK];
        let (sum, ws) = (&mut sum[..out.len()], &mut ws[..out.len()]);
        for &c in kids {
            let w = local[c];
            for ((s, t), &v) in sum.iter_mut().zip(ws.iter_mut()).zip(&scores[c][start..]) {
                // A missing child adds +0.0, which leaves sums that start at +0.0 unchanged.
                let ok = !v.is_nan();
                *s += if ok { w * v } else { 0.0 };
                *t += if ok { w } else { 0.0 };
            }
        }
        for ((o, s), t) in out.iter_mut().zip(sum.iter()).zip(ws.iter()) {
            if *t > 0.0 {
                *o = s / t;
            }
        }
    });
    out
}

/// A leaf's respondent scores: the mean of the answered items' 0–100 scores.
fn leaf_respondent_scores(
    survey: &Survey,
    questions: &[String],
    columns: &ItemColumns,
    n: usize,
) -> Vec<f64> {
    // An integer-coded item has a score per code (the same formula on the same values, with
    // a NaN past the end of a wide table for the missing code); another has its per-row
    // scores.
    enum Item<'a> {
        /// Byte codes with each code's score and count: a missing code or a NaN score adds
        /// +0.0 (which leaves a sum that starts at +0.0 unchanged, bit for bit) and 0.
        Narrow(&'a [u8], Box<[f64; 256]>, Box<[u32; 256]>),
        Wide(&'a [u32], Vec<f64>),
        Scores(Vec<f64>),
    }
    let items: Vec<Item> = questions
        .iter()
        .filter_map(|id| {
            let (q, pos) = (survey.question(id)?, columns.position(id)?);
            let d = columns.discrete(pos);
            Some(if d.is_integer() {
                let mut table = item_scores(survey, q, &d.values);
                match d.codes() {
                    Codes::Narrow(c) => {
                        let mut score = Box::new([0f64; 256]);
                        let mut one = Box::new([0u32; 256]);
                        for (v, &t) in table.iter().enumerate().take(u8::MISSING as usize) {
                            if !t.is_nan() {
                                (score[v], one[v]) = (t, 1);
                            }
                        }
                        Item::Narrow(c, score, one)
                    }
                    Codes::Wide(c) => {
                        table.push(f64::NAN);
                        Item::Wide(c, table)
                    }
                }
            } else {
                Item::Scores(item_scores(survey, q, &columns.f64(pos)))
            })
        })
        .collect();
    // A block of rows at a time, item by item: each row's sum and count of answered item
    // scores (added in item order, as a row-by-row loop would) stay in the L1 cache.
    const BLOCK: usize = 1024;
    let mut out = vec![f64::NAN; n];
    let mut sum = [0f64; BLOCK];
    let mut k = [0u32; BLOCK];
    for (b, out) in out.chunks_mut(BLOCK).enumerate() {
        let rows = b * BLOCK..b * BLOCK + out.len();
        let (sum, k) = (&mut sum[..out.len()], &mut k[..out.len()]);
        sum.fill(0.0);
        k.fill(0);
        for item in &items {
            match item {
                Item::Narrow(c, score, one) => {
                    for ((s, n), &c) in sum.iter_mut().zip(k.iter_mut()).zip(&c[rows.clone()]) {
                        *s += score[usize::from(c)];
                        *n += one[usize::from(c)];
                    }
                }
                Item::Wide(c, table) => add_scores(
                    sum,
                    k,
                    c[rows.clone()]
                        .iter()
                        .map(|&c| table[c.index().min(table.len() - 1)]),
                ),
                Item::Scores(x) => add_scores(sum, k, x[rows.clone()].iter().copied()),
            }
        }
        for ((o, s), &c) in out.iter_mut().zip(sum.iter()).zip(k.iter()) {
            if c > 0 {
                *o = s / f64::from(c);
            }
        }
    }
    out
}

/// Adds each row's score (none for NaN) to its running sum and count, without branches.
#[inline]
fn add_scores(sum: &mut [f64], k: &mut [u32], scores: impl Iterator<Item = f64>) {
    for ((s, c), v) in sum.iter_mut().zip(k.iter_mut()).zip(scores) {
        let ok = !v.is_nan();
        // Adding +0.0 leaves a sum that starts at +0.0 unchanged, bit for bit.
        *s += if ok { v } else { 0.0 };
        *c += u32::from(ok);
    }
}

/// Counts and shares per option of a single- or multiple-choice question.
///
/// # Errors
/// A missing column.
pub fn choice_result(
    table: &ResponseTable,
    q: &Question,
    w: Option<&[f64]>,
) -> Result<ChoiceResult> {
    let k = q.choices.len();
    let mut counts = vec![0u64; k];
    let mut wsum = vec![0f64; k];
    let mut n = 0usize;
    let mut wn = 0f64;
    let mut add = |r: usize, codes: &[i64]| {
        n += 1;
        let wr = w.map_or(1.0, |w| w[r]);
        wn += wr;
        for &c in codes {
            if c >= 1 && (c as usize) <= k {
                counts[c as usize - 1] += 1;
                wsum[c as usize - 1] += wr;
            }
        }
    };
    if q.kind == QuestionKind::Single {
        for (r, v) in table.code_column(&q.id)?.iter().enumerate() {
            if let Some(c) = v {
                add(r, &[*c as i64]);
            }
        }
    } else {
        for (r, v) in table.str_column(&q.id)?.iter().enumerate() {
            if let Some(s) = v {
                let codes: Vec<i64> = s.split(';').filter_map(|t| t.trim().parse().ok()).collect();
                add(r, &codes);
            }
        }
    }
    let options = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, label)| ChoiceOption {
            code: i as i64 + 1,
            label: label.clone(),
            count: counts[i],
            share: if n > 0 {
                counts[i] as f64 / n as f64
            } else {
                0.0
            },
            weighted_share: w.map(|_| if wn > 0.0 { wsum[i] / wn } else { 0.0 }),
        })
        .collect();
    Ok(ChoiceResult {
        id: q.id.clone(),
        text: q.text.clone(),
        kind: q.kind.as_str().to_string(),
        n,
        options,
    })
}

/// The single- and multiple-choice sections.
///
/// # Errors
/// A choice column that cannot be read.
pub fn choice_results(
    survey: &Survey,
    table: &ResponseTable,
    weights: Option<&[f64]>,
) -> Result<Vec<ChoiceResult>> {
    survey
        .all_questions()
        .filter(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple))
        .map(|q| choice_result(table, q, weights))
        .collect()
}
