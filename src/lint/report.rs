//! The report of a lint run, as data and as text: [`lint_files`] lints every file into a
//! [`LintReport`] (the JSON report of `satkit lint`), [`render_text`] gives the findings and
//! counts, [`invalid_file_text`] what to say about a file that does not parse or validate, and
//! [`rule_infos`] / [`rules_text`] the rule table of `--list-rules`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Result;
use crate::lint::{self, LintConfig, Outcome, RULES};
use crate::model::validate::fmt_num;

/// The JSON report of `satkit lint` (schema_version 1.0.0).
#[derive(Debug, Serialize)]
pub struct LintReport {
    pub schema_version: &'static str,
    /// Findings that are errors, warnings and infos, over all files.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that do not parse or validate.
    pub invalid_files: usize,
    pub files: Vec<FileReport>,
}

/// One linted file.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    /// False when the file does not parse or validate; then `check_diagnostics` says why and
    /// no rule ran.
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Estimated completion time (see rule completion_time), when the file is valid.
    pub estimated_minutes: Option<f64>,
    /// `[preface] minutes`.
    pub stated_minutes: Option<f64>,
    /// Findings in file order; each has `rule`, `severity`, `file`, `line`, `column`, `message`, `help`.
    pub findings: Vec<Diagnostic>,
    pub check_diagnostics: Vec<Diagnostic>,
}

/// One rule, as listed by `--list-rules --format json`.
#[derive(Debug, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    pub group: lint::Group,
    pub severity: Severity,
    pub description: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
}

fn count(ds: &[Diagnostic], s: Severity) -> usize {
    ds.iter().filter(|d| d.severity == s).count()
}

/// Lint one file.
///
/// # Errors
/// I/O errors only.
pub fn lint_file(path: &Path, cfg: &LintConfig) -> Result<FileReport> {
    let file = path.display().to_string();
    Ok(match lint::load_file(path)? {
        Outcome::Loaded(loaded) => {
            let findings = lint::lint(&loaded, cfg);
            FileReport {
                file,
                valid: true,
                errors: count(&findings, Severity::Error),
                warnings: count(&findings, Severity::Warning),
                infos: count(&findings, Severity::Info),
                estimated_minutes: Some(
                    (lint::estimate(&loaded.survey, &cfg.settings).minutes() * 10.0).round() / 10.0,
                ),
                stated_minutes: loaded.survey.preface.as_ref().and_then(|p| p.minutes),
                findings,
                check_diagnostics: Vec::new(),
            }
        }
        Outcome::Invalid(diagnostics) => FileReport {
            file,
            valid: false,
            errors: 0,
            warnings: 0,
            infos: 0,
            estimated_minutes: None,
            stated_minutes: None,
            findings: Vec::new(),
            check_diagnostics: diagnostics,
        },
    })
}

/// Lint every file, in order, into one report.
///
/// # Errors
/// I/O errors only; a file that does not parse or validate is reported, not an error.
pub fn lint_files(paths: &[PathBuf], cfg: &LintConfig) -> Result<LintReport> {
    let mut files = Vec::new();
    for path in paths {
        files.push(lint_file(path, cfg)?);
    }
    Ok(LintReport {
        schema_version: "1.0.0",
        errors: files.iter().map(|f| f.errors).sum(),
        warnings: files.iter().map(|f| f.warnings).sum(),
        infos: files.iter().map(|f| f.infos).sum(),
        invalid_files: files.iter().filter(|f| !f.valid).count(),
        files,
    })
}

/// Every rule, as listed by `--list-rules --format json`.
pub fn rule_infos() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|r| RuleInfo {
            id: r.id,
            group: r.group,
            severity: r.severity,
            description: r.description,
            bad: r.bad,
            good: r.good,
        })
        .collect()
}

/// The rule table of `--list-rules`: id, severity and description, one rule a line.
pub fn rules_text() -> String {
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!(
            "{:<24} {:<8} {}\n",
            r.id,
            r.severity.to_string(),
            r.description
        ));
    }
    out
}

/// The `satkit check` diagnostics of a file that does not parse or validate, and the cure.
pub fn invalid_file_text(f: &FileReport) -> String {
    let mut out = String::new();
    for d in &f.check_diagnostics {
        out.push_str(&format!("{d}\n"));
    }
    out.push_str(&format!(
        "{}: the survey does not parse or validate; fix the errors above (see `satkit check`), then lint again\n",
        f.file
    ));
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The findings and a count line per valid file, and a total over several files. Invalid files
/// are left out: their `satkit check` diagnostics are [`invalid_file_text`].
pub fn render_text(report: &LintReport) -> String {
    let mut out = String::new();
    for f in report.files.iter().filter(|f| f.valid) {
        for d in &f.findings {
            out.push_str(&format!("{d}\n\n"));
        }
        let time = match (f.estimated_minutes, f.stated_minutes) {
            (Some(e), Some(s)) => format!("; about {e:.1} minutes (preface says {})", fmt_num(s)),
            (Some(e), None) => format!("; about {e:.1} minutes"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{}: {}, {}, {}{time}\n",
            f.file,
            plural(f.errors, "error"),
            plural(f.warnings, "warning"),
            plural(f.infos, "info"),
        ));
    }
    if report.files.len() > 1 {
        out.push_str(&format!(
            "total: {} in {}: {}, {}, {}{}\n",
            plural(
                report.files.iter().map(|f| f.findings.len()).sum(),
                "finding"
            ),
            plural(report.files.len(), "file"),
            plural(report.errors, "error"),
            plural(report.warnings, "warning"),
            plural(report.infos, "info"),
            if report.invalid_files > 0 {
                format!("; {} invalid", plural(report.invalid_files, "file"))
            } else {
                String::new()
            }
        ));
    }
    out
}
