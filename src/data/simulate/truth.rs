//! The truth sidecar: every parameter of the response model, the population values an analysis
//! of attentive respondents should recover (each item's and node's expected 0–100 score, the
//! alpha of every reliability group), and which respondents were made careless.
//!
//! The population values are exact for the model except for one approximation: the respondent's
//! total segment shift, a discrete mixture, is treated as normal with the same mean and variance.

use serde::Serialize;

use super::options::{Settings, SimulateOptions};
use super::population::{Driver, Population};
use super::scale_model::{self, CutItem};
use crate::model::QuestionKind;

#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub survey_id: String,
    pub n: usize,
    pub seed: u64,
    pub wave: u32,
    pub settings: Settings,
    pub dimensions: Vec<TruthDimension>,
    /// Every tree node's expected score (attentive respondents), in preorder.
    pub nodes: Vec<TruthNode>,
    pub items: Vec<TruthItem>,
    /// Cronbach's alpha in the population, for each dimension and each leaf indicator with at
    /// least two rating items.
    pub reliability: Vec<TruthReliability>,
    pub segments: Vec<TruthSegment>,
    pub careless: Careless,
    /// The topic of each leaf indicator that open answers are drawn from (null: general).
    pub open_answer_topics: Vec<TruthTopic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthTopic {
    pub node: String,
    pub topic: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthDimension {
    pub id: String,
    /// Offset against `level`, in index points (drift included).
    pub offset: f64,
    /// Latent mean of the dimension's items.
    pub latent_mean: f64,
    /// Weight of the dimension in the overall item's latent (sums to 1).
    pub driver_weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthNode {
    pub id: String,
    pub expected_score: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthItem {
    pub id: String,
    pub dimension: Option<String>,
    pub loading: f64,
    pub reverse: bool,
    pub latent_mean: f64,
    /// Expected 0–100 score (reverse-coded items as analysed, i.e. reversed).
    pub expected_score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthReliability {
    pub node: String,
    pub items: Vec<String>,
    pub alpha: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthSegment {
    pub attribute: String,
    pub value: String,
    /// Effect in index points.
    pub points: f64,
    /// Shift of every latent, in units of `spread`.
    pub shift: f64,
}

/// The respondent ids made careless, by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Careless {
    pub straightliners: Vec<String>,
    pub speeders: Vec<String>,
    pub duplicates: Vec<String>,
}

impl Truth {
    pub(super) fn of(pop: &Population<'_>, opts: &SimulateOptions, careless: Careless) -> Truth {
        let s = pop.survey;
        let t = &s.tree;
        let (shift_mean, shift_var) = pop.shift_moments();
        let spread = pop.settings.spread;
        let sigma = spread * (1.0 + shift_var).sqrt();
        let mut items = Vec::new();
        for (q, it) in s.questions.iter().zip(&pop.items) {
            if !q.kind.is_scaled() {
                continue;
            }
            let dimension = match it.driver {
                Driver::Dimension(d) | Driver::Expectation(d) => {
                    Some(t.nodes[pop.dims[d]].id.clone())
                }
                _ => None,
            };
            let mu = it.mu + spread * shift_mean;
            items.push(TruthItem {
                id: q.id.clone(),
                dimension,
                loading: it.loading,
                reverse: q.reverse,
                latent_mean: it.mu,
                expected_score: scale_model::expected_score(mu, sigma, &it.tau),
            });
        }
        let nodes = node_scores(pop, &items);
        let reliability = reliability(pop, shift_mean, shift_var);
        Truth {
            survey_id: s.meta.id.clone(),
            n: opts.n,
            seed: opts.seed,
            wave: opts.wave,
            settings: pop.settings.clone(),
            dimensions: (0..pop.dims.len())
                .map(|d| TruthDimension {
                    id: t.nodes[pop.dims[d]].id.clone(),
                    offset: pop.offsets[d],
                    latent_mean: pop.dim_mu[d],
                    driver_weight: pop.drivers[d],
                })
                .collect(),
            nodes,
            items,
            reliability,
            segments: pop
                .attrs
                .iter()
                .flat_map(|a| {
                    a.levels
                        .iter()
                        .zip(&a.shifts)
                        .zip(&a.points)
                        .map(move |((v, sh), p)| TruthSegment {
                            attribute: a.name.clone(),
                            value: v.clone(),
                            points: *p,
                            shift: *sh,
                        })
                })
                .collect(),
            careless,
            open_answer_topics: pop
                .text
                .topics()
                .into_iter()
                .map(|(node, topic)| TruthTopic { node, topic })
                .collect(),
        }
    }
}

/// Expected node scores: a leaf is the mean of its rating items, a parent the weighted mean of
/// its children with the declared weights (equal weights where they are derived from data).
fn node_scores(pop: &Population<'_>, items: &[TruthItem]) -> Vec<TruthNode> {
    let t = &pop.survey.tree;
    let mut score: Vec<Option<f64>> = vec![None; t.nodes.len()];
    let mut order = t.preorder();
    order.reverse();
    for &i in &order {
        let node = &t.nodes[i];
        score[i] = if node.is_leaf() {
            let v: Vec<f64> = node
                .questions
                .iter()
                .filter(|id| {
                    pop.survey
                        .question(id)
                        .is_some_and(|q| q.kind == QuestionKind::Rating)
                })
                .filter_map(|id| items.iter().find(|x| &x.id == id))
                .map(|x| x.expected_score)
                .collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        } else {
            let kids: Vec<(f64, f64)> = node
                .children
                .iter()
                .filter_map(|&c| score[c].map(|s| (t.nodes[c].local_weight, s)))
                .map(|(w, s)| (w.unwrap_or(f64::NAN), s))
                .collect();
            let declared = kids.iter().all(|(w, _)| w.is_finite());
            let w: Vec<f64> = if declared {
                kids.iter().map(|(w, _)| *w).collect()
            } else {
                vec![1.0; kids.len()]
            };
            let sw: f64 = w.iter().sum();
            (sw > 0.0).then(|| kids.iter().zip(&w).map(|((_, s), w)| s * w).sum::<f64>() / sw)
        };
    }
    t.preorder()
        .into_iter()
        .map(|i| TruthNode {
            id: t.nodes[i].id.clone(),
            expected_score: score[i],
        })
        .collect()
}

/// Population alpha of each dimension and each leaf with two or more rating items.
fn reliability(pop: &Population<'_>, shift_mean: f64, shift_var: f64) -> Vec<TruthReliability> {
    let s = pop.survey;
    let t = &s.tree;
    let spread = pop.settings.spread;
    let sigma = spread * (1.0 + shift_var).sqrt();
    let mut groups: Vec<usize> = Vec::new();
    for &d in t.dimensions() {
        groups.push(d);
        groups.extend(
            t.preorder()
                .into_iter()
                .filter(|&n| n != d && t.nodes[n].is_leaf() && t.dimension_of(n) == Some(d)),
        );
    }
    let mut out = Vec::new();
    for g in groups {
        let qs: Vec<usize> = t
            .questions_under(g)
            .into_iter()
            .filter_map(|id| s.questions.iter().position(|q| q.id == id))
            .filter(|&i| s.questions[i].kind == QuestionKind::Rating)
            .filter(|&i| matches!(pop.items[i].driver, Driver::Dimension(_)))
            .collect();
        if qs.len() < 2 {
            continue;
        }
        let cut: Vec<CutItem<'_>> = qs
            .iter()
            .map(|&i| CutItem {
                mu: pop.items[i].mu + spread * shift_mean,
                sigma,
                tau: &pop.items[i].tau,
            })
            .collect();
        let variances: Vec<f64> = cut.iter().map(CutItem::variance).collect();
        let mut cov = 0.0;
        for a in 0..qs.len() {
            for b in a + 1..qs.len() {
                let (la, lb) = (pop.items[qs[a]].loading, pop.items[qs[b]].loading);
                let r = (la * lb + shift_var) / (1.0 + shift_var);
                cov += cut[a].covariance(&cut[b], r);
            }
        }
        out.push(TruthReliability {
            node: t.nodes[g].id.clone(),
            items: qs.iter().map(|&i| s.questions[i].id.clone()).collect(),
            alpha: scale_model::alpha(&variances, cov),
        });
    }
    out
}
