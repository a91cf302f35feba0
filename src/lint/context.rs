//! What a rule sees and what it returns: the survey with the byte spans of its keys in the file
//! ([`Spans`], read once from the TOML), the settings, and a [`Finding`] per defect.

use std::collections::HashMap;
use std::ops::Range;

use super::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::model::Question;
use crate::model::Survey;
use crate::model::raw::RawSurvey;

/// What a rule found: where, what is wrong, and a one-line fix.
#[derive(Debug, Clone)]
pub struct Finding {
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: String,
    /// A `satkit check` diagnostic re-reported by a rule (keeps its location and snippet).
    pub check: Option<Diagnostic>,
}

impl Finding {
    pub fn at(span: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            span: Some(span),
            message: message.into(),
            help: help.into(),
            check: None,
        }
    }
}

/// Spans of a question's keys in the survey file.
#[derive(Debug, Clone)]
pub struct QuestionSpans {
    pub id: Range<usize>,
    pub text: Range<usize>,
    pub kind: Range<usize>,
    pub scale: Option<Range<usize>>,
}

/// Spans of what the rules point at, read from the TOML file.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    pub questions: HashMap<String, QuestionSpans>,
    /// `labels` of each declared scale (or its name when it has no labels).
    pub scale_labels: HashMap<String, Range<usize>>,
    pub preface_minutes: Option<Range<usize>>,
    /// Table headers such as `[preface]`, by table name.
    pub headers: HashMap<&'static str, Range<usize>>,
}

impl Spans {
    pub(crate) fn read(text: &str) -> Spans {
        let mut spans = Spans::default();
        for name in [
            "survey",
            "plan",
            "preface",
            "closing",
            "respondents",
            "tree",
        ] {
            if let Some(r) = header_span(text, name) {
                spans.headers.insert(name, r);
            }
        }
        let Ok(raw) = toml::from_str::<RawSurvey>(text) else {
            return spans;
        };
        for q in raw.profile.iter().chain(raw.question.iter()) {
            let q = q.get_ref();
            spans
                .questions
                .entry(q.id.get_ref().clone())
                .or_insert(QuestionSpans {
                    id: q.id.span(),
                    text: q.text.span(),
                    kind: q.kind.span(),
                    scale: q.scale.as_ref().map(|s| s.span()),
                });
        }
        for (name, sc) in &raw.scales.0 {
            let span = sc
                .get_ref()
                .labels
                .as_ref()
                .map(|l| l.span())
                .unwrap_or_else(|| name.span());
            spans.scale_labels.insert(name.get_ref().clone(), span);
        }
        spans.preface_minutes = raw
            .preface
            .as_ref()
            .and_then(|p| p.get_ref().minutes.as_ref().map(|m| m.span()));
        spans
    }
}

/// The byte span of a `[name]` table header.
fn header_span(text: &str, name: &str) -> Option<Range<usize>> {
    let header = format!("[{name}]");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(&header) {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + header.len());
        }
        offset += line.len();
    }
    None
}

/// What a rule's check function sees.
pub struct Ctx<'a> {
    pub survey: &'a Survey,
    pub spans: &'a Spans,
    pub settings: &'a Settings,
    pub check_errors: &'a [(&'static str, Diagnostic)],
}

impl Ctx<'_> {
    /// The span of a question's `text` value (quotes included).
    pub fn text_span(&self, q: &Question) -> Range<usize> {
        self.spans
            .questions
            .get(&q.id)
            .map(|s| s.text.clone())
            .unwrap_or_else(|| q.span.clone())
    }

    /// The span of `len` bytes at byte `pos` of the question text, inside the file.
    pub fn in_text(&self, q: &Question, pos: usize, len: usize) -> Range<usize> {
        let span = self.text_span(q);
        match self
            .survey
            .source
            .text
            .get(span.clone())
            .and_then(|lit| lit.find(q.text.as_str()))
        {
            Some(k) if !q.text.is_empty() => span.start + k + pos..span.start + k + pos + len,
            _ => span,
        }
    }

    pub fn kind_span(&self, q: &Question) -> Range<usize> {
        self.spans
            .questions
            .get(&q.id)
            .map(|s| s.kind.clone())
            .unwrap_or_else(|| q.span.clone())
    }

    pub fn scale_span(&self, q: &Question) -> Range<usize> {
        self.spans
            .questions
            .get(&q.id)
            .and_then(|s| s.scale.clone())
            .unwrap_or_else(|| q.span.clone())
    }

    /// A table header, falling back to `[survey]`, then to the start of the file.
    pub fn header(&self, name: &str) -> Range<usize> {
        self.spans
            .headers
            .get(name)
            .or_else(|| self.spans.headers.get("survey"))
            .cloned()
            .unwrap_or(0..0)
    }
}
