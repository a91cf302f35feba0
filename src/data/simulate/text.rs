//! Simulated open answers, in the survey's language, about what the respondent liked least or
//! most.
//!
//! Every leaf indicator of the tree is tied to a topic of [`super::phrases`] by the keywords
//! found in its id, name, and its questions' ids and texts (the dimension's own words when the
//! leaf has none). A respondent who writes:
//! - 7% give a one-word answer ("无", "none") and 4% an off-topic one;
//! - the others write about their weakest indicator (their lowest latent against its mean): a
//!   complaint or request when they are not satisfied overall, and, when they are, praise of their
//!   strongest indicator six times in ten; a third add a second clause about another indicator,
//!   and some close with a request or thanks.
//!
//! The share who write follows a logistic in the overall latent, calibrated so that the mean
//! share is `open_answers`: low scorers write more.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::phrases::{self, Topic};
use crate::model::Survey;

/// One leaf indicator: its body questions (indices) and its topic.
#[derive(Default)]
struct Leaf {
    node: String,
    questions: Vec<usize>,
    topic: Option<&'static Topic>,
}

#[derive(Default)]
pub struct TextModel {
    zh: bool,
    leaves: Vec<Leaf>,
}

/// The topic whose keywords occur most often in `text` (lower-cased), the first on ties.
fn topic_of(text: &str) -> Option<&'static Topic> {
    let text = text.to_lowercase();
    let mut best: Option<(&'static Topic, usize)> = None;
    for t in phrases::TOPICS {
        let hits = t
            .keywords
            .iter()
            .filter(|k| {
                if k.is_ascii() {
                    // Whole ASCII words only: "app" is not in "approach".
                    text.split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == **k || w.strip_suffix('s') == Some(k))
                } else {
                    text.contains(*k)
                }
            })
            .count();
        if hits > 0 && best.is_none_or(|(_, h)| hits > h) {
            best = Some((t, hits));
        }
    }
    best.map(|(t, _)| t)
}

impl TextModel {
    pub fn build(survey: &Survey, _dims: &[usize]) -> TextModel {
        let t = &survey.tree;
        let mut leaves = Vec::new();
        for i in t.preorder() {
            let node = &t.nodes[i];
            if !node.is_leaf() {
                continue;
            }
            let questions: Vec<usize> = node
                .questions
                .iter()
                .filter_map(|id| survey.questions.iter().position(|q| &q.id == id))
                .filter(|&qi| survey.questions[qi].kind.is_scaled())
                .collect();
            if questions.is_empty() {
                continue;
            }
            let mut words = format!("{} {}", node.id.replace('_', " "), node.name);
            for &qi in &questions {
                let q = &survey.questions[qi];
                words.push(' ');
                words.push_str(&q.id.replace('_', " "));
                words.push(' ');
                words.push_str(&q.text);
            }
            let own = topic_of(&format!("{} {}", node.id.replace('_', " "), node.name));
            let dimension = t
                .dimension_of(i)
                .map(|d| format!("{} {}", t.nodes[d].id.replace('_', " "), t.nodes[d].name));
            let topic = own
                .or_else(|| topic_of(&words))
                .or_else(|| dimension.as_deref().and_then(topic_of));
            leaves.push(Leaf {
                node: node.id.clone(),
                questions,
                topic,
            });
        }
        TextModel {
            zh: survey.is_zh(),
            leaves,
        }
    }

    /// Each leaf indicator's topic id (for the truth sidecar).
    pub fn topics(&self) -> Vec<(String, Option<String>)> {
        self.leaves
            .iter()
            .map(|l| (l.node.clone(), l.topic.map(|t| t.id.to_string())))
            .collect()
    }

