//! `satkit map`: match a data file's headers to the survey's questions and propose the `--map`
//! file for `import`.
//!
//! Each header is tried, in order, as it is and as the parts platforms write around a question
//! (`1、题目`, `3(服务态度)`, `题目 - 行`, `题目:选项`, `group/q4`, `G1Q4[SQ002]`): by id, by
//! normalised text or alias, by a row label inside one question's text, and last by similarity
//! (character-bigram Dice on the normalised text). A fuzzy match is taken only when it is close
//! (≥ 0.8) and clearly better than the next question (by 0.1); otherwise the header is listed as
//! ambiguous with its candidates and never taken. A question matched by two headers is
//! ambiguous for both.

use std::collections::HashMap;

use serde::Serialize;

use super::headers::{How, bracketed, choice_code, find_question, normalise, strip_number};
use crate::model::{Question, QuestionKind, Survey};

/// The least similarity of a fuzzy match that is taken.
pub const FUZZY_MIN: f64 = 0.8;
/// How much better than the runner-up a fuzzy match must be.
pub const FUZZY_MARGIN: f64 = 0.1;
/// Candidates shown for an ambiguous header at least this similar.
const CANDIDATE_MIN: f64 = 0.5;

/// One header and what it matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Match {
    pub header: String,
    /// The question id, or `qid/code` for one option of a multiple-choice question.
    pub target: String,
    /// `id`, `label`, `row-label`, `option`, `numbering` (after stripping the platform's
    /// question number or group path), `fuzzy`.
    pub how: &'static str,
    /// 1 for exact matches; the similarity for fuzzy ones.
    pub confidence: f64,
}

/// A header with more than one plausible question.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ambiguous {
    pub header: String,
    /// (question id, similarity), best first.
    pub candidates: Vec<(String, f64)>,
    pub why: String,
}

/// The proposal for a file's headers.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub matched: Vec<Match>,
    pub ambiguous: Vec<Ambiguous>,
    /// Headers that match no question (respondent columns, metadata).
    pub unmatched_columns: Vec<String>,
    /// Questions no header matched.
    pub unmatched_questions: Vec<String>,
}

