//! Exploratory factor analysis of the tree's rating items: KMO, Bartlett, eigenvalues, minres
//! and principal-factor solutions with varimax, and the items that load on another dimension's
//! factor. Listwise by default (a bit set over the rows selects the complete respondents), or
//! pairwise-complete for wide surveys where few respondents answer every item.

use super::options::{AnalysisOptions, FactorRule, MissingPolicy};
use super::results::*;
use crate::model::Survey;
use crate::stats::{correlation, factor};

/// The correlation matrix of the factor analysis and its n: over the complete respondents
/// (listwise, a bit set over the rows: no copies of the columns), or pairwise-complete as R
/// psych's `fa(use = "pairwise")`, where n is the smallest pairwise n. `None` (and an omission)
/// when n is not above the number of items + 1.
fn factor_correlations(
    fa_d: &[&correlation::Discrete],
    opts: &AnalysisOptions,
    omitted: &mut Vec<Omitted>,
) -> Option<(correlation::PairwiseMatrix, usize)> {
    let k = fa_d.len();
    let (pw, n, what) = match opts.factor_missing {
        MissingPolicy::Listwise => {
            let (mask, n) = correlation::complete_mask(fa_d);
            if n < k + 2 {
                omitted.push(Omitted::new(
                    "factor",
                    format!(
                        "only {n} respondents answered every item; need more than the {k} items"
                    ),
                ));
                return None;
            }
            let pw = correlation::pairwise_discrete(fa_d, opts.threads, Some(&mask));
            (pw, n, "listwise")
        }
        MissingPolicy::Pairwise => {
            let pw = correlation::pairwise_discrete(fa_d, opts.threads, None);
            let n = pw.n.iter().flatten().copied().min().unwrap_or(0);
            (pw, n, "pairwise")
        }
    };
    if n < k + 2 {
        omitted.push(Omitted::new(
            "factor",
            format!("only {n} respondents answered some pair of items ({what}); need more than the {k} items"),
        ));
        return None;
    }
    Some((pw, n))
}

/// The factor section, or `None` with the reason in `omitted`.
pub fn factor_analysis(
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
    let (pw, n) = factor_correlations(fa_d, opts, omitted)?;
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
