//! `satkit lint`: check surveys against the questionnaire-design rules of [`crate::lint`].
//!
//! Exit status: 0 when no finding is an error, 1 when some finding is an error, 2 when a file is
//! unreadable, does not parse or does not validate (its `satkit check` diagnostics are printed).

use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use super::output::{print_stdout, to_json};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{EXIT_GATE, EXIT_INPUT, Error, Result};
use crate::lint::{self, LintConfig, Outcome, RULES};

const EXAMPLES: &str = "\
Examples:
  satkit lint surveys/bookstore/survey.toml
  satkit lint surveys/*/survey.toml --format json | jq '.files[].findings[].rule'
  satkit lint my-survey.toml --rules rules.toml

A rules file switches rules off or re-grades them ([rules] double_barrelled = \"off\") and sets
limits (max_question_chars_zh = 40, glossary = [\"SKU\"], reading_speed_en = 200, ...).
A comment `# satkit-lint: allow(rule_id)` on the line of the offending text or the line before
it allows one finding. docs/lint-rules.md lists every rule with a bad and a good example.

Exit status: 0 no errors, 1 some finding is an error, 2 a file does not parse or validate.";

/// Output format of `satkit lint`. `markdown` only goes with `--list-rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LintFormat {
    #[default]
    Text,
    Json,
    #[value(hide = true)]
    Markdown,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Survey files (TOML).
    #[arg(required_unless_present = "list_rules")]
    pub surveys: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// Rules file: rule levels under [rules] and settings.
    #[arg(long, value_name = "RULES.toml")]
    pub rules: Option<PathBuf>,
    /// Print the rule table (with --format markdown: docs/lint-rules.md).
    #[arg(long, hide = true)]
    pub list_rules: bool,
}

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
pub fn lint_file(path: &std::path::Path, cfg: &LintConfig) -> Result<FileReport> {
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

pub fn run(args: Args) -> Result<i32> {
    if args.list_rules {
        print_stdout(&match args.format {
            LintFormat::Markdown => lint::rules::markdown(),
            LintFormat::Json => to_json(
                &RULES
                    .iter()
                    .map(|r| RuleInfo {
                        id: r.id,
                        group: r.group,
                        severity: r.severity,
                        description: r.description,
                        bad: r.bad,
                        good: r.good,
                    })
                    .collect::<Vec<_>>(),
            ),
            LintFormat::Text => {
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
        });
        return Ok(0);
    }
    if args.format == LintFormat::Markdown {
        return Err(Error::usage(
            "--format markdown only goes with --list-rules",
            "use --format text or --format json to lint",
        ));
    }
    let cfg = match &args.rules {
        Some(p) => LintConfig::from_file(p)?,
        None => LintConfig::default(),
    };
    let mut files = Vec::new();
    for path in &args.surveys {
        files.push(lint_file(path, &cfg)?);
    }
    let report = LintReport {
        schema_version: "1.0.0",
        errors: files.iter().map(|f| f.errors).sum(),
        warnings: files.iter().map(|f| f.warnings).sum(),
        infos: files.iter().map(|f| f.infos).sum(),
        invalid_files: files.iter().filter(|f| !f.valid).count(),
        files,
    };
    match args.format {
        LintFormat::Json => print_stdout(&to_json(&report)),
        _ => print_stdout(&render_text(&report)),
    }
    Ok(if report.invalid_files > 0 {
        EXIT_INPUT
    } else if report.errors > 0 {
        EXIT_GATE
    } else {
        0
    })
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Findings on stdout; `satkit check` diagnostics of invalid files on stderr.
fn render_text(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.files {
        if !f.valid {
            for d in &f.check_diagnostics {
                eprintln!("{d}");
            }
            eprintln!(
                "{}: the survey does not parse or validate; fix the errors above (see `satkit check`), then lint again",
                f.file
            );
            continue;
        }
        for d in &f.findings {
            out.push_str(&format!("{d}\n\n"));
        }
        let time = match (f.estimated_minutes, f.stated_minutes) {
            (Some(e), Some(s)) => format!(
                "; about {e:.1} minutes (preface says {})",
                crate::model::validate::fmt_num(s)
            ),
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
