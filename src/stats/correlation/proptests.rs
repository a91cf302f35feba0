//! Property tests of the correlation kernels (compiled for tests only). Random columns (one to
//! fifteen levels, including a single level, up to sixty narrow ones, and thousands of distinct
//! values, integer or not), random missing patterns, masks (none, listwise, partly listwise,
//! arbitrary rows) and one to four threads go through each fast path, which must equal a
//! row-by-row oracle written here apart from the kernels: counts exactly, statistics within
//! [`TOLERANCE`]. Values are multiples of 1/8 below a few thousand, so their sums are exact and
//! a constant column has exactly zero variance on both sides.

use proptest::prelude::*;

use super::bitset::complete_mask;
use super::discrete::Discrete;
use super::formulas::{PairStats, PairwiseMatrix};
use super::joint::{SMALL_K, combine_codes, joint_table, small_pairs, split_joined_table};
use super::schedule::pairwise_discrete;
use super::simd::{AndPopcount, eq_mask64};
use crate::stats::codes::{Code, Codes};
use crate::with_codes;

/// Kernel and oracle add the same terms in different orders: r, rho and covariances agree to
/// this relative difference (relative to 1 for values below 1 in size).
const TOLERANCE: f64 = 1e-12;

/// Cases per property: enough to meet every path, few enough for a quick `cargo test --lib`.
const CASES: u32 = 64;

/// How one random column's values are drawn.
#[derive(Debug, Clone, Copy)]
struct ColumnSpec {
    levels: u32,
    integer: bool,
    missing_percent: u8,
}

impl ColumnSpec {
    fn value(self, code: u32) -> f64 {
        if self.integer {
            f64::from(code) - 2.0
        } else {
            f64::from(code) * 0.25 + 0.125
        }
    }
}

fn column_spec() -> impl Strategy<Value = ColumnSpec> {
    let levels = prop_oneof![
        3 => 1u32..=4,
        3 => 5u32..=15,
        2 => 16u32..=60,
        2 => Just(4096u32),
    ];
    let missing = prop_oneof![Just(0u8), Just(10), Just(40), Just(95)];
    (levels, any::<bool>(), missing).prop_map(|(levels, integer, missing_percent)| ColumnSpec {
        levels,
        integer,
        missing_percent,
    })
}

/// Which rows a case restricts the statistics to.
#[derive(Debug, Clone, Copy)]
enum MaskKind {
    AllRows,
    CompleteForAll,
    CompleteForFirstHalf,
    RandomRows,
}

#[derive(Debug, Clone)]
struct Case {
    columns: Vec<Vec<f64>>,
    random_rows: Vec<bool>,
    mask_kind: MaskKind,
    threads: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (0usize..=320, prop::collection::vec(column_spec(), 1..=6)).prop_flat_map(|(n, specs)| {
        let columns: Vec<_> = specs
            .into_iter()
            .map(|s| {
                prop::collection::vec((0u32..1_000_000, 0u8..100), n).prop_map(move |cells| {
                    cells
                        .iter()
                        .map(|&(raw, m)| {
                            if m < s.missing_percent {
                                f64::NAN
                            } else {
                                s.value(raw % s.levels)
                            }
                        })
                        .collect::<Vec<f64>>()
                })
            })
            .collect();
        let mask_kind = prop_oneof![
            Just(MaskKind::AllRows),
            Just(MaskKind::CompleteForAll),
            Just(MaskKind::CompleteForFirstHalf),
            Just(MaskKind::RandomRows),
        ];
        (
            columns,
            prop::collection::vec(any::<bool>(), n),
            mask_kind,
            1usize..=4,
        )
            .prop_map(|(columns, random_rows, mask_kind, threads)| Case {
                columns,
                random_rows,
                mask_kind,
                threads,
            })
    })
}

/// A row bit set from one flag per row.
fn bits_of(rows: &[bool]) -> Vec<u64> {
    let mut bits = vec![0u64; rows.len().div_ceil(64)];
    for (r, _) in rows.iter().enumerate().filter(|(_, on)| **on) {
        bits[r / 64] |= 1 << (r % 64);
    }
    bits
}

fn mask_of(case: &Case, vars: &[&Discrete]) -> Option<Vec<u64>> {
    match case.mask_kind {
        MaskKind::AllRows => None,
        MaskKind::CompleteForAll => Some(complete_mask(vars).0),
        MaskKind::CompleteForFirstHalf => Some(complete_mask(&vars[..vars.len().div_ceil(2)]).0),
        MaskKind::RandomRows => Some(bits_of(&case.random_rows)),
    }
}

fn in_rows(mask: Option<&[u64]>, r: usize) -> bool {
    mask.is_none_or(|m| m[r / 64] >> (r % 64) & 1 == 1)
}

