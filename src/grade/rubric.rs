//! The grading rubric and its TOML parser.
//!
//! A rubric awards points for required elements (`[[criterion]]` with a built-in `check`),
//! deducts points for lint findings (`[[deduction]]` by rule or by severity, with caps), and maps
//! the share of points to grade bands (`[[band]]`). Its optional `[lint]` table configures the
//! lint exactly like a `--rules` file. docs/grading.md describes the format.
//!
//! Parsing is two steps: serde reads the text into `Raw*` structs that mirror the file, then one
//! function per table kind (criterion, deduction, band) checks it into the typed [`Rubric`], with
//! the rubric line of every problem and a cure in the error.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::error::{Error, Result};
use crate::lint::{self, LintConfig};

/// The most points a criterion or deduction may carry, so that no sum of them overflows to
/// infinity (two criteria of 1e308 did).
pub const MAX_POINTS: f64 = 1_000_000.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    rubric: Option<RawRubricMeta>,
    #[serde(default)]
    criterion: Vec<RawCriterion>,
    #[serde(default)]
    deduction: Vec<RawDeduction>,
    #[serde(default)]
    band: Vec<RawBand>,
    lint: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubricMeta {
    name: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: String,
    description: Option<String>,
    points: f64,
    check: String,
    min: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeduction {
    id: String,
    description: Option<String>,
    rule: Option<String>,
    rules: Option<Vec<String>>,
    severity: Option<String>,
    points: f64,
    cap: Option<f64>,
    cap_per_rule: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    name: String,
    min: f64,
}

/// What a criterion checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `[plan]` with objective, population, methods and sample_size (a quarter of the points each).
    Plan,
    /// `[preface]` with purpose, confidentiality and minutes (a third each).
    Preface,
    /// `[closing]` with thanks.
    Closing,
    /// At least `min` dimensions in the tree.
    Dimensions,
    /// At least `min` body questions.
    Questions,
    /// At least `min` (default 1) profile questions on buying behaviour.
    Profile,
    /// The last body question is open (type = "text").
    OpenFinal,
    /// The survey passes `satkit check` as written: a valid tree whose weights sum to 1.
    ValidTree,
    /// An overall-satisfaction item.
    Overall,
}

const CHECKS: &[(&str, Check)] = &[
    ("plan", Check::Plan),
    ("preface", Check::Preface),
    ("closing", Check::Closing),
    ("dimensions", Check::Dimensions),
    ("questions", Check::Questions),
    ("profile", Check::Profile),
    ("open_final", Check::OpenFinal),
    ("valid_tree", Check::ValidTree),
    ("overall", Check::Overall),
];

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub description: String,
    pub points: f64,
    pub check: Check,
    pub min: u64,
}

/// Which findings a deduction charges.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Rules(Vec<String>),
    Severity(Severity),
}

#[derive(Debug, Clone)]
pub struct Deduction {
    pub id: String,
    pub description: String,
    pub matcher: Matcher,
    /// Points per finding; 0 lists the findings in the feedback without taking points (e.g.
    /// weight errors that a criterion already marks down).
    pub points: f64,
    /// Most points this deduction takes in all.
    pub cap: Option<f64>,
    /// Most points it takes for findings of one rule.
    pub cap_per_rule: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Band {
    pub name: String,
    pub min: f64,
}

/// A checked rubric.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub name: String,
    pub criteria: Vec<Criterion>,
    pub deductions: Vec<Deduction>,
    /// Highest minimum first; the last has minimum 0.
    pub bands: Vec<Band>,
    pub lint: LintConfig,
}

impl Rubric {
    pub fn max_points(&self) -> f64 {
        self.criteria.iter().map(|c| c.points).sum()
    }

    /// The band for a share of the maximum points.
    pub fn band(&self, share: f64) -> &str {
        self.bands
            .iter()
            .find(|b| share + 1e-9 >= b.min)
            .or(self.bands.last())
            .map_or("", |b| b.name.as_str())
    }

    /// Read and check a rubric file.
    ///
    /// # Errors
    /// [`Error::Io`], or [`Error::BadData`] with the line of the problem and a cure.
    pub fn from_file(path: &Path) -> Result<Rubric> {
        let text = crate::input::read_to_string(path)?;
        Rubric::from_str(path, &text)
    }

