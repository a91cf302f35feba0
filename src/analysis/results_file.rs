//! Reading a saved results.json back: the one reader behind `satkit report`, `satkit compare` and
//! `analyze --baseline`, so the three accept the same documents.
//!
//! A results.json is input like any other file: it may have been edited, truncated or crafted.
//! [`parse_results`] therefore checks, before any renderer or comparison sees the document:
//! - the schema version: one of [`SUPPORTED_SCHEMA_VERSIONS`] ([`check_schema_version`]);
//! - the size of everything in it: every string at most [`MAX_STRING_BYTES`] bytes, every list at
//!   most [`MAX_LIST_LEN`] elements, every integer within ±[`MAX_SAFE_INTEGER`] (counts, codes,
//!   depths; the I-JSON limit of RFC 7493), the file at most [`MAX_RESULTS_BYTES`];
//! - the values renderers compute with: a scale's `min`/`max` span at most
//!   [`MAX_SCALE_POINTS`] points with `min < max`, and the index tree: the root first at depth 0,
//!   every other node's parent an earlier node and its depth one more than the parent's, at most
//!   [`MAX_TREE_DEPTH`].
//!
//! JSON itself keeps numbers finite (serde_json refuses `1e400`, and satkit writes an undefined
//! number as `null`). Each violation is an [`Error::BadData`] at `file:line:col` naming the JSON
//! path (`index.nodes[3].depth`), what was expected and the cure.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::results::{Results, SCHEMA_VERSION};
use crate::diagnostic::SourceFile;
use crate::error::{Error, Result};
use crate::model::MAX_SCALE_POINTS;

/// The schema versions this satkit reads, as said in errors: the major version it writes, any
/// minor and patch (minor versions only add fields).
pub const SUPPORTED_SCHEMA_VERSIONS: &str = "1.MINOR.PATCH (1.x)";
/// The deepest node of an indicator tree that a results.json may hold (the root is depth 0):
/// the survey's own limit.
pub use crate::model::MAX_TREE_DEPTH;
/// The longest string in a results.json, in bytes.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// The longest list in a results.json (items, nodes, rows of a matrix, …).
pub const MAX_LIST_LEN: usize = 10_000;
/// The largest integer magnitude, 2^53 − 1: integers beyond it do not survive a round trip
/// through a double (RFC 7493, I-JSON).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// The largest results.json read, in bytes.
pub const MAX_RESULTS_BYTES: u64 = 256 * 1024 * 1024;

const CURE: &str =
    "pass the results.json written by `satkit analyze` (re-run analyze if the file was edited)";

/// Read, check and parse a results.json (see the module documentation for the checks).
///
/// # Errors
/// I/O errors; [`Error::BadData`] with `file:line:col` for a file too large, JSON that does not
/// parse or does not match the schema, an unsupported `schema_version`, or a value out of bounds.
pub fn read_results(path: &Path) -> Result<Results> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > MAX_RESULTS_BYTES {
        return Err(located(
            path,
            1,
            1,
            format!("the file has {size} bytes; a results.json has at most {MAX_RESULTS_BYTES}"),
            CURE,
        ));
    }
    let text = crate::input::read_to_string(path)?;
    parse_results(path, &text)
}

