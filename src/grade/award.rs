//! Points for one submission: [`award`] checks each criterion against the loaded survey, and
//! [`charge`] assigns lint findings to deductions.
//!
//! An award is all-or-nothing ([`Scorer::full`]) or a share of the points for the fields filled
//! in ([`Scorer::parts`]); every award says why and names the survey line it refers to, so the
//! feedback can quote it. A finding counts toward the first deduction that matches it, and caps
//! (in all, per rule) turn further charges into 0 points that are still listed.

use std::collections::HashMap;

use super::rubric::{Check, Criterion, Deduction, Matcher};
use super::scores::{Award, Charge, round2};
use crate::diagnostic::Diagnostic;
use crate::lint::{self, Loaded};
use crate::model::QuestionKind;

fn line_of(l: &Loaded, span: &std::ops::Range<usize>) -> usize {
    l.survey.source.line_col(span.start).0
}

/// One criterion being scored against one loaded survey.
struct Scorer<'a> {
    criterion: &'a Criterion,
    loaded: &'a Loaded,
}

impl Scorer<'_> {
    /// The line of a `[name]` table header.
    fn header_line(&self, name: &str) -> Option<usize> {
        self.loaded
            .spans
            .headers
            .get(name)
            .map(|r| line_of(self.loaded, r))
    }

    /// All the points when `ok`, else none.
    fn full(&self, ok: bool, yes: String, no: String, line: Option<usize>) -> Award {
        Award {
            points: if ok { self.criterion.points } else { 0.0 },
            why: if ok { yes } else { no },
            line,
        }
    }

    /// A share of the points: one part per field, for the fields that are filled in.
    fn parts(&self, fields: &[(&str, bool)], what: &str, line: Option<usize>) -> Award {
        let have: Vec<&str> = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
        let missing: Vec<&str> = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
        let n = have.len() + missing.len();
        let pts = round2(self.criterion.points * have.len() as f64 / n as f64);
        let why = match (have.is_empty(), missing.is_empty()) {
            (_, true) => format!("{what}: {} all filled in", have.join(", ")),
            (true, _) => format!("{what}: {} missing", missing.join(", ")),
            _ => format!(
                "{what}: {} filled in; {} missing",
                have.join(", "),
                missing.join(", ")
            ),
        };
        Award {
            points: pts,
            why,
            line,
        }
    }

    fn plan(&self) -> Award {
        match &self.loaded.survey.plan {
            None => Award {
                points: 0.0,
                why: "no [plan] section (objective, population, methods, sample_size)".into(),
                line: self.header_line("survey"),
            },
            Some(p) => {
                let fields = [
                    ("objective", filled(p.objective.as_deref())),
                    ("population", filled(p.population.as_deref())),
                    ("methods", !p.methods.is_empty()),
                    ("sample_size", p.sample_size.is_some()),
                ];
                self.parts(&fields, "[plan]", self.header_line("plan"))
            }
        }
    }

    fn preface(&self) -> Award {
        match &self.loaded.survey.preface {
            None => Award {
                points: 0.0,
                why: "no [preface] (purpose, confidentiality, minutes)".into(),
                line: self.header_line("survey"),
            },
            Some(p) => {
                let fields = [
                    ("purpose", filled(p.purpose.as_deref())),
                    ("confidentiality", filled(p.confidentiality.as_deref())),
                    ("minutes", p.minutes.is_some()),
                ];
                self.parts(&fields, "[preface]", self.header_line("preface"))
            }
        }
    }

    fn closing(&self) -> Award {
        let ok = self
            .loaded
            .survey
            .closing
            .as_ref()
            .is_some_and(|c| filled(c.thanks.as_deref()));
        self.full(
            ok,
            "[closing] thanks the respondent".into(),
            "no thanks in [closing]".into(),
            self.header_line("closing").or(self.header_line("survey")),
        )
    }

    fn dimensions(&self) -> Award {
        let n = self.loaded.survey.tree.dimensions().len() as u64;
        let min = self.criterion.min;
        self.full(
            n >= min,
            format!("{n} dimensions in the tree (at least {min} required)"),
            format!("{n} dimensions in the tree; at least {min} required"),
            self.header_line("tree"),
        )
    }

    fn questions(&self) -> Award {
        let s = &self.loaded.survey;
        let n = s.questions.len() as u64;
        let min = self.criterion.min;
        let line = s.questions.first().map(|q| line_of(self.loaded, &q.span));
        self.full(
            n >= min,
            format!("{n} body questions (at least {min} required)"),
            format!("{n} body questions; at least {min} required"),
            line,
        )
    }

    fn profile(&self) -> Award {
        let s = &self.loaded.survey;
        let behaviour: Vec<&crate::model::Question> = s
            .profile
            .iter()
            .filter(|q| lint::rules::is_behaviour_question(q))
            .collect();
        let n = behaviour.len() as u64;
        let line = behaviour
            .first()
            .copied()
            .or(s.profile.first())
            .map(|q| line_of(self.loaded, &q.span));
        self.full(
            n >= self.criterion.min,
            format!("{n} profile question(s) on when/where/what/how often customers buy"),
            format!(
                "{n} profile question(s) on buying behaviour; at least {} required",
                self.criterion.min
            ),
            line.or(self.header_line("survey")),
        )
    }

    fn open_final(&self) -> Award {
        match self.loaded.survey.questions.last() {
            Some(q) => self.full(
                q.kind == QuestionKind::Text,
                format!("the last question '{}' is open", q.id),
                format!(
                    "the last question '{}' is {}, not open (type = \"text\")",
                    q.id,
                    q.kind.as_str()
                ),
                Some(line_of(self.loaded, &q.span)),
            ),
            None => self.full(
                false,
                String::new(),
                "no body questions".into(),
                self.header_line("survey"),
            ),
        }
    }

    fn valid_tree(&self) -> Award {
        let l = self.loaded;
        let first = l.check_errors.first().map(|(_, d)| d.line);
        self.full(
            l.passes_check(),
            "the tree is valid and sibling weights sum to 1".into(),
            format!(
                "the tree fails `satkit check`: {}",
                l.check_errors
                    .first()
                    .map(|(_, d)| d.message.as_str())
                    .unwrap_or("")
            ),
            first.or(self.header_line("tree")),
        )
    }

    fn overall(&self) -> Award {
        let s = &self.loaded.survey;
        let q = s.role_item(crate::model::Role::Overall);
        self.full(
            lint::rules::has_overall_item(s),
            match q {
                Some(q) => format!("overall-satisfaction item '{}'", q.id),
                None => "an overall-satisfaction item".into(),
            },
            "no overall-satisfaction item (role = \"overall\")".into(),
            q.map(|q| line_of(self.loaded, &q.span))
                .or(self.header_line("tree")),
        )
    }
}