    /// Parse rubric text; `path` is used in messages.
    ///
    /// # Errors
    /// [`Error::BadData`] with the line of the problem and a cure.
    pub fn from_str(path: &Path, text: &str) -> Result<Rubric> {
        let src = RubricText { path, text };
        let raw: RawRubric = toml::from_str(text).map_err(|e| {
            let (span, message) = crate::toml_source::parse_error(&e, text);
            let line =
                span.map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1);
            src.bad(
                line,
                message,
                "fix the rubric; docs/grading.md lists every key",
            )
        })?;
        let mut ids: Vec<String> = Vec::new();
        let criteria = raw
            .criterion
            .into_iter()
            .map(|c| src.criterion(c, &mut ids))
            .collect::<Result<Vec<_>>>()?;
        if criteria.is_empty() {
            return Err(src.bad(
                None,
                "the rubric has no [[criterion]]".into(),
                "add [[criterion]] entries with id, points and check",
            ));
        }
        let deductions = raw
            .deduction
            .into_iter()
            .map(|d| src.deduction(d, &mut ids))
            .collect::<Result<Vec<_>>>()?;
        let bands = src.bands(raw.band)?;
        let lint = match &raw.lint {
            Some(t) => {
                let at = crate::toml_source::TomlSource::parse(path, text, "")
                    .map(|(src, _)| src)
                    .unwrap_or_else(|_| crate::toml_source::TomlSource::without_spans(path, text));
                LintConfig::from_table_at(t, &at, &["lint"])?
            }
            None => LintConfig::default(),
        };
        Ok(Rubric {
            name: raw
                .rubric
                .and_then(|r| r.name.or(r.description))
                .unwrap_or_else(|| path.display().to_string()),
            criteria,
            deductions,
            bands,
            lint,
        })
    }
}

/// The rubric text being parsed, for locating problems in messages.
struct RubricText<'a> {
    path: &'a Path,
    text: &'a str,
}

