//! Data-derived weights for sibling nodes.
//!
//! Entropy weights (the entropy weight method): on the rows complete for all columns, min–max
//! normalise each column, p_ij = x_ij / Σ_i x_ij, e_j = −(1/ln n) Σ_i p_ij ln p_ij with
//! 0·ln 0 = 0, and w_j = (1 − e_j) / Σ_k (1 − e_k).

/// Entropy weights of the columns (NaN = missing; incomplete rows are skipped).
///
/// Returns `None` when fewer than two complete rows exist or every column is constant.
pub fn entropy_weights(columns: &[Vec<f64>]) -> Option<Vec<f64>> {
    let cols: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    entropy_weights_of(&cols, 1)
}

/// [`entropy_weights`] of borrowed columns, on up to `threads` threads (the result does not
/// depend on how many).
pub fn entropy_weights_of(columns: &[&[f64]], threads: usize) -> Option<Vec<f64>> {
    let m = columns.len();
    let n_rows = columns.first().map_or(0, |c| c.len());
    let rows: Vec<usize> = (0..n_rows)
        .filter(|&r| columns.iter().all(|c| !c[r].is_nan()))
        .collect();
    let n = rows.len();
    if n < 2 || m == 0 {
        return None;
    }
    // Columns are independent: one task each, in parallel.
    let one = |c: &&[f64]| -> f64 {
        let lo = rows.iter().map(|&r| c[r]).fold(f64::INFINITY, f64::min);
        let hi = rows.iter().map(|&r| c[r]).fold(f64::NEG_INFINITY, f64::max);
        if hi <= lo {
            // A constant column carries no information: e = 1.
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
    };
    let d: Vec<f64> = crate::par::map(columns, threads, one);
    let total: f64 = d.iter().sum();
    (total > 0.0).then(|| d.iter().map(|v| v / total).collect())
}
