//! What is drawn once per survey: the dimensions' latent means and driver weights, the segment
//! shifts, and the model of every body question.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::options::{Settings, SimulateOptions};
use super::scale_model;
use super::text;
use crate::model::print_order::template_columns;
use crate::model::{Measures, Question, QuestionKind, Role, Survey};

/// A respondent attribute: its levels, each level's latent shift (in units of `spread`) and its
/// effect in index points.
pub(super) struct Attribute {
    pub(super) name: String,
    pub(super) levels: Vec<String>,
    pub(super) shifts: Vec<f64>,
    pub(super) points: Vec<f64>,
}

/// What an item's latent follows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Driver {
    /// A dimension's latent (tree items, and items paired with a tree item).
    Dimension(usize),
    /// The overall latent with this loading (overall, recommend, repurchase outside the tree).
    Overall(f64),
    /// A SERVQUAL expectation item of a dimension.
    Expectation(usize),
    /// Stated importance (mostly noise).
    Importance,
    /// The complaint question (yes/no, driven by the overall latent).
    Complaint,
    /// Anything else: profile-style answers.
    Other,
}

/// The simulation model of one body question.
pub(super) struct Item {
    pub(super) driver: Driver,
    pub(super) loading: f64,
    /// Latent mean.
    pub(super) mu: f64,
    pub(super) tau: Vec<f64>,
    pub(super) min: i64,
    /// Negate the latent before cutting (reverse-coded xor descending scale).
    pub(super) flip: bool,
    pub(super) na_code: Option<i64>,
    /// A rating item of the grid (what straight-liners answer the same way).
    pub(super) grid: bool,
}

/// What is drawn once per survey.
pub(super) struct Population<'s> {
    pub(super) survey: &'s Survey,
    pub(super) settings: Settings,
    /// Tree nodes that carry a latent factor (the root when the tree has no dimensions).
    pub(super) dims: Vec<usize>,
    /// Latent mean of each dimension, its offset in points and its driver weight (sum 1).
    pub(super) dim_mu: Vec<f64>,
    pub(super) offsets: Vec<f64>,
    pub(super) drivers: Vec<f64>,
    /// √Var(Σ β_d u_d): scales the overall latent to variance 1.
    pub(super) overall_sd: f64,
    /// Latent mean of the overall latent's items.
    pub(super) overall_mu: f64,
    /// Attribute name, levels, each level's latent shift (in units of `spread`) and points.
    pub(super) attrs: Vec<Attribute>,
    pub(super) items: Vec<Item>,
    pub(super) columns: Vec<String>,
    pub(super) minutes: f64,
    pub(super) text: text::TextModel,
}

/// The cut points of the most used rating scale of the tree (5 points without one).
fn main_thresholds(survey: &Survey) -> Vec<f64> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for q in survey.questions.iter().filter(|q| q.node.is_some()) {
        if let Some(s) = survey.question_scale(q) {
            let k = s.points();
            match counts.iter_mut().find(|(p, _)| *p == k) {
                Some((_, c)) => *c += 1,
                None => counts.push((k, 1)),
            }
        }
    }
    let k = counts.iter().max_by_key(|(_, c)| *c).map_or(5, |(k, _)| *k);
    scale_model::thresholds(k)
}

impl<'s> Population<'s> {
    /// Draw the survey-level parameters; the order of draws is part of the output's identity.
    pub(super) fn draw(survey: &'s Survey, opts: &SimulateOptions, rng: &mut ChaCha8Rng) -> Self {
        let zh = survey.is_zh();
        let t = &survey.tree;
        let st = opts.settings.clone();
        let dims: Vec<usize> = if t.dimensions().is_empty() {
            vec![0]
        } else {
            t.dimensions().to_vec()
        };
        let named = |list: &[(String, f64)], d: usize| {
            list.iter()
                .find(|(id, _)| *id == t.nodes[d].id)
                .map(|(_, x)| *x)
        };
        let tau = main_thresholds(survey);
        let s = st.spread;
        let mu0 = scale_model::latent_for(st.level, s, &tau);
        let mut offsets = Vec::with_capacity(dims.len());
        let mut drivers = Vec::with_capacity(dims.len());
        for &d in &dims {
            let drawn_offset: f64 = rng.random_range(-8.0..4.0);
            let drawn_driver: f64 = rng.random_range(0.2..1.0);
            let drift = named(&opts.drift, d).unwrap_or(0.0) * f64::from(opts.wave);
            offsets.push(named(&opts.dimensions, d).unwrap_or(drawn_offset) + drift);
            drivers.push(named(&opts.drivers, d).unwrap_or(drawn_driver));
        }
        let sum: f64 = drivers.iter().sum();
        drivers.iter_mut().for_each(|w| *w /= sum);
        let dim_mu: Vec<f64> = offsets
            .iter()
            .map(|o| scale_model::latent_for((st.level + o).clamp(2.0, 98.0), s, &tau))
            .collect();
        let rho = st.factor_corr;
        let var: f64 = (0..dims.len())
            .flat_map(|a| (0..dims.len()).map(move |b| (a, b)))
            .map(|(a, b)| drivers[a] * drivers[b] * if a == b { 1.0 } else { rho })
            .sum();
        let overall_mu = dim_mu.iter().zip(&drivers).map(|(m, w)| m * w).sum();
        let attrs = survey
            .respondents
            .attributes
            .iter()
            .map(|a| {
                let levels = opts.levels_of(a, zh);
                let points: Vec<f64> = levels
                    .iter()
                    .map(|v| {
                        opts.segments
                            .iter()
                            .find(|(x, y, _)| x == a && y == v)
                            .map_or(0.0, |(_, _, p)| *p)
                    })
                    .collect();
                let shifts = points
                    .iter()
                    .map(|p| {
                        (scale_model::latent_for((st.level + p).clamp(2.0, 98.0), s, &tau) - mu0)
                            / s
                    })
                    .collect();
                Attribute {
                    name: a.clone(),
                    levels,
                    shifts,
                    points,
                }
            })
            .collect();
        let minutes = survey
            .preface
            .as_ref()
            .and_then(|p| p.minutes)
            .unwrap_or(8.0);
        let mut pop = Population {
            survey,
            settings: st,
            dims,
            dim_mu,
            offsets,
            drivers,
            overall_sd: var.sqrt().max(1e-9),
            overall_mu,
            attrs,
            items: Vec::new(),
            columns: template_columns(survey),
            minutes,
            text: text::TextModel::default(),
        };
        pop.items = survey
            .questions
            .iter()
            .map(|q| pop.item(q, rng, mu0))
            .collect();
        pop.text = text::TextModel::build(survey, &pop.dims);
        pop
    }

