//! Key drivers of the outcome (the overall item, else the root index): OLS on the dimension and
//! indicator scores with relative weights and Shapley R², the importance–performance analysis of
//! each level, and the improvement priorities from the finest level.

use super::context::{Context, MomentsTable};
use super::index::item_scores;
use super::options::{Importance, ImproveOptions, IpaCross, MissingPolicy};
use super::results::*;
use crate::model::{Measures, Role};
use crate::stats::{correlation, descriptive, regression};

/// The outcome the drivers explain: the overall item, else the root index.
pub fn outcome(cx: &Context) -> (Outcome, Vec<f64>) {
    match cx.survey.role_item(Role::Overall).and_then(|q| cx.value(&q.id).map(|v| (q, v))) {
        Some((q, v)) => (Outcome { id: q.id.clone(), label: q.text.clone(), kind: "item".into(), note: None }, v.into_owned()),
        None => (
            Outcome {
                id: "index".into(),
                label: cx.survey.tree.root().name.clone(),
                kind: "index".into(),
                note: Some("the survey has no overall-satisfaction item (role = \"overall\"), so the drivers explain the root index, which is built from the predictors themselves; read importances with care".into()),
            },
            cx.idx.respondent_scores[0].clone(),
        ),
    }
}

fn level_nodes(cx: &Context, level: TreeLevel) -> Vec<usize> {
    let t = &cx.survey.tree;
    match level {
        TreeLevel::Dimension => t.dimensions().to_vec(),
        _ => t
            .preorder()
            .into_iter()
            .filter(|&i| t.nodes[i].is_leaf() && t.nodes[i].depth >= 2)
            .collect(),
    }
}

/// Stated importance (0–100) for a node: mean of an importance item whose attribute is the node id.
fn stated_importance(cx: &Context, node_id: &str) -> Option<f64> {
    let q = cx.survey.questions.iter().find(|q| {
        q.measures == Some(Measures::Importance) && q.attribute.as_deref() == Some(node_id)
    })?;
    let x = cx.value(&q.id)?;
    let s = item_scores(cx.survey, q, &x);
    finite(descriptive::summary(&s).mean)
}

/// The sets of nodes the driver levels regress the outcome on (for [`MomentsTable::new`]).
pub fn moment_sets(cx: &Context) -> Vec<Vec<usize>> {
    [TreeLevel::Dimension, TreeLevel::Indicator]
        .into_iter()
        .map(|level| level_nodes(cx, level))
        .filter(|nodes| nodes.len() >= 2)
        .collect()
}

/// Drivers of the outcome `out` (with its per-row values `y`, both from [`outcome`]).
pub fn drivers(
    cx: &Context,
    moments: &MomentsTable,
    (out, y): (Outcome, &[f64]),
    opts: &ImproveOptions,
    warnings: &mut Vec<Warning>,
    omitted: &mut Vec<Omitted>,
) -> (Option<DriversResult>, Option<IpaResult>, Vec<Priority>) {
    if let Some(note) = &out.note {
        warnings.push(Warning::new("drivers", note.clone()));
    }
    let mut levels = Vec::new();
    let mut ipa_levels = Vec::new();
    for level in [TreeLevel::Dimension, TreeLevel::Indicator] {
        let nodes = level_nodes(cx, level);
        if nodes.len() < 2 {
            continue;
        }
        let Some(fitted) = driver_level(cx, moments, level, &nodes, y, (warnings, omitted)) else {
            continue;
        };
        if let Some(ipa) = ipa_level(cx, level, &nodes, &fitted.coefficients, opts) {
            ipa_levels.push(ipa);
        }
        levels.push(fitted);
    }
    if levels.is_empty() {
        return (None, None, Vec::new());
    }
    // Priorities from the finest level with an IPA.
    let priorities = ipa_levels.last().map(priorities).unwrap_or_default();
    let ipa = (!ipa_levels.is_empty()).then(|| IpaResult {
        importance_measure: match opts.importance {
            Importance::RelativeWeight => "relative_weight".into(),
            Importance::Beta => "beta".into(),
        },
        cross: match opts.ipa_cross {
            IpaCross::Mean => "mean".into(),
            IpaCross::Midpoint => "midpoint".into(),
        },
        levels: ipa_levels,
    });
    (
        Some(DriversResult {
            outcome: out,
            missing: MissingPolicy::Listwise,
            levels,
        }),
        ipa,
        priorities,
    )
}

