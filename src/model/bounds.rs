//! The stated bounds of a survey file, checked on the parsed TOML before the survey is
//! deserialised, so no later stage (the serde recursion, the questionnaire renderer, the
//! frequency tables) meets a value it cannot hold.
//!
//! - a scale has at most [`MAX_SCALE_POINTS`] points, and its codes (the end points and the
//!   "not applicable" code) lie within ±[`MAX_SCALE_CODE`] (checked in `validate::build_scale`);
//! - a `multiple` question has at most [`MAX_MULTIPLE_CHOICES`] choices (checked in
//!   `validate::question_choices`);
//! - the indicator tree is at most [`MAX_TREE_DEPTH`] levels deep below `[tree]`;
//! - a string is at most [`MAX_TEXT_CHARS`] characters, and a list (including `[[question]]`)
//!   has at most [`MAX_LIST_ITEMS`] entries.
//!
//! docs/survey-format.md states the same numbers.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::raw::NODE_FIELDS;
use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::toml_source;

/// The most points a scale may have: 0–100 is the widest scale in common use.
pub const MAX_SCALE_POINTS: usize = 101;
/// The largest magnitude of a scale code (end points and `na_code`).
pub const MAX_SCALE_CODE: i64 = 1_000_000;
/// The most levels of the indicator tree below `[tree]` (an ACSI-style model has three).
pub const MAX_TREE_DEPTH: usize = 32;
/// The most choices of a `multiple` question: its answers are kept as a 64-bit set of the codes
/// 1..=63.
pub const MAX_MULTIPLE_CHOICES: usize = 63;
/// The largest magnitude of a numeric question's `min` and `max` (checked in
/// `validate::check_range_is_finite`): room for any amount, and `max − min` stays finite.
pub const MAX_NUMERIC_BOUND: f64 = 1e15;
/// The longest string in a survey file, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The most entries of one list (choices, labels, questions, a leaf's questions).
pub const MAX_LIST_ITEMS: usize = 10_000;

/// The bound violations of a survey text, at most one of each kind (the first in the file),
/// and whether the text must not be deserialised (a tree too deep for the recursive node
/// deserialiser). Empty when the text is within bounds or does not parse (the parse error is
/// reported by the deserialiser, in place).
pub fn check(src: &SourceFile) -> (Vec<Diagnostic>, bool) {
    let Ok(doc) = DeTable::parse(&src.text) else {
        return (Vec::new(), false);
    };
    let mut found = Found::default();
    walk_values(doc.get_ref(), &mut found);
    if let Some(tree) = doc.get_ref().get("tree")
        && let DeValue::Table(t) = tree.get_ref()
    {
        walk_tree(t, 0, &mut found);
    }
    let mut out = Vec::new();
    let too_deep = found.deep.is_some();
    if let Some((span, depth)) = found.deep {
        out.push(src.diagnostic(
            Severity::Error,
            Some(span),
            format!("this tree node is at level {depth} below [tree]; a tree has at most {MAX_TREE_DEPTH} levels"),
            "flatten the tree: group the questions of the deep levels into one node, or split the model into surveys",
        ));
    }
    if let Some((span, n)) = found.long_text {
        out.push(src.diagnostic(
            Severity::Error,
            Some(span),
            format!("this string has {n} characters; a survey string has at most {MAX_TEXT_CHARS}"),
            "shorten the text; long instructions belong in a separate document the survey links to",
        ));
    }
    if let Some((span, n)) = found.long_list {
        out.push(src.diagnostic(
            Severity::Error,
            Some(span),
            format!("this list has {n} entries; a survey list has at most {MAX_LIST_ITEMS}"),
            "split the questionnaire, or group the entries (e.g. choices into an 'other' option)",
        ));
    }
    (out, too_deep)
}

/// The diagnostic for the TOML parser's bare "recursion limit" error: the first line whose key
/// path has too many parts, with the cure.
pub fn recursion_limit(src: &SourceFile, e: &toml::de::Error) -> Diagnostic {
    let (span, message) = toml_source::parse_error(e, &src.text);
    src.diagnostic(
        Severity::Error,
        span,
        format!("{message}; the tree has at most {MAX_TREE_DEPTH} levels below [tree]"),
        "flatten the tree: group the questions of the deep levels into one node",
    )
}

#[derive(Default)]
struct Found {
    deep: Option<(Range<usize>, usize)>,
    long_text: Option<(Range<usize>, usize)>,
    long_list: Option<(Range<usize>, usize)>,
}

fn first(slot: &mut Option<(Range<usize>, usize)>, span: Range<usize>, n: usize) {
    if slot.as_ref().is_none_or(|(s, _)| span.start < s.start) {
        *slot = Some((span, n));
    }
}

/// Every string and list, in every table and array.
fn walk_values(table: &DeTable<'_>, found: &mut Found) {
    for (key, value) in table {
        check_text(key.get_ref(), key.span(), found);
        walk_value(value.get_ref(), value.span(), found);
    }
}

fn check_text(s: &str, span: Range<usize>, found: &mut Found) {
    // A string of at most MAX_TEXT_CHARS characters has at most 4× as many bytes.
    if s.len() > MAX_TEXT_CHARS {
        let n = s.chars().count();
        if n > MAX_TEXT_CHARS {
            first(&mut found.long_text, span, n);
        }
    }
}

fn walk_value(value: &DeValue<'_>, span: Range<usize>, found: &mut Found) {
    match value {
        DeValue::String(s) => check_text(s, span, found),
        DeValue::Array(items) => {
            if items.len() > MAX_LIST_ITEMS {
                first(&mut found.long_list, span.clone(), items.len());
            }
            for item in items {
                walk_value(item.get_ref(), item.span(), found);
            }
        }
        DeValue::Table(t) => walk_values(t, found),
        _ => {}
    }
}

/// The child nodes of a tree node are its table-valued keys other than the node fields.
fn walk_tree(node: &DeTable<'_>, depth: usize, found: &mut Found) {
    for (key, value) in node {
        if NODE_FIELDS.contains(&key.get_ref().as_ref()) {
            continue;
        }
        if let DeValue::Table(child) = value.get_ref() {
            if depth + 1 > MAX_TREE_DEPTH {
                first(&mut found.deep, key.span(), depth + 1);
                return;
            }
            walk_tree(child, depth + 1, found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_at_the_limit_passes_and_one_deeper_fails() {
        let header = |n: usize| {
            let mut s = String::from("[tree]\n");
            let mut path = String::from("tree");
            for i in 0..n {
                path.push_str(&format!(".n{i}"));
                s.push_str(&format!("[{path}]\nname = \"n{i}\"\n"));
            }
            s
        };
        assert!(
            check(&SourceFile::new("t", header(MAX_TREE_DEPTH)))
                .0
                .is_empty()
        );
        let (d, too_deep) = check(&SourceFile::new("t", header(MAX_TREE_DEPTH + 1)));
        assert!(too_deep);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("at most 32 levels"),
            "{}",
            d[0].message
        );
    }
}
