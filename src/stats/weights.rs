//! Data-derived weights for sibling nodes.
//!
//! Entropy weights (the entropy weight method): on the rows complete for all columns, min–max
//! normalise each column, p_ij = x_ij / Σ_i x_ij, e_j = −(1/ln n) Σ_i p_ij ln p_ij with
//! 0·ln 0 = 0, and w_j = (1 − e_j) / Σ_k (1 − e_k).

use super::codes::Code;
use super::correlation::Discrete;

/// Entropy weights of the columns (NaN = missing; incomplete rows are skipped), on up to
/// `threads` threads (the result does not depend on how many): the columns are coded to their
/// distinct values, then weighed by [`entropy_weights_coded`], the one implementation.
///
/// Returns `None` when fewer than two complete rows exist or every column is constant.
pub fn entropy_weights(columns: &[&[f64]], threads: usize) -> Option<Vec<f64>> {
    let coded: Vec<Discrete> = crate::par::map(columns, threads, |c| Discrete::new(c));
    let refs: Vec<&Discrete> = coded.iter().collect();
    entropy_weights_coded(&refs, threads)
}

/// [`entropy_weights`] of columns coded to their distinct values. Each row's terms are looked
/// up per value (one logarithm per distinct value rather than per row) and summed in row
/// order, so the weights are bit for bit those of the row-by-row computation.
pub fn entropy_weights_coded(columns: &[&Discrete], threads: usize) -> Option<Vec<f64>> {
    let m = columns.len();
    let n_rows = columns.first().map_or(0, |c| c.len());
    if columns.iter().any(|c| c.len() != n_rows) {
        return None;
    }
    let (mask, _) = super::correlation::complete_mask(columns);
    let rows: Vec<usize> = (0..n_rows)
        .filter(|&r| mask[r / 64] >> (r % 64) & 1 == 1)
        .collect();
    let n = rows.len();
    if n < 2 || m == 0 {
        return None;
    }
    // Columns are independent: one task each, in parallel.
    let one = |c: &&Discrete| -> f64 {
        crate::with_codes!(c.codes(), codes => column_entropy(codes, &c.values, &rows))
    };
    let d: Vec<f64> = crate::par::map(columns, threads, one);
    let total: f64 = d.iter().sum();
    (total > 0.0).then(|| d.iter().map(|v| v / total).collect())
}

/// 1 − e of one column over `rows` (all present): min–max normalised values x, p = x / Σx,
/// e = −Σ p ln p / ln n with 0·ln 0 = 0.
fn column_entropy<C: Code>(codes: &[C], values: &[f64], rows: &[usize]) -> f64 {
    let n = rows.len();
    let v = |r: usize| values[codes[r].index()];
    let lo = rows.iter().map(|&r| v(r)).fold(f64::INFINITY, f64::min);
    let hi = rows.iter().map(|&r| v(r)).fold(f64::NEG_INFINITY, f64::max);
    if hi <= lo {
        // A constant column carries no information: e = 1.
        return 0.0;
    }
    // Per value: its normalised x, then its p ln p (0 where p is not positive).
    let x: Vec<f64> = values.iter().map(|&val| (val - lo) / (hi - lo)).collect();
    let s: f64 = rows.iter().map(|&r| x[codes[r].index()]).sum();
    let plnp: Vec<f64> = x
        .iter()
        .map(|&xv| {
            let p = xv / s;
            if p > 0.0 { p * p.ln() } else { 0.0 }
        })
        .collect();
    let e = -rows
        .iter()
        .map(|&r| plnp[codes[r].index()])
        .filter(|t| *t != 0.0)
        .sum::<f64>()
        / (n as f64).ln();
    1.0 - e
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The row-by-row definition, as written before the per-value lookup.
    fn row_by_row(columns: &[Vec<f64>]) -> Option<Vec<f64>> {
        let n_rows = columns[0].len();
        let rows: Vec<usize> = (0..n_rows)
            .filter(|&r| columns.iter().all(|c| !c[r].is_nan()))
            .collect();
        let n = rows.len();
        if n < 2 {
            return None;
        }
        let d: Vec<f64> = columns
            .iter()
            .map(|c| {
                let lo = rows.iter().map(|&r| c[r]).fold(f64::INFINITY, f64::min);
                let hi = rows.iter().map(|&r| c[r]).fold(f64::NEG_INFINITY, f64::max);
                if hi <= lo {
                    return 0.0;
                }
                let x = || rows.iter().map(|&r| (c[r] - lo) / (hi - lo));
                let s: f64 = x().sum();
                let e = -x()
                    .map(|v| v / s)
                    .filter(|p| *p > 0.0)
                    .map(|p| p * p.ln())
                    .sum::<f64>()
                    / (n as f64).ln();
                1.0 - e
            })
            .collect();
        let total: f64 = d.iter().sum();
        (total > 0.0).then(|| d.iter().map(|v| v / total).collect())
    }

    #[test]
    fn per_value_lookup_is_bit_identical_to_row_by_row() {
        // Scores with a few dozen distinct values and missing rows, one constant column and
        // one with many distinct values.
        let n = 5000;
        let cols: Vec<Vec<f64>> = vec![
            (0..n)
                .map(|i| {
                    if i % 17 == 0 {
                        f64::NAN
                    } else {
                        (i * 7 % 41) as f64 * 2.5
                    }
                })
                .collect(),
            (0..n).map(|i| (i % 5) as f64 * 25.0).collect(),
            (0..n).map(|_| 50.0).collect(),
            (0..n)
                .map(|i| {
                    if i % 23 == 0 {
                        f64::NAN
                    } else {
                        (i * 37 % 1009) as f64 / 10.09
                    }
                })
                .collect(),
        ];
        let want = row_by_row(&cols).unwrap();
        for threads in [1, 3] {
            let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            let got = entropy_weights(&refs, threads).unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want));
        }
        assert_eq!(entropy_weights(&[&[1.0, f64::NAN], &[2.0, 3.0]], 1), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Random columns (one to sixty levels, missing rows) on one to four threads: the
        /// per-value lookup gives the row-by-row weights to the bit.
        #[test]
        fn entropy_weights_equal_row_by_row(
            (cols, threads) in (1usize..=5, 0usize..=200, 1usize..=4).prop_flat_map(|(m, n, t)| {
                let column = (1u32..=60, 0u8..=30).prop_flat_map(move |(levels, missing)| {
                    prop::collection::vec((0..levels, 0u8..100), n).prop_map(move |cells| {
                        cells
                            .iter()
                            .map(|&(c, r)| if r < missing { f64::NAN } else { f64::from(c) * 2.5 })
                            .collect::<Vec<f64>>()
                    })
                });
                (prop::collection::vec(column, m), Just(t))
            })
        ) {
            let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            let bits = |v: Option<Vec<f64>>| v.map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
            prop_assert_eq!(bits(entropy_weights(&refs, threads)), bits(row_by_row(&cols)));
        }
    }
}
