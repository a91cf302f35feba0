//! Matching the headers of an export to the survey's questions: by id, by question text or
//! alias after normalisation (case, width, spaces and punctuation do not count), and by the
//! label of a matrix row found inside exactly one question's text.

use crate::model::{Question, QuestionKind};

/// Text reduced for comparison: full-width ASCII to ASCII, lower case, without white space and
/// punctuation (ASCII and CJK), so `您的性别：` and `您的性别?` compare equal.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How a header was matched to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The header is the question id.
    Id,
    /// The header is the question's text or an alias, after [`normalise`].
    Text,
    /// The header is a matrix row's label, found inside exactly one rating question's text.
    RowLabel,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Id => "id",
            How::Text => "label",
            How::RowLabel => "row-label",
        }
    }
}

/// The question a header names, by id, then normalised text or alias, then (for rating
/// questions) a row label of at least two characters found in exactly one question's text.
pub fn find_question(questions: &[&Question], key: &str) -> Option<(usize, How)> {
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    if let Some(i) = questions.iter().position(|q| q.id == key) {
        return Some((i, How::Id));
    }
    let nk = normalise(key);
    if nk.is_empty() {
        return None;
    }
    let by_text: Vec<usize> = (0..questions.len())
        .filter(|&i| {
            let q = questions[i];
            normalise(&q.text) == nk || q.aliases.iter().any(|a| normalise(a) == nk)
        })
        .collect();
    if let [i] = by_text[..] {
        return Some((i, How::Text));
    }
    if !by_text.is_empty() || nk.chars().count() < 2 {
        return None;
    }
    let inside: Vec<usize> = (0..questions.len())
        .filter(|&i| {
            matches!(questions[i].kind, QuestionKind::Rating | QuestionKind::Nps)
                && normalise(&questions[i].text).contains(&nk)
        })
        .collect();
    match inside[..] {
        [i] => Some((i, How::RowLabel)),
        _ => None,
    }
}

/// The 1-based code of a choice of a single- or multiple-choice question named by a header
/// part or a cell: its number, its label (normalised), or a LimeSurvey answer code such as
/// `SQ002` or `A2`.
pub fn choice_code(q: &Question, opt: &str) -> Option<i32> {
    let opt = opt.trim();
    let n = q.choices.len() as i32;
    let in_range = |c: i32| (c >= 1 && c <= n).then_some(c);
    if let Ok(c) = opt.parse::<i32>() {
        return in_range(c);
    }
    let no = normalise(opt);
    if let Some(p) = q.choices.iter().position(|c| normalise(c) == no) {
        return Some(p as i32 + 1);
    }
    if let Some(c) = answer_code(opt) {
        return in_range(c);
    }
    // A choice name that begins exactly one label (`individual` for "Individual customer").
    if no.chars().count() >= 3 {
        let starts: Vec<usize> = (0..q.choices.len())
            .filter(|&i| normalise(&q.choices[i]).starts_with(&no))
            .collect();
        if let [i] = starts[..] {
            return Some(i as i32 + 1);
        }
    }
    None
}

/// The number of an answer code such as LimeSurvey's `A2` or `SQ002`: letters then digits.
pub fn answer_code(s: &str) -> Option<i32> {
    let digits = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    (digits.len() < s.len() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<i32>().ok())
        .flatten()
}

/// The code of a rating answer written as a scale label (after [`normalise`]) or as a
/// LimeSurvey answer code (`A4`); `None` when it is neither (the import then checks it).
pub fn scale_code(scale: Option<&crate::model::Scale>, s: &str) -> Option<i64> {
    let scale = scale?;
    let ns = normalise(s);
    if let Some(p) = scale
        .labels
        .iter()
        .position(|l| !l.is_empty() && normalise(l) == ns)
    {
        return Some(scale.min + p as i64);
    }
    answer_code(s)
        .map(i64::from)
        .filter(|c| (scale.min..=scale.max).contains(c))
}

/// A header without its question number: `1、题目`, `1.题目`, `Q1. text`.
pub fn strip_number(h: &str) -> &str {
    let t = h.trim_start_matches(['Q', 'q']);
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return h;
    }
    let rest = &t[digits..];
    for sep in ["、", "．", ".", ":", "：", ")", "）"] {
        if let Some(r) = rest.strip_prefix(sep) {
            return r.trim();
        }
    }
    h
}

/// The text inside trailing brackets: `3(服务态度)` → `服务态度`.
pub fn bracketed(h: &str) -> Option<&str> {
    split_bracketed(h).map(|(_, inner)| inner)
}

/// A header split at its trailing bracket: `3(服务态度)` → (`3`, `服务态度`), `3（服务态度）` →
/// (`3`, `服务态度`). Half- and full-width brackets both count; the outer part is trimmed.
pub fn split_bracketed(h: &str) -> Option<(&str, &str)> {
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(rest) = h.strip_suffix(close)
            && let Some(p) = rest.rfind(open)
        {
            return Some((rest[..p].trim(), &rest[p + open.len_utf8()..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_width_and_case_do_not_count() {
        assert_eq!(normalise("您的性别："), normalise("您的性别?"));
        assert_eq!(normalise("ＡＢＣ Service"), "abcservice");
    }

    #[test]
    fn brackets_of_either_width_split_at_character_boundaries() {
        assert_eq!(split_bracketed("3(服务态度)"), Some(("3", "服务态度")));
        assert_eq!(split_bracketed("3（服务态度）"), Some(("3", "服务态度")));
        assert_eq!(split_bracketed("服务（态度）"), Some(("服务", "态度")));
        assert_eq!(split_bracketed("（）"), Some(("", "")));
        assert_eq!(split_bracketed("态度）"), None);
        assert_eq!(normalise("How satisfied are you?"), "howsatisfiedareyou");
    }
}