/// OLS of the outcome on one level's node scores, with relative weights, Shapley R² (up to 10
/// predictors) and each node's r with the outcome; `None` (and an omission) when OLS fails.
fn driver_level(
    cx: &Context,
    moments: &MomentsTable,
    level: TreeLevel,
    nodes: &[usize],
    y: &[f64],
    (warnings, omitted): (&mut Vec<Warning>, &mut Vec<Omitted>),
) -> Option<DriverLevel> {
    let t = &cx.survey.tree;
    let mut slot = None;
    let m = moments.get(cx, nodes, y, &mut slot);
    let fit = match regression::ols_moments(m) {
        Ok(f) => f,
        Err(e) => {
            omitted.push(Omitted::new(format!("drivers.{level}"), e.to_string()));
            return None;
        }
    };
    if fit.exact_fit {
        warnings.push(Warning::new(
            format!("drivers.{level}"),
            "the model is degenerate: the outcome is an exact linear combination of the \
             predictors (R² = 1), so its standard errors, t, p and F are undefined; choose an \
             outcome that is measured separately (an overall item, role = \"overall\")",
        ));
    }
    let rw = regression::relative_weights_moments(m)
        .map_err(|e| {
            omitted.push(Omitted::new(
                format!("drivers.{level}.relative_weights"),
                e.to_string(),
            ))
        })
        .ok();
    let shap = if nodes.len() <= 10 {
        regression::shapley_moments(m)
            .map_err(|e| {
                omitted.push(Omitted::new(
                    format!("drivers.{level}.shapley"),
                    e.to_string(),
                ))
            })
            .ok()
    } else {
        None
    };
    let y_discrete = std::cell::OnceCell::new();
    let coefficients: Vec<DriverCoefficient> = nodes
        .iter()
        .enumerate()
        .map(|(j, &i)| {
            let (pearson, n) = outcome_correlation(cx, i, y, &y_discrete);
            DriverCoefficient {
                id: t.nodes[i].id.clone(),
                name: t.nodes[i].name.clone(),
                r: finite(pearson),
                r_p: correlation::r_pvalue(pearson, n),
                b: fit.coef[j + 1],
                se: fit.se[j + 1],
                t: fit.t[j + 1],
                p: fit.p[j + 1],
                std_beta: fit.std_beta[j],
                vif: fit.vif[j],
                relative_weight: rw.as_ref().map(|w| w[j]),
                relative_weight_pct: rw.as_ref().map(|w| 100.0 * w[j] / fit.r2),
                shapley_r2: shap.as_ref().map(|s| s[j]),
                stated_importance: stated_importance(cx, &t.nodes[i].id),
            }
        })
        .collect();
    Some(DriverLevel {
        level,
        n: fit.n,
        r2: fit.r2,
        adj_r2: fit.adj_r2,
        f: fit.f,
        f_p: fit.f_p,
        df_model: fit.df_model,
        df_resid: fit.df_resid,
        intercept: fit.coef[0],
        coefficients,
    })
}

/// Pairwise Pearson r and n of node `i` with the outcome: from the correlation stage where it
/// computed them, else from the node's codes (reused where they exist) and the outcome's.
fn outcome_correlation(
    cx: &Context,
    i: usize,
    y: &[f64],
    y_discrete: &std::cell::OnceCell<correlation::Discrete>,
) -> (f64, usize) {
    if let Some(&(_, r, n)) = cx.outcome_r.iter().find(|(k, _, _)| *k == i) {
        return (r, n);
    }
    let yd = y_discrete.get_or_init(|| correlation::Discrete::new(y));
    let built;
    let xd = match cx.coded_node(i) {
        Some(d) => d,
        None => {
            built = correlation::Discrete::new(&cx.idx.respondent_scores[i]);
            &built
        }
    };
    let pair = correlation::pair(xd, yd);
    (pair.pearson, pair.n)
}

