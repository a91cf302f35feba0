//! Respondent quality flags, written as Boolean columns:
//! - `flag_straightline`: careless responding over the grid of body rating items (below);
//! - `flag_speeding`: a duration below `min_duration` seconds, or by default below
//!   `speeding_ratio` × the median duration;
//! - `flag_duplicate_id`: a respondent id seen on an earlier row (the first stays unflagged);
//! - `flag_low_completion`: fewer than `min_completion` of the closed body questions answered;
//! - `flagged`: any of the above.
//!
//! Straight-lining is measured on the *grid*: every body rating question in print order
//! ([`crate::model::print_order::body_groups`]). NPS items are left out (one 0–10 item printed
//! apart); reverse-coded items enter with the code as answered (a straight-liner presses the
//! same point, which is what reverse items expose); a missing or "not applicable" answer is
//! skipped (neither breaks nor extends a run). Answers are compared by scale position
//! `(code − min) / (max − min)`, which on one scale is the raw code. Per respondent, with `m`
//! answered grid items:
//! - longstring (Johnson 2005; Curran 2016; R `careless::longstring`): the longest run of
//!   identical positions;
//! - IRV (Dunn et al. 2018; `careless::irv`): the sample SD of the positions, times the steps
//!   (max − min) of the grid's most used scale: on one scale, the SD in scale points, so one
//!   point off weighs the same on a 5- and a 10-point scale.
//!
//! The respondent is flagged when `m ≥ careless_min_grid`, longstring ≥ ⌊`longstring_share` ×
//! m⌋ and IRV ≤ `irv_max`. Both indices must agree, as Curran (2016) advises, because on
//! strongly correlated, positively skewed items attentive people give long runs of top boxes.
//! Computed column by column with a few per-respondent accumulators (no per-row allocation).

use serde::Serialize;

use std::collections::HashMap;

use super::table::{ColumnData, MISSING_INT, ResponseTable, TextColumn};
use crate::error::Result;
use crate::model::{QuestionKind, Survey, print_order};

pub const FLAG_STRAIGHTLINE: &str = "flag_straightline";
pub const FLAG_SPEEDING: &str = "flag_speeding";
pub const FLAG_DUPLICATE_ID: &str = "flag_duplicate_id";
pub const FLAG_LOW_COMPLETION: &str = "flag_low_completion";
pub use super::table::FLAGGED;

#[derive(Debug, Clone)]
pub struct QualityOptions {
    /// Straight-lining: the fewest answered grid items a respondent is checked on.
    pub careless_min_grid: usize,
    /// Straight-lining: the longest run must cover at least this share of the answered grid.
    pub longstring_share: f64,
    /// Straight-lining: the SD of the answers in scale steps must be at most this.
    pub irv_max: f64,
    pub min_duration: Option<f64>,
    pub speeding_ratio: f64,
    pub min_completion: f64,
}

