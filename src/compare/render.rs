//! The text report of a comparison: the trend of every node over all waves, then the newest
//! step in detail (scores, change, p and a verdict per node; NPS, ranking, instrument, gates).
//! A pure function of the [`CompareReport`], aligned by display width for CJK names.

use std::path::Path;

use super::types::{CompareReport, NodeChange};
use crate::report::text::{display_width, pad_right};

fn o1(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.1}"))
}

fn p_text(p: Option<f64>) -> String {
    match p {
        None => "–".into(),
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
    }
}

/// The text report: the trend of every node over all waves, then the newest step in detail.
pub fn render_text(r: &CompareReport, outdir: Option<&Path>) -> String {
    let mut s = format!("{}  {}\n", r.survey, r.title);
    let waves: Vec<String> = r
        .waves
        .iter()
        .map(|w| format!("{} (n = {})", w.label, w.n))
        .collect();
    s.push_str(&format!("waves: {}\n", waves.join(", ")));
    for m in &r.map {
        s.push_str(&format!("mapped: {} → {}\n", m.old, m.new));
    }
    let Some(last) = r.steps.last() else {
        return s;
    };
    let label = |n: &NodeChange| format!("{}{} {}", "  ".repeat(n.depth.min(64)), n.id, n.name);
    let labels: Vec<String> = last.nodes.iter().map(label).collect();
    let width = labels
        .iter()
        .map(|l| display_width(l))
        .max()
        .unwrap_or(4)
        .max(4);
    s.push_str(&format!(
        "\n{} → {}: Welch t per node; significant at p < {}, large at |change| ≥ {} points\n",
        last.from, last.to, r.significance, r.threshold
    ));
    let mut head = pad_right("node", width);
    if r.waves.len() > 2 {
        for w in &r.waves[..r.waves.len() - 2] {
            head.push_str(&format!("  {:>7}", truncate(&w.label, 7)));
        }
    }
    head.push_str(&format!(
        "  {:>7}  {:>7}  {:>7}  {:>7}  verdict\n",
        truncate(&last.from, 7),
        truncate(&last.to, 7),
        "change",
        "p"
    ));
    s.push_str(&head);
    for (n, l) in last.nodes.iter().zip(&labels) {
        let mut row = pad_right(l, width);
        if r.waves.len() > 2 {
            let trend = r.trends.iter().find(|t| t.id == n.id);
            for k in 0..r.waves.len() - 2 {
                row.push_str(&format!(
                    "  {:>7}",
                    o1(trend.and_then(|t| t.scores.get(k).copied().flatten()))
                ));
            }
        }
        let verdict = match (n.significant, n.large) {
            (true, true) => "changed",
            (true, false) => "significant, small",
            (false, true) => "large, not significant",
            (false, false) => "",
        };
        row.push_str(&format!(
            "  {:>7}  {:>7}  {:>7}  {:>7}  {verdict}",
            o1(n.old),
            o1(n.new),
            n.change.map_or("–".into(), |c| format!("{c:+.1}")),
            p_text(n.p)
        ));
        s.push_str(row.trim_end());
        s.push('\n');
    }
    if let Some(n) = &last.nps {
        s.push_str(&format!(
            "\nNPS {:+.1} → {:+.1} ({:+.1}, p {}){}\n",
            n.old,
            n.new,
            n.change,
            p_text(n.p),
            if n.significant { ", significant" } else { "" }
        ));
    }
    let moved: Vec<String> = last
        .priorities
        .iter()
        .filter(|p| p.moved != Some(0))
        .map(|p| match (p.old_rank, p.new_rank) {
            (Some(a), Some(b)) => format!("{} {a} → {b}", p.id),
            (None, Some(b)) => format!("{} new at {b}", p.id),
            (Some(a), None) => format!("{} was {a}, now gone", p.id),
            (None, None) => p.id.clone(),
        })
        .collect();
    if !last.priorities.is_empty() {
        s.push_str(&format!(
            "improvement ranking: {}\n",
            if moved.is_empty() {
                "unchanged".to_string()
            } else {
                moved.join("; ")
            }
        ));
    }
    let drops: Vec<String> = last
        .reliability
        .iter()
        .filter(|a| a.dropped)
        .map(|a| format!("'{}' {} → {}", a.node, o3(a.old), o3(a.new)))
        .collect();
    s.push_str(&format!(
        "instrument: {}\n",
        if drops.is_empty() {
            format!("no alpha fell by {} or more", r.alpha_drop)
        } else {
            format!(
                "alpha fell by {} or more for {}",
                r.alpha_drop,
                drops.join(", ")
            )
        }
    ));
    if !r.gates.is_empty() {
        let failed = r.gates.iter().filter(|g| !g.passed).count();
        s.push_str(&format!(
            "gates: {} passed, {failed} failed\n",
            r.gates.len() - failed
        ));
    }
    if let Some(dir) = outdir {
        s.push_str(&format!(
            "\ncomparison: {}\n",
            dir.join("compare.json").display()
        ));
        for c in &r.charts {
            s.push_str(&format!("chart: {}\n", dir.join(c).display()));
        }
    }
    s
}

fn o3(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.3}"))
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
