//! A draft survey from a data file (CSV, Excel, SPSS): every column becomes a question or a
//! respondent column.
//!
//! - SPSS variable labels become question texts; value labels become scales (whole-number codes
//!   lo..hi, at least three points, an extra code as "not applicable") or choices;
//! - without labels, whole numbers in a short range (0/1 … 5, 7, 10, 11) are ratings on a
//!   numbered scale; text values that are the labels of a built-in scale (满意 …, Very
//!   satisfied …) are ratings on it; a few distinct texts are single choices; long or varied
//!   texts are open questions; other numbers are numeric;
//! - `q_1`, `q_2` … columns holding 0/1 are one multiple-choice question;
//! - the id, weight and duration columns are recognised by name;
//! - a shared prefix (`q3_1`, `SERV_2`, `3(服务态度)`) makes rating columns one dimension.
//!
//! Each question keeps its column header as an alias, so `satkit import` matches the file as
//! it is.

use std::collections::BTreeMap;
use std::path::Path;

use super::types::{DNode, DQuestion, DScale, Draft, make_id};
use crate::data::import::{ImportOptions, read_columns};
use crate::error::{Error, Result};
use crate::model::{Language, builtin_scales};

/// At most this many distinct texts make a single-choice question.
const MAX_CHOICES: usize = 12;

