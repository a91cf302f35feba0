//! Quality gates on a results document: thresholds that turn a finished analysis into a pass or
//! a fail (exit 1), for CI pipelines and batch runs.
//!
//! Design: [`Gates`] is the validated plan (parsed once, from flags, a batch file or compare's
//! options); [`evaluate`] is a pure function of the results, the optional baseline and the gates,
//! returning one [`GateOutcome`] per check so callers can print failures, count passes and add
//! the outcomes to their JSON. Nothing here prints or knows about the command line.
//!
//! The four gates:
//! - `fail_under`: the overall index (root score) must be at least the threshold;
//! - `fail_node`: a node's score must be at least its threshold (`service<60` fails when the
//!   score of `service` is under 60);
//! - `fail_drop`: the index must not fall by more than the given points against a baseline;
//! - `fail_alpha_under`: Cronbach's alpha of every reliability node (dimensions and multi-item
//!   indicators) must be at least the threshold.
//!
//! A score that could not be computed fails its gate: a gate that cannot be checked must not
//! pass silently.

use serde::{Deserialize, Serialize};

use crate::analysis::Results;
use crate::error::{Error, Result};

/// The gates to check. Empty (the default) checks nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gates {
    /// Minimum overall index (0–100).
    pub fail_under: Option<f64>,
    /// Minimum score per node id.
    pub fail_node: Vec<(String, f64)>,
    /// Largest allowed fall of the index against the baseline, in points.
    pub fail_drop: Option<f64>,
    /// Minimum Cronbach's alpha of every reliability node.
    pub fail_alpha_under: Option<f64>,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateOutcome {
    /// fail_under, fail_node, fail_drop or fail_alpha_under.
    pub gate: String,
    /// What was checked: "index", a node id, or a reliability node id.
    pub subject: String,
    /// The value compared with the threshold (a score, a drop in points, or an alpha); null when
    /// it could not be computed.
    pub value: Option<f64>,
    pub threshold: f64,
    pub passed: bool,
    /// One line saying what passed or failed, e.g. "index 53.2 is under --fail-under 60".
    pub message: String,
}

impl Gates {
    /// True when no gate is set.
    pub fn is_empty(&self) -> bool {
        self.fail_under.is_none()
            && self.fail_node.is_empty()
            && self.fail_drop.is_none()
            && self.fail_alpha_under.is_none()
    }

