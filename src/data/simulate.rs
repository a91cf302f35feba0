//! Deterministic synthetic responses with a response model like real fieldwork, recorded in full
//! in the truth sidecar.
//!
//! Attentive respondents:
//! - one latent satisfaction per dimension, u_d = √ρ·g + √(1−ρ)·e_d (standard normal, equal
//!   correlation ρ = `factor_corr`), plus the respondent's segment effects;
//! - a rating item's latent is y = μ_d + s·(shift + λ·u_d + √(1−λ²)·ε), with s = `spread`, λ the
//!   item's loading (1 − λ² ≈ `noise`) and μ_d set so that the dimension's expected item score is
//!   `level` + its offset (+ `wave` × its drift) on the 0–100 index; y is cut into the scale at
//!   the normal quantiles j/k, so a `level` above 50 skews the answers toward satisfied;
//! - the overall item follows o = Σ β_d·u_d (scaled to R² = `overall_r2` with the driver weights
//!   β), and recommend, repurchase and complaint follow o;
//! - SERVQUAL expectation items sit above perception (a negative gap), stated importance is high
//!   and highest for the strongest drivers;
//! - open answers ([`text`]) are written by a share `open_answers` of respondents, more often by
//!   the dissatisfied, about their weakest indicator (a complaint) or their strongest (praise).
//!
//! Careless respondents, in stated shares: straight-liners give one answer down the whole grid
//! (some with one or two deviations) and answer fast; speeders take a fifth of the usual time
//! and answer mostly at random; duplicates repeat the previous submission with its id. Each closed
//! answer is missing with a respondent-specific propensity whose mean is `missing`, and an item
//! with a not-applicable option gets it with probability `not_applicable`.
//!
//! The same survey, options and seed give byte-identical output (ChaCha8 stream).

mod options;
mod phrases;
mod population;
mod scale_model;
mod text;
mod truth;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::model::{Question, QuestionKind, Survey};
use population::{Driver, Item, Population};

pub use options::{
    MAX_SIMULATED_RESPONDENTS, Settings, SimulateOptions, parse_assignments, parse_segments, upsert,
};
pub use truth::Truth;

/// How a respondent answers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Care {
    Attentive,
    /// Gives one answer down the grid: the scale position (0–1) and up to two deviations.
    Straight(f64),
    Speeder,
}

/// One respondent's latent state.
struct Respondent<'p> {
    attr_vals: Vec<&'p str>,
    shift: f64,
    u: Vec<f64>,
    /// The overall latent, standard normal.
    overall: f64,
    care: Care,
    /// Propensity to leave a closed answer blank.
    skip: f64,
    /// Each body question's latent (satisfaction direction), for the open answer.
    ys: Vec<f64>,
}

/// Generate responses as CSV bytes plus the truth.
pub fn simulate(survey: &Survey, opts: &SimulateOptions) -> (Vec<u8>, Truth) {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let pop = Population::draw(survey, opts, &mut rng);
    let open_intercept = text::open_intercept(pop.settings.open_answers);
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
    let mut careless = truth::Careless::default();
    let mut row: Vec<String> = vec![String::new(); pop.columns.len()];
    let mut previous: Vec<u8> = Vec::new();
    for r in 0..opts.n {
        let id = format!("r{:06}", r + 1);
        if r > 0 && rng.random_bool(pop.settings.duplicates) {
            // A second submission of the previous respondent, id included.
            out.extend_from_slice(&previous);
            careless.duplicates.push(id);
            continue;
        }
        let mut resp = draw_respondent(&pop, &mut rng);
        match resp.care {
            Care::Straight(_) => careless.straightliners.push(id.clone()),
            Care::Speeder => careless.speeders.push(id.clone()),
            Care::Attentive => {}
        }
        for v in row.iter_mut() {
            v.clear();
        }
        respondent_columns(&pop, &id, &resp, &mut rng, &mut row);
        for q in &survey.profile {
            if let Some(i) = pop.column(&q.id) {
                row[i] = profile_answer(q, &mut rng, pop.text.short_answers());
            }
        }
        body_answers(&pop, &mut resp, &mut rng, &mut row);
        for q in &survey.questions {
            if q.kind != QuestionKind::Text {
                continue;
            }
            let Some(i) = pop.column(&q.id) else { continue };
            let care = if resp.care == Care::Attentive {
                1.0
            } else {
                0.3
            };
            let p = care / (1.0 + (-(open_intercept - 0.9 * resp.overall)).exp());
            if rng.random_bool(p.clamp(0.0, 1.0)) {
                let mus: Vec<f64> = pop.items.iter().map(|it| it.mu).collect();
                row[i] = pop.text.answer(
                    &mut rng,
                    &resp.ys,
                    &mus,
                    pop.settings.spread,
                    resp.overall,
                    resp.care == Care::Attentive,
                );
            }
        }
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let _ = w.write_record(&row);
        if let Ok(bytes) = w.into_inner() {
            out.extend_from_slice(&bytes);
            previous = bytes;
        }
    }
    let truth = truth::Truth::of(&pop, opts, careless);
    (out, truth)
}

