//! The analysis: from a survey and its respondent table to [`Results`], the stable document that
//! `results.json` serialises (docs/results-schema.md). Rendering lives in `report`; this module
//! only computes.
//!
//! Missing data are handled per statistic, and the policy used is written into the results:
//! pairwise for correlations and reliability by default (or listwise with `--missing listwise`),
//! always listwise for KMO, Bartlett and factor analysis.

pub mod columns;
pub mod improve;
pub mod index;
pub mod results;

use crate::data::ResponseTable;
use crate::error::{Error, Result};
use crate::model::{QuestionKind, Role, Survey};
use crate::stats::{correlation, descriptive, factor, reliability, sampling};
use columns::ItemColumns;

pub use results::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    Pairwise,
    Listwise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorRule {
    /// As many factors as top-level dimensions (the default).
    Dimensions,
    /// Eigenvalues above 1.
    Kaiser,
    Fixed(usize),
}

#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// Survey weight column; `None` uses the survey's [respondents] weight if the data has it.
    pub weight: Option<String>,
    pub missing: MissingPolicy,
    pub factors: FactorRule,
    pub threads: usize,
    /// Name of the input, recorded in the results.
    pub input: String,
    /// Part 2: drivers, IPA, segments, fuzzy evaluation.
    pub improve: improve::ImproveOptions,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            weight: None,
            missing: MissingPolicy::Pairwise,
            factors: FactorRule::Dimensions,
            threads: 2,
            input: String::new(),
            improve: improve::ImproveOptions::default(),
        }
    }
}

/// Item direction: +1 when a higher code is better, −1 for reverse-coded or descending items.
fn direction(survey: &Survey, q: &crate::model::Question) -> f64 {
    let asc = survey.question_scale(q).is_none_or(|s| s.ascending);
    if q.reverse == asc { -1.0 } else { 1.0 }
}

