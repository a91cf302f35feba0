//! The completion-time estimate of a questionnaire (rule `completion_time` and `satkit lint`'s
//! report): reading time at the configured speeds plus an answer time per item type.

use serde::Serialize;

use super::settings::Settings;
use super::text;
use crate::model::{QuestionKind, Survey};

/// Seconds to answer one item of each type (reading not included).
pub fn answer_seconds(kind: QuestionKind) -> f64 {
    match kind {
        QuestionKind::Rating => 4.0,
        QuestionKind::Single => 5.0,
        QuestionKind::Multiple => 8.0,
        QuestionKind::Numeric => 8.0,
        QuestionKind::Text => 30.0,
        QuestionKind::Nps => 4.0,
    }
}

/// Estimated completion time of a questionnaire.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Estimate {
    /// Reading the preface, closing, questions and choices, in seconds.
    pub reading_seconds: f64,
    /// Answering every item (rating 4 s, single 5 s, multiple 8 s, numeric 8 s, text 30 s, nps 4 s).
    pub answering_seconds: f64,
}

impl Estimate {
    pub fn minutes(&self) -> f64 {
        (self.reading_seconds + self.answering_seconds) / 60.0
    }
}

/// Estimate the completion time: Chinese at `reading_speed_zh` characters a minute, English at
/// `reading_speed_en` words a minute, plus an answer time per item type.
pub fn estimate(survey: &Survey, settings: &Settings) -> Estimate {
    let mut texts: Vec<&str> = Vec::new();
    if let Some(p) = &survey.preface {
        texts.extend(
            [&p.purpose, &p.confidentiality, &p.instructions]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    if let Some(c) = &survey.closing {
        texts.extend(c.thanks.as_deref());
    }
    let mut answering = 0.0;
    for q in survey.all_questions() {
        texts.push(&q.text);
        texts.extend(q.choices.iter().map(String::as_str));
        answering += answer_seconds(q.kind);
    }
    let reading: f64 = texts
        .iter()
        .map(|t| {
            60.0 * text::cjk_count(t) as f64 / settings.reading_speed_zh
                + 60.0 * text::latin_words(t) as f64 / settings.reading_speed_en
        })
        .sum();
    Estimate {
        reading_seconds: reading,
        answering_seconds: answering,
    }
}