/// The importance–performance analysis of one level: importances normalised to sum to 1,
/// performance the node scores, crosshairs at the means (or the midpoint); `None` when no
/// importance is positive or no node has a score.
fn ipa_level(
    cx: &Context,
    level: TreeLevel,
    nodes: &[usize],
    coefficients: &[DriverCoefficient],
    opts: &ImproveOptions,
) -> Option<IpaLevel> {
    let t = &cx.survey.tree;
    let raw_imp: Vec<f64> = match opts.importance {
        Importance::RelativeWeight => coefficients
            .iter()
            .map(|c| c.relative_weight.unwrap_or(0.0).max(0.0))
            .collect(),
        Importance::Beta => coefficients.iter().map(|c| c.std_beta.max(0.0)).collect(),
    };
    let total: f64 = raw_imp.iter().sum();
    if !(total > 0.0) {
        return None;
    }
    let imp: Vec<f64> = raw_imp.iter().map(|v| v / total).collect();
    let perf: Vec<f64> = nodes.iter().map(|&i| node_score(cx, i)).collect();
    let valid: Vec<usize> = (0..nodes.len()).filter(|&j| !perf[j].is_nan()).collect();
    if valid.is_empty() {
        return None;
    }
    let ic = valid.iter().map(|&j| imp[j]).sum::<f64>() / valid.len() as f64;
    let pc = match opts.ipa_cross {
        IpaCross::Mean => valid.iter().map(|&j| perf[j]).sum::<f64>() / valid.len() as f64,
        IpaCross::Midpoint => 50.0,
    };
    let points = valid
        .iter()
        .map(|&j| IpaPoint {
            id: t.nodes[nodes[j]].id.clone(),
            name: t.nodes[nodes[j]].name.clone(),
            level,
            importance: imp[j],
            performance: perf[j],
            quadrant: quadrant(imp[j], perf[j], ic, pc),
        })
        .collect();
    Some(IpaLevel {
        level,
        importance_cross: ic,
        performance_cross: pc,
        points,
    })
}

/// The improvement priorities of an IPA level: "concentrate here" first, then by
/// importance × (100 − performance), then by id.
fn priorities(lvl: &IpaLevel) -> Vec<Priority> {
    let mut pts: Vec<&IpaPoint> = lvl.points.iter().collect();
    let score = |p: &IpaPoint| p.importance * (100.0 - p.performance);
    pts.sort_by(|a, b| {
        let ca = a.quadrant == Quadrant::ConcentrateHere;
        let cb = b.quadrant == Quadrant::ConcentrateHere;
        cb.cmp(&ca)
            .then(score(b).total_cmp(&score(a)))
            .then(a.id.cmp(&b.id))
    });
    pts.iter()
        .enumerate()
        .map(|(i, p)| Priority {
            rank: i + 1,
            id: p.id.clone(),
            name: p.name.clone(),
            level: p.level,
            quadrant: p.quadrant,
            importance: p.importance,
            performance: p.performance,
            priority_score: score(p),
        })
        .collect()
}

fn node_score(cx: &Context, i: usize) -> f64 {
    // The survey-level score computed with the index (same weights, same definition).
    let id = &cx.survey.tree.nodes[i].id;
    cx.idx
        .result
        .nodes
        .iter()
        .find(|n| &n.id == id)
        .and_then(|n| n.score)
        .unwrap_or(f64::NAN)
}

/// Martilla & James quadrant of a point against the crosshairs.
pub fn quadrant(importance: f64, performance: f64, ic: f64, pc: f64) -> Quadrant {
    match (importance >= ic, performance >= pc) {
        (true, false) => Quadrant::ConcentrateHere,
        (true, true) => Quadrant::KeepUp,
        (false, false) => Quadrant::LowPriority,
        (false, true) => Quadrant::PossibleOverkill,
    }
}