/// Run every part-1 statistic.
///
/// # Errors
/// A weight column that is missing from the data, or an empty table.
pub fn analyze(survey: &Survey, table: &ResponseTable, opts: &AnalysisOptions) -> Result<Results> {
    let n_rows = table.height();
    if n_rows == 0 {
        return Err(Error::usage(
            "the data has no respondents",
            "check the import summary; every row may have been dropped",
        ));
    }
    let mut warnings: Vec<Warning> = Vec::new();
    let mut omitted: Vec<Omitted> = Vec::new();

    let mut timer = crate::timing::Timer::new();
    // --- weights and sample
    let weight_col = opts.weight.clone().or_else(|| {
        survey
            .respondents
            .weight
            .clone()
            .filter(|c| table.has_column(c))
    });
    let weights: Option<Vec<f64>> = match &weight_col {
        Some(c) => {
            if !table.has_column(c) {
                return Err(Error::usage(
                    format!("the weight column '{c}' is not in the data"),
                    "name an existing numeric column with --weight, or drop the option",
                ));
            }
            let mut w = table.f64_column(c)?;
            let missing = w.iter().filter(|x| x.is_nan()).count();
            if missing > 0 {
                warnings.push(Warning::new(
                    "sample",
                    format!("{missing} respondents have no weight; they count with weight 1"),
                ));
                w.iter_mut().filter(|x| x.is_nan()).for_each(|x| *x = 1.0);
            }
            Some(w)
        }
        None => None,
    };
    let w_or_one = |i: usize| weights.as_ref().map_or(1.0, |w| w[i]);
    let sw: f64 = (0..n_rows).map(w_or_one).sum();
    let sw2: f64 = (0..n_rows).map(|i| w_or_one(i) * w_or_one(i)).sum();
    let n_eff = sw * sw / sw2;
    let population = survey.plan.as_ref().and_then(|p| p.population_size);
    let flagged = table
        .bool_column(crate::data::quality::FLAGGED)
        .map_or(0, |v| v.iter().filter(|b| **b).count());
    let sample = Sample {
        n: n_rows,
        n_weighted: sw,
        n_effective: n_eff,
        margin_of_error: sampling::achieved_margin(n_eff, 0.95, 0.5, population),
        population_size: population,
        planned_n: survey.plan.as_ref().and_then(|p| p.sample_size),
        flagged,
        weight_column: weight_col.clone(),
    };

    timer.mark("sample");
    // --- items
    let scaled: Vec<&crate::model::Question> = survey
        .all_questions()
        .filter(|q| q.kind.is_scaled() || q.kind == QuestionKind::Numeric)
        .collect();
    // Integer columns are read straight into codes; others are read as f64, then coded.
    type IntCodes = (i64, i64, crate::stats::codes::Codes);
    let loaded: Vec<std::result::Result<IntCodes, Vec<f64>>> =
        crate::par::map(&scaled, opts.threads, |q| {
            match table.int_column_coded(&q.id, 4096) {
                // Huge codes take `Discrete::new`'s path, as `with_int_range` would.
                Some((lo, hi, codes)) if lo.abs() < 1_000_000_000 && hi.abs() < 1_000_000_000 => {
                    Ok(Ok((lo, hi, codes)))
                }
                _ => Ok(Err(table.f64_column(&q.id)?)),
            }
        })
        .into_iter()
        .collect::<Result<_>>()?;
    // Every column coded once to its distinct values; the codes serve the item statistics,
    // the index, the correlations and the factor analysis.
    let coded: Vec<(Vec<f64>, correlation::Discrete)> = crate::par::map_owned(
        loaded.into_iter().enumerate().collect(),
        opts.threads,
        |(i, c)| match c {
            Ok((lo, hi, codes)) => (
                Vec::new(),
                correlation::Discrete::from_int_codes(lo, hi, codes),
            ),
            Err(x) => {
                let d = match table.int_range(&scaled[i].id) {
                    Some((lo, hi)) => correlation::Discrete::with_int_range(&x, lo, hi),
                    None => correlation::Discrete::new(&x),
                };
                (x, d)
            }
        },
    );
    let columns = ItemColumns::new(
        scaled
            .iter()
            .zip(coded)
            .map(|(q, (x, d))| (q.id.clone(), x, d))
            .collect(),
        n_rows,
    );
    timer.mark("  items.code");
    let levels: Vec<Option<descriptive::LevelStats>> =
        crate::par::map(columns.all_discrete(), opts.threads, |d| {
            d.is_integer().then(|| {
                crate::with_codes!(d.codes(), c => descriptive::LevelStats::new(
                    c,
                    &d.values,
                    weights.as_deref(),
                ))
            })
        });
    timer.mark("  items.count");
    let mut items = Vec::new();
    for (i, (q, lv)) in scaled.iter().zip(&levels).enumerate() {
        // The f64 answers are needed only where the column has no value counts.
        let x: std::borrow::Cow<[f64]> = match lv {
            Some(_) => std::borrow::Cow::Borrowed(&[]),
            None => columns.f64(i),
        };
        let x = &*x;
        let s = match lv {
            Some(l) => l.summary(),
            None => descriptive::summary(x),
        };
        let scale = survey.question_scale(q);
        let (freq, top2, bottom2) = match scale {
            Some(sc) => {
                let labels = |c: i64| sc.label(c).map(str::to_string);
                let fr = match lv {
                    Some(l) => l.frequencies(weights.is_some(), sc.min, sc.max, &labels),
                    None => {
                        descriptive::frequencies(x, weights.as_deref(), sc.min, sc.max, &labels)
                    }
                };
                let (hi, lo) = if sc.ascending {
                    ([sc.max - 1, sc.max], [sc.min, sc.min + 1])
                } else {
                    ([sc.min, sc.min + 1], [sc.max - 1, sc.max])
                };
                let t = descriptive::box_share(&fr, &hi, false);
                let b = descriptive::box_share(&fr, &lo, false);
                (fr, Some(t), Some(b))
            }
            None => (Vec::new(), None, None),
        };
        let weighted = weights.as_ref().map(|w| {
            let ws = match lv {
                Some(l) => l.weighted_summary(),
                None => descriptive::weighted_summary(x, w),
            };
            let (t, b) = match scale {
                Some(sc) => {
                    let (hi, lo) = if sc.ascending {
                        ([sc.max - 1, sc.max], [sc.min, sc.min + 1])
                    } else {
                        ([sc.min, sc.min + 1], [sc.max - 1, sc.max])
                    };
                    (
                        Some(descriptive::box_share(&freq, &hi, true)),
                        Some(descriptive::box_share(&freq, &lo, true)),
                    )
                }
                None => (None, None),
            };
            WeightedItem {
                mean: ws.mean,
                sd: ws.sd,
                se: ws.se,
                ci_low: ws.ci_low,
                ci_high: ws.ci_high,
                top2box: t,
                bottom2box: b,
            }
        });
        if s.sd == Some(0.0) {
            warnings.push(Warning::new(
                &q.id,
                format!(
                    "item '{}' has zero variance (everyone answered the same)",
                    q.id
                ),
            ));
        }
        items.push(ItemResult {
            id: q.id.clone(),
            text: q.text.clone(),
            kind: q.kind.as_str().to_string(),
            scale: q.scale.clone(),
            min: scale.map(|s| s.min),
            max: scale.map(|s| s.max),
            reverse: q.reverse,
            role: q.role,
            node: q.node.map(|n| survey.tree.nodes[n].id.clone()),
            n: s.n,
            mean: finite(s.mean),
            sd: s.sd,
            se: s.se,
            ci_low: s.ci_low,
            ci_high: s.ci_high,
            top2box: top2.and_then(finite),
            bottom2box: bottom2.and_then(finite),
            frequencies: freq,
            weighted,
        });
    }
    let discrete_of = |id: &str| columns.discrete_of(id);

    timer.mark("items");
    // --- choices
    let mut choices = Vec::new();
    for q in survey
        .all_questions()
        .filter(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple))
    {
        choices.push(index::choice_result(table, q, weights.as_deref())?);
    }

    timer.mark("choices");
    // --- index
    let idx = index::compute(
        survey,
        &columns,
        weights.as_deref(),
        opts,
        survey.role_item(Role::Overall).map(|q| q.id.as_str()),
        &mut warnings,
    )?;

    timer.mark("index");
    // --- correlations
    let tree_items: Vec<&crate::model::Question> = survey
        .tree
        .preorder()
        .into_iter()
        .flat_map(|n| survey.tree.nodes[n].questions.iter())
        .filter_map(|id| survey.question(id))
        .collect();
    let mut corr_vars: Vec<String> = tree_items.iter().map(|q| q.id.clone()).collect();
    let empty = correlation::Discrete::new(&[]);
    let mut corr_d: Vec<&correlation::Discrete> = tree_items
        .iter()
        .map(|q| discrete_of(&q.id).unwrap_or(&empty))
        .collect();
    let dims = survey.tree.dimensions();
    let dim_start = corr_vars.len();
    let dim_d: Vec<correlation::Discrete> = crate::par::map(dims, opts.threads, |&d| {
        correlation::Discrete::new(&idx.respondent_scores[d])
    });
    timer.mark("  dimensions.code");
    for (&d, dd) in dims.iter().zip(&dim_d) {
        corr_vars.push(survey.tree.nodes[d].id.clone());
        corr_d.push(dd);
    }
    if let Some(o) = survey.role_item(Role::Overall)
        && let Some(v) = discrete_of(&o.id)
        && !corr_vars.contains(&o.id)
    {
        corr_vars.push(o.id.clone());
        corr_d.push(v);
    }
    let pw = match opts.missing {
        MissingPolicy::Pairwise => correlation::pairwise_discrete(&corr_d, opts.threads, None),
        MissingPolicy::Listwise => {
            let (mask, _) = correlation::complete_mask(&corr_d);
            correlation::pairwise_discrete(&corr_d, opts.threads, Some(&mask))
        }
    };
    let nan_to_none = |m: &Vec<Vec<f64>>| -> Vec<Vec<Option<f64>>> {
        m.iter()
            .map(|r| r.iter().map(|v| finite(*v)).collect())
            .collect()
    };
    let corr = CorrelationResult {
        missing: opts.missing,
        pearson: CorrMatrix {
            vars: corr_vars.clone(),
            r: nan_to_none(&pw.pearson),
            p: pw.pearson_p(),
            n: pw.n.clone(),
        },
        spearman: CorrMatrix {
            vars: corr_vars.clone(),
            r: nan_to_none(&pw.spearman),
            p: pw.spearman_p(),
            n: pw.n.clone(),
        },
    };

    timer.mark("correlation");
    // --- reliability
    let mut rel = Vec::new();
    let pos = |id: &str| corr_vars.iter().position(|v| v == id);
    let mut groups: Vec<(String, &'static str, Vec<&crate::model::Question>)> = Vec::new();
    for &d in survey.tree.dimensions() {
        let qs: Vec<&crate::model::Question> = survey
            .tree
            .questions_under(d)
            .iter()
            .filter_map(|id| survey.question(id))
            .filter(|q| q.kind == QuestionKind::Rating)
            .collect();
        groups.push((survey.tree.nodes[d].id.clone(), "dimension", qs));
        for n in survey.tree.preorder() {
            let node = &survey.tree.nodes[n];
            if n != d && node.is_leaf() && survey.tree.dimension_of(n) == Some(d) {
                let qs: Vec<&crate::model::Question> = node
                    .questions
                    .iter()
                    .filter_map(|id| survey.question(id))
                    .filter(|q| q.kind == QuestionKind::Rating)
                    .collect();
                groups.push((node.id.clone(), "indicator", qs));
            }
        }
    }
    for (node, scope, qs) in groups {
        if qs.len() < 2 {
            continue;
        }
        let idxs: Vec<usize> = qs.iter().filter_map(|q| pos(&q.id)).collect();
        let (cov, cor, n_used) = match opts.missing {
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
                let vars: Vec<&correlation::Discrete> = idxs.iter().map(|&i| corr_d[i]).collect();
                let (mask, n) = correlation::complete_mask(&vars);
                let m = correlation::pairwise_discrete(&vars, opts.threads, Some(&mask));
                (m.cov, m.pearson, n)
            }
        };
        let reverse: Vec<bool> = qs.iter().map(|q| direction(survey, q) < 0.0).collect();
        if n_used < 3 {
            omitted.push(Omitted::new(
                format!("reliability {node}"),
                format!("fewer than 3 respondents answered every pair ({n_used})"),
            ));
            continue;
        }
        match reliability::cronbach(&cov, &cor, &reverse) {
            Ok(r) => {
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
                    warnings.push(Warning::new(&node, msg.clone()));
                    msg
                });
                rel.push(ReliabilityResult {
                    node: node.clone(),
                    scope: scope.to_string(),
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
                });
            }
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

    timer.mark("reliability");
    // --- factor analysis
    let fa_items: Vec<&crate::model::Question> = tree_items
        .iter()
        .copied()
        .filter(|q| q.kind == QuestionKind::Rating)
        .collect();
    let fa_d: Vec<&correlation::Discrete> = fa_items
        .iter()
        .map(|q| discrete_of(&q.id).unwrap_or(&empty))
        .collect();

    // --- part 2: where to improve
    // Pearson r of each dimension with the overall item, for the drivers (pairwise only: the
    // drivers' r is always pairwise-complete).
    let outcome_r: Vec<(usize, f64, usize)> = match (opts.missing, survey.role_item(Role::Overall))
    {
        (MissingPolicy::Pairwise, Some(o)) if columns.position(&o.id).is_some() => {
            let oi = corr_vars.iter().position(|v| *v == o.id);
            match oi {
                Some(oi) => dims
                    .iter()
                    .enumerate()
                    .map(|(j, &d)| (d, pw.pearson[dim_start + j][oi], pw.n[dim_start + j][oi]))
                    .collect(),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    let cx = improve::Context {
        survey,
        table,
        columns: &columns,
        levels: &levels,
        idx: &idx,
        weights: weights.as_deref(),
        threads: opts.threads,
        outcome_r,
        coded_nodes: dims.iter().copied().zip(&dim_d).collect(),
        moments: std::sync::Mutex::new(Vec::new()),
    };
    // The factor analysis runs on its own thread meanwhile: it shares nothing with the drivers
    // and the weight comparison. Each keeps its own warnings, appended in the usual order.
    let (mut factor_omitted, mut factor_warnings) = (Vec::new(), Vec::new());
    let (mut driver_omitted, mut driver_warnings) = (Vec::new(), Vec::new());
    let (factor_result, (drivers, ipa, priorities), weight_groups) = std::thread::scope(|s| {
        let fa = s.spawn(|| {
            let _t = crate::timing::Span::new("  factor (own thread)");
            factor_analysis(
                survey,
                &fa_items,
                &fa_d,
                opts,
                &mut factor_omitted,
                &mut factor_warnings,
            )
        });
        let main_span = crate::timing::Span::new("  drivers_weights");
        let (outcome, outcome_y) = improve::outcome(&cx);
        let d = improve::drivers(
            &cx,
            (outcome, &outcome_y),
            &opts.improve,
            &mut driver_warnings,
            &mut driver_omitted,
        );
        let wg = improve::weight_groups(&cx, &outcome_y);
        drop(main_span);
        let f = fa.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (f, d, wg)
    });
    omitted.append(&mut factor_omitted);
    warnings.append(&mut factor_warnings);
    omitted.append(&mut driver_omitted);
    warnings.append(&mut driver_warnings);
    timer.mark("factor_drivers_weights");
    let gaps = improve::gaps(&cx);
    let mut segments = Vec::new();
    for by in &opts.improve.by {
        segments.push(improve::segments(&cx, by, &mut warnings)?);
    }
    let nps = improve::nps(&cx);
    let headline = improve::headline(&cx, &items, &choices, opts.improve.csat_top);
    timer.mark("gaps_segments_nps");
    let fuzzy = improve::fuzzy_evaluation(&cx, opts.improve.fuzzy_operator);
    timer.mark("fuzzy");

    Ok(Results {
        schema_version: SCHEMA_VERSION.to_string(),
        satkit_version: env!("CARGO_PKG_VERSION").to_string(),
        survey: SurveyInfo {
            id: survey.meta.id.clone(),
            title: survey.meta.title.clone(),
            language: survey.meta.language,
            version: survey.meta.version.clone(),
            field_start: survey.plan.as_ref().and_then(|p| p.field_start.clone()),
            field_end: survey.plan.as_ref().and_then(|p| p.field_end.clone()),
        },
        input: opts.input.clone(),
        missing_policy: MissingPolicies {
            correlation: opts.missing,
            reliability: opts.missing,
            factor: MissingPolicy::Listwise,
            index: "available".into(),
        },
        sample,
        items,
        choices,
        index: idx.result,
        reliability: rel,
        correlation: corr,
        factor: factor_result,
        drivers,
        ipa,
        priorities,
        gaps,
        segments,
        nps,
        headline: Some(headline),
        weights: weight_groups,
        fuzzy,
        warnings,
        omitted,
    })
}

fn factor_analysis(
    survey: &Survey,
    fa_items: &[&crate::model::Question],
    fa_d: &[&correlation::Discrete],
    opts: &AnalysisOptions,
    omitted: &mut Vec<Omitted>,
    warnings: &mut Vec<Warning>,
) -> Option<FactorResult> {
    if fa_items.len() < 3 {
        omitted.push(Omitted::new(
            "factor",
            format!(
                "{} rating items in the tree; factor analysis needs at least 3",
                fa_items.len()
            ),
        ));
        return None;
    }
    // Listwise deletion as a bit set over the rows: no copies of the columns.
    let (mask, n) = correlation::complete_mask(fa_d);
    if n < fa_items.len() + 2 {
        omitted.push(Omitted::new(
            "factor",
            format!(
                "only {n} respondents answered every item; need more than the {} items",
                fa_items.len()
            ),
        ));
        return None;
    }
    let pw = correlation::pairwise_discrete(fa_d, opts.threads, Some(&mask));
    if let Some(i) = (0..fa_items.len()).find(|&i| pw.pearson[i][i].is_nan()) {
        omitted.push(Omitted::new(
            "factor",
            format!(
                "item '{}' has zero variance among complete respondents",
                fa_items[i].id
            ),
        ));
        return None;
    }
    let r = pw.pearson;
    let ids: Vec<String> = fa_items.iter().map(|q| q.id.clone()).collect();
    let (eig, _) = factor::eigen_desc(&factor::to_matrix(&r));
    let kmo = match factor::kmo(&r) {
        Ok(k) => Some(k),
        Err(e) => {
            omitted.push(Omitted::new("factor.kmo", e.to_string()));
            None
        }
    };
    let bart = factor::bartlett(&r, n)
        .map_err(|e| omitted.push(Omitted::new("factor.bartlett", e.to_string())))
        .ok();
    let (k, rule) = match opts.factors {
        FactorRule::Dimensions => (survey.tree.dimensions().len().max(1), "dimensions"),
        FactorRule::Kaiser => (factor::kaiser_factors(&eig), "kaiser"),
        FactorRule::Fixed(k) => (k, "fixed"),
    };
    let k = if k >= fa_items.len() {
        warnings.push(Warning::new(
            "factor",
            format!(
                "{k} factors for {} items is too many; using {}",
                fa_items.len(),
                fa_items.len() - 1
            ),
        ));
        fa_items.len() - 1
    } else {
        k
    };
    let solve = |name: &str,
                 res: std::result::Result<factor::FactorSolution, factor::FactorError>,
                 omitted: &mut Vec<Omitted>| match res {
        Ok(s) => Some(s),
        Err(e) => {
            omitted.push(Omitted::new(format!("factor.{name}"), e.to_string()));
            None
        }
    };
    let minres = solve("minres", factor::minres(&r, k), omitted);
    let principal = solve("principal", factor::principal(&r, k), omitted);
    let off_dimension = minres
        .as_ref()
        .map(|s| construct_validity(survey, fa_items, s))
        .unwrap_or_default();
    if !off_dimension.is_empty() {
        let ids: Vec<&str> = off_dimension.iter().map(|o| o.id.as_str()).collect();
        warnings.push(Warning::new(
            "factor",
            format!(
                "{} item(s) load highest on another dimension's factor: {}",
                ids.len(),
                ids.join(", ")
            ),
        ));
    }
    if let Some(k) = &kmo
        && k.overall < 0.6
    {
        warnings.push(Warning::new(
            "factor",
            format!(
                "KMO {:.3} is {}; the items share little common variance",
                k.overall,
                factor::kmo_label(k.overall)
            ),
        ));
    }
    Some(FactorResult {
        n,
        items: ids,
        kmo: kmo.as_ref().map(|k| k.overall),
        kmo_label: kmo
            .as_ref()
            .map(|k| factor::kmo_label(k.overall).to_string()),
        kmo_per_item: kmo.map(|k| k.per_item),
        bartlett: bart,
        eigenvalues: eig,
        n_factors: k,
        n_factors_rule: rule.to_string(),
        method: "minres".into(),
        rotation: "varimax".into(),
        loadings: minres.as_ref().map(|s| s.loadings.clone()),
        communalities: minres.as_ref().map(|s| s.communalities.clone()),
        uniquenesses: minres.as_ref().map(|s| s.uniquenesses.clone()),
        minres,
        principal,
        off_dimension,
    })
}

/// Items whose highest absolute loading is not on their dimension's factor, where a dimension's
/// factor is the one on which most of its items load highest.
fn construct_validity(
    survey: &Survey,
    items: &[&crate::model::Question],
    s: &factor::FactorSolution,
) -> Vec<OffDimension> {
    let best: Vec<usize> = s
        .loadings
        .iter()
        .map(|row| {
            (0..row.len())
                .max_by(|&a, &b| row[a].abs().total_cmp(&row[b].abs()))
                .unwrap_or(0)
        })
        .collect();
    let dim_of = |q: &crate::model::Question| q.node.and_then(|n| survey.tree.dimension_of(n));
    let mut out = Vec::new();
    for &d in survey.tree.dimensions() {
        let members: Vec<usize> = (0..items.len())
            .filter(|&i| dim_of(items[i]) == Some(d))
            .collect();
        if members.is_empty() {
            continue;
        }
        let mut votes = vec![0usize; s.n_factors];
        for &i in &members {
            votes[best[i]] += 1;
        }
        let home = (0..s.n_factors)
            .max_by_key(|&f| (votes[f], std::cmp::Reverse(f)))
            .unwrap_or(0);
        for &i in &members {
            if best[i] != home {
                out.push(OffDimension {
                    id: items[i].id.clone(),
                    dimension: survey.tree.nodes[d].id.clone(),
                    dimension_factor: home + 1,
                    loads_on: best[i] + 1,
                    loading: s.loadings[i][best[i]],
                    loading_on_dimension_factor: s.loadings[i][home],
                });
            }
        }
    }
    out
}

pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
