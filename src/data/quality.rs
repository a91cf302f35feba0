//! Respondent quality flags, written as Boolean columns:
//! - `flag_straightline`: identical answers across every item of a dimension with at least
//!   `straightline_min_items` rating items (all answered);
//! - `flag_speeding`: a duration below `min_duration` seconds, or by default below
//!   `speeding_ratio` × the median duration;
//! - `flag_duplicate_id`: a respondent id seen on an earlier row (the first stays unflagged);
//! - `flag_low_completion`: fewer than `min_completion` of the closed body questions answered;
//! - `flagged`: any of the above.

use serde::Serialize;

use std::collections::HashMap;

use super::table::{ColumnData, MISSING_INT, ResponseTable, TextColumn};
use crate::error::Result;
use crate::model::{QuestionKind, Survey};

pub const FLAG_STRAIGHTLINE: &str = "flag_straightline";
pub const FLAG_SPEEDING: &str = "flag_speeding";
pub const FLAG_DUPLICATE_ID: &str = "flag_duplicate_id";
pub const FLAG_LOW_COMPLETION: &str = "flag_low_completion";
pub use super::table::FLAGGED;

#[derive(Debug, Clone)]
pub struct QualityOptions {
    pub straightline_min_items: usize,
    pub min_duration: Option<f64>,
    pub speeding_ratio: f64,
    pub min_completion: f64,
}

