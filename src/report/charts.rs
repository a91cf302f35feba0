//! Charts of a results document, drawn with plotters as SVG (text) and PNG (bytes).
//!
//! Design: every chart is first laid out as a [`Scene`], a list of shapes in logical pixels,
//! by a pure function of the `Results`. The scene is then drawn twice by the same code: on an
//! SVG backend at 1× and on a bitmap backend at 2× (for sharp PNGs), which is encoded with the
//! `png` crate plotters already uses. Nothing depends on time, hashing order or the system, so
//! the same `Results` always give the same bytes.
//!
//! Text is measured and rasterised with WenQuanYi Micro Hei, embedded in the binary and
//! registered with plotters once, so Chinese labels render in PNG without system fonts. The SVG
//! names a CJK-capable font-family list ([`CJK_FONT_STACK`]) so the viewer picks a local font;
//! plotters escapes all text and attribute values it writes.
//!
//! Colours come from one diverging good→bad palette ([`score_color`]) for scores, answer
//! categories and reliability, and one blue–white–red scale ([`heat_color`]) for every heatmap.

use std::sync::{Once, OnceLock};

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, register_font};

use super::markup::{CJK_FONT_STACK, html_escape};
use crate::analysis::{IpaPoint, ItemResult, Quadrant, Results};
use crate::error::{Error, Result};
use crate::model::Language;
use crate::names::file_stem;
use crate::numbers::fixed as fmt_fixed;

/// One rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem, e.g. "index_tree" or "likert_agree5".
    pub id: String,
    pub title: String,
    /// Report section: "tree", "priorities", "items", "gaps", "segments" or "quality".
    pub section: &'static str,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Renders every chart whose data exists in `results`, in report order.
///
/// # Errors
/// When a backend fails to draw or the PNG encoder fails (reported as an I/O error on the
/// chart's file name).
///
/// # Examples
/// ```no_run
/// # fn demo(results: &satkit::analysis::Results) -> satkit::Result<()> {
/// for chart in satkit::report::charts::render_all(results)? {
///     std::fs::write(format!("{}.svg", chart.id), &chart.svg).ok();
/// }
/// # Ok(()) }
/// ```
pub fn render_all(results: &Results) -> Result<Vec<Chart>> {
    let w = words(results.survey.language);
    let mut scenes: Vec<(String, &'static str, Scene)> = Vec::new();
    let mut add = |id: String, section, scene: Option<Scene>| {
        if let Some(s) = scene {
            scenes.push((id, section, s));
        }
    };
    add("index_tree".into(), "tree", index_tree(results, w));
    if let Some(ipa) = &results.ipa {
        for level in &ipa.levels {
            add(
                format!("ipa_{}", file_stem(level.level.as_str())),
                "priorities",
                ipa_chart(results, level, w),
            );
        }
    }
    for (scale, items) in rating_scales(results) {
        add(
            format!("likert_{}", file_stem(&scale)),
            "items",
            likert(&scale, &items, w),
        );
    }
    if let Some(gaps) = &results.gaps {
        add("gaps".into(), "gaps", gaps_overview(results, gaps, w));
        for d in &gaps.dimensions {
            add(
                format!("gaps_{}", file_stem(&d.id)),
                "gaps",
                gaps_dimension(results, gaps, d, w),
            );
        }
    }
    for seg in &results.segments {
        add(
            format!("segments_{}", file_stem(&seg.by)),
            "segments",
            segments(results, seg, w),
        );
    }
    add("alpha".into(), "quality", alpha(results, w));
    if let Some(f) = &results.factor {
        add("scree".into(), "quality", scree(f, w));
        add("loadings".into(), "quality", loadings(f, w));
    }
    add("correlation".into(), "quality", correlation(results, w));

    register_fonts();
    scenes
        .into_iter()
        .map(|(id, section, scene)| {
            let svg = draw_svg(&scene).map_err(|e| draw_error(&id, "svg", e))?;
            let png = draw_png(&scene).map_err(|e| draw_error(&id, "png", e))?;
            Ok(Chart {
                id,
                title: scene.title,
                section,
                svg,
                png,
            })
        })
        .collect()
}

/// Draws one scene laid out elsewhere (e.g. the trend charts of `compare`) as a [`Chart`].
pub(crate) fn render_scene(id: String, section: &'static str, scene: Scene) -> Result<Chart> {
    register_fonts();
    let svg = draw_svg(&scene).map_err(|e| draw_error(&id, "svg", e))?;
    let png = draw_png(&scene).map_err(|e| draw_error(&id, "png", e))?;
    Ok(Chart {
        id,
        title: scene.title,
        section,
        svg,
        png,
    })
}

fn draw_error(id: &str, ext: &str, message: String) -> Error {
    Error::io(
        format!("{id}.{ext}"),
        std::io::Error::other(format!("drawing the chart failed: {message}")),
    )
}

// ---- Fonts ---------------------------------------------------------------------------------

/// WenQuanYi Micro Hei (Apache-2.0 or GPLv3 with font exception; see fonts/LICENSE-wqy-microhei.txt).
static FONT: &[u8] = include_bytes!("fonts/wqy-microhei.ttc");
static REGISTER: Once = Once::new();

/// Registers the embedded font with plotters as "sans-serif" and under the CJK family list the
/// SVG names, so any plotters text in that family is measured with it.
fn register_fonts() {
    REGISTER.call_once(|| {
        // The embedded file is a valid font; were it not, `face()` reports it when drawing.
        let _ = register_font("sans-serif", FontStyle::Normal, FONT);
        let _ = register_font(CJK_FONT_STACK, FontStyle::Normal, FONT);
    });
}

/// The SVG text style: the CJK family list, at plotters' `size`.
fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(CJK_FONT_STACK), size, style)
}

/// The embedded face, parsed once. PNG text is rasterised from it directly with ab_glyph:
/// plotters 0.3.7 places each glyph without its left side bearing, which spaces Latin letters
/// unevenly ("Expectati on").
fn face() -> Option<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(FONT).ok())
        .as_ref()
}

/// plotters' convention, which its SVG backend writes: the CSS font-size is `size / 1.24`.
fn em(size: f64) -> f64 {
    size / 1.24
}

/// The ab_glyph scale whose em square is `em` pixels (ab_glyph scales by ascent − descent).
fn px_scale(font: &FontRef<'static>, em: f64) -> PxScale {
    let upem = font.units_per_em().unwrap_or(1000.0);
    PxScale::from(em as f32 * (font.ascent_unscaled() - font.descent_unscaled()) / upem)
}

/// Pen positions of each glyph of `text` and the total advance, at em size `em`.
fn layout(font: &FontRef<'static>, text: &str, em: f64) -> (Vec<(GlyphId, f32)>, f32) {
    let sf = font.as_scaled(px_scale(font, em));
    let mut x = 0f32;
    let mut prev: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            x += sf.kern(p, id);
        }
        glyphs.push((id, x));
        x += sf.h_advance(id);
        prev = Some(id);
    }
    (glyphs, x)
}

/// Width of `text` in logical pixels at `size`.
fn text_width(text: &str, size: f64) -> f64 {
    face().map_or(0.0, |f| f64::from(layout(f, text, em(size)).1))
}

/// `text` shortened with an ellipsis to fit `max` logical pixels.
pub(crate) fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        let s: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&s, size) <= max {
            return s;
        }
    }
    "…".into()
}

// ---- Palette -------------------------------------------------------------------------------

/// The one diverging good→bad palette (ColorBrewer RdYlGn), on 0 (bad) … 100 (good).
const SCORE_STOPS: [(f64, RGBColor); 5] = [
    (0.0, RGBColor(0xd7, 0x30, 0x27)),
    (25.0, RGBColor(0xfc, 0x8d, 0x59)),
    (50.0, RGBColor(0xfe, 0xe0, 0x8b)),
    (75.0, RGBColor(0x91, 0xcf, 0x60)),
    (100.0, RGBColor(0x1a, 0x98, 0x50)),
];
/// Heatmaps: −1 blue, 0 white, +1 red.
const HEAT_STOPS: [(f64, RGBColor); 3] = [
    (-1.0, RGBColor(0x45, 0x75, 0xb4)),
    (0.0, RGBColor(0xf7, 0xf7, 0xf7)),
    (1.0, RGBColor(0xd7, 0x30, 0x27)),
];
/// The neutral answer category.
const NEUTRAL: RGBColor = RGBColor(0xbd, 0xbd, 0xbd);
/// Groups in segment comparisons are categories, not scores: a qualitative set without the
/// palette's red and green, so no group looks good or bad by colour.
const GROUP_COLORS: [RGBColor; 8] = [
    RGBColor(0x45, 0x75, 0xb4),
    RGBColor(0x80, 0x73, 0xac),
    RGBColor(0x35, 0x97, 0x8f),
    RGBColor(0xb3, 0x58, 0x06),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xc5, 0x1b, 0x7d),
    RGBColor(0x2d, 0x00, 0x4b),
    RGBColor(0x8c, 0x6d, 0x31),
];
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(crate) const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
pub(crate) const AXIS: RGBColor = RGBColor(0x99, 0x99, 0x99);
const HIGHLIGHT: RGBColor = RGBColor(0xf1, 0xf1, 0xf1);
const MISSING: RGBColor = RGBColor(0xee, 0xee, 0xee);

