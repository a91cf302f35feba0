//! One pair of variables: the joint-table path where the table is small enough
//! ([`MAX_TABLE_CELLS`]), else gathering the complete pairs and ranking them. The matrix of all
//! pairs ([`super::schedule`]) uses these for the pairs it does not batch.

use super::bitset::in_mask;
use super::discrete::Discrete;
use super::formulas::{PairStats, average_ranks, pearson_cov, self_pair_counts, stats_from_table};
use super::joint::joint_table;
use crate::with_codes;

/// The largest joint table (cells) used before falling back to ranking the pairs.
const MAX_TABLE_CELLS: usize = 1 << 22;

/// Pearson r, Spearman rho and covariance of one pair.
pub fn pair(x: &Discrete, y: &Discrete) -> PairStats {
    pair_masked(x, y, None)
}

/// Like [`pair`], over the rows set in `mask` only (all rows without one).
pub fn pair_masked(x: &Discrete, y: &Discrete, mask: Option<&[u64]>) -> PairStats {
    let kx = x.values.len();
    let ky = y.values.len();
    if (kx + 1) * (ky + 1) <= MAX_TABLE_CELLS {
        pair_table(x, y, mask)
    } else {
        pair_sorted(&x.to_f64(), &y.to_f64(), mask)
    }
}

pub(super) fn pair_table(x: &Discrete, y: &Discrete, mask: Option<&[u64]>) -> PairStats {
    let (kx, ky) = (x.values.len(), y.values.len());
    let t =
        with_codes!(&x.codes, xc => with_codes!(&y.codes, yc => joint_table(xc, yc, kx, ky, mask)));
    stats_from_table(&t, ky + 1, &x.values, &y.values)
}

/// A variable paired with itself: n and variance from its value counts. This is exactly what
/// the joint table of (x, x) gives, whose only non-empty cells are on the diagonal.
pub(super) fn self_pair(x: &Discrete, mask: Option<&[u64]>) -> PairStats {
    if (x.values.len() + 1) * (x.values.len() + 1) > MAX_TABLE_CELLS {
        let v = x.to_f64();
        return pair_sorted(&v, &v, mask);
    }
    self_pair_counts(&x.values, &x.counts(mask))
}

pub(super) fn pair_sorted(x: &[f64], y: &[f64], mask: Option<&[u64]>) -> PairStats {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .enumerate()
        .filter(|(r, (a, b))| !a.is_nan() && !b.is_nan() && mask.is_none_or(|m| in_mask(m, *r)))
        .map(|(_, (a, b))| (*a, *b))
        .unzip();
    let (pearson, cov) = pearson_cov(&xs, &ys);
    let (spearman, _) = pearson_cov(&average_ranks(&xs), &average_ranks(&ys));
    PairStats {
        n: xs.len(),
        pearson,
        spearman,
        cov,
    }
}