impl Default for QualityOptions {
    fn default() -> Self {
        QualityOptions {
            straightline_min_items: 4,
            min_duration: None,
            speeding_ratio: 1.0 / 3.0,
            min_completion: 0.5,
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

/// The import buffers the flags are computed from, before they become the table.
pub struct QualityInput<'a> {
    /// The number of respondents.
    pub n: usize,
    /// Every survey question's column, by question id.
    pub columns: HashMap<&'a str, &'a ColumnData>,
    /// Respondent ids, when the data has an id column.
    pub ids: Option<&'a TextColumn>,
    /// Completion times in seconds, when the data has a duration column.
    pub durations: Option<&'a [Option<f64>]>,
}

/// One Boolean per respondent for each flag.
pub struct Flags {
    pub straightline: Vec<bool>,
    pub speeding: Vec<bool>,
    pub duplicate_id: Vec<bool>,
    pub low_completion: Vec<bool>,
    pub flagged: Vec<bool>,
}

impl Flags {
    /// Add the flag columns to the table.
    ///
    /// # Errors
    /// A length mismatch (a bug).
    pub fn add_to(self, table: &mut ResponseTable) -> Result<()> {
        table.set_bool_column(FLAG_STRAIGHTLINE, self.straightline)?;
        table.set_bool_column(FLAG_SPEEDING, self.speeding)?;
        table.set_bool_column(FLAG_DUPLICATE_ID, self.duplicate_id)?;
        table.set_bool_column(FLAG_LOW_COMPLETION, self.low_completion)?;
        table.set_bool_column(FLAGGED, self.flagged)
    }
}

fn add_present<T>(answered: &mut [u32], column: &[Option<T>]) {
    for (a, x) in answered.iter_mut().zip(column) {
        *a += u32::from(x.is_some());
    }
}

/// Straight-lining, speeding and low completion, per respondent.
type OtherFlags = (Vec<bool>, Vec<bool>, Vec<bool>);

/// The flags other than duplicate ids: straight-lining, speeding and low completion.
fn other_flags(
    survey: &Survey,
    input: &QualityInput<'_>,
    opts: &QualityOptions,
) -> Result<(FlagCounts, OtherFlags)> {
    let n = input.n;
    let column = |id: &str| {
        input
            .columns
            .get(id)
            .copied()
            .ok_or_else(|| crate::error::Error::usage(format!("no column {id}"), ""))
    };
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
        let mut cols: Vec<&[i32]> = Vec::with_capacity(items.len());
        for id in &items {
            match column(id)? {
                ColumnData::Int(v) => cols.push(v),
                _ => {
                    return Err(crate::error::Error::usage(
                        format!("column {id} does not hold integer codes"),
                        "",
                    ));
                }
            }
        }
        // Column by column (cache-friendly): rows whose answers all equal the first item's.
        let first = cols[0];
        let mut same: Vec<bool> = first.iter().map(|x| *x != MISSING_INT).collect();
        for c in &cols[1..] {
            for ((s, a), b) in same.iter_mut().zip(first).zip(c.iter()) {
                *s &= a == b;
            }
        }
        for (flag, s) in straight.iter_mut().zip(same) {
            *flag |= s;
        }
    }
    // Speeding.
    let mut speeding = vec![false; n];
    if let Some(d) = input.durations {
        let threshold = match opts.min_duration {
            Some(t) => Some(t),
            None => {
                let mut v: Vec<f64> = d.iter().flatten().copied().collect();
                if v.is_empty() {
                    None
                } else {
                    let m = v.len();
                    // The median from two order statistics: no full sort.
                    let (_, hi, _) = v.select_nth_unstable_by(m / 2, f64::total_cmp);
                    let hi = *hi;
                    let median = if m % 2 == 1 {
                        hi
                    } else {
                        let lo = v[..m / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        0.5 * (lo + hi)
                    };
                    Some(opts.speeding_ratio * median)
                }
            }
        };
        if let Some(t) = threshold {
            for (s, x) in speeding.iter_mut().zip(d) {
                *s = x.is_some_and(|x| x < t);
            }
        }
        counts.speeding_threshold_seconds = threshold;
    }
    // Completion over closed body questions.
    let closed: Vec<&ColumnData> = survey
        .questions
        .iter()
        .filter(|q| q.kind != QuestionKind::Text)
        .map(|q| column(&q.id))
        .collect::<Result<_>>()?;
    let low: Vec<bool> = if closed.is_empty() {
        vec![false; n]
    } else {
        // Answers per respondent, counted column by column.
        let mut answered = vec![0u32; n];
        for c in &closed {
            match c {
                ColumnData::Int(v) => {
                    for (a, x) in answered.iter_mut().zip(v) {
                        *a += u32::from(*x != MISSING_INT);
                    }
                }
                ColumnData::Float(v) => add_present(&mut answered, v),
                ColumnData::Str(v) => {
                    for (a, p) in answered.iter_mut().zip(v.present()) {
                        *a += u32::from(*p);
                    }
                }
            }
        }
        answered
            .iter()
            .map(|&a| (a as f64) / (closed.len() as f64) < opts.min_completion)
            .collect()
    };
    Ok((counts, (straight, speeding, low)))
}

/// Compute the flags.
///
/// # Errors
/// Only if a survey question has no column (a bug).
pub fn flag(
    survey: &Survey,
    input: &QualityInput<'_>,
    opts: &QualityOptions,
) -> Result<(FlagCounts, Flags)> {
    let n = input.n;
    // Duplicate ids (the first occurrence stays unflagged), on another thread: a million-entry
    // hash set is the slowest flag.
    let duplicates = |ids: &TextColumn| {
        let mut dup = vec![false; n];
        let mut seen: rustc_hash::FxHashSet<&str> =
            rustc_hash::FxHashSet::with_capacity_and_hasher(n, Default::default());
        for (flag, id) in dup.iter_mut().zip(ids.iter()) {
            if let Some(id) = id
                && !seen.insert(id)
            {
                *flag = true;
            }
        }
        dup
    };
    std::thread::scope(|scope| {
        let dup = input.ids.map(|ids| scope.spawn(move || duplicates(ids)));
        let (mut counts, rest) = other_flags(survey, input, opts)?;
        let dup = match dup {
            Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            None => vec![false; n],
        };
        let (straight, speeding, low) = rest;
        let any: Vec<bool> = (0..n)
            .map(|i| straight[i] || speeding[i] || dup[i] || low[i])
            .collect();
        let count = |v: &[bool]| v.iter().filter(|b| **b).count() as u64;
        counts.straightline = count(&straight);
        counts.speeding = count(&speeding);
        counts.duplicate_id = count(&dup);
        counts.low_completion = count(&low);
        counts.flagged = count(&any);
        Ok((
            counts,
            Flags {
                straightline: straight,
                speeding,
                duplicate_id: dup,
                low_completion: low,
                flagged: any,
            },
        ))
    })
}
