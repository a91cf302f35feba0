//! The report's document model: sections of blocks whose texts are resolved to one language and
//! whose numbers are rounded for reading. `write` builds it from the results; `html` and
//! `markdown` lay it out, so both outputs say the same thing in the same order.

use super::charts::Chart;
use super::tables::Grid;

/// The report as sections of blocks, every text resolved and every number rounded for reading.
#[derive(Debug, Clone)]
pub struct Document {
    pub html_lang: &'static str,
    pub title: String,
    pub subtitle: String,
    pub contents: &'static str,
    pub generated: Option<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// HTML anchor.
    pub id: &'static str,
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// Key figures (the headline).
    Facts(Vec<Fact>),
    Heading(String),
    Para(String),
    /// Titled ordered lists, side by side in HTML.
    Lists(Vec<(String, Vec<String>)>),
    List(Vec<String>),
    /// Term and definition pairs.
    Definitions(Vec<(String, String)>),
    Table(Grid),
    /// Index into the charts.
    Chart(usize),
}

#[derive(Debug, Clone)]
pub struct Fact {
    pub label: String,
    pub value: String,
    pub detail: Vec<String>,
}

/// The file stem of a chart: its id with anything but ASCII letters, digits, `-` and `_`
/// replaced, so the id can never leave `charts/`.
pub fn chart_stem(chart: &Chart) -> String {
    let s = crate::names::file_stem(&chart.id);
    if s.is_empty() { "chart".into() } else { s }
}
