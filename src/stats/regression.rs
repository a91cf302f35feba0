//! Driver regression: OLS with inference, standardised betas, VIFs, Johnson's relative weights
//! and the Shapley (general dominance) decomposition of R².
//!
//! - OLS of y on an intercept and the predictors, as `statsmodels.OLS`: b = (XᵀX)⁻¹Xᵀy,
//!   SE = √(σ²·diag((XᵀX)⁻¹)) with σ² = RSS/(n − p − 1), two-sided t p-values, F test.
//! - Standardised beta_j = b_j·sd(x_j)/sd(y).
//! - VIF_j = 1/(1 − R²_j), R²_j from regressing x_j on the other predictors with an intercept
//!   (`statsmodels.stats.outliers_influence.variance_inflation_factor` on a design with const).
//! - Relative weights (Johnson 2000): R_xx = QΛQᵀ, Z = QΛ^½Qᵀ, β = Z⁻¹r_xy,
//!   ε_j = Σ_k Z_jk²·β_k²; they sum to R².
//! - Shapley/dominance (Budescu 1993): the average increase in R² from adding x_j over all
//!   orders; they sum to R².

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};
use statrs::distribution::{FisherSnedecor, StudentsT};

#[derive(Debug, Clone, PartialEq)]
pub enum RegressionError {
    TooFewRows { n: usize, needed: usize },
    Singular,
    NoPredictors,
}

