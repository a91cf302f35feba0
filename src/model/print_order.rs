//! The order in which a survey's questions are printed and entered: the profile, then the body
//! grouped by the indicator tree (questions of the root first, then one group per dimension in
//! tree order), then the body questions outside the tree in file order.
//!
//! The questionnaire renderers give each group a title; the data-entry template and the
//! simulator only need the order, so it lives in the model, below both.

use super::survey::{Question, Survey};

/// A group of body questions in print order: those of one tree node, or (`node` is `None`) those
/// outside the tree.
pub struct BodyGroup<'a> {
    /// The tree node (an index into `tree.nodes`) the group belongs to.
    pub node: Option<usize>,
    pub questions: Vec<&'a Question>,
}

/// The body in print order: the root's own questions (a tree with no dimensions), one group per
/// dimension, then the questions outside the tree. Empty root and outside groups are left out.
pub fn body_groups(s: &Survey) -> Vec<BodyGroup<'_>> {
    let t = &s.tree;
    let mut groups = Vec::new();
    // Questions measured by the root directly.
    let root_qs: Vec<&Question> = t
        .root()
        .questions
        .iter()
        .filter_map(|id| s.questions.iter().find(|q| &q.id == id))
        .collect();
    if !root_qs.is_empty() {
        groups.push(BodyGroup {
            node: Some(0),
            questions: root_qs,
        });
    }
    for &d in t.dimensions() {
        let ids = t.questions_under(d);
        let qs: Vec<&Question> = ids
            .iter()
            .filter_map(|id| s.questions.iter().find(|q| q.id == *id))
            .collect();
        groups.push(BodyGroup {
            node: Some(d),
            questions: qs,
        });
    }
    let rest: Vec<&Question> = s.questions.iter().filter(|q| q.node.is_none()).collect();
    if !rest.is_empty() {
        groups.push(BodyGroup {
            node: None,
            questions: rest,
        });
    }
    groups
}

/// Column names of a data-entry file, in order: respondent id, profile, body, respondent columns.
pub fn template_columns(s: &Survey) -> Vec<String> {
    let r = &s.respondents;
    let mut cols = Vec::new();
    cols.push(r.id.clone().unwrap_or_else(|| "respondent_id".into()));
    cols.extend(s.profile.iter().map(|q| q.id.clone()));
    for g in body_groups(s) {
        cols.extend(g.questions.iter().map(|q| q.id.clone()));
    }
    cols.extend(r.attributes.iter().cloned());
    cols.extend(r.weight.iter().cloned());
    cols.extend(r.duration.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    cols.retain(|c| seen.insert(c.clone()));
    cols
}
