//! The items: every scaled or numeric question coded once to its distinct values (the codes
//! serve the item statistics, the index, the correlations and the factor analysis), the
//! per-value counts of integer columns, and each item's descriptive section.

use std::borrow::Cow;

use super::columns::ItemColumns;
use super::results::{ItemResult, Warning, WeightedItem, finite};
use crate::data::ResponseTable;
use crate::error::Result;
use crate::model::{Question, QuestionKind, Survey};
use crate::stats::{correlation, descriptive};

/// Item direction: +1 when a higher code is better, −1 for reverse-coded or descending items.
pub fn direction(survey: &Survey, q: &Question) -> f64 {
    let asc = survey.question_scale(q).is_none_or(|s| s.ascending);
    if q.reverse == asc { -1.0 } else { 1.0 }
}

/// The questions analysed as items: scaled (rating, NPS, ...) and numeric ones, in survey order.
pub fn scaled_questions(survey: &Survey) -> Vec<&Question> {
    survey
        .all_questions()
        .filter(|q| q.kind.is_scaled() || q.kind == QuestionKind::Numeric)
        .collect()
}

/// Every item column read and coded once, on `threads` threads.
///
/// # Errors
/// A column that cannot be read as numbers.
pub fn code_columns(
    table: &ResponseTable,
    scaled: &[&Question],
    n_rows: usize,
    threads: usize,
) -> Result<ItemColumns> {
    // Integer columns are read straight into codes; others are read as f64, then coded.
    type IntCodes = (i64, i64, crate::stats::codes::Codes);
    let loaded: Vec<std::result::Result<IntCodes, Vec<f64>>> =
        crate::par::map(scaled, threads, |q| {
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
    let coded: Vec<(Vec<f64>, correlation::Discrete)> = crate::par::map_owned(
        loaded.into_iter().enumerate().collect(),
        threads,
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
    Ok(ItemColumns::new(
        scaled
            .iter()
            .zip(coded)
            .map(|(q, (x, d))| (q.id.clone(), x, d))
            .collect(),
        n_rows,
    ))
}

/// Per-value counts (plain and weighted) of every integer-coded column, `None` for the others.
pub fn level_stats(
    columns: &ItemColumns,
    weights: Option<&[f64]>,
    threads: usize,
) -> Vec<Option<descriptive::LevelStats>> {
    crate::par::map(columns.all_discrete(), threads, |d| {
        d.is_integer().then(|| {
            crate::with_codes!(d.codes(), c => descriptive::LevelStats::new(
                c,
                &d.values,
                weights,
            ))
        })
    })
}

/// The item sections, in the order of `scaled`; a zero-variance item also gets a warning.
pub fn item_results(
    survey: &Survey,
    scaled: &[&Question],
    columns: &ItemColumns,
    levels: &[Option<descriptive::LevelStats>],
    weights: Option<&[f64]>,
    warnings: &mut Vec<Warning>,
) -> Vec<ItemResult> {
    let mut items = Vec::with_capacity(scaled.len());
    for (i, (q, lv)) in scaled.iter().zip(levels).enumerate() {
        // The f64 answers are needed only where the column has no value counts.
        let x: Cow<[f64]> = match lv {
            Some(_) => Cow::Borrowed(&[]),
            None => columns.f64(i),
        };
        let item = item_result(survey, q, lv.as_ref(), &x, weights);
        if item.sd == Some(0.0) {
            warnings.push(Warning::new(
                &q.id,
                format!(
                    "item '{}' has zero variance (everyone answered the same)",
                    q.id
                ),
            ));
        }
        items.push(item);
    }
    items
}

/// The top-two and bottom-two scale points of a scale, in the direction of "better".
fn box_points(sc: &crate::model::Scale) -> ([i64; 2], [i64; 2]) {
    if sc.ascending {
        ([sc.max - 1, sc.max], [sc.min, sc.min + 1])
    } else {
        ([sc.min, sc.min + 1], [sc.max - 1, sc.max])
    }
}

/// One item's section: from its value counts `lv` where it has them, else from its answers `x`.
fn item_result(
    survey: &Survey,
    q: &Question,
    lv: Option<&descriptive::LevelStats>,
    x: &[f64],
    weights: Option<&[f64]>,
) -> ItemResult {
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
                None => descriptive::frequencies(x, weights, sc.min, sc.max, &labels),
            };
            let (hi, lo) = box_points(sc);
            let t = descriptive::box_share(&fr, &hi, false);
            let b = descriptive::box_share(&fr, &lo, false);
            (fr, Some(t), Some(b))
        }
        None => (Vec::new(), None, None),
    };
    let weighted = weights.map(|w| {
        let ws = match lv {
            Some(l) => l.weighted_summary(),
            None => descriptive::weighted_summary(x, w),
        };
        let (t, b) = match scale {
            Some(sc) => {
                let (hi, lo) = box_points(sc);
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
    ItemResult {
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
    }
}