/// Draw a respondent's segments, latents, care and skip propensity.
fn draw_respondent<'p>(pop: &'p Population<'_>, rng: &mut ChaCha8Rng) -> Respondent<'p> {
    let st = &pop.settings;
    let rho = st.factor_corr;
    let mut shift = 0.0;
    let mut attr_vals: Vec<&str> = Vec::with_capacity(pop.attrs.len());
    for a in &pop.attrs {
        let j = rng.random_range(0..a.levels.len());
        shift += a.shifts[j];
        attr_vals.push(&a.levels[j]);
    }
    let g: f64 = rng.sample(StandardNormal);
    let u: Vec<f64> = (0..pop.dims.len())
        .map(|_| {
            let e: f64 = rng.sample(StandardNormal);
            rho.sqrt() * g + (1.0 - rho).sqrt() * e
        })
        .collect();
    let explained: f64 = u.iter().zip(&pop.drivers).map(|(a, b)| a * b).sum();
    let e: f64 = rng.sample(StandardNormal);
    let overall =
        explained / pop.overall_sd * st.overall_r2.sqrt() + (1.0 - st.overall_r2).sqrt() * e;
    let c: f64 = rng.random();
    let care = if c < st.straightliners {
        // Mostly the second-best point, then the middle, then the best.
        let p: f64 = rng.random();
        Care::Straight(if p < 0.5 {
            0.75
        } else if p < 0.8 {
            0.5
        } else {
            1.0
        })
    } else if c < st.straightliners + st.speeders {
        Care::Speeder
    } else {
        Care::Attentive
    };
    let x: f64 = rng.random();
    let skip = (st.missing * -(1.0 - x).max(1e-12).ln()).min(0.5);
    Respondent {
        attr_vals,
        shift,
        u,
        overall,
        care,
        skip,
        ys: vec![0.0; pop.items.len()],
    }
}

