//! What every subcommand shares when it prints: the `--format` choice, stdout that tolerates a
//! closed pipe, pretty JSON, and the root help's exit-status text (also the man pages' EXIT
//! STATUS). The subcommand files import these from here rather than from `cli/mod.rs`, so the
//! dispatcher depends on the subcommands and never the other way round.

use clap::ValueEnum;

/// Root `--help` epilogue; its "Exit status:" block is also the EXIT STATUS section of the man page.
pub const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  the run worked but a gate failed (lint errors, inconsistent AHP in `weights`, --fail-* gates,
     a failed job in `batch`)
  2  bad input or usage (unreadable or invalid file, mismatched responses, bad flags)

Examples:
  satkit new shop --template basic --lang en
  satkit check surveys/b2b-platform/survey.toml
  satkit build surveys/b2b-platform/survey.toml --to html -o questionnaire.html";

/// Output format of commands that print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// Print to stdout; a closed pipe (`satkit ... | head`) is not an error, any other write error
/// (a full disk) is one, with exit status 2.
///
/// # Errors
/// See [`crate::output::write_stdout`].
pub fn print_stdout(text: &str) -> crate::error::Result<()> {
    crate::output::write_stdout(text.as_bytes())
}

/// Serialise a value as pretty JSON with a trailing newline.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
