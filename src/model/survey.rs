//! The validated survey model: metadata, plan, preface and closing, named scales, profile and body
//! questions, and the indicator tree, with the lookups the rest of satkit uses.
//!
//! Plain data with no I/O: [`super::validate`] builds these types from [`super::raw`], and
//! `model/mod.rs` (which loads files) re-exports them, so the file graph runs one way only:
//! `mod.rs` → `validate` → `survey` → `tree`.

use serde::Serialize;

use super::tree::Tree;
use crate::diagnostic::{Diagnostic, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Zh,
    En,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub language: Language,
    pub version: String,
    pub organisation: Option<String>,
    pub author: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub objective: Option<String>,
    pub population: Option<String>,
    pub scope: Option<String>,
    pub methods: Vec<String>,
    pub sample_size: Option<u64>,
    pub population_size: Option<u64>,
    pub margin: Option<f64>,
    pub confidence: Option<f64>,
    pub response_rate: Option<f64>,
    pub field_start: Option<String>,
    pub field_end: Option<String>,
}

/// The research methods a plan may name.
pub const PLAN_METHODS: &[&str] = &[
    "secondary_data",
    "internal_interviews",
    "questionnaire",
    "in_depth_interviews",
    "focus_groups",
];

/// The most points a scale may have (`max - min + 1`): a 0–100 slider is the widest scale a
/// questionnaire uses. Survey validation and the results.json reader both hold values to it.

#[derive(Debug, Clone, Default, Serialize)]
pub struct Preface {
    pub purpose: Option<String>,
    pub confidentiality: Option<String>,
    pub minutes: Option<f64>,
    pub instructions: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Closing {
    pub thanks: Option<String>,
    pub contact: Option<String>,
}

/// Columns of the response file that describe the respondent rather than answer a question.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Respondents {
    pub id: Option<String>,
    pub weight: Option<String>,
    pub duration: Option<String>,
    pub attributes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    pub name: String,
    pub min: i64,
    pub max: i64,
    /// One label per point from `min` to `max` (an empty string for a point without a label, as
    /// when only the end points are anchored), or empty.
    pub labels: Vec<String>,
    /// The code that means "not applicable"; treated as missing in analysis.
    pub na_code: Option<i64>,
    pub na_label: Option<String>,
    /// True when higher codes mean better (the default).
    pub ascending: bool,
    pub builtin: bool,
}

impl Scale {
    /// `max - min + 1`, computed without overflow (0 for an inverted range); validation bounds
    /// it by [`super::bounds::MAX_SCALE_POINTS`].
    pub fn points(&self) -> usize {
        usize::try_from(self.max.saturating_sub(self.min)).map_or(0, |d| d.saturating_add(1))
    }

    pub fn label(&self, code: i64) -> Option<&str> {
        if code < self.min || code > self.max {
            return None;
        }
        let offset = usize::try_from(code.checked_sub(self.min)?).ok()?;
        self.labels
            .get(offset)
            .map(String::as_str)
            .filter(|l| !l.is_empty())
    }

    /// The code of an exact label, if any (unlabelled points match nothing).
    pub fn code_of(&self, label: &str) -> Option<i64> {
        if label.is_empty() {
            return None;
        }
        self.labels
            .iter()
            .position(|l| l == label)
            .map(|i| self.min + i as i64)
    }

    /// Score a code on 0–100 with higher always better (the scale direction is applied here).
    pub fn to_score(&self, code: f64) -> f64 {
        let s = 100.0 * (code - self.min as f64) / (self.max as f64 - self.min as f64);
        if self.ascending { s } else { 100.0 - s }
    }
}

