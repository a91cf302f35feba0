//! The inputs every improvement stage reads: the survey, the table, the coded item columns and
//! their counts, the index computation and the survey weights, plus intermediate results shared
//! between stages (the drivers' correlations with the outcome, coded node scores, moments).

use super::columns::ItemColumns;
use super::index::IndexComputation;
use crate::data::ResponseTable;
use crate::model::Survey;
use crate::stats::{correlation, descriptive, regression};

pub struct Context<'a> {
    pub survey: &'a Survey,
    pub table: &'a ResponseTable,
    pub columns: &'a ItemColumns,
    /// Per-value counts of each column of `columns` (same order) where it is integer-coded.
    pub levels: &'a [Option<descriptive::LevelStats>],
    pub idx: &'a IndexComputation,
    pub weights: Option<&'a [f64]>,
    pub threads: usize,
    /// Pairwise Pearson r and n of (node, overall item) already computed for the correlation
    /// matrix, by node index; the drivers reuse them.
    pub outcome_r: Vec<(usize, f64, usize)>,
    /// Respondent scores of nodes already coded to their distinct values, by node index.
    pub coded_nodes: Vec<(usize, &'a correlation::Discrete)>,
    /// Moments of sibling scores and the outcome over complete rows, by the sibling nodes;
    /// the drivers and the weight comparison regress the same columns.
    pub moments: std::sync::Mutex<Vec<(Vec<usize>, std::sync::Arc<regression::Moments>)>>,
}

impl Context<'_> {
    pub(crate) fn value(&self, id: &str) -> Option<std::borrow::Cow<'_, [f64]>> {
        self.columns.f64_of(id)
    }

    /// A node's respondent scores as coded for the correlations, where they were.
    pub(crate) fn coded_node(&self, node: usize) -> Option<&correlation::Discrete> {
        self.coded_nodes
            .iter()
            .find(|(k, _)| *k == node)
            .map(|(_, d)| *d)
    }

    pub(crate) fn levels_of(&self, id: &str) -> Option<&descriptive::LevelStats> {
        let i = self.columns.position(id)?;
        self.levels.get(i)?.as_ref()
    }

    /// Moments of the respondent scores of `nodes` and the outcome `y` (always the one of
    /// [`outcome`]) over complete rows, computed once.
    pub(crate) fn moments(
        &self,
        nodes: &[usize],
        y: &[f64],
    ) -> std::sync::Arc<regression::Moments> {
        let cached = self
            .moments
            .lock()
            .ok()
            .and_then(|c| c.iter().find(|(k, _)| k == nodes).map(|(_, m)| m.clone()));
        if let Some(m) = cached {
            return m;
        }
        let x: Vec<&[f64]> = nodes
            .iter()
            .map(|&i| self.idx.respondent_scores[i].as_slice())
            .collect();
        let m = std::sync::Arc::new(regression::Moments::complete(&x, y));
        if let Ok(mut c) = self.moments.lock() {
            c.push((nodes.to_vec(), m.clone()));
        }
        m
    }
}
