//! `satkit compare W1.json W2.json [W3.json ...]`: what changed between waves of one survey.
//!
//! Design: the waves are loaded and checked first (same survey id; the same node ids once
//! `--map` renames are applied), then [`compare_waves`], a pure function of the loaded results,
//! builds the [`CompareReport`]; rendering (text, JSON, trend SVGs) only reads that report.
//!
//! For each pair of consecutive waves and each node of the tree, the score change is tested with
//! Welch's t for independent samples from the summary statistics that results.json keeps
//! (`index.nodes[].score`, `.sd`, `.n`): se_i = sd_i/√n_i, t = (new − old)/√(se₁² + se₂²),
//! df by Welch–Satterthwaite, p two-sided (as `scipy.stats.ttest_ind_from_stats(equal_var=False)`).
//! A change is *significant* at p < 0.05 and *large* when |change| ≥ `--threshold` points; the
//! NPS change is tested with a normal z from the two standard errors. The improvement ranking
//! (priorities) and the instrument (Cronbach's alpha per reliability node; a fall of 0.05 or more
//! is flagged) are compared too.

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::gates::{GateArgs, print_failures};
use super::{Format, print_stdout, to_json};
use crate::analysis::Results;
use crate::error::{EXIT_GATE, Error, Result};
use crate::gates::{self, GateOutcome, load_results};
use crate::output::{refuse_overwrite, write_atomic};
use crate::report::charts::score_color;
use crate::report::questionnaire::CJK_FONT_STACK;
use crate::report::text::{display_width, pad_right};

const EXAMPLES: &str = "\
Examples:
  satkit compare out/2025/results.json out/2026/results.json
  satkit compare w1.json w2.json w3.json -o trend --threshold 2
  satkit compare old.json new.json --map support=service --format json | jq '.steps[0].nodes'
  satkit compare old.json new.json --fail-drop 3 --fail-under 60";

/// `schema_version` of compare.json.
pub const COMPARE_SCHEMA_VERSION: &str = "1.0.0";
/// Significance level of the Welch and NPS tests.
pub const SIGNIFICANCE: f64 = 0.05;
/// A fall in Cronbach's alpha of at least this much is flagged.
pub const ALPHA_DROP: f64 = 0.05;

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// results.json files of the waves, oldest first (two or more).
    #[arg(value_name = "RESULTS.json", num_args = 2.., required = true)]
    pub results: Vec<PathBuf>,
    /// Write compare.json (and, with three or more waves, trend_<node>.svg charts) here.
    #[arg(short, long, value_name = "OUTDIR")]
    pub output: Option<PathBuf>,
    /// A change of at least this many points (0–100 scale) counts as large.
    #[arg(long, default_value_t = 3.0, value_name = "POINTS")]
    pub threshold: f64,
    /// Rename node ids of earlier waves to the newest wave's ids: old=new,... (repeatable).
    #[arg(long, value_delimiter = ',', value_name = "OLD=NEW")]
    pub map: Vec<String>,
    /// Output on stdout: text, or the comparison as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub gates: GateArgs,
}

/// One wave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Wave {
    /// Short name: the results file's directory (for …/results.json) or its stem.
    pub label: String,
    pub file: String,
    pub n: usize,
    pub index: Option<f64>,
    pub field_start: Option<String>,
    pub field_end: Option<String>,
}

/// The change of one node's score between two waves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeChange {
    pub id: String,
    pub name: String,
    pub depth: usize,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// new − old, in points.
    pub change: Option<f64>,
    /// √(se_old² + se_new²) with se = sd/√n.
    pub se: Option<f64>,
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p: Option<f64>,
    /// p < 0.05.
    pub significant: bool,
    /// |change| ≥ threshold.
    pub large: bool,
}

/// The change of the Net Promoter Score.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NpsChange {
    pub old: f64,
    pub new: f64,
    pub change: f64,
    pub se: f64,
    pub z: Option<f64>,
    pub p: Option<f64>,
    pub significant: bool,
}

