//! The simulator's options: the response model's settings, the survey's `[simulate]` table
//! merged with the defaults, and the parsers of the command-line assignments.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Survey;
use crate::model::simulate_spec::{check_points, check_setting, levels_in, upsert_segment};

/// The numeric settings of the response model (see the module documentation).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Settings {
    /// Expected item score on 0–100.
    pub level: f64,
    /// SD of the latent, in units of the standard normal cut scale.
    pub spread: f64,
    /// Mean unique variance of an item (1 − λ²).
    pub noise: f64,
    pub factor_corr: f64,
    pub overall_r2: f64,
    pub missing: f64,
    pub not_applicable: f64,
    pub straightliners: f64,
    pub speeders: f64,
    pub duplicates: f64,
    pub open_answers: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            level: 72.0,
            spread: 0.6,
            noise: 0.4,
            factor_corr: 0.5,
            overall_r2: 0.6,
            missing: 0.02,
            not_applicable: 0.03,
            straightliners: 0.025,
            speeders: 0.03,
            duplicates: 0.005,
            open_answers: 0.45,
        }
    }
}

impl Settings {
    /// Set one setting by its `[simulate]` name, checked against its range.
    ///
    /// # Errors
    /// What was expected and an example, for an unknown name or a value out of range.
    pub fn set(&mut self, name: &str, x: f64) -> std::result::Result<(), (String, String)> {
        check_setting(name, x)?;
        let slot = match name {
            "level" => &mut self.level,
            "spread" => &mut self.spread,
            "noise" => &mut self.noise,
            "factor_corr" => &mut self.factor_corr,
            "overall_r2" => &mut self.overall_r2,
            "missing" => &mut self.missing,
            "not_applicable" => &mut self.not_applicable,
            "straightliners" => &mut self.straightliners,
            "speeders" => &mut self.speeders,
            "duplicates" => &mut self.duplicates,
            "open_answers" => &mut self.open_answers,
            _ => {
                return Err((
                    format!("'{name}' is not a simulation setting"),
                    String::new(),
                ));
            }
        };
        *slot = x;
        Ok(())
    }

    fn all(&self) -> [(&'static str, f64); 11] {
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

#[derive(Debug, Clone, Default)]
pub struct SimulateOptions {
    pub n: usize,
    pub seed: u64,
    pub settings: Settings,
    /// Driver weights of the dimensions on the overall item (by dimension id); dimensions not
    /// named get a weight drawn from the seed.
    pub drivers: Vec<(String, f64)>,
    /// Dimension offsets in index points against `level`; dimensions not named get an offset
    /// drawn from the seed (−8 … +4 points).
    pub dimensions: Vec<(String, f64)>,
    /// Change of a dimension per wave, in index points.
    pub drift: Vec<(String, f64)>,
    /// The wave: 0 for the base wave; wave w adds w × drift.
    pub wave: u32,
    /// Segment effects in index points: attribute, value, points.
    pub segments: Vec<(String, String, f64)>,
    /// Attribute values other than the built-in ones.
    pub levels: Vec<(String, Vec<String>)>,
}

/// The most respondents one `simulate` run generates (the CSV is built in memory).
pub const MAX_SIMULATED_RESPONDENTS: usize = 1_000_000;

/// Put `(key, value)` into a list, replacing an entry with the same key.
pub fn upsert<K: PartialEq, V>(list: &mut Vec<(K, V)>, key: K, value: V) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => list.push((key, value)),
    }
}

impl SimulateOptions {
    /// The defaults, overridden by the survey's `[simulate]` table.
    pub fn for_survey(survey: &Survey, n: usize, seed: u64) -> Self {
        let mut o = SimulateOptions {
            n,
            seed,
            ..Default::default()
        };
        let Some(spec) = &survey.simulate else {
            return o;
        };
        let s = &mut o.settings;
        for (name, v) in spec.settings() {
            if let Some(v) = v {
                // Checked by validation already; an out-of-range value keeps the default.
                let _ = s.set(name, v);
            }
        }
        o.drivers = spec.drivers.clone();
        o.dimensions = spec.dimensions.clone();
        o.drift = spec.drift.clone();
        o.segments = spec.segments.clone();
        o.levels = spec.levels.clone();
        o
    }

