//! Lint configuration: which rules run at which severity, and the settings some rules read.
//!
//! A rules file (and the `[lint]` table of a grading rubric) looks like
//!
//! ```toml
//! [rules]
//! double_barrelled = "off"          # or "error", "warning", "info"
//! long_question = "error"
//!
//! [settings]                        # settings may also sit at the top level or in [rules]
//! max_question_chars_zh = 40
//! max_question_chars_en = 120
//! glossary = ["SKU", "RFQ"]
//! reading_speed_zh = 300            # characters per minute
//! reading_speed_en = 200            # words per minute
//! ```
//!
//! Unknown rule ids, unknown settings and values of the wrong type are errors that name the line.

use std::collections::BTreeMap;
use std::path::Path;

pub use super::settings::Settings;
use crate::diagnostic::Severity;
use crate::error::{Error, Result};

/// What a rules file says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" => Level::Off,
            "error" => Level::On(Severity::Error),
            "warning" | "warn" => Level::On(Severity::Warning),
            "info" => Level::On(Severity::Info),
            _ => return None,
        })
    }
}

/// Severity overrides by rule id, and settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LintConfig {
    pub levels: BTreeMap<String, Level>,
    pub settings: Settings,
}

const SETTING_NAMES: &[&str] = &[
    "max_question_chars_zh",
    "max_question_chars_en",
    "glossary",
    "known_acronyms",
    "reading_speed_zh",
    "reading_speed_en",
];

impl LintConfig {
    /// Read a rules file.
    ///
    /// # Errors
    /// [`Error::Io`] when unreadable; [`Error::BadData`] naming the line of a bad key or value.
    pub fn from_file(path: &Path) -> Result<LintConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1);
            Error::bad_data(
                path,
                line,
                None,
                e.message().trim(),
                "fix the TOML syntax of the rules file",
            )
        })?;
        LintConfig::from_table(&table, path, &text)
    }

    /// Build a configuration from a parsed table (a rules file, or a rubric's `[lint]` table).
    /// `text` is the file text, used only to find line numbers for messages.
    ///
    /// # Errors
    /// [`Error::BadData`] for unknown rules or settings and values of the wrong type.
    pub fn from_table(table: &toml::Table, path: &Path, text: &str) -> Result<LintConfig> {
        let mut cfg = LintConfig::default();
        for (key, value) in table {
            match (key.as_str(), value) {
                ("rules", toml::Value::Table(rules)) => {
                    for (id, v) in rules {
                        match v {
                            toml::Value::String(level) => cfg.set_level(id, level, path, text)?,
                            other => cfg.set_setting(id, other, path, text)?,
                        }
                    }
                }
                ("settings", toml::Value::Table(settings)) => {
                    for (name, v) in settings {
                        cfg.set_setting(name, v, path, text)?;
                    }
                }
                (name, v) => cfg.set_setting(name, v, path, text)?,
            }
        }
        Ok(cfg)
    }

    fn set_level(&mut self, id: &str, level: &str, path: &Path, text: &str) -> Result<()> {
        if super::rules::rule(id).is_none() {
            let close = super::rules::suggest(id);
            return Err(Error::bad_data(
                path,
                line_of_key(text, id),
                None,
                format!("unknown lint rule '{id}'"),
                match close {
                    Some(c) => {
                        format!("did you mean '{c}'? `satkit lint --list-rules` lists every rule")
                    }
                    None => "`satkit lint --list-rules` lists every rule".to_string(),
                },
            ));
        }
        let Some(l) = Level::parse(level) else {
            return Err(Error::bad_data(
                path,
                line_of_key(text, id),
                None,
                format!("'{level}' is not a rule level for '{id}'"),
                "write \"off\", \"error\", \"warning\" or \"info\"",
            ));
        };
        self.levels.insert(id.to_string(), l);
        Ok(())
    }

    fn set_setting(&mut self, name: &str, v: &toml::Value, path: &Path, text: &str) -> Result<()> {
        let bad = |what: &str| {
            Error::bad_data(
                path,
                line_of_key(text, name),
                None,
                format!("setting '{name}' must be {what}"),
                format!("e.g. {}", example(name)),
            )
        };
        let s = &mut self.settings;
        match name {
            "max_question_chars_zh" | "max_question_chars_en" => {
                let n = v
                    .as_integer()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| bad("a positive whole number"))?
                    as usize;
                if name.ends_with("zh") {
                    s.max_question_chars_zh = n;
                } else {
                    s.max_question_chars_en = n;
                }
            }
            "reading_speed_zh" | "reading_speed_en" => {
                let x = v
                    .as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .filter(|x| *x > 0.0 && x.is_finite())
                    .ok_or_else(|| bad("a positive number"))?;
                if name.ends_with("zh") {
                    s.reading_speed_zh = x;
                } else {
                    s.reading_speed_en = x;
                }
            }
            "glossary" | "known_acronyms" => {
                let list: Option<Vec<String>> = v
                    .as_array()
                    .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
                let list = list.ok_or_else(|| bad("an array of strings"))?;
                if name == "glossary" {
                    s.glossary = list;
                } else {
                    s.known_acronyms.extend(list);
                }
            }
            _ => {
                let help = if super::rules::rule(name).is_some() {
                    format!(
                        "'{name}' is a rule: put it under [rules] as {name} = \"off\"|\"error\"|\"warning\"|\"info\""
                    )
                } else {
                    format!("known settings: {}", SETTING_NAMES.join(", "))
                };
                return Err(Error::bad_data(
                    path,
                    line_of_key(text, name),
                    None,
                    format!("unknown lint setting '{name}'"),
                    help,
                ));
            }
        }
        Ok(())
    }

    /// The severity a rule runs at, or `None` when it is switched off.
    pub fn severity(&self, id: &str, default: Severity) -> Option<Severity> {
        match self.levels.get(id) {
            Some(Level::Off) => None,
            Some(Level::On(s)) => Some(*s),
            None => Some(default),
        }
    }
}

fn example(name: &str) -> &'static str {
    match name {
        "max_question_chars_zh" => "max_question_chars_zh = 40",
        "max_question_chars_en" => "max_question_chars_en = 120",
        "reading_speed_zh" => "reading_speed_zh = 300",
        "reading_speed_en" => "reading_speed_en = 200",
        "glossary" => "glossary = [\"SKU\", \"RFQ\"]",
        _ => "known_acronyms = [\"NPS\"]",
    }
}

/// The 1-based line on which `key = ` is first written, for messages.
pub fn line_of_key(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches('"');
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with('='))
        })
        .map(|i| i as u64 + 1)
}