/// A node's place in the improvement ranking (1 = improve first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RankChange {
    pub id: String,
    pub name: String,
    pub old_rank: Option<usize>,
    pub new_rank: Option<usize>,
    /// old_rank − new_rank: positive moved up the list (more urgent).
    pub moved: Option<i64>,
}

/// Cronbach's alpha of one reliability node in both waves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlphaChange {
    pub node: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
    pub change: Option<f64>,
    /// The alpha fell by 0.05 or more.
    pub dropped: bool,
}

/// Everything that changed from one wave to the next.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub from: String,
    pub to: String,
    /// Every node in tree order, root first.
    pub nodes: Vec<NodeChange>,
    pub nps: Option<NpsChange>,
    pub priorities: Vec<RankChange>,
    pub reliability: Vec<AlphaChange>,
}

/// A node's score in every wave (for trend charts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trend {
    pub id: String,
    pub name: String,
    pub depth: usize,
    pub scores: Vec<Option<f64>>,
    pub ci_low: Vec<Option<f64>>,
    pub ci_high: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rename {
    pub old: String,
    pub new: String,
}

/// compare.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompareReport {
    pub schema_version: String,
    pub satkit_version: String,
    pub survey: String,
    pub title: String,
    /// Points from which a change counts as large.
    pub threshold: f64,
    pub significance: f64,
    pub alpha_drop: f64,
    /// Node renames applied to earlier waves (`--map`).
    pub map: Vec<Rename>,
    /// Oldest first.
    pub waves: Vec<Wave>,
    /// One per pair of consecutive waves.
    pub steps: Vec<Step>,
    pub trends: Vec<Trend>,
    /// Trend charts written to OUTDIR (file names), with three or more waves.
    pub charts: Vec<String>,
    /// Gates on the newest wave (`--fail-drop`: against the previous wave).
    pub gates: Vec<GateOutcome>,
}

/// Welch's t from summary statistics: (t, df, two-sided p) for `new − old`.
///
/// `None` when a group has fewer than 2 respondents or both standard errors are 0.
///
/// # Examples
/// ```
/// // scipy 1.17.1: ttest_ind_from_stats(55, 10, 100, 50, 12, 120, equal_var=False)
/// // → statistic 3.3709993123162105, pvalue 0.0008858692481523177; df by the formula 217.99985.
/// let (t, df, p) = satkit::cli::compare::welch_from_stats(50.0, 12.0, 120, 55.0, 10.0, 100).unwrap();
/// assert!((t - 3.3709993123162105).abs() < 1e-12);
/// assert!((p - 0.0008858692481523177).abs() < 1e-12);
/// assert!((df - 217.9998470714177).abs() < 1e-9);
/// ```
pub fn welch_from_stats(
    m_old: f64,
    sd_old: f64,
    n_old: usize,
    m_new: f64,
    sd_new: f64,
    n_new: usize,
) -> Option<(f64, f64, f64)> {
    if n_old < 2 || n_new < 2 {
        return None;
    }
    let (n1, n2) = (n_old as f64, n_new as f64);
    let v1 = sd_old * sd_old / n1;
    let v2 = sd_new * sd_new / n2;
    let se2 = v1 + v2;
    if !(se2 > 0.0) || !se2.is_finite() {
        return None;
    }
    let t = (m_new - m_old) / se2.sqrt();
    let df = se2 * se2 / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
    let p = StudentsT::new(0.0, 1.0, df)
        .ok()
        .map(|d| 2.0 * d.sf(t.abs()))?;
    Some((t, df, p))
}

fn label_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "results"
        && let Some(dir) = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
    {
        return dir;
    }
    stem
}

fn parse_map(specs: &[String]) -> Result<Vec<Rename>> {
    specs
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| match s.split_once('=') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => Ok(Rename {
                old: a.trim().to_string(),
                new: b.trim().to_string(),
            }),
            _ => Err(Error::usage(
                format!("--map '{s}' is not OLD=NEW"),
                "e.g. --map support=service,price=value",
            )),
        })
        .collect()
}

