//! Sample size and margin of error for a proportion, with the finite population correction.
//!
//! n0 = z²·p(1−p)/e², and with a population of N: n = n0 / (1 + (n0 − 1)/N) (Cochran 1977, 4.2).
//! The achieved margin of n completes is e = z·√(p(1−p)/n)·√((N − n)/(N − 1)).

use statrs::distribution::{ContinuousCDF, Normal};

/// The two-sided standard normal quantile for a confidence level, e.g. 1.959964 for 0.95.
pub fn z_for_confidence(confidence: f64) -> f64 {
    let normal = Normal::standard();
    normal.inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// Cochran's n0 before the finite population correction (not rounded).
pub fn cochran_n0(margin: f64, confidence: f64, proportion: f64) -> f64 {
    let z = z_for_confidence(confidence);
    z * z * proportion * (1.0 - proportion) / (margin * margin)
}

/// The required completed sample, rounded up, with the finite population correction when the
/// population size is known.
pub fn required_sample(
    margin: f64,
    confidence: f64,
    proportion: f64,
    population: Option<u64>,
) -> u64 {
    let n0 = cochran_n0(margin, confidence, proportion);
    let n = match population {
        Some(big_n) if big_n > 0 => n0 / (1.0 + (n0 - 1.0) / big_n as f64),
        _ => n0,
    };
    // Guard against 384.00000000001 becoming 385.
    (n - 1e-9).ceil().max(1.0) as u64
}

/// The margin of error achieved by `n` completes, with the finite population correction.
pub fn achieved_margin(n: f64, confidence: f64, proportion: f64, population: Option<u64>) -> f64 {
    if n <= 0.0 {
        return f64::INFINITY;
    }
    let z = z_for_confidence(confidence);
    let mut e = z * (proportion * (1.0 - proportion) / n).sqrt();
    if let Some(big_n) = population
        && big_n > 1
        && (big_n as f64) >= n
    {
        e *= ((big_n as f64 - n) / (big_n as f64 - 1.0)).sqrt();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // Cochran: e = 0.05, 95%, p = 0.5 gives n0 = 384.15 -> 385 without FPC.
        assert_eq!(required_sample(0.05, 0.95, 0.5, None), 385);
        // With N = 1000: 384.15 / (1 + 383.15/1000) = 277.7 -> 278.
        assert_eq!(required_sample(0.05, 0.95, 0.5, Some(1000)), 278);
    }
}