impl std::fmt::Display for RegressionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegressionError::TooFewRows { n, needed } => {
                write!(f, "{n} complete respondents; at least {needed} needed")
            }
            RegressionError::Singular => {
                write!(f, "the predictors are collinear (singular design)")
            }
            RegressionError::NoPredictors => write!(f, "no predictors"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ols {
    pub n: usize,
    /// Intercept first, then one per predictor.
    pub coef: Vec<f64>,
    pub se: Vec<f64>,
    pub t: Vec<f64>,
    pub p: Vec<f64>,
    pub r2: f64,
    pub adj_r2: f64,
    pub f: f64,
    pub f_p: f64,
    pub df_model: f64,
    pub df_resid: f64,
    pub std_beta: Vec<f64>,
    pub vif: Vec<Option<f64>>,
    /// The outcome is (numerically) a linear combination of the predictors: the residual sum of
    /// squares is at most [`EXACT_FIT_RSS`] of the total. R² is then 1 and the standard errors,
    /// t, p and F are undefined (NaN), not 0.
    #[serde(default)]
    pub exact_fit: bool,
}

/// The share of the outcome's sum of squares below which a residual sum of squares counts as
/// zero (an exact fit): rounding in the cross-products leaves about 1e-15 of it.
pub const EXACT_FIT_RSS: f64 = 1e-10;

/// Rows where y and every predictor are present.
pub fn complete_rows(x: &[Vec<f64>], y: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let keep: Vec<usize> = (0..y.len())
        .filter(|&r| !y[r].is_nan() && x.iter().all(|c| !c[r].is_nan()))
        .collect();
    (
        x.iter()
            .map(|c| keep.iter().map(|&r| c[r]).collect())
            .collect(),
        keep.iter().map(|&r| y[r]).collect(),
    )
}

/// Means and centred cross-products of the predictors and the outcome (the outcome last), from
/// one pass over complete rows. Every regression quantity below comes from these moments, so
/// Shapley's 2^p subsets cost nothing more than the pass itself.
pub struct Moments {
    pub n: usize,
    pub mean: Vec<f64>,
    /// Σ (v_i − mean)(v_j − mean), (p + 1) × (p + 1), outcome in the last row and column.
    pub scp: DMatrix<f64>,
}

impl Moments {
    /// Moments of complete columns `x` and `y` (no NaN).
    pub fn new(x: &[Vec<f64>], y: &[f64]) -> Moments {
        let p = x.len();
        let n = y.len();
        let cols: Vec<&[f64]> = x
            .iter()
            .map(Vec::as_slice)
            .chain(std::iter::once(y))
            .collect();
        let mean: Vec<f64> = cols
            .iter()
            .map(|c| c.iter().sum::<f64>() / n as f64)
            .collect();
        let mut scp = DMatrix::<f64>::zeros(p + 1, p + 1);
        // Centre once, then accumulate the upper triangle column pair by column pair.
        let centred: Vec<Vec<f64>> = cols
            .iter()
            .zip(&mean)
            .map(|(c, m)| c.iter().map(|v| v - m).collect())
            .collect();
        for i in 0..=p {
            for j in i..=p {
                let s: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
                scp[(i, j)] = s;
                scp[(j, i)] = s;
            }
        }
        Moments { n, mean, scp }
    }

    /// The moments of the rows where `y` and every column of `x` are present (NaN = missing),
    /// without copying them: the same numbers as [`complete_rows`] then [`Moments::new`], to
    /// the bit (sums run over the same rows in the same order).
    pub fn complete(x: &[&[f64]], y: &[f64]) -> Moments {
        let p = x.len();
        let cols: Vec<&[f64]> = x.iter().copied().chain(std::iter::once(y)).collect();
        // With a fixed number of columns the row loops unroll and the sums stay in registers.
        macro_rules! fixed {
            ($($k:literal)*) => {
                match p + 1 {
                    $($k => {
                        if let Ok(c) = <[&[f64]; $k]>::try_from(cols.as_slice()) {
                            return Self::complete_fixed(c, y.len());
                        }
                    })*
                    _ => {}
                }
            };
        }
        fixed!(2 3 4 5 6 7 8 9 10);
        let keep = |r: usize| cols.iter().all(|c| !c[r].is_nan());
        let mut n = 0usize;
        let mut sum = vec![0.0; p + 1];
        for r in 0..y.len() {
            if keep(r) {
                n += 1;
                for (s, c) in sum.iter_mut().zip(&cols) {
                    *s += c[r];
                }
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / n as f64).collect();
        // Upper triangle, row-major: acc[t] for pairs (i, j), i ≤ j.
        let mut acc = vec![0.0; (p + 1) * (p + 2) / 2];
        let mut d = vec![0.0; p + 1];
        for r in 0..y.len() {
            if !keep(r) {
                continue;
            }
            for ((di, c), m) in d.iter_mut().zip(&cols).zip(&mean) {
                *di = c[r] - m;
            }
            let mut t = 0;
            for i in 0..=p {
                for j in i..=p {
                    acc[t] += d[i] * d[j];
                    t += 1;
                }
            }
        }
        let mut scp = DMatrix::<f64>::zeros(p + 1, p + 1);
        let mut t = 0;
        for i in 0..=p {
            for j in i..=p {
                scp[(i, j)] = acc[t];
                scp[(j, i)] = acc[t];
                t += 1;
            }
        }
        Moments { n, mean, scp }
    }

    /// [`Moments::complete`] of `K` columns (the outcome last) over their first `rows` rows:
    /// the same sums, over the same rows in the same order.
    fn complete_fixed<const K: usize>(cols: [&[f64]; K], rows: usize) -> Moments {
        let cols = cols.map(|c| &c[..rows]);
        let row = |r: usize| -> Option<[f64; K]> {
            let v: [f64; K] = std::array::from_fn(|c| cols[c][r]);
            (!v.iter().any(|x| x.is_nan())).then_some(v)
        };
        let mut n = 0usize;
        let mut sum = [0.0; K];
        for v in (0..rows).filter_map(row) {
            n += 1;
            for c in 0..K {
                sum[c] += v[c];
            }
        }
        let mean: [f64; K] = std::array::from_fn(|c| sum[c] / n as f64);
        let mut acc = [[0.0; K]; K];
        for v in (0..rows).filter_map(row) {
            let d: [f64; K] = std::array::from_fn(|c| v[c] - mean[c]);
            for i in 0..K {
                for j in i..K {
                    acc[i][j] += d[i] * d[j];
                }
            }
        }
        let mut scp = DMatrix::<f64>::zeros(K, K);
        for i in 0..K {
            for j in i..K {
                scp[(i, j)] = acc[i][j];
                scp[(j, i)] = acc[i][j];
            }
        }
        Moments {
            n,
            mean: mean.to_vec(),
            scp,
        }
    }

    fn p(&self) -> usize {
        self.mean.len() - 1
    }

    /// R² of the outcome on the predictors in `cols` (with an intercept).
    pub fn r2(&self, cols: &[usize]) -> Option<f64> {
        if cols.is_empty() {
            return Some(0.0);
        }
        let p = self.p();
        let sxx = DMatrix::from_fn(cols.len(), cols.len(), |a, b| self.scp[(cols[a], cols[b])]);
        let sxy = DVector::from_fn(cols.len(), |a, _| self.scp[(cols[a], p)]);
        let b = sxx.cholesky()?.solve(&sxy);
        Some(sxy.dot(&b) / self.scp[(p, p)])
    }

    /// The correlation matrix of predictors and outcome.
    pub fn correlation(&self) -> DMatrix<f64> {
        let k = self.mean.len();
        DMatrix::from_fn(k, k, |i, j| {
            self.scp[(i, j)] / (self.scp[(i, i)] * self.scp[(j, j)]).sqrt()
        })
    }
}

/// R² of y on an intercept and the given complete columns (0 for no columns).
pub fn r_squared(x: &[&[f64]], y: &[f64]) -> Option<f64> {
    let owned: Vec<Vec<f64>> = x.iter().map(|c| c.to_vec()).collect();
    let m = Moments::new(&owned, y);
    m.r2(&(0..x.len()).collect::<Vec<_>>())
}

/// OLS with inference on complete rows.
///
/// # Errors
/// Fewer rows than predictors + 2, or a singular design.
pub fn ols(x: &[Vec<f64>], y: &[f64]) -> Result<Ols, RegressionError> {
    let p = x.len();
    if p == 0 {
        return Err(RegressionError::NoPredictors);
    }
    let n = y.len();
    if n < p + 2 {
        return Err(RegressionError::TooFewRows { n, needed: p + 2 });
    }
    ols_moments(&Moments::new(x, y))
}

/// [`ols`] from the moments of the complete rows.
///
/// # Errors
/// As [`ols`].
pub fn ols_moments(m: &Moments) -> Result<Ols, RegressionError> {
    let p = m.p();
    if p == 0 {
        return Err(RegressionError::NoPredictors);
    }
    let n = m.n;
    if n < p + 2 {
        return Err(RegressionError::TooFewRows { n, needed: p + 2 });
    }
    let sxx = m.scp.view((0, 0), (p, p)).into_owned();
    let sxy = DVector::from_fn(p, |i, _| m.scp[(i, p)]);
    let syy = m.scp[(p, p)];
    let inv = sxx.clone().try_inverse().ok_or(RegressionError::Singular)?;
    if sxx.cholesky().is_none() {
        return Err(RegressionError::Singular);
    }
    let b = &inv * &sxy;
    let ssr = sxy.dot(&b);
    let rss = (syy - ssr).max(0.0);
    let df_resid = (n - p - 1) as f64;
    let df_model = p as f64;
    // An exact fit: the residual variance is rounding noise, so inference is undefined (NaN)
    // rather than se 0 and p 0, and R² is 1, not 1 + 1e-15.
    let exact_fit = rss <= EXACT_FIT_RSS * syy;
    let sigma2 = if exact_fit { f64::NAN } else { rss / df_resid };
    let r2 = (ssr / syy).clamp(0.0, 1.0);
    let r2 = if exact_fit { 1.0 } else { r2 };
    let adj_r2 = 1.0 - (1.0 - r2) * (n as f64 - 1.0) / df_resid;
    let tdist = StudentsT::new(0.0, 1.0, df_resid).map_err(|_| RegressionError::Singular)?;
    let xbar = DVector::from_fn(p, |i, _| m.mean[i]);
    let b0 = m.mean[p] - xbar.dot(&b);
    let var_b0 = sigma2 * (1.0 / n as f64 + xbar.dot(&(&inv * &xbar)));
    let mut coef = vec![b0];
    coef.extend(b.iter().copied());
    let mut se = vec![var_b0.sqrt()];
    se.extend((0..p).map(|j| (sigma2 * inv[(j, j)]).sqrt()));
    let t: Vec<f64> = coef.iter().zip(&se).map(|(c, s)| c / s).collect();
    let pv: Vec<f64> = t
        .iter()
        .map(|tv| 2.0 * crate::stats::dist::sf(&tdist, tv.abs()))
        .collect();
    let f = (ssr / df_model) / sigma2;
    let f_p = FisherSnedecor::new(df_model, df_resid)
        .map(|d| crate::stats::dist::sf(&d, f))
        .unwrap_or(f64::NAN);
    let std_beta = (0..p)
        .map(|j| b[j] * (m.scp[(j, j)] / syy).sqrt())
        .collect();
    // VIF_j = [R_xx⁻¹]_jj.
    let rxx = m.correlation().view((0, 0), (p, p)).into_owned();
    let rinv = rxx.try_inverse();
    let vif = (0..p)
        .map(|j| {
            if p == 1 {
                Some(1.0)
            } else {
                rinv.as_ref().map(|r| r[(j, j)])
            }
        })
        .collect();
    Ok(Ols {
        n,
        coef,
        se,
        t,
        p: pv,
        r2,
        adj_r2,
        f,
        f_p,
        df_model,
        df_resid,
        std_beta,
        vif,
        exact_fit,
    })
}

/// Johnson's relative weights on complete rows; they sum to R².
///
/// # Errors
/// A singular predictor correlation matrix.
pub fn relative_weights(x: &[Vec<f64>], y: &[f64]) -> Result<Vec<f64>, RegressionError> {
    if x.is_empty() {
        return Err(RegressionError::NoPredictors);
    }
    relative_weights_moments(&Moments::new(x, y))
}

/// [`relative_weights`] from the moments of the complete rows.
///
/// # Errors
/// As [`relative_weights`].
pub fn relative_weights_moments(m: &Moments) -> Result<Vec<f64>, RegressionError> {
    let p = m.p();
    if p == 0 {
        return Err(RegressionError::NoPredictors);
    }
    let r = m.correlation();
    if r.iter().any(|v| !v.is_finite()) {
        return Err(RegressionError::Singular);
    }
    let rxx = r.view((0, 0), (p, p)).into_owned();
    let rxy = DVector::from_fn(p, |i, _| r[(i, p)]);
    let e = rxx.symmetric_eigen();
    if e.eigenvalues.iter().any(|v| *v <= 1e-12) {
        return Err(RegressionError::Singular);
    }
    let sqrt_l = DMatrix::from_diagonal(&e.eigenvalues.map(f64::sqrt));
    let z = &e.eigenvectors * sqrt_l * e.eigenvectors.transpose();
    let beta = z.clone().try_inverse().ok_or(RegressionError::Singular)? * rxy;
    Ok((0..p)
        .map(|j| {
            (0..p)
                .map(|k| z[(j, k)] * z[(j, k)] * beta[k] * beta[k])
                .sum()
        })
        .collect())
}

/// Shapley decomposition of R² over all 2^p subsets (use for p ≤ 10).
///
/// # Errors
/// A singular subset design.
pub fn shapley_r2(x: &[Vec<f64>], y: &[f64]) -> Result<Vec<f64>, RegressionError> {
    shapley_moments(&Moments::new(x, y))
}

/// [`shapley_r2`] from the moments of the complete rows.
///
/// # Errors
/// As [`shapley_r2`].
pub fn shapley_moments(m: &Moments) -> Result<Vec<f64>, RegressionError> {
    let p = m.p();
    let subsets = 1usize << p;
    let mut r2 = vec![0.0; subsets];
    for (mask, slot) in r2.iter_mut().enumerate().skip(1) {
        let cols: Vec<usize> = (0..p).filter(|j| mask & (1 << j) != 0).collect();
        *slot = m.r2(&cols).ok_or(RegressionError::Singular)?;
    }
    let fact: Vec<f64> = (0..=p)
        .scan(1.0, |acc, i| {
            if i > 0 {
                *acc *= i as f64;
            }
            Some(*acc)
        })
        .collect();
    Ok((0..p)
        .map(|j| {
            let mut total = 0.0;
            for mask in 0..subsets {
                if mask & (1 << j) != 0 {
                    continue;
                }
                let s = (mask as u32).count_ones() as usize;
                let wgt = fact[s] * fact[p - s - 1] / fact[p];
                total += wgt * (r2[mask | (1 << j)] - r2[mask]);
            }
            total
        })
        .collect())
}

#[cfg(test)]
mod moments_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn complete_moments_equal_copied_rows_to_the_bit() {
        // 3 predictors take the unrolled path, 10 the general one.
        for k in [3, 10] {
            check_complete_moments(k);
        }
    }

    fn check_complete_moments(k: usize) {
        let x: Vec<Vec<f64>> = (0..k)
            .map(|c| {
                (0..500)
                    .map(|i| {
                        if (i + c) % 23 == 0 {
                            f64::NAN
                        } else {
                            ((i * (c + 5)) % 41) as f64 / 3.0
                        }
                    })
                    .collect()
            })
            .collect();
        let y: Vec<f64> = (0..500)
            .map(|i| {
                if i % 19 == 0 {
                    f64::NAN
                } else {
                    (i % 10) as f64
                }
            })
            .collect();
        let (xc, yc) = complete_rows(&x, &y);
        let a = Moments::new(&xc, &yc);
        let refs: Vec<&[f64]> = x.iter().map(Vec::as_slice).collect();
        let b = Moments::complete(&refs, &y);
        assert_eq!(a.n, b.n);
        for (p, q) in a.mean.iter().zip(&b.mean) {
            assert_eq!(p.to_bits(), q.to_bits());
        }
        for (p, q) in a.scp.iter().zip(b.scp.iter()) {
            assert_eq!(p.to_bits(), q.to_bits());
        }
    }

    fn random_cell() -> impl Strategy<Value = f64> {
        prop_oneof![
            8 => (0i32..40).prop_map(|v| f64::from(v) / 3.0),
            1 => Just(f64::NAN),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// [`Moments::complete`] (unrolled for 2 to 10 columns, general above) equals the
        /// moments of the copied complete rows to the bit.
        #[test]
        fn complete_moments_equal_moments_of_copied_rows(
            (x, y) in (1usize..=11, 0usize..=200).prop_flat_map(|(k, n)| (
                prop::collection::vec(prop::collection::vec(random_cell(), n), k),
                prop::collection::vec(random_cell(), n),
            ))
        ) {
            let (xc, yc) = complete_rows(&x, &y);
            let a = Moments::new(&xc, &yc);
            // Without complete rows, `Moments::new`'s empty sums are −0.0 where `complete`'s
            // are 0.0; otherwise every bit agrees.
            let same = |p: f64, q: f64| {
                p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()) || (a.n == 0 && p == q)
            };
            let refs: Vec<&[f64]> = x.iter().map(Vec::as_slice).collect();
            let b = Moments::complete(&refs, &y);
            prop_assert_eq!(a.n, b.n);
            for (p, q) in a.mean.iter().zip(&b.mean) {
                prop_assert!(same(*p, *q), "mean {} vs {}", p, q);
            }
            for (p, q) in a.scp.iter().zip(b.scp.iter()) {
                prop_assert!(same(*p, *q), "scp {} vs {}", p, q);
            }
        }
    }
}
