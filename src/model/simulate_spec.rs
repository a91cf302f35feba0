//! The optional `[simulate]` table: how `satkit simulate` draws responses for this survey (the
//! satisfaction level, spread, item noise, dimension correlation, the dimensions' and segments'
//! offsets in index points, the wave drift, and the shares of careless respondents and missing
//! answers). Every field is optional; the simulator's defaults fill the rest, and command-line
//! flags override the table.
//!
//! ```toml
//! [simulate]
//! level = 72                   # mean item score on 0–100
//! straightliners = 0.03
//! drivers = { transaction = 0.35, service = 0.25 }
//! dimensions = { value = -8 }  # points against `level`
//! drift = { transaction = 4 }  # points per wave (`satkit simulate --wave 1`)
//!
//! [simulate.segments]
//! region = { 华南 = -3, 华东 = 2 }
//! ```

use std::ops::Range;

use super::raw::indexmap_like::OrderedMap;
use super::raw::{RawSimulate, S};
use super::tree::Tree;

/// `[simulate]` after validation: ids resolved, every number in its range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimulateSpec {
    pub level: Option<f64>,
    pub spread: Option<f64>,
    pub noise: Option<f64>,
    pub factor_corr: Option<f64>,
    pub overall_r2: Option<f64>,
    pub missing: Option<f64>,
    pub not_applicable: Option<f64>,
    pub straightliners: Option<f64>,
    pub speeders: Option<f64>,
    pub duplicates: Option<f64>,
    pub open_answers: Option<f64>,
    /// Driver weights of the dimensions on the overall item (by dimension id).
    pub drivers: Vec<(String, f64)>,
    /// Dimension offsets in index points against `level`.
    pub dimensions: Vec<(String, f64)>,
    /// Change of a dimension per wave, in index points.
    pub drift: Vec<(String, f64)>,
    /// Segment effects: attribute, value, index points.
    pub segments: Vec<(String, String, f64)>,
    /// The values an attribute takes (instead of the built-in ones).
    pub levels: Vec<(String, Vec<String>)>,
}

/// The numeric settings: name, lowest, highest, whether the bounds are included, an example.
pub const SETTINGS: &[(&str, f64, f64, bool, &str)] = &[
    ("level", 5.0, 95.0, true, "72"),
    ("spread", 0.1, 3.0, true, "0.6"),
    ("noise", 0.0, 0.95, true, "0.4"),
    ("factor_corr", 0.0, 0.95, true, "0.5"),
    ("overall_r2", 0.05, 0.95, true, "0.6"),
    ("missing", 0.0, 0.5, true, "0.02"),
    ("not_applicable", 0.0, 0.5, true, "0.03"),
    ("straightliners", 0.0, 0.5, true, "0.025"),
    ("speeders", 0.0, 0.5, true, "0.03"),
    ("duplicates", 0.0, 0.5, true, "0.005"),
    ("open_answers", 0.0, 1.0, true, "0.45"),
];

/// The largest offset, drift or segment effect, in index points.
pub const MAX_POINTS: f64 = 50.0;

/// Check one numeric setting against [`SETTINGS`]: `Err((what was expected, an example))`.
pub fn check_setting(name: &str, x: f64) -> Result<(), (String, String)> {
    let Some((_, lo, hi, _, example)) = SETTINGS.iter().find(|s| s.0 == name) else {
        return Err((
            format!("'{name}' is not a simulation setting"),
            String::new(),
        ));
    };
    if x.is_finite() && x >= *lo && x <= *hi {
        Ok(())
    } else {
        Err((
            format!("{name} = {x} is outside [{lo}, {hi}]"),
            format!("e.g. {name} = {example}"),
        ))
    }
}

/// Check an offset in index points (a dimension offset, drift or segment effect).
pub fn check_points(what: &str, x: f64) -> Result<(), (String, String)> {
    if x.is_finite() && x.abs() <= MAX_POINTS {
        Ok(())
    } else {
        Err((
            format!("{what} = {x} index points is outside [-{MAX_POINTS}, {MAX_POINTS}]"),
            "offsets are in points of the 0–100 index; a few points is realistic, e.g. 3 or -5"
                .into(),
        ))
    }
}

