//! The inputs every improvement stage reads: the survey, the table, the coded item columns and
//! their counts, the index computation and the survey weights, plus intermediate results shared
//! between stages (the drivers' correlations with the outcome, coded node scores), all computed
//! before the stages run; and [`MomentsTable`], the regression moments the drivers and the
//! weight comparison share, computed once for every set of sibling nodes they regress.

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
}

/// Moments of sibling node scores and the outcome over complete rows, one entry per set of
/// nodes, computed up front (the driver levels and every group of siblings; the dimensions are
/// usually both).
pub struct MomentsTable {
    sets: Vec<(Vec<usize>, regression::Moments)>,
}

impl MomentsTable {
    /// The moments of each distinct set of `sets` with the outcome `y`, in first-seen order.
    pub fn new(cx: &Context, sets: &[Vec<usize>], y: &[f64]) -> MomentsTable {
        let mut table = MomentsTable { sets: Vec::new() };
        for nodes in sets {
            if table.sets.iter().all(|(k, _)| k != nodes) {
                let m = Self::compute(cx, nodes, y);
                table.sets.push((nodes.clone(), m));
            }
        }
        table
    }

    /// The moments of `nodes` and `y` over the rows where all are present.
    fn compute(cx: &Context, nodes: &[usize], y: &[f64]) -> regression::Moments {
        let x: Vec<&[f64]> = nodes
            .iter()
            .map(|&i| cx.idx.respondent_scores[i].as_slice())
            .collect();
        regression::Moments::complete(&x, y)
    }

    /// The moments of `nodes`, where the set was listed up front; else computed into `slot`
    /// (not kept).
    pub fn get<'t>(
        &'t self,
        cx: &Context,
        nodes: &[usize],
        y: &[f64],
        slot: &'t mut Option<regression::Moments>,
    ) -> &'t regression::Moments {
        match self.sets.iter().find(|(k, _)| k == nodes) {
            Some((_, m)) => m,
            None => slot.insert(Self::compute(cx, nodes, y)),
        }
    }
}
