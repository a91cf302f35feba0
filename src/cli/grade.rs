//! `satkit grade`: grade a batch of student questionnaires against a rubric.
//!
//! A rubric (TOML) awards points for required elements (`[[criterion]]` with a built-in `check`),
//! deducts points for lint findings (`[[deduction]]` by rule or by severity, with caps), and maps
//! the share of points to grade bands (`[[band]]`). Its optional `[lint]` table configures the
//! lint exactly like a `--rules` file. docs/grading.md describes the format.
//!
//! Every submission is graded independently: one that does not parse or validate gets 0 points
//! and its `satkit check` diagnostics in its feedback, and never stops the batch. A survey whose
//! only errors are weight errors is still graded (see [`crate::lint`]); it loses the `valid_tree`
//! criterion and the weight findings count as lint errors. Output files are written atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::data::table::neutralise_formula;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::lint::{self, LintConfig, Loaded, Outcome};
use crate::model::QuestionKind;
use crate::model::validate::fmt_num;
use crate::output::{refuse_overwrite, write_atomic};

const EXAMPLES: &str = "\
Examples:
  satkit grade submissions/ --rubric surveys/rubrics/default.toml -o gradebook.csv
  satkit grade a.toml b.toml --rubric surveys/rubrics/default-zh.toml -o grades.csv --feedback feedback/
  satkit grade class-3/ --rubric my-rubric.toml --name-from author

Each survey file is one student's submission; a directory is searched (recursively) for *.toml
files. The student is named after the file (a file called survey.toml after its directory), or
after [survey] author with --name-from author. The gradebook has one row per student, sorted by
name: student, file, total, max, band, then one column per criterion and per deduction.
docs/grading.md describes the rubric format.

Exit status: 0 when grading completed (also when some submissions could not be read),
2 for a bad rubric, a missing submission path or an unwritable output.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum NameFrom {
    /// The file name without extension (the directory name for survey.toml).
    #[default]
    File,
    /// `[survey] author`, falling back to the file name.
    Author,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Submissions: survey files, or directories of survey files (one file per student).
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// The rubric (TOML).
    #[arg(long, value_name = "RUBRIC.toml")]
    pub rubric: PathBuf,
    /// The gradebook CSV to write ('-' for stdout).
    #[arg(short = 'o', long, value_name = "GRADEBOOK.csv", default_value = "-")]
    pub output: PathBuf,
    /// Write one Markdown feedback file per student into this directory.
    #[arg(long, value_name = "DIR")]
    pub feedback: Option<PathBuf>,
    /// Where student names come from.
    #[arg(long, value_enum, default_value_t = NameFrom::File)]
    pub name_from: NameFrom,
}

