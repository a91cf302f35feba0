//! The one error type of satkit and its exit codes.
//!
//! Every variant carries enough context to print `file:line:col: message` plus a cure. The exit
//! code contract (documented in the README) is: 0 success, 1 a gate or lint failure, 2 bad input
//! or usage.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Exit status when the run worked but a gate (lint errors, `--fail-under`, an inconsistent AHP
/// matrix in `satkit weights`) failed.
pub const EXIT_GATE: i32 = 1;
/// Exit status for bad input or usage.
pub const EXIT_INPUT: i32 = 2;

#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The survey file failed validation; each diagnostic has its own location and cure.
    InvalidSurvey { diagnostics: Vec<Diagnostic> },
    /// A data file (responses, mapping, rubric, batch) is malformed at a known place.
    BadData {
        path: PathBuf,
        line: Option<u64>,
        column: Option<String>,
        message: String,
        help: String,
    },
    /// Command-line arguments that parse but make no sense together.
    Usage { message: String, help: String },
    /// The command ran but a gate failed (exit 1). The message lists every failure.
    GateFailed { message: String },
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn bad_data(
        path: impl AsRef<Path>,
        line: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Error::BadData {
            path: path.as_ref().to_path_buf(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
            help: help.into(),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::GateFailed { .. } => EXIT_GATE,
            _ => EXIT_INPUT,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => {
                write!(f, "{}: {}", path.display(), source)?;
                match source.kind() {
                    std::io::ErrorKind::NotFound => {
                        write!(
                            f,
                            "\n  = help: check the path; it is relative to the current directory"
                        )
                    }
                    std::io::ErrorKind::PermissionDenied => {
                        write!(f, "\n  = help: check the file permissions")
                    }
                    _ => Ok(()),
                }
            }
            Error::InvalidSurvey { diagnostics } => {
                let n = diagnostics.len();
                for d in diagnostics {
                    writeln!(f, "{d}")?;
                }
                write!(
                    f,
                    "survey is invalid: {n} error{}",
                    if n == 1 { "" } else { "s" }
                )
            }
            Error::BadData {
                path,
                line,
                column,
                message,
                help,
            } => {
                write!(f, "{}", path.display())?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                if let Some(column) = column {
                    write!(f, ": column '{column}'")?;
                }
                write!(f, ": {message}")?;
                if !help.is_empty() {
                    write!(f, "\n  = help: {help}")?;
                }
                Ok(())
            }
            Error::Usage { message, help } => {
                write!(f, "{message}")?;
                if !help.is_empty() {
                    write!(f, "\n  = help: {help}")?;
                }
                Ok(())
            }
            Error::GateFailed { message } => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
