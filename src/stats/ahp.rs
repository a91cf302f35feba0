//! Analytic Hierarchy Process: priority weights from a pairwise-comparison matrix.
//!
//! Weights are the principal right eigenvector of the matrix (Saaty 1980), found by power
//! iteration, which converges for positive matrices (Perron–Frobenius). λmax is the Rayleigh-like
//! average of (Aw)_i / w_i, CI = (λmax − n)/(n − 1) and CR = CI / RI with Saaty's random index.

use serde::Serialize;

/// Saaty's random consistency index RI for n = 1..=10 (n = 1, 2 are 0: always consistent).
pub const SAATY_RI: [f64; 11] = [
    0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
];

/// A consistency ratio below this is acceptable (Saaty's 10% rule).
pub const CR_THRESHOLD: f64 = 0.1;

const POWER_TOLERANCE: f64 = 1e-14;
const POWER_MAX_ITER: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct AhpResult {
    /// Priority weights, summing to 1, in the matrix order.
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1).
    pub ci: f64,
    /// Random index used; `None` when n is above Saaty's table (n > 10).
    pub ri: Option<f64>,
    /// Consistency ratio CI/RI; 0 for n ≤ 2.
    pub cr: f64,
    /// The pair (i, j) whose judgement departs most from w_i/w_j, with that implied ratio.
    pub worst_pair: Option<(usize, usize, f64)>,
}

impl AhpResult {
    pub fn consistent(&self) -> bool {
        self.cr < CR_THRESHOLD
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum AhpError {
    NotSquare,
    Empty,
    NonPositive {
        row: usize,
        col: usize,
        value: f64,
    },
    NotReciprocal {
        row: usize,
        col: usize,
        a_ij: f64,
        a_ji: f64,
    },
    DiagonalNotOne {
        index: usize,
        value: f64,
    },
}

impl std::fmt::Display for AhpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AhpError::NotSquare => write!(f, "the matrix is not square"),
            AhpError::Empty => write!(f, "the matrix is empty"),
            AhpError::NonPositive { row, col, value } => {
                write!(
                    f,
                    "entry ({}, {}) is {value}; every judgement must be positive",
                    row + 1,
                    col + 1
                )
            }
            AhpError::NotReciprocal {
                row,
                col,
                a_ij,
                a_ji,
            } => write!(
                f,
                "entries ({}, {}) = {a_ij} and ({}, {}) = {a_ji} are not reciprocal; a_ji must be 1/a_ij",
                row + 1,
                col + 1,
                col + 1,
                row + 1
            ),
            AhpError::DiagonalNotOne { index, value } => {
                write!(
                    f,
                    "diagonal entry ({}, {}) is {value}; it must be 1",
                    index + 1,
                    index + 1
                )
            }
        }
    }
}

/// Relative tolerance for a_ij · a_ji = 1; judgements written as 0.333 for 1/3 are accepted.
pub const RECIPROCAL_TOLERANCE: f64 = 0.01;

/// Compute AHP priority weights and consistency.
///
/// # Errors
/// A matrix that is empty, not square, not positive, not reciprocal or without a unit diagonal.
///
/// # Examples
/// ```
/// let m = vec![vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]];
/// let r = satkit::stats::ahp::ahp_weights(&m).unwrap();
/// assert!((r.weights[0] - 0.75).abs() < 1e-12);
/// ```
pub fn ahp_weights(matrix: &[Vec<f64>]) -> Result<AhpResult, AhpError> {
    let n = matrix.len();
    if n == 0 {
        return Err(AhpError::Empty);
    }
    if matrix.iter().any(|row| row.len() != n) {
        return Err(AhpError::NotSquare);
    }
    for i in 0..n {
        for j in 0..n {
            let v = matrix[i][j];
            if !(v.is_finite() && v > 0.0) {
                return Err(AhpError::NonPositive {
                    row: i,
                    col: j,
                    value: v,
                });
            }
        }
        if (matrix[i][i] - 1.0).abs() > 1e-9 {
            return Err(AhpError::DiagonalNotOne {
                index: i,
                value: matrix[i][i],
            });
        }
        for j in (i + 1)..n {
            if (matrix[i][j] * matrix[j][i] - 1.0).abs() > RECIPROCAL_TOLERANCE {
                return Err(AhpError::NotReciprocal {
                    row: i,
                    col: j,
                    a_ij: matrix[i][j],
                    a_ji: matrix[j][i],
                });
            }
        }
    }
    // Power iteration from the normalised row geometric means (already close to the answer).
    let mut w: Vec<f64> = matrix
        .iter()
        .map(|row| row.iter().map(|v| v.ln()).sum::<f64>() / n as f64)
        .map(f64::exp)
        .collect();
    normalise(&mut w);
    for _ in 0..POWER_MAX_ITER {
        let mut next: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| matrix[i][j] * w[j]).sum())
            .collect();
        normalise(&mut next);
        let delta = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if delta < POWER_TOLERANCE {
            break;
        }
    }
    let lambda_max = (0..n)
        .map(|i| (0..n).map(|j| matrix[i][j] * w[j]).sum::<f64>() / w[i])
        .sum::<f64>()
        / n as f64;
    let ci = if n > 2 {
        ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0)
    } else {
        0.0
    };
    let ri = SAATY_RI.get(n).copied();
    let cr = match ri {
        Some(ri) if ri > 0.0 => ci / ri,
        Some(_) => 0.0,
        None => ci / SAATY_RI[10],
    };
    let mut worst_pair = None;
    let mut worst = 1.0 + 1e-9;
    for i in 0..n {
        for j in (i + 1)..n {
            let implied = w[i] / w[j];
            let e = matrix[i][j] / implied;
            let dev = e.max(1.0 / e);
            if dev > worst {
                worst = dev;
                worst_pair = Some((i, j, implied));
            }
        }
    }
    Ok(AhpResult {
        weights: w,
        lambda_max,
        ci,
        ri,
        cr,
        worst_pair,
    })
}

fn normalise(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    v.iter_mut().for_each(|x| *x /= s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_matrix_has_zero_cr() {
        // w = (0.6, 0.3, 0.1): a perfectly consistent matrix a_ij = w_i / w_j.
        let w = [0.6, 0.3, 0.1];
        let m: Vec<Vec<f64>> = (0..3)
            .map(|i| (0..3).map(|j| w[i] / w[j]).collect())
            .collect();
        let r = ahp_weights(&m).unwrap();
        for (a, b) in r.weights.iter().zip(w) {
            assert!((a - b).abs() < 1e-12);
        }
        assert!(r.cr.abs() < 1e-12);
        assert!((r.lambda_max - 3.0).abs() < 1e-12);
    }

    #[test]
    fn rejects_non_reciprocal() {
        let m = vec![vec![1.0, 3.0], vec![3.0, 1.0]];
        assert!(matches!(
            ahp_weights(&m),
            Err(AhpError::NotReciprocal { .. })
        ));
    }
}