// ====================================================================== rubric

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
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Rubric::from_str(path, &text)
    }

    /// Parse rubric text; `path` is used in messages.
    ///
    /// # Errors
    /// [`Error::BadData`] with the line of the problem and a cure.
    pub fn from_str(path: &Path, text: &str) -> Result<Rubric> {
        let line_of = |key: &str, value: &str| -> Option<u64> {
            text.lines()
                .position(|l| {
                    let t = l.trim_start();
                    t.starts_with(key) && t.contains(&format!("\"{value}\""))
                })
                .map(|i| i as u64 + 1)
        };
        let bad = |line: Option<u64>, msg: String, help: &str| {
            Error::bad_data(path, line, None, msg, help)
        };
        let raw: RawRubric = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1);
            bad(
                line,
                e.message().trim().to_string(),
                "fix the rubric; docs/grading.md lists every key",
            )
        })?;
        let mut ids: Vec<String> = Vec::new();
        let mut check_id = |id: &str| -> Result<()> {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(bad(
                    line_of("id", id),
                    format!("id '{id}' must be letters, digits, '_' or '-'"),
                    "ids become gradebook column names",
                ));
            }
            if ["student", "file", "total", "max", "band"].contains(&id)
                || ids.iter().any(|x| x == id)
            {
                return Err(bad(
                    line_of("id", id),
                    format!("id '{id}' is used twice or names a fixed gradebook column"),
                    "give every criterion and deduction its own id",
                ));
            }
            ids.push(id.to_string());
            Ok(())
        };
        let mut criteria = Vec::new();
        for c in raw.criterion {
            check_id(&c.id)?;
            let Some(check) = CHECKS.iter().find(|(n, _)| *n == c.check).map(|(_, k)| *k) else {
                return Err(bad(
                    line_of("check", &c.check),
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
            if !(c.points > 0.0 && c.points.is_finite()) {
                return Err(bad(
                    line_of("id", &c.id),
                    format!("criterion '{}': points must be positive", c.id),
                    "write e.g. points = 10",
                ));
            }
            let min = match (check, c.min) {
                (Check::Dimensions | Check::Questions, None) => {
                    return Err(bad(
                        line_of("id", &c.id),
                        format!("criterion '{}' ({}) needs `min`", c.id, c.check),
                        "write e.g. min = 4",
                    ));
                }
                (_, m) => m.unwrap_or(1),
            };
            criteria.push(Criterion {
                description: c.description.unwrap_or_else(|| c.check.clone()),
                id: c.id,
                points: c.points,
                check,
                min,
            });
        }
        if criteria.is_empty() {
            return Err(bad(
                None,
                "the rubric has no [[criterion]]".into(),
                "add [[criterion]] entries with id, points and check",
            ));
        }
        let mut deductions = Vec::new();
        for d in raw.deduction {
            check_id(&d.id)?;
            let line = line_of("id", &d.id);
            let matcher = match (d.rule, d.rules, d.severity) {
                (Some(r), None, None) => Matcher::Rules(vec![r]),
                (None, Some(rs), None) if !rs.is_empty() => Matcher::Rules(rs),
                (None, None, Some(s)) => match lint::Level::parse(&s) {
                    Some(lint::Level::On(sev)) => Matcher::Severity(sev),
                    _ => {
                        return Err(bad(
                            line,
                            format!("deduction '{}': severity '{s}' is not known", d.id),
                            "write severity = \"error\", \"warning\" or \"info\"",
                        ));
                    }
                },
                _ => {
                    return Err(bad(
                        line,
                        format!(
                            "deduction '{}' needs exactly one of rule, rules and severity",
                            d.id
                        ),
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
                        return Err(bad(
                            line_of("rule", r).or(line),
                            format!("deduction '{}': unknown lint rule '{r}'", d.id),
                            &format!("{hint}docs/lint-rules.md lists every rule"),
                        ));
                    }
                }
            }
            let nonneg = |x: Option<f64>| x.is_none_or(|v| v >= 0.0 && v.is_finite());
            if !nonneg(Some(d.points)) || !nonneg(d.cap) || !nonneg(d.cap_per_rule) {
                return Err(bad(
                    line,
                    format!("deduction '{}': points and caps must not be negative", d.id),
                    "write e.g. points = 1, cap = 5 (points = 0 lists the findings without taking points)",
                ));
            }
            deductions.push(Deduction {
                description: d.description.unwrap_or_else(|| match &matcher {
                    Matcher::Rules(r) => r.join(", "),
                    Matcher::Severity(s) => format!("{s} findings"),
                }),
                id: d.id,
                matcher,
                points: d.points,
                cap: d.cap,
                cap_per_rule: d.cap_per_rule,
            });
        }
        let mut bands: Vec<Band> = raw
            .band
            .into_iter()
            .map(|b| Band {
                name: b.name,
                min: b.min,
            })
            .collect();
        if bands.is_empty() {
            return Err(bad(
                None,
                "the rubric has no [[band]]".into(),
                "add grade bands, e.g. [[band]] name = \"A\" min = 0.9 … [[band]] name = \"F\" min = 0",
            ));
        }
        for b in &bands {
            if !(0.0..=1.0).contains(&b.min) {
                return Err(bad(
                    line_of("name", &b.name),
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
            return Err(bad(
                None,
                "no band starts at 0, so low scores would get no band".into(),
                "add a lowest band with min = 0, e.g. name = \"F\"",
            ));
        }
        let lint = match &raw.lint {
            Some(t) => LintConfig::from_table(t, path, text)?,
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

// ====================================================================== grading

/// One awarded criterion.
#[derive(Debug, Clone)]
pub struct Award {
    pub points: f64,
    pub why: String,
    /// 1-based line of the survey it refers to.
    pub line: Option<usize>,
}

/// One finding charged by a deduction.
#[derive(Debug, Clone)]
pub struct Charge {
    pub finding: Diagnostic,
    /// Points taken (0 once a cap is reached).
    pub points: f64,
}

/// The grade of one submission.
#[derive(Debug, Clone)]
pub struct Grade {
    pub student: String,
    pub file: String,
    pub path: PathBuf,
    pub awards: Vec<Award>,
    pub charges: Vec<Vec<Charge>>,
    pub total: f64,
    pub max: f64,
    pub band: String,
    /// `satkit check` diagnostics when the submission could not be read.
    pub unreadable: Option<Vec<Diagnostic>>,
    /// The survey text, for quoting lines in feedback.
    pub source: Option<crate::diagnostic::SourceFile>,
}

impl Grade {
    pub fn deducted(&self, i: usize) -> f64 {
        self.charges[i].iter().map(|c| c.points).sum()
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn line_of(l: &Loaded, span: &std::ops::Range<usize>) -> usize {
    l.survey.source.line_col(span.start).0
}

/// Award one criterion.
fn award(c: &Criterion, l: &Loaded) -> Award {
    let s = &l.survey;
    let header_line = |name: &str| l.spans.headers.get(name).map(|r| line_of(l, r));
    let full = |ok: bool, yes: String, no: String, line: Option<usize>| Award {
        points: if ok { c.points } else { 0.0 },
        why: if ok { yes } else { no },
        line,
    };
    let parts = |have: Vec<&str>, missing: Vec<&str>, what: &str, line: Option<usize>| {
        let n = have.len() + missing.len();
        let pts = round2(c.points * have.len() as f64 / n as f64);
        let why = match (have.is_empty(), missing.is_empty()) {
            (_, true) => format!("{what}: {} all filled in", have.join(", ")),
            (true, _) => format!("{what}: {} missing", missing.join(", ")),
            _ => format!(
                "{what}: {} filled in; {} missing",
                have.join(", "),
                missing.join(", ")
            ),
        };
        Award {
            points: pts,
            why,
            line,
        }
    };
    let filled = |v: Option<&str>| v.is_some_and(|t| !t.trim().is_empty());
    match c.check {
        Check::Plan => match &s.plan {
            None => Award {
                points: 0.0,
                why: "no [plan] section (objective, population, methods, sample_size)".into(),
                line: header_line("survey"),
            },
            Some(p) => {
                let fields = [
                    ("objective", filled(p.objective.as_deref())),
                    ("population", filled(p.population.as_deref())),
                    ("methods", !p.methods.is_empty()),
                    ("sample_size", p.sample_size.is_some()),
                ];
                let have = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
                let missing = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
                parts(have, missing, "[plan]", header_line("plan"))
            }
        },
        Check::Preface => match &s.preface {
            None => Award {
                points: 0.0,
                why: "no [preface] (purpose, confidentiality, minutes)".into(),
                line: header_line("survey"),
            },
            Some(p) => {
                let fields = [
                    ("purpose", filled(p.purpose.as_deref())),
                    ("confidentiality", filled(p.confidentiality.as_deref())),
                    ("minutes", p.minutes.is_some()),
                ];
                let have = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
                let missing = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
                parts(have, missing, "[preface]", header_line("preface"))
            }
        },
        Check::Closing => {
            let ok = s
                .closing
                .as_ref()
                .is_some_and(|c| filled(c.thanks.as_deref()));
            full(
                ok,
                "[closing] thanks the respondent".into(),
                "no thanks in [closing]".into(),
                header_line("closing").or(header_line("survey")),
            )
        }
        Check::Dimensions => {
            let n = s.tree.dimensions().len() as u64;
            full(
                n >= c.min,
                format!("{n} dimensions in the tree (at least {} required)", c.min),
                format!("{n} dimensions in the tree; at least {} required", c.min),
                header_line("tree"),
            )
        }
        Check::Questions => {
            let n = s.questions.len() as u64;
            let line = s.questions.first().map(|q| line_of(l, &q.span));
            full(
                n >= c.min,
                format!("{n} body questions (at least {} required)", c.min),
                format!("{n} body questions; at least {} required", c.min),
                line,
            )
        }
        Check::Profile => {
            let behaviour: Vec<&crate::model::Question> = s
                .profile
                .iter()
                .filter(|q| lint::rules::is_behaviour_question(q))
                .collect();
            let n = behaviour.len() as u64;
            let line = behaviour
                .first()
                .copied()
                .or(s.profile.first())
                .map(|q| line_of(l, &q.span));
            full(
                n >= c.min,
                format!("{n} profile question(s) on when/where/what/how often customers buy"),
                format!(
                    "{n} profile question(s) on buying behaviour; at least {} required",
                    c.min
                ),
                line.or(header_line("survey")),
            )
        }
        Check::OpenFinal => match s.questions.last() {
            Some(q) => full(
                q.kind == QuestionKind::Text,
                format!("the last question '{}' is open", q.id),
                format!(
                    "the last question '{}' is {}, not open (type = \"text\")",
                    q.id,
                    q.kind.as_str()
                ),
                Some(line_of(l, &q.span)),
            ),
            None => full(
                false,
                String::new(),
                "no body questions".into(),
                header_line("survey"),
            ),
        },
        Check::ValidTree => {
            let first = l.check_errors.first().map(|(_, d)| d.line);
            full(
                l.passes_check(),
                "the tree is valid and sibling weights sum to 1".into(),
                format!(
                    "the tree fails `satkit check`: {}",
                    l.check_errors
                        .first()
                        .map(|(_, d)| d.message.as_str())
                        .unwrap_or("")
                ),
                first.or(header_line("tree")),
            )
        }
        Check::Overall => {
            let q = s.role_item(crate::model::Role::Overall);
            full(
                lint::rules::has_overall_item(s),
                match q {
                    Some(q) => format!("overall-satisfaction item '{}'", q.id),
                    None => "an overall-satisfaction item".into(),
                },
                "no overall-satisfaction item (role = \"overall\")".into(),
                q.map(|q| line_of(l, &q.span)).or(header_line("tree")),
            )
        }
    }
}

/// Charge findings to deductions: each finding counts toward the first deduction that matches it.
fn charge(deductions: &[Deduction], findings: &[Diagnostic]) -> Vec<Vec<Charge>> {
    let mut used = vec![false; findings.len()];
    let mut out = Vec::new();
    for d in deductions {
        let mut charges = Vec::new();
        let mut total = 0.0;
        let mut per_rule: HashMap<String, f64> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            let rule = f.rule.clone().unwrap_or_default();
            let hit = match &d.matcher {
                Matcher::Rules(rs) => rs.contains(&rule),
                Matcher::Severity(s) => f.severity == *s,
            };
            if used[i] || !hit {
                continue;
            }
            used[i] = true;
            let mut pts = d.points;
            if let Some(cap) = d.cap_per_rule {
                pts = pts.min(cap - per_rule.get(&rule).copied().unwrap_or(0.0));
            }
            if let Some(cap) = d.cap {
                pts = pts.min(cap - total);
            }
            let pts = round2(pts.max(0.0));
            total += pts;
            *per_rule.entry(rule).or_default() += pts;
            charges.push(Charge {
                finding: f.clone(),
                points: pts,
            });
        }
        out.push(charges);
    }
    out
}

/// Grade one submission file.
///
/// # Errors
/// Only I/O errors reading the file.
pub fn grade_file(
    path: &Path,
    file: String,
    name_from: NameFrom,
    rubric: &Rubric,
) -> Result<Grade> {
    let fallback = student_from_path(path);
    let max = rubric.max_points();
    let outcome = match lint::load_file(path)? {
        // Name the file in messages as it appears in the gradebook.
        Outcome::Invalid(diags) => Outcome::Invalid(
            diags
                .into_iter()
                .map(|d| Diagnostic {
                    file: file.clone(),
                    ..d
                })
                .collect(),
        ),
        Outcome::Loaded(mut l) => {
            l.survey.source =
                crate::diagnostic::SourceFile::new(file.clone(), l.survey.source.text.clone());
            for (_, d) in &mut l.check_errors {
                d.file = file.clone();
            }
            Outcome::Loaded(l)
        }
    };
    Ok(match outcome {
        Outcome::Invalid(diags) => Grade {
            student: fallback,
            file,
            path: path.to_path_buf(),
            awards: rubric
                .criteria
                .iter()
                .map(|_| Award {
                    points: 0.0,
                    why: "the survey could not be read".into(),
                    line: None,
                })
                .collect(),
            charges: rubric.deductions.iter().map(|_| Vec::new()).collect(),
            total: 0.0,
            max,
            band: rubric.band(0.0).to_string(),
            unreadable: Some(diags),
            source: std::fs::read_to_string(path)
                .ok()
                .map(|t| crate::diagnostic::SourceFile::new(path.display().to_string(), t)),
        },
        Outcome::Loaded(l) => {
            let findings = lint::lint(&l, &rubric.lint);
            let awards: Vec<Award> = rubric.criteria.iter().map(|c| award(c, &l)).collect();
            let charges = charge(&rubric.deductions, &findings);
            let got: f64 = awards.iter().map(|a| a.points).sum();
            let lost: f64 = charges.iter().flatten().map(|c| c.points).sum();
            let total = round2((got - lost).max(0.0));
            let student = match (name_from, l.survey.meta.author.as_deref()) {
                (NameFrom::Author, Some(a)) if !a.trim().is_empty() => a.trim().to_string(),
                _ => fallback,
            };
            Grade {
                student,
                file,
                path: path.to_path_buf(),
                awards,
                charges,
                total,
                max,
                band: rubric
                    .band(if max > 0.0 { total / max } else { 0.0 })
                    .to_string(),
                unreadable: None,
                source: Some(l.survey.source.clone()),
            }
        }
    })
}

/// The file stem, or the directory name for a file called `survey.toml`.
fn student_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "survey"
        && let Some(dir) = path.parent().and_then(|p| p.file_name())
    {
        return dir.to_string_lossy().into_owned();
    }
    stem
}

/// Every submission file with the name shown in the gradebook (relative to the directory given).
fn collect(submissions: &[PathBuf], rubric: &Path) -> Result<Vec<(PathBuf, String)>> {
    let rubric_canon = std::fs::canonicalize(rubric).ok();
    let mut out = Vec::new();
    for s in submissions {
        let meta = std::fs::metadata(s).map_err(|e| Error::io(s, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(s, &mut files)?;
            files.sort();
            for f in files {
                if std::fs::canonicalize(&f).ok() == rubric_canon {
                    continue;
                }
                let rel = f
                    .strip_prefix(s)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((f, rel));
            }
        } else {
            out.push((s.clone(), s.display().to_string()));
        }
    }
    if out.is_empty() {
        return Err(Error::usage(
            "no survey files (*.toml) among the submissions",
            "pass survey files or directories that contain them",
        ));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let p = entry.map_err(|e| Error::io(dir, e))?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
    Ok(())
}

pub fn run(args: Args) -> Result<i32> {
    let rubric = Rubric::from_file(&args.rubric)?;
    let files = collect(&args.submissions, &args.rubric)?;
    let inputs: Vec<&Path> = files
        .iter()
        .map(|(p, _)| p.as_path())
        .chain([args.rubric.as_path()])
        .collect();
    refuse_overwrite(&args.output, &inputs)?;
    let mut grades = Vec::new();
    for (path, file) in &files {
        grades.push(grade_file(path, file.clone(), args.name_from, &rubric)?);
    }
    grades.sort_by(|a, b| (&a.student, &a.file).cmp(&(&b.student, &b.file)));
    write_atomic(&args.output, &gradebook_csv(&rubric, &grades)?)?;
    if let Some(dir) = &args.feedback {
        let mut used: HashMap<String, usize> = HashMap::new();
        for g in &grades {
            let base = safe_file_name(&g.student);
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let name = if *n == 1 {
                format!("{base}.md")
            } else {
                format!("{base}-{n}.md")
            };
            let path = dir.join(name);
            refuse_overwrite(&path, &inputs)?;
            write_atomic(&path, feedback_markdown(&rubric, g).as_bytes())?;
        }
    }
    let unreadable = grades.iter().filter(|g| g.unreadable.is_some()).count();
    let dest = if args.output == Path::new("-") {
        "stdout".to_string()
    } else {
        args.output.display().to_string()
    };
    eprintln!(
        "graded {} submission{} against '{}'{} -> {dest}",
        grades.len(),
        if grades.len() == 1 { "" } else { "s" },
        rubric.name,
        if unreadable > 0 {
            format!(" ({unreadable} could not be read and got 0 points)")
        } else {
            String::new()
        }
    );
    Ok(0)
}

fn safe_file_name(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let t = t.trim_start_matches('.').to_string();
    if t.is_empty() { "student".into() } else { t }
}

/// The gradebook: one row per student, spreadsheet formulas neutralised.
///
/// # Errors
/// Only CSV serialisation errors (none in practice).
pub fn gradebook_csv(rubric: &Rubric, grades: &[Grade]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header: Vec<String> = ["student", "file", "total", "max", "band"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(rubric.criteria.iter().map(|c| c.id.clone()));
    header.extend(rubric.deductions.iter().map(|d| d.id.clone()));
    let err = |e: csv::Error| Error::usage(format!("cannot write the gradebook: {e}"), "");
    w.write_record(header.iter().map(|h| neutralise_formula(h)))
        .map_err(err)?;
    for g in grades {
        let mut row = vec![
            g.student.clone(),
            g.file.clone(),
            fmt_num(g.total),
            fmt_num(g.max),
            g.band.clone(),
        ];
        row.extend(g.awards.iter().map(|a| fmt_num(a.points)));
        row.extend((0..rubric.deductions.len()).map(|i| {
            let d = g.deducted(i);
            if d > 0.0 { fmt_num(-d) } else { "0".into() }
        }));
        w.write_record(row.iter().map(|c| neutralise_formula(c)))
            .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::usage(format!("cannot write the gradebook: {e}"), ""))
}

fn quote_line(g: &Grade, line: usize) -> String {
    g.source
        .as_ref()
        .map(|s| s.line_text(line).trim().to_string())
        .filter(|t| !t.is_empty())
        .map(|t| format!(" — `{}`", t.replace('`', "'")))
        .unwrap_or_default()
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The feedback for one student: every point given or taken, with the survey line it refers to.
pub fn feedback_markdown(rubric: &Rubric, g: &Grade) -> String {
    let mut out = format!("# Feedback for {}\n\n", g.student);
    out.push_str(&format!(
        "- Submission: `{}`\n- Rubric: {}\n",
        g.file, rubric.name
    ));
    out.push_str(&format!(
        "- Score: **{} / {}** (band **{}**)\n\n",
        fmt_num(g.total),
        fmt_num(g.max),
        g.band
    ));
    if let Some(diags) = &g.unreadable {
        out.push_str("## The survey could not be read\n\n");
        out.push_str("The file does not parse or validate, so it was given 0 points. `satkit check` reports:\n\n```text\n");
        for d in diags.iter().filter(|d| d.severity == Severity::Error) {
            out.push_str(&format!("{d}\n"));
        }
        out.push_str(
            "```\n\nFix these errors (run `satkit check` on the file) and submit again.\n",
        );
        return out;
    }
    out.push_str(
        "## Points awarded\n\n| Criterion | Points | Why | Survey line |\n|---|---|---|---|\n",
    );
    for (c, a) in rubric.criteria.iter().zip(&g.awards) {
        let line = a
            .line
            .map(|l| format!("{l}{}", quote_line(g, l)))
            .unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "| {} — {} | {} / {} | {} | {} |\n",
            c.id,
            md_escape(&c.description),
            fmt_num(a.points),
            fmt_num(c.points),
            md_escape(&a.why),
            md_escape(&line)
        ));
    }
    let got: f64 = g.awards.iter().map(|a| a.points).sum();
    out.push_str(&format!(
        "\nAwarded: {} of {}.\n\n## Points taken\n\n",
        fmt_num(round2(got)),
        fmt_num(g.max)
    ));
    let mut any = false;
    for (i, d) in rubric.deductions.iter().enumerate() {
        let charges = &g.charges[i];
        if charges.is_empty() {
            continue;
        }
        any = true;
        let caps = match (d.cap, d.cap_per_rule) {
            (Some(c), Some(r)) => format!(
                "; at most {} in all and {} per rule",
                fmt_num(c),
                fmt_num(r)
            ),
            (Some(c), None) => format!("; at most {} in all", fmt_num(c)),
            (None, Some(r)) => format!("; at most {} per rule", fmt_num(r)),
            (None, None) => String::new(),
        };
        let per = if d.points == 0.0 {
            "Listed for information; no points taken".to_string()
        } else {
            format!("{} point(s) per finding{caps}", fmt_num(d.points))
        };
        let taken = round2(g.deducted(i));
        let taken = if taken > 0.0 {
            format!("−{}", fmt_num(taken))
        } else {
            "no points".to_string()
        };
        out.push_str(&format!(
            "### {} — {}: {taken}\n\n{per}.\n\n",
            d.id, d.description
        ));
        for c in charges {
            let f = &c.finding;
            let taken = if c.points > 0.0 {
                format!("−{}", fmt_num(c.points))
            } else if d.points == 0.0 {
                "listed, no points taken".to_string()
            } else {
                "0 (cap reached)".to_string()
            };
            out.push_str(&format!(
                "- line {}:{} `{}` ({}, {taken}): {}{}\n  - fix: {}\n",
                f.line,
                f.column,
                f.rule.as_deref().unwrap_or(""),
                f.severity,
                f.message,
                quote_line(g, f.line),
                f.help
            ));
        }
        out.push('\n');
    }
    if !any {
        out.push_str("No deductions.\n\n");
    }
    let lost: f64 = (0..rubric.deductions.len()).map(|i| g.deducted(i)).sum();
    out.push_str(&format!(
        "## Total\n\n{} awarded − {} deducted = **{}** of {} ({:.0} %), band **{}**.\n",
        fmt_num(round2(got)),
        fmt_num(round2(lost)),
        fmt_num(g.total),
        fmt_num(g.max),
        if g.max > 0.0 {
            100.0 * g.total / g.max
        } else {
            0.0
        },
        g.band
    ));
    out
}