    /// One-word answers in the survey's language.
    pub fn short_answers(&self) -> &'static [&'static str] {
        if self.zh {
            phrases::ZH_SHORT
        } else {
            phrases::EN_SHORT
        }
    }

    /// A respondent's open answer. `ys` and `mus` are each body question's latent and latent
    /// mean; `overall` the standard-normal overall latent.
    pub fn answer(
        &self,
        rng: &mut ChaCha8Rng,
        ys: &[f64],
        mus: &[f64],
        spread: f64,
        overall: f64,
        attentive: bool,
    ) -> String {
        let zh = self.zh;
        let pick = |rng: &mut ChaCha8Rng, list: &'static [&'static str]| -> &'static str {
            if list.is_empty() {
                ""
            } else {
                list[rng.random_range(0..list.len())]
            }
        };
        let kind: f64 = rng.random();
        let short_share = if attentive { 0.07 } else { 0.6 };
        if kind < short_share || self.leaves.is_empty() {
            return capitalise(pick(rng, self.short_answers()).to_string());
        }
        if kind < short_share + 0.04 {
            let list = if zh {
                phrases::ZH_OFF_TOPIC
            } else {
                phrases::EN_OFF_TOPIC
            };
            return capitalise(pick(rng, list).to_string());
        }
        // Leaves by the respondent's standing on them, worst first.
        let mut standing: Vec<(usize, f64)> = self
            .leaves
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let d: f64 = l.questions.iter().map(|&q| (ys[q] - mus[q]) / spread).sum();
                (i, d / l.questions.len() as f64)
            })
            .collect();
        standing.sort_by(|a, b| a.1.total_cmp(&b.1));
        let worst = self.leaves[standing[0].0].topic;
        let best = self.leaves[standing[standing.len() - 1].0].topic;
        let second = standing.get(1).and_then(|(i, _)| self.leaves[*i].topic);
        let praise = overall > 0.3 && rng.random_bool(0.6);
        let mut out = String::from(if praise {
            self.phrase(rng, best, true)
        } else {
            self.phrase(rng, worst, false)
        });
        if rng.random_bool(0.33) {
            // A second clause: another complaint, or a contrast with the praise.
            let extra = if praise {
                self.phrase(rng, worst, false)
            } else {
                self.phrase(rng, second, overall > 0.8)
            };
            if !extra.is_empty() && extra != out {
                let joins = if zh {
                    phrases::ZH_JOIN
                } else {
                    phrases::EN_JOIN
                };
                out.push_str(pick(rng, joins));
                out.push_str(extra);
            }
        }
        if rng.random_bool(0.2) {
            let close = if zh {
                phrases::ZH_CLOSE
            } else {
                phrases::EN_CLOSE
            };
            out.push_str(pick(rng, close));
        }
        capitalise(out)
    }

    /// A phrase about a topic (general when there is none).
    fn phrase(
        &self,
        rng: &mut ChaCha8Rng,
        topic: Option<&'static Topic>,
        positive: bool,
    ) -> &'static str {
        let list: &'static [&'static str] = match (topic, self.zh, positive) {
            (Some(t), true, false) => t.zh_neg,
            (Some(t), true, true) => t.zh_pos,
            (Some(t), false, false) => t.en_neg,
            (Some(t), false, true) => t.en_pos,
            (None, true, false) => phrases::ZH_GENERAL_NEG,
            (None, true, true) => phrases::ZH_GENERAL_POS,
            (None, false, false) => phrases::EN_GENERAL_NEG,
            (None, false, true) => phrases::EN_GENERAL_POS,
        };
        if list.is_empty() {
            return "";
        }
        list[rng.random_range(0..list.len())]
    }
}

/// The intercept a of P(write) = 1 / (1 + exp(−(a − 0.9·o))), o ~ N(0, 1), whose mean is
/// `share` (bisection over a grid integral of the normal density).
pub fn open_intercept(share: f64) -> f64 {
    let mean = |a: f64| {
        let (mut s, mut w) = (0.0, 0.0);
        for i in -600..=600 {
            let o = f64::from(i) / 100.0;
            let d = (-0.5 * o * o).exp();
            s += d / (1.0 + (-(a - 0.9 * o)).exp());
            w += d;
        }
        s / w
    };
    let share = share.clamp(1e-6, 1.0 - 1e-6);
    let (mut lo, mut hi) = (-20.0, 20.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if mean(mid) < share {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Upper-case the first letter (English phrases are written in lower case to follow any join).
fn capitalise(s: String) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) if first.is_ascii_lowercase() => {
            first.to_ascii_uppercase().to_string() + c.as_str()
        }
        _ => s,
    }
}
