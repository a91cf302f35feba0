//! The indicator tree as an arena: `nodes[0]` is the root (the `[tree]` table), children follow in
//! document order, and questions hang off the leaves.

use serde::Serialize;

use crate::stats::ahp::AhpResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeriveMethod {
    Entropy,
    Regression,
}

impl DeriveMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            DeriveMethod::Entropy => "entropy",
            DeriveMethod::Regression => "regression",
        }
    }
}

/// How a node weights its children.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum ChildWeighting {
    /// Each child carries `weight`; they sum to 1.
    Explicit,
    /// Every child gets 1/k.
    Equal,
    /// A pairwise-comparison matrix over the children (principal eigenvector).
    Ahp {
        matrix: Vec<Vec<f64>>,
        result: AhpResult,
    },
    /// Weights computed from the response data at analysis time.
    Derive { derive: DeriveMethod },
}

impl ChildWeighting {
    pub fn name(&self) -> &'static str {
        match self {
            ChildWeighting::Explicit => "explicit",
            ChildWeighting::Equal => "equal",
            ChildWeighting::Ahp { .. } => "ahp",
            ChildWeighting::Derive { derive } => derive.as_str(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Question ids measured directly by this node (leaves only).
    pub questions: Vec<String>,
    /// Weight within its siblings; `None` when the parent derives weights from data.
    pub local_weight: Option<f64>,
    pub weighting: ChildWeighting,
    /// 0 for the root, 1 for dimensions, 2 for indicators, ...
    pub depth: usize,
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    /// Node indices in depth-first pre-order (root first).
    pub fn preorder(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![0];
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.nodes[i].children.iter().rev());
        }
        out
    }

    pub fn find(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Product of local weights from the root to the node; `None` if any is derived from data.
    pub fn effective_weight(&self, mut i: usize) -> Option<f64> {
        let mut w = 1.0;
        while let Some(p) = self.nodes[i].parent {
            w *= self.nodes[i].local_weight?;
            i = p;
        }
        Some(w)
    }

    /// Ids from the root's first child down to the node, joined with " > " by callers.
    pub fn path(&self, mut i: usize) -> Vec<&str> {
        let mut out = Vec::new();
        while let Some(p) = self.nodes[i].parent {
            out.push(self.nodes[i].id.as_str());
            i = p;
        }
        out.reverse();
        out
    }

    /// Every question id under a node, in tree order.
    pub fn questions_under(&self, i: usize) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            out.extend(self.nodes[j].questions.iter().map(String::as_str));
            stack.extend(self.nodes[j].children.iter().rev());
        }
        out
    }

    /// The top-level dimensions (children of the root).
    pub fn dimensions(&self) -> &[usize] {
        &self.nodes[0].children
    }

    /// The dimension (depth-1 ancestor) of a node, or `None` for the root.
    pub fn dimension_of(&self, mut i: usize) -> Option<usize> {
        while let Some(p) = self.nodes[i].parent {
            if p == 0 {
                return Some(i);
            }
            i = p;
        }
        None
    }
}