/// Apply node renames to a results document (index nodes and parents, reliability, priorities).
fn rename_nodes(r: &mut Results, map: &[Rename]) {
    let rn = |id: &mut String| {
        if let Some(m) = map.iter().find(|m| &m.old == id) {
            *id = m.new.clone();
        }
    };
    for n in &mut r.index.nodes {
        rn(&mut n.id);
        if let Some(p) = &mut n.parent {
            rn(p);
        }
    }
    for x in &mut r.reliability {
        rn(&mut x.node);
    }
    for p in &mut r.priorities {
        rn(&mut p.id);
    }
}

/// Check that the waves can be compared.
///
/// # Errors
/// [`Error::Usage`] for different survey ids or different node id sets.
pub fn check_compatible(waves: &[(String, Results)]) -> Result<()> {
    let (first_label, first) = &waves[0];
    for (label, r) in &waves[1..] {
        if r.survey.id != first.survey.id {
            return Err(Error::usage(
                format!(
                    "{label} is survey '{}' but {first_label} is survey '{}'; compare only waves of the same survey",
                    r.survey.id, first.survey.id
                ),
                "give results.json files of the same survey id",
            ));
        }
    }
    let newest = &waves[waves.len() - 1];
    let ids = |r: &Results| -> Vec<String> {
        let mut v: Vec<String> = r.index.nodes.iter().map(|n| n.id.clone()).collect();
        v.sort();
        v
    };
    let want = ids(&newest.1);
    for (label, r) in &waves[..waves.len() - 1] {
        let have = ids(r);
        if have != want {
            let only_old: Vec<&str> = have
                .iter()
                .filter(|i| !want.contains(i))
                .map(String::as_str)
                .collect();
            let only_new: Vec<&str> = want
                .iter()
                .filter(|i| !have.contains(i))
                .map(String::as_str)
                .collect();
            return Err(Error::usage(
                format!(
                    "the indicator trees differ: only in {label}: {}; only in {}: {}",
                    if only_old.is_empty() {
                        "–".into()
                    } else {
                        only_old.join(", ")
                    },
                    newest.0,
                    if only_new.is_empty() {
                        "–".into()
                    } else {
                        only_new.join(", ")
                    }
                ),
                match (only_old.first(), only_new.first()) {
                    (Some(o), Some(n)) => format!("if a node was renamed, map it: --map {o}={n}"),
                    _ => {
                        "compare waves with the same tree, or map renamed nodes with --map OLD=NEW"
                            .into()
                    }
                },
            ));
        }
    }
    Ok(())
}