impl Proposal {
    /// The `--map` file: `[columns]` "header" = "target" for every match whose header is not
    /// already the target.
    pub fn mapping_toml(&self) -> String {
        let mut s = String::from(
            "# Written by `satkit map`: file header = question id (or id/option code).\n# Check the fuzzy matches; ambiguous headers are listed at the end, not mapped.\n[columns]\n",
        );
        for m in &self.matched {
            if m.header != m.target {
                s.push_str(&format!(
                    "{} = {}  # {}{}\n",
                    toml_string(&m.header),
                    toml_string(&m.target),
                    m.how,
                    if m.how == "fuzzy" {
                        format!(" {:.2}", m.confidence)
                    } else {
                        String::new()
                    }
                ));
            }
        }
        for a in &self.ambiguous {
            let c: Vec<String> = a.candidates.iter().map(|(q, _)| q.clone()).collect();
            s.push_str(&format!(
                "# ambiguous: {} -> {}\n",
                toml_string(&a.header),
                c.join(" | ")
            ));
        }
        s
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The parts of a header a platform wraps around a question, as (text, how).
fn keys(h: &str) -> Vec<(String, &'static str)> {
    let mut out = vec![(h.to_string(), "")];
    let mut push = |s: &str, how: &'static str| {
        let s = s.trim();
        if !s.is_empty() && !out.iter().any(|(k, _)| k == s) {
            out.push((s.to_string(), how));
        }
    };
    let stripped = strip_number(h);
    push(stripped, "numbering");
    if let Some(inner) = bracketed(stripped) {
        push(inner, "row-label");
    }
    for sep in [" - ", ":", "：", "/"] {
        if let Some((_, r)) = stripped.rsplit_once(sep) {
            push(r, if sep == "/" { "numbering" } else { "row-label" });
        }
    }
    if let Some(rest) = stripped.strip_suffix(']')
        && let Some((_, inner)) = rest.rsplit_once('[')
    {
        push(inner, "row-label");
    }
    out
}

/// One option of a multiple-choice question: `q/opt`, `q[opt]`, `q_2`, `题目:选项`,
/// `题目 - 选项`, `5(选项)`.
fn option_of(questions: &[&Question], h: &str) -> Option<(usize, i32)> {
    let stripped = strip_number(h);
    let splits: Vec<(&str, &str)> = [
        stripped.strip_suffix(']').and_then(|r| r.rsplit_once('[')),
        stripped.rsplit_once('/'),
        stripped.rsplit_once(" - "),
        stripped.rsplit_once(':'),
        stripped.rsplit_once('_'),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (base, opt) in splits {
        let base = base.rsplit('/').next().unwrap_or(base);
        if let Some((qi, _)) = find_question(questions, base)
            && questions[qi].kind == QuestionKind::Multiple
            && let Some(c) = choice_code(questions[qi], opt)
        {
            return Some((qi, c));
        }
    }
    None
}

/// Character-bigram Dice similarity of two normalised texts (1 for equal texts).
pub fn similarity(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    if a == b {
        return 1.0;
    }
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<(char, char), i64> = HashMap::new();
    for g in &ga {
        *counts.entry(*g).or_insert(0) += 1;
    }
    let mut common = 0;
    for g in &gb {
        if let Some(n) = counts.get_mut(g)
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    2.0 * common as f64 / (ga.len() + gb.len()) as f64
}

/// Match `headers` to the survey's questions. `ignore` names columns that are known not to be
/// questions (respondent and platform metadata columns), listed as unmatched. `texts` holds a
/// second header row of question texts (Qualtrics), tried after each header's own parts.
pub fn propose(
    survey: &Survey,
    headers: &[String],
    texts: &[String],
    ignore: &[String],
) -> Proposal {
    let questions: Vec<&Question> = survey.all_questions().collect();
    let mut matched: Vec<Match> = Vec::new();
    let mut ambiguous = Vec::new();
    let mut unmatched_columns = Vec::new();
    let mut pending: Vec<&String> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        if ignore.contains(h) {
            unmatched_columns.push(h.clone());
            continue;
        }
        let mut candidates = keys(h);
        if let Some(t) = texts.get(i).filter(|t| !t.is_empty()) {
            candidates.extend(
                keys(t)
                    .into_iter()
                    .map(|(k, part)| (k, if part.is_empty() { "label" } else { part })),
            );
        }
        let exact = candidates.into_iter().find_map(|(k, part)| {
            find_question(&questions, &k).map(|(qi, how)| {
                let how = match (how, part) {
                    (How::RowLabel, _) => "row-label",
                    (_, "") => how.as_str(),
                    (_, p) => p,
                };
                (qi, how)
            })
        });
        match (exact, option_of(&questions, h)) {
            (Some((qi, how)), _) => matched.push(Match {
                header: h.clone(),
                target: questions[qi].id.clone(),
                how,
                confidence: 1.0,
            }),
            (None, Some((qi, code))) => matched.push(Match {
                header: h.clone(),
                target: format!("{}/{code}", questions[qi].id),
                how: "option",
                confidence: 1.0,
            }),
            (None, None) => pending.push(h),
        }
    }
    // Fuzzy matching among the questions not matched exactly.
    let taken = |m: &[Match], id: &str| m.iter().any(|x| x.target.split('/').next() == Some(id));
    for h in pending {
        let nk: Vec<String> = keys(h).iter().map(|(k, _)| normalise(k)).collect();
        let mut scored: Vec<(usize, f64)> = (0..questions.len())
            .filter(|&qi| !taken(&matched, &questions[qi].id))
            .map(|qi| {
                let q = questions[qi];
                let texts = std::iter::once(&q.text).chain(q.aliases.iter());
                let best = texts
                    .flat_map(|t| {
                        let nt = normalise(t);
                        nk.iter()
                            .map(move |k| similarity(k, &nt))
                            .collect::<Vec<_>>()
                    })
                    .fold(0.0, f64::max);
                (qi, best)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = scored.first().copied();
        let second = scored.get(1).map_or(0.0, |s| s.1);
        match best {
            Some((qi, sc)) if sc >= FUZZY_MIN && sc - second >= FUZZY_MARGIN => {
                matched.push(Match {
                    header: h.clone(),
                    target: questions[qi].id.clone(),
                    how: "fuzzy",
                    confidence: (sc * 1000.0).round() / 1000.0,
                })
            }
            Some((_, sc)) if sc >= CANDIDATE_MIN => ambiguous.push(Ambiguous {
                header: h.clone(),
                candidates: scored
                    .iter()
                    .take_while(|(_, s)| *s >= CANDIDATE_MIN)
                    .take(3)
                    .map(|(qi, s)| (questions[*qi].id.clone(), (s * 1000.0).round() / 1000.0))
                    .collect(),
                why: if sc >= FUZZY_MIN {
                    format!("two questions are about as similar (margin < {FUZZY_MARGIN})")
                } else {
                    format!(
                        "the closest question is only {sc:.2} similar (a match needs {FUZZY_MIN})"
                    )
                },
            }),
            _ => unmatched_columns.push(h.clone()),
        }
    }
    // A question claimed by two headers is ambiguous for both.
    let mut by_target: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in matched.iter().enumerate() {
        by_target.entry(m.target.clone()).or_default().push(i);
    }
    let mut drop: Vec<usize> = Vec::new();
    for (target, idx) in &by_target {
        if idx.len() > 1 {
            for &i in idx {
                ambiguous.push(Ambiguous {
                    header: matched[i].header.clone(),
                    candidates: vec![(target.clone(), matched[i].confidence)],
                    why: format!("{} headers match '{target}'", idx.len()),
                });
                drop.push(i);
            }
        }
    }
    let matched: Vec<Match> = matched
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, m)| m)
        .collect();
    ambiguous.sort_by(|a, b| {
        headers
            .iter()
            .position(|h| *h == a.header)
            .cmp(&headers.iter().position(|h| *h == b.header))
    });
    let unmatched_questions = questions
        .iter()
        .filter(|q| !taken(&matched, &q.id))
        .map(|q| q.id.clone())
        .collect();
    Proposal {
        matched,
        ambiguous,
        unmatched_columns,
        unmatched_questions,
    }
}

/// The proposal as a table: header, question, how, confidence; then the ambiguous headers,
/// the unmatched columns and the unmatched questions.
pub fn render_text(
    input: &str,
    platform: Option<super::platforms::Platform>,
    p: &Proposal,
) -> String {
    let mut s = format!("headers of {input}");
    if let Some(pl) = platform {
        s.push_str(&format!(
            " ({} export: `import` folds its header rows and maps its columns itself; this table shows the first header row)",
            pl.title()
        ));
    }
    s.push('\n');
    let w = p
        .matched
        .iter()
        .map(|m| m.header.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 60);
    s.push_str(&format!(
        "{:<w$}  {:<24}  {:<10}  confidence\n",
        "header", "question", "how"
    ));
    for m in &p.matched {
        let h: String = m.header.chars().take(60).collect();
        let pad = w.saturating_sub(h.chars().count());
        s.push_str(&format!(
            "{h}{}  {:<24}  {:<10}  {:.2}\n",
            " ".repeat(pad),
            m.target,
            m.how,
            m.confidence
        ));
    }
    if !p.ambiguous.is_empty() {
        s.push_str("\nambiguous (not mapped):\n");
        for a in &p.ambiguous {
            let c: Vec<String> = a
                .candidates
                .iter()
                .map(|(q, sc)| format!("{q} ({sc:.2})"))
                .collect();
            s.push_str(&format!("  {} -> {}: {}\n", a.header, c.join(", "), a.why));
        }
    }
    if !p.unmatched_columns.is_empty() {
        s.push_str(&format!(
            "\ncolumns that match no question (kept as attributes by import): {}\n",
            p.unmatched_columns.join(", ")
        ));
    }
    if !p.unmatched_questions.is_empty() {
        s.push_str(&format!(
            "\nquestions without a column: {}\n",
            p.unmatched_questions.join(", ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_dice_on_bigrams() {
        assert_eq!(similarity("abcd", "abcd"), 1.0);
        assert!((similarity("abcd", "abce") - 2.0 * 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(similarity("a", "b"), 0.0);
    }

    #[test]
    fn platform_wrappers_are_taken_apart() {
        let k: Vec<String> = keys("3(服务态度)").into_iter().map(|(k, _)| k).collect();
        assert!(k.contains(&"服务态度".to_string()));
        let k: Vec<String> = keys("group_service/q4")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert!(k.contains(&"q4".to_string()));
        assert_eq!(strip_number("1、您的性别："), "您的性别：");
    }
}
