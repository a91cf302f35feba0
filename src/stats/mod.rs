//! Pure numerics with no I/O. Each function documents its definition and the reference
//! implementation it is tested against (see tests/reference/).

pub mod ahp;
pub mod sampling;
