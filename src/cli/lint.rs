//! `satkit lint`: check surveys against the questionnaire-design rules of [`crate::lint`].
//! [`crate::lint::report`] lints the files and renders the report; this file prints it.
//!
//! Exit status: 0 when no finding is an error, 1 when some finding is an error, 2 when a file is
//! unreadable, does not parse or does not validate (its `satkit check` diagnostics are printed).

use std::path::PathBuf;

use super::output::{print_stdout, to_json};
use crate::error::{EXIT_GATE, EXIT_INPUT, Error, Result};
use crate::lint::LintConfig;
use crate::lint::report::{self, invalid_file_text, lint_files, render_text};
use clap::ValueEnum;

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

pub fn run(args: Args) -> Result<i32> {
    if args.list_rules {
        print_stdout(&match args.format {
            LintFormat::Markdown => crate::lint::rules::markdown(),
            LintFormat::Json => to_json(&report::rule_infos()),
            LintFormat::Text => report::rules_text(),
        })?;
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
    let report = lint_files(&args.surveys, &cfg)?;
    match args.format {
        LintFormat::Json => print_stdout(&to_json(&report))?,
        _ => {
            for f in report.files.iter().filter(|f| !f.valid) {
                crate::err!("{}", invalid_file_text(f));
            }
            print_stdout(&render_text(&report))?;
        }
    }
    Ok(if report.invalid_files > 0 {
        EXIT_INPUT
    } else if report.errors > 0 {
        EXIT_GATE
    } else {
        0
    })
}
