//! The crate's structure (issue 13): top-level modules import only modules of lower layers, no
//! two files import each other through any chain, and no function in `src/` runs over 150
//! lines. The source is read as text: `use` trees and `crate::`/`super::`/`self::` paths are
//! resolved to the file that defines the module they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::util::repo;

/// The layers from the bottom: a module may import lower layers' modules, and those of its own
/// layer only where [`SAME_LAYER`] says so (the infrastructure layer imports itself freely).
const LAYERS: &[&[&str]] = &[
    &[
        "alloc",
        "diagnostic",
        "error",
        "input",
        "json",
        "names",
        "numbers",
        "output",
        "par",
        "timing",
        "toml_source",
    ],
    &["stats"],
    &["model"],
    &["data", "lint"],
    &["analysis"],
    &["report", "gates"],
    &["pipeline"],
    &["batch", "grade", "compare", "plan"],
    &["cli"],
];

/// Within one layer, these edges are allowed (the upper one first).
const SAME_LAYER: &[(&str, &str)] = &[
    ("lint", "data"),
    ("grade", "lint"),
    ("compare", "gates"),
    ("batch", "plan"),
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every `.rs` file under `src/` with its module path (`analysis::index`; `""` for lib.rs).
fn source_files() -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = repo().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut map = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts == ["lib"] || parts == ["main"] {
            continue;
        }
        map.insert(parts.join("::"), f);
    }
    map
}

/// The text without comments and string literals (so paths in docs and messages don't count).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(b[i] as char);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == b'"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&b'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if b[i] == b'"' {
            // A string that is a path (`deserialize_with = "crate::json::f64_or_nan"`) is kept.
            let lit_end = text[i + 1..].find('"').map(|e| i + 1 + e);
            if let Some(e) = lit_end
                && text[i + 1..e].starts_with("crate::")
                && text[i + 1..e]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == ':')
            {
                out.push(' ');
                out.push_str(&text[i + 1..e]);
                out.push(' ');
                i = e + 1;
                continue;
            }
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                if b[i] == b'\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            out.push_str("' '");
            i += 3;
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'\\') {
            // '\n', '\'' and the like.
            let mut j = i + 2;
            while j < b.len() && b[j] != b'\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else {
            // Copy one UTF-8 character.
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            i += len;
        }
    }
    out
}

/// The code before the file's `#[cfg(test)]` module (its `super::` is the file itself).
fn without_tests(code: &str) -> String {
    match code.find("#[cfg(test)]\nmod ") {
        Some(at) => code[..at].to_string(),
        None => code.to_string(),
    }
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.split("as").next().unwrap_or("").to_string()];
    };
    let prefix = &tree[..open];
    let body = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand_use(&p))
        .map(|p| format!("{prefix}{p}"))
        .collect()
}

/// Module paths a file's code names, as written (`crate::x::y`, `super::z`, `child::f`).
fn named_paths(code: &str, children: &BTreeSet<String>) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 4..];
        if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            && let Some(end) = tail.find(';')
        {
            paths.extend(expand_use(&tail[..end]));
        }
        rest = tail;
    }
    let is_path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        if (c.is_alphabetic() || c == '_') && prev.is_none_or(|p| !is_path_char(p)) {
            let mut j = k;
            while j < chars.len() && is_path_char(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(code.len(), |x| x.0);
            let word = &code[i..end];
            let first = word.split("::").next().unwrap_or("");
            if word.contains("::")
                && (["crate", "super", "self"].contains(&first) || children.contains(first))
            {
                paths.push(word.trim_end_matches(':').to_string());
            }
            k = j;
        } else {
            k += 1;
        }
    }
    paths
}

