//! The concise text summary that `satkit analyze` prints: the index, every node's score, alpha,
//! KMO, NPS, the improvement priorities, gaps, segments, warnings and omissions.

use std::path::Path;

use super::text::{display_width, pad_right};
use crate::analysis::Results;

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.digits$}"))
}

/// The concise text summary: index, node scores, alpha warnings and KMO.
pub fn render_summary(r: &Results, path: &Path) -> String {
    let mut s = format!("{}  {}\n", r.survey.id, r.survey.title);
    let sm = &r.sample;
    s.push_str(&format!(
        "n = {} (effective {:.0}), margin of error ±{:.1}% at 95%",
        sm.n,
        sm.n_effective,
        100.0 * sm.margin_of_error
    ));
    if sm.flagged > 0 {
        s.push_str(&format!(", {} flagged", sm.flagged));
    }
    s.push('\n');
    s.push_str(&format!(
        "satisfaction index: {} (95% CI {} – {})\n\n",
        opt(r.index.score, 1),
        opt(r.index.ci_low, 1),
        opt(r.index.ci_high, 1)
    ));
    s.push_str(&node_table(r));
    s.push_str(&after_nodes(r));
    s.push_str(&format!("\nresults: {}\n", path.display()));
    s
}

/// Every node's score, 95% CI, effective weight and n, indented by depth.
fn node_table(r: &Results) -> String {
    let mut s = String::new();
    let labels: Vec<String> = r
        .index
        .nodes
        .iter()
        .map(|n| format!("{}{} {}", "  ".repeat(n.depth.min(64)), n.id, n.name))
        .collect();
    let width = labels
        .iter()
        .map(|l| display_width(l))
        .max()
        .unwrap_or(10)
        .max(12);
    s.push_str(&format!(
        "{}  {:>6}  {:>13}  {:>6}  {:>6}\n",
        pad_right("node", width),
        "score",
        "95% CI",
        "weight",
        "n"
    ));
    for (n, l) in r.index.nodes.iter().zip(&labels) {
        s.push_str(&format!(
            "{}  {:>6}  {:>13}  {:>6.3}  {:>6}\n",
            pad_right(l, width),
            opt(n.score, 1),
            format!("{}–{}", opt(n.ci_low, 1), opt(n.ci_high, 1)),
            n.effective_weight,
            n.n
        ));
    }
    s
}

/// Alpha, KMO, NPS, priorities, gaps, segments, warnings and omissions.
fn after_nodes(r: &Results) -> String {
    let mut s = String::new();
    let dims: Vec<String> = r
        .reliability
        .iter()
        .filter(|x| x.scope == crate::analysis::TreeLevel::Dimension)
        .map(|x| format!("{} {:.2}", x.node, x.alpha))
        .collect();
    if !dims.is_empty() {
        s.push_str(&format!("\nalpha: {}\n", dims.join(", ")));
    }
    if let Some(f) = &r.factor {
        s.push_str(&format!(
            "KMO {} ({}), Bartlett χ² = {} (df {}, p {}), {} factors\n",
            opt(f.kmo, 3),
            f.kmo_label.as_deref().unwrap_or("–"),
            opt(f.bartlett.as_ref().map(|b| b.chi2), 1),
            f.bartlett
                .as_ref()
                .map_or("–".into(), |b| format!("{}", b.df)),
            f.bartlett.as_ref().map_or("–".into(), |b| if b.p < 0.001 {
                "< 0.001".into()
            } else {
                format!("{:.3}", b.p)
            }),
            f.n_factors
        ));
    }
    if let Some(n) = &r.nps {
        s.push_str(&format!(
            "NPS {:+.1} (95% CI {:+.1} – {:+.1}; promoters {:.0}%, detractors {:.0}%)\n",
            n.value.nps,
            n.value.ci_low,
            n.value.ci_high,
            100.0 * n.value.promoters,
            100.0 * n.value.detractors
        ));
    }
    if !r.priorities.is_empty() {
        let outcome = r
            .drivers
            .as_ref()
            .map_or(String::new(), |d| format!(" (drivers of {})", d.outcome.id));
        s.push_str(&format!("\nimprovement priorities{outcome}:\n"));
        for p in r.priorities.iter().take(5) {
            s.push_str(&format!(
                "  {}. {} {}  [{}]  importance {:.1}%, score {:.1}\n",
                p.rank,
                p.id,
                p.name,
                p.quadrant,
                100.0 * p.importance,
                p.performance
            ));
        }
    }
    if let Some(g) = &r.gaps {
        s.push_str("\ngaps (perception − expectation):\n");
        for d in &g.dimensions {
            s.push_str(&format!(
                "  {} {}: {:+.2} (p {}), expectation not met for {:.0}%\n",
                d.id,
                d.name,
                d.stats.gap,
                d.stats.p.map_or("–".into(), |p| if p < 0.001 {
                    "< 0.001".into()
                } else {
                    format!("{p:.3}")
                }),
                100.0 * d.stats.share_not_met
            ));
        }
    }
    for seg in &r.segments {
        let sig: Vec<String> = seg
            .tests
            .iter()
            .filter(|t| t.significant)
            .map(|t| format!("{} (p {:.3})", t.node, t.p))
            .collect();
        let idx: Vec<String> = seg
            .groups
            .iter()
            .map(|g| format!("{} {}", g.value, opt(g.index, 1)))
            .collect();
        s.push_str(&format!(
            "\nsegments by {}: {}\n  significant differences: {}\n",
            seg.by,
            idx.join(", "),
            if sig.is_empty() {
                "none".into()
            } else {
                sig.join(", ")
            }
        ));
    }
    for w in &r.warnings {
        s.push_str(&format!("warning: {}\n", w.message));
    }
    for o in &r.omitted {
        s.push_str(&format!("omitted: {}: {}\n", o.statistic, o.reason));
    }
    s
}
