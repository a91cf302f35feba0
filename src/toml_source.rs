//! Input files in TOML (lint rules, rubrics, batch files) read with the places of their keys and
//! values, so every mistake is reported as `file:line:col` with the line and a caret, the way
//! survey files are. The survey model and the batch planner deserialise with `toml::Spanned`
//! fields; files whose shape is open (a rules file's rule ids and settings) are read as a plain
//! `toml::Table` plus this index of spans.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Severity, SourceFile};
use crate::error::{Error, Result};

/// A TOML file's text and the byte spans of every table key and value, by key path.
pub struct TomlSource {
    source: SourceFile,
    keys: HashMap<Vec<String>, Range<usize>>,
    values: HashMap<Vec<String>, Range<usize>>,
}

impl TomlSource {
    /// Parse `text` (read from `path`, which names it in messages).
    ///
    /// # Errors
    /// [`Error::Usage`] at the place of a TOML syntax error, with `help` as the cure.
    pub fn parse(path: &Path, text: &str, help: &str) -> Result<(TomlSource, toml::Table)> {
        let mut src = TomlSource {
            source: SourceFile::new(path.display().to_string(), text),
            keys: HashMap::new(),
            values: HashMap::new(),
        };
        let doc = DeTable::parse(text).map_err(|e| {
            let (span, message) = parse_error(&e, text);
            src.error(span, message, help)
        })?;
        src.index(&mut Vec::new(), doc.get_ref());
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let (span, message) = parse_error(&e, text);
            src.error(span, message, help)
        })?;
        Ok((src, table))
    }

    /// A source whose keys are not located (for a table parsed elsewhere from other text):
    /// errors name the file only.
    pub fn without_spans(path: &Path, text: &str) -> TomlSource {
        TomlSource {
            source: SourceFile::new(path.display().to_string(), text),
            keys: HashMap::new(),
            values: HashMap::new(),
        }
    }

    fn index(&mut self, prefix: &mut Vec<String>, table: &DeTable<'_>) {
        for (key, value) in table {
            prefix.push(key.get_ref().to_string());
            self.keys.insert(prefix.clone(), key.span());
            self.values.insert(prefix.clone(), value.span());
            if let DeValue::Table(t) = value.get_ref() {
                self.index(prefix, t);
            }
            prefix.pop();
        }
    }

    /// The span of the key at `path` (`["rules", "long_question"]`).
    pub fn key_span(&self, path: &[&str]) -> Option<Range<usize>> {
        self.keys.get(&owned(path)).cloned()
    }

    /// The span of the value at `path`.
    pub fn value_span(&self, path: &[&str]) -> Option<Range<usize>> {
        self.values.get(&owned(path)).cloned()
    }

    /// An error at `span` (the whole file when `None`): `file:line:col: message`, the line, a
    /// caret, and the cure.
    pub fn error(&self, span: Option<Range<usize>>, message: String, help: &str) -> Error {
        let d = self.source.diagnostic(Severity::Error, span, message, help);
        // "file:line:col: error: message" → "file:line:col: message" (main adds "error: ").
        Error::usage(d.to_string().replacen(": error: ", ": ", 1), "")
    }
}

/// The `toml` parser's limit on the parts of one key path (`[a.b.c]` has 3): more are refused
/// with a bare "recursion limit" and no place.
pub const KEY_PATH_LIMIT: usize = 80;

/// The place and message of a TOML parse error: the parser's own, except for its bare
/// "recursion limit", which is placed at the first key path that is too long and explained.
pub fn parse_error(e: &toml::de::Error, text: &str) -> (Option<Range<usize>>, String) {
    let message = e.message().trim().to_string();
    if message == "recursion limit" && e.span().is_none_or(|s| s.start == 0) {
        let span = deep_key_span(text).or(e.span());
        let message = format!(
            "this key path has more than {KEY_PATH_LIMIT} parts, the most a TOML file may nest"
        );
        return (span, message);
    }
    (e.span(), message)
}

/// True when `e` is the parser's key-path recursion limit.
pub fn is_key_path_limit(e: &toml::de::Error) -> bool {
    e.message().trim() == "recursion limit"
}

/// The span of the first key (a table header, or a dotted key before `=`) with more than
/// [`KEY_PATH_LIMIT`] parts; a lexical scan, as the parser gives no place.
pub fn deep_key_span(text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let start = offset + (line.len() - trimmed.len());
        offset += line.len();
        let key = if trimmed.starts_with('[') {
            trimmed.trim_start_matches('[').split(']').next()
        } else {
            trimmed.split('=').next().filter(|_| trimmed.contains('='))
        };
        if let Some(key) = key
            && key_parts(key) > KEY_PATH_LIMIT
        {
            return Some(start..start + trimmed.trim_end().len());
        }
    }
    None
}

/// The parts of a dotted key, ignoring dots inside quotes.
fn key_parts(key: &str) -> usize {
    let mut parts = 1;
    let mut quote: Option<char> = None;
    for c in key.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => parts += 1,
            _ => {}
        }
    }
    parts
}

fn owned(path: &[&str]) -> Vec<String> {
    path.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_nested_keys_and_values() {
        let text = "top = 1\n[rules]\nlong_question = \"off\"\n";
        let (src, table) = TomlSource::parse(Path::new("r.toml"), text, "").unwrap();
        assert!(table.contains_key("rules"));
        let k = src.key_span(&["rules", "long_question"]).unwrap();
        assert_eq!(&text[k], "long_question");
        let v = src.value_span(&["rules", "long_question"]).unwrap();
        assert_eq!(&text[v], "\"off\"");
        assert_eq!(&text[src.key_span(&["top"]).unwrap()], "top");
        assert!(src.key_span(&["nope"]).is_none());
    }

    #[test]
    fn key_parts_ignore_quoted_dots() {
        assert_eq!(key_parts("tree.a.b"), 3);
        assert_eq!(key_parts("tree.\"a.b\".c"), 3);
    }

    #[test]
    fn a_key_path_over_the_parser_limit_is_placed_at_its_line() {
        let deep: Vec<String> = (0..=KEY_PATH_LIMIT).map(|i| format!("k{i}")).collect();
        let text = format!("a = 1\n[{}]\nb = 2\n", deep.join("."));
        let e = TomlSource::parse(Path::new("r.toml"), &text, "")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.starts_with("r.toml:2:1: this key path has more than 80"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_have_line_column_and_caret() {
        let text = "a = 1\nb = \n";
        let e = TomlSource::parse(Path::new("r.toml"), text, "fix it")
            .err()
            .unwrap()
            .to_string();
        assert!(e.starts_with("r.toml:2:"), "{e}");
        assert!(e.contains('^'), "{e}");
    }
}
