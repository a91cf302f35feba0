//! JSON conventions shared by every serialised type: serde_json writes a non-finite number as
//! `null`, and [`f64_or_nan`] reads that `null` back as NaN.

use serde::Deserialize;

/// JSON has no NaN: serde_json writes non-finite numbers as null. Read null back as NaN so a
/// saved results.json always loads again (for `satkit report` and `satkit compare`).
pub fn f64_or_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}
