//! A draft survey as `satkit new --from` builds it, and its TOML text with `# TODO` comments for
//! what the user must still decide.

use std::fmt::Write;

/// A scale found in a form or in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct DScale {
    pub name: String,
    pub lo: i64,
    pub hi: i64,
    /// One label per point (empty for a point shown as its number).
    pub labels: Vec<String>,
    pub na: Option<(i64, String)>,
}

/// A question of the draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DQuestion {
    pub id: String,
    pub text: String,
    /// rating, nps, single, multiple, numeric, text.
    pub kind: &'static str,
    pub scale: Option<String>,
    pub na: bool,
    pub choices: Vec<String>,
    pub max_choices: Option<u64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
    pub required: Option<bool>,
    pub help: Option<String>,
    pub aliases: Vec<String>,
    /// A comment line above the question.
    pub todo: Option<String>,
}

/// A node of the indicator tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DNode {
    pub id: String,
    pub name: String,
    pub children: Vec<DNode>,
    pub questions: Vec<String>,
}

/// The draft survey.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub id: String,
    pub title: String,
    pub zh: bool,
    pub version: String,
    pub source: String,
    pub preface: Option<String>,
    pub closing: Option<String>,
    pub respondent_id: Option<String>,
    pub weight: Option<String>,
    pub duration: Option<String>,
    pub attributes: Vec<String>,
    pub scales: Vec<DScale>,
    pub profile: Vec<DQuestion>,
    pub questions: Vec<DQuestion>,
    /// The dimensions (children of the root).
    pub tree: Vec<DNode>,
    /// Notes for the head of the file.
    pub notes: Vec<String>,
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let v: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", v.join(", "))
}

fn num(x: f64) -> String {
    crate::model::validate::fmt_num(x)
}

impl Draft {
    /// The survey file.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Draft survey written by `satkit new --from {}`.",
            self.source
        );
        let _ = writeln!(
            s,
            "# Every `# TODO` marks something to decide; then run `satkit check` and `satkit lint` on this file."
        );
        for n in &self.notes {
            let _ = writeln!(s, "# {n}");
        }
        let _ = writeln!(
            s,
            "\n[survey]\nid = {}\ntitle = {}\nlanguage = {}\nversion = {}",
            q(&self.id),
            q(&self.title),
            q(if self.zh { "zh" } else { "en" }),
            q(&self.version)
        );
        if let Some(p) = &self.preface {
            let _ = writeln!(
                s,
                "\n# TODO: split the preface into purpose, confidentiality and minutes.\n[preface]\npurpose = {}",
                q(p)
            );
        }
        if let Some(c) = &self.closing {
            let _ = writeln!(s, "\n[closing]\nthanks = {}", q(c));
        }
        let r = [
            ("id", &self.respondent_id),
            ("weight", &self.weight),
            ("duration", &self.duration),
        ];
        if r.iter().any(|(_, v)| v.is_some()) || !self.attributes.is_empty() {
            s.push_str("\n[respondents]\n");
            for (k, v) in r {
                if let Some(v) = v {
                    let _ = writeln!(s, "{k} = {}", q(v));
                }
            }
            if !self.attributes.is_empty() {
                let _ = writeln!(s, "attributes = {}", list(&self.attributes));
            }
        }
        for sc in &self.scales {
            let _ = writeln!(
                s,
                "\n[scales.{}]\npoints = [{}, {}]\nlabels = {}",
                sc.name,
                sc.lo,
                sc.hi,
                list(&sc.labels)
            );
            if let Some((code, label)) = &sc.na {
                let _ = writeln!(s, "na_code = {code}\nna_label = {}", q(label));
            }
        }
        for p in &self.profile {
            s.push('\n');
            write_question(&mut s, "profile", p);
        }
        for b in &self.questions {
            s.push('\n');
            write_question(&mut s, "question", b);
        }
        s.push_str("\n# TODO: weights. Every node weights its children equally until you choose explicit,\n# AHP, entropy or regression weights (docs/survey-format.md#the-indicator-tree).\n[tree]\n");
        let _ = writeln!(
            s,
            "name = {}",
            q(if self.zh {
                "总体满意度"
            } else {
                "Overall satisfaction"
            })
        );
        if self.tree.len() > 1 {
            s.push_str("weights = \"equal\"\n");
        }
        for d in &self.tree {
            write_node(&mut s, "tree", d);
        }
        s
    }
}

fn write_question(s: &mut String, table: &str, d: &DQuestion) {
    if let Some(t) = &d.todo {
        let _ = writeln!(s, "# TODO: {t}");
    }
    let _ = writeln!(
        s,
        "[[{table}]]\nid = {}\ntext = {}\ntype = {}",
        q(&d.id),
        q(&d.text),
        q(d.kind)
    );
    if table == "profile" {
        let _ = writeln!(
            s,
            "topic = \"other\"  # TODO: when, where, what, frequency, channel, tier, demographic, contact or other"
        );
    }
    if let Some(sc) = &d.scale {
        let _ = writeln!(s, "scale = {}", q(sc));
    }
    if d.na {
        s.push_str("na = true\n");
    }
    if !d.choices.is_empty() {
        let _ = writeln!(s, "choices = {}", list(&d.choices));
    }
    if let Some(m) = d.max_choices {
        let _ = writeln!(s, "max_choices = {m}");
    }
    if let Some(m) = d.min {
        let _ = writeln!(s, "min = {}", num(m));
    }
    if let Some(m) = d.max {
        let _ = writeln!(s, "max = {}", num(m));
    }
    if d.integer {
        s.push_str("integer = true\n");
    }
    if let Some(r) = d.required {
        let _ = writeln!(s, "required = {r}");
    }
    if let Some(h) = &d.help {
        let _ = writeln!(s, "help = {}", q(h));
    }
    if !d.aliases.is_empty() {
        let _ = writeln!(s, "aliases = {}", list(&d.aliases));
    }
}

fn write_node(s: &mut String, path: &str, n: &DNode) {
    let p = format!("{path}.{}", n.id);
    let _ = writeln!(s, "\n[{p}]\nname = {}", q(&n.name));
    if n.children.is_empty() {
        let _ = writeln!(s, "questions = {}", list(&n.questions));
    } else {
        if n.children.len() > 1 {
            s.push_str("weights = \"equal\"\n");
        }
        for c in &n.children {
            write_node(s, &p, c);
        }
    }
}

/// An id from a name: ASCII lower case, `_` for anything else, starting with a letter, unique
/// among `taken`.
pub fn make_id(name: &str, fallback: &str, taken: &mut Vec<String>) -> String {
    let mut id: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while id.contains("__") {
        id = id.replace("__", "_");
    }
    let id = id.trim_matches('_').to_string();
    let mut id = if id.is_empty() || !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        if id.is_empty() {
            fallback.to_string()
        } else {
            format!("{fallback}_{id}")
        }
    } else {
        id
    };
    id.truncate(60);
    let base = id.clone();
    let mut k = 2;
    while taken.contains(&id) {
        id = format!("{base}_{k}");
        k += 1;
    }
    taken.push(id.clone());
    id
}