fn interpolate(stops: &[(f64, RGBColor)], v: f64) -> RGBColor {
    let v = if v.is_finite() { v } else { stops[0].0 };
    let v = v.clamp(stops[0].0, stops[stops.len() - 1].0);
    for pair in stops.windows(2) {
        let ((a, ca), (b, cb)) = (pair[0], pair[1]);
        if v <= b {
            let t = if b > a { (v - a) / (b - a) } else { 0.0 };
            let mix =
                |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
            return RGBColor(mix(ca.0, cb.0), mix(ca.1, cb.1), mix(ca.2, cb.2));
        }
    }
    stops[stops.len() - 1].1
}

/// Colour of a 0–100 score (red bad, amber middle, green good).
pub fn score_color(score: f64) -> RGBColor {
    interpolate(&SCORE_STOPS, score)
}

/// Colour of a correlation or loading in −1…1.
pub fn heat_color(v: f64) -> RGBColor {
    interpolate(&HEAT_STOPS, v)
}

/// Colour of answer code `code` on a `min..=max` scale: negative categories in red shades,
/// the middle of an odd scale grey, positive categories in green shades.
fn category_color(code: i64, min: i64, max: i64) -> RGBColor {
    let (Some(d), Some(off)) = (max.checked_sub(min), code.checked_sub(min)) else {
        return NEUTRAL;
    };
    let span = d as f64;
    if span <= 0.0 {
        return NEUTRAL;
    }
    if d % 2 == 0 && off == d / 2 {
        return NEUTRAL;
    }
    score_color(off as f64 / span * 100.0)
}

/// `c` mixed with white (`t` = share of the colour).
fn tint(c: RGBColor, t: f64) -> RGBColor {
    let m = |x: u8| (255.0 - (255.0 - f64::from(x)) * t).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Darker shade for text on white.
fn shade(c: RGBColor, t: f64) -> RGBColor {
    let m = |x: u8| (f64::from(x) * t).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Ink that reads on a background of colour `bg`.
fn ink_on(bg: RGBColor) -> RGBColor {
    let l = 0.299 * f64::from(bg.0) + 0.587 * f64::from(bg.1) + 0.114 * f64::from(bg.2);
    if l < 140.0 { WHITE } else { INK }
}

// ---- Numbers -------------------------------------------------------------------------------

pub(crate) fn fmt1(v: f64) -> String {
    fmt_fixed(v, 1)
}

fn fmt2(v: f64) -> String {
    fmt_fixed(v, 2)
}

fn pct(share: f64) -> String {
    format!("{}%", fmt_fixed(share * 100.0, 0))
}

/// About `target` round tick values covering `lo..=hi`.
fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// `hi` rounded up to a step of the tick grid.
fn nice_ceil(hi: f64) -> f64 {
    if hi <= 0.0 || !hi.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(hi.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|v| *v >= hi - 1e-12)
        .unwrap_or(10.0 * mag)
}

/// Linear map from data to pixels.
#[derive(Clone, Copy)]
struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        Scale { d0, d1, r0, r1 }
    }
    fn at(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

// ---- Scenes --------------------------------------------------------------------------------

pub(crate) const PAD: f64 = 16.0;
const TITLE: f64 = 16.0;
pub(crate) const LABEL: f64 = 12.0;
pub(crate) const SMALL: f64 = 10.5;
/// Top of the plotting area below the title.
const TOP: f64 = 48.0;

#[derive(Clone)]
enum Shape {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<RGBColor>,
        stroke: Option<(RGBColor, f64)>,
    },
    Path {
        points: Vec<(f64, f64)>,
        color: RGBColor,
        width: f64,
    },
    Circle {
        x: f64,
        y: f64,
        r: f64,
        fill: Option<RGBColor>,
        stroke: Option<(RGBColor, f64)>,
    },
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
        bold: bool,
        vertical: bool,
    },
}

/// A chart laid out in logical pixels.
pub(crate) struct Scene {
    title: String,
    width: f64,
    pub(crate) height: f64,
    shapes: Vec<Shape>,
}

impl Scene {
    pub(crate) fn new(title: impl Into<String>, width: f64) -> Self {
        let title = title.into();
        let mut s = Scene {
            title: title.clone(),
            width,
            height: 0.0,
            shapes: Vec::new(),
        };
        let t = fit(&title, TITLE, width - 2.0 * PAD);
        s.text_styled(PAD, PAD, t, TITLE, INK, HPos::Left, VPos::Top, true);
        s
    }
    fn fill(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, c: RGBColor) {
        self.shapes.push(Shape::Rect {
            x0,
            y0,
            x1,
            y1,
            fill: Some(c),
            stroke: None,
        });
    }
    fn frame(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, c: RGBColor, w: f64) {
        self.shapes.push(Shape::Rect {
            x0,
            y0,
            x1,
            y1,
            fill: None,
            stroke: Some((c, w)),
        });
    }
    pub(crate) fn line(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, width: f64) {
        self.shapes.push(Shape::Path {
            points: vec![(x0, y0), (x1, y1)],
            color,
            width,
        });
    }
    pub(crate) fn polyline(&mut self, points: Vec<(f64, f64)>, color: RGBColor, width: f64) {
        self.shapes.push(Shape::Path {
            points,
            color,
            width,
        });
    }
    fn dashed(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, width: f64) {
        let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        if len.is_nan() || len > COORD_LIMIT {
            // Off any canvas (a value out of all proportion): one plain line, not a billion dashes.
            self.line(x0, y0, x1, y1, color, width);
            return;
        }
        let (dash, gap) = (6.0, 4.0);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            let p = |u: f64| (x0 + (x1 - x0) * u / len, y0 + (y1 - y0) * u / len);
            let (a, b) = (p(t), p(e));
            self.line(a.0, a.1, b.0, b.1, color, width);
            t += dash + gap;
        }
    }
    pub(crate) fn circle(
        &mut self,
        x: f64,
        y: f64,
        r: f64,
        fill: Option<RGBColor>,
        stroke: Option<(RGBColor, f64)>,
    ) {
        self.shapes.push(Shape::Circle {
            x,
            y,
            r,
            fill,
            stroke,
        });
    }
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) {
        self.text_styled(x, y, text, size, color, h, v, false);
    }
    #[allow(clippy::too_many_arguments)]
    fn text_styled(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
        bold: bool,
    ) {
        self.shapes.push(Shape::Text {
            x,
            y,
            text: text.into(),
            size,
            color,
            h,
            v,
            bold,
            vertical: false,
        });
    }
    /// Text read bottom to top, centred on (x, y).
    fn text_vertical(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        size: f64,
        color: RGBColor,
        h: HPos,
    ) {
        self.shapes.push(Shape::Text {
            x,
            y,
            text: text.into(),
            size,
            color,
            h,
            v: VPos::Center,
            bold: false,
            vertical: true,
        });
    }
    /// A legend row of colour swatches from (x, y); wraps at `max_x`. Returns the bottom.
    fn legend(&mut self, x: f64, y: f64, max_x: f64, entries: &[(RGBColor, String)]) -> f64 {
        let (mut cx, mut cy) = (x, y);
        for (c, label) in entries {
            let w = 14.0 + 5.0 + text_width(label, SMALL) + 14.0;
            if cx + w > max_x && cx > x {
                cx = x;
                cy += 18.0;
            }
            self.fill(cx, cy, cx + 14.0, cy + 12.0, *c);
            self.text(
                cx + 19.0,
                cy + 6.0,
                label.clone(),
                SMALL,
                INK,
                HPos::Left,
                VPos::Center,
            );
            cx += w;
        }
        cy + 12.0
    }
    /// A horizontal colour bar for a heat scale at (x, y), `w` wide.
    fn heat_legend(&mut self, x: f64, y: f64, w: f64) {
        let steps = 60;
        for i in 0..steps {
            let v = -1.0 + 2.0 * (i as f64 + 0.5) / steps as f64;
            let x0 = x + w * i as f64 / steps as f64;
            self.fill(x0, y, x0 + w / steps as f64 + 0.5, y + 10.0, heat_color(v));
        }
        self.frame(x, y, x + w, y + 10.0, AXIS, 1.0);
        for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
            let tx = x + (v + 1.0) / 2.0 * w;
            self.line(tx, y + 10.0, tx, y + 13.0, AXIS, 1.0);
            self.text(tx, y + 15.0, fmt1(v), SMALL, MUTED, HPos::Center, VPos::Top);
        }
    }
}

fn style(c: RGBColor, filled: bool, width: u32) -> ShapeStyle {
    ShapeStyle {
        color: c.to_rgba(),
        filled,
        stroke_width: width,
    }
}

/// How text reaches the backend.
#[derive(Clone, Copy, PartialEq)]
enum TextMode {
    /// As `<text>` elements with the CJK font-family list (the viewer supplies the font).
    Svg,
    /// Rasterised here from the embedded font.
    Raster,
}

