//! Deterministic synthetic responses that follow the indicator tree.
//!
//! The model, recorded in full in the truth sidecar:
//! - one latent factor per dimension, z ~ N(μ_d + segment shifts, Σ) with equal correlation ρ
//!   between dimensions (z_d = √ρ·g + √(1−ρ)·e_d);
//! - each rating item y* = λ_i·z_d + √(1−λ_i²)·ε (negated for reverse-coded items), cut into the
//!   scale at the normal quantiles j/k, so a dimension mean of 0 gives a flat distribution and a
//!   positive mean skews toward satisfied;
//! - the overall item is driven by the dimensions with driver weights β (user-settable), with
//!   R² ≈ `overall_r2`; loyalty, recommend (NPS) and complaint follow the overall latent;
//! - SERVQUAL expectation items sit above perception; stated importance is high;
//! - profile answers, segment attributes, a survey weight and a duration column;
//! - each closed cell is missing with probability `missing`.
//!
//! The same survey, n and seed give byte-identical output (ChaCha8 stream).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{Error, Result};
use crate::model::print_order::template_columns;
use crate::model::{Measures, Question, QuestionKind, Role, Survey};

#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub n: usize,
    pub seed: u64,
    /// Share of closed cells left blank.
    pub missing: f64,
    /// Correlation between dimension factors.
    pub factor_corr: f64,
    /// Driver weights of the dimensions on the overall item (by dimension id); default: drawn
    /// from the seed.
    pub drivers: Vec<(String, f64)>,
    /// Share of overall-item variance explained by the dimensions.
    pub overall_r2: f64,
}

/// The most respondents one `simulate` run generates (the CSV is built in memory).
pub const MAX_SIMULATED_RESPONDENTS: usize = 1_000_000;

impl SimulateOptions {
    /// Check the bounds of the options.
    ///
    /// # Errors
    /// [`Error::Usage`] for more than [`MAX_SIMULATED_RESPONDENTS`] respondents.
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
        Ok(())
    }
}

impl Default for SimulateOptions {
    fn default() -> Self {
        SimulateOptions {
            n: 300,
            seed: 1,
            missing: 0.02,
            factor_corr: 0.4,
            drivers: Vec::new(),
            overall_r2: 0.6,
        }
    }
}

/// The true parameters, written to the sidecar JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub survey_id: String,
    pub n: usize,
    pub seed: u64,
    pub missing: f64,
    pub factor_corr: f64,
    pub overall_r2: f64,
    pub dimensions: Vec<TruthDimension>,
    pub items: Vec<TruthItem>,
    pub segments: Vec<TruthSegment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthDimension {
    pub id: String,
    /// Latent mean of the dimension (higher = more satisfied).
    pub mean: f64,
    /// Weight of the dimension in the overall item's latent (sums to 1).
    pub driver_weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthItem {
    pub id: String,
    pub dimension: Option<String>,
    pub loading: f64,
    pub reverse: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthSegment {
    pub attribute: String,
    pub value: String,
    /// Shift added to every dimension latent for respondents in this group.
    pub shift: f64,
}

/// Realistic values for common attribute names.
fn attribute_levels(name: &str, zh: bool) -> Vec<String> {
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
        vec![
            format!("{name}_a"),
            format!("{name}_b"),
            format!("{name}_c"),
        ]
    } else {
        v.iter().map(|s| s.to_string()).collect()
    }
}

fn cut(latent: f64, min: i64, max: i64, normal: &Normal) -> i64 {
    let k = max as f64 - min as f64 + 1.0;
    let u = normal.cdf(latent);
    let code = min + (u * k).floor() as i64;
    code.clamp(min, max)
}

/// What is drawn once per survey: the dimensions with their means and driver weights, the
/// segments, each body item's loading, and the template's columns.
struct Population<'s> {
    survey: &'s Survey,
    /// Tree nodes that carry a latent factor (the root when the tree has no dimensions).
    dims: Vec<usize>,
    means: Vec<f64>,
    drivers: Vec<f64>,
    /// Attribute name, its levels and each level's shift of the latents.
    attrs: Vec<(String, Vec<String>, Vec<f64>)>,
    /// One loading per body question (drawn for every question, used by the scaled ones).
    loadings: Vec<f64>,
    items_truth: Vec<TruthItem>,
    columns: Vec<String>,
    /// Expected completion time.
    minutes: f64,
    text_answers: &'static [&'static str],
}

