//! A draft survey from an XLSForm (survey, choices and settings sheets), as KoboToolbox, ODK
//! and `satkit build --to xlsform` write them.
//!
//! - `begin_group` … `end_group` become tree nodes (a group named `g_<id>` keeps the id; the
//!   group named `profile` holds the profile questions; `g_other` holds body questions outside
//!   the tree);
//! - a `select_one` list with whole-number names from a low to a high code (at least four
//!   points, or used by several questions), optionally with one more code outside that range
//!   (the "not applicable" answer), becomes a scale; other lists become choices;
//! - `integer`, `decimal` and `range` become numeric questions (with the range of a
//!   `. >= a and . <= b` constraint), `text` open questions;
//! - `label::中文 (zh)` / `label::English (en)` columns pick the language.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use super::types::{DNode, DQuestion, DScale, Draft, make_id};
use crate::error::{Error, Result};

/// Whether a workbook is an XLSForm: it has `survey` and `choices` sheets.
pub fn is_xlsform(bytes: &[u8]) -> bool {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).is_ok_and(|b| {
        let names: Vec<String> = b.sheet_names().iter().map(|n| n.to_lowercase()).collect();
        names.iter().any(|n| n == "survey") && names.iter().any(|n| n == "choices")
    })
}

/// A sheet as rows of trimmed text, by column name (lower case).
struct Sheet {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h == n))
    }

    fn get<'a>(&self, row: &'a [String], c: Option<usize>) -> &'a str {
        c.and_then(|c| row.get(c)).map_or("", String::as_str)
    }
}

fn sheet(
    book: &mut calamine::Sheets<Cursor<&[u8]>>,
    name: &str,
    path: &Path,
) -> Result<Option<Sheet>> {
    let Some(real) = book
        .sheet_names()
        .into_iter()
        .find(|n| n.eq_ignore_ascii_case(name))
    else {
        return Ok(None);
    };
    let range = book.worksheet_range(&real).map_err(|e| {
        Error::bad_data(
            path,
            None,
            None,
            format!("sheet '{real}' cannot be read: {e}"),
            "open the form in a spreadsheet program and save it again as .xlsx",
        )
    })?;
    let mut rows = range.rows().map(|r| {
        r.iter()
            .map(|c| match c {
                Data::Empty => String::new(),
                Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                other => other.to_string().trim().to_string(),
            })
            .collect::<Vec<String>>()
    });
    let header = rows
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(|h| h.to_lowercase())
        .collect();
    Ok(Some(Sheet {
        header,
        rows: rows.collect(),
    }))
}

/// The label column to read: `label`, or `label::<lang>` for the chosen language.
fn label_column(s: &Sheet, zh: bool) -> Option<usize> {
    if let Some(c) = s.col(&["label"]) {
        return Some(c);
    }
    let want = if zh {
        ["(zh)", "中文", "chinese"]
    } else {
        ["(en)", "english", "english"]
    };
    s.header
        .iter()
        .position(|h| h.starts_with("label::") && want.iter().any(|w| h.contains(w)))
        .or_else(|| s.header.iter().position(|h| h.starts_with("label::")))
}

/// The language of the form: `lang` when given, else the settings' default language, else
/// Chinese when a zh label column exists or the labels hold CJK characters.
fn language(survey: &Sheet, settings: Option<&Sheet>, lang: Option<bool>) -> bool {
    if let Some(zh) = lang {
        return zh;
    }
    if let Some(st) = settings
        && let Some(c) = st.col(&["default_language"])
        && let Some(row) = st.rows.first()
    {
        let d = st.get(row, Some(c)).to_lowercase();
        if !d.is_empty() {
            return d.contains("zh") || d.contains("chinese") || d.contains("中文");
        }
    }
    if survey.col(&["label"]).is_none() {
        return survey
            .header
            .iter()
            .any(|h| h.starts_with("label::") && (h.contains("(zh)") || h.contains("中文")));
    }
    let c = survey.col(&["label"]);
    survey.rows.iter().any(|r| {
        survey
            .get(r, c)
            .chars()
            .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
    })
}

/// A choice list: (name, label) in order.
type List = Vec<(String, String)>;