/// The built-in values of common attribute names (region, tier, channel, …); three generic
/// levels `NAME_a`, `NAME_b`, `NAME_c` for any other name.
pub fn default_levels(name: &str, zh: bool) -> Vec<String> {
    let v: &[&str] = match (name, zh) {
        ("region", true) => &["华东", "华北", "华南", "西部"],
        ("region", false) => &["North", "South", "East", "West"],
        ("tier", true) => &["普通会员", "银牌会员", "金牌会员"],
        ("tier", false) => &["Basic", "Plus", "Premium"],
        ("customer_type", true) => &["采购商", "制造商"],
        ("customer_type", false) => &["Buyer", "Manufacturer"],
        ("segment", true) => &["个人", "企业"],
        ("segment", false) => &["Consumer", "Business"],
        ("channel", true) => &["线上", "门店", "电话"],
        ("channel", false) => &["Online", "Store", "Phone"],
        ("gender", true) => &["男", "女"],
        ("gender", false) => &["Male", "Female"],
        ("age_group", _) => &["18-29", "30-44", "45-59", "60+"],
        ("wave", _) => &["2025Q4", "2026Q1"],
        _ => &[],
    };
    if v.is_empty() {
        ["a", "b", "c"]
            .iter()
            .map(|s| format!("{name}_{s}"))
            .collect()
    } else {
        v.iter().map(|s| s.to_string()).collect()
    }
}

/// The values of attribute `name`: those declared in `levels`, else the built-in ones.
pub fn levels_in(levels: &[(String, Vec<String>)], name: &str, zh: bool) -> Vec<String> {
    levels
        .iter()
        .find(|(a, _)| a == name)
        .map_or_else(|| default_levels(name, zh), |(_, v)| v.clone())
}

impl SimulateSpec {
    /// The values of an attribute: declared in `[simulate.levels]`, else built in.
    pub fn levels_of(&self, name: &str, zh: bool) -> Vec<String> {
        levels_in(&self.levels, name, zh)
    }