fn step(old: &Results, new: &Results, from: &str, to: &str, threshold: f64) -> Step {
    let nodes = new
        .index
        .nodes
        .iter()
        .map(|nn| {
            let on = old.index.nodes.iter().find(|o| o.id == nn.id);
            let o_score = on.and_then(|o| o.score).filter(|v| v.is_finite());
            let n_score = nn.score.filter(|v| v.is_finite());
            let change = o_score.zip(n_score).map(|(a, b)| b - a);
            let test =
                on.and_then(|o| welch_from_stats(o.score?, o.sd?, o.n, nn.score?, nn.sd?, nn.n));
            let se = on.and_then(|o| {
                let v = o.sd? * o.sd? / o.n as f64 + nn.sd? * nn.sd? / nn.n as f64;
                v.is_finite().then(|| v.sqrt())
            });
            NodeChange {
                id: nn.id.clone(),
                name: nn.name.clone(),
                depth: nn.depth,
                old: o_score,
                new: n_score,
                change,
                se,
                t: test.map(|x| x.0),
                df: test.map(|x| x.1),
                p: test.map(|x| x.2),
                significant: test.is_some_and(|x| x.2 < SIGNIFICANCE),
                large: change.is_some_and(|c| c.abs() >= threshold - 1e-12),
            }
        })
        .collect();
    let nps = match (&old.nps, &new.nps) {
        (Some(a), Some(b)) if a.value.nps.is_finite() && b.value.nps.is_finite() => {
            let se = (a.value.se.powi(2) + b.value.se.powi(2)).sqrt();
            let change = b.value.nps - a.value.nps;
            let z = (se > 0.0 && se.is_finite()).then(|| change / se);
            let p = z.map(|z| 2.0 * Normal::standard().sf(z.abs()));
            Some(NpsChange {
                old: a.value.nps,
                new: b.value.nps,
                change,
                se,
                z,
                p,
                significant: p.is_some_and(|p| p < SIGNIFICANCE),
            })
        }
        _ => None,
    };
    let mut priorities: Vec<RankChange> = new
        .priorities
        .iter()
        .map(|p| {
            let o = old.priorities.iter().find(|q| q.id == p.id);
            RankChange {
                id: p.id.clone(),
                name: p.name.clone(),
                old_rank: o.map(|q| q.rank),
                new_rank: Some(p.rank),
                moved: o.map(|q| q.rank as i64 - p.rank as i64),
            }
        })
        .collect();
    for q in &old.priorities {
        if !new.priorities.iter().any(|p| p.id == q.id) {
            priorities.push(RankChange {
                id: q.id.clone(),
                name: q.name.clone(),
                old_rank: Some(q.rank),
                new_rank: None,
                moved: None,
            });
        }
    }
    let reliability = new
        .reliability
        .iter()
        .map(|b| {
            let a = old.reliability.iter().find(|a| a.node == b.node);
            let o = a.map(|a| a.alpha).filter(|v| v.is_finite());
            let n = Some(b.alpha).filter(|v| v.is_finite());
            let change = o.zip(n).map(|(o, n)| n - o);
            AlphaChange {
                node: b.node.clone(),
                old: o,
                new: n,
                change,
                dropped: change.is_some_and(|c| c <= -ALPHA_DROP + 1e-12),
            }
        })
        .collect();
    Step {
        from: from.to_string(),
        to: to.to_string(),
        nodes,
        nps,
        priorities,
        reliability,
    }
}

/// Compare loaded waves (oldest first, already checked with [`check_compatible`]).
pub fn compare_waves(
    waves: &[(String, PathBuf, Results)],
    threshold: f64,
    map: Vec<Rename>,
) -> CompareReport {
    let newest = &waves[waves.len() - 1].2;
    let steps = waves
        .windows(2)
        .map(|w| step(&w[0].2, &w[1].2, &w[0].0, &w[1].0, threshold))
        .collect();
    let trends = newest
        .index
        .nodes
        .iter()
        .map(|n| {
            let find = |r: &Results| r.index.nodes.iter().find(|x| x.id == n.id).cloned();
            let per: Vec<_> = waves.iter().map(|w| find(&w.2)).collect();
            Trend {
                id: n.id.clone(),
                name: n.name.clone(),
                depth: n.depth,
                scores: per
                    .iter()
                    .map(|x| x.as_ref().and_then(|x| x.score))
                    .collect(),
                ci_low: per
                    .iter()
                    .map(|x| x.as_ref().and_then(|x| x.ci_low))
                    .collect(),
                ci_high: per
                    .iter()
                    .map(|x| x.as_ref().and_then(|x| x.ci_high))
                    .collect(),
            }
        })
        .collect();
    CompareReport {
        schema_version: COMPARE_SCHEMA_VERSION.to_string(),
        satkit_version: env!("CARGO_PKG_VERSION").to_string(),
        survey: newest.survey.id.clone(),
        title: newest.survey.title.clone(),
        threshold,
        significance: SIGNIFICANCE,
        alpha_drop: ALPHA_DROP,
        map,
        waves: waves
            .iter()
            .map(|(label, path, r)| Wave {
                label: label.clone(),
                file: path.display().to_string(),
                n: r.sample.n,
                index: r.index.score,
                field_start: r.survey.field_start.clone(),
                field_end: r.survey.field_end.clone(),
            })
            .collect(),
        steps,
        trends,
        charts: Vec::new(),
        gates: Vec::new(),
    }
}