/// Check and parse results.json text read from `path` (used in messages), as [`read_results`]
/// does after the read.
///
/// # Errors
/// As [`read_results`], less the I/O errors.
pub fn parse_results(path: &Path, text: &str) -> Result<Results> {
    let json_err = |e: serde_json::Error| {
        located(
            path,
            e.line(),
            e.column(),
            format!("not a satkit results document: {e}"),
            CURE,
        )
    };
    #[derive(Deserialize)]
    struct VersionOnly {
        schema_version: String,
    }
    let version: VersionOnly = serde_json::from_str(text).map_err(json_err)?;
    if let Err(message) = check_schema_version(&version.schema_version) {
        let offset = text.find("\"schema_version\"").unwrap_or(0);
        return Err(at_offset(
            path,
            text,
            offset,
            message,
            "re-run `satkit analyze` with this satkit, or use the satkit version that wrote the file",
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(json_err)?;
    let mut at = Vec::new();
    if let Err(v) = check_sizes(&value, &mut at) {
        return Err(violation(path, text, v));
    }
    let results: Results = serde_json::from_value(value).map_err(|e| {
        // The text parsed, so the typed parse of the same text gives the location.
        serde_json::from_str::<Results>(text).err().map_or_else(
            || {
                located(
                    path,
                    1,
                    1,
                    format!("not a satkit results document: {e}"),
                    CURE,
                )
            },
            json_err,
        )
    })?;
    check_values(&results).map_err(|v| violation(path, text, v))?;
    Ok(results)
}

/// Whether satkit reads results of this `schema_version`.
///
/// # Errors
/// The message for an unsupported version, naming [`SUPPORTED_SCHEMA_VERSIONS`].
///
/// # Examples
/// ```
/// use satkit::analysis::results_file::check_schema_version;
/// assert!(check_schema_version("1.0.0").is_ok());
/// assert!(check_schema_version("1.4.2").is_ok());
/// assert!(check_schema_version("2.0.0").is_err());
/// assert!(check_schema_version("banana").is_err());
/// ```
pub fn check_schema_version(version: &str) -> std::result::Result<(), String> {
    let major = SCHEMA_VERSION.split('.').next().unwrap_or("1");
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()));
    if numeric && parts[0] == major {
        return Ok(());
    }
    Err(format!(
        "schema_version {} is not supported: satkit {} reads results schema {SUPPORTED_SCHEMA_VERSIONS}",
        version.escape_debug(),
        env!("CARGO_PKG_VERSION")
    ))
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A value out of bounds: where, and what was expected of it.
struct Violation {
    path: Vec<Seg>,
    message: String,
}

impl Violation {
    fn new(path: Vec<Seg>, message: String) -> Self {
        Violation { path, message }
    }
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// `index.nodes[3].depth`.
fn path_text(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Sizes of every string, list and integer in the document, depth first.
fn check_sizes(value: &Value, at: &mut Vec<Seg>) -> std::result::Result<(), Violation> {
    match value {
        Value::String(s) if s.len() > MAX_STRING_BYTES => Err(Violation::new(
            at.clone(),
            format!(
                "a string of {} bytes; a results.json string has at most {MAX_STRING_BYTES}",
                s.len()
            ),
        )),
        Value::Number(n) => {
            let ok = match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u <= MAX_SAFE_INTEGER,
                (None, Some(i)) => i.unsigned_abs() <= MAX_SAFE_INTEGER,
                (None, None) => true,
            };
            if ok {
                Ok(())
            } else {
                Err(Violation::new(
                    at.clone(),
                    format!(
                        "the integer {n} is out of range; integers lie within ±{MAX_SAFE_INTEGER} (2^53 − 1)"
                    ),
                ))
            }
        }
        Value::Array(list) => {
            if list.len() > MAX_LIST_LEN {
                return Err(Violation::new(
                    at.clone(),
                    format!(
                        "a list of {} elements; a results.json list has at most {MAX_LIST_LEN}",
                        list.len()
                    ),
                ));
            }
            for (i, v) in list.iter().enumerate() {
                at.push(Seg::Index(i));
                check_sizes(v, at)?;
                at.pop();
            }
            Ok(())
        }
        Value::Object(map) => {
            for (k, v) in map {
                at.push(key(k));
                check_sizes(v, at)?;
                at.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The values renderers and comparisons compute with: scale ranges and the index tree.
fn check_values(r: &Results) -> std::result::Result<(), Violation> {
    for (i, item) in r.items.iter().enumerate() {
        let at = |field: &str| vec![key("items"), Seg::Index(i), key(field)];
        match (item.min, item.max) {
            (None, None) => {}
            (Some(min), Some(max)) => {
                let points = i128::from(max) - i128::from(min) + 1;
                if points < 2 || points > MAX_SCALE_POINTS as i128 {
                    let field = if min >= max { "min" } else { "max" };
                    return Err(Violation::new(
                        at(field),
                        format!(
                            "the scale {min}..{max} of item '{}' has {points} points; a scale has min < max and at most {MAX_SCALE_POINTS} points",
                            item.id
                        ),
                    ));
                }
            }
            (min, _) => {
                let field = if min.is_some() { "max" } else { "min" };
                return Err(Violation::new(
                    at(field),
                    format!(
                        "item '{}' has only one of min and max; a scaled item has both, another neither",
                        item.id
                    ),
                ));
            }
        }
    }
    check_tree(&r.index.nodes)
}

/// The root first at depth 0; every other node below an earlier one, one level deeper.
fn check_tree(nodes: &[super::results::NodeScore]) -> std::result::Result<(), Violation> {
    let at = |i: usize, field: &str| vec![key("index"), key("nodes"), Seg::Index(i), key(field)];
    let Some(root) = nodes.first() else {
        return Err(Violation::new(
            vec![key("index"), key("nodes")],
            "the index has no nodes; it lists every node of the tree, the root first".into(),
        ));
    };
    if root.parent.is_some() {
        return Err(Violation::new(
            at(0, "parent"),
            format!(
                "the first node '{}' has a parent; the root comes first, with parent null",
                root.id
            ),
        ));
    }
    if root.depth != 0 {
        return Err(Violation::new(
            at(0, "depth"),
            format!(
                "the root '{}' is at depth {}; the root is at depth 0",
                root.id, root.depth
            ),
        ));
    }
    let mut depth_of: HashMap<&str, usize> = HashMap::from([(root.id.as_str(), 0)]);
    for (i, n) in nodes.iter().enumerate().skip(1) {
        let Some(parent) = &n.parent else {
            return Err(Violation::new(
                at(i, "parent"),
                format!(
                    "node '{}' has no parent; only the first node (the root) has none",
                    n.id
                ),
            ));
        };
        let Some(&pd) = depth_of.get(parent.as_str()) else {
            return Err(Violation::new(
                at(i, "parent"),
                format!(
                    "the parent '{parent}' of node '{}' is not an earlier node; nodes are listed in tree order, parents first",
                    n.id
                ),
            ));
        };
        if n.depth != pd + 1 || n.depth > MAX_TREE_DEPTH {
            return Err(Violation::new(
                at(i, "depth"),
                format!(
                    "node '{}' is at depth {}; expected {} (one deeper than its parent '{parent}'), and a tree is at most {MAX_TREE_DEPTH} deep",
                    n.id,
                    n.depth,
                    pd + 1
                ),
            ));
        }
        depth_of.entry(n.id.as_str()).or_insert(n.depth);
    }
    Ok(())
}

fn violation(path: &Path, text: &str, v: Violation) -> Error {
    let offset = locate(text.as_bytes(), &v.path).unwrap_or(0);
    at_offset(
        path,
        text,
        offset,
        format!("{}: {}", path_text(&v.path), v.message),
        CURE,
    )
}

fn at_offset(path: &Path, text: &str, offset: usize, message: String, help: &str) -> Error {
    let (line, col) = SourceFile::new(String::new(), text).line_col(offset);
    located(path, line, col, message, help)
}

/// A location error: `file:line:col: message`.
fn located(path: &Path, line: usize, col: usize, message: String, help: &str) -> Error {
    // BadData's line is a row number without a column; a JSON position has both, so the
    // location goes into the path shown.
    Error::bad_data(
        PathBuf::from(format!("{}:{line}:{col}", path.display())),
        None,
        None,
        message,
        help,
    )
}

// ---- Locating a JSON path in the text ------------------------------------------------------

/// The byte offset of the value at `path` in well-formed JSON `text`, or `None`.
fn locate(text: &[u8], path: &[Seg]) -> Option<usize> {
    let mut pos = skip_ws(text, 0);
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if text.get(pos) != Some(&b'{') {
                    return None;
                }
                pos = skip_ws(text, pos + 1);
                loop {
                    let end = skip_string(text, pos)?;
                    let name: String = serde_json::from_slice(&text[pos..end]).ok()?;
                    pos = skip_ws(text, end);
                    if text.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = skip_ws(text, pos + 1);
                    if name == *k {
                        break;
                    }
                    pos = skip_ws(text, skip_value(text, pos)?);
                    if text.get(pos) != Some(&b',') {
                        return None;
                    }
                    pos = skip_ws(text, pos + 1);
                }
            }
            Seg::Index(i) => {
                if text.get(pos) != Some(&b'[') {
                    return None;
                }
                pos = skip_ws(text, pos + 1);
                for _ in 0..*i {
                    pos = skip_ws(text, skip_value(text, pos)?);
                    if text.get(pos) != Some(&b',') {
                        return None;
                    }
                    pos = skip_ws(text, pos + 1);
                }
            }
        }
    }
    Some(pos)
}

fn skip_ws(text: &[u8], mut pos: usize) -> usize {
    while text.get(pos).is_some_and(|b| b.is_ascii_whitespace()) {
        pos += 1;
    }
    pos
}

/// The end (one past the closing quote) of the string starting at `pos`.
fn skip_string(text: &[u8], pos: usize) -> Option<usize> {
    if text.get(pos) != Some(&b'"') {
        return None;
    }
    let mut i = pos + 1;
    loop {
        match text.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The end of the value starting at `pos` (iterative, so nesting costs no stack).
fn skip_value(text: &[u8], pos: usize) -> Option<usize> {
    match text.get(pos)? {
        b'"' => skip_string(text, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match text.get(i)? {
                    b'"' => {
                        i = skip_string(text, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while text
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_a_json_path() {
        let text = br#"{"a": [1, {"b": "x,]}"}, {"c": 7}], "d": {"e": [ 3 ]}}"#;
        let at = |p: &[Seg]| locate(text, p).map(|o| text[o]);
        assert_eq!(at(&[key("a"), Seg::Index(2), key("c")]), Some(b'7'));
        assert_eq!(at(&[key("d"), key("e"), Seg::Index(0)]), Some(b'3'));
        assert_eq!(at(&[key("zz")]), None);
        assert_eq!(
            path_text(&[key("index"), key("nodes"), Seg::Index(3), key("depth")]),
            "index.nodes[3].depth"
        );
    }

    #[test]
    fn schema_versions_are_one_set() {
        for ok in ["1.0.0", "1.2.30"] {
            assert!(check_schema_version(ok).is_ok(), "{ok}");
        }
        for bad in [
            "banana",
            "1",
            "1.0",
            "1.banana.0",
            "2.0.0",
            "0.9.0",
            "1.0.0.0",
            "",
        ] {
            let e = check_schema_version(bad).unwrap_err();
            assert!(e.contains(SUPPORTED_SCHEMA_VERSIONS), "{e}");
        }
    }
}