/// Draws `scene` at scale `s`.
/// The farthest a device coordinate may lie off the canvas: values from a document can place a
/// shape anywhere, and the drawing code must not overflow or walk a line of a billion pixels.
const COORD_LIMIT: f64 = 1_000_000.0;

/// A logical coordinate rounded to a device pixel within ±[`COORD_LIMIT`] (NaN to 0).
fn device(v: f64) -> i32 {
    if v.is_nan() {
        0
    } else {
        v.clamp(-COORD_LIMIT, COORD_LIMIT).round() as i32
    }
}

/// The most pixels a PNG chart may have (about 100 megapixels, 300 MB of RGB).
const MAX_PNG_PIXELS: u64 = 100_000_000;

fn render<DB: DrawingBackend>(
    scene: &Scene,
    root: &DrawingArea<DB, Shift>,
    s: f64,
    mode: TextMode,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let p = |x: f64, y: f64| (device(x * s), device(y * s));
    let px = |w: f64| ((w * s).round() as u32).max(1);
    root.fill(&WHITE).map_err(err)?;
    for shape in &scene.shapes {
        match shape {
            Shape::Rect {
                x0,
                y0,
                x1,
                y1,
                fill,
                stroke,
            } => {
                let (a, b) = (p(*x0, *y0), p(*x1, *y1));
                if let Some(c) = fill {
                    root.draw(&Rectangle::new([a, b], style(*c, true, 0)))
                        .map_err(err)?;
                }
                if let Some((c, w)) = stroke {
                    root.draw(&Rectangle::new([a, b], style(*c, false, px(*w))))
                        .map_err(err)?;
                }
            }
            Shape::Path {
                points,
                color,
                width,
            } => {
                let pts: Vec<(i32, i32)> = points.iter().map(|(x, y)| p(*x, *y)).collect();
                root.draw(&PathElement::new(pts, style(*color, false, px(*width))))
                    .map_err(err)?;
            }
            Shape::Circle {
                x,
                y,
                r,
                fill,
                stroke,
            } => {
                let r = px(*r);
                if let Some(c) = fill {
                    root.draw(&Circle::new(p(*x, *y), r, style(*c, true, 0)))
                        .map_err(err)?;
                }
                if let Some((c, w)) = stroke {
                    root.draw(&Circle::new(p(*x, *y), r, style(*c, false, px(*w))))
                        .map_err(err)?;
                }
            }
            Shape::Text {
                x,
                y,
                text,
                size,
                color,
                h,
                v,
                bold,
                vertical,
            } => match mode {
                TextMode::Svg => {
                    let mut f = font(size * s, *bold);
                    if *vertical {
                        f = f.transform(FontTransform::Rotate270);
                    }
                    let st = TextStyle::from(f).color(color).pos(Pos::new(*h, *v));
                    root.draw_text(text, &st, p(*x, *y)).map_err(err)?;
                }
                TextMode::Raster => {
                    let face = face().ok_or("the embedded font could not be read")?;
                    let t = RasterText {
                        text,
                        x: x * s,
                        y: y * s,
                        em: em(size * s),
                        color: *color,
                        h: *h,
                        v: *v,
                        bold: *bold,
                        vertical: *vertical,
                    };
                    raster_text(root, face, &t).map_err(err)?;
                }
            },
        }
    }
    root.present().map_err(err)
}

struct RasterText<'a> {
    text: &'a str,
    /// Anchor in device pixels.
    x: f64,
    y: f64,
    em: f64,
    color: RGBColor,
    h: HPos,
    v: VPos,
    bold: bool,
    vertical: bool,
}

/// Where the baseline sits below the anchor, in em, for each vertical anchor: chosen so CJK and
/// Latin text look centred, close to where SVG viewers put plotters' `dy`.
fn baseline_offset(v: VPos) -> f64 {
    match v {
        VPos::Top => 0.80,
        VPos::Center => 0.34,
        VPos::Bottom => -0.20,
    }
}

/// Rasterises `t` with ab_glyph (side bearings, kerning and anti-aliasing included) by blending
/// pixels into the bitmap. Bold is drawn twice, one device pixel apart (the face has no bold).
fn raster_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    font: &FontRef<'static>,
    t: &RasterText,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let scale = px_scale(font, t.em);
    let (glyphs, width) = layout(font, t.text, t.em);
    let x0 = match t.h {
        HPos::Left => 0.0,
        HPos::Center => -f64::from(width) / 2.0,
        HPos::Right => -f64::from(width),
    };
    let base = baseline_offset(t.v) * t.em;
    let passes: &[i32] = if t.bold { &[0, 1] } else { &[0] };
    for (id, gx) in glyphs {
        let glyph = id.with_scale_and_position(scale, point((x0 as f32) + gx, base as f32));
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        let mut pixels = Vec::new();
        outline.draw(|px, py, c| {
            if c > 0.0 {
                pixels.push((b.min.x as i32 + px as i32, b.min.y as i32 + py as i32, c));
            }
        });
        for (lx, ly, c) in pixels {
            for dx in passes {
                // Text-local (x right along the baseline, y down) to device pixels.
                let (dx_, dy_) = if t.vertical {
                    (ly, -(lx + dx))
                } else {
                    (lx + dx, ly)
                };
                let pos = (
                    device(t.x).saturating_add(dx_),
                    device(t.y).saturating_add(dy_),
                );
                root.draw_pixel(pos, &t.color.mix(f64::from(c.min(1.0))))?;
            }
        }
    }
    Ok(())
}

fn draw_svg(scene: &Scene) -> std::result::Result<String, String> {
    let size = (
        device(scene.width.ceil()).max(0) as u32,
        device(scene.height.ceil()).max(0) as u32,
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        render(scene, &root, 1.0, TextMode::Svg)?;
    }
    // An accessible name: <title> as the first child of <svg>.
    if let Some(end) = svg.find('>') {
        svg.insert_str(
            end + 1,
            &format!("\n<title>{}</title>", html_escape(&scene.title)),
        );
    }
    Ok(svg)
}

/// PNGs are drawn at twice the logical size.
const PNG_SCALE: f64 = 2.0;

