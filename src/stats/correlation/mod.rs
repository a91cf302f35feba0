//! Pearson and Spearman correlation matrices with pairwise-complete observations, two-sided
//! p-values and pairwise n, plus pairwise covariances (ddof = 1).
//!
//! Survey answers take few distinct values, so each pair is summarised by its joint frequency
//! table over the distinct values of the two variables. Pearson r, covariances and Spearman's rho
//! (Pearson on average ranks, ties averaged exactly as `scipy.stats.rankdata(method="average")`)
//! follow exactly from the table, without re-ranking per pair. Variables with too many distinct
//! values fall back to gathering the complete pairs and ranking them.
//!
//! p-values: t = r·√((n−2)/(1−r²)) with n−2 degrees of freedom, two-sided, as
//! `scipy.stats.pearsonr` and `scipy.stats.spearmanr` do.
//!
//! The kernels that count are apart from the formulas that compute: [`discrete`] codes the
//! values, [`bitset`] and [`simd`] hold the row bit sets and CPU-specific loops, [`joint`]
//! counts joint tables, [`schedule`] decides which kernel counts which pair and spreads the
//! work over threads, [`pair`] handles one pair, and [`formulas`] turns tables into r, rho,
//! covariances and p-values.

mod bitset;
mod discrete;
mod formulas;
mod joint;
mod pair;
mod schedule;
mod simd;

pub use bitset::complete_mask;
pub use discrete::Discrete;
pub use formulas::{PairStats, PairwiseMatrix, average_ranks, pearson_cov, r_pvalue};
pub use pair::{pair, pair_masked};
pub use schedule::pairwise_discrete;

/// Pairwise-complete statistics of every pair of columns (NaN = missing), on up to `threads`
/// threads. The diagonal holds r = 1, the variable's own n and its variance. The columns are
/// coded, then go through [`pairwise_discrete`], the one implementation.
pub fn pairwise(columns: &[Vec<f64>], threads: usize) -> PairwiseMatrix {
    let discrete: Vec<Discrete> = crate::par::map(columns, threads, |c| Discrete::new(c));
    let vars: Vec<&Discrete> = discrete.iter().collect();
    pairwise_discrete(&vars, threads, None)
}