    /// Node ids named by `fail_node` that are not among `known` (the survey's tree nodes).
    ///
    /// # Errors
    /// [`Error::Usage`] naming the first unknown node and listing the known ones.
    pub fn check_nodes<'a>(&self, known: impl IntoIterator<Item = &'a str> + Clone) -> Result<()> {
        for (id, _) in &self.fail_node {
            if !known.clone().into_iter().any(|k| k == id) {
                let list: Vec<&str> = known.into_iter().collect();
                return Err(Error::usage(
                    format!("--fail-node: '{id}' is not a node of the survey's tree"),
                    format!("use one of: {}", list.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// Parse one `--fail-node` value, `NODE<SCORE` (spaces allowed around `<`).
///
/// # Errors
/// [`Error::Usage`] when there is no `<`, the node is empty or the score is not a number in 0–100.
///
/// # Examples
/// ```
/// let (node, score) = satkit::gates::parse_fail_node("service<60").unwrap();
/// assert_eq!((node.as_str(), score), ("service", 60.0));
/// ```
pub fn parse_fail_node(spec: &str) -> Result<(String, f64)> {
    let bad = |why: &str| {
        Error::usage(
            format!("--fail-node '{spec}' {why}"),
            "write NODE<SCORE with a node id and a score on 0–100, e.g. --fail-node 'service<60'",
        )
    };
    let Some((node, score)) = spec.split_once('<') else {
        return Err(bad("is not NODE<SCORE"));
    };
    let node = node.trim();
    if node.is_empty() {
        return Err(bad("names no node"));
    }
    let score: f64 = score
        .trim()
        .parse()
        .map_err(|_| bad("has a score that is not a number"))?;
    if !(0.0..=100.0).contains(&score) {
        return Err(bad("has a score outside 0–100"));
    }
    Ok((node.to_string(), score))
}

/// Check a threshold that must be a finite number within `range`.
///
/// # Errors
/// [`Error::Usage`] naming the option.
pub fn check_threshold(
    name: &str,
    value: f64,
    range: std::ops::RangeInclusive<f64>,
) -> Result<f64> {
    if value.is_finite() && range.contains(&value) {
        Ok(value)
    } else {
        Err(Error::usage(
            format!(
                "{name} {value} is outside {}–{}",
                range.start(),
                range.end()
            ),
            format!(
                "give {name} a number from {} to {}",
                range.start(),
                range.end()
            ),
        ))
    }
}

fn fmt1(v: f64) -> String {
    crate::numbers::fixed(v, 1)
}

/// A threshold without trailing zeros: 60 rather than 60.0, 0.7 rather than 0.70.
fn fmt_threshold(v: f64) -> String {
    let s = format!("{v}");
    if s.len() > 8 { format!("{v:.3}") } else { s }
}

/// Check every gate against `results` (and `baseline` for `fail_drop`).
///
/// `fail_drop` without a baseline yields a failed outcome saying so; callers normally require
/// the baseline up front.
///
/// # Examples
/// ```no_run
/// # fn demo(results: &satkit::analysis::Results) {
/// use satkit::gates::{Gates, evaluate};
/// let gates = Gates { fail_under: Some(60.0), ..Gates::default() };
/// for o in evaluate(results, None, &gates).iter().filter(|o| !o.passed) {
///     eprintln!("gate failed: {}", o.message);
/// }
/// # }
/// ```
pub fn evaluate(results: &Results, baseline: Option<&Results>, gates: &Gates) -> Vec<GateOutcome> {
    let mut out = Vec::new();
    let index = results.index.score.filter(|v| v.is_finite());
    if let Some(t) = gates.fail_under {
        let (passed, message) = match index {
            Some(v) if v >= t => (
                true,
                format!("index {} meets --fail-under {}", fmt1(v), fmt_threshold(t)),
            ),
            Some(v) => (
                false,
                format!(
                    "index {} is under --fail-under {}",
                    fmt1(v),
                    fmt_threshold(t)
                ),
            ),
            None => (
                false,
                format!(
                    "index was not computed, so --fail-under {} cannot pass",
                    fmt_threshold(t)
                ),
            ),
        };
        out.push(outcome("fail_under", "index", index, t, passed, message));
    }
    for (id, t) in &gates.fail_node {
        let node = results.index.nodes.iter().find(|n| &n.id == id);
        let score = node.and_then(|n| n.score).filter(|v| v.is_finite());
        let flag = format!("--fail-node '{id}<{}'", fmt_threshold(*t));
        let (passed, message) = match (node, score) {
            (None, _) => (false, format!("node '{id}' is not in the results ({flag})")),
            (Some(_), None) => (
                false,
                format!("node '{id}' has no score, so {flag} cannot pass"),
            ),
            (Some(_), Some(v)) if v >= *t => {
                (true, format!("node '{id}' score {} meets {flag}", fmt1(v)))
            }
            (Some(_), Some(v)) => (
                false,
                format!("node '{id}' score {} is under {flag}", fmt1(v)),
            ),
        };
        out.push(outcome("fail_node", id, score, *t, passed, message));
    }
    if let Some(t) = gates.fail_drop {
        let flag = format!("--fail-drop {}", fmt_threshold(t));
        let base = baseline
            .and_then(|b| b.index.score)
            .filter(|v| v.is_finite());
        let (value, passed, message) = match (baseline, base, index) {
            (None, _, _) => (
                None,
                false,
                format!("{flag} needs a baseline results.json to compare with"),
            ),
            (Some(_), Some(b), Some(v)) => {
                let drop = b - v;
                if drop > t {
                    (
                        Some(drop),
                        false,
                        format!(
                            "index fell {} points ({} → {}), more than {flag}",
                            fmt1(drop),
                            fmt1(b),
                            fmt1(v)
                        ),
                    )
                } else {
                    (
                        Some(drop),
                        true,
                        format!(
                            "index changed {:+.1} points ({} → {}), within {flag}",
                            v - b,
                            fmt1(b),
                            fmt1(v)
                        ),
                    )
                }
            }
            _ => (
                None,
                false,
                format!(
                    "the index of the results or of the baseline was not computed, so {flag} cannot pass"
                ),
            ),
        };
        out.push(outcome("fail_drop", "index", value, t, passed, message));
    }
    if let Some(t) = gates.fail_alpha_under {
        let flag = format!("--fail-alpha-under {}", fmt_threshold(t));
        if results.reliability.is_empty() {
            out.push(outcome(
                "fail_alpha_under",
                "reliability",
                None,
                t,
                false,
                format!("no reliability was computed (see omitted), so {flag} cannot pass"),
            ));
        }
        for r in &results.reliability {
            let alpha = Some(r.alpha).filter(|a| a.is_finite());
            let (passed, message) = match alpha {
                Some(a) if a >= t => (true, format!("alpha {a:.3} of '{}' meets {flag}", r.node)),
                Some(a) => (
                    false,
                    format!("alpha {a:.3} of '{}' is under {flag}", r.node),
                ),
                None => (
                    false,
                    format!("alpha of '{}' is undefined, so {flag} cannot pass", r.node),
                ),
            };
            out.push(outcome(
                "fail_alpha_under",
                &r.node,
                alpha,
                t,
                passed,
                message,
            ));
        }
    }
    out
}

fn outcome(
    gate: &str,
    subject: &str,
    value: Option<f64>,
    threshold: f64,
    passed: bool,
    message: String,
) -> GateOutcome {
    GateOutcome {
        gate: gate.to_string(),
        subject: subject.to_string(),
        value,
        threshold,
        passed,
        message,
    }
}

/// True when every outcome passed (also when there are none).
pub fn all_passed(outcomes: &[GateOutcome]) -> bool {
    outcomes.iter().all(|o| o.passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fail_node() {
        assert_eq!(
            parse_fail_node(" service < 60.5").unwrap(),
            ("service".to_string(), 60.5)
        );
        assert!(parse_fail_node("service=60").is_err());
        assert!(parse_fail_node("<60").is_err());
        assert!(parse_fail_node("service<abc").is_err());
        assert!(parse_fail_node("service<160").is_err());
    }

    #[test]
    fn thresholds_print_without_trailing_zeros() {
        assert_eq!(fmt_threshold(60.0), "60");
        assert_eq!(fmt_threshold(0.7), "0.7");
    }
}