pub fn run(args: Args) -> Result<i32> {
    if !(args.threshold.is_finite() && args.threshold >= 0.0) {
        return Err(Error::usage(
            format!(
                "--threshold {} is not a number of points ≥ 0",
                args.threshold
            ),
            "e.g. --threshold 3",
        ));
    }
    if args.gates.baseline.is_some() {
        return Err(Error::usage(
            "compare takes no --baseline: --fail-drop compares the newest wave with the previous one",
            "drop --baseline, or list the baseline as an earlier wave",
        ));
    }
    let gate_plan = args.gates.gates()?;
    let map = parse_map(&args.map)?;
    let mut waves: Vec<(String, PathBuf, Results)> = Vec::new();
    for p in &args.results {
        let mut r = load_results(p)?;
        rename_nodes(&mut r, &map);
        let mut label = label_of(p);
        if label.is_empty() || waves.iter().any(|w| w.0 == label) {
            label = format!("wave {}", waves.len() + 1);
        }
        waves.push((label, p.clone(), r));
    }
    let labelled: Vec<(String, Results)> = waves
        .iter()
        .map(|(l, _, r)| (l.clone(), r.clone()))
        .collect();
    check_compatible(&labelled)?;
    let newest = &waves[waves.len() - 1].2;
    gate_plan.check_nodes(newest.index.nodes.iter().map(|n| n.id.as_str()))?;
    let mut report = compare_waves(&waves, args.threshold, map);
    let previous = &waves[waves.len() - 2].2;
    report.gates = gates::evaluate(newest, Some(previous), &gate_plan);

    if let Some(dir) = &args.output {
        let inputs: Vec<&Path> = args.results.iter().map(PathBuf::as_path).collect();
        let json_path = dir.join("compare.json");
        refuse_overwrite(&json_path, &inputs)?;
        if waves.len() > 2 {
            for t in report.trends.iter().filter(|t| t.depth <= 1) {
                let name = format!("trend_{}.svg", file_stem(&t.id));
                let path = dir.join(&name);
                refuse_overwrite(&path, &inputs)?;
                let svg = trend_svg(&report, t).map_err(|e| {
                    Error::io(
                        &path,
                        std::io::Error::other(format!("drawing the chart failed: {e}")),
                    )
                })?;
                write_atomic(&path, svg.as_bytes())?;
                report.charts.push(name);
            }
        }
        write_atomic(&json_path, to_json(&report).as_bytes())?;
    } else if waves.len() > 2 && args.format == Format::Text {
        eprintln!("note: give -o OUTDIR to write the trend charts and compare.json");
    }
    print_failures(&report.gates, "");
    match args.format {
        Format::Json => print_stdout(&to_json(&report)),
        Format::Text => print_stdout(&render_text(&report, args.output.as_deref())),
    }
    Ok(if gates::all_passed(&report.gates) {
        0
    } else {
        EXIT_GATE
    })
}

fn file_stem(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

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
    let label = |n: &NodeChange| format!("{}{} {}", "  ".repeat(n.depth), n.id, n.name);
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

// ---- Trend chart ---------------------------------------------------------------------------

const W: i32 = 640;
const H: i32 = 360;
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
const LINE: RGBColor = RGBColor(0x45, 0x75, 0xb4);

fn text_style(
    size: f64,
    color: &'static RGBColor,
    h: HPos,
    v: VPos,
    bold: bool,
) -> TextStyle<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    // plotters' SVG backend writes font-size = size / 1.24.
    TextStyle::from(FontDesc::new(
        FontFamily::Name(CJK_FONT_STACK),
        size * 1.24,
        style,
    ))
    .color(color)
    .pos(Pos::new(h, v))
}

