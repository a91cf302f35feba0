//! Segments: every node's score per level of a respondent attribute (`--by`), with Welch's ANOVA
//! across the levels and a crosstab of the overall item.

use super::context::Context;
use super::results::*;
use crate::error::Result;
use crate::model::QuestionKind;
use crate::stats::{descriptive, inference};

/// The levels of attribute `by` in sorted order, the rows of each level (ascending), and the
/// count of rows without a value; `None` when the table has no such column. The attribute is
/// coded in one pass over the rows (the text of each row is borrowed, not copied).
fn attribute_levels(cx: &Context, by: &str) -> Option<(Vec<String>, Vec<Vec<usize>>, usize)> {
    let col = cx.table.df.column(by).ok()?;
    let text = col
        .as_materialized_series()
        .cast(&polars::prelude::DataType::String)
        .ok()?;
    let text = text.str().ok()?;
    let mut code_of: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut first_seen: Vec<&str> = Vec::new();
    let mut rows_of: Vec<Vec<usize>> = Vec::new();
    let mut missing = 0;
    for (r, v) in text.iter().enumerate() {
        let Some(v) = v else {
            missing += 1;
            continue;
        };
        let code = *code_of.entry(v).or_insert_with(|| {
            first_seen.push(v);
            rows_of.push(Vec::new());
            first_seen.len() - 1
        });
        rows_of[code].push(r);
    }
    let mut order: Vec<usize> = (0..first_seen.len()).collect();
    order.sort_by(|&a, &b| first_seen[a].cmp(first_seen[b]));
    let values = order.iter().map(|&c| first_seen[c].to_string()).collect();
    let members = order
        .iter()
        .map(|&c| std::mem::take(&mut rows_of[c]))
        .collect();
    Some((values, members, missing))
}

/// Segments by a respondent attribute.
///
/// # Errors
/// A `--by` column that the data does not have.
pub fn segments(cx: &Context, by: &str, warnings: &mut Vec<Warning>) -> Result<SegmentResult> {
    let unknown = || {
        crate::error::Error::usage(
            format!("--by: the data has no column '{by}'"),
            format!(
                "use a respondent attribute column such as: {}",
                cx.survey.respondents.attributes.join(", ")
            ),
        )
    };
    let Some((values, members, missing)) = attribute_levels(cx, by) else {
        return Err(unknown());
    };
    if missing > 0 {
        warnings.push(Warning::new(
            format!("segments.{by}"),
            format!("{missing} respondents have no '{by}' and are left out of its segments"),
        ));
    }
    let t = &cx.survey.tree;
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