impl RubricText<'_> {
    /// The 1-based line of the first `key = "value"` in the text.
    fn line_of(&self, key: &str, value: &str) -> Option<u64> {
        self.text
            .lines()
            .position(|l| {
                let t = l.trim_start();
                t.starts_with(key) && t.contains(&format!("\"{value}\""))
            })
            .map(|i| i as u64 + 1)
    }

    fn bad(&self, line: Option<u64>, msg: String, help: &str) -> Error {
        Error::bad_data(self.path, line, None, msg, help)
    }

    /// Check a criterion or deduction id: a valid column name, unique, not a fixed column.
    fn check_id(&self, id: &str, ids: &mut Vec<String>) -> Result<()> {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(self.bad(
                self.line_of("id", id),
                format!("id '{id}' must be letters, digits, '_' or '-'"),
                "ids become gradebook column names",
            ));
        }
        if ["student", "file", "total", "max", "band"].contains(&id) || ids.iter().any(|x| x == id)
        {
            return Err(self.bad(
                self.line_of("id", id),
                format!("id '{id}' is used twice or names a fixed gradebook column"),
                "give every criterion and deduction its own id",
            ));
        }
        ids.push(id.to_string());
        Ok(())
    }

    fn criterion(&self, c: RawCriterion, ids: &mut Vec<String>) -> Result<Criterion> {
        self.check_id(&c.id, ids)?;
        let Some(check) = CHECKS.iter().find(|(n, _)| *n == c.check).map(|(_, k)| *k) else {
            return Err(self.bad(
                self.line_of("check", &c.check),
                format!("criterion '{}': unknown check '{}'", c.id, c.check),
                &format!(
                    "use one of: {}",
                    CHECKS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        if !(c.points > 0.0 && c.points <= MAX_POINTS) {
            return Err(self.bad(
                self.line_of("id", &c.id),
                format!(
                    "criterion '{}': points must be positive and at most {MAX_POINTS}",
                    c.id
                ),
                "write e.g. points = 10",
            ));
        }
        let min = match (check, c.min) {
            (Check::Dimensions | Check::Questions, None) => {
                return Err(self.bad(
                    self.line_of("id", &c.id),
                    format!("criterion '{}' ({}) needs `min`", c.id, c.check),
                    "write e.g. min = 4",
                ));
            }
            (_, m) => m.unwrap_or(1),
        };
        Ok(Criterion {
            description: c.description.unwrap_or_else(|| c.check.clone()),
            id: c.id,
            points: c.points,
            check,
            min,
        })
    }

    fn deduction(&self, d: RawDeduction, ids: &mut Vec<String>) -> Result<Deduction> {
        self.check_id(&d.id, ids)?;
        let line = self.line_of("id", &d.id);
        let matcher = self.matcher(&d.id, d.rule, d.rules, d.severity, line)?;
        let nonneg = |x: Option<f64>| x.is_none_or(|v| (0.0..=MAX_POINTS).contains(&v));
        if !nonneg(Some(d.points)) || !nonneg(d.cap) || !nonneg(d.cap_per_rule) {
            return Err(self.bad(
                line,
                format!(
                    "deduction '{}': points and caps must be between 0 and {MAX_POINTS}",
                    d.id
                ),
                "write e.g. points = 1, cap = 5 (points = 0 lists the findings without taking points)",
            ));
        }
        Ok(Deduction {
            description: d.description.unwrap_or_else(|| match &matcher {
                Matcher::Rules(r) => r.join(", "),
                Matcher::Severity(s) => format!("{s} findings"),
            }),
            id: d.id,
            matcher,
            points: d.points,
            cap: d.cap,
            cap_per_rule: d.cap_per_rule,
        })
    }

    /// Which findings a deduction charges: exactly one of `rule`, `rules` and `severity`, with
    /// every rule a known lint rule.
    fn matcher(
        &self,
        id: &str,
        rule: Option<String>,
        rules: Option<Vec<String>>,
        severity: Option<String>,
        line: Option<u64>,
    ) -> Result<Matcher> {
        let matcher = match (rule, rules, severity) {
            (Some(r), None, None) => Matcher::Rules(vec![r]),
            (None, Some(rs), None) if !rs.is_empty() => Matcher::Rules(rs),
            (None, None, Some(s)) => match lint::Level::parse(&s) {
                Some(lint::Level::On(sev)) => Matcher::Severity(sev),
                _ => {
                    return Err(self.bad(
                        line,
                        format!("deduction '{id}': severity '{s}' is not known"),
                        "write severity = \"error\", \"warning\" or \"info\"",
                    ));
                }
            },
            _ => {
                return Err(self.bad(
                    line,
                    format!("deduction '{id}' needs exactly one of rule, rules and severity"),
                    "write e.g. rule = \"double_barrelled\" or severity = \"error\"",
                ));
            }
        };
        if let Matcher::Rules(rs) = &matcher {
            for r in rs {
                if lint::rules::rule(r).is_none() {
                    let hint = lint::rules::suggest(r)
                        .map(|s| format!("did you mean '{s}'? "))
                        .unwrap_or_default();
                    return Err(self.bad(
                        self.line_of("rule", r).or(line),
                        format!("deduction '{id}': unknown lint rule '{r}'"),
                        &format!("{hint}docs/lint-rules.md lists every rule"),
                    ));
                }
            }
        }
        Ok(matcher)
    }

    /// The bands, highest minimum first; there must be one, and the lowest must start at 0.
    fn bands(&self, raw: Vec<RawBand>) -> Result<Vec<Band>> {
        let mut bands: Vec<Band> = raw
            .into_iter()
            .map(|b| Band {
                name: b.name,
                min: b.min,
            })
            .collect();
        if bands.is_empty() {
            return Err(self.bad(
                None,
                "the rubric has no [[band]]".into(),
                "add grade bands, e.g. [[band]] name = \"A\" min = 0.9 … [[band]] name = \"F\" min = 0",
            ));
        }
        for b in &bands {
            if !(0.0..=1.0).contains(&b.min) {
                return Err(self.bad(
                    self.line_of("name", &b.name),
                    format!(
                        "band '{}': min {} is not a share between 0 and 1",
                        b.name, b.min
                    ),
                    "write the minimum share of the points, e.g. min = 0.9",
                ));
            }
        }
        bands.sort_by(|a, b| {
            b.min
                .partial_cmp(&a.min)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        if bands.last().is_some_and(|b| b.min > 0.0) {
            return Err(self.bad(
                None,
                "no band starts at 0, so low scores would get no band".into(),
                "add a lowest band with min = 0, e.g. name = \"F\"",
            ));
        }
        Ok(bands)
    }
}
