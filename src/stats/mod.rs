//! Pure numerics with no I/O. Each function documents its definition and the reference
//! implementation it is tested against (see tests/reference/).

pub mod ahp;
pub mod bivariate;
pub mod codes;
pub mod correlation;
pub mod descriptive;
pub mod dist;
pub mod factor;
pub mod fuzzy;
pub mod inference;
pub mod regression;
pub mod reliability;
pub mod sampling;
pub mod weights;
