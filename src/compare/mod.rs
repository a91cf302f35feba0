//! Comparison of waves of one survey: what changed between consecutive results documents.
//!
//! Design: [`waves`] loads and checks the waves (same survey id; the same node ids once `--map`
//! renames are applied) and [`compare_waves`], a pure function of the loaded results, builds the
//! [`CompareReport`]; [`render`] (text) and [`trend`] (trend charts) only read that report.
//!
//! For each pair of consecutive waves and each node of the tree, the score change is tested with
//! Welch's t for independent samples from the summary statistics that results.json keeps
//! (`index.nodes[].score`, `.sd`, `.n`; [`crate::stats::inference::welch_from_stats`]).
//! A change is *significant* at p < 0.05 and *large* when |change| ≥ the threshold in points;
//! the NPS change is tested with a normal z from the two standard errors
//! ([`crate::stats::inference::nps_change_z`]). The improvement ranking (priorities) and the
//! instrument (Cronbach's alpha per reliability node; a fall of 0.05 or more is flagged) are
//! compared too.

mod types;

pub mod render;
pub mod trend;
pub mod waves;

pub use render::render_text;
pub use trend::{is_compare_output, write_trend_charts};
pub use types::*;
pub use waves::{LoadedWave, check_compatible, compare_waves, load_waves, parse_map};
