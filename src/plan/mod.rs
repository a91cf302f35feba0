//! Sampling plans: how many completed questionnaires a margin of error needs, how many
//! invitations to send, and how to split the sample across strata.
//!
//! [`plan`] is the one entry: [`input::resolve`] checks the given [`PlanOptions`] (over the
//! survey's `[plan]`, over defaults) into a [`PlanInput`], and [`compute::compute`] does the
//! arithmetic with [`crate::stats::sampling`] into a [`PlanReport`], which serialises as the
//! JSON report and renders as text with [`text::render_text`].

pub mod compute;
pub mod input;
pub mod text;

pub use compute::{PlanReport, StratumPlan, compute};
pub use input::{Allocation, PlanInput, PlanOptions, Source, parse_strata, resolve};
pub use text::render_text;

/// Resolve and check the options, then compute the plan.
///
/// # Errors
/// [`crate::Error::Usage`] for out-of-range or missing values and for counts too large to hold;
/// survey errors when the survey given is invalid.
pub fn plan(options: &PlanOptions) -> crate::Result<PlanReport> {
    compute(&resolve(options)?)
}
