//! The comparison report (compare.json) and its parts, plain serde data.
//!
//! Built by [`super::compare_waves`] and only read by the renderers; the field order is the
//! JSON's.

use serde::{Deserialize, Serialize};

use crate::gates::GateOutcome;

/// `schema_version` of compare.json.
pub const COMPARE_SCHEMA_VERSION: &str = "1.0.0";
/// Significance level of the Welch and NPS tests.
pub const SIGNIFICANCE: f64 = 0.05;
/// A fall in Cronbach's alpha of at least this much is flagged.
pub const ALPHA_DROP: f64 = 0.05;

/// One wave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Wave {
    /// Short name: the results file's directory (for …/results.json) or its stem.
    pub label: String,
    pub file: String,
    pub n: usize,
    pub index: Option<f64>,
    pub field_start: Option<String>,
    pub field_end: Option<String>,
}

/// The change of one node's score between two waves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeChange {
    pub id: String,
    pub name: String,
    pub depth: usize,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// new − old, in points.
    pub change: Option<f64>,
    /// √(se_old² + se_new²) with se = sd/√n.
    pub se: Option<f64>,
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p: Option<f64>,
    /// p < 0.05.
    pub significant: bool,
    /// |change| ≥ threshold.
    pub large: bool,
}

/// The change of the Net Promoter Score.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NpsChange {
    pub old: f64,
    pub new: f64,
    pub change: f64,
    pub se: f64,
    pub z: Option<f64>,
    pub p: Option<f64>,
    pub significant: bool,
}

/// A node's place in the improvement ranking (1 = improve first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RankChange {
    pub id: String,
    pub name: String,
    pub old_rank: Option<usize>,
    pub new_rank: Option<usize>,
    /// old_rank − new_rank: positive moved up the list (more urgent).
    pub moved: Option<i64>,
}

/// Cronbach's alpha of one reliability node in both waves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlphaChange {
    pub node: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
    pub change: Option<f64>,
    /// The alpha fell by 0.05 or more.
    pub dropped: bool,
}

/// Everything that changed from one wave to the next.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub from: String,
    pub to: String,
    /// Every node in tree order, root first.
    pub nodes: Vec<NodeChange>,
    pub nps: Option<NpsChange>,
    pub priorities: Vec<RankChange>,
    pub reliability: Vec<AlphaChange>,
}

/// A node's score in every wave (for trend charts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trend {
    pub id: String,
    pub name: String,
    pub depth: usize,
    pub scores: Vec<Option<f64>>,
    pub ci_low: Vec<Option<f64>>,
    pub ci_high: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rename {
    pub old: String,
    pub new: String,
}

/// compare.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompareReport {
    pub schema_version: String,
    pub satkit_version: String,
    pub survey: String,
    pub title: String,
    /// Points from which a change counts as large.
    pub threshold: f64,
    pub significance: f64,
    pub alpha_drop: f64,
    /// Node renames applied to earlier waves (`--map`).
    pub map: Vec<Rename>,
    /// Oldest first.
    pub waves: Vec<Wave>,
    /// One per pair of consecutive waves.
    pub steps: Vec<Step>,
    pub trends: Vec<Trend>,
    /// Trend charts written to OUTDIR (file names), with three or more waves.
    pub charts: Vec<String>,
    /// Gates on the newest wave (`--fail-drop`: against the previous wave).
    pub gates: Vec<GateOutcome>,
}