fn draw_png(scene: &Scene) -> std::result::Result<Vec<u8>, String> {
    let (w, h) = (
        device((scene.width * PNG_SCALE).ceil()).max(0) as u32,
        device((scene.height * PNG_SCALE).ceil()).max(0) as u32,
    );
    if u64::from(w) * u64::from(h) > MAX_PNG_PIXELS {
        return Err(format!(
            "the chart would be {w}×{h} pixels; a chart has at most {MAX_PNG_PIXELS} pixels"
        ));
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        render(scene, &root, PNG_SCALE, TextMode::Raster)?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

// ---- Words ---------------------------------------------------------------------------------

struct Words {
    tree_title: &'static str,
    score_axis: &'static str,
    ipa_title: &'static str,
    level_dimension: &'static str,
    level_indicator: &'static str,
    q_concentrate: &'static str,
    q_keep_up: &'static str,
    q_low_priority: &'static str,
    q_overkill: &'static str,
    performance_axis: &'static str,
    importance_axis: &'static str,
    likert_title: &'static str,
    top2: &'static str,
    reverse: &'static str,
    gaps_title: &'static str,
    gaps_dimension_title: &'static str,
    expectation: &'static str,
    perception: &'static str,
    gap: &'static str,
    mean_axis: &'static str,
    segments_title: &'static str,
    index: &'static str,
    significant: &'static str,
    alpha_title: &'static str,
    acceptable: &'static str,
    scree_title: &'static str,
    eigenvalue: &'static str,
    factor: &'static str,
    kaiser: &'static str,
    loadings_title: &'static str,
    correlation_title: &'static str,
}

const EN: Words = Words {
    tree_title: "Satisfaction index by indicator (0–100, 95% CI)",
    score_axis: "Score (0–100)",
    ipa_title: "Importance–performance analysis: {}",
    level_dimension: "dimensions",
    level_indicator: "indicators",
    q_concentrate: "Concentrate here",
    q_keep_up: "Keep up the good work",
    q_low_priority: "Low priority",
    q_overkill: "Possible overkill",
    performance_axis: "Performance (score 0–100)",
    importance_axis: "Importance (%)",
    likert_title: "Answers on scale {}",
    top2: "Top-2",
    reverse: " (R)",
    gaps_title: "Expectations and perceptions by dimension (gap = P − E)",
    gaps_dimension_title: "Expectations and perceptions: {} (gap = P − E)",
    expectation: "Expectation",
    perception: "Perception",
    gap: "Gap",
    mean_axis: "Mean",
    segments_title: "Scores by {} (0–100)",
    index: "Index",
    significant: "* significant difference between groups (p < 0.05)",
    alpha_title: "Reliability: Cronbach's alpha",
    acceptable: "0.70",
    scree_title: "Scree plot: eigenvalues of the correlation matrix",
    eigenvalue: "Eigenvalue",
    factor: "Factor",
    kaiser: "Kaiser criterion (eigenvalue = 1)",
    loadings_title: "Factor loadings ({}, {} rotation)",
    correlation_title: "Pearson correlations",
};

const ZH: Words = Words {
    tree_title: "满意度指数及各指标得分（0–100，95% 置信区间）",
    score_axis: "得分（0–100）",
    ipa_title: "重要性–表现分析（{}）",
    level_dimension: "维度",
    level_indicator: "指标",
    q_concentrate: "重点改进区",
    q_keep_up: "继续保持区",
    q_low_priority: "次要改进区",
    q_overkill: "过度投入区",
    performance_axis: "表现得分（0–100）",
    importance_axis: "重要性（%）",
    likert_title: "各题答案分布：量表 {}",
    top2: "前两档",
    reverse: "（反）",
    gaps_title: "各维度的期望与感知（差距 = 感知 − 期望）",
    gaps_dimension_title: "期望与感知：{}（差距 = 感知 − 期望）",
    expectation: "期望",
    perception: "感知",
    gap: "差距",
    mean_axis: "均值",
    segments_title: "按「{}」分组的得分（0–100）",
    index: "总指数",
    significant: "* 组间差异显著（p < 0.05）",
    alpha_title: "信度：Cronbach's α",
    acceptable: "0.70",
    scree_title: "碎石图：相关矩阵的特征值",
    eigenvalue: "特征值",
    factor: "因子",
    kaiser: "Kaiser 准则（特征值 = 1）",
    loadings_title: "因子载荷（{}，{} 旋转）",
    correlation_title: "Pearson 相关系数",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::Zh => &ZH,
        Language::En => &EN,
    }
}

fn node_name<'a>(results: &'a Results, id: &'a str) -> &'a str {
    results
        .index
        .nodes
        .iter()
        .find(|n| n.id == id)
        .map_or(id, |n| n.name.as_str())
}

/// Gridlines and tick labels of a horizontal value axis below rows.
fn x_axis(
    sc: &mut Scene,
    x: Scale,
    ticks: &[f64],
    y0: f64,
    y1: f64,
    label: impl Fn(f64) -> String,
) {
    for &t in ticks {
        let tx = x.at(t);
        sc.line(tx, y0, tx, y1, GRID, 1.0);
        sc.line(tx, y1, tx, y1 + 4.0, AXIS, 1.0);
        sc.text(
            tx,
            y1 + 6.0,
            label(t),
            SMALL,
            MUTED,
            HPos::Center,
            VPos::Top,
        );
    }
    sc.line(x.r0, y1, x.r1, y1, AXIS, 1.0);
}

// ---- 1. Index tree -------------------------------------------------------------------------

fn index_tree(results: &Results, w: &Words) -> Option<Scene> {
    let nodes: Vec<_> = results
        .index
        .nodes
        .iter()
        .filter(|n| n.score.is_some_and(f64::is_finite))
        .collect();
    if nodes.is_empty() {
        return None;
    }
    const ROW: f64 = 24.0;
    const INDENT: f64 = 16.0;
    const MAX_LABEL: f64 = 320.0;
    let labels: Vec<String> = nodes
        .iter()
        .map(|n| {
            let indent = n.depth.min(64) as f64 * INDENT;
            let text = if n.parent.is_none() {
                n.name.clone()
            } else {
                format!("{} ({})", n.name, fmt2(n.weight))
            };
            fit(&text, LABEL, MAX_LABEL - indent)
        })
        .collect();
    let label_w = nodes
        .iter()
        .zip(&labels)
        .map(|(n, l)| n.depth.min(64) as f64 * INDENT + text_width(l, LABEL))
        .fold(0.0, f64::max);
    let width = 900.0;
    let x0 = PAD + label_w + 14.0;
    let x = Scale::new(0.0, 100.0, x0, width - PAD - 44.0);
    let top = TOP;
    let bottom = top + nodes.len() as f64 * ROW;
    let mut sc = Scene::new(w.tree_title, width);
    for (i, n) in nodes.iter().enumerate() {
        if n.parent.is_none() {
            sc.fill(
                PAD - 4.0,
                top + i as f64 * ROW,
                width - PAD,
                top + (i + 1) as f64 * ROW,
                HIGHLIGHT,
            );
        }
    }
    x_axis(
        &mut sc,
        x,
        &nice_ticks(0.0, 100.0, 5),
        top,
        bottom,
        fmt_fixed_0,
    );
    for (i, (n, label)) in nodes.iter().zip(&labels).enumerate() {
        let cy = top + (i as f64 + 0.5) * ROW;
        let root = n.parent.is_none();
        let score = n.score.unwrap_or(0.0);
        sc.text_styled(
            PAD + n.depth.min(64) as f64 * INDENT,
            cy,
            label.clone(),
            LABEL,
            INK,
            HPos::Left,
            VPos::Center,
            root,
        );
        let half = if root { ROW * 0.36 } else { ROW * 0.28 };
        let c = score_color(score);
        sc.fill(
            x.at(0.0),
            cy - half,
            x.at(score.clamp(0.0, 100.0)),
            cy + half,
            c,
        );
        if root {
            sc.frame(
                x.at(0.0),
                cy - half,
                x.at(score.clamp(0.0, 100.0)),
                cy + half,
                INK,
                1.5,
            );
        }
        let mut end = score;
        if let (Some(lo), Some(hi)) = (n.ci_low, n.ci_high)
            && lo.is_finite()
            && hi.is_finite()
        {
            let (a, b) = (x.at(lo.clamp(0.0, 100.0)), x.at(hi.clamp(0.0, 100.0)));
            sc.line(a, cy, b, cy, INK, 1.2);
            sc.line(a, cy - 5.0, a, cy + 5.0, INK, 1.2);
            sc.line(b, cy - 5.0, b, cy + 5.0, INK, 1.2);
            end = end.max(hi);
        }
        sc.text_styled(
            x.at(end.clamp(0.0, 100.0)) + 5.0,
            cy,
            fmt1(score),
            SMALL,
            INK,
            HPos::Left,
            VPos::Center,
            root,
        );
    }
    sc.text(
        (x.r0 + x.r1) / 2.0,
        bottom + 24.0,
        w.score_axis,
        SMALL,
        MUTED,
        HPos::Center,
        VPos::Top,
    );
    sc.height = bottom + 44.0 + PAD;
    Some(sc)
}

fn fmt_fixed_0(v: f64) -> String {
    fmt_fixed(v, 0)
}

// ---- 2. Importance–performance -------------------------------------------------------------

/// A labelled box on the chart (x0, y0, x1, y1) that later labels must not overlap.
type Taken = (f64, f64, f64, f64);

/// The IPA chart's plot area and scales: performance on x, importance (×100) on y, and the
/// crosshairs at the level's cross values.
struct IpaFrame {
    px0: f64,
    px1: f64,
    py0: f64,
    py1: f64,
    x: Scale,
    y: Scale,
    xt: Vec<f64>,
    ymax: f64,
    cx: f64,
    cy: f64,
}

impl IpaFrame {
    fn new(
        level: &crate::analysis::IpaLevel,
        points: &[&IpaPoint],
        width: f64,
        height: f64,
    ) -> Self {
        let (px0, px1, py0, py1) = (PAD + 58.0, width - PAD - 6.0, TOP + 4.0, height - 58.0);
        let perf_cross = if level.performance_cross.is_finite() {
            level.performance_cross
        } else {
            50.0
        };
        let imp_cross = if level.importance_cross.is_finite() {
            level.importance_cross
        } else {
            0.0
        };
        let (mut lo, mut hi) = points.iter().fold((perf_cross, perf_cross), |(a, b), p| {
            (a.min(p.performance), b.max(p.performance))
        });
        let pad = ((hi - lo) * 0.15).max(2.0);
        lo = (lo - pad).max(0.0);
        hi = (hi + pad).min(100.0);
        let xt = nice_ticks(lo, hi, 6);
        let step = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
        let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        let x = Scale::new(lo, hi, px0, px1);
        let imp_max = points.iter().fold(imp_cross, |a, p| a.max(p.importance)) * 100.0;
        let ymax = nice_ceil(imp_max * 1.15);
        let y = Scale::new(0.0, ymax, py1, py0);
        let (cx, cy) = (x.at(perf_cross), y.at(imp_cross * 100.0));
        IpaFrame {
            px0,
            px1,
            py0,
            py1,
            x,
            y,
            xt,
            ymax,
            cx,
            cy,
        }
    }
}

fn ipa_chart(results: &Results, level: &crate::analysis::IpaLevel, w: &Words) -> Option<Scene> {
    let points: Vec<_> = level
        .points
        .iter()
        .filter(|p| p.importance.is_finite() && p.performance.is_finite())
        .collect();
    if points.is_empty() {
        return None;
    }
    let _ = results;
    let level_name = match level.level {
        crate::analysis::TreeLevel::Dimension => w.level_dimension,
        crate::analysis::TreeLevel::Indicator => w.level_indicator,
    };
    let (width, height) = (780.0, 600.0);
    let mut sc = Scene::new(w.ipa_title.replace("{}", level_name), width);
    let f = IpaFrame::new(level, &points, width, height);
    let taken = ipa_background(&mut sc, &f, w);
    ipa_points(&mut sc, &f, &points, taken);
    sc.height = height;
    Some(sc)
}

/// The tinted quadrants with their names, the ticks, the frame, the crosshairs and the axis
/// titles; returns the boxes the quadrant names take.
fn ipa_background(sc: &mut Scene, f: &IpaFrame, w: &Words) -> Vec<Taken> {
    let IpaFrame {
        px0,
        px1,
        py0,
        py1,
        x,
        y,
        cx,
        cy,
        ymax,
        ..
    } = *f;
    let xt = &f.xt;
    // Quadrants, tinted with the palette: concentrate = bad, keep up = good.
    let quads = [
        (
            px0,
            py0,
            cx,
            cy,
            score_color(0.0),
            w.q_concentrate,
            HPos::Left,
            VPos::Top,
        ),
        (
            cx,
            py0,
            px1,
            cy,
            score_color(100.0),
            w.q_keep_up,
            HPos::Right,
            VPos::Top,
        ),
        (
            px0,
            cy,
            cx,
            py1,
            NEUTRAL,
            w.q_low_priority,
            HPos::Left,
            VPos::Bottom,
        ),
        (
            cx,
            cy,
            px1,
            py1,
            score_color(50.0),
            w.q_overkill,
            HPos::Right,
            VPos::Bottom,
        ),
    ];
    let mut taken: Vec<Taken> = Vec::new();
    for &(a, b, c, d, col, _, _, _) in &quads {
        sc.fill(a, b, c, d, tint(col, 0.14));
    }
    for t in xt {
        let tx = x.at(*t);
        sc.line(tx, py1, tx, py1 + 4.0, AXIS, 1.0);
        sc.text(
            tx,
            py1 + 6.0,
            fmt_fixed_0(*t),
            SMALL,
            MUTED,
            HPos::Center,
            VPos::Top,
        );
    }
    for t in nice_ticks(0.0, ymax, 5) {
        let ty = y.at(t);
        sc.line(px0 - 4.0, ty, px0, ty, AXIS, 1.0);
        let label = if ymax < 5.0 { fmt1(t) } else { fmt_fixed_0(t) };
        sc.text(
            px0 - 6.0,
            ty,
            label,
            SMALL,
            MUTED,
            HPos::Right,
            VPos::Center,
        );
    }
    sc.frame(px0, py0, px1, py1, AXIS, 1.0);
    sc.dashed(cx, py0, cx, py1, MUTED, 1.0);
    sc.dashed(px0, cy, px1, cy, MUTED, 1.0);
    for &(a, b, c, d, col, label, h, v) in &quads {
        let tx = if matches!(h, HPos::Left) {
            a + 6.0
        } else {
            c - 6.0
        };
        let ty = if matches!(v, VPos::Top) {
            b + 6.0
        } else {
            d - 6.0
        };
        let tw = text_width(label, LABEL);
        let ink = if col == NEUTRAL {
            MUTED
        } else {
            shade(col, 0.6)
        };
        sc.text_styled(tx, ty, label, LABEL, ink, h, v, true);
        let bx = if matches!(h, HPos::Left) { tx } else { tx - tw };
        let by = if matches!(v, VPos::Top) {
            ty
        } else {
            ty - 15.0
        };
        taken.push((bx, by, bx + tw, by + 15.0));
    }
    sc.text(
        (px0 + px1) / 2.0,
        py1 + 26.0,
        w.performance_axis,
        SMALL,
        MUTED,
        HPos::Center,
        VPos::Top,
    );
    sc.text_vertical(
        PAD + 6.0,
        (py0 + py1) / 2.0,
        w.importance_axis,
        SMALL,
        MUTED,
        HPos::Center,
    );
    taken
}

/// The points, coloured by quadrant, and their labels, each at the first free place around it.
fn ipa_points(sc: &mut Scene, f: &IpaFrame, points: &[&IpaPoint], mut taken: Vec<Taken>) {
    let IpaFrame {
        px0,
        px1,
        py0,
        py1,
        x,
        y,
        cx,
        cy,
        ..
    } = *f;
    let coords: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (x.at(p.performance), y.at(p.importance * 100.0)))
        .collect();
    for &(ax, ay) in &coords {
        taken.push((ax - 5.0, ay - 5.0, ax + 5.0, ay + 5.0));
    }
    // Keep labels off the crosshairs where there is room.
    taken.push((cx - 1.0, py0, cx + 1.0, py1));
    taken.push((px0, cy - 1.0, px1, cy + 1.0));
    for (p, &(ax, ay)) in points.iter().zip(&coords) {
        let col = match p.quadrant {
            Quadrant::ConcentrateHere => score_color(0.0),
            Quadrant::KeepUp => score_color(100.0),
            Quadrant::PossibleOverkill => shade(score_color(50.0), 0.85),
            Quadrant::LowPriority => shade(NEUTRAL, 0.8),
        };
        sc.circle(ax, ay, 5.0, Some(col), Some((INK, 1.0)));
    }
    // Labels: the first free place around each point, else to its right.
    for (p, &(ax, ay)) in points.iter().zip(&coords) {
        let label = fit(&p.name, SMALL, 200.0);
        let tw = text_width(&label, SMALL);
        let th = 14.0;
        let candidates = [
            (ax + 8.0, ay - th / 2.0, HPos::Left, VPos::Center),
            (ax - 8.0 - tw, ay - th / 2.0, HPos::Right, VPos::Center),
            (ax - tw / 2.0, ay - 8.0 - th, HPos::Center, VPos::Bottom),
            (ax - tw / 2.0, ay + 8.0, HPos::Center, VPos::Top),
            (ax + 6.0, ay - 6.0 - th, HPos::Left, VPos::Bottom),
            (ax + 6.0, ay + 6.0, HPos::Left, VPos::Top),
            (ax - 6.0 - tw, ay - 6.0 - th, HPos::Right, VPos::Bottom),
            (ax - 6.0 - tw, ay + 6.0, HPos::Right, VPos::Top),
        ];
        let free = |b: Taken, taken: &[Taken]| {
            b.0 >= px0 + 2.0
                && b.2 <= px1 - 2.0
                && b.1 >= py0 + 2.0
                && b.3 <= py1 - 2.0
                && taken
                    .iter()
                    .all(|t| b.2 <= t.0 || b.0 >= t.2 || b.3 <= t.1 || b.1 >= t.3)
        };
        let chosen = candidates
            .iter()
            .find(|c| free((c.0, c.1, c.0 + tw, c.1 + th), &taken))
            .copied()
            .unwrap_or(candidates[if ax + 8.0 + tw > px1 { 1 } else { 0 }]);
        let (bx, by, h, v) = chosen;
        taken.push((bx, by, bx + tw, by + th));
        let tx = match h {
            HPos::Left => bx,
            HPos::Right => bx + tw,
            HPos::Center => bx + tw / 2.0,
        };
        let ty = match v {
            VPos::Top => by,
            VPos::Center => by + th / 2.0,
            VPos::Bottom => by + th,
        };
        sc.text(tx, ty, label, SMALL, INK, h, v);
    }
}

