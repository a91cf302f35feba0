//! Respondent quality flags, written as Boolean columns:
//! - `flag_straightline`: identical answers across every item of a dimension with at least
//!   `straightline_min_items` rating items (all answered);
//! - `flag_speeding`: a duration below `min_duration` seconds, or by default below
//!   `speeding_ratio` × the median duration;
//! - `flag_duplicate_id`: a respondent id seen on an earlier row (the first stays unflagged);
//! - `flag_low_completion`: fewer than `min_completion` of the closed body questions answered;
//! - `flagged`: any of the above.

use serde::Serialize;

use super::table::ResponseTable;
use crate::error::Result;
use crate::model::{QuestionKind, Survey};

pub const FLAG_STRAIGHTLINE: &str = "flag_straightline";
pub const FLAG_SPEEDING: &str = "flag_speeding";
pub const FLAG_DUPLICATE_ID: &str = "flag_duplicate_id";
pub const FLAG_LOW_COMPLETION: &str = "flag_low_completion";
pub const FLAGGED: &str = "flagged";

#[derive(Debug, Clone)]
pub struct QualityOptions {
    pub straightline_min_items: usize,
    pub min_duration: Option<f64>,
    pub speeding_ratio: f64,
    pub min_completion: f64,
    /// The duration column of the table when it is not `[respondents] duration` (import sets it
    /// from `--duration`).
    pub duration_column: Option<String>,
}

impl Default for QualityOptions {
    fn default() -> Self {
        QualityOptions {
            straightline_min_items: 4,
            min_duration: None,
            speeding_ratio: 1.0 / 3.0,
            min_completion: 0.5,
            duration_column: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FlagCounts {
    pub straightline: u64,
    pub speeding: u64,
    pub duplicate_id: u64,
    pub low_completion: u64,
    /// Respondents with at least one flag.
    pub flagged: u64,
    /// The speeding threshold used, in seconds (null without a duration column).
    pub speeding_threshold_seconds: Option<f64>,
    /// The dimensions checked for straight-lining (those with enough rating items).
    pub straightline_groups: Vec<String>,
}

/// Compute the flags and add them to the table.
///
/// # Errors
/// Only if a survey column is missing from the table (a bug).
pub fn flag(
    survey: &Survey,
    table: &mut ResponseTable,
    opts: &QualityOptions,
) -> Result<FlagCounts> {
    let n = table.height();
    let mut counts = FlagCounts::default();
    // Straight-lining per dimension.
    let mut straight = vec![false; n];
    for &d in survey.tree.dimensions() {
        let items: Vec<&str> = survey
            .tree
            .questions_under(d)
            .into_iter()
            .filter(|id| {
                survey
                    .question(id)
                    .is_some_and(|q| q.kind == QuestionKind::Rating)
            })
            .collect();
        if items.len() < opts.straightline_min_items.max(2) {
            continue;
        }
        counts
            .straightline_groups
            .push(survey.tree.nodes[d].id.clone());
        let cols: Vec<Vec<Option<i32>>> = items
            .iter()
            .map(|id| table.code_column(id))
            .collect::<Result<_>>()?;
        for (r, flag) in straight.iter_mut().enumerate() {
            let first = cols[0][r];
            if first.is_some() && cols.iter().all(|c| c[r] == first) {
                *flag = true;
            }
        }
    }
    // Speeding.
    let mut speeding = vec![false; n];
    if let Some(dcol) = opts
        .duration_column
        .as_deref()
        .or(survey.respondents.duration.as_deref())
        .filter(|c| table.has_column(c))
    {
        let d = table.f64_column(dcol)?;
        let threshold = match opts.min_duration {
            Some(t) => Some(t),
            None => {
                let mut v: Vec<f64> = d.iter().copied().filter(|x| !x.is_nan()).collect();
                if v.is_empty() {
                    None
                } else {
                    v.sort_by(f64::total_cmp);
                    let m = v.len();
                    let median = if m % 2 == 1 {
                        v[m / 2]
                    } else {
                        0.5 * (v[m / 2 - 1] + v[m / 2])
                    };
                    Some(opts.speeding_ratio * median)
                }
            }
        };
        if let Some(t) = threshold {
            for (s, x) in speeding.iter_mut().zip(&d) {
                *s = !x.is_nan() && *x < t;
            }
        }
        counts.speeding_threshold_seconds = threshold;
    }
    // Duplicate ids.
    let mut dup = vec![false; n];
    if let Some(idc) = table.id_column.clone().filter(|c| table.has_column(c)) {
        // Borrow the ids from the polars column: no per-row allocation at a million rows.
        if let Ok(ids) = table.df.column(&idc).and_then(|c| c.str().cloned()) {
            let mut seen: std::collections::HashSet<&str> =
                std::collections::HashSet::with_capacity(n);
            for (flag, id) in dup.iter_mut().zip(ids.iter()) {
                if let Some(id) = id
                    && !seen.insert(id)
                {
                    *flag = true;
                }
            }
        }
    }
    // Completion over closed body questions.
    let closed: Vec<&crate::model::Question> = survey
        .questions
        .iter()
        .filter(|q| q.kind != QuestionKind::Text)
        .collect();
    let mut answered = vec![0usize; n];
    for q in &closed {
        let col = table
            .df
            .column(&q.id)
            .map_err(|_| crate::error::Error::usage(format!("no column {}", q.id), ""))?;
        let nulls = col.as_materialized_series().is_null();
        for (a, is_null) in answered.iter_mut().zip(nulls.iter()) {
            if is_null == Some(false) {
                *a += 1;
            }
        }
    }
    let low: Vec<bool> = if closed.is_empty() {
        vec![false; n]
    } else {
        answered
            .iter()
            .map(|a| (*a as f64) / (closed.len() as f64) < opts.min_completion)
            .collect()
    };
    let any: Vec<bool> = (0..n)
        .map(|i| straight[i] || speeding[i] || dup[i] || low[i])
        .collect();
    let count = |v: &[bool]| v.iter().filter(|b| **b).count() as u64;
    counts.straightline = count(&straight);
    counts.speeding = count(&speeding);
    counts.duplicate_id = count(&dup);
    counts.low_completion = count(&low);
    counts.flagged = count(&any);
    table.set_bool_column(FLAG_STRAIGHTLINE, straight)?;
    table.set_bool_column(FLAG_SPEEDING, speeding)?;
    table.set_bool_column(FLAG_DUPLICATE_ID, dup)?;
    table.set_bool_column(FLAG_LOW_COMPLETION, low)?;
    table.set_bool_column(FLAGGED, any)?;
    Ok(counts)
}