impl Default for QualityOptions {
    fn default() -> Self {
        QualityOptions {
            careless_min_grid: 6,
            longstring_share: 0.5,
            irv_max: 0.35,
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
    /// Deprecated since 1.1.0 and always empty: the rule now runs over the whole grid (see
    /// `straightline_rule`).
    pub straightline_groups: Vec<String>,
    /// The straight-lining rule and its reach.
    pub straightline_rule: StraightlineRule,
}

/// The straight-lining rule as applied (see the module comment).
#[derive(Debug, Clone, Default, Serialize)]
pub struct StraightlineRule {
    /// The grid: body rating questions in print order.
    pub grid_items: usize,
    /// Respondents with fewer answered grid items are not checked.
    pub min_grid_items: usize,
    pub longstring_share: f64,
    pub irv_max: f64,
    /// Respondents with enough answered grid items to be checked.
    pub checked: u64,
}

/// Scale positions in fixed point: a position in [0, 1] times this (the least common multiple of
/// 1..16, so every position of a scale of up to 16 steps is exact; longer scales are rounded by
/// at most 1/(2·K), far below the 1/(s₁·s₂) between distinct positions of two scales). Integer
/// sums keep the pass cheap: a million respondents × 30 items is the common case.
const POSITION_SCALE: i64 = 720_720;

/// Per-respondent accumulators of the grid pass, in fixed-point positions.
struct GridPass {
    prev: Vec<i64>,
    run: Vec<u32>,
    longest: Vec<u32>,
    answered: Vec<u32>,
    sum: Vec<i64>,
    sum_sq: Vec<i64>,
}

impl GridPass {
    fn new(n: usize) -> Self {
        GridPass {
            prev: vec![i64::MIN; n],
            run: vec![0; n],
            longest: vec![0; n],
            answered: vec![0; n],
            sum: vec![0; n],
            sum_sq: vec![0; n],
        }
    }

    /// Add one block of a grid column: `codes` are the block's codes, `rows` the block's
    /// respondents in this pass, `table` the fixed-point position of each code from `lo`.
    fn add(&mut self, codes: &[i32], lo: i64, table: &[i64], rows: std::ops::Range<usize>) {
        let len = codes.len();
        // Equal-length slices of the block, so the loop runs without bounds checks.
        let prev = &mut self.prev[rows.clone()][..len];
        let run = &mut self.run[rows.clone()][..len];
        let longest = &mut self.longest[rows.clone()][..len];
        let answered = &mut self.answered[rows.clone()][..len];
        let sum = &mut self.sum[rows.clone()][..len];
        let sum_sq = &mut self.sum_sq[rows][..len];
        for k in 0..len {
            // Missing (and, defensively, out-of-scale) codes are skipped.
            let Some(&x) = usize::try_from(i64::from(codes[k]) - lo)
                .ok()
                .and_then(|i| table.get(i))
            else {
                continue;
            };
            let r = if x == prev[k] { run[k] + 1 } else { 1 };
            run[k] = r;
            longest[k] = longest[k].max(r);
            prev[k] = x;
            answered[k] += 1;
            sum[k] += x;
            sum_sq[k] += x * x;
        }
    }

    /// The sample SD of respondent `i`'s positions, in steps of a scale with `steps` steps
    /// (0 below two answers).
    fn irv(&self, i: usize, steps: f64) -> f64 {
        let m = f64::from(self.answered[i]);
        if m < 2.0 {
            return 0.0;
        }
        let (s, ss) = (self.sum[i] as f64, self.sum_sq[i] as f64);
        let k = POSITION_SCALE as f64;
        steps * ((ss - s * s / m).max(0.0) / (m - 1.0)).sqrt() / k
    }
}

/// Longstring and IRV over the grid; the flag per respondent and the rule's reach.
fn straightlining(
    survey: &Survey,
    input: &QualityInput<'_>,
    opts: &QualityOptions,
) -> Result<(StraightlineRule, Vec<bool>)> {
    let n = input.n;
    let mut grid_items = 0;
    // The steps (max − min) of each scale in the grid and how many items use it.
    let mut spans: Vec<(i64, usize)> = Vec::new();
    // Each grid column's codes, its scale's lowest code and the fixed-point position of each
    // code.
    let mut grid: Vec<(&[i32], i64, Vec<i64>)> = Vec::new();
    for group in print_order::body_groups(survey) {
        for q in group.questions {
            if q.kind != QuestionKind::Rating {
                continue;
            }
            let Some(scale) = survey.question_scale(q) else {
                continue;
            };
            let codes = match input.columns.get(q.id.as_str()) {
                Some(ColumnData::Int(v)) => v,
                _ => {
                    return Err(crate::error::Error::usage(
                        format!("column {} does not hold integer codes", q.id),
                        "",
                    ));
                }
            };
            let span = (scale.max - scale.min).max(1);
            let table = (scale.min..=scale.max)
                .map(|c| ((c - scale.min) * POSITION_SCALE * 2 + span) / (2 * span))
                .collect();
            grid.push((codes.as_slice(), scale.min, table));
            grid_items += 1;
            let k = (scale.max - scale.min).max(1);
            match spans.iter_mut().find(|(s, _)| *s == k) {
                Some((_, c)) => *c += 1,
                None => spans.push((k, 1)),
            }
        }
    }
    // IRV is measured in steps of the grid's most used scale.
    let steps = spans
        .iter()
        .max_by_key(|(_, c)| *c)
        .map_or(1.0, |(k, _)| *k as f64);
    let min_grid = opts.careless_min_grid.max(2);
    // Respondents `range`: block by block, every column in turn (the accumulators of a block
    // stay in cache), then the flag of each and how many were checked.
    let part = |range: std::ops::Range<usize>| -> (Vec<bool>, u64) {
        const BLOCK: usize = 4096;
        let mut pass = GridPass::new(range.len());
        for start in range.clone().step_by(BLOCK) {
            let rows = start..(start + BLOCK).min(range.end);
            let local = rows.start - range.start..rows.end - range.start;
            for (codes, lo, table) in &grid {
                pass.add(&codes[rows.clone()], *lo, table, local.clone());
            }
        }
        let mut checked = 0u64;
        let flags = (0..range.len())
            .map(|i| {
                let m = pass.answered[i] as usize;
                if m < min_grid {
                    return false;
                }
                checked += 1;
                let need = ((opts.longstring_share * m as f64).floor() as u32).max(2);
                pass.longest[i] >= need && pass.irv(i, steps) <= opts.irv_max
            })
            .collect();
        (flags, checked)
    };
    // Two halves on two threads for large files (respondents are independent).
    let (flags, checked) = if n >= 200_000 {
        let mid = n / 2;
        let (a, b) = std::thread::scope(|scope| {
            let h = scope.spawn(|| part(mid..n));
            let a = part(0..mid);
            (a, h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        let mut flags = a.0;
        flags.extend(b.0);
        (flags, a.1 + b.1)
    } else {
        part(0..n)
    };
    let rule = StraightlineRule {
        grid_items,
        min_grid_items: min_grid,
        longstring_share: opts.longstring_share,
        irv_max: opts.irv_max,
        checked,
    };
    Ok((rule, flags))
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
    let (rule, straight) = straightlining(survey, input, opts)?;
    counts.straightline_rule = rule;
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
