//! Fuzzy comprehensive evaluation: membership of every node in the grades of the most-used
//! scale, composed up the tree with the node weights.

use super::context::Context;
use super::index::item_scores;
use super::results::*;
use crate::stats::fuzzy::{self, Operator};

/// Fuzzy comprehensive evaluation over the tree, on the grades of the most used rating scale.
pub fn fuzzy_evaluation(cx: &Context, op: Operator) -> Option<FuzzyResult> {
    let s = cx.survey;
    let t = &s.tree;
    let tree_items: Vec<&crate::model::Question> = t
        .preorder()
        .into_iter()
        .flat_map(|n| t.nodes[n].questions.iter())
        .filter_map(|id| s.question(id))
        .collect();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for q in &tree_items {
        if let Some(sc) = &q.scale {
            match counts.iter_mut().find(|(k, _)| *k == sc.as_str()) {
                Some((_, c)) => *c += 1,
                None => counts.push((sc.as_str(), 1)),
            }
        }
    }
    let scale = s.scale(counts.iter().max_by_key(|(_, c)| *c)?.0)?;
    let g = scale.points();
    let grades: Vec<String> = (0..g)
        .map(|i| {
            let code = if scale.ascending {
                scale.min + i as i64
            } else {
                scale.max - i as i64
            };
            scale
                .label(code)
                .map_or_else(|| code.to_string(), str::to_string)
        })
        .collect();
    // Membership of each item: weighted share of respondents per grade (grade from the 0–100 item score).
    let grade_of = |v: f64| {
        ((v / 100.0) * (g as f64 - 1.0))
            .round()
            .clamp(0.0, g as f64 - 1.0) as usize
    };
    let membership = |q: &crate::model::Question| -> Option<Vec<f64>> {
        if let Some(l) = cx.levels_of(&q.id) {
            // From the value counts: every row with a value adds its weight to that value's grade.
            let sc = item_scores(s, q, &l.values);
            let mut m = vec![0.0; g];
            let mut tot = 0.0;
            for (k, v) in sc.iter().enumerate() {
                if v.is_nan() || l.count[k] == 0 {
                    continue;
                }
                let w = match cx.weights {
                    Some(_) => l.wsum[k],
                    None => l.count[k] as f64,
                };
                m[grade_of(*v)] += w;
                tot += w;
            }
            return (tot > 0.0).then(|| m.iter().map(|v| v / tot).collect());
        }
        let x = cx.value(&q.id)?;
        let sc = item_scores(s, q, &x);
        let mut m = vec![0.0; g];
        let mut tot = 0.0;
        for (r, v) in sc.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let w = cx.weights.map_or(1.0, |w| w[r]);
            let k = grade_of(*v);
            m[k] += w;
            tot += w;
        }
        (tot > 0.0).then(|| m.iter().map(|v| v / tot).collect())
    };
    let mut vecs: Vec<Option<Vec<f64>>> = vec![None; t.nodes.len()];
    let mut order = t.preorder();
    order.reverse();
    for &i in &order {
        let node = &t.nodes[i];
        let (a, r): (Vec<f64>, Vec<Vec<f64>>) = if node.is_leaf() {
            node.questions
                .iter()
                .filter_map(|id| s.question(id))
                .filter_map(membership)
                .map(|m| (1.0, m))
                .unzip()
        } else {
            node.children
                .iter()
                .filter_map(|&c| vecs[c].clone().map(|v| (cx.idx.local_weights[c], v)))
                .unzip()
        };
        let sa: f64 = a.iter().sum();
        if r.is_empty() || sa <= 0.0 {
            continue;
        }
        let a: Vec<f64> = a.iter().map(|v| v / sa).collect();
        vecs[i] = Some(fuzzy::compose(&a, &r, op));
    }
    let c = fuzzy::even_scores(g);
    let nodes = t
        .preorder()
        .into_iter()
        .filter_map(|i| {
            let b = vecs[i].clone()?;
            let score = fuzzy::score(&b, &c);
            let (top, band) = (fuzzy::max_membership(&b), fuzzy::score_grade(score, g));
            let effectiveness = fuzzy::effectiveness(&b);
            // The maximum-membership principle where it is effective, else the weighted score.
            let chosen = if effectiveness.is_none_or(|e| e >= fuzzy::EFFECTIVE_AT) {
                top
            } else {
                band
            };
            Some(FuzzyNode {
                id: t.nodes[i].id.clone(),
                name: t.nodes[i].name.clone(),
                grade: grades[chosen].clone(),
                score,
                max_membership_grade: grades[top].clone(),
                score_grade: grades[band].clone(),
                grades_agree: top == band,
                effectiveness,
                membership: b,
            })
        })
        .collect();
    Some(FuzzyResult {
        operator: op,
        grades,
        grade_scores: c,
        nodes,
    })
}