// ---- 3. Likert distributions ---------------------------------------------------------------

/// Rating items grouped by scale, in order of first appearance.
fn rating_scales(results: &Results) -> Vec<(String, Vec<&ItemResult>)> {
    let mut groups: Vec<(String, Vec<&ItemResult>)> = Vec::new();
    for item in &results.items {
        let (Some(scale), Some(min), Some(max)) = (&item.scale, item.min, item.max) else {
            continue;
        };
        let span_ok = max
            .checked_sub(min)
            .is_some_and(|d| (1..crate::model::MAX_SCALE_POINTS as i64).contains(&d));
        if item.kind != "rating" || !span_ok || item.frequencies.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(s, _)| s == scale) {
            Some((_, v)) => v.push(item),
            None => groups.push((scale.clone(), vec![item])),
        }
    }
    groups
}

/// Shares of each code `min..=max`, weighted where weights exist, summing to 1.
fn code_shares(item: &ItemResult, min: i64, max: i64) -> Vec<f64> {
    let mut shares: Vec<f64> = (min..=max)
        .map(|code| {
            item.frequencies
                .iter()
                .find(|f| f.code == code)
                .map_or(0.0, |f| f.weighted_share.unwrap_or(f.share))
        })
        .map(|s| if s.is_finite() { s.max(0.0) } else { 0.0 })
        .collect();
    let total: f64 = shares.iter().sum();
    if total > 0.0 {
        shares.iter_mut().for_each(|s| *s /= total);
    }
    shares
}

/// How far left of the centre the bar starts: the negative shares plus half the neutral one
/// (odd scales), or the lower half of the categories (even scales).
fn left_extent(shares: &[f64]) -> f64 {
    let k = shares.len();
    if k % 2 == 1 {
        shares[..k / 2].iter().sum::<f64>() + shares[k / 2] / 2.0
    } else {
        shares[..k / 2].iter().sum()
    }
}