/// The scale a list is, if it is one: whole-number names lo..hi (≥ 3 points) and at most one
/// code outside the range (the N/A answer).
fn as_scale(name: &str, list: &List, uses: usize) -> Option<DScale> {
    if name.ends_with("_choices") {
        return None;
    }
    let codes: Vec<i64> = list
        .iter()
        .map(|(n, _)| n.parse().ok())
        .collect::<Option<_>>()?;
    let mut inner: Vec<(i64, &str)> = Vec::new();
    let mut na = None;
    let lo = *codes.first()?;
    let mut expect = lo;
    for (c, (_, l)) in codes.iter().zip(list) {
        if *c == expect && na.is_none() {
            inner.push((*c, l));
            expect += 1;
        } else if na.is_none() {
            na = Some((*c, l.clone()));
        } else {
            return None;
        }
    }
    let hi = inner.last()?.0;
    let points = inner.len();
    if points < 3 || (points < 4 && uses < 2) || points > 101 {
        return None;
    }
    Some(DScale {
        name: name.to_string(),
        lo,
        hi,
        labels: inner
            .iter()
            .map(|(c, l)| {
                if *l == c.to_string() {
                    String::new()
                } else {
                    l.to_string()
                }
            })
            .collect(),
        na,
    })
}

/// The range of a `. >= a and . <= b` constraint, and the most choices of
/// `count-selected(.) <= n`.
fn constraint_bounds(c: &str) -> (Option<f64>, Option<f64>, Option<u64>) {
    let c = c.replace(' ', "");
    let mut lo = None;
    let mut hi = None;
    let mut most = None;
    for part in c.split("and") {
        if let Some(v) = part.strip_prefix(".>=") {
            lo = v.parse().ok();
        } else if let Some(v) = part.strip_prefix(".<=") {
            hi = v.parse().ok();
        } else if let Some(v) = part.strip_prefix("count-selected(.)<=") {
            most = v.parse().ok();
        }
    }
    (lo, hi, most)
}

/// Words that mark the "likely to recommend" question.
fn is_recommend(text: &str) -> bool {
    let t = text.to_lowercase();
    ["推荐", "recommend"].iter().any(|w| t.contains(w))
}

/// The choice lists (name, label in order), the scales among them, and for each list the scale
/// it is with whether it carries the N/A answer.
type Lists = (
    HashMap<String, List>,
    Vec<DScale>,
    HashMap<String, (String, bool)>,
);

fn lists_and_scales(survey: &Sheet, ct: usize, choices: Option<&Sheet>, zh: bool) -> Lists {
    // Choice lists.
    let mut lists: HashMap<String, List> = HashMap::new();
    let mut list_order: Vec<String> = Vec::new();
    if let Some(c) = choices {
        let (ln, nn, ll) = (
            c.col(&["list_name", "list name"]),
            c.col(&["name"]),
            label_column(c, zh),
        );
        for row in &c.rows {
            let l = c.get(row, ln);
            if l.is_empty() {
                continue;
            }
            if !lists.contains_key(l) {
                list_order.push(l.to_string());
            }
            let name = c.get(row, nn).to_string();
            let label = match c.get(row, ll) {
                "" => name.clone(),
                x => x.to_string(),
            };
            lists.entry(l.to_string()).or_default().push((name, label));
        }
    }
    let mut uses: HashMap<String, usize> = HashMap::new();
    for row in &survey.rows {
        if let Some(l) = survey.get(row, Some(ct)).split_whitespace().nth(1) {
            *uses.entry(l.to_string()).or_default() += 1;
        }
    }
    // Scales: a list and its `_na` twin become one scale with an N/A code.
    let mut scales: Vec<DScale> = Vec::new();
    let mut scale_of: HashMap<String, (String, bool)> = HashMap::new();
    for l in &list_order {
        let Some(sc) = as_scale(l, &lists[l], uses.get(l).copied().unwrap_or(0)) else {
            continue;
        };
        let (base, na) = match l.strip_suffix("_na") {
            Some(b) if lists.contains_key(b) => (b.to_string(), true),
            _ => (l.clone(), sc.na.is_some()),
        };
        let base_id = make_id(&base, "scale", &mut Vec::new());
        if let Some(existing) = scales.iter_mut().find(|s| s.name == base_id) {
            if existing.na.is_none() {
                existing.na = sc.na.clone();
            }
        } else {
            scales.push(DScale {
                name: base_id.clone(),
                ..sc.clone()
            });
        }
        scale_of.insert(l.clone(), (base_id, na));
    }
    (lists, scales, scale_of)
}

/// The survey sheet's columns that questions read: type, name, label, hint, constraint.
#[derive(Clone, Copy)]
struct Cols {
    t: usize,
    n: usize,
    l: Option<usize>,
    h: Option<usize>,
    c: Option<usize>,
}

