//! The trend charts of a comparison: one chart per top-level node (the root and its children),
//! written as trend_<node>.svg and its PNG twin with three or more waves.
//!
//! Design: each [`Trend`] of the report becomes a plain series for the report layer's
//! [`trend_chart`], whose SVG and PNG bytes are written here; the file names go to `charts`.

use std::path::Path;

use super::types::{CompareReport, Trend};
use crate::error::Result;
use crate::model::Language;
use crate::names::file_stem;
use crate::output::write_atomic;
use crate::report::trend_chart::{TrendSeries, trend_chart};

fn series<'a>(report: &'a CompareReport, t: &'a Trend) -> TrendSeries<'a> {
    TrendSeries {
        chart_id: format!("trend_{}", file_stem(&t.id)),
        node_id: &t.id,
        node_name: &t.name,
        survey: &report.survey,
        waves: report.waves.iter().map(|w| w.label.as_str()).collect(),
        scores: &t.scores,
        ci_low: &t.ci_low,
        ci_high: &t.ci_high,
    }
}

/// True for the names a compare output directory holds: compare.json and the trend charts.
pub fn is_compare_output(name: &str) -> bool {
    name == "compare.json"
        || (name.starts_with("trend_") && (name.ends_with(".svg") || name.ends_with(".png")))
}

/// With three or more waves, writes the trend charts of the root and its children to `dir` (a
/// staging directory, see [`crate::output::OutputDir`]) in `language` and lists their file
/// names in `report.charts`.
///
/// # Errors
/// When drawing fails, or a file cannot be written.
pub fn write_trend_charts(
    report: &mut CompareReport,
    dir: &Path,
    language: Language,
) -> Result<()> {
    if report.waves.len() <= 2 {
        return Ok(());
    }
    let mut written = Vec::new();
    for t in report.trends.iter().filter(|t| t.depth <= 1) {
        let s = series(report, t);
        let (svg, png) = (format!("{}.svg", s.chart_id), format!("{}.png", s.chart_id));
        let chart = trend_chart(&s, language)?;
        write_atomic(&dir.join(&svg), chart.svg.as_bytes())?;
        write_atomic(&dir.join(&png), &chart.png)?;
        written.push(svg);
        written.push(png);
    }
    report.charts.extend(written);
    Ok(())
}
