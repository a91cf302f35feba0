//! Renderers: questionnaires (markdown, html, xlsform, template, codebook) and analysis results.

pub mod charts;
pub mod questionnaire;
pub mod text;