fn likert(scale: &str, items: &[&ItemResult], w: &Words) -> Option<Scene> {
    let (min, max) = (items[0].min?, items[0].max?);
    let items: Vec<&&ItemResult> = items
        .iter()
        .filter(|i| i.min == Some(min) && i.max == Some(max))
        .collect();
    let rows: Vec<Vec<f64>> = items.iter().map(|i| code_shares(i, min, max)).collect();
    const ROW: f64 = 22.0;
    const MAX_LABEL: f64 = 330.0;
    let labels: Vec<String> = items
        .iter()
        .map(|i| {
            let text = if i.text.trim().is_empty() {
                i.id.as_str()
            } else {
                i.text.trim()
            };
            let suffix = if i.reverse { w.reverse } else { "" };
            fit(text, LABEL, MAX_LABEL - text_width(suffix, LABEL)) + suffix
        })
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL))
        .fold(0.0, f64::max);
    let plot_w = 500.0;
    let t2b_w = 56.0;
    let width = PAD + label_w + 14.0 + plot_w + 10.0 + t2b_w + PAD;
    let mut sc = Scene::new(w.likert_title.replace("{}", scale), width);

    // Legend: the category labels of the first item that has them.
    let legend: Vec<(RGBColor, String)> = (min..=max)
        .map(|code| {
            let label = items
                .iter()
                .find_map(|i| {
                    i.frequencies
                        .iter()
                        .find(|f| f.code == code)
                        .and_then(|f| f.label.clone())
                })
                .unwrap_or_else(|| code.to_string());
            (category_color(code, min, max), label)
        })
        .collect();
    let legend_bottom = sc.legend(PAD, TOP - 8.0, width - PAD, &legend);

    let extent = rows
        .iter()
        .map(|s| {
            let l = left_extent(s);
            l.max(1.0 - l)
        })
        .fold(0.0, f64::max);
    let extent = ((extent * 10.0 - 1e-9).ceil() / 10.0).clamp(0.2, 1.0);
    let x0 = PAD + label_w + 14.0;
    let x = Scale::new(-extent, extent, x0, x0 + plot_w);
    let top = legend_bottom + 26.0;
    let bottom = top + rows.len() as f64 * ROW;
    sc.text(
        x.r1 + 10.0 + t2b_w,
        top - 6.0,
        w.top2,
        SMALL,
        MUTED,
        HPos::Right,
        VPos::Bottom,
    );
    let ticks: Vec<f64> = (-5..=5)
        .map(|i| f64::from(i) * 0.2)
        .filter(|t| t.abs() <= extent + 1e-9)
        .collect();
    x_axis(&mut sc, x, &ticks, top, bottom, |t| pct(t.abs()));
    // The centre line first, so the bars' percentages stay readable over it.
    sc.line(x.at(0.0), top - 2.0, x.at(0.0), bottom, INK, 1.0);
    for (r, ((item, shares), label)) in items.iter().zip(&rows).zip(&labels).enumerate() {
        let cy = top + (r as f64 + 0.5) * ROW;
        sc.text(PAD, cy, label.clone(), LABEL, INK, HPos::Left, VPos::Center);
        let mut at = -left_extent(shares);
        for (k, share) in shares.iter().enumerate() {
            if *share <= 0.0 {
                continue;
            }
            let c = category_color(min + k as i64, min, max);
            let (a, b) = (x.at(at), x.at(at + share));
            sc.fill(a, cy - 7.0, b, cy + 7.0, c);
            if b - a >= 24.0 {
                sc.text(
                    (a + b) / 2.0,
                    cy,
                    pct(*share),
                    9.5,
                    ink_on(c),
                    HPos::Center,
                    VPos::Center,
                );
            }
            at += share;
        }
        let t2b = item
            .weighted
            .as_ref()
            .and_then(|w| w.top2box)
            .or(item.top2box);
        if let Some(t) = t2b.filter(|t| t.is_finite()) {
            sc.text(
                x.r1 + 10.0 + t2b_w,
                cy,
                pct(t),
                SMALL,
                INK,
                HPos::Right,
                VPos::Center,
            );
        }
    }
    sc.height = bottom + 26.0 + PAD;
    Some(sc)
}

// ---- 4. Gaps -------------------------------------------------------------------------------

/// The answer scale of the gap items (from the expectation items), else the data range.
fn gap_domain(results: &Results, gaps: &crate::analysis::GapsResult) -> (f64, f64) {
    let scale = gaps.attributes.iter().find_map(|a| {
        let it = results
            .items
            .iter()
            .find(|i| i.id == a.expectation || i.id == a.perception)?;
        Some((it.min? as f64, it.max? as f64))
    });
    if let Some((a, b)) = scale.filter(|(a, b)| b > a) {
        return (a, b);
    }
    let vals = gaps
        .attributes
        .iter()
        .flat_map(|a| [a.stats.mean_expectation, a.stats.mean_perception])
        .filter(|v| v.is_finite());
    let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if lo.is_finite() && hi > lo {
        (lo.floor(), hi.ceil())
    } else {
        (0.0, 10.0)
    }
}

struct GapRow {
    label: String,
    expectation: f64,
    perception: f64,
    gap: f64,
}

fn gap_scene(title: String, rows: &[GapRow], domain: (f64, f64), w: &Words) -> Option<Scene> {
    let rows: Vec<&GapRow> = rows
        .iter()
        .filter(|r| r.expectation.is_finite() && r.perception.is_finite())
        .collect();
    if rows.is_empty() {
        return None;
    }
    const ROW: f64 = 26.0;
    let labels: Vec<String> = rows.iter().map(|r| fit(&r.label, LABEL, 260.0)).collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL))
        .fold(0.0, f64::max);
    let width = (PAD + label_w + 14.0 + 460.0 + 70.0 + PAD).max(640.0);
    let mut sc = Scene::new(title, width);
    // Legend.
    let ly = TOP;
    sc.circle(PAD + 6.0, ly + 6.0, 5.0, Some(WHITE), Some((MUTED, 2.0)));
    sc.text(
        PAD + 16.0,
        ly + 6.0,
        w.expectation,
        SMALL,
        INK,
        HPos::Left,
        VPos::Center,
    );
    let lx = PAD + 16.0 + text_width(w.expectation, SMALL) + 20.0;
    sc.circle(lx + 6.0, ly + 6.0, 5.0, Some(score_color(0.0)), None);
    sc.circle(lx + 19.0, ly + 6.0, 5.0, Some(score_color(100.0)), None);
    sc.text(
        lx + 29.0,
        ly + 6.0,
        w.perception,
        SMALL,
        INK,
        HPos::Left,
        VPos::Center,
    );

    let (lo, hi) = domain;
    let x0 = PAD + label_w + 14.0;
    let x = Scale::new(lo, hi, x0 + 8.0, width - PAD - 70.0);
    let top = TOP + 38.0;
    let bottom = top + rows.len() as f64 * ROW;
    let ticks = nice_ticks(lo, hi, (hi - lo).round().clamp(2.0, 10.0) as usize);
    x_axis(&mut sc, x, &ticks, top, bottom, |t| {
        if t.fract() == 0.0 {
            fmt_fixed_0(t)
        } else {
            fmt1(t)
        }
    });
    sc.text(
        width - PAD,
        top - 6.0,
        format!("{} (P − E)", w.gap),
        SMALL,
        MUTED,
        HPos::Right,
        VPos::Bottom,
    );
    let range = hi - lo;
    for (r, (row, label)) in rows.iter().zip(&labels).enumerate() {
        let cy = top + (r as f64 + 0.5) * ROW;
        sc.text(PAD, cy, label.clone(), LABEL, INK, HPos::Left, VPos::Center);
        let (e, p) = (x.at(row.expectation), x.at(row.perception));
        sc.line(e, cy, p, cy, RGBColor(0xbb, 0xbb, 0xbb), 3.0);
        sc.circle(e, cy, 6.0, Some(WHITE), Some((MUTED, 2.0)));
        // A gap of a quarter of the scale range either way is the palette's end.
        let c = score_color(50.0 + row.gap / (range / 4.0) * 50.0);
        sc.circle(p, cy, 6.0, Some(c), Some((shade(c, 0.7), 1.0)));
        let ink = if row.gap < 0.0 {
            shade(score_color(0.0), 0.85)
        } else {
            shade(score_color(100.0), 0.85)
        };
        sc.text_styled(
            width - PAD,
            cy,
            fmt2(row.gap),
            LABEL,
            ink,
            HPos::Right,
            VPos::Center,
            true,
        );
    }
    sc.text(
        (x.r0 + x.r1) / 2.0,
        bottom + 24.0,
        w.mean_axis,
        SMALL,
        MUTED,
        HPos::Center,
        VPos::Top,
    );
    sc.height = bottom + 44.0 + PAD;
    Some(sc)
}

