//! The results document (`results.json`). Field names are a contract with scripts: see
//! docs/results-schema.md and the semver promise there. Add fields freely; never rename or
//! remove one without a major version bump.

use serde::{Deserialize, Serialize};

use super::MissingPolicy;
use crate::model::{Language, Role};
use crate::stats::descriptive::Frequency;
use crate::stats::factor::{Bartlett, FactorSolution};

pub const SCHEMA_VERSION: &str = "1.0.0";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub schema_version: String,
    pub satkit_version: String,
    pub survey: SurveyInfo,
    /// The data file analysed.
    pub input: String,
    pub missing_policy: MissingPolicies,
    pub sample: Sample,
    /// Rating, NPS and numeric items.
    pub items: Vec<ItemResult>,
    /// Single- and multiple-choice questions.
    pub choices: Vec<ChoiceResult>,
    pub index: IndexResult,
    pub reliability: Vec<ReliabilityResult>,
    pub correlation: CorrelationResult,
    /// Absent when factor analysis was impossible (see `omitted`).
    pub factor: Option<FactorResult>,
    pub warnings: Vec<Warning>,
    /// Statistics that could not be computed, with the reason.
    pub omitted: Vec<Omitted>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyInfo {
    pub id: String,
    pub title: String,
    pub language: Language,
    pub version: String,
    pub field_start: Option<String>,
    pub field_end: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MissingPolicies {
    pub correlation: MissingPolicy,
    pub reliability: MissingPolicy,
    pub factor: MissingPolicy,
    /// Node scores use every answered child ("available"), with weights renormalised.
    pub index: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sample {
    /// Respondents analysed.
    pub n: usize,
    /// Σw (equals n without weights).
    pub n_weighted: f64,
    /// Kish's effective sample size (Σw)²/Σw².
    pub n_effective: f64,
    /// Achieved margin of error at 95% for a proportion of 0.5, from the effective n, with the
    /// finite population correction when the plan gives the population size.
    pub margin_of_error: f64,
    pub population_size: Option<u64>,
    pub planned_n: Option<u64>,
    /// Respondents with a quality flag (kept unless imported with --drop-flagged).
    pub flagged: usize,
    pub weight_column: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeightedItem {
    pub mean: f64,
    /// √(Σw(x−m)²/Σw).
    pub sd: Option<f64>,
    pub se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub top2box: Option<f64>,
    pub bottom2box: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemResult {
    pub id: String,
    pub text: String,
    /// rating, nps or numeric.
    pub kind: String,
    pub scale: Option<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub reverse: bool,
    pub role: Option<Role>,
    /// The tree node the item measures.
    pub node: Option<String>,
    pub n: usize,
    pub mean: Option<f64>,
    /// Standard deviation with ddof = 1.
    pub sd: Option<f64>,
    pub se: Option<f64>,
    /// 95% t interval of the mean.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Share in the two best codes (direction-aware; reverse-coded items are not flipped here).
    pub top2box: Option<f64>,
    pub bottom2box: Option<f64>,
    pub frequencies: Vec<Frequency>,
    pub weighted: Option<WeightedItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub code: i64,
    pub label: String,
    pub count: u64,
    /// Share of respondents who answered the question.
    pub share: f64,
    pub weighted_share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChoiceResult {
    pub id: String,
    pub text: String,
    /// single or multiple.
    pub kind: String,
    pub n: usize,
    pub options: Vec<ChoiceOption>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeScore {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub depth: usize,
    /// Local weight among siblings (1 for the root).
    pub weight: f64,
    /// Product of local weights from the root.
    pub effective_weight: f64,
    /// Where the weight came from: explicit, equal, ahp, entropy (regression later).
    pub weight_source: String,
    /// Survey-weighted mean of respondents' 0–100 node scores.
    pub score: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub sd: Option<f64>,
    /// Respondents with a score for this node.
    pub n: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexResult {
    /// The overall satisfaction index: the root's score on 0–100.
    pub score: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub n: usize,
    /// Every node in tree order, root first.
    pub nodes: Vec<NodeScore>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReliabilityItem {
    pub id: String,
    pub reverse: bool,
    pub item_total_r: Option<f64>,
    pub alpha_if_deleted: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReliabilityResult {
    pub node: String,
    /// dimension (all items under it) or indicator (a leaf with several items).
    pub scope: String,
    pub k: usize,
    /// Smallest pairwise n (pairwise) or complete rows (listwise).
    pub n: usize,
    pub alpha: f64,
    pub alpha_std: f64,
    /// Mean inter-item correlation.
    pub avg_r: f64,
    pub warning: Option<String>,
    pub items: Vec<ReliabilityItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrMatrix {
    pub vars: Vec<String>,
    pub r: Vec<Vec<Option<f64>>>,
    /// Two-sided p-values; null on the diagonal and where n < 3.
    pub p: Vec<Vec<Option<f64>>>,
    pub n: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrelationResult {
    pub missing: MissingPolicy,
    pub pearson: CorrMatrix,
    pub spearman: CorrMatrix,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OffDimension {
    pub id: String,
    pub dimension: String,
    /// 1-based factor on which most of the dimension's items load highest.
    pub dimension_factor: usize,
    /// 1-based factor on which this item loads highest.
    pub loads_on: usize,
    pub loading: f64,
    pub loading_on_dimension_factor: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorResult {
    /// Complete respondents used (listwise).
    pub n: usize,
    pub items: Vec<String>,
    pub kmo: Option<f64>,
    pub kmo_label: Option<String>,
    pub kmo_per_item: Option<Vec<f64>>,
    pub bartlett: Option<Bartlett>,
    /// Eigenvalues of the correlation matrix, descending (for the scree plot).
    pub eigenvalues: Vec<f64>,
    pub n_factors: usize,
    /// dimensions, kaiser or fixed.
    pub n_factors_rule: String,
    /// The method of `loadings`, `communalities` and `uniquenesses` (minres).
    pub method: String,
    pub rotation: String,
    pub loadings: Option<Vec<Vec<f64>>>,
    pub communalities: Option<Vec<f64>>,
    pub uniquenesses: Option<Vec<f64>>,
    pub minres: Option<FactorSolution>,
    /// Principal-component extraction, varimax-rotated.
    pub principal: Option<FactorSolution>,
    /// Items that load highest off their dimension's factor (construct validity).
    pub off_dimension: Vec<OffDimension>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Warning {
    /// The node, item or section concerned.
    pub scope: String,
    pub message: String,
}

impl Warning {
    pub fn new(scope: impl Into<String>, message: impl Into<String>) -> Self {
        Warning { scope: scope.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Omitted {
    pub statistic: String,
    pub reason: String,
}

impl Omitted {
    pub fn new(statistic: impl Into<String>, reason: impl Into<String>) -> Self {
        Omitted { statistic: statistic.into(), reason: reason.into() }
    }
}
