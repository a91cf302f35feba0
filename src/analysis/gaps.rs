//! Expectation–perception gaps (SERVQUAL): per attribute and per dimension, with paired t tests
//! and the shares of respondents whose expectation was exceeded, met or not met.

use super::context::Context;
use super::results::*;
use crate::model::Measures;
use crate::stats::inference;

struct PairCounts {
    n: usize,
    me: f64,
    mp: f64,
    gap: f64,
    exceeded: f64,
    met: f64,
    below: f64,
}

fn pair_counts(e: &[f64], p: &[f64]) -> PairCounts {
    let pairs: Vec<(f64, f64)> = e
        .iter()
        .zip(p)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .collect();
    let n = pairs.len();
    let nf = n.max(1) as f64;
    let me = pairs.iter().map(|x| x.0).sum::<f64>() / nf;
    let mp = pairs.iter().map(|x| x.1).sum::<f64>() / nf;
    PairCounts {
        n,
        me,
        mp,
        gap: mp - me,
        exceeded: pairs.iter().filter(|x| x.1 > x.0).count() as f64 / nf,
        met: pairs.iter().filter(|x| x.1 == x.0).count() as f64 / nf,
        below: pairs.iter().filter(|x| x.1 < x.0).count() as f64 / nf,
    }
}

impl GapStats {
    fn new(c: &PairCounts, tt: Option<&inference::TTest>) -> GapStats {
        GapStats {
            n: c.n,
            mean_expectation: c.me,
            mean_perception: c.mp,
            gap: c.gap,
            t: tt.map(|t| t.t),
            df: tt.map(|t| t.df),
            p: tt.map(|t| t.p),
            share_not_met: c.below,
            exceeded: c.exceeded,
            met: c.met,
            below: c.below,
        }
    }
}

/// Expectation and perception answers of one attribute.
type PairColumns = (Vec<f64>, Vec<f64>);

pub fn gaps(cx: &Context) -> Option<GapsResult> {
    let s = cx.survey;
    let mut attrs = Vec::new();
    let mut by_dim: Vec<(usize, Vec<PairColumns>)> = Vec::new();
    for e in s
        .questions
        .iter()
        .filter(|q| q.measures == Some(Measures::Expectation))
    {
        let Some(attr) = &e.attribute else { continue };
        let Some(p) = s.questions.iter().find(|q| {
            q.measures == Some(Measures::Perception) && q.attribute.as_ref() == Some(attr)
        }) else {
            continue;
        };
        let (Some(ev), Some(pv)) = (cx.value(&e.id), cx.value(&p.id)) else {
            continue;
        };
        let (ev, pv) = (ev.into_owned(), pv.into_owned());
        let c = pair_counts(&ev, &pv);
        let tt = inference::paired_t(&pv, &ev);
        let dim = p.node.and_then(|n| s.tree.dimension_of(n));
        attrs.push(GapAttribute {
            attribute: attr.clone(),
            dimension: dim.map(|d| s.tree.nodes[d].id.clone()),
            expectation: e.id.clone(),
            perception: p.id.clone(),
            stats: GapStats::new(&c, tt.as_ref()),
        });
        if let Some(d) = dim {
            match by_dim.iter_mut().find(|(k, _)| *k == d) {
                Some((_, v)) => v.push((ev, pv)),
                None => by_dim.push((d, vec![(ev, pv)])),
            }
        }
    }
    if attrs.is_empty() {
        return None;
    }
    let n_rows = cx.table.height();
    let dimensions = by_dim
        .into_iter()
        .map(|(d, pairs)| {
            // A respondent's dimension E and P: means over the attributes answered in pairs.
            let mut e = vec![f64::NAN; n_rows];
            let mut p = vec![f64::NAN; n_rows];
            for r in 0..n_rows {
                let (mut se, mut sp, mut k) = (0.0, 0.0, 0.0);
                for (ev, pv) in &pairs {
                    if !ev[r].is_nan() && !pv[r].is_nan() {
                        se += ev[r];
                        sp += pv[r];
                        k += 1.0;
                    }
                }
                if k > 0.0 {
                    e[r] = se / k;
                    p[r] = sp / k;
                }
            }
            let c = pair_counts(&e, &p);
            let tt = inference::paired_t(&p, &e);
            GapDimension {
                id: s.tree.nodes[d].id.clone(),
                name: s.tree.nodes[d].name.clone(),
                attributes: pairs.len(),
                stats: GapStats::new(&c, tt.as_ref()),
            }
        })
        .collect();
    Some(GapsResult {
        attributes: attrs,
        dimensions,
    })
}
