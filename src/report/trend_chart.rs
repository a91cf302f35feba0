//! The trend chart of one indicator over survey waves: score per wave with its 95% interval.
//!
//! Design: [`trend_chart`] lays the chart out once as a charts [`Scene`] from plain series data
//! (this layer knows nothing of the comparison report), and [`render_scene`] draws it to SVG and
//! to a 2× PNG with the embedded CJK font, like every other chart. Texts come in Chinese or
//! English after the survey's language; nothing depends on time or the system.

use plotters::style::text_anchor::{HPos, VPos};

use super::charts::{
    AXIS, Chart, GRID, INK, LABEL, MUTED, PAD, SMALL, Scene, fit, fmt1, render_scene, score_color,
};
use super::texts::fill;
use crate::error::Result;
use crate::model::Language;

/// One node's scores over the waves, oldest first (`None` where a wave has no score).
pub(crate) struct TrendSeries<'a> {
    /// Chart id (file stem), e.g. "trend_service".
    pub(crate) chart_id: String,
    pub(crate) node_id: &'a str,
    pub(crate) node_name: &'a str,
    pub(crate) survey: &'a str,
    /// One label per wave, the x axis.
    pub(crate) waves: Vec<&'a str>,
    pub(crate) scores: &'a [Option<f64>],
    pub(crate) ci_low: &'a [Option<f64>],
    pub(crate) ci_high: &'a [Option<f64>],
}

struct TrendWords {
    /// The survey id fills the slot.
    subtitle: &'static str,
}

const EN: TrendWords = TrendWords {
    subtitle: "Score (0–100) with its 95% CI per wave; survey {}",
};

const ZH: TrendWords = TrendWords {
    subtitle: "各期得分（0–100）及 95% 置信区间；调查 {}",
};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 360.0;
/// The plotting area.
const X0: f64 = 72.0;
const X1: f64 = WIDTH - 72.0;
const Y0: f64 = 68.0;
const Y1: f64 = HEIGHT - 40.0;
const LINE: plotters::style::RGBColor = plotters::style::RGBColor(0x45, 0x75, 0xb4);

/// The value axis: whole tens around every finite score and interval end, within 0–100.
fn value_range(s: &TrendSeries) -> (f64, f64) {
    let values = s.scores.iter().chain(s.ci_low).chain(s.ci_high);
    let values: Vec<f64> = values
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
    (lo.max(0.0), hi.min(100.0).max(lo.max(0.0) + 10.0))
}

/// Lays out the trend chart of `s` and draws it (SVG and PNG).
///
/// # Errors
/// When a backend or the PNG encoder fails.
pub(crate) fn trend_chart(s: &TrendSeries, language: Language) -> Result<Chart> {
    let words = match language {
        Language::Zh => &ZH,
        Language::En => &EN,
    };
    let mut sc = Scene::new(format!("{} {}", s.node_id, s.node_name), WIDTH);
    sc.height = HEIGHT;
    let subtitle = fit(&fill(words.subtitle, &[s.survey]), SMALL, WIDTH - 2.0 * PAD);
    sc.text(PAD, 40.0, subtitle, SMALL, MUTED, HPos::Left, VPos::Top);
    let (lo, hi) = value_range(s);
    let y = |v: f64| Y1 - (v - lo) / (hi - lo) * (Y1 - Y0);
    let k = s.scores.len();
    let x = |i: usize| {
        if k <= 1 {
            (X0 + X1) / 2.0
        } else {
            X0 + (X1 - X0) * i as f64 / (k - 1) as f64
        }
    };
    let step = if hi - lo > 40.0 { 10.0 } else { 5.0 };
    let ticks = (0..).map(|i| lo + step * f64::from(i));
    for tick in ticks.take_while(|t| *t <= hi + 1e-9) {
        sc.line(X0, y(tick), X1, y(tick), GRID, 1.0);
        let label = format!("{tick:.0}");
        sc.text(
            X0 - 8.0,
            y(tick),
            label,
            SMALL,
            MUTED,
            HPos::Right,
            VPos::Center,
        );
    }
    sc.line(X0, Y1, X1, Y1, AXIS, 1.0);
    let slot = if k <= 1 {
        X1 - X0
    } else {
        (X1 - X0) / (k - 1) as f64
    };
    for (i, label) in s.waves.iter().enumerate() {
        let label = fit(label, LABEL, slot.max(48.0));
        sc.text(x(i), Y1 + 10.0, label, LABEL, INK, HPos::Center, VPos::Top);
    }
    // Intervals, then the line, then the points on top.
    for i in 0..k {
        let ends = s
            .ci_low
            .get(i)
            .copied()
            .flatten()
            .zip(s.ci_high.get(i).copied().flatten());
        if let Some((a, b)) = ends.filter(|(a, b)| a.is_finite() && b.is_finite()) {
            sc.line(x(i), y(a), x(i), y(b), MUTED, 1.0);
            for v in [a, b] {
                sc.line(x(i) - 4.0, y(v), x(i) + 4.0, y(v), MUTED, 1.0);
            }
        }
    }
    let finite = |i: usize| s.scores[i].filter(|v| v.is_finite());
    let points: Vec<(f64, f64)> = (0..k)
        .filter_map(|i| finite(i).map(|v| (x(i), y(v))))
        .collect();
    sc.polyline(points, LINE, 2.0);
    for i in 0..k {
        if let Some(v) = finite(i) {
            sc.circle(x(i), y(v), 5.0, Some(score_color(v)), Some((INK, 1.0)));
            let (tx, ty) = (x(i) + 8.0, y(v) - 6.0);
            sc.text(tx, ty, fmt1(v), SMALL, INK, HPos::Left, VPos::Bottom);
        }
    }
    render_scene(s.chart_id.clone(), "trend", sc)
}