fn gaps_overview(
    results: &Results,
    gaps: &crate::analysis::GapsResult,
    w: &Words,
) -> Option<Scene> {
    let rows: Vec<GapRow> = gaps
        .dimensions
        .iter()
        .map(|d| GapRow {
            label: d.name.clone(),
            expectation: d.stats.mean_expectation,
            perception: d.stats.mean_perception,
            gap: d.stats.gap,
        })
        .collect();
    gap_scene(
        w.gaps_title.to_string(),
        &rows,
        gap_domain(results, gaps),
        w,
    )
}

fn gaps_dimension(
    results: &Results,
    gaps: &crate::analysis::GapsResult,
    d: &crate::analysis::GapDimension,
    w: &Words,
) -> Option<Scene> {
    let rows: Vec<GapRow> = gaps
        .attributes
        .iter()
        .filter(|a| a.dimension.as_deref() == Some(d.id.as_str()))
        .map(|a| GapRow {
            label: a.attribute.clone(),
            expectation: a.stats.mean_expectation,
            perception: a.stats.mean_perception,
            gap: a.stats.gap,
        })
        .collect();
    gap_scene(
        w.gaps_dimension_title.replace("{}", &d.name),
        &rows,
        gap_domain(results, gaps),
        w,
    )
}

// ---- 5. Segments ---------------------------------------------------------------------------

fn segments(results: &Results, seg: &crate::analysis::SegmentResult, w: &Words) -> Option<Scene> {
    let groups = &seg.groups;
    let mut node_ids: Vec<&str> = Vec::new();
    // The index and its dimensions: indicators would make the chart unreadably wide.
    let is_dimension = |id: &str| {
        results
            .index
            .nodes
            .iter()
            .any(|n| n.id == id && n.depth <= 1)
    };
    for g in groups {
        for n in &g.nodes {
            if n.score.is_some_and(f64::is_finite)
                && is_dimension(&n.id)
                && !node_ids.contains(&n.id.as_str())
            {
                node_ids.push(&n.id);
            }
        }
    }
    if groups.is_empty() || node_ids.is_empty() {
        return None;
    }
    let bar = 28.0;
    let cat_w = groups.len() as f64 * bar + 26.0;
    let y_label_w = 40.0;
    let width = (PAD + y_label_w + node_ids.len() as f64 * cat_w + PAD).max(640.0);
    let mut sc = Scene::new(w.segments_title.replace("{}", &seg.by), width);
    let legend: Vec<(RGBColor, String)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            (
                GROUP_COLORS[i % GROUP_COLORS.len()],
                format!("{} (n={})", g.value, g.n),
            )
        })
        .collect();
    let legend_bottom = sc.legend(PAD, TOP - 8.0, width - PAD, &legend);
    let (px0, px1) = (PAD + y_label_w, width - PAD);
    let (py0, py1) = (legend_bottom + 24.0, legend_bottom + 24.0 + 300.0);
    let y = Scale::new(0.0, 100.0, py1, py0);
    for t in nice_ticks(0.0, 100.0, 5) {
        let ty = y.at(t);
        sc.line(px0, ty, px1, ty, GRID, 1.0);
        sc.text(
            px0 - 6.0,
            ty,
            fmt_fixed_0(t),
            SMALL,
            MUTED,
            HPos::Right,
            VPos::Center,
        );
    }
    let cat_w = (px1 - px0) / node_ids.len() as f64;
    let mut any_significant = false;
    for (c, id) in node_ids.iter().enumerate() {
        let significant = seg.tests.iter().any(|t| t.node == *id && t.significant);
        any_significant |= significant;
        let name = if results.index.nodes.first().is_some_and(|n| n.id == *id) {
            w.index
        } else {
            node_name(results, id)
        };
        let label = format!(
            "{}{}",
            fit(name, SMALL, cat_w - 12.0),
            if significant { " *" } else { "" }
        );
        let cx0 = px0 + c as f64 * cat_w;
        let start = cx0 + (cat_w - groups.len() as f64 * bar) / 2.0;
        for (g, group) in groups.iter().enumerate() {
            let Some(score) = group
                .nodes
                .iter()
                .find(|n| n.id == *id)
                .and_then(|n| n.score)
                .filter(|s| s.is_finite())
            else {
                continue;
            };
            let col = GROUP_COLORS[g % GROUP_COLORS.len()];
            let bx = start + g as f64 * bar;
            sc.fill(
                bx + 1.0,
                y.at(score.clamp(0.0, 100.0)),
                bx + bar - 1.0,
                py1,
                col,
            );
            sc.text(
                bx + bar / 2.0,
                y.at(score.clamp(0.0, 100.0)) - 2.0,
                fmt1(score),
                9.0,
                INK,
                HPos::Center,
                VPos::Bottom,
            );
        }
        sc.text_styled(
            cx0 + cat_w / 2.0,
            py1 + 8.0,
            label,
            SMALL,
            INK,
            HPos::Center,
            VPos::Top,
            significant,
        );
    }
    sc.line(px0, py1, px1, py1, AXIS, 1.0);
    let mut bottom = py1 + 30.0;
    if any_significant {
        sc.text(
            PAD,
            bottom + 4.0,
            w.significant,
            SMALL,
            MUTED,
            HPos::Left,
            VPos::Top,
        );
        bottom += 20.0;
    }
    sc.height = bottom + PAD;
    Some(sc)
}

// ---- 6. Reliability ------------------------------------------------------------------------

fn alpha(results: &Results, w: &Words) -> Option<Scene> {
    let rows: Vec<_> = results
        .reliability
        .iter()
        .filter(|r| r.alpha.is_finite())
        .collect();
    if rows.is_empty() {
        return None;
    }
    const ROW: f64 = 22.0;
    const INDENT: f64 = 16.0;
    let labels: Vec<(f64, String, bool)> = rows
        .iter()
        .map(|r| {
            let indent = if r.scope == crate::analysis::TreeLevel::Indicator {
                INDENT
            } else {
                0.0
            };
            let text = format!("{} (k={})", node_name(results, &r.node), r.k);
            (
                indent,
                fit(&text, LABEL, 300.0 - indent),
                r.scope != crate::analysis::TreeLevel::Indicator,
            )
        })
        .collect();
    let label_w = labels
        .iter()
        .map(|(i, l, _)| i + text_width(l, LABEL))
        .fold(0.0, f64::max);
    let width = 820.0;
    let x = Scale::new(0.0, 1.0, PAD + label_w + 14.0, width - PAD - 40.0);
    let mut sc = Scene::new(w.alpha_title, width);
    let top = TOP + 14.0;
    let bottom = top + rows.len() as f64 * ROW;
    x_axis(&mut sc, x, &nice_ticks(0.0, 1.0, 5), top, bottom, fmt1);
    for (i, (r, (indent, label, bold))) in rows.iter().zip(&labels).enumerate() {
        let cy = top + (i as f64 + 0.5) * ROW;
        sc.text_styled(
            PAD + indent,
            cy,
            label.clone(),
            LABEL,
            INK,
            HPos::Left,
            VPos::Center,
            *bold,
        );
        let a = r.alpha.clamp(0.0, 1.0);
        // 0.5 maps to the palette's red end, 0.7 to its middle, 0.9 to its green end.
        let c = score_color((r.alpha - 0.5) / 0.4 * 100.0);
        sc.fill(x.at(0.0), cy - 6.5, x.at(a), cy + 6.5, c);
    }
    let rx = x.at(0.7);
    sc.dashed(rx, top - 6.0, rx, bottom, INK, 1.2);
    // Values after the reference line, on white, so the line never crosses them.
    for (i, r) in rows.iter().enumerate() {
        let cy = top + (i as f64 + 0.5) * ROW;
        let (tx, label) = (x.at(r.alpha.clamp(0.0, 1.0)) + 3.0, fmt2(r.alpha));
        sc.fill(
            tx,
            cy - 7.0,
            tx + text_width(&label, SMALL) + 4.0,
            cy + 7.0,
            WHITE,
        );
        sc.text(tx + 2.0, cy, label, SMALL, INK, HPos::Left, VPos::Center);
    }
    sc.text(
        rx,
        top - 8.0,
        w.acceptable,
        SMALL,
        INK,
        HPos::Center,
        VPos::Bottom,
    );
    sc.text(
        (x.r0 + x.r1) / 2.0,
        bottom + 24.0,
        "Cronbach's α",
        SMALL,
        MUTED,
        HPos::Center,
        VPos::Top,
    );
    sc.height = bottom + 44.0 + PAD;
    Some(sc)
}

// ---- 7. Scree ------------------------------------------------------------------------------

