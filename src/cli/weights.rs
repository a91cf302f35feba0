//! `satkit weights`: AHP weights and consistency for every matrix, and with data the entropy and
//! regression-derived weights of every sibling group.

use std::path::PathBuf;

use serde::Serialize;

use super::import::ImportArgs;
use super::output::{Format, print_stdout, to_json};
use crate::analysis::{self, AnalysisOptions, WeightGroup};
use crate::diagnostic::Severity;
use crate::error::{EXIT_GATE, Error, Result};
use crate::model::{ChildWeighting, Survey};
use crate::report::text::pad_right;

const EXAMPLES: &str = "\
Examples:
  satkit weights surveys/b2b-platform/survey.toml
  satkit weights surveys/b2b-platform/survey.toml surveys/b2b-platform/responses.csv
  satkit weights my-survey.toml --format json | jq '.groups[] | select(.ahp_consistent == false)'";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// Responses (CSV or Parquet) for entropy and regression-derived weights.
    pub data: Option<PathBuf>,
    #[command(flatten)]
    pub import: ImportArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The JSON report of `satkit weights`.
#[derive(Debug, Serialize)]
pub struct WeightsReport {
    pub schema_version: &'static str,
    pub survey: String,
    /// False when any AHP matrix has CR ≥ 0.1 (exit 1).
    pub consistent: bool,
    pub groups: Vec<WeightGroup>,
}

pub fn run(args: Args) -> Result<i32> {
    let checked = Survey::check_file_with(&args.survey, false)?;
    let Some(survey) = checked.survey else {
        return Err(Error::InvalidSurvey {
            diagnostics: checked
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        });
    };
    let groups: Vec<WeightGroup> = match &args.data {
        Some(data) => {
            let table = super::analyze::load_table(&survey, data, &args.import, None)?;
            let opts = AnalysisOptions {
                input: data.display().to_string(),
                ..Default::default()
            };
            analysis::analyze(&survey, &table, &opts)?.weights
        }
        None => {
            let t = &survey.tree;
            t.preorder()
                .into_iter()
                .filter(|&i| !t.nodes[i].is_leaf())
                .map(|i| {
                    let n = &t.nodes[i];
                    let ahp = match &n.weighting {
                        ChildWeighting::Ahp { result, .. } => Some(result.clone()),
                        _ => None,
                    };
                    WeightGroup {
                        node: n.id.clone(),
                        method: n.weighting.name().to_string(),
                        children: n.children.iter().map(|&c| t.nodes[c].id.clone()).collect(),
                        used: n
                            .children
                            .iter()
                            .map(|&c| t.nodes[c].local_weight.unwrap_or(f64::NAN))
                            .collect(),
                        ahp_consistent: ahp.as_ref().map(|a| a.consistent()),
                        ahp,
                        entropy: None,
                        regression: None,
                    }
                })
                .collect()
        }
    };
    let consistent = groups.iter().all(|g| g.ahp_consistent != Some(false));
    match args.format {
        Format::Json => print_stdout(&to_json(&WeightsReport {
            schema_version: "1.0.0",
            survey: survey.meta.id.clone(),
            consistent,
            groups: groups.clone(),
        })),
        Format::Text => print_stdout(&render(&survey, &groups)),
    }
    if !consistent {
        for g in groups.iter().filter(|g| g.ahp_consistent == Some(false)) {
            let cr = g.ahp.as_ref().map_or(f64::NAN, |a| a.cr);
            eprintln!(
                "{}: the AHP matrix of '{}' is inconsistent (CR = {cr:.3} ≥ 0.1); revise its judgements",
                args.survey.display(),
                g.node
            );
        }
        return Ok(EXIT_GATE);
    }
    Ok(0)
}

fn w(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map_or("data".to_string(), |x| format!("{x:.3}"))
}

fn render(survey: &Survey, groups: &[WeightGroup]) -> String {
    let mut s = String::new();
    for g in groups {
        let node = survey
            .tree
            .find(&g.node)
            .map(|i| survey.tree.nodes[i].name.clone())
            .unwrap_or_default();
        s.push_str(&format!("{} {}: {}\n", g.node, node, g.method));
        if let Some(a) = &g.ahp {
            s.push_str(&format!(
                "  λmax {:.4}, CI {:.4}, RI {}, CR {:.4}: {}\n",
                a.lambda_max,
                a.ci,
                a.ri.map_or("–".into(), |r| format!("{r:.2}")),
                a.cr,
                if a.consistent() {
                    "consistent (CR < 0.1)"
                } else {
                    "INCONSISTENT (CR ≥ 0.1)"
                }
            ));
        }
        let width = g.children.iter().map(|c| c.len()).max().unwrap_or(4).max(5);
        s.push_str(&format!(
            "  {}  {:>7}  {:>7}  {:>10}\n",
            pad_right("child", width),
            "used",
            "entropy",
            "regression"
        ));
        for (i, c) in g.children.iter().enumerate() {
            s.push_str(&format!(
                "  {}  {:>7}  {:>7}  {:>10}\n",
                pad_right(c, width),
                w(g.used.get(i).copied()),
                g.entropy
                    .as_ref()
                    .map_or("–".into(), |e| format!("{:.3}", e[i])),
                g.regression
                    .as_ref()
                    .map_or("–".into(), |e| format!("{:.3}", e[i])),
            ));
        }
        s.push('\n');
    }
    s
}
