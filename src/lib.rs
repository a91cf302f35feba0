//! satkit: customer-satisfaction surveys from plan to report.
//!
//! The library is organised by domain and knows nothing about the command line:
//! - [`model`]: the questionnaire (survey file, scales, questions, indicator tree, weights);
//! - [`data`]: response import, coding, validation and quality flags (polars);
//! - [`lint`]: questionnaire-design rules (wording, structure, scales, weights, length);
//! - [`stats`]: pure numerics (AHP, descriptives, reliability, correlation, factor analysis, ...);
//! - [`report`]: renderers for questionnaires and results;
//! - [`gates`] and [`batch`]: pass/fail thresholds on results, and batch runs of many analyses;
//! - [`grade`]: grading student questionnaires against a rubric (gradebook, feedback);
//! - [`plan`]: sampling plans (sample size, invitations, allocation across strata);
//! - [`compare`]: what changed between waves of one survey (tests, ranking, trend charts);
//! - [`cli`]: the `satkit` subcommands, one file each.

// Numerical code indexes matrices by row and column on purpose, and `!(x > 0.0)` is used on
// purpose to treat NaN as failing a check.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

pub mod alloc;
pub mod analysis;
pub mod batch;
pub mod cli;
pub mod compare;
pub mod data;
pub mod diagnostic;
pub mod error;
pub mod gates;
pub mod grade;
pub mod input;
pub mod json;
pub mod lint;
pub mod model;
pub mod names;
pub mod numbers;
pub mod output;
pub mod par;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod stats;
pub mod timing;
pub mod toml_source;

pub use error::{Error, Result};
pub use model::Survey;
