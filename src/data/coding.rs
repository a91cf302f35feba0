//! Coding one cell against its question: numeric codes or labels in, a typed value or a located
//! problem out. The fast path (a short run of ASCII digits) avoids any allocation.

use serde::Serialize;

use crate::model::{MAX_NUMERIC_BOUND, Question, QuestionKind, Scale};

/// Why a value was rejected. The names are stable: they appear in `rejects.csv` and in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A row with more or fewer fields than the header.
    RaggedRow,
    /// A number outside the scale or the question's min..max.
    OutOfRange,
    /// A decimal where the question takes whole numbers.
    NotInteger,
    /// Text that is neither a code nor a label of the scale or the choices.
    UnknownLabel,
    /// Text where a number is required.
    NotANumber,
    /// More options ticked than `max_choices`.
    TooManyChoices,
    /// A survey weight that is not a positive number.
    InvalidWeight,
    /// A duration that is not a non-negative number.
    InvalidDuration,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::RaggedRow => "ragged_row",
            Rule::OutOfRange => "out_of_range",
            Rule::NotInteger => "not_integer",
            Rule::UnknownLabel => "unknown_label",
            Rule::NotANumber => "not_a_number",
            Rule::TooManyChoices => "too_many_choices",
            Rule::InvalidWeight => "invalid_weight",
            Rule::InvalidDuration => "invalid_duration",
        }
    }
}

/// Values that mean "no answer" in any column.
pub const MISSING_TOKENS: &[&str] = &[
    "", "NA", "N/A", "na", "n/a", "NaN", "nan", "null", "NULL", "#N/A", "-", ".",
];

pub fn is_missing_token(s: &str) -> bool {
    MISSING_TOKENS.contains(&s)
}

/// The outcome of coding one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Coded {
    Missing,
    /// The survey's "not applicable" code or label: missing for analysis, counted apart.
    NotApplicable,
    Code(i32),
    Number(f64),
    /// A multiple-choice answer as a bit set over codes 1..=63.
    Choices(u64),
    Text(String),
    Invalid {
        rule: Rule,
        message: String,
        fix: String,
    },
}

/// Fast parse of a short unsigned/signed ASCII integer.
#[inline]
pub fn parse_small_int(b: &[u8]) -> Option<i32> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let mut v: i32 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i32;
    }
    Some(if neg { -v } else { v })
}

/// How to code the cells of one question.
pub struct Coder<'a> {
    pub question: &'a Question,
    pub scale: Option<&'a Scale>,
    lo: i64,
    hi: i64,
}

impl<'a> Coder<'a> {
    pub fn new(question: &'a Question, scale: Option<&'a Scale>) -> Self {
        let (lo, hi) = match question.kind {
            QuestionKind::Rating | QuestionKind::Nps => scale.map_or((0, 10), |s| (s.min, s.max)),
            QuestionKind::Single | QuestionKind::Multiple => (1, question.choices.len() as i64),
            _ => (0, 0),
        };
        Coder {
            question,
            scale,
            lo,
            hi,
        }
    }

    fn labels_hint(&self) -> String {
        match self.question.kind {
            QuestionKind::Rating | QuestionKind::Nps => {
                // Unlabelled points (a scale anchored at its end points only) are empty strings.
                let labels: Vec<&str> = self
                    .scale
                    .map(|s| {
                        s.labels
                            .iter()
                            .map(String::as_str)
                            .filter(|l| !l.is_empty())
                            .collect()
                    })
                    .unwrap_or_default();
                if labels.is_empty() {
                    format!("use a whole number from {} to {}", self.lo, self.hi)
                } else {
                    format!(
                        "use a code {}..{} or one of the labels: {}",
                        self.lo,
                        self.hi,
                        labels.join(" / ")
                    )
                }
            }
            _ => format!(
                "use a code 1..{} or one of: {}",
                self.hi,
                self.question.choices.join(" / ")
            ),
        }
    }

    fn is_na(&self, s: &str, code: Option<i64>) -> bool {
        if let Some(scale) = self.scale {
            if code.is_some() && code == scale.na_code {
                return true;
            }
            if scale.na_label.as_deref() == Some(s) {
                return true;
            }
        }
        false
    }

    /// Code a categorical value (rating, nps or single choice).
    fn code_categorical(&self, s: &str) -> Coded {
        if let Some(v) = parse_small_int(s.as_bytes()) {
            return self.check_code(s, v as f64);
        }
        if let Ok(x) = s.parse::<f64>() {
            return self.check_code(s, x);
        }
        if self.is_na(s, None) {
            return Coded::NotApplicable;
        }
        let found = match self.question.kind {
            QuestionKind::Single | QuestionKind::Multiple => self
                .question
                .choices
                .iter()
                .position(|c| c == s)
                .map(|i| i as i64 + 1),
            _ => self.scale.and_then(|sc| sc.code_of(s)),
        };
        match found {
            Some(code) => Coded::Code(code as i32),
            None => {
                // A label differing only in case or spaces is still a mistake, but we can say so.
                let norm = |x: &str| {
                    x.chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_lowercase()
                };
                let close: Option<String> = match self.question.kind {
                    QuestionKind::Single | QuestionKind::Multiple => self
                        .question
                        .choices
                        .iter()
                        .find(|c| norm(c) == norm(s))
                        .cloned(),
                    _ => self.scale.and_then(|sc| {
                        sc.labels
                            .iter()
                            .find(|c| !c.is_empty() && norm(c) == norm(s))
                            .cloned()
                    }),
                };
                Coded::Invalid {
                    rule: Rule::UnknownLabel,
                    message: format!(
                        "'{s}' is not a code or label of question '{}'",
                        self.question.id
                    ),
                    fix: match close {
                        Some(c) => format!("write it exactly as '{c}'"),
                        None => self.labels_hint(),
                    },
                }
            }
        }
    }

