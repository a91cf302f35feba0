//! The formulas: Pearson r, Spearman's rho and the covariance of a pair from its joint
//! frequency table (or from its complete observations), and two-sided p-values. No row is
//! read here; the kernels (joint tables, bit sets) count, these functions compute.
//!
//! Spearman's rho is Pearson's r on average ranks, ties averaged exactly as
//! `scipy.stats.rankdata(method="average")`; from a table, a value's rank is the mid-point of
//! its run in the cumulative counts. p-values: t = r·√((n−2)/(1−r²)) with n−2 degrees of
//! freedom, two-sided, as `scipy.stats.pearsonr` and `scipy.stats.spearmanr` do.

use statrs::distribution::StudentsT;

/// Statistics of one pair over its complete observations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairStats {
    pub n: usize,
    pub pearson: f64,
    pub spearman: f64,
    /// Covariance with ddof = 1 (NaN for n < 2).
    pub cov: f64,
}

/// All pairwise statistics of a set of variables.
pub struct PairwiseMatrix {
    pub n: Vec<Vec<usize>>,
    pub pearson: Vec<Vec<f64>>,
    pub spearman: Vec<Vec<f64>>,
    pub cov: Vec<Vec<f64>>,
}

impl PairwiseMatrix {
    pub fn pearson_p(&self) -> Vec<Vec<Option<f64>>> {
        self.p_of(&self.pearson)
    }
    pub fn spearman_p(&self) -> Vec<Vec<Option<f64>>> {
        self.p_of(&self.spearman)
    }
    fn p_of(&self, r: &[Vec<f64>]) -> Vec<Vec<Option<f64>>> {
        let k = r.len();
        (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| {
                        if i == j {
                            None
                        } else {
                            r_pvalue(r[i][j], self.n[i][j])
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// A variable paired with itself (see [`super::pair::self_pair`]) from its value counts.
pub(super) fn self_pair_counts(values: &[f64], counts: &[u64]) -> PairStats {
    let x = values;
    let a: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let n: f64 = a.iter().sum();
    let mx: f64 = a.iter().zip(x).map(|(c, v)| c * v).sum::<f64>() / n;
    let sxx: f64 = a.iter().zip(x).map(|(c, v)| c * (v - mx) * (v - mx)).sum();
    let mut sxy = 0.0;
    for (c, v) in a.iter().zip(x) {
        if *c == 0.0 {
            continue;
        }
        let dx = v - mx;
        sxy += dx * (c * dx);
    }
    let r = clamp_r(sxy / (sxx * sxx).sqrt());
    PairStats {
        n: n as usize,
        pearson: r,
        spearman: r,
        cov: if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN },
    }
}

/// Pearson, Spearman and covariance from a joint frequency table `t` (row-major with `stride`
/// columns; only the first `xv.len()` rows and `yv.len()` columns are complete pairs).
pub(super) fn stats_from_table(t: &[u32], stride: usize, xv: &[f64], yv: &[f64]) -> PairStats {
    let (kx, ky) = (xv.len(), yv.len());
    let mut a = vec![0f64; kx];
    let mut b = vec![0f64; ky];
    let mut n = 0f64;
    for i in 0..kx {
        for j in 0..ky {
            let c = t[i * stride + j] as f64;
            a[i] += c;
            b[j] += c;
            n += c;
        }
    }
    let ranks = |m: &[f64]| -> Vec<f64> {
        let mut cum = 0.0;
        m.iter()
            .map(|&c| {
                let r = cum + (c + 1.0) / 2.0;
                cum += c;
                r
            })
            .collect()
    };
    let corr = |xs: &[f64], ys: &[f64]| -> (f64, f64) {
        let mx: f64 = a.iter().zip(xs).map(|(c, v)| c * v).sum::<f64>() / n;
        let my: f64 = b.iter().zip(ys).map(|(c, v)| c * v).sum::<f64>() / n;
        let sxx: f64 = a.iter().zip(xs).map(|(c, v)| c * (v - mx) * (v - mx)).sum();
        let syy: f64 = b.iter().zip(ys).map(|(c, v)| c * (v - my) * (v - my)).sum();
        let mut sxy = 0.0;
        for i in 0..kx {
            if a[i] == 0.0 {
                continue;
            }
            let dx = xs[i] - mx;
            let row = &t[i * stride..i * stride + ky];
            let mut acc = 0.0;
            for j in 0..ky {
                if row[j] != 0 {
                    acc += row[j] as f64 * (ys[j] - my);
                }
            }
            sxy += dx * acc;
        }
        (sxy / (sxx * syy).sqrt(), sxy)
    };
    let (pearson, sxy) = corr(xv, yv);
    let (spearman, _) = corr(&ranks(&a), &ranks(&b));
    PairStats {
        n: n as usize,
        pearson: clamp_r(pearson),
        spearman: clamp_r(spearman),
        cov: if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN },
    }
}

pub(super) fn clamp_r(r: f64) -> f64 {
    if r.is_nan() { r } else { r.clamp(-1.0, 1.0) }
}

/// Average ranks (1-based) of a slice, ties averaged.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            ranks[idx[k]] = r;
        }
        i = j + 1;
    }
    ranks
}

/// Pearson r and covariance (ddof = 1) of two complete slices.
pub fn pearson_cov(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
        sxy += (a - mx) * (b - my);
    }
    (
        clamp_r(sxy / (sxx * syy).sqrt()),
        if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN },
    )
}

/// Two-sided p-value of a correlation r from n pairs (t test with n − 2 df).
pub fn r_pvalue(r: f64, n: usize) -> Option<f64> {
    if n < 3 || r.is_nan() {
        return None;
    }
    if r.abs() >= 1.0 {
        return Some(0.0);
    }
    let df = n as f64 - 2.0;
    let t = r * (df / (1.0 - r * r)).sqrt();
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(2.0 * crate::stats::dist::sf(&dist, t.abs()))
}