    /// The model of one body question; draws its loading.
    fn item(&self, q: &Question, rng: &mut ChaCha8Rng, mu0: f64) -> Item {
        let lambda_mean = (1.0 - self.settings.noise).sqrt();
        let jitter: f64 = rng.random_range(-0.08..0.08);
        let mut loading = (lambda_mean + jitter).clamp(0.05, 0.97);
        if q.reverse {
            // Negatively worded items measure their construct less well (a method effect).
            loading *= 0.85;
        }
        let scale = self.survey.question_scale(q);
        let tau = scale.map_or_else(Vec::new, |sc| scale_model::thresholds(sc.points()));
        let s = self.settings.spread;
        let driver = self.driver_of(q);
        let mu = match driver {
            Driver::Dimension(d) => self.dim_mu[d],
            Driver::Overall(_) => {
                // Recommending and repurchasing run a little above the satisfaction items.
                let lift = if q.role == Some(Role::Overall) {
                    0.0
                } else {
                    0.5
                };
                self.overall_mu + lift * s
            }
            Driver::Expectation(d) => {
                let p = (self.settings.level + self.offsets[d] + 14.0).clamp(2.0, 94.0);
                scale_model::latent_for(p, s, &tau)
            }
            Driver::Importance => {
                let d = self.pair_dim(q).unwrap_or(0);
                let top = self.drivers.iter().copied().fold(0.0, f64::max).max(1e-9);
                let p = 78.0 + 12.0 * self.drivers[d] / top;
                scale_model::latent_for(p, 0.8 * s, &tau)
            }
            Driver::Complaint | Driver::Other => mu0,
        };
        Item {
            driver,
            loading,
            mu,
            min: scale.map_or(0, |sc| sc.min),
            flip: q.reverse ^ scale.is_some_and(|sc| !sc.ascending),
            na_code: (q.na).then(|| scale.and_then(|sc| sc.na_code).unwrap_or(99)),
            grid: q.kind == QuestionKind::Rating,
            tau,
        }
    }

    fn driver_of(&self, q: &Question) -> Driver {
        match (q.kind, q.measures, q.role) {
            (QuestionKind::Single, _, Some(Role::Complaint)) => Driver::Complaint,
            (k, _, _) if !k.is_scaled() => Driver::Other,
            (_, Some(Measures::Expectation), _) => {
                Driver::Expectation(self.pair_dim(q).unwrap_or(0))
            }
            (_, Some(Measures::Importance), _) => Driver::Importance,
            (_, _, Some(Role::Overall | Role::Recommend | Role::Repurchase))
                if q.node.is_none() =>
            {
                Driver::Overall(if q.role == Some(Role::Overall) {
                    0.95
                } else {
                    0.8
                })
            }
            _ => match self.dim_of_question(q).or_else(|| self.pair_dim(q)) {
                Some(d) => Driver::Dimension(d),
                None => Driver::Overall(0.7),
            },
        }
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

    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Mean and variance of a respondent's total segment shift (membership is uniform).
    pub(super) fn shift_moments(&self) -> (f64, f64) {
        let (mut m, mut v) = (0.0, 0.0);
        for Attribute { shifts, .. } in &self.attrs {
            let k = shifts.len().max(1) as f64;
            let mean = shifts.iter().sum::<f64>() / k;
            m += mean;
            v += shifts.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / k;
        }
        (m, v)
    }
}
