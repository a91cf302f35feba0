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
use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

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
}

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

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt()
}

/// R² of y on an intercept and the given complete columns (0 for no columns).
pub fn r_squared(x: &[&[f64]], y: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return Some(0.0);
    }
    let n = y.len();
    let design = DMatrix::from_fn(
        n,
        x.len() + 1,
        |r, c| if c == 0 { 1.0 } else { x[c - 1][r] },
    );
    let yv = DVector::from_column_slice(y);
    let xtx = design.transpose() * &design;
    let b = xtx.cholesky()?.solve(&(design.transpose() * &yv));
    let resid = &yv - &design * b;
    let my = mean(y);
    let tss: f64 = y.iter().map(|v| (v - my) * (v - my)).sum();
    Some(1.0 - resid.norm_squared() / tss)
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
    let design = DMatrix::from_fn(n, p + 1, |r, c| if c == 0 { 1.0 } else { x[c - 1][r] });
    let yv = DVector::from_column_slice(y);
    let xtx = design.transpose() * &design;
    let inv = xtx.clone().try_inverse().ok_or(RegressionError::Singular)?;
    let chol = xtx.cholesky().ok_or(RegressionError::Singular)?;
    let b = chol.solve(&(design.transpose() * &yv));
    let resid = &yv - &design * &b;
    let rss = resid.norm_squared();
    let my = mean(y);
    let tss: f64 = y.iter().map(|v| (v - my) * (v - my)).sum();
    let df_resid = (n - p - 1) as f64;
    let df_model = p as f64;
    let sigma2 = rss / df_resid;
    let r2 = 1.0 - rss / tss;
    let adj_r2 = 1.0 - (1.0 - r2) * (n as f64 - 1.0) / df_resid;
    let tdist = StudentsT::new(0.0, 1.0, df_resid).map_err(|_| RegressionError::Singular)?;
    let se: Vec<f64> = (0..=p).map(|j| (sigma2 * inv[(j, j)]).sqrt()).collect();
    let t: Vec<f64> = (0..=p).map(|j| b[j] / se[j]).collect();
    let pv: Vec<f64> = t.iter().map(|tv| 2.0 * tdist.sf(tv.abs())).collect();
    let f = ((tss - rss) / df_model) / sigma2;
    let f_p = FisherSnedecor::new(df_model, df_resid)
        .map(|d| d.sf(f))
        .unwrap_or(f64::NAN);
    let sy = sd(y);
    let std_beta = (0..p).map(|j| b[j + 1] * sd(&x[j]) / sy).collect();
    let vif = (0..p)
        .map(|j| {
            if p == 1 {
                return Some(1.0);
            }
            let others: Vec<&[f64]> = (0..p)
                .filter(|&k| k != j)
                .map(|k| x[k].as_slice())
                .collect();
            r_squared(&others, &x[j]).map(|r| 1.0 / (1.0 - r))
        })
        .collect();
    Ok(Ols {
        n,
        coef: b.iter().copied().collect(),
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
    })
}

fn corr(a: &[f64], b: &[f64]) -> f64 {
    crate::stats::correlation::pearson_cov(a, b).0
}

/// Johnson's relative weights on complete rows; they sum to R².
///
/// # Errors
/// A singular predictor correlation matrix.
pub fn relative_weights(x: &[Vec<f64>], y: &[f64]) -> Result<Vec<f64>, RegressionError> {
    let p = x.len();
    if p == 0 {
        return Err(RegressionError::NoPredictors);
    }
    let rxx = DMatrix::from_fn(p, p, |i, j| if i == j { 1.0 } else { corr(&x[i], &x[j]) });
    let rxy = DVector::from_fn(p, |i, _| corr(&x[i], y));
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
    let p = x.len();
    let subsets = 1usize << p;
    let mut r2 = vec![0.0; subsets];
    for (mask, slot) in r2.iter_mut().enumerate().skip(1) {
        let cols: Vec<&[f64]> = (0..p)
            .filter(|j| mask & (1 << j) != 0)
            .map(|j| x[j].as_slice())
            .collect();
        *slot = r_squared(&cols, y).ok_or(RegressionError::Singular)?;
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
