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

/// Index of the grade whose evenly spaced score is nearest to `score` (0–100):
/// round(score / 100 · (g − 1)), clamped to the grades; the band of the weighted score.
pub fn score_grade(score: f64, g: usize) -> usize {
    if g < 2 || !score.is_finite() {
        return g.saturating_sub(1);
    }
    let top = (g - 1) as f64;
    ((score / 100.0) * top).round().clamp(0.0, top) as usize
}

/// The effectiveness of the maximum-membership principle, α = (n·β − 1) / (2·γ·(n − 1)), with β
/// the largest and γ the second-largest of n memberships: 0 for a flat vector, 1 and above when
/// one grade clearly dominates; `None` when γ = 0 (one grade holds all the membership, fully
/// effective). Below [`EFFECTIVE_AT`] the grade is read from the weighted score instead
/// (the weighted-average principle).
pub fn effectiveness(b: &[f64]) -> Option<f64> {
    let n = b.len();
    if n < 2 {
        return None;
    }
    let top = max_membership(b);
    let beta = b[top];
    let gamma = b
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != top)
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max);
    if gamma <= 0.0 {
        return None;
    }
    Some(((n as f64 * beta - 1.0) / (2.0 * gamma * (n as f64 - 1.0))).max(0.0))
}

/// The effectiveness from which the maximum-membership grade is reported.
pub const EFFECTIVE_AT: f64 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_membership_max_grade_differs_from_score_grade() {
        // Nearly flat over five grades, the last a hair above the others: the maximum
        // membership picks the best grade, while the weighted score (about 51) sits in the middle.
        let b = [0.199, 0.199, 0.2, 0.199, 0.203];
        let c = even_scores(5);
        let s = score(&b, &c);
        assert_eq!(max_membership(&b), 4);
        assert_eq!(score_grade(s, 5), 2, "score {s}");
        assert!(effectiveness(&b).unwrap() < 0.01);
    }

    #[test]
    fn effectiveness_of_peaked_and_degenerate_vectors() {
        // n = 5, β = 0.6, γ = 0.2: (3 − 1) / (2 · 0.2 · 4) = 1.25.
        let e = effectiveness(&[0.0, 0.1, 0.1, 0.6, 0.2]).unwrap();
        assert!((e - 1.25).abs() < 1e-12, "{e}");
        assert_eq!(effectiveness(&[0.0, 0.0, 1.0]), None);
        assert_eq!(effectiveness(&[0.2; 5]), Some(0.0));
    }
}