/// Build the draft.
///
/// # Errors
/// An unreadable file, or one without columns or rows.
pub fn read(path: &Path, id: &str, zh: Option<bool>) -> Result<Draft> {
    let (name, headers, columns, info) = read_columns(path, &ImportOptions::default())?;
    if headers.is_empty() || columns.first().is_none_or(|c| c.is_empty()) {
        return Err(Error::bad_data(
            path,
            None,
            None,
            "has no columns or no rows to draft a survey from",
            "give a file with a header row and some responses",
        ));
    }
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let zh = zh.unwrap_or_else(|| {
        headers.iter().any(|h| cjk(h))
            || info.as_ref().is_some_and(|i| {
                i.variables
                    .iter()
                    .any(|v| v.label.as_deref().is_some_and(cjk))
            })
    });
    let mut d = Draft {
        id: id.to_string(),
        title: id.replace(['-', '_'], " "),
        zh,
        version: "1".into(),
        source: name,
        ..Draft::default()
    };
    d.notes.push(
        "Columns were read as questions from their values; check each type, text and scale.".into(),
    );
    let builtins = builtin_scales(if zh { Language::Zh } else { Language::En });
    let mut taken: Vec<String> = Vec::new();
    let mut prefixes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut multi_done: Vec<usize> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if multi_done.contains(&i) {
            continue;
        }
        let values: Vec<&str> = columns[i]
            .iter()
            .map(|v| v.trim())
            .filter(|v| !crate::data::coding::is_missing_token(v))
            .collect();
        let var = info
            .as_ref()
            .and_then(|inf| inf.variables.iter().find(|v| &v.name == h));
        let lower = h.to_lowercase();
        // Respondent columns by name.
        if d.respondent_id.is_none() && is_id_name(&lower) && all_unique(&values) {
            d.respondent_id = Some(h.clone());
            continue;
        }
        if d.weight.is_none()
            && (lower.contains("weight") || h.contains("权重"))
            && numbers(&values).is_some()
        {
            d.weight = Some(h.clone());
            continue;
        }
        if d.duration.is_none()
            && ["duration", "seconds", "用时", "时长", "所用时间"]
                .iter()
                .any(|w| lower.contains(w))
        {
            d.duration = Some(h.clone());
            continue;
        }
        // A group of 0/1 option columns: one multiple-choice question.
        if let Some((base, members)) = option_group(&headers, &columns, i) {
            let text = var
                .and_then(|v| v.label.as_deref())
                .and_then(|l| l.rsplit_once(':').map(|(t, _)| t.trim().to_string()))
                .unwrap_or_else(|| base.clone());
            let choices: Vec<String> = members
                .iter()
                .map(|&m| {
                    info.as_ref()
                        .and_then(|inf| inf.variables.iter().find(|v| v.name == headers[m]))
                        .and_then(|v| {
                            v.label
                                .as_deref()
                                .and_then(|l| l.rsplit_once(':').map(|(_, c)| c.trim().to_string()))
                                .or_else(|| {
                                    v.value_labels
                                        .iter()
                                        .find(|(c, _)| *c == 1.0)
                                        .map(|(_, l)| l.clone())
                                })
                        })
                        .unwrap_or_else(|| headers[m].clone())
                })
                .collect();
            multi_done.extend(&members);
            d.profile.push(DQuestion {
                id: make_id(&base, "q", &mut taken),
                text,
                kind: "multiple",
                choices,
                todo: Some(format!(
                    "columns {} are one answer (0/1 per option); check the option labels",
                    members
                        .iter()
                        .map(|&m| headers[m].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                ..DQuestion::default()
            });
            continue;
        }
        let text = var
            .and_then(|v| v.label.clone())
            .unwrap_or_else(|| question_text(h));
        let mut q = DQuestion {
            id: make_id(&ascii_part(h), "q", &mut taken),
            text,
            ..DQuestion::default()
        };
        if q.id != *h {
            q.aliases.push(h.clone());
        }
        classify(&mut q, &values, var, &builtins, &mut d.scales, zh);
        match q.kind {
            "rating" | "nps" => {
                // The overall and recommend items stay outside the dimensions.
                let key = if is_overall(&q.text) || q.kind == "nps" {
                    String::new()
                } else {
                    prefix_of(h)
                };
                prefixes.entry(key).or_default().push(q.id.clone());
                d.questions.push(q);
            }
            "attribute" => d.attributes.push(h.clone()),
            "single" | "numeric" if !is_overall(&q.text) => d.profile.push(q),
            _ => d.questions.push(q),
        }
    }
    build_tree(&mut d, prefixes);
    Ok(d)
}

/// Ratings with a shared prefix form a dimension; ratings alone form one dimension of their
/// own (an overall-looking item is left outside with a role to decide).
fn build_tree(d: &mut Draft, prefixes: BTreeMap<String, Vec<String>>) {
    let mut loose: Vec<String> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for (p, ids) in prefixes {
        if ids.len() >= 2 && !p.is_empty() {
            d.tree.push(DNode {
                id: make_id(&p, "dim", &mut taken),
                name: format!("{p} (TODO: name)"),
                questions: ids,
                children: Vec::new(),
            });
        } else {
            loose.extend(ids);
        }
    }
    let mut rest = Vec::new();
    for id in loose {
        let q = d.questions.iter_mut().find(|q| q.id == id);
        match q {
            Some(q) if is_overall(&q.text) || q.kind == "nps" => {
                q.todo = Some(format!(
                    "outside the tree; role = \"{}\"? (docs/survey-format.md#roles)",
                    if q.kind == "nps" {
                        "recommend"
                    } else {
                        "overall"
                    }
                ));
            }
            _ => rest.push(id),
        }
    }
    if !rest.is_empty() {
        d.tree.push(DNode {
            id: make_id("items", "dim", &mut taken),
            name: if d.zh {
                "其他指标 (TODO: 分组)".into()
            } else {
                "Other items (TODO: group)".into()
            },
            questions: rest,
            children: Vec::new(),
        });
    }
}

/// Set the question's type, scale and choices from its values (and SPSS labels).
fn classify(
    q: &mut DQuestion,
    values: &[&str],
    var: Option<&crate::data::sources::spss::SavVariable>,
    builtins: &[crate::model::Scale],
    scales: &mut Vec<DScale>,
    zh: bool,
) {
    // SPSS value labels.
    if let Some(v) = var.filter(|v| !v.value_labels.is_empty() && !v.is_string) {
        from_value_labels(q, v, scales);
        return;
    }
    if values.is_empty() {
        q.kind = "text";
        q.required = Some(false);
        q.todo = Some("the column is empty: choose its type".into());
        return;
    }
    if let Some(nums) = numbers(values) {
        from_numbers(q, &nums, scales);
        return;
    }
    // Dates and times: an attribute of the response.
    if values
        .iter()
        .all(|v| crate::data::platforms::parse_timestamp(v).is_some())
    {
        q.kind = "attribute";
        return;
    }
    // Texts that are a built-in scale's labels.
    let mut distinct: Vec<&str> = Vec::new();
    for v in values {
        if !distinct.contains(v) {
            distinct.push(v);
        }
    }
    if let Some(b) = builtins
        .iter()
        .find(|b| distinct.len() >= 2 && distinct.iter().all(|v| b.labels.iter().any(|l| l == v)))
    {
        q.kind = "rating";
        q.scale = Some(b.name.clone());
        return;
    }
    let long = values.iter().map(|v| v.chars().count()).sum::<usize>() / values.len() > 15;
    if distinct.len() == 1 && !long {
        q.kind = "attribute";
        return;
    }
    if distinct.len() <= MAX_CHOICES && distinct.len() * 2 <= values.len().max(2) && !long {
        q.kind = "single";
        q.choices = distinct.iter().map(|s| s.to_string()).collect();
        q.todo = Some(if zh {
            "选项按数据中首次出现的顺序排列：请调整顺序；若是受访者属性（地区、门店），可移到 [respondents] attributes".into()
        } else {
            "choices in order of first appearance: reorder them; an attribute of the respondent (region, store) may go to [respondents] attributes instead".into()
        });
        return;
    }
    q.kind = "text";
    q.required = Some(false);
}

/// A question from SPSS value labels: a rating on the scale they make, or a single choice.
fn from_value_labels(
    q: &mut DQuestion,
    v: &crate::data::sources::spss::SavVariable,
    scales: &mut Vec<DScale>,
) {
    let mut labels: Vec<(i64, String)> = v
        .value_labels
        .iter()
        .filter(|(c, _)| c.fract() == 0.0)
        .map(|(c, l)| (*c as i64, l.clone()))
        .collect();
    labels.sort_by_key(|(c, _)| *c);
    // The scale is the run of consecutive codes from the lowest; a code outside it labelled
    // like "not applicable" (or declared user-missing) is its N/A answer.
    let missing = |c: i64| {
        v.missing
            .iter()
            .any(|(lo, hi)| (c as f64) >= *lo && (c as f64) <= *hi)
    };
    let mut inner: Vec<(i64, String)> = Vec::new();
    let mut extra: Vec<(i64, String)> = Vec::new();
    for (c, l) in &labels {
        if !missing(*c)
            && (inner.is_empty() || inner.last().is_some_and(|(p, _)| *p + 1 == *c))
            && extra.is_empty()
        {
            inner.push((*c, l.clone()));
        } else {
            extra.push((*c, l.clone()));
        }
    }
    let na_like = |l: &str| {
        let l = l.to_lowercase();
        [
            "不适用",
            "不知道",
            "不清楚",
            "无法",
            "not applicable",
            "n/a",
            "don't know",
            "dont know",
        ]
        .iter()
        .any(|w| l.contains(w))
    };
    let scale_like = inner.len() >= 3
        && inner.len() <= 101
        && (looks_like_scale(&inner) || inner.iter().all(|(c, l)| *l == c.to_string()));
    if scale_like && extra.len() <= 2 && extra.iter().all(|(c, l)| na_like(l) || missing(*c)) {
        let not_applicable = |l: &str| {
            let l = l.to_lowercase();
            l.contains("不适用") || l.contains("not applicable") || l == "n/a"
        };
        let na = extra
            .iter()
            .find(|(_, l)| not_applicable(l))
            .or_else(|| extra.iter().find(|(_, l)| na_like(l)))
            .or(extra.first())
            .cloned();
        let sc = DScale {
            name: String::new(),
            lo: inner[0].0,
            hi: inner[inner.len() - 1].0,
            labels: inner
                .iter()
                .map(|(c, l)| {
                    if *l == c.to_string() {
                        String::new()
                    } else {
                        l.clone()
                    }
                })
                .collect(),
            na,
        };
        q.kind = if sc.lo == 0 && sc.hi == 10 && is_recommend(&q.text) {
            "nps"
        } else {
            "rating"
        };
        q.na = sc.na.is_some();
        if extra.len() == 2 {
            q.todo = Some(format!(
                "the file has two more codes ({} and {}); only one can be the N/A answer",
                extra[0].0, extra[1].0
            ));
        }
        q.scale = Some(add_scale(scales, sc));
        return;
    }
    let inner: Vec<(i64, String)> = labels.clone();
    q.kind = "single";
    q.choices = inner.iter().map(|(_, l)| l.clone()).collect();
    if inner
        .iter()
        .enumerate()
        .any(|(k, (c, _))| *c != k as i64 + 1)
    {
        q.todo = Some(format!(
            "the file codes these choices {}; satkit codes them 1..{} in order (recode the data or the list)",
            inner
                .iter()
                .map(|(c, _)| c.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            inner.len()
        ));
    }
}

/// A question from numbers: NPS, a rating on a numbered scale, or numeric.
fn from_numbers(q: &mut DQuestion, nums: &[f64], scales: &mut Vec<DScale>) {
    let all_int = nums.iter().all(|x| x.fract() == 0.0);
    let (lo, hi) = nums
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
    let distinct = {
        let mut v: Vec<i64> = nums.iter().map(|x| *x as i64).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    // A likelihood to recommend: whole numbers within 0..10.
    if all_int && lo >= 0.0 && hi <= 10.0 && is_recommend(&q.text) {
        q.kind = "nps";
        return;
    }
    if all_int && lo >= 0.0 && [5.0, 7.0, 10.0].contains(&hi) && distinct >= 3 {
        // Nobody may have chosen the lowest points: the scale starts at 0 or 1.
        let lo = if lo == 0.0 { 0.0 } else { 1.0 };
        let nps = lo == 0.0 && hi == 10.0;
        q.kind = if nps && is_recommend(&q.text) {
            "nps"
        } else {
            "rating"
        };
        let name = if nps {
            "nps11".to_string()
        } else {
            format!("points{}_{}", lo as i64, hi as i64)
        };
        if !(nps) {
            let sc = DScale {
                name: name.clone(),
                lo: lo as i64,
                hi: hi as i64,
                labels: vec![String::new(); (hi - lo) as usize + 1],
                na: None,
            };
            add_scale(scales, sc);
        }
        q.scale = Some(name);
        q.todo = Some(format!(
            "whole numbers {}..{} read as a rating scale: label its points, or make it numeric",
            lo as i64, hi as i64
        ));
        return;
    }
    q.kind = "numeric";
    q.integer = all_int;
}

/// Add a scale, or find an equal one; its name.
fn add_scale(scales: &mut Vec<DScale>, mut sc: DScale) -> String {
    if let Some(s) = scales
        .iter()
        .find(|s| s.lo == sc.lo && s.hi == sc.hi && s.labels == sc.labels && s.na == sc.na)
    {
        return s.name.clone();
    }
    if sc.name.is_empty() {
        sc.name = format!("scale{}", scales.len() + 1);
    }
    let name = sc.name.clone();
    scales.push(sc);
    name
}

fn looks_like_scale(labels: &[(i64, String)]) -> bool {
    labels.iter().any(|(_, l)| {
        let l = l.to_lowercase();
        [
            "满意",
            "同意",
            "一般",
            "非常",
            "较好",
            "较差",
            "satisf",
            "agree",
            "likely",
            "可能",
            "poor",
            "good",
            "excellent",
            "neutral",
            "important",
            "重要",
        ]
        .iter()
        .any(|w| l.contains(w))
    })
}

fn is_recommend(text: &str) -> bool {
    let t = text.to_lowercase();
    ["推荐", "recommend", "nps"].iter().any(|w| t.contains(w))
}

fn is_overall(text: &str) -> bool {
    let t = text.to_lowercase();
    ["总体", "整体", "overall", "all in all"]
        .iter()
        .any(|w| t.contains(w))
}

fn is_id_name(lower: &str) -> bool {
    [
        "id",
        "rid",
        "respondent_id",
        "responseid",
        "response_id",
        "_id",
        "序号",
        "编号",
        "respondent id",
        "response id",
        "case",
    ]
    .contains(&lower)
        || lower.ends_with("_id")
        || lower.ends_with(" id")
}

fn all_unique(values: &[&str]) -> bool {
    let mut v: Vec<&str> = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    v.dedup();
    n > 0 && v.len() == n
}

fn numbers(values: &[&str]) -> Option<Vec<f64>> {
    values
        .iter()
        .map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect()
}

/// `q3_1` → `q3`, `SERV_2` → `SERV`, `3(服务态度)` → `3`, `br_layout` → `br`; empty for a
/// header without a numbered tail or separator.
fn prefix_of(h: &str) -> String {
    if let Some((outer, _)) = crate::data::headers::split_bracketed(h) {
        return outer.to_string();
    }
    let t = h.trim_end_matches(|c: char| c.is_ascii_digit());
    if t.len() < h.len() && !t.is_empty() {
        return t.trim_end_matches(['_', '.', '-']).to_string();
    }
    // `br_assortment`, `br_layout`: the part before the first separator.
    h.split_once(['_', '.', '-'])
        .map(|(a, _)| a.to_string())
        .unwrap_or_default()
}

/// The text of a question from its header: `1、您的性别：` → `您的性别：`, `3(服务态度)` →
/// `服务态度`.
fn question_text(h: &str) -> String {
    let s = crate::data::headers::strip_number(h);
    crate::data::headers::bracketed(s)
        .filter(|_| s.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(s)
        .to_string()
}

/// The ASCII part of a header for its id (`Q3. 服务` → `q3`); empty for an all-Chinese header.
fn ascii_part(h: &str) -> String {
    let a: String = h.chars().filter(|c| c.is_ascii()).collect();
    if a.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 1 {
        a
    } else {
        String::new()
    }
}

/// Columns `base_1`, `base_2`, … (or `base/x`, `base[x]`) starting at `i` whose values are all
/// 0/1 (or empty): the multiple-choice question `base` and its columns.
fn option_group(
    headers: &[String],
    columns: &[Vec<String>],
    i: usize,
) -> Option<(String, Vec<usize>)> {
    let split = |h: &str| -> Option<(String, String)> {
        if let Some(r) = h.strip_suffix(']') {
            return r
                .split_once('[')
                .map(|(a, b)| (a.to_string(), b.to_string()));
        }
        h.rsplit_once(['_', '/', '.'])
            .map(|(a, b)| (a.to_string(), b.to_string()))
    };
    let (base, _) = split(&headers[i])?;
    let binary = |c: &Vec<String>| {
        c.iter()
            .all(|v| matches!(v.trim(), "" | "0" | "1" | "0.0" | "1.0"))
            && c.iter().any(|v| matches!(v.trim(), "1" | "1.0"))
    };
    let members: Vec<usize> = (i..headers.len())
        .take_while(|&k| split(&headers[k]).is_some_and(|(b, _)| b == base) && binary(&columns[k]))
        .collect();
    (members.len() >= 2).then_some((base, members))
}
