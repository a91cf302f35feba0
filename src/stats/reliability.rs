//! Cronbach's alpha from a covariance matrix (so pairwise or listwise deletion is the caller's
//! choice), standardised alpha from the mean inter-item correlation, corrected item-total
//! correlations and alpha-if-item-deleted.
//!
//! alpha = k/(k−1)·(1 − tr(C)/ΣC) (as `pingouin.cronbach_alpha`); alpha_std = k·r̄/(1+(k−1)·r̄);
//! item-total r_i = Σ_{j≠i}C_ij / √(C_ii · ΣC_{−i}) where C_{−i} drops row and column i.
//! Reverse-coded items are handled by flipping the signs of their covariances, which equals
//! recoding x' = min + max − x.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemReliability {
    pub item_total_r: Option<f64>,
    pub alpha_if_deleted: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reliability {
    pub k: usize,
    pub alpha: f64,
    pub alpha_std: f64,
    pub avg_r: f64,
    pub items: Vec<ItemReliability>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReliabilityError {
    TooFewItems,
    /// An item has zero or undefined variance.
    ZeroVariance(usize),
    Undefined,
}

fn alpha_of(c: &[Vec<f64>], keep: &[usize]) -> f64 {
    let k = keep.len() as f64;
    let total: f64 = keep
        .iter()
        .map(|&i| keep.iter().map(|&j| c[i][j]).sum::<f64>())
        .sum();
    let trace: f64 = keep.iter().map(|&i| c[i][i]).sum();
    k / (k - 1.0) * (1.0 - trace / total)
}

/// Alpha and item statistics from a covariance matrix `cov` and correlation matrix `corr` of the
/// items, with `reverse[i]` marking reverse-coded items.
///
/// # Errors
/// Fewer than two items, a zero-variance item, or a non-finite matrix entry.
pub fn cronbach(
    cov: &[Vec<f64>],
    corr: &[Vec<f64>],
    reverse: &[bool],
) -> Result<Reliability, ReliabilityError> {
    let k = cov.len();
    if k < 2 {
        return Err(ReliabilityError::TooFewItems);
    }
    let sign = |i: usize| {
        if reverse.get(i).copied().unwrap_or(false) {
            -1.0
        } else {
            1.0
        }
    };
    let c: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| sign(i) * sign(j) * cov[i][j]).collect())
        .collect();
    let r: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| sign(i) * sign(j) * corr[i][j]).collect())
        .collect();
    for i in 0..k {
        if !(c[i][i] > 0.0) {
            return Err(ReliabilityError::ZeroVariance(i));
        }
        if c[i].iter().any(|v| !v.is_finite()) || r[i].iter().any(|v| !v.is_finite()) {
            return Err(ReliabilityError::Undefined);
        }
    }
    let all: Vec<usize> = (0..k).collect();
    let alpha = alpha_of(&c, &all);
    let mut sum_r = 0.0;
    for i in 0..k {
        for j in 0..k {
            if i != j {
                sum_r += r[i][j];
            }
        }
    }
    let avg_r = sum_r / (k * (k - 1)) as f64;
    let kf = k as f64;
    let alpha_std = kf * avg_r / (1.0 + (kf - 1.0) * avg_r);
    let items = (0..k)
        .map(|i| {
            let rest: Vec<usize> = (0..k).filter(|&j| j != i).collect();
            let cov_rest: f64 = rest.iter().map(|&j| c[i][j]).sum();
            let var_rest: f64 = rest
                .iter()
                .map(|&a| rest.iter().map(|&b| c[a][b]).sum::<f64>())
                .sum();
            let itr = cov_rest / (c[i][i] * var_rest).sqrt();
            ItemReliability {
                item_total_r: itr.is_finite().then_some(itr),
                alpha_if_deleted: (rest.len() >= 2).then(|| alpha_of(&c, &rest)),
            }
        })
        .collect();
    Ok(Reliability {
        k,
        alpha,
        alpha_std,
        avg_r,
        items,
    })
}