/// Scales every survey may use without declaring them.
pub fn builtin_scales(language: Language) -> Vec<Scale> {
    let zh = language == Language::Zh;
    let s = |name: &str, min: i64, max: i64, labels: &[&str]| Scale {
        name: name.to_string(),
        min,
        max,
        labels: labels.iter().map(|l| l.to_string()).collect(),
        na_code: None,
        na_label: None,
        ascending: true,
        builtin: true,
    };
    vec![
        if zh {
            s(
                "likert5",
                1,
                5,
                &["非常不满意", "不满意", "一般", "满意", "非常满意"],
            )
        } else {
            s(
                "likert5",
                1,
                5,
                &[
                    "Very dissatisfied",
                    "Dissatisfied",
                    "Neutral",
                    "Satisfied",
                    "Very satisfied",
                ],
            )
        },
        if zh {
            s(
                "agree5",
                1,
                5,
                &["非常不同意", "不同意", "中立", "同意", "非常同意"],
            )
        } else {
            s(
                "agree5",
                1,
                5,
                &[
                    "Strongly disagree",
                    "Disagree",
                    "Neutral",
                    "Agree",
                    "Strongly agree",
                ],
            )
        },
        if zh {
            s(
                "agree7",
                1,
                7,
                &[
                    "非常不同意",
                    "不同意",
                    "有点不同意",
                    "中立",
                    "有点同意",
                    "同意",
                    "非常同意",
                ],
            )
        } else {
            s(
                "agree7",
                1,
                7,
                &[
                    "Strongly disagree",
                    "Disagree",
                    "Somewhat disagree",
                    "Neutral",
                    "Somewhat agree",
                    "Agree",
                    "Strongly agree",
                ],
            )
        },
        s("score10", 1, 10, &[]),
        s("nps11", 0, 10, &[]),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Rating,
    Single,
    Multiple,
    Numeric,
    Text,
    Nps,
}

impl QuestionKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "rating" => QuestionKind::Rating,
            "single" => QuestionKind::Single,
            "multiple" => QuestionKind::Multiple,
            "numeric" => QuestionKind::Numeric,
            "text" => QuestionKind::Text,
            "nps" => QuestionKind::Nps,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Rating => "rating",
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Numeric => "numeric",
            QuestionKind::Text => "text",
            QuestionKind::Nps => "nps",
        }
    }

    /// Rating and NPS items are on a scale and can enter the index.
    pub fn is_scaled(self) -> bool {
        matches!(self, QuestionKind::Rating | QuestionKind::Nps)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Overall,
    Repurchase,
    Recommend,
    Complaint,
    Effort,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "overall" => Role::Overall,
            "repurchase" => Role::Repurchase,
            "recommend" => Role::Recommend,
            "complaint" => Role::Complaint,
            "effort" => Role::Effort,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measures {
    Expectation,
    Perception,
    Importance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Profile,
    Body,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub kind: QuestionKind,
    /// The resolved scale name for rating and NPS items.
    pub scale: Option<String>,
    pub reverse: bool,
    pub role: Option<Role>,
    /// For profile questions: what the question is about (when, where, what, frequency, channel,
    /// tier, demographic, contact, other).
    pub topic: Option<String>,
    /// Choice labels, coded 1..=n in this order.
    pub choices: Vec<String>,
    pub max_choices: Option<u32>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
    pub unit: Option<String>,
    /// SERVQUAL attribute this item belongs to, with what it measures.
    pub attribute: Option<String>,
    pub measures: Option<Measures>,
    /// The respondent may answer "not applicable".
    pub na: bool,
    pub required: bool,
    pub help: Option<String>,
    pub aliases: Vec<String>,
    pub section: Section,
    /// Index of the leaf node that this question measures.
    pub node: Option<usize>,
    /// Byte span of the question's `id` value in the survey file.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

/// A validated survey.
#[derive(Debug, Clone)]
pub struct Survey {
    pub meta: Meta,
    pub plan: Option<Plan>,
    pub preface: Option<Preface>,
    pub closing: Option<Closing>,
    pub respondents: Respondents,
    /// Declared scales in file order, then the built-in ones.
    pub scales: Vec<Scale>,
    pub profile: Vec<Question>,
    pub questions: Vec<Question>,
    pub tree: Tree,
    /// The `[simulate]` table, when the file has one.
    pub simulate: Option<super::simulate_spec::SimulateSpec>,
    pub source: SourceFile,
}

/// The outcome of reading a survey: the model when there are no errors, and every diagnostic.
pub struct Checked {
    pub survey: Option<Survey>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Survey {
    pub fn scale(&self, name: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.name == name)
    }

    /// All questions, profile first, in print order of each section.
    pub fn all_questions(&self) -> impl Iterator<Item = &Question> {
        self.profile.iter().chain(self.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.all_questions().find(|q| q.id == id)
    }

    /// The scale of a rating or NPS question.
    pub fn question_scale(&self, q: &Question) -> Option<&Scale> {
        q.scale.as_deref().and_then(|s| self.scale(s))
    }

    /// The item with a given role, if the survey has one.
    pub fn role_item(&self, role: Role) -> Option<&Question> {
        self.questions.iter().find(|q| q.role == Some(role))
    }

    pub fn is_zh(&self) -> bool {
        self.meta.language == Language::Zh
    }
}
