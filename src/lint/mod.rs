//! Questionnaire lint: rules of good survey design checked against a valid survey file.
//!
//! Design: every rule is one entry of the static table [`rules::RULES`] (id, default severity,
//! description, a bad and a good example, and a check function), so adding a rule means adding
//! one entry and its test cases. A check function sees a [`Ctx`] (the validated survey, the TOML
//! spans of what it may point at, and the settings) and returns [`Finding`]s; [`lint`] turns them
//! into located [`Diagnostic`]s at the configured severity and drops the ones an inline comment
//! allows:
//!
//! ```toml
//! # satkit-lint: allow(double_barrelled)
//! text = "您对价格和质量是否满意？"
//! ```
//!
//! (the comment may stand on the line of the offending text or on the line before it).
//!
//! Weight problems (`weights_sum`, `zero_weight`, `ahp_consistency`) and leaves without questions
//! (`indicator_unmeasured`) make `satkit check` reject a survey. So that such a survey can still be
//! linted (and graded), [`load_str`] re-validates a copy of the file with the tree's weights and
//! AHP tables (and the empty leaves) blanked out, byte for byte, so every span still points into
//! the original text; the check errors are then reported as findings of those rules. Any other
//! validation error makes the file [`Outcome::Invalid`].

pub mod config;
pub mod context;
pub mod estimate;
pub mod report;
pub mod rules;
pub mod settings;
pub mod text;

use std::collections::HashMap;
use std::path::Path;

pub use config::{Level, LintConfig, Settings};
pub use context::{Ctx, Finding, QuestionSpans, Spans};
pub use estimate::{Estimate, answer_seconds, estimate};
pub use rules::{Group, RULES, Rule};

use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::error::Result;
use crate::model::Survey;