    fn check_code(&self, s: &str, x: f64) -> Coded {
        if x.fract() != 0.0 {
            return Coded::Invalid {
                rule: Rule::NotInteger,
                message: format!("{s} is not a whole-number code"),
                fix: self.labels_hint(),
            };
        }
        let code = x as i64;
        if self.is_na(s, Some(code)) {
            return Coded::NotApplicable;
        }
        if code < self.lo || code > self.hi {
            return Coded::Invalid {
                rule: Rule::OutOfRange,
                message: format!("{s} is outside {}..{}", self.lo, self.hi),
                fix: self.labels_hint(),
            };
        }
        Coded::Code(code as i32)
    }

    /// Code one cell (already trimmed).
    pub fn code(&self, s: &str) -> Coded {
        if is_missing_token(s) {
            return Coded::Missing;
        }
        let q = self.question;
        match q.kind {
            QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Single => {
                self.code_categorical(s)
            }
            QuestionKind::Multiple => {
                let mut bits = 0u64;
                let mut count = 0;
                for token in s
                    .split([';', '|', ',', '、', ' ', '；', '，'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                {
                    match self.code_categorical(token) {
                        Coded::Code(c) => {
                            if (1..64).contains(&c) && bits & (1 << c) == 0 {
                                bits |= 1 << c;
                                count += 1;
                            }
                        }
                        Coded::Missing | Coded::NotApplicable => {}
                        invalid => return invalid,
                    }
                }
                self.check_choices(bits, count)
            }
            QuestionKind::Numeric => match s.replace('，', ".").parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    if q.integer && x.fract() != 0.0 {
                        return Coded::Invalid {
                            rule: Rule::NotInteger,
                            message: format!("{s} is not a whole number"),
                            fix: "enter a whole number".into(),
                        };
                    }
                    // Without min or max, the stated bound of every numeric value applies, so
                    // sums and squares in the descriptives stay finite.
                    let (lo, hi) = (
                        q.min.unwrap_or(-MAX_NUMERIC_BOUND),
                        q.max.unwrap_or(MAX_NUMERIC_BOUND),
                    );
                    if x < lo || x > hi {
                        let range = format!(
                            "{}..{}",
                            crate::model::validate::fmt_num(lo),
                            crate::model::validate::fmt_num(hi)
                        );
                        return Coded::Invalid {
                            rule: Rule::OutOfRange,
                            message: format!("{s} is outside {range}"),
                            fix: format!("enter a number in {range}"),
                        };
                    }
                    Coded::Number(x)
                }
                _ => Coded::Invalid {
                    rule: Rule::NotANumber,
                    message: format!("'{s}' is not a number"),
                    fix: "enter digits only, with '.' as the decimal point".into(),
                },
            },
            QuestionKind::Text => Coded::Text(s.to_string()),
        }
    }

    /// Validate a set of ticked options against `max_choices`.
    pub fn check_choices(&self, bits: u64, count: u32) -> Coded {
        if let Some(max) = self.question.max_choices
            && count > max
        {
            return Coded::Invalid {
                rule: Rule::TooManyChoices,
                message: format!("{count} options ticked, at most {max} allowed"),
                fix: format!("keep at most {max} options"),
            };
        }
        Coded::Choices(bits)
    }
}

/// Render a choice bit set as "1;3;4".
pub fn choices_to_string(bits: u64) -> String {
    let mut out = String::new();
    for c in 1..64 {
        if bits & (1 << c) != 0 {
            if !out.is_empty() {
                out.push(';');
            }
            out.push_str(&c.to_string());
        }
    }
    out
}

/// Read a split multiple-choice cell: is this option ticked? `None` means blank.
pub fn split_cell_selected(s: &str, option_label: &str, code: i32) -> Option<bool> {
    if is_missing_token(s) {
        return None;
    }
    let lower = s.to_lowercase();
    Some(match lower.as_str() {
        "0" | "false" | "no" | "n" | "否" | "未选" | "not selected" => false,
        "1" | "true" | "yes" | "y" | "x" | "是" | "选中" | "selected" | "checked" => true,
        _ => {
            s == option_label
                || s == code.to_string()
                || super::headers::normalise(s) == super::headers::normalise(option_label)
        }
    })
}
