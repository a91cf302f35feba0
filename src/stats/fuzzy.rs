//! Fuzzy comprehensive evaluation: B = A ∘ R, with A the weights of the criteria and R their
//! stacked membership vectors over a common grade set.
//!
//! Operators: the weighted average M(·,⊕), b_j = Σ_i a_i·r_ij (the default; with rows and
//! weights summing to 1, B sums to 1), and the main-factor operator M(∧,∨),
//! b_j = max_i min(a_i, r_ij), normalised to sum to 1. The score is B·c for grade scores c.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    WeightedAverage,
    MaxMin,
}

/// Compose weights `a` (summing to 1 over the rows used) with membership rows `r`.
pub fn compose(a: &[f64], r: &[Vec<f64>], op: Operator) -> Vec<f64> {
    let g = r.first().map_or(0, Vec::len);
    let mut b = vec![0.0; g];
    match op {
        Operator::WeightedAverage => {
            for (ai, row) in a.iter().zip(r) {
                for (bj, rij) in b.iter_mut().zip(row) {
                    *bj += ai * rij;
                }
            }
            let s: f64 = b.iter().sum();
            if s > 0.0 && (s - 1.0).abs() > 1e-12 {
                b.iter_mut().for_each(|v| *v /= s);
            }
        }
        Operator::MaxMin => {
            for (ai, row) in a.iter().zip(r) {
                for (bj, rij) in b.iter_mut().zip(row) {
                    *bj = bj.max(ai.min(*rij));
                }
            }
            let s: f64 = b.iter().sum();
            if s > 0.0 {
                b.iter_mut().for_each(|v| *v /= s);
            }
        }
    }
    b
}

/// B·c.
pub fn score(b: &[f64], c: &[f64]) -> f64 {
    b.iter().zip(c).map(|(x, y)| x * y).sum()
}

/// Evenly spaced grade scores from 0 to 100.
pub fn even_scores(g: usize) -> Vec<f64> {
    if g < 2 {
        return vec![100.0; g];
    }
    (0..g).map(|i| 100.0 * i as f64 / (g - 1) as f64).collect()
}

/// Index of the largest membership (first on ties).
pub fn max_membership(b: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in b.iter().enumerate() {
        if *v > b[best] {
            best = i;
        }
    }
    best
}
