//! The response scale of the simulator: a latent y cut into k points at the normal quantiles
//! τⱼ = Φ⁻¹(j/k), j = 1 … k−1 (so y ~ N(0, 1) answers every point equally often), the expected
//! 0–100 score of an item whose latent is N(μ, σ²), its inverse, and the covariance of two cut
//! items, from which the true Cronbach's alpha of a group of items follows.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::stats::bivariate::upper_orthant;

/// The k−1 cut points of a k-point scale.
pub fn thresholds(k: usize) -> Vec<f64> {
    let normal = Normal::standard();
    (1..k)
        .map(|j| normal.inverse_cdf(j as f64 / k as f64))
        .collect()
}

/// The number of cut points below `y` (the code minus the scale's lowest code).
pub fn cut(y: f64, tau: &[f64]) -> usize {
    tau.iter().filter(|t| y > **t).count()
}

/// The expected 0–100 score of an item with latent N(μ, σ²) on the scale with cut points `tau`.
pub fn expected_score(mu: f64, sigma: f64, tau: &[f64]) -> f64 {
    if tau.is_empty() {
        return 50.0;
    }
    let normal = Normal::standard();
    let s: f64 = tau.iter().map(|t| normal.cdf((mu - t) / sigma)).sum();
    100.0 * s / tau.len() as f64
}

/// The latent mean whose expected score is `points` (bisection; the score is increasing in μ).
pub fn latent_for(points: f64, sigma: f64, tau: &[f64]) -> f64 {
    let (mut lo, mut hi) = (-10.0 * sigma - 5.0, 10.0 * sigma + 5.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if expected_score(mid, sigma, tau) < points {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// One cut item for the covariance: latent mean and SD, and its cut points.
pub struct CutItem<'a> {
    pub mu: f64,
    pub sigma: f64,
    pub tau: &'a [f64],
}

impl CutItem<'_> {
    /// P(y > τₐ) for every cut point.
    fn exceed(&self) -> Vec<f64> {
        let normal = Normal::standard();
        self.tau
            .iter()
            .map(|t| normal.cdf((self.mu - t) / self.sigma))
            .collect()
    }

    /// The variance of the code: Σₐ Σ_b P(y > τ_max(a,b)) − pₐ·p_b.
    pub fn variance(&self) -> f64 {
        let p = self.exceed();
        let mut v = 0.0;
        for a in 0..p.len() {
            for b in 0..p.len() {
                v += p[a.max(b)] - p[a] * p[b];
            }
        }
        v
    }

    /// The covariance of the codes of two items whose latents correlate `r`:
    /// Σₐ Σ_b P(yᵢ > τₐ, yⱼ > τ_b) − pₐ·p_b.
    pub fn covariance(&self, other: &CutItem<'_>, r: f64) -> f64 {
        let (p, q) = (self.exceed(), other.exceed());
        let mut c = 0.0;
        for (a, ta) in self.tau.iter().enumerate() {
            let h = (ta - self.mu) / self.sigma;
            for (b, tb) in other.tau.iter().enumerate() {
                let k = (tb - other.mu) / other.sigma;
                c += upper_orthant(h, k, r) - p[a] * q[b];
            }
        }
        c
    }
}

/// Cronbach's alpha from item variances and the sum of the covariances over pairs.
pub fn alpha(variances: &[f64], pair_covariance_sum: f64) -> f64 {
    let k = variances.len() as f64;
    let sv: f64 = variances.iter().sum();
    let total = sv + 2.0 * pair_covariance_sum;
    k / (k - 1.0) * (1.0 - sv / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_centred_latent_scores_fifty() {
        for k in [2, 5, 7, 10, 11] {
            let t = thresholds(k);
            assert!((expected_score(0.0, 1.0, &t) - 50.0).abs() < 1e-9);
        }
    }

    #[test]
    fn latent_for_inverts_expected_score() {
        let t = thresholds(5);
        for p in [20.0, 55.0, 72.0, 90.0] {
            let mu = latent_for(p, 0.7, &t);
            assert!((expected_score(mu, 0.7, &t) - p).abs() < 1e-9);
        }
    }

    #[test]
    fn covariance_with_itself_at_r_one_approaches_the_variance() {
        let t = thresholds(5);
        let a = CutItem {
            mu: 0.5,
            sigma: 0.8,
            tau: &t,
        };
        // r is clamped to 0.95, so the covariance is a bit below the variance.
        let c = a.covariance(&a, 1.0);
        assert!(c < a.variance() && c > 0.8 * a.variance());
        assert!(a.covariance(&a, 0.0).abs() < 1e-9);
    }
}
