//! The questionnaire model: survey metadata, plan, preface and closing, named scales, profile and
//! body questions, and the indicator tree with its weights.
//!
//! A survey is read in two steps (ripgrep's two-layer style): [`raw`] deserialises the TOML while
//! keeping spans, then [`validate`] checks it and builds a [`Survey`] whose invariants the rest of
//! satkit relies on: ids are unique, references resolve, sibling weights sum to 1 (or are derived
//! from data at analysis time), AHP matrices are consistent.

pub mod bounds;
pub mod print_order;
pub mod raw;
pub mod simulate_spec;
pub mod summary;
mod survey;
pub mod tree;
pub mod validate;

use std::path::Path;

use crate::diagnostic::SourceFile;
use crate::error::{Error, Result};

pub use bounds::{
    MAX_LIST_ITEMS, MAX_MULTIPLE_CHOICES, MAX_NUMERIC_BOUND, MAX_SCALE_CODE, MAX_SCALE_POINTS,
    MAX_TEXT_CHARS, MAX_TREE_DEPTH,
};
pub use simulate_spec::SimulateSpec;
pub use survey::{
    Checked, Closing, Language, Measures, Meta, PLAN_METHODS, Plan, Preface, Question,
    QuestionKind, Respondents, Role, Scale, Section, Survey, builtin_scales,
};
pub use tree::{ChildWeighting, DeriveMethod, Node, Tree};

impl Survey {
    /// Read and validate a survey file. Warnings are dropped; use [`Survey::check_file`] to see them.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::InvalidSurvey`] with every error found.
    pub fn load(path: impl AsRef<Path>) -> Result<Survey> {
        let checked = Survey::check_file(path)?;
        match checked.survey {
            Some(s) => Ok(s),
            None => Err(Error::InvalidSurvey {
                diagnostics: checked
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                    .collect(),
            }),
        }
    }

    /// Read a survey file and return the model (if valid) with all diagnostics.
    ///
    /// # Errors
    /// Only I/O errors; invalid content comes back as diagnostics.
    pub fn check_file(path: impl AsRef<Path>) -> Result<Checked> {
        Survey::check_file_with(path, true)
    }

    /// As [`Survey::check_file`], with AHP inconsistency reported as a warning when `strict_ahp`
    /// is false (the model is still built, with the eigenvector weights).
    ///
    /// # Errors
    /// Only I/O errors.
    pub fn check_file_with(path: impl AsRef<Path>, strict_ahp: bool) -> Result<Checked> {
        let path = path.as_ref();
        let bytes = crate::input::read(path)?;
        let utf16 = crate::input::not_utf8_hint(&bytes);
        let text = match String::from_utf8(bytes).map_err(|e| e.utf8_error()) {
            // UTF-16 without a byte-order mark is valid UTF-8 when it is mostly ASCII.
            Ok(t) if utf16.is_empty() => t,
            result => {
                let source = SourceFile::new(path.display().to_string(), "");
                let message = match result {
                    Err(e) => format!(
                        "the file is not UTF-8{utf16} (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                    Ok(_) => "the file is not UTF-8 text: it looks like UTF-16 without a byte-order mark (many NUL bytes)".to_string(),
                };
                return Ok(Checked {
                    survey: None,
                    diagnostics: vec![source.diagnostic(
                        crate::diagnostic::Severity::Error,
                        None,
                        message,
                        "save the survey file as UTF-8",
                    )],
                });
            }
        };
        Ok(validate::validate_with(
            SourceFile::new(
                path.display().to_string(),
                text.trim_start_matches('\u{feff}'),
            ),
            strict_ahp,
        ))
    }

    /// Validate survey text; `name` is used in diagnostics.
    pub fn check_str(name: &str, text: &str) -> Checked {
        validate::validate(SourceFile::new(name, text.trim_start_matches('\u{feff}')))
    }
}
