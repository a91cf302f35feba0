//! The typed results of grading: a [`Grade`] per submission, with an [`Award`] per criterion
//! and the [`Charge`]s of each deduction. Points are rounded to hundredths ([`round2`]) where
//! they are computed, so the gradebook and the feedback add up to the same totals.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, SourceFile};

/// One awarded criterion.
#[derive(Debug, Clone)]
pub struct Award {
    pub points: f64,
    pub why: String,
    /// 1-based line of the survey it refers to.
    pub line: Option<usize>,
}

/// One finding charged by a deduction.
#[derive(Debug, Clone)]
pub struct Charge {
    pub finding: Diagnostic,
    /// Points taken (0 once a cap is reached).
    pub points: f64,
}

/// The grade of one submission.
#[derive(Debug, Clone)]
pub struct Grade {
    pub student: String,
    pub file: String,
    pub path: PathBuf,
    pub awards: Vec<Award>,
    pub charges: Vec<Vec<Charge>>,
    pub total: f64,
    pub max: f64,
    pub band: String,
    /// `satkit check` diagnostics when the submission could not be read.
    pub unreadable: Option<Vec<Diagnostic>>,
    /// The survey text, for quoting lines in feedback.
    pub source: Option<SourceFile>,
}

impl Grade {
    pub fn deducted(&self, i: usize) -> f64 {
        self.charges[i].iter().map(|c| c.points).sum()
    }
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
