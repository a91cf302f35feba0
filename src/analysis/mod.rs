//! The analysis: from a survey and its respondent table to [`Results`], the stable document that
//! `results.json` serialises (docs/results-schema.md). Rendering lives in `report`; this module
//! only computes.
//!
//! Design: one file per stage (sample, items, index, correlations, reliability, factor, drivers,
//! weight groups, gaps, segments, headline, fuzzy), each a function from explicit inputs to its
//! section of the results. [`analyze`] alone orders the stages, owns the threads and the timing
//! marks, and hands the shared intermediate results (codes, value counts, node scores) from one
//! stage to the next.
//!
//! Missing data are handled per statistic, and the policy used is written into the results:
//! pairwise for correlations and reliability by default (or listwise with `--missing listwise`),
//! listwise for KMO, Bartlett and factor analysis by default (or pairwise-complete with
//! `--factor-missing pairwise`).

pub mod columns;
pub mod context;
pub mod correlations;
pub mod drivers;
pub mod factor;
pub mod fuzzy;
pub mod gaps;
pub mod headline;
pub mod index;
pub mod items;
pub mod options;
pub mod reliability;
pub mod results;
pub mod results_file;
pub mod sample;
pub mod segments;
pub mod weight_groups;

use crate::data::ResponseTable;
use crate::error::{Error, Result};
use crate::model::{QuestionKind, Role, Survey};
use crate::stats::correlation::Discrete;
use crate::timing::{Span, Timer};
use context::Context;

pub use options::*;
pub use results::*;
pub use results_file::{parse_results, read_results};

/// Run every statistic.
///
/// # Errors
/// A weight column that is missing from the data, or an empty table.
pub fn analyze(survey: &Survey, table: &ResponseTable, opts: &AnalysisOptions) -> Result<Results> {
    let n_rows = table.height();
    if n_rows == 0 {
        return Err(Error::usage(
            "the data has no respondents",
            "check the import summary; every row may have been dropped",
        ));
    }
    let (mut warnings, mut omitted) = (Vec::new(), Vec::new());
    let threads = opts.threads;
    let mut timer = Timer::new();
    let (weights, sample) = sample::weights_and_sample(survey, table, opts, &mut warnings)?;
    let weights = weights.as_deref();
    timer.mark("sample");
    let scaled = items::scaled_questions(survey);
    let columns = items::code_columns(table, &scaled, n_rows, threads)?;
    timer.mark("  items.code");
    let levels = items::level_stats(&columns, weights, threads);
    timer.mark("  items.count");
    let items = items::item_results(survey, &scaled, &columns, &levels, weights, &mut warnings);
    timer.mark("items");
    let choices = index::choice_results(survey, table, weights)?;
    timer.mark("choices");
    let overall = survey.role_item(Role::Overall).map(|q| q.id.as_str());
    let idx = index::compute(survey, &columns, weights, opts, overall, &mut warnings)?;
    timer.mark("index");

    let tree_items = correlations::tree_items(survey);
    let dim_codes = correlations::code_dimensions(survey, &idx, threads);
    timer.mark("  dimensions.code");
    let empty = Discrete::new(&[]);
    let vars = correlations::variables(survey, &tree_items, &columns, &dim_codes, &empty);
    let pw = correlations::pairwise(&vars, opts.missing, threads);
    timer.mark("  pairwise");
    let correlation = correlations::result(&vars, &pw, opts.missing);
    timer.mark("correlation");
    let reliability = reliability::reliability(
        survey,
        &vars,
        &pw,
        opts.missing,
        threads,
        &mut warnings,
        &mut omitted,
    );
    timer.mark("reliability");

    let fa_items: Vec<&crate::model::Question> = (tree_items.iter().copied())
        .filter(|q| q.kind == QuestionKind::Rating)
        .collect();
    let fa_codes: Vec<&Discrete> = (fa_items.iter())
        .map(|q| columns.discrete_of(&q.id).unwrap_or(&empty))
        .collect();
    let cx = Context {
        survey,
        table,
        columns: &columns,
        levels: &levels,
        idx: &idx,
        weights,
        threads,
        outcome_r: correlations::outcome_r(survey, &columns, &vars, &pw, opts.missing),
        coded_nodes: (survey.tree.dimensions().iter().copied())
            .zip(&dim_codes)
            .collect(),
    };
    // The factor analysis runs on its own thread meanwhile: it shares nothing with the drivers
    // and the weight comparison. Each keeps its own warnings, appended in the usual order.
    let (mut factor_omitted, mut factor_warnings) = (Vec::new(), Vec::new());
    let (mut driver_omitted, mut driver_warnings) = (Vec::new(), Vec::new());
    let (factor, (drivers, ipa, priorities), weight_groups) = std::thread::scope(|s| {
        let fa = s.spawn(|| {
            let _t = Span::new("  factor (own thread)");
            let (fo, fw) = (&mut factor_omitted, &mut factor_warnings);
            factor::factor_analysis(survey, &fa_items, &fa_codes, opts, fo, fw)
        });
        let main_span = Span::new("  drivers_weights");
        let (outcome, outcome_y) = drivers::outcome(&cx);
        let mut sets = drivers::moment_sets(&cx);
        sets.extend(weight_groups::moment_sets(&cx));
        let moments = context::MomentsTable::new(&cx, &sets, &outcome_y);
        let (dw, dom) = (&mut driver_warnings, &mut driver_omitted);
        let d = drivers::drivers(&cx, &moments, (outcome, &outcome_y), &opts.improve, dw, dom);
        let wg = weight_groups::weight_groups(&cx, &moments, &outcome_y);
        drop(main_span);
        let f = fa.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (f, d, wg)
    });
    omitted.append(&mut factor_omitted);
    warnings.append(&mut factor_warnings);
    omitted.append(&mut driver_omitted);
    warnings.append(&mut driver_warnings);
    timer.mark("factor_drivers_weights");
    let gaps = gaps::gaps(&cx);
    let segments = (opts.improve.by.iter())
        .map(|by| segments::segments(&cx, by, &mut warnings))
        .collect::<Result<Vec<_>>>()?;
    let nps = headline::nps(&cx);
    let headline = headline::headline(&cx, &items, &choices, opts.improve.csat_top);
    timer.mark("gaps_segments_nps");
    let fuzzy = fuzzy::fuzzy_evaluation(&cx, opts.improve.fuzzy_operator);
    timer.mark("fuzzy");

    Ok(Results {
        schema_version: SCHEMA_VERSION.to_string(),
        satkit_version: env!("CARGO_PKG_VERSION").to_string(),
        survey: SurveyInfo::of(survey),
        input: opts.input.clone(),
        missing_policy: MissingPolicies {
            correlation: opts.missing,
            reliability: opts.missing,
            factor: opts.factor_missing,
            index: "available".into(),
        },
        sample,
        items,
        choices,
        index: idx.result,
        reliability,
        correlation,
        factor,
        drivers,
        ipa,
        priorities,
        gaps,
        segments,
        nps,
        headline: Some(headline),
        weights: weight_groups,
        fuzzy,
        warnings,
        omitted,
    })
}

impl SurveyInfo {
    /// The survey section: id, title, language, version and fieldwork dates.
    pub fn of(survey: &Survey) -> SurveyInfo {
        SurveyInfo {
            id: survey.meta.id.clone(),
            title: survey.meta.title.clone(),
            language: survey.meta.language,
            version: survey.meta.version.clone(),
            field_start: survey.plan.as_ref().and_then(|p| p.field_start.clone()),
            field_end: survey.plan.as_ref().and_then(|p| p.field_end.clone()),
        }
    }
}