/// Average ranks (1-based, ties averaged) by sorting.
fn oracle_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && x[order[end]] == x[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) share the mean of ranks start+1..=end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson r (clamped to [−1, 1]) and the covariance (ddof 1) of complete slices.
fn oracle_pearson(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
        sxy += (a - mx) * (b - my);
    }
    let r = sxy / (sxx * syy).sqrt();
    let r = if r.is_nan() { r } else { r.clamp(-1.0, 1.0) };
    (r, if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN })
}

/// The statistics of one pair: loop over the rows, skip missing ones and those outside `mask`.
fn oracle_pair(x: &[f64], y: &[f64], mask: Option<&[u64]>) -> PairStats {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for r in 0..x.len() {
        if x[r].is_nan() || y[r].is_nan() || !in_rows(mask, r) {
            continue;
        }
        xs.push(x[r]);
        ys.push(y[r]);
    }
    let (pearson, cov) = oracle_pearson(&xs, &ys);
    let (spearman, _) = oracle_pearson(&oracle_ranks(&xs), &oracle_ranks(&ys));
    PairStats {
        n: xs.len(),
        pearson,
        spearman,
        cov,
    }
}

/// Every pair by [`oracle_pair`]; the diagonal holds r = 1 where the variance is positive.
fn oracle_matrix(columns: &[Vec<f64>], mask: Option<&[u64]>) -> PairwiseMatrix {
    let k = columns.len();
    let mut m = PairwiseMatrix {
        n: vec![vec![0; k]; k],
        pearson: vec![vec![f64::NAN; k]; k],
        spearman: vec![vec![f64::NAN; k]; k],
        cov: vec![vec![f64::NAN; k]; k],
    };
    for i in 0..k {
        for j in 0..k {
            let p = oracle_pair(&columns[i], &columns[j], mask);
            m.n[i][j] = p.n;
            m.cov[i][j] = p.cov;
            if i == j {
                let one = if p.n >= 2 && p.cov > 0.0 {
                    1.0
                } else {
                    f64::NAN
                };
                (m.pearson[i][j], m.spearman[i][j]) = (one, one);
            } else {
                (m.pearson[i][j], m.spearman[i][j]) = (p.pearson, p.spearman);
            }
        }
    }
    m
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()).max(scale)
}

fn assert_matrices_close(got: &PairwiseMatrix, want: &PairwiseMatrix) -> Result<(), TestCaseError> {
    let k = want.n.len();
    for i in 0..k {
        for j in 0..k {
            prop_assert_eq!(got.n[i][j], want.n[i][j], "n {} {}", i, j);
            let (g, w) = (got.pearson[i][j], want.pearson[i][j]);
            prop_assert!(close(g, w, 1.0), "pearson {} {}: {} vs {}", i, j, g, w);
            let (g, w) = (got.spearman[i][j], want.spearman[i][j]);
            prop_assert!(close(g, w, 1.0), "spearman {} {}: {} vs {}", i, j, g, w);
            let spread = (want.cov[i][i] * want.cov[j][j]).abs().sqrt();
            let (g, w) = (got.cov[i][j], want.cov[i][j]);
            prop_assert!(
                close(g, w, spread.max(1.0)),
                "cov {} {}: {} vs {}",
                i,
                j,
                g,
                w
            );
        }
    }
    Ok(())
}

/// Per row, its state in a joint table: the code, or `k` for missing.
fn state<C: Code>(c: C, k: usize) -> usize {
    if c == C::MISSING { k } else { c.index() }
}

/// Row states of a coded column (`k` for missing).
fn states(d: &Discrete) -> Vec<usize> {
    let k = d.values.len();
    with_codes!(d.codes(), c => c.iter().map(|&x| state(x, k)).collect())
}

/// Counts of complete rows in `mask` per cell (row-major, `stride` columns).
fn oracle_complete_table(
    x: &Discrete,
    y: &Discrete,
    stride: usize,
    mask: Option<&[u64]>,
) -> Vec<u32> {
    let (sx, sy) = (states(x), states(y));
    let (kx, ky) = (x.values.len(), y.values.len());
    let mut t = vec![0u32; (kx + 1) * stride];
    for r in 0..sx.len() {
        if sx[r] < kx && sy[r] < ky && in_rows(mask, r) {
            t[sx[r] * stride + sy[r]] += 1;
        }
    }
    t
}

/// The cells of complete pairs (the first `kx` rows and `ky` columns) of a table.
fn complete_cells(t: &[u32], stride: usize, kx: usize, ky: usize) -> Vec<u32> {
    (0..kx)
        .flat_map(|i| (0..ky).map(move |j| t[i * stride + j]))
        .collect()
}