impl<'s> Population<'s> {
    /// Draw the survey-level parameters; the order of draws is part of the output's identity.
    fn draw(survey: &'s Survey, opts: &SimulateOptions, rng: &mut ChaCha8Rng) -> Self {
        let zh = survey.is_zh();
        let t = &survey.tree;
        let dims: Vec<usize> = if t.dimensions().is_empty() {
            vec![0]
        } else {
            t.dimensions().to_vec()
        };
        let nd = dims.len();
        // Dimension means and driver weights, drawn once from the seed.
        let means: Vec<f64> = (0..nd).map(|_| rng.random_range(-0.1..0.7)).collect();
        let mut drivers: Vec<f64> = (0..nd)
            .map(|i| {
                let id = &t.nodes[dims[i]].id;
                opts.drivers
                    .iter()
                    .find(|(d, _)| d == id)
                    .map(|(_, w)| *w)
                    .unwrap_or_else(|| rng.random_range(0.2..1.0))
            })
            .collect();
        let s: f64 = drivers.iter().sum();
        drivers.iter_mut().for_each(|w| *w /= s);
        let attrs: Vec<(String, Vec<String>, Vec<f64>)> = survey
            .respondents
            .attributes
            .iter()
            .map(|a| {
                let levels = attribute_levels(a, zh);
                let k = levels.len();
                let shifts: Vec<f64> = (0..k)
                    .map(|j| 0.3 * (j as f64 - (k as f64 - 1.0) / 2.0) / (k as f64).max(2.0))
                    .collect();
                (a.clone(), levels, shifts)
            })
            .collect();
        let minutes = survey
            .preface
            .as_ref()
            .and_then(|p| p.minutes)
            .unwrap_or(8.0);
        let text_answers: &[&str] = if zh {
            &[
                "希望客服响应更快",
                "价格可以再优惠一些",
                "整体不错",
                "物流需要改进",
                "界面有些复杂",
            ]
        } else {
            &[
                "Faster support please",
                "Prices are a bit high",
                "Good overall",
                "Delivery could improve",
                "The app is confusing",
            ]
        };
        let mut pop = Population {
            survey,
            dims,
            means,
            drivers,
            attrs,
            loadings: Vec::new(),
            items_truth: Vec::new(),
            columns: template_columns(survey),
            minutes,
            text_answers,
        };
        let mut items_truth = Vec::new();
        pop.loadings = survey
            .questions
            .iter()
            .map(|q| {
                let l = rng.random_range(0.62..0.85);
                if q.kind.is_scaled() {
                    items_truth.push(TruthItem {
                        id: q.id.clone(),
                        dimension: pop
                            .dim_of_question(q)
                            .or_else(|| pop.pair_dim(q))
                            .map(|d| t.nodes[pop.dims[d]].id.clone()),
                        loading: l,
                        reverse: q.reverse,
                    });
                }
                l
            })
            .collect();
        pop.items_truth = items_truth;
        pop
    }

    /// The latent factor (an index into `dims`) that a question in the tree measures.
    fn dim_of_question(&self, q: &Question) -> Option<usize> {
        let node = q.node?;
        let d = self.survey.tree.dimension_of(node).unwrap_or(0);
        self.dims.iter().position(|x| *x == d)
    }