    /// The numeric settings by their [`SETTINGS`] names (`None`: not in the table).
    pub fn settings(&self) -> [(&'static str, Option<f64>); 11] {
        [
            ("level", self.level),
            ("spread", self.spread),
            ("noise", self.noise),
            ("factor_corr", self.factor_corr),
            ("overall_r2", self.overall_r2),
            ("missing", self.missing),
            ("not_applicable", self.not_applicable),
            ("straightliners", self.straightliners),
            ("speeders", self.speeders),
            ("duplicates", self.duplicates),
            ("open_answers", self.open_answers),
        ]
    }
}

/// Put a segment effect into a list, replacing the entry for the same attribute and value.
pub fn upsert_segment(list: &mut Vec<(String, String, f64)>, attr: &str, value: &str, points: f64) {
    match list.iter_mut().find(|(a, v, _)| a == attr && v == value) {
        Some(slot) => slot.2 = points,
        None => list.push((attr.to_string(), value.to_string(), points)),
    }
}

/// A located problem: span, message, help.
pub type Problem = (Range<usize>, String, String);

/// Validate `[simulate]` against the tree and the respondent attributes.
pub fn build(
    raw: &RawSimulate,
    tree: &Tree,
    attributes: &[String],
    zh: bool,
) -> (SimulateSpec, Vec<Problem>) {
    let mut problems: Vec<Problem> = Vec::new();
    let mut setting = |name: &str, v: &Option<S<f64>>| -> Option<f64> {
        let v = v.as_ref()?;
        match check_setting(name, *v.get_ref()) {
            Ok(()) => Some(*v.get_ref()),
            Err((m, h)) => {
                problems.push((v.span(), m, h));
                None
            }
        }
    };
    let mut spec = SimulateSpec {
        level: setting("level", &raw.level),
        spread: setting("spread", &raw.spread),
        noise: setting("noise", &raw.noise),
        factor_corr: setting("factor_corr", &raw.factor_corr),
        overall_r2: setting("overall_r2", &raw.overall_r2),
        missing: setting("missing", &raw.missing),
        not_applicable: setting("not_applicable", &raw.not_applicable),
        straightliners: setting("straightliners", &raw.straightliners),
        speeders: setting("speeders", &raw.speeders),
        duplicates: setting("duplicates", &raw.duplicates),
        open_answers: setting("open_answers", &raw.open_answers),
        ..SimulateSpec::default()
    };
    let dims: Vec<&str> = tree
        .dimensions()
        .iter()
        .map(|&d| tree.nodes[d].id.as_str())
        .collect();
    spec.drivers = dimension_map(&raw.drivers, "drivers", &dims, &mut problems, |x| {
        if x.is_finite() && x > 0.0 && x <= 1e6 {
            Ok(())
        } else {
            Err((
                format!("driver weight {x} is not a positive number of at most 1e6"),
                "driver weights are relative, e.g. service = 0.3".into(),
            ))
        }
    });
    spec.dimensions = dimension_map(&raw.dimensions, "dimensions", &dims, &mut problems, |x| {
        check_points("the offset", x)
    });
    spec.drift = dimension_map(&raw.drift, "drift", &dims, &mut problems, |x| {
        check_points("the drift", x)
    });
    for (attr, values) in &raw.levels.0 {
        if !known_attribute(attr, attributes, &mut problems, "levels") {
            continue;
        }
        let v = values.get_ref();
        let mut seen = std::collections::HashSet::new();
        if v.is_empty() || v.len() > 100 || v.iter().any(|s| s.trim().is_empty() || !seen.insert(s))
        {
            problems.push((
                values.span(),
                format!(
                    "levels of '{}' must be 1 to 100 distinct, non-empty values",
                    attr.get_ref()
                ),
                format!("e.g. {} = [\"North\", \"South\"]", attr.get_ref()),
            ));
            continue;
        }
        spec.levels.push((attr.get_ref().clone(), v.clone()));
    }
    for (attr, effects) in &raw.segments.0 {
        if !known_attribute(attr, attributes, &mut problems, "segments") {
            continue;
        }
        let levels = spec.levels_of(attr.get_ref(), zh);
        for (value, points) in &effects.0 {
            if !levels.contains(value.get_ref()) {
                problems.push((
                    value.span(),
                    format!(
                        "'{}' is not a value of attribute '{}' in the simulation",
                        value.get_ref(),
                        attr.get_ref()
                    ),
                    format!(
                        "use one of: {}; or list the values in [simulate.levels]",
                        levels.join(", ")
                    ),
                ));
                continue;
            }
            match check_points("the segment effect", *points.get_ref()) {
                Ok(()) => spec.segments.push((
                    attr.get_ref().clone(),
                    value.get_ref().clone(),
                    *points.get_ref(),
                )),
                Err((m, h)) => problems.push((points.span(), m, h)),
            }
        }
    }
    (spec, problems)
}

fn known_attribute(
    attr: &S<String>,
    attributes: &[String],
    problems: &mut Vec<Problem>,
    table: &str,
) -> bool {
    if attributes.contains(attr.get_ref()) {
        return true;
    }
    problems.push((
        attr.span(),
        format!(
            "[simulate.{table}] names '{}', which is not a respondent attribute",
            attr.get_ref()
        ),
        if attributes.is_empty() {
            "list it in [respondents] attributes first".to_string()
        } else {
            format!(
                "use one of [respondents] attributes: {}",
                attributes.join(", ")
            )
        },
    ));
    false
}

fn dimension_map(
    raw: &OrderedMap<S<f64>>,
    table: &str,
    dims: &[&str],
    problems: &mut Vec<Problem>,
    check: impl Fn(f64) -> Result<(), (String, String)>,
) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for (id, v) in &raw.0 {
        if !dims.contains(&id.get_ref().as_str()) {
            problems.push((
                id.span(),
                format!(
                    "[simulate] {table} names '{}', which is not a dimension (a child of [tree])",
                    id.get_ref()
                ),
                format!("use one of: {}", dims.join(", ")),
            ));
            continue;
        }
        match check(*v.get_ref()) {
            Ok(()) => out.push((id.get_ref().clone(), *v.get_ref())),
            Err((m, h)) => problems.push((v.span(), m, h)),
        }
    }
    out
}