fn coded(case: &Case) -> Vec<Discrete> {
    case.columns.iter().map(|c| Discrete::new(c)).collect()
}

fn is_small(d: &Discrete) -> bool {
    d.values.len() <= SMALL_K && !d.is_empty() && matches!(d.codes(), Codes::Narrow(_))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn pairwise_discrete_equals_the_row_by_row_oracle(case in case()) {
        let d = coded(&case);
        let vars: Vec<&Discrete> = d.iter().collect();
        let mask = mask_of(&case, &vars);
        let got = pairwise_discrete(&vars, case.threads, mask.as_deref());
        assert_matrices_close(&got, &oracle_matrix(&case.columns, mask.as_deref()))?;
        // The split over threads changes no bit.
        let one = pairwise_discrete(&vars, 1, mask.as_deref());
        let bits = |m: &[Vec<f64>]| -> Vec<u64> { m.iter().flatten().map(|v| v.to_bits()).collect() };
        prop_assert_eq!(&one.n, &got.n);
        prop_assert_eq!(bits(&one.pearson), bits(&got.pearson));
        prop_assert_eq!(bits(&one.spearman), bits(&got.spearman));
        prop_assert_eq!(bits(&one.cov), bits(&got.cov));
    }

    #[test]
    fn matrix_is_symmetric_with_a_unit_diagonal(case in case()) {
        let d = coded(&case);
        let vars: Vec<&Discrete> = d.iter().collect();
        let mask = mask_of(&case, &vars);
        let m = pairwise_discrete(&vars, case.threads, mask.as_deref());
        for i in 0..vars.len() {
            let defined = m.n[i][i] >= 2 && m.cov[i][i] > 0.0;
            prop_assert_eq!(m.pearson[i][i].to_bits(), if defined { 1.0 } else { f64::NAN }.to_bits());
            prop_assert_eq!(m.spearman[i][i].to_bits(), m.pearson[i][i].to_bits());
            for j in 0..vars.len() {
                prop_assert_eq!(m.n[i][j], m.n[j][i]);
                prop_assert_eq!(m.pearson[i][j].to_bits(), m.pearson[j][i].to_bits());
                prop_assert_eq!(m.spearman[i][j].to_bits(), m.spearman[j][i].to_bits());
                prop_assert_eq!(m.cov[i][j].to_bits(), m.cov[j][i].to_bits());
                prop_assert!(m.pearson[i][j].is_nan() || m.pearson[i][j].abs() <= 1.0);
            }
        }
    }

    #[test]
    fn reordering_the_respondents_changes_nothing(
        (case, order) in case().prop_flat_map(|c| {
            let n = c.random_rows.len();
            (Just(c), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        })
    ) {
        let d = coded(&case);
        let vars: Vec<&Discrete> = d.iter().collect();
        let before = pairwise_discrete(&vars, case.threads, None);
        let shuffled: Vec<Vec<f64>> = case
            .columns
            .iter()
            .map(|c| order.iter().map(|&r| c[r]).collect())
            .collect();
        let e: Vec<Discrete> = shuffled.iter().map(|c| Discrete::new(c)).collect();
        let vars: Vec<&Discrete> = e.iter().collect();
        assert_matrices_close(&pairwise_discrete(&vars, case.threads, None), &before)?;
    }

    #[test]
    fn joint_tables_equal_row_counts(case in case()) {
        let d = coded(&case);
        let vars: Vec<&Discrete> = d.iter().collect();
        let mask = mask_of(&case, &vars);
        let (x, y) = (vars[0], vars[vars.len() - 1]);
        let (kx, ky) = (x.values.len(), y.values.len());
        prop_assume!((kx + 1) * (ky + 1) <= 1 << 20);
        let t = with_codes!(x.codes(), xc => with_codes!(y.codes(), yc =>
            joint_table(xc, yc, kx, ky, mask.as_deref())));
        let stride = ky + 1;
        match mask.as_deref() {
            // Without a mask every row is counted, missing values in the last row and column.
            None => {
                let (sx, sy) = (states(x), states(y));
                let mut want = vec![0u32; (kx + 1) * stride];
                for r in 0..sx.len() {
                    want[sx[r] * stride + sy[r]] += 1;
                }
                prop_assert_eq!(t, want);
            }
            Some(_) => prop_assert_eq!(t, oracle_complete_table(x, y, stride, mask.as_deref())),
        }
    }

    #[test]
    fn bit_set_tables_equal_row_counts(case in case()) {
        let d = coded(&case);
        let all: Vec<&Discrete> = d.iter().collect();
        let mask = mask_of(&case, &all);
        let small: Vec<&Discrete> = all.iter().copied().filter(|v| is_small(v)).collect();
        prop_assume!(!small.is_empty());
        let (tables, level_counts) = small_pairs(&small, case.threads, mask.as_deref());
        for (v, counts) in small.iter().zip(&level_counts) {
            let mut want = vec![0u64; v.values.len()];
            for (r, s) in states(v).into_iter().enumerate() {
                if s < v.values.len() && in_rows(mask.as_deref(), r) {
                    want[s] += 1;
                }
            }
            prop_assert_eq!(counts, &want);
        }
        let mut p = 0;
        for a in 0..small.len() {
            for b in a + 1..small.len() {
                let (ka, kb) = (small[a].values.len(), small[b].values.len());
                let want = oracle_complete_table(small[a], small[b], 16, mask.as_deref());
                prop_assert_eq!(
                    complete_cells(&tables[p], 16, ka, kb),
                    complete_cells(&want, 16, ka, kb),
                    "pair {} {}", a, b
                );
                p += 1;
            }
        }
        prop_assert_eq!(p, tables.len());
    }

    #[test]
    fn joined_codes_give_both_tables(case in case()) {
        let d = coded(&case);
        let all: Vec<&Discrete> = d.iter().collect();
        let mask = mask_of(&case, &all);
        let small: Vec<&Discrete> = all.iter().copied().filter(|v| is_small(v)).collect();
        let x = all[all.len() - 1];
        prop_assume!(small.len() >= 2 && matches!(x.codes(), Codes::Narrow(_)));
        let (a, b) = (small[0], small[1]);
        let (ka, kb, kx) = (a.values.len(), b.values.len(), x.values.len());
        prop_assume!((ka + 1) * (kb + 1) <= 256);
        let Codes::Narrow(xc) = x.codes() else { unreachable!("checked above") };
        let t = joint_table(xc, &combine_codes(a, b), kx, (ka + 1) * (kb + 1) - 1, mask.as_deref());
        let (ta, tb) = split_joined_table(&t, kx + 1, ka + 1, kb + 1);
        let want_a = oracle_complete_table(x, a, ka + 1, mask.as_deref());
        let want_b = oracle_complete_table(x, b, kb + 1, mask.as_deref());
        prop_assert_eq!(complete_cells(&ta, ka + 1, kx, ka), complete_cells(&want_a, ka + 1, kx, ka));
        prop_assert_eq!(complete_cells(&tb, kb + 1, kx, kb), complete_cells(&want_b, kb + 1, kx, kb));
    }

    #[test]
    fn complete_mask_sets_the_rows_where_every_value_is_present(case in case()) {
        let d = coded(&case);
        let vars: Vec<&Discrete> = d.iter().collect();
        let (mask, n) = complete_mask(&vars);
        let rows: Vec<bool> = (0..case.random_rows.len())
            .map(|r| case.columns.iter().all(|c| !c[r].is_nan()))
            .collect();
        prop_assert_eq!(&mask, &bits_of(&rows));
        prop_assert_eq!(n, rows.iter().filter(|on| **on).count());
    }

    #[test]
    fn coding_keeps_every_value_and_counts_rows(case in case()) {
        let d = coded(&case);
        let vars: Vec<&Discrete> = d.iter().collect();
        let mask = mask_of(&case, &vars);
        for (v, x) in d.iter().zip(&case.columns) {
            prop_assert!(v.values.windows(2).all(|w| w[0] < w[1]), "values ascend");
            let back = v.to_f64();
            prop_assert_eq!(back.len(), x.len());
            for (b, a) in back.iter().zip(x) {
                prop_assert!(b.to_bits() == a.to_bits() || (a.is_nan() && b.is_nan()));
            }
            let mut want = vec![0u64; v.values.len()];
            for (r, s) in states(v).into_iter().enumerate() {
                if s < v.values.len() && in_rows(mask.as_deref(), r) {
                    want[s] += 1;
                }
            }
            prop_assert_eq!(v.counts(mask.as_deref()), want);
        }
    }

    #[test]
    fn simd_kernels_equal_their_portable_twins(
        bytes in prop::collection::vec(prop_oneof![0u8..4, Just(u8::MAX)], 64),
        needle in prop_oneof![0u8..4, Just(u8::MAX)],
        a in prop::collection::vec(any::<u64>(), 0..300),
        b in prop::collection::vec(any::<u64>(), 0..300),
    ) {
        let chunk: &[u8; 64] = bytes.as_slice().try_into().expect("64 bytes");
        let want = (0..64).fold(0u64, |m, i| m | (u64::from(bytes[i] == needle) << i));
        prop_assert_eq!(eq_mask64(chunk, needle), want);
        let len = a.len().min(b.len());
        let want: u64 = (0..len).map(|i| u64::from((a[i] & b[i]).count_ones())).sum();
        prop_assert_eq!(AndPopcount::detect().sum(&a[..len], &b[..len]), want);
    }
}
