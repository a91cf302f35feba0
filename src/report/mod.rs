//! Renderers: questionnaires (markdown, html, xlsform, template, codebook) and analysis results.

pub mod charts;
pub mod document;
pub mod html;
pub mod markdown;
pub mod markup;
pub mod questionnaire;
pub mod summary;
pub mod tables;
pub mod text;
pub mod texts;
pub mod trend_chart;
pub mod write;