    /// Expectation and importance items: find the dimension of the paired perception item.
    fn pair_dim(&self, q: &Question) -> Option<usize> {
        let a = q.attribute.as_ref()?;
        let t = &self.survey.tree;
        if let Some(i) = self.dims.iter().position(|d| &t.nodes[*d].id == a) {
            return Some(i);
        }
        self.survey
            .questions
            .iter()
            .find(|p| p.attribute.as_ref() == Some(a) && p.measures == Some(Measures::Perception))
            .and_then(|p| self.dim_of_question(p))
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The true parameters, for the sidecar.
    fn truth(self, opts: &SimulateOptions) -> Truth {
        let t = &self.survey.tree;
        Truth {
            survey_id: self.survey.meta.id.clone(),
            n: opts.n,
            seed: opts.seed,
            missing: opts.missing,
            factor_corr: opts.factor_corr,
            overall_r2: opts.overall_r2,
            dimensions: (0..self.dims.len())
                .map(|d| TruthDimension {
                    id: t.nodes[self.dims[d]].id.clone(),
                    mean: self.means[d],
                    driver_weight: self.drivers[d],
                })
                .collect(),
            items: self.items_truth,
            segments: self
                .attrs
                .iter()
                .flat_map(|(a, levels, shifts)| {
                    levels.iter().zip(shifts).map(move |(v, s)| TruthSegment {
                        attribute: a.clone(),
                        value: v.clone(),
                        shift: *s,
                    })
                })
                .collect(),
        }
    }
}

/// One respondent's latent state: the dimension factors and the overall item's latent.
struct Latents {
    z: Vec<f64>,
    overall: f64,
}

/// Generate responses as CSV bytes plus the truth.
pub fn simulate(survey: &Survey, opts: &SimulateOptions) -> (Vec<u8>, Truth) {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let normal = Normal::standard();
    let pop = Population::draw(survey, opts, &mut rng);
    let mut out: Vec<u8> = Vec::with_capacity(
        opts.n
            .saturating_mul(pop.columns.len())
            .saturating_mul(3)
            .saturating_add(1024),
    );
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(&pop.columns);
        let _ = w.flush();
    }
    let mut latents = Latents {
        z: vec![0.0; pop.dims.len()],
        overall: 0.0,
    };
    let mut row: Vec<String> = vec![String::new(); pop.columns.len()];
    for r in 0..opts.n {
        let attr_vals = draw_latents(&pop, opts, &mut rng, &mut latents);
        for v in row.iter_mut() {
            v.clear();
        }
        respondent_columns(&pop, r, &attr_vals, &mut rng, &mut row);
        for q in &survey.profile {
            if let Some(i) = pop.column(&q.id) {
                row[i] = profile_answer(q, &mut rng, pop.text_answers);
            }
        }
        for (qi, q) in survey.questions.iter().enumerate() {
            let Some(i) = pop.column(&q.id) else { continue };
            if q.kind != QuestionKind::Text && rng.random_bool(opts.missing.clamp(0.0, 1.0)) {
                continue;
            }
            row[i] = match q.kind {
                QuestionKind::Rating | QuestionKind::Nps => {
                    match scaled_answer(&pop, qi, q, &latents, &mut rng, &normal) {
                        Some(v) => v,
                        None => continue,
                    }
                }
                QuestionKind::Single if q.role == Some(Role::Complaint) => {
                    // Choice 1 is "yes" by convention in the example surveys.
                    let p = 1.0 / (1.0 + (1.5 + 1.2 * latents.overall).exp());
                    if rng.random_bool(p.clamp(0.0, 1.0)) {
                        "1".into()
                    } else {
                        "2".into()
                    }
                }
                _ => profile_answer(q, &mut rng, pop.text_answers),
            };
        }
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let _ = w.write_record(&row);
        if let Ok(bytes) = w.into_inner() {
            out.extend_from_slice(&bytes);
        }
    }
    (out, pop.truth(opts))
}

/// Draw a respondent's segments (returned as the attribute values), dimension factors and overall
/// latent.
fn draw_latents<'p>(
    pop: &'p Population<'_>,
    opts: &SimulateOptions,
    rng: &mut ChaCha8Rng,
    latents: &mut Latents,
) -> Vec<&'p str> {
    let rho = opts.factor_corr.clamp(0.0, 0.99);
    // Segment membership and shift.
    let mut shift = 0.0;
    let mut attr_vals: Vec<&str> = Vec::with_capacity(pop.attrs.len());
    for (_, levels, shifts) in &pop.attrs {
        let j = rng.random_range(0..levels.len());
        shift += shifts[j];
        attr_vals.push(&levels[j]);
    }
    let g: f64 = rng.sample(StandardNormal);
    for (d, zd) in latents.z.iter_mut().enumerate() {
        let e: f64 = rng.sample(StandardNormal);
        *zd = pop.means[d] + shift + rho.sqrt() * g + (1.0 - rho).sqrt() * e;
    }
    let explained: f64 = latents.z.iter().zip(&pop.drivers).map(|(a, b)| a * b).sum();
    let ew: f64 = rng.sample(StandardNormal);
    latents.overall =
        explained * opts.overall_r2.sqrt() / 0.8 + (1.0 - opts.overall_r2).sqrt() * ew * 0.7;
    attr_vals
}

