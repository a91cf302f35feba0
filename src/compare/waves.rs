//! Loading, checking and comparing waves: pure functions of the loaded results documents.
//!
//! [`load_waves`] reads and labels the waves and applies `--map` renames, [`check_compatible`]
//! refuses waves of different surveys or trees, and [`compare_waves`] builds the report, one
//! [`Step`] per pair of consecutive waves plus a [`Trend`] per node.

use std::path::{Path, PathBuf};

use super::types::{
    ALPHA_DROP, AlphaChange, COMPARE_SCHEMA_VERSION, CompareReport, NodeChange, NpsChange,
    RankChange, Rename, SIGNIFICANCE, Step, Trend, Wave,
};
use crate::analysis::Results;
use crate::error::{Error, Result};
use crate::stats::inference::{nps_change_z, welch_from_stats};

/// One loaded wave: its label, file and (renamed) results.
pub type LoadedWave = (String, PathBuf, Results);

/// Loads the waves in order, applies the renames and labels each by [`label_of`] (`wave K` when
/// that is empty or taken).
///
/// # Errors
/// When a results file cannot be read or parsed.
pub fn load_waves(paths: &[PathBuf], map: &[Rename]) -> Result<Vec<LoadedWave>> {
    let mut waves: Vec<LoadedWave> = Vec::new();
    for p in paths {
        let mut r = crate::analysis::read_results(p)?;
        rename_nodes(&mut r, map);
        let mut label = label_of(p);
        if label.is_empty() || waves.iter().any(|w| w.0 == label) {
            label = format!("wave {}", waves.len() + 1);
        }
        waves.push((label, p.clone(), r));
    }
    Ok(waves)
}

/// Short name of a wave: the results file's directory (for …/results.json) or its stem.
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

pub fn parse_map(specs: &[String]) -> Result<Vec<Rename>> {
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
            let test = nps_change_z(a.value.nps, a.value.se, b.value.nps, b.value.se);
            Some(NpsChange {
                old: a.value.nps,
                new: b.value.nps,
                change: test.change,
                se: test.se,
                z: test.z,
                p: test.p,
                significant: test.p.is_some_and(|p| p < SIGNIFICANCE),
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
pub fn compare_waves(waves: &[LoadedWave], threshold: f64, map: Vec<Rename>) -> CompareReport {
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