/// The file-level import graph: module path → module paths it imports.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = source_files();
    let mut graph = BTreeMap::new();
    for (module, path) in &files {
        let code = without_tests(&code_only(&std::fs::read_to_string(path).unwrap()));
        let here: Vec<&str> = if module.is_empty() {
            Vec::new()
        } else {
            module.split("::").collect()
        };
        let children: BTreeSet<String> = files
            .keys()
            .filter_map(|k| {
                let rest = if module.is_empty() {
                    Some(k.as_str())
                } else {
                    k.strip_prefix(&format!("{module}::"))
                }?;
                (!rest.is_empty() && !rest.contains("::")).then(|| rest.to_string())
            })
            .collect();
        let mut edges = BTreeSet::new();
        for p in named_paths(&code, &children) {
            let segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let (mut base, mut rest): (Vec<&str>, &[&str]) = match segs.first() {
                Some(&"crate") => (Vec::new(), &segs[1..]),
                Some(&"super") => (here[..here.len().saturating_sub(1)].to_vec(), &segs[1..]),
                Some(&"self") => (here.clone(), &segs[1..]),
                Some(_) => (here.clone(), &segs[..]),
                None => continue,
            };
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend_from_slice(rest);
            // The longest prefix that is a file.
            while !base.is_empty() && !files.contains_key(&base.join("::")) {
                base.pop();
            }
            let target = base.join("::");
            if !target.is_empty() && &target != module {
                edges.insert(target);
            }
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

#[test]
fn top_level_modules_import_only_lower_layers() {
    let graph = import_graph();
    let mut wrong = Vec::new();
    for (from, tos) in &graph {
        let top_from = from.split("::").next().unwrap_or("");
        let Some(lf) = layer_of(top_from) else {
            wrong.push(format!(
                "{from}: top-level module '{top_from}' has no layer"
            ));
            continue;
        };
        for to in tos {
            let top_to = to.split("::").next().unwrap_or("");
            if top_to == top_from {
                continue;
            }
            let Some(lt) = layer_of(top_to) else {
                wrong.push(format!("{to}: top-level module '{top_to}' has no layer"));
                continue;
            };
            let same_ok = lt == 0 || SAME_LAYER.contains(&(top_from, top_to));
            if lt > lf || (lt == lf && !same_ok) {
                wrong.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layer order broken:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycle_between_files() {
    let graph = import_graph();
    // Tarjan's strongly connected components.
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        next: usize,
        cycles: Vec<Vec<&'g str>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.cycles.push(comp);
            }
        }
    }
    let mut s = State {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        cycles: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    let cycles: Vec<String> = s.cycles.iter().map(|c| c.join(" ↔ ")).collect();
    assert!(
        cycles.is_empty(),
        "files that import each other (through a chain):\n{}",
        cycles.join("\n")
    );
}

/// Functions (with their doc comments excluded) longer than `max` lines: `file:line name (n)`.
fn long_functions(max: usize) -> Vec<String> {
    let mut long = Vec::new();
    for path in source_files().values() {
        let code = code_only(&std::fs::read_to_string(path).unwrap());
        let lines: Vec<&str> = code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let t = t.strip_prefix("pub(crate) ").unwrap_or(t);
            let t = t.strip_prefix("pub ").unwrap_or(t);
            let t = t.strip_prefix("const ").unwrap_or(t);
            let Some(sig) = t.strip_prefix("fn ") else {
                continue;
            };
            let name: String = sig
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let (mut depth, mut opened) = (0i32, false);
            let mut end = None;
            'scan: for (j, l) in lines.iter().enumerate().skip(i) {
                for c in l.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        ';' if !opened => break 'scan,
                        _ => {}
                    }
                    if opened && depth == 0 {
                        end = Some(j);
                        break 'scan;
                    }
                }
            }
            if let Some(end) = end {
                let n = end - i + 1;
                if n > max {
                    let rel = path.strip_prefix(repo()).unwrap_or(path);
                    long.push(format!("{}:{} {name} ({n} lines)", rel.display(), i + 1));
                }
            }
        }
    }
    long
}

#[test]
fn no_function_in_src_is_over_150_lines() {
    let long = long_functions(150);
    assert!(
        long.is_empty(),
        "functions over 150 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_structure_checks_can_fail() {
    // The checks see what they should: a known edge, a known long-enough function.
    let graph = import_graph();
    assert!(
        graph["pipeline"].contains("analysis"),
        "{:?}",
        graph["pipeline"]
    );
    assert!(!long_functions(60).is_empty());
    assert_eq!(
        expand_use("crate::a::{b, c::{d, e as f}}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e"]
    );
    assert_eq!(
        code_only("let s = \"a crate::x\"; // crate::y\n"),
        "let s = \"\"; \n"
    );
    assert_eq!(
        code_only("#[serde(with = \"crate::j::f\")]"),
        "#[serde(with =  crate::j::f )]"
    );
}
