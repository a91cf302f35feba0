//! The `--fail-*` gate flags shared by `analyze` and `compare`, turned into a validated
//! [`Gates`] plan (see `crate::gates` for what each gate checks).

use std::path::PathBuf;

use crate::error::Result;
use crate::gates::{GateOutcome, Gates, check_threshold, parse_fail_node};

#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Gates (exit 1 when one fails)")]
pub struct GateArgs {
    /// Fail when the overall index is under INDEX (0–100).
    #[arg(long, value_name = "INDEX")]
    pub fail_under: Option<f64>,
    /// Fail when a node's score is under SCORE, e.g. 'service<60' (repeatable).
    #[arg(long, value_name = "NODE<SCORE")]
    pub fail_node: Vec<String>,
    /// Fail when the index fell more than POINTS against the baseline (analyze: --baseline;
    /// compare: the newest wave against the previous one).
    #[arg(long, value_name = "POINTS")]
    pub fail_drop: Option<f64>,
    /// The results.json of an earlier run that --fail-drop compares with.
    #[arg(long, value_name = "RESULTS.json")]
    pub baseline: Option<PathBuf>,
    /// Fail when Cronbach's alpha of any dimension or multi-item indicator is under ALPHA.
    #[arg(long, value_name = "ALPHA")]
    pub fail_alpha_under: Option<f64>,
}

impl GateArgs {
    /// The validated gates.
    ///
    /// # Errors
    /// A malformed `--fail-node`, a threshold out of range.
    pub fn gates(&self) -> Result<Gates> {
        Ok(Gates {
            fail_under: self
                .fail_under
                .map(|v| check_threshold("--fail-under", v, 0.0..=100.0))
                .transpose()?,
            fail_node: self
                .fail_node
                .iter()
                .map(|s| parse_fail_node(s))
                .collect::<Result<_>>()?,
            fail_drop: self
                .fail_drop
                .map(|v| check_threshold("--fail-drop", v, 0.0..=100.0))
                .transpose()?,
            fail_alpha_under: self
                .fail_alpha_under
                .map(|v| check_threshold("--fail-alpha-under", v, 0.0..=1.0))
                .transpose()?,
        })
    }
}

/// Print every failed gate on stderr, one line each.
pub fn print_failures(outcomes: &[GateOutcome], prefix: &str) {
    for o in outcomes.iter().filter(|o| !o.passed) {
        crate::errln!("{prefix}gate failed: {}", o.message);
    }
}
