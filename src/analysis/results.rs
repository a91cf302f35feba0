//! The results document (`results.json`). Field names are a contract with scripts: see
//! docs/results-schema.md and the semver promise there. Add fields freely; never rename or
//! remove one without a major version bump.

use serde::{Deserialize, Serialize};

use super::options::MissingPolicy;
use crate::model::{Language, Role};
use crate::stats::descriptive::Frequency;
use crate::stats::factor::{Bartlett, FactorSolution};

pub const SCHEMA_VERSION: &str = "1.1.0";

/// A level of the indicator tree that drivers, IPA, priorities and reliability report on
/// (written `"dimension"` or `"indicator"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeLevel {
    /// The root's children.
    Dimension,
    /// Nodes below the dimensions.
    Indicator,
}

impl TreeLevel {
    /// The name as written in results.json.
    pub fn as_str(self) -> &'static str {
        match self {
            TreeLevel::Dimension => "dimension",
            TreeLevel::Indicator => "indicator",
        }
    }
}

impl std::fmt::Display for TreeLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Martilla & James quadrant of an importance–performance point (written in snake case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important and below the performance cross: improve here first.
    ConcentrateHere,
    /// Important and performing: keep it up.
    KeepUp,
    /// Neither important nor performing.
    LowPriority,
    /// Performing beyond its importance.
    PossibleOverkill,
}

impl Quadrant {
    /// The name as written in results.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::ConcentrateHere => "concentrate_here",
            Quadrant::KeepUp => "keep_up",
            Quadrant::LowPriority => "low_priority",
            Quadrant::PossibleOverkill => "possible_overkill",
        }
    }
}