/// The question of one survey-sheet row; `None` for a row that is not a question (metadata,
/// calculations); an error (what, help) for a list the choices sheet lacks.
#[allow(clippy::too_many_arguments)]
fn question_of(
    survey: &Sheet,
    row: &[String],
    cols: Cols,
    lists: &HashMap<String, List>,
    scales: &[DScale],
    scale_of: &HashMap<String, (String, bool)>,
    in_profile: bool,
    taken: &mut Vec<String>,
) -> std::result::Result<Option<DQuestion>, (String, &'static str)> {
    let name = survey.get(row, Some(cols.n));
    let label = survey.get(row, cols.l);
    let t = survey.get(row, Some(cols.t));
    let mut words = t.split_whitespace();
    let kind = words.next().unwrap_or("").to_lowercase();
    let arg = words.next().unwrap_or("");
    let (ch, cc) = (cols.h, cols.c);
    let mut q = DQuestion {
        id: make_id(name, "q", taken),
        text: if label.is_empty() {
            name.to_string()
        } else {
            label.to_string()
        },
        help: Some(survey.get(row, ch).to_string()).filter(|h| !h.is_empty()),
        ..DQuestion::default()
    };
    let (lo, hi, most) = constraint_bounds(survey.get(row, cc));
    match kind.as_str() {
        "select_one" | "select_multiple" => {
            let Some(list) = lists.get(arg) else {
                return Err((
                    format!(
                        "question '{name}' uses the choice list '{arg}', which the choices sheet does not have"
                    ),
                    "add the list to the choices sheet (list_name, name, label)",
                ));
            };
            match (kind.as_str(), scale_of.get(arg)) {
                ("select_one", Some((scale, na))) if !in_profile => {
                    let sc = scales.iter().find(|s| &s.name == scale);
                    let nps = sc.is_some_and(|s| s.lo == 0 && s.hi == 10) && is_recommend(&q.text);
                    q.kind = if nps { "nps" } else { "rating" };
                    q.scale = Some(scale.clone());
                    q.na = *na;
                }
                _ => {
                    q.kind = if kind == "select_one" {
                        "single"
                    } else {
                        "multiple"
                    };
                    q.choices = list.iter().map(|(_, l)| l.clone()).collect();
                    q.max_choices = most;
                    if list
                        .iter()
                        .enumerate()
                        .any(|(i, (n, _))| *n != (i + 1).to_string())
                    {
                        q.todo = Some(format!(
                            "the form's choice names ({}) are coded 1..{} here, in order",
                            list.iter()
                                .map(|(n, _)| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            list.len()
                        ));
                    }
                }
            }
        }
        "integer" | "decimal" | "range" => {
            q.kind = "numeric";
            q.integer = kind == "integer";
            q.min = lo;
            q.max = hi;
        }
        "text" => q.kind = "text",
        _ => return Ok(None),
    }
    Ok(Some(q))
}

/// The form's title and version from the settings sheet (the id as the title when absent).
fn title_and_version(d: &mut Draft, settings: Option<&Sheet>, id: &str) {
    if let Some(st) = settings
        && let Some(row) = st.rows.first()
    {
        d.title = st.get(row, st.col(&["form_title"])).to_string();
        let v = st.get(row, st.col(&["version"]));
        if !v.is_empty() {
            d.version = v.to_string();
        }
    }
    if d.title.is_empty() {
        d.title = id.replace(['-', '_'], " ");
    }
}

/// Build the draft survey.
///
/// # Errors
/// A workbook without a survey sheet or without `type` and `name` columns, or a
/// `select_one`/`select_multiple` whose list is not on the choices sheet.
pub fn read(path: &Path, bytes: &[u8], id: &str, lang: Option<bool>) -> Result<Draft> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::bad_data(
            path,
            None,
            None,
            format!("cannot be read as a workbook: {e}"),
            "save the XLSForm again as .xlsx",
        )
    })?;
    let bad = |what: String, help: &str| Error::bad_data(path, None, None, what, help.to_string());
    let survey = sheet(&mut book, "survey", path)?.ok_or_else(|| {
        bad(
            "has no 'survey' sheet".into(),
            "an XLSForm has survey, choices and settings sheets",
        )
    })?;
    let choices = sheet(&mut book, "choices", path)?;
    let settings = sheet(&mut book, "settings", path)?;
    let zh = language(&survey, settings.as_ref(), lang);
    let (Some(ct), Some(cn)) = (survey.col(&["type"]), survey.col(&["name"])) else {
        return Err(bad(
            "has a survey sheet without 'type' and 'name' columns".into(),
            "the first row of the survey sheet names the columns: type, name, label, …",
        ));
    };
    let cl = label_column(&survey, zh);
    let (ch, cr, cc) = (
        survey
            .col(&["hint"])
            .or_else(|| survey.header.iter().position(|h| h.starts_with("hint::"))),
        survey.col(&["required"]),
        survey.col(&["constraint"]),
    );
    let cols = Cols {
        t: ct,
        n: cn,
        l: cl,
        h: ch,
        c: cc,
    };
    let (lists, scales, scale_of) = lists_and_scales(&survey, ct, choices.as_ref(), zh);
    let mut d = Draft {
        id: id.to_string(),
        zh,
        version: "1".into(),
        source: path.display().to_string(),
        ..Draft::default()
    };
    title_and_version(&mut d, settings.as_ref(), id);
    // Walk the rows: groups nest, questions go to the profile or the body and the tree.
    let mut stack: Vec<DNode> = Vec::new();
    let mut in_profile = false;
    let mut taken: Vec<String> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for row in &survey.rows {
        let t = survey.get(row, Some(ct));
        let name = survey.get(row, Some(cn));
        let label = survey.get(row, cl);
        let mut words = t.split_whitespace();
        let kind = words.next().unwrap_or("").to_lowercase();

        match kind.as_str() {
            "" => continue,
            "begin_group" | "begin" | "begin_repeat" => {
                if name == "profile" {
                    in_profile = true;
                    continue;
                }
                let gid = name.strip_prefix("g_").unwrap_or(name);
                stack.push(DNode {
                    id: make_id(gid, "group", &mut Vec::new()),
                    name: if label.is_empty() {
                        name.to_string()
                    } else {
                        label.to_string()
                    },
                    ..DNode::default()
                });
                continue;
            }
            "end_group" | "end" | "end_repeat" => {
                if in_profile && stack.is_empty() {
                    in_profile = false;
                    continue;
                }
                if let Some(node) = stack.pop() {
                    let keep = node.id != "other" && has_questions(&node);
                    match (keep, stack.last_mut()) {
                        (true, Some(parent)) => parent.children.push(node),
                        (true, None) => d.tree.push(node),
                        (false, _) => {}
                    }
                }
                continue;
            }
            "note" => {
                match name {
                    "preface" => d.preface = Some(label.to_string()),
                    "closing" => d.closing = Some(label.to_string()),
                    _ => {}
                }
                continue;
            }
            _ => {}
        }
        let Some(mut q) = question_of(
            &survey, row, cols, &lists, &scales, &scale_of, in_profile, &mut taken,
        )
        .map_err(|(what, help)| bad(what, help))?
        else {
            skipped.push(format!("{name} ({kind})"));
            continue;
        };
        let required = matches!(
            survey.get(row, cr).to_lowercase().as_str(),
            "yes" | "true" | "true()" | "1"
        );
        if in_profile {
            q.required = required.then_some(true);
            d.profile.push(q);
        } else {
            q.required = (!required).then_some(false);
            if matches!(q.kind, "rating" | "nps") {
                match stack.last_mut() {
                    Some(node) if node.id != "other" => node.questions.push(q.id.clone()),
                    _ => q.todo = Some(role_todo(&q)),
                }
            }
            d.questions.push(q);
        }
    }
    if !skipped.is_empty() {
        d.notes.push(format!(
            "Form rows left out (metadata, calculations, notes): {}",
            skipped.join(", ")
        ));
    }
    // A node with both questions and child groups: its own questions become one more leaf.
    for n in &mut d.tree {
        split_mixed(n);
    }
    d.scales = scales;
    Ok(d)
}

/// What to decide for a rating outside the tree: its role, guessed from its text.
fn role_todo(q: &DQuestion) -> String {
    let t = q.text.to_lowercase();
    let guess = if q.kind == "nps" || is_recommend(&t) {
        Some("recommend")
    } else if ["总体", "整体", "总的来说", "overall", "all in all"]
        .iter()
        .any(|w| t.contains(w))
    {
        Some("overall")
    } else {
        None
    };
    match guess {
        Some(r) => format!("outside the tree; role = \"{r}\"? (docs/survey-format.md#roles)"),
        None => {
            "outside the tree: put it in a node, or give it a role (docs/survey-format.md#roles)"
                .into()
        }
    }
}

fn has_questions(n: &DNode) -> bool {
    !n.questions.is_empty() || n.children.iter().any(has_questions)
}

fn split_mixed(n: &mut DNode) {
    for c in &mut n.children {
        split_mixed(c);
    }
    if !n.children.is_empty() && !n.questions.is_empty() {
        let qs = std::mem::take(&mut n.questions);
        n.children.push(DNode {
            id: format!("{}_items", n.id),
            name: n.name.clone(),
            questions: qs,
            children: Vec::new(),
        });
    }
}
