//! Located messages: `file:line:col: severity: message`, the offending source line with a caret,
//! and a one-line cure. Used by `check`, `lint` and `grade`.
//!
//! Columns count characters, not bytes, so a caret under Chinese text points at the right place.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A source text with its file name, used to turn byte spans into line and column.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, col)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Build a diagnostic located at `span`.
    pub fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        let (line, column, snippet, width) = match span {
            Some(span) => {
                let (line, column) = self.line_col(span.start);
                let text = self.line_text(line).to_string();
                let end_on_line = self
                    .line_starts
                    .get(line)
                    .copied()
                    .unwrap_or(self.text.len());
                let end = span.end.min(end_on_line).max(span.start);
                let width = self
                    .text
                    .get(span.start..end)
                    .map_or(1, |s| s.trim_end().chars().count().max(1));
                (line, column, Some(text), width)
            }
            None => (1, 1, None, 1),
        };
        Diagnostic {
            rule: None,
            severity,
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            help: help.into(),
            snippet,
            width,
        }
    }
}

/// One finding with its place in a file and a cure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Diagnostic {
    /// The lint rule id, when the finding comes from `satkit lint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub severity: Severity,
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    pub message: String,
    /// A one-line fix.
    pub help: String,
    #[serde(skip)]
    pub snippet: Option<String>,
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    pub fn with_rule(mut self, rule: &str) -> Self {
        self.rule = Some(rule.to_string());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.severity
        )?;
        if let Some(rule) = &self.rule {
            write!(f, "[{rule}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(snippet) = &self.snippet {
            let gutter = self.line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{} | {}\n{:gutter$} | ",
                "", self.line, snippet, ""
            )?;
            // Chinese characters take two terminal cells.
            let pad: usize = snippet
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum();
            write!(
                f,
                "{}{}",
                " ".repeat(pad),
                "^".repeat(self.width.clamp(1, 60))
            )?;
        }
        if !self.help.is_empty() {
            write!(f, "\n  = help: {}", self.help)?;
        }
        Ok(())
    }
}
