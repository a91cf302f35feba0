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
use crate::toml_source::TomlSource;

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
    /// [`Error::Io`] when unreadable; [`Error::Usage`] at `file:line:col` of a syntax error, an
    /// unknown rule or setting, or a value of the wrong type, with the line and a caret.
    pub fn from_file(path: &Path) -> Result<LintConfig> {
        let text = crate::input::read_to_string(path)?;
        LintConfig::from_str(path, &text)
    }

    /// Parse rules-file text; `path` is used in messages (the `lint_config` fuzz target).
    ///
    /// # Errors
    /// As [`LintConfig::from_file`], less the I/O errors.
    pub fn from_str(path: &Path, text: &str) -> Result<LintConfig> {
        let (src, table) = TomlSource::parse(path, text, "fix the TOML syntax of the rules file")?;
        LintConfig::from_table_at(&table, &src, &[])
    }

    /// Build a configuration from a parsed table that is the whole of `text` (a rules file read
    /// elsewhere); `text` locates the keys in messages.
    ///
    /// # Errors
    /// As [`LintConfig::from_table_at`].
    pub fn from_table(table: &toml::Table, path: &Path, text: &str) -> Result<LintConfig> {
        let src = TomlSource::parse(path, text, "")
            .map(|(src, _)| src)
            .unwrap_or_else(|_| TomlSource::without_spans(path, text));
        LintConfig::from_table_at(table, &src, &[])
    }

    /// Build a configuration from the table at key path `prefix` of `src` (`[]` for a rules
    /// file, `["lint"]` for a grading rubric's `[lint]` table).
    ///
    /// # Errors
    /// [`Error::Usage`] at the key or value of an unknown rule or setting, or of a value of the
    /// wrong type.
    pub fn from_table_at(
        table: &toml::Table,
        src: &TomlSource,
        prefix: &[&str],
    ) -> Result<LintConfig> {
        let mut cfg = LintConfig::default();
        let at = |keys: &[&str]| -> Vec<String> {
            prefix.iter().chain(keys).map(|s| s.to_string()).collect()
        };
        for (key, value) in table {
            match (key.as_str(), value) {
                ("rules", toml::Value::Table(rules)) => {
                    for (id, v) in rules {
                        let place = Place::new(src, at(&["rules", id]));
                        match v {
                            toml::Value::String(level) => cfg.set_level(id, level, &place)?,
                            other => cfg.set_setting(id, other, &place)?,
                        }
                    }
                }
                ("settings", toml::Value::Table(settings)) => {
                    for (name, v) in settings {
                        cfg.set_setting(name, v, &Place::new(src, at(&["settings", name])))?;
                    }
                }
                (name, v) => cfg.set_setting(name, v, &Place::new(src, at(&[name])))?,
            }
        }
        Ok(cfg)
    }
    fn set_level(&mut self, id: &str, level: &str, place: &Place<'_>) -> Result<()> {
        if super::rules::rule(id).is_none() {
            let close = super::rules::suggest(id);
            return Err(place.key_error(
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
            return Err(place.value_error(
                format!("'{level}' is not a rule level for '{id}'"),
                "write \"off\", \"error\", \"warning\" or \"info\"",
            ));
        };
        self.levels.insert(id.to_string(), l);
        Ok(())
    }

    fn set_setting(&mut self, name: &str, v: &toml::Value, place: &Place<'_>) -> Result<()> {
        let bad = |what: &str| {
            place.value_error(
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
                return Err(place.key_error(format!("unknown lint setting '{name}'"), help));
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

/// Where a key of the configuration sits in its file, for messages.
struct Place<'s> {
    src: &'s TomlSource,
    key: Vec<String>,
}

impl<'s> Place<'s> {
    fn new(src: &'s TomlSource, key: Vec<String>) -> Self {
        Place { src, key }
    }

    fn key_error(&self, message: impl Into<String>, help: impl AsRef<str>) -> Error {
        let keys: Vec<&str> = self.key.iter().map(String::as_str).collect();
        self.src
            .error(self.src.key_span(&keys), message.into(), help.as_ref())
    }

    fn value_error(&self, message: impl Into<String>, help: impl AsRef<str>) -> Error {
        let keys: Vec<&str> = self.key.iter().map(String::as_str).collect();
        let span = self
            .src
            .value_span(&keys)
            .or_else(|| self.src.key_span(&keys));
        self.src.error(span, message.into(), help.as_ref())
    }
}