    /// Check the bounds of the options.
    ///
    /// # Errors
    /// [`Error::Usage`] for more than [`MAX_SIMULATED_RESPONDENTS`] respondents or a setting out
    /// of its range.
    pub fn check(&self) -> Result<()> {
        if self.n > MAX_SIMULATED_RESPONDENTS {
            return Err(Error::usage(
                format!(
                    "-n {} is more respondents than one simulation generates (at most {MAX_SIMULATED_RESPONDENTS})",
                    self.n
                ),
                "simulate a sample of realistic size, e.g. -n 500; for more, run several seeds",
            ));
        }
        for (name, x) in self.settings.all() {
            check_setting(name, x).map_err(|(m, h)| Error::usage(m, h))?;
        }
        let careless =
            self.settings.straightliners + self.settings.speeders + self.settings.duplicates;
        if careless > 0.5 {
            return Err(Error::usage(
                format!(
                    "straight-liners, speeders and duplicates add up to {careless}, more than half of the sample"
                ),
                "realistic shares are a few percent each, e.g. 0.03, 0.04 and 0.005",
            ));
        }
        for (what, list) in [("offset", &self.dimensions), ("drift", &self.drift)] {
            for (_, x) in list {
                check_points(what, *x).map_err(|(m, h)| Error::usage(m, h))?;
            }
        }
        for (_, _, x) in &self.segments {
            check_points("segment effect", *x).map_err(|(m, h)| Error::usage(m, h))?;
        }
        Ok(())
    }

    /// Check that the named dimensions and segments exist in the survey.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the unknown dimension, attribute or value.
    pub fn check_names(&self, survey: &Survey) -> Result<()> {
        let t = &survey.tree;
        let dims: Vec<&str> = t
            .dimensions()
            .iter()
            .map(|&d| t.nodes[d].id.as_str())
            .collect();
        for (flag, list) in [
            ("--drivers", &self.drivers),
            ("--dimension", &self.dimensions),
            ("--drift", &self.drift),
        ] {
            for (id, _) in list {
                if !dims.contains(&id.as_str()) {
                    return Err(Error::usage(
                        format!("{flag}: '{id}' is not a dimension of the survey"),
                        format!("name a child of [tree]: {}", dims.join(", ")),
                    ));
                }
            }
        }
        let zh = survey.is_zh();
        for (attr, value, _) in &self.segments {
            if !survey.respondents.attributes.contains(attr) {
                return Err(Error::usage(
                    format!("--segment: '{attr}' is not a respondent attribute"),
                    format!(
                        "use one of [respondents] attributes: {}",
                        survey.respondents.attributes.join(", ")
                    ),
                ));
            }
            let levels = self.levels_of(attr, zh);
            if !levels.contains(value) {
                return Err(Error::usage(
                    format!("--segment: '{value}' is not a value of '{attr}' in the simulation"),
                    format!("use one of: {}", levels.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// The values of an attribute.
    pub(super) fn levels_of(&self, name: &str, zh: bool) -> Vec<String> {
        levels_in(&self.levels, name, zh)
    }
}

/// Parse `NAME=NUMBER` assignments given to `flag` (e.g. `--drivers service=0.4`).
///
/// # Errors
/// [`Error::Usage`] for an entry without `=` or with a value that is not a number.
pub fn parse_assignments(flag: &str, entries: &[String]) -> Result<Vec<(String, f64)>> {
    let mut out = Vec::new();
    for e in entries {
        let Some((name, x)) = e.split_once('=') else {
            return Err(Error::usage(
                format!("{flag} '{e}' is not NAME=NUMBER"),
                format!("e.g. {flag} service=3"),
            ));
        };
        let x: f64 = x.trim().parse().map_err(|_| {
            Error::usage(
                format!("{flag} '{e}': '{x}' is not a number"),
                format!("e.g. {flag} {name}=3"),
            )
        })?;
        upsert(&mut out, name.trim().to_string(), x);
    }
    Ok(out)
}

/// Parse `ATTRIBUTE=VALUE:POINTS` segment effects (e.g. `--segment region=South:-3`).
///
/// # Errors
/// [`Error::Usage`] for an entry of another shape.
pub fn parse_segments(entries: &[String]) -> Result<Vec<(String, String, f64)>> {
    let mut out: Vec<(String, String, f64)> = Vec::new();
    for e in entries {
        let parsed = e.split_once('=').and_then(|(a, rest)| {
            let (v, p) = rest.rsplit_once(':')?;
            Some((a.trim(), v.trim(), p.trim().parse::<f64>().ok()?))
        });
        let Some((a, v, p)) = parsed else {
            return Err(Error::usage(
                format!("--segment '{e}' is not ATTRIBUTE=VALUE:POINTS"),
                "e.g. --segment region=South:-3 (South scores 3 index points lower)",
            ));
        };
        upsert_segment(&mut out, a, v, p);
    }
    Ok(out)
}