/// A survey ready to lint.
#[derive(Debug)]
pub struct Loaded {
    pub survey: Survey,
    pub spans: Spans,
    /// `satkit check` errors that a lint rule re-reports, with the rule id. When not empty, the
    /// survey was validated with its weights blanked out (see the module documentation).
    pub check_errors: Vec<(&'static str, Diagnostic)>,
}

impl Loaded {
    /// The survey passes `satkit check` as written (its tree and weights are valid).
    pub fn passes_check(&self) -> bool {
        self.check_errors.is_empty()
    }
}

/// The result of reading a survey for linting.
#[derive(Debug)]
pub enum Outcome {
    Loaded(Box<Loaded>),
    /// The file does not parse or validate; these are `satkit check`'s diagnostics.
    Invalid(Vec<Diagnostic>),
}

/// Read a survey file for linting.
///
/// # Errors
/// Only I/O errors; an invalid survey is [`Outcome::Invalid`].
pub fn load_file(path: &Path) -> Result<Outcome> {
    let bytes = crate::input::read(path)?;
    let utf16 = !crate::input::not_utf8_hint(&bytes).is_empty();
    match String::from_utf8(bytes) {
        Ok(text) if !utf16 => Ok(load_str(&path.display().to_string(), &text)),
        _ => Ok(Outcome::Invalid(Survey::check_file(path)?.diagnostics)),
    }
}

/// Validate survey text for linting; `name` is used in diagnostics.
pub fn load_str(name: &str, text: &str) -> Outcome {
    let text = text.trim_start_matches('\u{feff}');
    let checked = Survey::check_str(name, text);
    if let Some(survey) = checked.survey {
        let spans = Spans::read(text);
        return Outcome::Loaded(Box::new(Loaded {
            survey,
            spans,
            check_errors: Vec::new(),
        }));
    }
    let errors: Vec<&Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let classified: Option<Vec<(&'static str, Diagnostic)>> = errors
        .iter()
        .map(|d| classify_check_error(d).map(|r| (r, (*d).clone())))
        .collect();
    let Some(classified) = classified.filter(|c| !c.is_empty()) else {
        return Outcome::Invalid(checked.diagnostics);
    };
    let empty_leaves: Vec<usize> = classified
        .iter()
        .filter(|(r, _)| *r == "indicator_unmeasured")
        .map(|(_, d)| d.line)
        .collect();
    let neutral = neutralise_weights(text, &empty_leaves);
    let rechecked = Survey::check_str(name, &neutral);
    match rechecked.survey {
        Some(mut survey) => {
            survey.source = SourceFile::new(name, text);
            let spans = Spans::read(&neutral);
            Outcome::Loaded(Box::new(Loaded {
                survey,
                spans,
                check_errors: classified,
            }))
        }
        None => Outcome::Invalid(checked.diagnostics),
    }
}

/// The lint rule that re-reports a `satkit check` error, if any.
pub fn classify_check_error(d: &Diagnostic) -> Option<&'static str> {
    let m = d.message.as_str();
    if m.contains("sibling weights must sum to 1")
        || m.contains("has no weight while its siblings do")
    {
        Some("weights_sum")
    } else if m.contains("must be above 0 and at most 1") {
        if m.starts_with("weight 0 ") || m.starts_with("weight -") {
            Some("zero_weight")
        } else {
            Some("weights_sum")
        }
    } else if m.contains("is inconsistent: CR =") {
        Some("ahp_consistency")
    } else if m.contains("is measured by no question") {
        Some("indicator_unmeasured")
    } else {
        None
    }
}

/// Blank (with spaces, byte for byte) the `weight`/`weights` keys and AHP tables of the tree, and
/// the tables of the leaves starting at or before the given 1-based lines.
fn neutralise_weights(text: &str, empty_leaf_lines: &[usize]) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // A table header, not a line of a multi-line array ("  [1, \"1/3\", 5],").
    let is_header = |l: &str| {
        let t = l.trim_start();
        let body = t.split('#').next().unwrap_or("").trim_end();
        let inner = t.trim_start_matches('[');
        t.starts_with('[')
            && body.ends_with(']')
            && !body.contains(',')
            && inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '"')
    };
    let mut blank_tables: Vec<usize> = Vec::new();
    for &line in empty_leaf_lines {
        if let Some(h) = (0..line.min(lines.len()))
            .rev()
            .find(|&i| is_header(lines[i]))
        {
            blank_tables.push(h);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tree = false;
    let mut in_ahp = false;
    let mut in_blank = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if is_header(line) {
            let name = t
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim();
            in_tree = name == "tree" || name.starts_with("tree.");
            in_ahp = in_tree && (name.ends_with(".ahp") || name == "tree.ahp");
            in_blank = blank_tables.contains(&i);
        }
        let key = t.split('=').next().unwrap_or("").trim();
        let blank = in_blank
            || in_ahp
            || (in_tree
                && !is_header(line)
                && (key == "weight"
                    || key == "weights"
                    || key == "ahp"
                    || key.starts_with("ahp.")));
        if blank {
            out.extend(line.bytes().map(|b| {
                if b == b'\n' || b == b'\r' {
                    b as char
                } else {
                    ' '
                }
            }));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Run every rule that the configuration leaves on; findings sorted by place.
pub fn lint(loaded: &Loaded, cfg: &LintConfig) -> Vec<Diagnostic> {
    let cx = Ctx {
        survey: &loaded.survey,
        spans: &loaded.spans,
        settings: &cfg.settings,
        check_errors: &loaded.check_errors,
    };
    let src = &loaded.survey.source;
    let allowed = allowed_rules(&src.text);
    let mut out = Vec::new();
    for rule in RULES {
        let Some(severity) = cfg.severity(rule.id, rule.severity) else {
            continue;
        };
        for f in (rule.check)(&cx) {
            let mut d = match f.check {
                Some(d) => d,
                None => src.diagnostic(severity, f.span, f.message, f.help),
            };
            d.severity = severity;
            d.rule = Some(rule.id.to_string());
            let allows = |line: usize| {
                allowed
                    .get(&line)
                    .is_some_and(|ids| ids.iter().any(|i| i == rule.id || i == "all"))
            };
            if allows(d.line) || (d.line > 1 && allows(d.line - 1)) {
                continue;
            }
            out.push(d);
        }
    }
    out.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
    out
}

/// Rule ids allowed by `# satkit-lint: allow(a, b)` comments, by 1-based line.
pub fn allowed_rules(text: &str) -> HashMap<usize, Vec<String>> {
    const MARK: &str = "satkit-lint:";
    let mut out: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some(hash) = line.find('#') else { continue };
        let mut rest = &line[hash..];
        while let Some(p) = rest.find(MARK) {
            rest = rest[p + MARK.len()..].trim_start();
            if let Some(args) = rest.strip_prefix("allow(") {
                let end = args.find(')').unwrap_or(args.len());
                out.entry(i + 1).or_default().extend(
                    args[..end]
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
                rest = &args[end..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