/// The trend of one node over the waves: score with its 95% interval per wave, SVG text.
/// Text is drawn as SVG text (no font measuring), so the chart needs no font at all and the same
/// report always gives the same bytes.
pub fn trend_svg(r: &CompareReport, t: &Trend) -> std::result::Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W as u32, H as u32)).into_drawing_area();
        let e = |e: DrawingAreaErrorKind<_>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let title = format!("{} {}", t.id, t.name);
        root.draw(&Text::new(
            title,
            (16, 16),
            text_style(16.0, &INK, HPos::Left, VPos::Top, true),
        ))
        .map_err(e)?;
        root.draw(&Text::new(
            format!("score (0–100) with its 95% interval; survey {}", r.survey),
            (16, 40),
            text_style(11.0, &MUTED, HPos::Left, VPos::Top, false),
        ))
        .map_err(e)?;
        let values: Vec<f64> = t
            .scores
            .iter()
            .chain(&t.ci_low)
            .chain(&t.ci_high)
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() && hi.is_finite() {
            (
                ((lo - 2.0) / 10.0).floor() * 10.0,
                ((hi + 2.0) / 10.0).ceil() * 10.0,
            )
        } else {
            (0.0, 100.0)
        };
        let (lo, hi) = (lo.max(0.0), hi.min(100.0).max(lo.max(0.0) + 10.0));
        let (x0, x1, y0, y1) = (72.0, f64::from(W) - 72.0, 64.0, f64::from(H) - 40.0);
        let y = |v: f64| (y1 - (v - lo) / (hi - lo) * (y1 - y0)).round() as i32;
        let k = t.scores.len();
        let x = |i: usize| {
            if k <= 1 {
                ((x0 + x1) / 2.0).round() as i32
            } else {
                (x0 + (x1 - x0) * i as f64 / (k - 1) as f64).round() as i32
            }
        };
        let step = if hi - lo > 40.0 { 10.0 } else { 5.0 };
        let mut tick = lo;
        while tick <= hi + 1e-9 {
            let yy = y(tick);
            root.draw(&PathElement::new(
                vec![(x0 as i32, yy), (x1 as i32, yy)],
                GRID.stroke_width(1),
            ))
            .map_err(e)?;
            root.draw(&Text::new(
                format!("{tick:.0}"),
                (x0 as i32 - 8, yy),
                text_style(11.0, &MUTED, HPos::Right, VPos::Center, false),
            ))
            .map_err(e)?;
            tick += step;
        }
        for (i, w) in r.waves.iter().enumerate() {
            root.draw(&Text::new(
                w.label.clone(),
                (x(i), y1 as i32 + 10),
                text_style(11.0, &INK, HPos::Center, VPos::Top, false),
            ))
            .map_err(e)?;
        }
        // Intervals, then the line, then the points on top.
        for i in 0..k {
            if let (Some(a), Some(b)) = (t.ci_low[i], t.ci_high[i])
                && a.is_finite()
                && b.is_finite()
            {
                let style = MUTED.stroke_width(1);
                root.draw(&PathElement::new(vec![(x(i), y(a)), (x(i), y(b))], style))
                    .map_err(e)?;
                for v in [a, b] {
                    root.draw(&PathElement::new(
                        vec![(x(i) - 4, y(v)), (x(i) + 4, y(v))],
                        style,
                    ))
                    .map_err(e)?;
                }
            }
        }
        let points: Vec<(i32, i32)> = (0..k)
            .filter_map(|i| t.scores[i].filter(|v| v.is_finite()).map(|v| (x(i), y(v))))
            .collect();
        root.draw(&PathElement::new(points, LINE.stroke_width(2)))
            .map_err(e)?;
        for i in 0..k {
            if let Some(v) = t.scores[i].filter(|v| v.is_finite()) {
                root.draw(&Circle::new((x(i), y(v)), 5, score_color(v).filled()))
                    .map_err(e)?;
                root.draw(&Circle::new((x(i), y(v)), 5, INK.stroke_width(1)))
                    .map_err(e)?;
                root.draw(&Text::new(
                    format!("{v:.1}"),
                    (x(i) + 8, y(v) - 6),
                    text_style(11.0, &INK, HPos::Left, VPos::Bottom, false),
                ))
                .map_err(e)?;
            }
        }
        root.present().map_err(e)?;
    }
    Ok(svg)
}
