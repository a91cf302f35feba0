//! What an analysis is asked to do: missing-data policy, number of factors, threads, and the
//! choices of the improvement stages (importance measure, IPA crosshairs, segments, fuzzy
//! operator, CSAT convention). Plain values; `pipeline::settings` spells them by name.

use crate::stats::fuzzy::Operator;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    Pairwise,
    Listwise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorRule {
    /// As many factors as top-level dimensions (the default).
    Dimensions,
    /// Eigenvalues above 1.
    Kaiser,
    Fixed(usize),
}

#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// Survey weight column; `None` uses the survey's [respondents] weight if the data has it.
    pub weight: Option<String>,
    pub missing: MissingPolicy,
    pub factors: FactorRule,
    /// The correlations of KMO, Bartlett and the factor analysis: listwise (the default) or
    /// pairwise-complete (R psych's `use = "pairwise"`), for wide surveys where few answer every
    /// item.
    pub factor_missing: MissingPolicy,
    pub threads: usize,
    /// Name of the input, recorded in the results.
    pub input: String,
    /// Part 2: drivers, IPA, segments, fuzzy evaluation.
    pub improve: ImproveOptions,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            weight: None,
            missing: MissingPolicy::Pairwise,
            factors: FactorRule::Dimensions,
            factor_missing: MissingPolicy::Listwise,
            threads: 2,
            input: String::new(),
            improve: ImproveOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Importance {
    RelativeWeight,
    Beta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpaCross {
    Mean,
    Midpoint,
}

#[derive(Debug, Clone)]
pub struct ImproveOptions {
    pub importance: Importance,
    pub ipa_cross: IpaCross,
    pub by: Vec<String>,
    pub fuzzy_operator: Operator,
    /// CSAT convention: the share of answers in the top `csat_top` points of the overall item's
    /// scale (1, 2 or 3; 2 is the usual top-2-box).
    pub csat_top: u8,
}

impl Default for ImproveOptions {
    fn default() -> Self {
        ImproveOptions {
            importance: Importance::RelativeWeight,
            ipa_cross: IpaCross::Mean,
            by: Vec::new(),
            fuzzy_operator: Operator::WeightedAverage,
            csat_top: 2,
        }
    }
}
