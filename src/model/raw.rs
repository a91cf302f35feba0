//! The survey file as written: serde structures that keep the TOML span of everything a check may
//! need to point at. Validation (`super::validate`) turns this into the checked [`super::Survey`].
//!
//! The indicator tree is written as nested tables (`[tree.service.response]`), so a node is a map
//! whose reserved keys are its fields and whose other table-valued keys are its children, in
//! document order. That needs a hand-written `Deserialize` (serde's `flatten` would lose spans).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSurvey {
    pub survey: S<RawMeta>,
    pub plan: Option<S<RawPlan>>,
    pub preface: Option<S<RawPreface>>,
    pub closing: Option<S<RawClosing>>,
    pub respondents: Option<S<RawRespondents>>,
    #[serde(default)]
    pub scales: indexmap_like::OrderedMap<S<RawScale>>,
    #[serde(default)]
    pub profile: Vec<S<RawQuestion>>,
    #[serde(default)]
    pub question: Vec<S<RawQuestion>>,
    pub tree: S<RawNode>,
    pub simulate: Option<S<RawSimulate>>,
}

/// `[simulate]`: see [`super::simulate_spec`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulate {
    pub level: Option<S<f64>>,
    pub spread: Option<S<f64>>,
    pub noise: Option<S<f64>>,
    pub factor_corr: Option<S<f64>>,
    pub overall_r2: Option<S<f64>>,
    pub missing: Option<S<f64>>,
    pub not_applicable: Option<S<f64>>,
    pub straightliners: Option<S<f64>>,
    pub speeders: Option<S<f64>>,
    pub duplicates: Option<S<f64>>,
    pub open_answers: Option<S<f64>>,
    #[serde(default)]
    pub drivers: indexmap_like::OrderedMap<S<f64>>,
    #[serde(default)]
    pub dimensions: indexmap_like::OrderedMap<S<f64>>,
    #[serde(default)]
    pub drift: indexmap_like::OrderedMap<S<f64>>,
    #[serde(default)]
    pub segments: indexmap_like::OrderedMap<indexmap_like::OrderedMap<S<f64>>>,
    #[serde(default)]
    pub levels: indexmap_like::OrderedMap<S<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: S<String>,
    pub title: S<String>,
    pub language: S<String>,
    #[serde(default)]
    pub version: Option<S<String>>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub objective: Option<S<String>>,
    pub population: Option<S<String>>,
    pub scope: Option<S<String>>,
    #[serde(default)]
    pub methods: Vec<S<String>>,
    pub sample_size: Option<S<i64>>,
    pub population_size: Option<S<i64>>,
    pub margin: Option<S<f64>>,
    pub confidence: Option<S<f64>>,
    pub response_rate: Option<S<f64>>,
    pub field_start: Option<S<String>>,
    pub field_end: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPreface {
    pub purpose: Option<S<String>>,
    pub confidentiality: Option<S<String>>,
    pub minutes: Option<S<f64>>,
    pub instructions: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClosing {
    pub thanks: Option<S<String>>,
    pub contact: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRespondents {
    pub id: Option<S<String>>,
    pub weight: Option<S<String>>,
    pub duration: Option<S<String>>,
    #[serde(default)]
    pub attributes: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub points: S<Vec<i64>>,
    #[serde(default)]
    pub labels: Option<S<Vec<String>>>,
    pub na_code: Option<S<i64>>,
    pub na_label: Option<S<String>>,
    pub direction: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: S<String>,
    pub text: S<String>,
    #[serde(rename = "type")]
    pub kind: S<String>,
    pub scale: Option<S<String>>,
    #[serde(default)]
    pub reverse: bool,
    pub role: Option<S<String>>,
    pub topic: Option<S<String>>,
    pub choices: Option<S<Vec<String>>>,
    pub max_choices: Option<S<i64>>,
    pub min: Option<S<f64>>,
    pub max: Option<S<f64>>,
    pub integer: Option<bool>,
    pub unit: Option<String>,
    pub attribute: Option<S<String>>,
    pub measures: Option<S<String>>,
    #[serde(default)]
    pub na: bool,
    #[serde(default)]
    pub required: Option<bool>,
    pub help: Option<String>,
    /// Extra labels accepted on import for this question (platform export headers).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A matrix entry: a number or a fraction written as a string ("1/3").
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawRatio {
    Number(f64),
    Integer(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAhp {
    pub order: S<Vec<String>>,
    pub matrix: S<Vec<Vec<RawRatio>>>,
}

/// One node of the indicator tree.
#[derive(Debug, Default)]
pub struct RawNode {
    pub name: Option<S<String>>,
    pub description: Option<String>,
    pub weight: Option<S<f64>>,
    /// How the children are weighted: `"equal"` or `"explicit"`; absent means explicit when the
    /// children carry weights and equal otherwise.
    pub weights: Option<S<String>>,
    pub ahp: Option<S<RawAhp>>,
    pub derive: Option<S<String>>,
    pub questions: Option<S<Vec<S<String>>>>,
    pub children: Vec<(S<String>, S<RawNode>)>,
}

/// The reserved keys of a tree node; its other table-valued keys are its children.
pub const NODE_FIELDS: &[&str] = &[
    "name",
    "description",
    "weight",
    "weights",
    "ahp",
    "derive",
    "questions",
];

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = RawNode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tree node table with name, weight, questions and child nodes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
                let mut node = RawNode::default();
                while let Some(key) = map.next_key::<S<String>>()? {
                    match key.get_ref().as_str() {
                        "name" => node.name = Some(map.next_value()?),
                        "description" => node.description = Some(map.next_value()?),
                        "weight" => node.weight = Some(map.next_value()?),
                        "weights" => node.weights = Some(map.next_value()?),
                        "ahp" => node.ahp = Some(map.next_value()?),
                        "derive" => node.derive = Some(map.next_value()?),
                        "questions" => node.questions = Some(map.next_value()?),
                        _ => {
                            let child: S<RawNode> = map.next_value().map_err(|e: A::Error| {
                                de::Error::custom(format!(
                                    "'{}' is not a node field ({}) and not a child node table: {e}",
                                    key.get_ref(),
                                    NODE_FIELDS.join(", ")
                                ))
                            })?;
                            node.children.push((key, child));
                        }
                    }
                }
                Ok(node)
            }
        }
        deserializer.deserialize_map(NodeVisitor)
    }
}

/// A map that keeps document order and the span of each key.
pub mod indexmap_like {
    // Imported from their crates, not through `super::*`: tests/layers.rs reads a `super::` path
    // in an inline module as the file's parent (`model`), which would close a cycle.
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{self, MapAccess, Visitor};

    type S<T> = toml::Spanned<T>;

    #[derive(Debug)]
    pub struct OrderedMap<V>(pub Vec<(S<String>, V)>);

    impl<V> Default for OrderedMap<V> {
        fn default() -> Self {
            OrderedMap(Vec::new())
        }
    }

    impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct MapVisitor<V>(std::marker::PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
                type Value = OrderedMap<V>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a table")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some(key) = map.next_key::<S<String>>()? {
                        out.push((key, map.next_value()?));
                    }
                    Ok(OrderedMap(out))
                }
            }
            deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
        }
    }
}
