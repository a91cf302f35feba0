//! Part 2 of the analysis: where to improve. Drivers of the overall item, importance–performance
//! quadrants, the ranked improvement list, SERVQUAL gaps, segments, headline metrics (NPS, CSAT,
//! CES, loyalty, complaints), the weights of every sibling group, and the fuzzy comprehensive
//! evaluation. Definitions are in docs/methods.md.

use super::columns::ItemColumns;
use super::index::{IndexComputation, item_scores};
use super::results::*;
use super::{MissingPolicy, finite};
use crate::data::ResponseTable;
use crate::error::Result;
use crate::model::{ChildWeighting, Measures, QuestionKind, Role, Survey};
use crate::stats::fuzzy::{self, Operator};
use crate::stats::{correlation, descriptive, inference, regression, weights};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Importance {
    RelativeWeight,
    Beta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpaCross {
    Mean,
    Midpoint,
}

#[derive(Debug, Clone)]
pub struct ImproveOptions {
    pub importance: Importance,
    pub ipa_cross: IpaCross,
    pub by: Vec<String>,
    pub fuzzy_operator: Operator,
    /// CSAT convention: the share of answers in the top `csat_top` points of the overall item's
    /// scale (1, 2 or 3; 2 is the usual top-2-box).
    pub csat_top: u8,
}

impl Default for ImproveOptions {
    fn default() -> Self {
        ImproveOptions {
            importance: Importance::RelativeWeight,
            ipa_cross: IpaCross::Mean,
            by: Vec::new(),
            fuzzy_operator: Operator::WeightedAverage,
            csat_top: 2,
        }
    }
}

pub struct Context<'a> {
    pub survey: &'a Survey,
    pub table: &'a ResponseTable,
    pub columns: &'a ItemColumns,
    /// Per-value counts of each column of `columns` (same order) where it is integer-coded.
    pub levels: &'a [Option<descriptive::LevelStats>],
    pub idx: &'a IndexComputation,
    pub weights: Option<&'a [f64]>,
    pub threads: usize,
    /// Pairwise Pearson r and n of (node, overall item) already computed for the correlation
    /// matrix, by node index; the drivers reuse them.
    pub outcome_r: Vec<(usize, f64, usize)>,
    /// Respondent scores of nodes already coded to their distinct values, by node index.
    pub coded_nodes: Vec<(usize, &'a correlation::Discrete)>,
    /// Moments of sibling scores and the outcome over complete rows, by the sibling nodes;
    /// the drivers and the weight comparison regress the same columns.
    pub moments: std::sync::Mutex<Vec<(Vec<usize>, std::sync::Arc<regression::Moments>)>>,
}

impl Context<'_> {
    fn value(&self, id: &str) -> Option<std::borrow::Cow<'_, [f64]>> {
        self.columns.f64_of(id)
    }

    /// A node's respondent scores as coded for the correlations, where they were.
    fn coded_node(&self, node: usize) -> Option<&correlation::Discrete> {
        self.coded_nodes
            .iter()
            .find(|(k, _)| *k == node)
            .map(|(_, d)| *d)
    }

    fn levels_of(&self, id: &str) -> Option<&descriptive::LevelStats> {
        let i = self.columns.position(id)?;
        self.levels.get(i)?.as_ref()
    }

    /// Moments of the respondent scores of `nodes` and the outcome `y` (always the one of
    /// [`outcome`]) over complete rows, computed once.
    fn moments(&self, nodes: &[usize], y: &[f64]) -> std::sync::Arc<regression::Moments> {
        let cached = self
            .moments
            .lock()
            .ok()
            .and_then(|c| c.iter().find(|(k, _)| k == nodes).map(|(_, m)| m.clone()));
        if let Some(m) = cached {
            return m;
        }
        let x: Vec<&[f64]> = nodes
            .iter()
            .map(|&i| self.idx.respondent_scores[i].as_slice())
            .collect();
        let m = std::sync::Arc::new(regression::Moments::complete(&x, y));
        if let Ok(mut c) = self.moments.lock() {
            c.push((nodes.to_vec(), m.clone()));
        }
        m
    }
}

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