fn scree(f: &crate::analysis::FactorResult, w: &Words) -> Option<Scene> {
    let ev: Vec<f64> = f
        .eigenvalues
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if ev.is_empty() {
        return None;
    }
    let (width, height) = (760.0, 440.0);
    let mut sc = Scene::new(w.scree_title, width);
    let (px0, px1, py0, py1) = (PAD + 50.0, width - PAD - 8.0, TOP + 4.0, height - 56.0);
    let ymax = nice_ceil(ev.iter().fold(1.0_f64, |a, v| a.max(*v)) * 1.05);
    let x = Scale::new(0.5, ev.len() as f64 + 0.5, px0, px1);
    let y = Scale::new(0.0, ymax, py1, py0);
    for t in nice_ticks(0.0, ymax, 5) {
        let ty = y.at(t);
        sc.line(px0, ty, px1, ty, GRID, 1.0);
        sc.text(
            px0 - 6.0,
            ty,
            fmt_fixed(t, if ymax < 5.0 { 1 } else { 0 }),
            SMALL,
            MUTED,
            HPos::Right,
            VPos::Center,
        );
    }
    let every = ev.len().div_ceil(20);
    for i in 1..=ev.len() {
        if (i - 1) % every == 0 {
            let tx = x.at(i as f64);
            sc.line(tx, py1, tx, py1 + 4.0, AXIS, 1.0);
            sc.text(
                tx,
                py1 + 6.0,
                i.to_string(),
                SMALL,
                MUTED,
                HPos::Center,
                VPos::Top,
            );
        }
    }
    sc.frame(px0, py0, px1, py1, AXIS, 1.0);
    let ky = y.at(1.0);
    let kaiser = score_color(0.0);
    sc.dashed(px0, ky, px1, ky, kaiser, 1.2);
    sc.text(
        px1 - 4.0,
        ky - 4.0,
        w.kaiser,
        SMALL,
        shade(kaiser, 0.85),
        HPos::Right,
        VPos::Bottom,
    );
    let pts: Vec<(f64, f64)> = ev
        .iter()
        .enumerate()
        .map(|(i, v)| (x.at(i as f64 + 1.0), y.at(*v)))
        .collect();
    let line_c = HEAT_STOPS[0].1;
    sc.polyline(pts.clone(), line_c, 2.0);
    for (i, &(ax, ay)) in pts.iter().enumerate() {
        // Retained factors filled, the rest hollow.
        let fill = if i < f.n_factors { line_c } else { WHITE };
        sc.circle(ax, ay, 4.5, Some(fill), Some((line_c, 1.5)));
        if i < f.n_factors.max(3).min(ev.len()) {
            sc.text(
                ax + 7.0,
                ay - 5.0,
                fmt2(ev[i]),
                SMALL,
                INK,
                HPos::Left,
                VPos::Bottom,
            );
        }
    }
    sc.text(
        (px0 + px1) / 2.0,
        py1 + 26.0,
        w.factor,
        SMALL,
        MUTED,
        HPos::Center,
        VPos::Top,
    );
    sc.text_vertical(
        PAD + 6.0,
        (py0 + py1) / 2.0,
        w.eigenvalue,
        SMALL,
        MUTED,
        HPos::Center,
    );
    sc.height = height;
    Some(sc)
}

// ---- 8./9. Heatmaps ------------------------------------------------------------------------

/// A heatmap of `values` (rows × columns) with row labels left and column labels on top.
fn heatmap(
    title: String,
    rows: &[String],
    cols: &[String],
    values: &[Vec<Option<f64>>],
    cell: (f64, f64),
    write_values: bool,
    vertical_cols: bool,
) -> Scene {
    let (cw, ch) = cell;
    let row_labels: Vec<String> = rows.iter().map(|r| fit(r, SMALL, 220.0)).collect();
    let col_labels: Vec<String> = cols.iter().map(|c| fit(c, SMALL, 220.0)).collect();
    let label_w = row_labels
        .iter()
        .map(|l| text_width(l, SMALL))
        .fold(0.0, f64::max);
    let col_h = if vertical_cols {
        col_labels
            .iter()
            .map(|l| text_width(l, SMALL))
            .fold(0.0, f64::max)
            + 8.0
    } else {
        20.0
    };
    let x0 = PAD + label_w + 8.0;
    let y0 = TOP + col_h;
    let grid_w = cols.len() as f64 * cw;
    let width = (x0 + grid_w + PAD).max(360.0);
    let mut sc = Scene::new(title, width);
    for (j, l) in col_labels.iter().enumerate() {
        let cx = x0 + (j as f64 + 0.5) * cw;
        if vertical_cols {
            // Rotated text anchored at its end, just above the grid.
            sc.text_vertical(cx, y0 - 4.0, l.clone(), SMALL, INK, HPos::Left);
        } else {
            sc.text(
                cx,
                y0 - 4.0,
                l.clone(),
                SMALL,
                INK,
                HPos::Center,
                VPos::Bottom,
            );
        }
    }
    let size = (ch * 0.5).clamp(8.0, SMALL);
    for (i, l) in row_labels.iter().enumerate() {
        let cy = y0 + (i as f64 + 0.5) * ch;
        sc.text(
            x0 - 6.0,
            cy,
            l.clone(),
            SMALL,
            INK,
            HPos::Right,
            VPos::Center,
        );
        for j in 0..cols.len() {
            let (a, b) = (x0 + j as f64 * cw, y0 + i as f64 * ch);
            let v = values
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .flatten()
                .filter(|v| v.is_finite());
            let c = v.map_or(MISSING, heat_color);
            sc.fill(a, b, a + cw, b + ch, c);
            if let (true, Some(v)) = (write_values, v) {
                sc.text(
                    a + cw / 2.0,
                    b + ch / 2.0,
                    fmt2(v),
                    size,
                    ink_on(c),
                    HPos::Center,
                    VPos::Center,
                );
            }
        }
    }
    let bottom = y0 + rows.len() as f64 * ch;
    sc.frame(x0, y0, x0 + grid_w, bottom, AXIS, 1.0);
    let lw = grid_w.clamp(160.0, 260.0);
    sc.heat_legend(x0 + (grid_w - lw).max(0.0) / 2.0, bottom + 14.0, lw);
    sc.height = bottom + 50.0 + PAD;
    sc
}

fn loadings(f: &crate::analysis::FactorResult, w: &Words) -> Option<Scene> {
    let m = f
        .minres
        .as_ref()
        .map(|s| &s.loadings)
        .or(f.loadings.as_ref())?;
    let k = m.iter().map(Vec::len).max().unwrap_or(0);
    if m.is_empty() || k == 0 || f.items.len() != m.len() {
        return None;
    }
    let cols: Vec<String> = (1..=k).map(|i| format!("F{i}")).collect();
    let values: Vec<Vec<Option<f64>>> = m
        .iter()
        .map(|r| r.iter().map(|v| Some(*v)).collect())
        .collect();
    let title = w
        .loadings_title
        .replacen("{}", &f.method, 1)
        .replacen("{}", &f.rotation, 1);
    Some(heatmap(
        title,
        &f.items,
        &cols,
        &values,
        (56.0, 20.0),
        true,
        false,
    ))
}

fn correlation(results: &Results, w: &Words) -> Option<Scene> {
    let m = &results.correlation.pearson;
    if m.vars.len() < 2 || m.r.len() != m.vars.len() {
        return None;
    }
    let n = m.vars.len() as f64;
    let cell = (640.0 / n).clamp(14.0, 40.0);
    Some(heatmap(
        w.correlation_title.to_string(),
        &m.vars,
        &m.vars,
        &m.r,
        (cell, cell),
        cell >= 30.0,
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_ends_and_middle() {
        assert_eq!(score_color(0.0), RGBColor(0xd7, 0x30, 0x27));
        assert_eq!(score_color(50.0), RGBColor(0xfe, 0xe0, 0x8b));
        assert_eq!(score_color(100.0), RGBColor(0x1a, 0x98, 0x50));
        assert_eq!(score_color(150.0), score_color(100.0));
        assert_eq!(heat_color(0.0), RGBColor(0xf7, 0xf7, 0xf7));
    }

    #[test]
    fn categories_are_red_grey_green() {
        assert_eq!(category_color(3, 1, 5), NEUTRAL);
        assert_eq!(category_color(1, 1, 5), score_color(0.0));
        assert_eq!(category_color(5, 1, 5), score_color(100.0));
        // Even scales have no neutral category.
        assert_ne!(category_color(5, 1, 10), NEUTRAL);
    }

    #[test]
    fn diverging_bars_centre_on_the_neutral_point() {
        // Odd: half the middle category lies left of the centre.
        assert!((left_extent(&[0.1, 0.2, 0.4, 0.2, 0.1]) - 0.5).abs() < 1e-12);
        assert!((left_extent(&[0.1, 0.1, 0.2, 0.3, 0.3]) - 0.3).abs() < 1e-12);
        // Even: centred between the two middle points.
        assert!((left_extent(&[0.1, 0.2, 0.3, 0.4]) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn rounding_never_shows_negative_zero() {
        assert_eq!(fmt1(-0.04), "0.0");
        assert_eq!(fmt2(-0.5), "-0.50");
        assert_eq!(pct(0.453), "45%");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(nice_ceil(7.3), 8.0);
    }

    #[test]
    fn fit_shortens_with_an_ellipsis() {
        let s = fit("客户服务客户服务客户服务客户服务", LABEL, 60.0);
        assert!(s.ends_with('…'), "{s}");
        assert!(text_width(&s, LABEL) <= 60.0);
        assert_eq!(fit("short", LABEL, 200.0), "short");
    }
}