/// The closed body answers of one respondent.
fn body_answers(
    pop: &Population<'_>,
    resp: &mut Respondent<'_>,
    rng: &mut ChaCha8Rng,
    row: &mut [String],
) {
    let survey = pop.survey;
    let s = pop.settings.spread;
    let grid: Vec<usize> = (0..pop.items.len())
        .filter(|&i| pop.items[i].grid)
        .collect();
    // A straight-liner's one or two deviations.
    let deviate: Vec<usize> = match resp.care {
        Care::Straight(_) if !grid.is_empty() && rng.random_bool(0.3) => (0..rng
            .random_range(1..=2))
            .map(|_| grid[rng.random_range(0..grid.len())])
            .collect(),
        _ => Vec::new(),
    };
    for (qi, q) in survey.questions.iter().enumerate() {
        let it = &pop.items[qi];
        let eps: f64 = rng.sample(StandardNormal);
        let loading = if resp.care == Care::Speeder {
            it.loading * 0.3
        } else {
            it.loading
        };
        let unique = (1.0 - loading * loading).sqrt();
        let y = match it.driver {
            Driver::Dimension(d) => it.mu + s * (resp.shift + loading * resp.u[d] + unique * eps),
            Driver::Overall(l) => {
                let l = if resp.care == Care::Speeder {
                    l * 0.3
                } else {
                    l
                };
                it.mu + s * (resp.shift + l * resp.overall + (1.0 - l * l).sqrt() * eps)
            }
            Driver::Expectation(d) => it.mu + s * (0.5 * resp.shift + 0.5 * resp.u[d] + 0.85 * eps),
            Driver::Importance => it.mu + 0.8 * s * eps,
            Driver::Complaint | Driver::Other => resp.overall + eps,
        };
        resp.ys[qi] = y;
        let Some(i) = pop.column(&q.id) else { continue };
        if q.kind == QuestionKind::Text {
            continue;
        }
        if rng.random_bool(resp.skip) {
            continue;
        }
        row[i] = match it.driver {
            Driver::Complaint => {
                // Choice 1 is "yes" by convention in the example surveys.
                let p = 1.0 / (1.0 + (1.6 + 1.1 * resp.overall).exp());
                if rng.random_bool(p.clamp(0.0, 1.0)) {
                    "1".into()
                } else {
                    "2".into()
                }
            }
            Driver::Other => profile_answer(q, rng, pop.text.short_answers()),
            _ => {
                if let Some(na) = it.na_code
                    && rng.random_bool(pop.settings.not_applicable)
                {
                    na.to_string()
                } else {
                    scaled_code(it, y, resp.care, deviate.contains(&qi), rng).to_string()
                }
            }
        };
    }
}

/// The code of a scaled answer: the latent cut into the scale, or a straight-liner's position.
fn scaled_code(it: &Item, y: f64, care: Care, deviates: bool, rng: &mut ChaCha8Rng) -> i64 {
    let k = it.tau.len() as i64;
    match care {
        Care::Straight(p) if it.grid => {
            let mut c = (p * k as f64).round() as i64;
            if deviates {
                c += if rng.random_bool(0.5) { 1 } else { -1 };
            }
            it.min + c.clamp(0, k)
        }
        _ => {
            let y = if it.flip { -y } else { y };
            it.min + scale_model::cut(y, &it.tau) as i64
        }
    }
}

/// The respondent id, segment attributes, survey weight and duration.
fn respondent_columns(
    pop: &Population<'_>,
    id: &str,
    resp: &Respondent<'_>,
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
        row[i] = id.to_string();
    }
    for (k, a) in pop.attrs.iter().enumerate() {
        if let Some(i) = pop.column(&a.name) {
            row[i] = resp.attr_vals[k].to_string();
        }
    }
    if let Some(i) = respondents.weight.as_deref().and_then(|c| pop.column(c)) {
        let x: f64 = rng.sample(StandardNormal);
        row[i] = format!("{:.4}", (0.3 * x).exp() / (0.045f64).exp());
    }
    if let Some(i) = respondents.duration.as_deref().and_then(|c| pop.column(c)) {
        let x: f64 = rng.sample(StandardNormal);
        let typical = 60.0 * pop.minutes * 0.85;
        let secs = match resp.care {
            Care::Speeder => typical * rng.random_range(0.12..0.3),
            Care::Straight(_) => typical * 0.55 * (0.35 * x).exp(),
            Care::Attentive => typical * (0.35 * x).exp(),
        };
        row[i] = format!("{}", secs.round().max(1.0) as i64);
    }
}

fn profile_answer(q: &Question, rng: &mut ChaCha8Rng, short: &[&str]) -> String {
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
            if rng.random_bool(0.2) && !short.is_empty() {
                short[rng.random_range(0..short.len())].to_string()
            } else {
                String::new()
            }
        }
        _ => String::new(),
    }
}