fn filled(v: Option<&str>) -> bool {
    v.is_some_and(|t| !t.trim().is_empty())
}

/// Award one criterion.
pub(crate) fn award(c: &Criterion, l: &Loaded) -> Award {
    let scorer = Scorer {
        criterion: c,
        loaded: l,
    };
    match c.check {
        Check::Plan => scorer.plan(),
        Check::Preface => scorer.preface(),
        Check::Closing => scorer.closing(),
        Check::Dimensions => scorer.dimensions(),
        Check::Questions => scorer.questions(),
        Check::Profile => scorer.profile(),
        Check::OpenFinal => scorer.open_final(),
        Check::ValidTree => scorer.valid_tree(),
        Check::Overall => scorer.overall(),
    }
}

/// Charge findings to deductions: each finding counts toward the first deduction that matches it.
pub(crate) fn charge(deductions: &[Deduction], findings: &[Diagnostic]) -> Vec<Vec<Charge>> {
    let mut used = vec![false; findings.len()];
    let mut out = Vec::new();
    for d in deductions {
        let mut charges = Vec::new();
        let mut total = 0.0;
        let mut per_rule: HashMap<String, f64> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            let rule = f.rule.clone().unwrap_or_default();
            let hit = match &d.matcher {
                Matcher::Rules(rs) => rs.contains(&rule),
                Matcher::Severity(s) => f.severity == *s,
            };
            if used[i] || !hit {
                continue;
            }
            used[i] = true;
            let mut pts = d.points;
            if let Some(cap) = d.cap_per_rule {
                pts = pts.min(cap - per_rule.get(&rule).copied().unwrap_or(0.0));
            }
            if let Some(cap) = d.cap {
                pts = pts.min(cap - total);
            }
            let pts = round2(pts.max(0.0));
            total += pts;
            *per_rule.entry(rule).or_default() += pts;
            charges.push(Charge {
                finding: f.clone(),
                points: pts,
            });
        }
        out.push(charges);
    }
    out
}