/// Keep only rows where every column is present (listwise deletion); returns the filtered
/// columns and the number of complete rows.
pub fn listwise(columns: &[Vec<f64>]) -> (Vec<Vec<f64>>, usize) {
    let n = columns.first().map_or(0, Vec::len);
    let keep: Vec<bool> = (0..n)
        .map(|r| columns.iter().all(|c| !c[r].is_nan()))
        .collect();
    let out: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| {
            c.iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| *v)
                .collect()
        })
        .collect();
    let m = keep.iter().filter(|k| **k).count();
    (out, m)
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::pair::{pair_sorted, pair_table};
    use super::*;
    use crate::stats::codes::Codes;

    #[test]
    fn batched_small_pairs_equal_pair_by_pair() {
        let cols: Vec<Vec<f64>> = (0..4)
            .map(|c| {
                (0..500)
                    .map(|i| {
                        if (i * (c + 3)) % 37 == 0 {
                            f64::NAN
                        } else {
                            ((i * (c + 2) + i / 11) % 5) as f64 + 1.0
                        }
                    })
                    .collect()
            })
            .collect();
        let m = pairwise(&cols, 2);
        for i in 0..4 {
            for j in 0..4 {
                if i == j {
                    continue;
                }
                let p = pair(&Discrete::new(&cols[i]), &Discrete::new(&cols[j]));
                assert_eq!(m.n[i][j], p.n);
                assert!((m.pearson[i][j] - p.pearson).abs() < 1e-12);
                assert!((m.spearman[i][j] - p.spearman).abs() < 1e-12);
                assert!((m.cov[i][j] - p.cov).abs() < 1e-12);
            }
        }
    }

    /// Columns with missing values: Likert-like, one whose range shrinks under listwise
    /// deletion, and two with many distinct values (the hash-coded path).
    fn mixed_columns() -> Vec<Vec<f64>> {
        let n = 3000;
        let mut cols: Vec<Vec<f64>> = (0..3)
            .map(|c| {
                (0..n)
                    .map(|i| {
                        if (i * (c + 3)) % 29 == 0 {
                            f64::NAN
                        } else {
                            ((i * (c + 2) + i / 13) % 5) as f64 + 1.0
                        }
                    })
                    .collect()
            })
            .collect();
        cols.push(
            (0..n)
                .map(|i| match i % 17 {
                    0 => 40.0,
                    1 => f64::NAN,
                    _ => (i % 9) as f64,
                })
                .collect(),
        );
        for c in 0..2 {
            cols.push(
                (0..n)
                    .map(|i| {
                        if (i + c) % 31 == 0 {
                            f64::NAN
                        } else {
                            ((i * 37 + c * 11) % 101) as f64 / 7.0 + (i % 3) as f64 * 0.25
                        }
                    })
                    .collect(),
            );
        }
        cols
    }

    fn assert_same(a: &PairwiseMatrix, b: &PairwiseMatrix) {
        let k = a.n.len();
        let same = |x: f64, y: f64| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12;
        for i in 0..k {
            for j in 0..k {
                assert_eq!(a.n[i][j], b.n[i][j], "n {i} {j}");
                assert!(same(a.pearson[i][j], b.pearson[i][j]), "pearson {i} {j}");
                assert!(same(a.spearman[i][j], b.spearman[i][j]), "spearman {i} {j}");
                assert!(same(a.cov[i][j], b.cov[i][j]), "cov {i} {j}");
            }
        }
    }

    #[test]
    fn masked_tables_equal_listwise_copies() {
        let cols = mixed_columns();
        let (complete, n) = listwise(&cols);
        let copied = pairwise(&complete, 2);
        let d: Vec<Discrete> = cols.iter().map(|c| Discrete::new(c)).collect();
        let vars: Vec<&Discrete> = d.iter().collect();
        let (mask, m) = complete_mask(&vars);
        assert_eq!(n, m);
        for threads in [1, 2, 3] {
            assert_same(&copied, &pairwise_discrete(&vars, threads, Some(&mask)));
        }
    }

    #[test]
    fn small_tables_under_a_partial_mask_equal_masked_pairs() {
        // The mask is complete for columns 0 and 1 only: their last levels' cells are derived
        // from the level counts, column 2's are counted.
        let cols = mixed_columns();
        let d: Vec<Discrete> = cols[..3].iter().map(|c| Discrete::new(c)).collect();
        let vars: Vec<&Discrete> = d.iter().collect();
        let (mask, _) = complete_mask(&vars[..2]);
        for threads in [1, 2] {
            let m = pairwise_discrete(&vars, threads, Some(&mask));
            for i in 0..3 {
                for j in i + 1..3 {
                    let p = pair_table(vars[i], vars[j], Some(&mask));
                    assert_eq!(m.n[i][j], p.n, "n {i} {j}");
                    assert_eq!(m.pearson[i][j].to_bits(), p.pearson.to_bits());
                    assert_eq!(m.spearman[i][j].to_bits(), p.spearman.to_bits());
                    assert_eq!(m.cov[i][j].to_bits(), p.cov.to_bits());
                }
            }
        }
    }

    #[test]
    fn pairwise_does_not_depend_on_threads_and_matches_pair() {
        // Columns 0–2 are small (joined two at a time against column 3, which has 41 narrow
        // codes), 4 and 5 many-valued.
        let cols = mixed_columns();
        let one = pairwise(&cols, 1);
        assert_same(&one, &pairwise(&cols, 3));
        let d: Vec<Discrete> = cols.iter().map(|c| Discrete::new(c)).collect();
        for i in 0..cols.len() {
            for j in i + 1..cols.len() {
                let p = pair(&d[i], &d[j]);
                assert_eq!(one.n[i][j], p.n);
                assert_eq!(one.pearson[i][j].to_bits(), p.pearson.to_bits());
                assert_eq!(one.spearman[i][j].to_bits(), p.spearman.to_bits());
                assert_eq!(one.cov[i][j].to_bits(), p.cov.to_bits());
            }
        }
    }

    #[test]
    fn hashed_codes_are_ranks_of_the_sorted_distinct_values() {
        // 3000 distinct non-integers (the map grows several times), repeats, NaN and both
        // zeros.
        let mut x: Vec<f64> = (0..9000)
            .map(|i| ((i * 7919) % 3000) as f64 / 7.0 - 100.0)
            .collect();
        x[5] = f64::NAN;
        x[6] = -0.0;
        x[7] = 0.0;
        let d = Discrete::new(&x);
        let mut distinct: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup_by(|a, b| a == b);
        assert_eq!(d.values.len(), distinct.len());
        assert!(!d.is_integer());
        let Codes::Wide(codes) = d.codes() else {
            panic!("more than 255 values are coded wide")
        };
        for (v, &c) in x.iter().zip(codes) {
            if v.is_nan() {
                assert_eq!(c, u32::MAX);
            } else {
                assert_eq!(d.values[c as usize], *v);
                assert_eq!(c as usize, distinct.partition_point(|u| u < v));
            }
        }
    }

    #[test]
    fn integer_range_coding_equals_scanning() {
        let x: Vec<f64> = (0..300)
            .map(|i| {
                if i % 7 == 0 {
                    f64::NAN
                } else {
                    (i % 11) as f64 - 3.0
                }
            })
            .collect();
        let a = Discrete::new(&x);
        let b = Discrete::with_int_range(&x, -3, 7);
        assert!(a.is_integer() && b.is_integer());
        assert_eq!(a.values, b.values);
        assert_eq!(a.codes(), b.codes());
        assert_eq!(a.counts(None), b.counts(None));
    }

    #[test]
    fn table_and_sorted_paths_agree() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 7) % 5) as f64 + 1.0).collect();
        let mut y: Vec<f64> = (0..200)
            .map(|i| ((i * 3 + i / 7) % 5) as f64 + 1.0)
            .collect();
        y[3] = f64::NAN;
        let a = pair_table(&Discrete::new(&x), &Discrete::new(&y), None);
        let b = pair_sorted(&x, &y, None);
        assert_eq!(a.n, b.n);
        assert!((a.pearson - b.pearson).abs() < 1e-12);
        assert!((a.spearman - b.spearman).abs() < 1e-12);
        assert!((a.cov - b.cov).abs() < 1e-12);
    }
}