/// The respondent id, segment attributes, survey weight and duration of respondent `r`.
fn respondent_columns(
    pop: &Population<'_>,
    r: usize,
    attr_vals: &[&str],
    rng: &mut ChaCha8Rng,
    row: &mut [String],
) {
    let respondents = &pop.survey.respondents;
    if let Some(i) = respondents
        .id
        .as_deref()
        .and_then(|c| pop.column(c))
        .or_else(|| pop.column("respondent_id"))
    {
        row[i] = format!("r{:06}", r + 1);
    }
    for (k, (a, _, _)) in pop.attrs.iter().enumerate() {
        if let Some(i) = pop.column(a) {
            row[i] = attr_vals[k].to_string();
        }
    }
    if let Some(i) = respondents.weight.as_deref().and_then(|c| pop.column(c)) {
        let x: f64 = rng.sample(StandardNormal);
        row[i] = format!("{:.4}", (0.3 * x).exp() / (0.045f64).exp());
    }
    if let Some(i) = respondents.duration.as_deref().and_then(|c| pop.column(c)) {
        let x: f64 = rng.sample(StandardNormal);
        let secs = if rng.random_bool(0.02) {
            40.0 + 30.0 * rng.random::<f64>()
        } else {
            60.0 * pop.minutes * (0.35 * x).exp()
        };
        row[i] = format!("{}", secs.round() as i64);
    }
}

/// A rating or NPS answer: the item's latent (by what it measures, its role or its dimension)
/// cut into the scale; now and then "not applicable". `None` when the scale is unknown.
fn scaled_answer(
    pop: &Population<'_>,
    qi: usize,
    q: &Question,
    latents: &Latents,
    rng: &mut ChaCha8Rng,
    normal: &Normal,
) -> Option<String> {
    let scale = pop.survey.question_scale(q)?;
    if q.na && rng.random_bool(0.01) {
        return Some(scale.na_code.unwrap_or(99).to_string());
    }
    let (z, overall) = (&latents.z, latents.overall);
    let l = pop.loadings[qi];
    let eps: f64 = rng.sample(StandardNormal);
    let base = match (q.measures, q.role) {
        (Some(Measures::Expectation), _) => {
            let d = pop.pair_dim(q).unwrap_or(0);
            0.9 + 0.5 * (z[d] - pop.means[d]) + 0.5 * eps
        }
        (Some(Measures::Importance), _) => 1.0 + 0.6 * eps,
        (_, Some(Role::Overall)) | (_, Some(Role::Recommend)) | (_, Some(Role::Repurchase))
            if q.node.is_none() =>
        {
            let weight = if q.role == Some(Role::Overall) {
                0.95
            } else {
                l
            };
            weight * overall + (1.0 - weight * weight).sqrt() * eps * 0.8
        }
        _ => match pop.dim_of_question(q).or_else(|| pop.pair_dim(q)) {
            Some(d) => l * z[d] + (1.0 - l * l).sqrt() * eps,
            None => l * overall + (1.0 - l * l).sqrt() * eps,
        },
    };
    let latent = if q.reverse { -base } else { base };
    let latent = if scale.ascending { latent } else { -latent };
    Some(cut(latent, scale.min, scale.max, normal).to_string())
}

fn profile_answer(q: &Question, rng: &mut ChaCha8Rng, text_answers: &[&str]) -> String {
    match q.kind {
        QuestionKind::Single => {
            // Skewed toward the first options, as real profiles are.
            let k = q.choices.len().max(1);
            let u: f64 = rng.random();
            let c = ((u * u) * k as f64).floor() as usize;
            (c.min(k - 1) + 1).to_string()
        }
        QuestionKind::Multiple => {
            let k = q.choices.len().max(1);
            let max = q.max_choices.map_or(k, |m| m as usize).min(k);
            let mut picked: Vec<usize> = (1..=k).filter(|_| rng.random_bool(0.3)).collect();
            if picked.is_empty() {
                picked.push(rng.random_range(1..=k));
            }
            picked.truncate(max.max(1));
            picked
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(";")
        }
        QuestionKind::Numeric => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(lo + 100.0);
            let x = lo + (hi - lo) * rng.random::<f64>().powi(2);
            if q.integer {
                format!("{}", x.round() as i64)
            } else {
                format!("{:.1}", x)
            }
        }
        QuestionKind::Text => {
            if rng.random_bool(0.2) {
                text_answers[rng.random_range(0..text_answers.len())].to_string()
            } else {
                String::new()
            }
        }
        _ => String::new(),
    }
}