fn level_nodes(cx: &Context, level: &str) -> Vec<usize> {
    let t = &cx.survey.tree;
    match level {
        "dimension" => t.dimensions().to_vec(),
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

/// Drivers of the outcome `out` (with its per-row values `y`, both from [`outcome`]).
pub fn drivers(
    cx: &Context,
    (out, y): (Outcome, &[f64]),
    opts: &ImproveOptions,
    warnings: &mut Vec<Warning>,
    omitted: &mut Vec<Omitted>,
) -> (Option<DriversResult>, Option<IpaResult>, Vec<Priority>) {
    if let Some(note) = &out.note {
        warnings.push(Warning::new("drivers", note.clone()));
    }
    let t = &cx.survey.tree;
    let mut levels = Vec::new();
    let mut ipa_levels = Vec::new();
    for level in ["dimension", "indicator"] {
        let nodes = level_nodes(cx, level);
        if nodes.len() < 2 {
            continue;
        }
        let m = cx.moments(&nodes, y);
        let fit = match regression::ols_moments(&m) {
            Ok(f) => f,
            Err(e) => {
                omitted.push(Omitted::new(format!("drivers.{level}"), e.to_string()));
                continue;
            }
        };
        let rw = regression::relative_weights_moments(&m)
            .map_err(|e| {
                omitted.push(Omitted::new(
                    format!("drivers.{level}.relative_weights"),
                    e.to_string(),
                ))
            })
            .ok();
        let shap = if nodes.len() <= 10 {
            regression::shapley_moments(&m)
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
                let (pearson, n) = match cx.outcome_r.iter().find(|(k, _, _)| *k == i) {
                    Some(&(_, r, n)) => (r, n),
                    None => {
                        // Codes built for the correlations are reused where they exist.
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
                };
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
        // IPA for this level.
        let raw_imp: Vec<f64> = match opts.importance {
            Importance::RelativeWeight => coefficients
                .iter()
                .map(|c| c.relative_weight.unwrap_or(0.0).max(0.0))
                .collect(),
            Importance::Beta => coefficients.iter().map(|c| c.std_beta.max(0.0)).collect(),
        };
        let total: f64 = raw_imp.iter().sum();
        if total > 0.0 {
            let imp: Vec<f64> = raw_imp.iter().map(|v| v / total).collect();
            let perf: Vec<f64> = nodes.iter().map(|&i| node_score(cx, i)).collect();
            let valid: Vec<usize> = (0..nodes.len()).filter(|&j| !perf[j].is_nan()).collect();
            if !valid.is_empty() {
                let ic = valid.iter().map(|&j| imp[j]).sum::<f64>() / valid.len() as f64;
                let pc = match opts.ipa_cross {
                    IpaCross::Mean => {
                        valid.iter().map(|&j| perf[j]).sum::<f64>() / valid.len() as f64
                    }
                    IpaCross::Midpoint => 50.0,
                };
                let points = valid
                    .iter()
                    .map(|&j| IpaPoint {
                        id: t.nodes[nodes[j]].id.clone(),
                        name: t.nodes[nodes[j]].name.clone(),
                        level: level.to_string(),
                        importance: imp[j],
                        performance: perf[j],
                        quadrant: quadrant(imp[j], perf[j], ic, pc).to_string(),
                    })
                    .collect();
                ipa_levels.push(IpaLevel {
                    level: level.to_string(),
                    importance_cross: ic,
                    performance_cross: pc,
                    points,
                });
            }
        }
        levels.push(DriverLevel {
            level: level.to_string(),
            n: fit.n,
            r2: fit.r2,
            adj_r2: fit.adj_r2,
            f: fit.f,
            f_p: fit.f_p,
            df_model: fit.df_model,
            df_resid: fit.df_resid,
            intercept: fit.coef[0],
            coefficients,
        });
    }
    if levels.is_empty() {
        return (None, None, Vec::new());
    }
    // Priorities from the finest level with an IPA.
    let mut priorities = Vec::new();
    if let Some(lvl) = ipa_levels.last() {
        let mut pts: Vec<&IpaPoint> = lvl.points.iter().collect();
        let score = |p: &IpaPoint| p.importance * (100.0 - p.performance);
        pts.sort_by(|a, b| {
            let ca = a.quadrant == "concentrate_here";
            let cb = b.quadrant == "concentrate_here";
            cb.cmp(&ca)
                .then(score(b).total_cmp(&score(a)))
                .then(a.id.cmp(&b.id))
        });
        priorities = pts
            .iter()
            .enumerate()
            .map(|(i, p)| Priority {
                rank: i + 1,
                id: p.id.clone(),
                name: p.name.clone(),
                level: p.level.clone(),
                quadrant: p.quadrant.clone(),
                importance: p.importance,
                performance: p.performance,
                priority_score: score(p),
            })
            .collect();
    }
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
pub fn quadrant(importance: f64, performance: f64, ic: f64, pc: f64) -> &'static str {
    match (importance >= ic, performance >= pc) {
        (true, false) => "concentrate_here",
        (true, true) => "keep_up",
        (false, false) => "low_priority",
        (false, true) => "possible_overkill",
    }
}

struct PairCounts {
    n: usize,
    me: f64,
    mp: f64,
    gap: f64,
    exceeded: f64,
    met: f64,
    below: f64,
}

fn pair_counts(e: &[f64], p: &[f64]) -> PairCounts {
    let pairs: Vec<(f64, f64)> = e
        .iter()
        .zip(p)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .collect();
    let n = pairs.len();
    let nf = n.max(1) as f64;
    let me = pairs.iter().map(|x| x.0).sum::<f64>() / nf;
    let mp = pairs.iter().map(|x| x.1).sum::<f64>() / nf;
    PairCounts {
        n,
        me,
        mp,
        gap: mp - me,
        exceeded: pairs.iter().filter(|x| x.1 > x.0).count() as f64 / nf,
        met: pairs.iter().filter(|x| x.1 == x.0).count() as f64 / nf,
        below: pairs.iter().filter(|x| x.1 < x.0).count() as f64 / nf,
    }
}

/// Expectation and perception answers of one attribute.
type PairColumns = (Vec<f64>, Vec<f64>);

pub fn gaps(cx: &Context) -> Option<GapsResult> {
    let s = cx.survey;
    let mut attrs = Vec::new();
    let mut by_dim: Vec<(usize, Vec<PairColumns>)> = Vec::new();
    for e in s
        .questions
        .iter()
        .filter(|q| q.measures == Some(Measures::Expectation))
    {
        let Some(attr) = &e.attribute else { continue };
        let Some(p) = s.questions.iter().find(|q| {
            q.measures == Some(Measures::Perception) && q.attribute.as_ref() == Some(attr)
        }) else {
            continue;
        };
        let (Some(ev), Some(pv)) = (cx.value(&e.id), cx.value(&p.id)) else {
            continue;
        };
        let (ev, pv) = (ev.into_owned(), pv.into_owned());
        let c = pair_counts(&ev, &pv);
        let tt = inference::paired_t(&pv, &ev);
        let dim = p.node.and_then(|n| s.tree.dimension_of(n));
        attrs.push(GapAttribute {
            attribute: attr.clone(),
            dimension: dim.map(|d| s.tree.nodes[d].id.clone()),
            expectation: e.id.clone(),
            perception: p.id.clone(),
            n: c.n,
            mean_expectation: c.me,
            mean_perception: c.mp,
            gap: c.gap,
            t: tt.as_ref().map(|t| t.t),
            df: tt.as_ref().map(|t| t.df),
            p: tt.as_ref().map(|t| t.p),
            share_not_met: c.below,
            exceeded: c.exceeded,
            met: c.met,
            below: c.below,
        });
        if let Some(d) = dim {
            match by_dim.iter_mut().find(|(k, _)| *k == d) {
                Some((_, v)) => v.push((ev, pv)),
                None => by_dim.push((d, vec![(ev, pv)])),
            }
        }
    }
    if attrs.is_empty() {
        return None;
    }
    let n_rows = cx.table.height();
    let dimensions = by_dim
        .into_iter()
        .map(|(d, pairs)| {
            // A respondent's dimension E and P: means over the attributes answered in pairs.
            let mut e = vec![f64::NAN; n_rows];
            let mut p = vec![f64::NAN; n_rows];
            for r in 0..n_rows {
                let (mut se, mut sp, mut k) = (0.0, 0.0, 0.0);
                for (ev, pv) in &pairs {
                    if !ev[r].is_nan() && !pv[r].is_nan() {
                        se += ev[r];
                        sp += pv[r];
                        k += 1.0;
                    }
                }
                if k > 0.0 {
                    e[r] = se / k;
                    p[r] = sp / k;
                }
            }
            let c = pair_counts(&e, &p);
            let tt = inference::paired_t(&p, &e);
            GapDimension {
                id: s.tree.nodes[d].id.clone(),
                name: s.tree.nodes[d].name.clone(),
                attributes: pairs.len(),
                n: c.n,
                mean_expectation: c.me,
                mean_perception: c.mp,
                gap: c.gap,
                t: tt.as_ref().map(|t| t.t),
                df: tt.as_ref().map(|t| t.df),
                p: tt.as_ref().map(|t| t.p),
                share_not_met: c.below,
                exceeded: c.exceeded,
                met: c.met,
                below: c.below,
            }
        })
        .collect();
    Some(GapsResult {
        attributes: attrs,
        dimensions,
    })
}

/// Segments by a respondent attribute.
///
/// # Errors
/// A `--by` column that the data does not have.
pub fn segments(cx: &Context, by: &str, warnings: &mut Vec<Warning>) -> Result<SegmentResult> {
    let col = cx.table.str_column(by).map_err(|_| {
        crate::error::Error::usage(
            format!("--by: the data has no column '{by}'"),
            format!(
                "use a respondent attribute column such as: {}",
                cx.survey.respondents.attributes.join(", ")
            ),
        )
    })?;
    let mut values: Vec<String> = col.iter().flatten().cloned().collect();
    values.sort();
    values.dedup();
    let missing = col.iter().filter(|v| v.is_none()).count();
    if missing > 0 {
        warnings.push(Warning::new(
            format!("segments.{by}"),
            format!("{missing} respondents have no '{by}' and are left out of its segments"),
        ));
    }
    let t = &cx.survey.tree;
    let members: Vec<Vec<usize>> = values
        .iter()
        .map(|v| {
            (0..col.len())
                .filter(|&r| col[r].as_deref() == Some(v.as_str()))
                .collect()
        })
        .collect();
    let pick = |x: &[f64], rows: &[usize]| -> Vec<f64> { rows.iter().map(|&r| x[r]).collect() };
    let groups = values
        .iter()
        .zip(&members)
        .map(|(v, rows)| {
            let w: Option<Vec<f64>> = cx.weights.map(|w| pick(w, rows));
            let nodes: Vec<SegmentNode> = t
                .preorder()
                .into_iter()
                .map(|i| {
                    let x = pick(&cx.idx.respondent_scores[i], rows);
                    let s = match &w {
                        Some(w) => descriptive::weighted_summary(&x, w),
                        None => descriptive::summary(&x),
                    };
                    SegmentNode {
                        id: t.nodes[i].id.clone(),
                        score: finite(s.mean),
                        ci_low: s.ci_low,
                        ci_high: s.ci_high,
                        n: s.n,
                    }
                })
                .collect();
            SegmentGroup {
                value: v.clone(),
                n: rows.len(),
                n_weighted: w.as_ref().map_or(rows.len() as f64, |w| w.iter().sum()),
                index: nodes.first().and_then(|n| n.score),
                nodes,
            }
        })
        .collect();
    let mut tests = Vec::new();
    let tested: Vec<usize> = std::iter::once(0)
        .chain(t.dimensions().iter().copied())
        .collect();
    for i in tested {
        let gs: Vec<Vec<f64>> = members
            .iter()
            .map(|rows| pick(&cx.idx.respondent_scores[i], rows))
            .collect();
        if gs.len() == 2 {
            if let Some((tt, d)) = inference::welch_t(&gs[0], &gs[1]) {
                tests.push(SegmentTest {
                    node: t.nodes[i].id.clone(),
                    test: "welch_t".into(),
                    statistic: tt.t,
                    df1: tt.df,
                    df2: None,
                    p: tt.p,
                    effect: "cohen_d".into(),
                    effect_size: d,
                    significant: tt.p < 0.05,
                });
            }
        } else if gs.len() > 2
            && let Some(a) = inference::welch_anova(&gs)
        {
            tests.push(SegmentTest {
                node: t.nodes[i].id.clone(),
                test: "welch_anova".into(),
                statistic: a.f,
                df1: a.df1,
                df2: Some(a.df2),
                p: a.p,
                effect: "eta_squared".into(),
                effect_size: a.np2,
                significant: a.p < 0.05,
            });
        }
    }
    let mut crosstabs = Vec::new();
    for q in cx
        .survey
        .all_questions()
        .filter(|q| q.kind == QuestionKind::Single)
    {
        let Ok(codes) = cx.table.code_column(&q.id) else {
            continue;
        };
        let table: Vec<Vec<f64>> = members
            .iter()
            .map(|rows| {
                let mut row = vec![0.0; q.choices.len()];
                for &r in rows {
                    if let Some(c) = codes[r]
                        && c >= 1
                        && (c as usize) <= row.len()
                    {
                        row[c as usize - 1] += 1.0;
                    }
                }
                row
            })
            .collect();
        let chi = inference::chi_square(&table);
        crosstabs.push(Crosstab {
            question: q.id.clone(),
            groups: values.clone(),
            options: q.choices.clone(),
            table,
            chi2: chi.as_ref().map(|c| c.chi2),
            dof: chi.as_ref().map(|c| c.dof),
            p: chi.as_ref().map(|c| c.p),
            cramers_v: chi.as_ref().map(|c| c.cramers_v),
        });
    }
    Ok(SegmentResult {
        by: by.to_string(),
        weighting: if cx.weights.is_some() {
            "group scores are survey-weighted means with linearised CIs; Welch tests, ANOVA and χ² use unweighted respondents".into()
        } else {
            "unweighted".into()
        },
        groups,
        tests,
        crosstabs,
    })
}

pub fn nps(cx: &Context) -> Option<NpsResult> {
    let q = cx
        .survey
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Nps)
        .or_else(|| {
            cx.survey.questions.iter().find(|q| {
                q.role == Some(Role::Recommend)
                    && cx
                        .survey
                        .question_scale(q)
                        .is_some_and(|s| (s.min, s.max) == (0, 10))
            })
        })?;
    let x = cx.value(&q.id)?;
    let value = inference::nps(&x, cx.weights)?;
    Some(NpsResult {
        item: q.id.clone(),
        value,
        weighted: cx.weights.is_some(),
    })
}

pub fn headline(
    cx: &Context,
    items: &[ItemResult],
    choices: &[ChoiceResult],
    csat_top: u8,
) -> Headline {
    let item = |id: &str| items.iter().find(|i| i.id == id);
    let pick = |i: &ItemResult| {
        (
            i.weighted.as_ref().map_or(i.mean, |w| Some(w.mean)),
            i.weighted.as_ref().map_or(i.top2box, |w| w.top2box),
        )
    };
    let csat = cx
        .survey
        .role_item(Role::Overall)
        .and_then(|q| item(&q.id))
        .and_then(|i| {
            let (mean, _) = pick(i);
            // The top `k` points in the good direction of the scale, from the frequencies.
            let k = i64::from(csat_top.max(1));
            let (min, max) = (i.min?, i.max?);
            let ascending = cx
                .survey
                .question(&i.id)
                .and_then(|q| cx.survey.question_scale(q))
                .is_none_or(|s| s.ascending);
            let codes: Vec<i64> = if ascending {
                (max - k + 1..=max).collect()
            } else {
                (min..=min + k - 1).collect()
            };
            let weighted = i.weighted.is_some();
            let share = crate::stats::descriptive::box_share(&i.frequencies, &codes, weighted);
            Some(Csat {
                item: i.id.clone(),
                convention: format!("top{k}box"),
                csat: 100.0 * share,
                mean: mean?,
            })
        });
    let ces = cx
        .survey
        .role_item(Role::Effort)
        .and_then(|q| item(&q.id))
        .map(|i| {
            let (mean, top2) = pick(i);
            HeadlineItem {
                item: i.id.clone(),
                role: "effort".into(),
                mean,
                top2box: top2,
            }
        });
    let loyalty = cx
        .survey
        .questions
        .iter()
        .filter(|q| matches!(q.role, Some(Role::Repurchase) | Some(Role::Recommend)))
        .filter_map(|q| {
            let i = item(&q.id)?;
            let (mean, top2) = pick(i);
            Some(HeadlineItem {
                item: i.id.clone(),
                role: format!("{:?}", q.role?).to_lowercase(),
                mean,
                top2box: top2,
            })
        })
        .collect();
    let complaint = cx
        .survey
        .role_item(Role::Complaint)
        .and_then(|q| choices.iter().find(|c| c.id == q.id))
        .cloned();
    Headline {
        csat,
        ces,
        loyalty,
        complaint,
    }
}

pub fn weight_groups(cx: &Context, outcome_y: &[f64]) -> Vec<WeightGroup> {
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
            let regression = regression::relative_weights_moments(&cx.moments(kids, outcome_y))
                .ok()
                .and_then(|rw| {
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

/// Fuzzy comprehensive evaluation over the tree, on the grades of the most used rating scale.
pub fn fuzzy_evaluation(cx: &Context, op: Operator) -> Option<FuzzyResult> {
    let s = cx.survey;
    let t = &s.tree;
    let tree_items: Vec<&crate::model::Question> = t
        .preorder()
        .into_iter()
        .flat_map(|n| t.nodes[n].questions.iter())
        .filter_map(|id| s.question(id))
        .collect();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for q in &tree_items {
        if let Some(sc) = &q.scale {
            match counts.iter_mut().find(|(k, _)| *k == sc.as_str()) {
                Some((_, c)) => *c += 1,
                None => counts.push((sc.as_str(), 1)),
            }
        }
    }
    let scale = s.scale(counts.iter().max_by_key(|(_, c)| *c)?.0)?;
    let g = scale.points();
    let grades: Vec<String> = (0..g)
        .map(|i| {
            let code = if scale.ascending {
                scale.min + i as i64
            } else {
                scale.max - i as i64
            };
            scale
                .label(code)
                .map_or_else(|| code.to_string(), str::to_string)
        })
        .collect();
    // Membership of each item: weighted share of respondents per grade (grade from the 0–100 item score).
    let grade_of = |v: f64| {
        ((v / 100.0) * (g as f64 - 1.0))
            .round()
            .clamp(0.0, g as f64 - 1.0) as usize
    };
    let membership = |q: &crate::model::Question| -> Option<Vec<f64>> {
        if let Some(l) = cx.levels_of(&q.id) {
            // From the value counts: every row with a value adds its weight to that value's grade.
            let sc = item_scores(s, q, &l.values);
            let mut m = vec![0.0; g];
            let mut tot = 0.0;
            for (k, v) in sc.iter().enumerate() {
                if v.is_nan() || l.count[k] == 0 {
                    continue;
                }
                let w = match cx.weights {
                    Some(_) => l.wsum[k],
                    None => l.count[k] as f64,
                };
                m[grade_of(*v)] += w;
                tot += w;
            }
            return (tot > 0.0).then(|| m.iter().map(|v| v / tot).collect());
        }
        let x = cx.value(&q.id)?;
        let sc = item_scores(s, q, &x);
        let mut m = vec![0.0; g];
        let mut tot = 0.0;
        for (r, v) in sc.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let w = cx.weights.map_or(1.0, |w| w[r]);
            let k = grade_of(*v);
            m[k] += w;
            tot += w;
        }
        (tot > 0.0).then(|| m.iter().map(|v| v / tot).collect())
    };
    let mut vecs: Vec<Option<Vec<f64>>> = vec![None; t.nodes.len()];
    let mut order = t.preorder();
    order.reverse();
    for &i in &order {
        let node = &t.nodes[i];
        let (a, r): (Vec<f64>, Vec<Vec<f64>>) = if node.is_leaf() {
            node.questions
                .iter()
                .filter_map(|id| s.question(id))
                .filter_map(membership)
                .map(|m| (1.0, m))
                .unzip()
        } else {
            node.children
                .iter()
                .filter_map(|&c| vecs[c].clone().map(|v| (cx.idx.local_weights[c], v)))
                .unzip()
        };
        let sa: f64 = a.iter().sum();
        if r.is_empty() || sa <= 0.0 {
            continue;
        }
        let a: Vec<f64> = a.iter().map(|v| v / sa).collect();
        vecs[i] = Some(fuzzy::compose(&a, &r, op));
    }
    let c = fuzzy::even_scores(g);
    let nodes = t
        .preorder()
        .into_iter()
        .filter_map(|i| {
            let b = vecs[i].clone()?;
            Some(FuzzyNode {
                id: t.nodes[i].id.clone(),
                name: t.nodes[i].name.clone(),
                grade: grades[fuzzy::max_membership(&b)].clone(),
                score: fuzzy::score(&b, &c),
                membership: b,
            })
        })
        .collect();
    Some(FuzzyResult {
        operator: op,
        grades,
        grade_scores: c,
        nodes,
    })
}
