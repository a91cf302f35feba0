//! Upper tail probabilities that never panic: statrs' t, F and χ² survival functions unwrap an
//! internal error on a NaN argument (a t of 0/0 when a standard error is zero), so every tail
//! probability of satkit goes through [`sf`], which gives NaN for NaN and leaves every other
//! value to statrs.

use statrs::distribution::ContinuousCDF;

/// `dist.sf(x)`, or NaN when `x` is NaN.
pub fn sf<D: ContinuousCDF<f64, f64>>(dist: &D, x: f64) -> f64 {
    if x.is_nan() { f64::NAN } else { dist.sf(x) }
}

#[cfg(test)]
mod tests {
    use statrs::distribution::{ChiSquared, FisherSnedecor, StudentsT};

    use super::*;

    #[test]
    fn nan_gives_nan_and_numbers_pass_through() {
        let t = StudentsT::new(0.0, 1.0, 3.0).unwrap();
        assert!(sf(&t, f64::NAN).is_nan());
        assert_eq!(sf(&t, 1.5), t.sf(1.5));
        assert_eq!(sf(&t, f64::INFINITY), 0.0);
        assert!(sf(&FisherSnedecor::new(2.0, 5.0).unwrap(), f64::NAN).is_nan());
        assert!(sf(&ChiSquared::new(4.0).unwrap(), f64::NAN).is_nan());
    }
}