impl std::fmt::Display for Quadrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub use crate::json::f64_or_nan;

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
    /// Driver analysis of the overall item (or the index).
    #[serde(default)]
    pub drivers: Option<DriversResult>,
    #[serde(default)]
    pub ipa: Option<IpaResult>,
    /// The ranked improvement list: concentrate-here first.
    #[serde(default)]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub gaps: Option<GapsResult>,
    #[serde(default)]
    pub segments: Vec<SegmentResult>,
    #[serde(default)]
    pub nps: Option<NpsResult>,
    #[serde(default)]
    pub headline: Option<Headline>,
    /// Weights of every sibling group: used, AHP consistency, and data-derived alternatives.
    #[serde(default)]
    pub weights: Vec<WeightGroup>,
    #[serde(default)]
    pub fuzzy: Option<FuzzyResult>,
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
    #[serde(deserialize_with = "f64_or_nan")]
    pub n_weighted: f64,
    /// Kish's effective sample size (Σw)²/Σw².
    #[serde(deserialize_with = "f64_or_nan")]
    pub n_effective: f64,
    /// Achieved margin of error at 95% for a proportion of 0.5, from the effective n, with the
    /// finite population correction when the plan gives the population size.
    #[serde(deserialize_with = "f64_or_nan")]
    pub margin_of_error: f64,
    pub population_size: Option<u64>,
    pub planned_n: Option<u64>,
    /// Respondents with a quality flag (kept unless imported with --drop-flagged).
    pub flagged: usize,
    pub weight_column: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeightedItem {
    #[serde(deserialize_with = "f64_or_nan")]
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
    #[serde(deserialize_with = "f64_or_nan")]
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
    #[serde(deserialize_with = "f64_or_nan")]
    pub weight: f64,
    /// Product of local weights from the root.
    #[serde(deserialize_with = "f64_or_nan")]
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
    pub scope: TreeLevel,
    pub k: usize,
    /// Smallest pairwise n (pairwise) or complete rows (listwise).
    pub n: usize,
    #[serde(deserialize_with = "f64_or_nan")]
    pub alpha: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub alpha_std: f64,
    /// Mean inter-item correlation.
    #[serde(deserialize_with = "f64_or_nan")]
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
    #[serde(deserialize_with = "f64_or_nan")]
    pub loading: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub loading_on_dimension_factor: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorResult {
    /// Complete respondents used (listwise), or the smallest pairwise n (pairwise).
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
        Warning {
            scope: scope.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Omitted {
    pub statistic: String,
    pub reason: String,
}

impl Omitted {
    pub fn new(statistic: impl Into<String>, reason: impl Into<String>) -> Self {
        Omitted {
            statistic: statistic.into(),
            reason: reason.into(),
        }
    }
}

// ---- Part 2: where to improve -------------------------------------------------------------

/// What the driver analysis explains.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    /// The overall-satisfaction item id, or "index" for the root index.
    pub id: String,
    pub label: String,
    /// item or index.
    pub kind: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DriverCoefficient {
    pub id: String,
    pub name: String,
    /// Pearson correlation with the outcome (pairwise) and its p-value.
    pub r: Option<f64>,
    pub r_p: Option<f64>,
    #[serde(deserialize_with = "f64_or_nan")]
    pub b: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub se: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub t: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub p: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub std_beta: f64,
    pub vif: Option<f64>,
    /// Johnson's relative weight (sums to R² over predictors).
    pub relative_weight: Option<f64>,
    /// Relative weight as % of R².
    pub relative_weight_pct: Option<f64>,
    /// Shapley/dominance share of R² (when there are 10 predictors or fewer).
    pub shapley_r2: Option<f64>,
    /// Mean of the stated-importance item for this node, on 0–100, when the survey has one.
    pub stated_importance: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DriverLevel {
    /// dimension or indicator.
    pub level: TreeLevel,
    pub n: usize,
    #[serde(deserialize_with = "f64_or_nan")]
    pub r2: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub adj_r2: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub f: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub f_p: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub df_model: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub df_resid: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub intercept: f64,
    pub coefficients: Vec<DriverCoefficient>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DriversResult {
    pub outcome: Outcome,
    /// OLS on listwise-complete respondents (unweighted).
    pub missing: MissingPolicy,
    pub levels: Vec<DriverLevel>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IpaPoint {
    pub id: String,
    pub name: String,
    pub level: TreeLevel,
    /// Importance as a share (importances of the level sum to 1).
    #[serde(deserialize_with = "f64_or_nan")]
    pub importance: f64,
    /// The node's 0–100 score.
    #[serde(deserialize_with = "f64_or_nan")]
    pub performance: f64,
    /// concentrate_here, keep_up, low_priority or possible_overkill.
    pub quadrant: Quadrant,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IpaResult {
    /// relative_weight or beta.
    pub importance_measure: String,
    /// mean or midpoint.
    pub cross: String,
    pub levels: Vec<IpaLevel>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IpaLevel {
    pub level: TreeLevel,
    #[serde(deserialize_with = "f64_or_nan")]
    pub importance_cross: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub performance_cross: f64,
    pub points: Vec<IpaPoint>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Priority {
    pub rank: usize,
    pub id: String,
    pub name: String,
    pub level: TreeLevel,
    pub quadrant: Quadrant,
    #[serde(deserialize_with = "f64_or_nan")]
    pub importance: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub performance: f64,
    /// importance × (100 − performance).
    #[serde(deserialize_with = "f64_or_nan")]
    pub priority_score: f64,
}

/// Expectation against perception (SERVQUAL) for one attribute or one dimension: the same
/// fields, written flat into both.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapStats {
    pub n: usize,
    #[serde(deserialize_with = "f64_or_nan")]
    pub mean_expectation: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub mean_perception: f64,
    /// Mean of P − E.
    #[serde(deserialize_with = "f64_or_nan")]
    pub gap: f64,
    pub t: Option<f64>,
    pub df: Option<f64>,
    pub p: Option<f64>,
    /// Share of respondents with P < E.
    #[serde(deserialize_with = "f64_or_nan")]
    pub share_not_met: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub exceeded: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub met: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub below: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapAttribute {
    pub attribute: String,
    pub dimension: Option<String>,
    pub expectation: String,
    pub perception: String,
    #[serde(flatten)]
    pub stats: GapStats,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapDimension {
    pub id: String,
    pub name: String,
    pub attributes: usize,
    #[serde(flatten)]
    pub stats: GapStats,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapsResult {
    pub attributes: Vec<GapAttribute>,
    pub dimensions: Vec<GapDimension>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SegmentNode {
    pub id: String,
    pub score: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub n: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SegmentGroup {
    pub value: String,
    pub n: usize,
    #[serde(deserialize_with = "f64_or_nan")]
    pub n_weighted: f64,
    pub index: Option<f64>,
    pub nodes: Vec<SegmentNode>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SegmentTest {
    pub node: String,
    /// welch_t (2 groups) or welch_anova.
    pub test: String,
    #[serde(deserialize_with = "f64_or_nan")]
    pub statistic: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub df1: f64,
    pub df2: Option<f64>,
    #[serde(deserialize_with = "f64_or_nan")]
    pub p: f64,
    /// cohen_d or eta_squared.
    pub effect: String,
    #[serde(deserialize_with = "f64_or_nan")]
    pub effect_size: f64,
    pub significant: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Crosstab {
    pub question: String,
    pub groups: Vec<String>,
    pub options: Vec<String>,
    /// Counts, one row per group.
    pub table: Vec<Vec<f64>>,
    pub chi2: Option<f64>,
    pub dof: Option<f64>,
    pub p: Option<f64>,
    pub cramers_v: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SegmentResult {
    pub by: String,
    /// How survey weights enter: group scores are weighted, tests use unweighted scores.
    pub weighting: String,
    pub groups: Vec<SegmentGroup>,
    pub tests: Vec<SegmentTest>,
    pub crosstabs: Vec<Crosstab>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NpsResult {
    pub item: String,
    #[serde(flatten)]
    pub value: crate::stats::inference::Nps,
    pub weighted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeadlineItem {
    pub item: String,
    pub role: String,
    pub mean: Option<f64>,
    pub top2box: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Headline {
    /// CSAT on the overall item: top-2-box % and the mean (convention recorded).
    pub csat: Option<Csat>,
    /// Customer effort: mean of the effort item.
    pub ces: Option<HeadlineItem>,
    pub loyalty: Vec<HeadlineItem>,
    pub complaint: Option<ChoiceResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Csat {
    pub item: String,
    pub convention: String,
    #[serde(deserialize_with = "f64_or_nan")]
    pub csat: f64,
    #[serde(deserialize_with = "f64_or_nan")]
    pub mean: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeightGroup {
    pub node: String,
    /// explicit, equal, ahp, entropy or regression.
    pub method: String,
    pub children: Vec<String>,
    /// The weights used in the index.
    pub used: Vec<f64>,
    pub ahp: Option<crate::stats::ahp::AhpResult>,
    pub ahp_consistent: Option<bool>,
    /// Entropy weights from the children's respondent scores.
    pub entropy: Option<Vec<f64>>,
    /// Relative weights of the outcome on the children's scores, normalised.
    pub regression: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FuzzyNode {
    pub id: String,
    pub name: String,
    pub membership: Vec<f64>,
    /// The grade with the largest membership.
    pub grade: String,
    #[serde(deserialize_with = "f64_or_nan")]
    pub score: f64,
    /// The grade of the largest membership (schema 1.1; in 1.0 files this was `grade`).
    #[serde(default)]
    pub max_membership_grade: String,
    /// The grade of the weighted score's band: the grade whose evenly spaced score is nearest
    /// to `score` (schema 1.1; empty in older files).
    #[serde(default)]
    pub score_grade: String,
    /// Whether `max_membership_grade` and `score_grade` are the same (schema 1.1).
    #[serde(default = "agree_by_default")]
    pub grades_agree: bool,
    /// The effectiveness α of the maximum-membership principle (null: one grade holds all the
    /// membership). `grade` is the maximum-membership grade where α ≥ 0.5, else `score_grade`
    /// (schema 1.1).
    #[serde(default)]
    pub effectiveness: Option<f64>,
}

fn agree_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FuzzyResult {
    pub operator: crate::stats::fuzzy::Operator,
    pub grades: Vec<String>,
    pub grade_scores: Vec<f64>,
    pub nodes: Vec<FuzzyNode>,
}

/// `x` where it is finite: results.json writes a missing or undefined number as null.
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
