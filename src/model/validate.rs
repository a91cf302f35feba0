//! Survey validation: from [`RawSurvey`] with spans to a checked [`Survey`] and located diagnostics.
//!
//! Every check collects into one list instead of stopping at the first problem, so a user fixes
//! the whole file in one pass.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::bounds::{
    self, MAX_MULTIPLE_CHOICES, MAX_NUMERIC_BOUND, MAX_SCALE_CODE, MAX_SCALE_POINTS,
};
use super::raw::{
    RawAhp, RawMeta, RawNode, RawPlan, RawPreface, RawQuestion, RawRatio, RawRespondents, RawScale,
    RawSurvey, S,
};
use super::survey::*;
use super::tree::{ChildWeighting, DeriveMethod, Node, Tree};
use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::stats::ahp::{self, AhpError, CR_THRESHOLD};

/// Sibling weights must sum to 1 within this tolerance.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-6;

/// What a profile question may be about (`topic`).
pub const PROFILE_TOPICS: &[&str] = &[
    "when",
    "where",
    "what",
    "frequency",
    "channel",
    "tier",
    "demographic",
    "contact",
    "other",
];

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Overall => "overall",
        Role::Repurchase => "repurchase",
        Role::Recommend => "recommend",
        Role::Complaint => "complaint",
        Role::Effort => "effort",
    }
}

struct Ctx {
    src: SourceFile,
    diags: Vec<Diagnostic>,
    /// When false, an AHP matrix with CR ≥ 0.1 is a warning, so `satkit weights` can report it.
    ahp_consistency_is_error: bool,
    /// Declared scales whose points were refused (already reported): a question using one is
    /// not reported again as using an unknown scale.
    unusable_scales: HashSet<String>,
}

impl Ctx {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let d = self
            .src
            .diagnostic(Severity::Error, Some(span), message, help);
        self.diags.push(d);
    }
    fn warn(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let d = self
            .src
            .diagnostic(Severity::Warning, Some(span), message, help);
        self.diags.push(d);
    }
    fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }
}

/// `[a-z][a-z0-9_]*`
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

fn suggest_id(id: &str) -> String {
    let mut s: String = id
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s.insert(0, 'q');
    }
    s
}

pub fn validate(src: SourceFile) -> Checked {
    validate_with(src, true)
}

/// Validate with AHP inconsistency as an error (`strict_ahp`) or as a warning.
pub fn validate_with(src: SourceFile, strict_ahp: bool) -> Checked {
    let (out_of_bounds, too_deep) = bounds::check(&src);
    if too_deep {
        return Checked {
            survey: None,
            diagnostics: out_of_bounds,
        };
    }
    let raw: RawSurvey = match toml::from_str(&src.text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span();
            let message = e.message().trim().to_string();
            if crate::toml_source::is_key_path_limit(&e) {
                return Checked {
                    survey: None,
                    diagnostics: vec![bounds::recursion_limit(&src, &e)],
                };
            }
            let help = if message.contains("recurse") || message.contains("recursion") {
                "nest fewer inline tables or arrays here; a survey needs only a few levels of nesting"
            } else if message.contains("missing field") {
                "add the missing field; docs/survey-format.md lists every field"
            } else if message.contains("unknown field") {
                "remove or rename the field; docs/survey-format.md lists the allowed fields"
            } else if message.contains("duplicate key") {
                "each key may appear once per table; rename or merge the duplicates"
            } else {
                "fix the TOML syntax at this place (quotes, brackets, '=' between key and value)"
            };
            let mut diagnostics = out_of_bounds;
            diagnostics.push(src.diagnostic(Severity::Error, span, message, help));
            diagnostics.sort_by_key(|a| (a.line, a.column));
            return Checked {
                survey: None,
                diagnostics,
            };
        }
    };
    let mut cx = Ctx {
        src,
        diags: out_of_bounds,
        ahp_consistency_is_error: strict_ahp,
        unusable_scales: HashSet::new(),
    };
    let survey = build(&mut cx, raw);
    let survey = if cx.has_errors() { None } else { survey };
    cx.diags.sort_by_key(|a| (a.line, a.column));
    Checked {
        survey,
        diagnostics: cx.diags,
    }
}

fn text(s: &Option<S<String>>) -> Option<String> {
    s.as_ref().map(|v| v.get_ref().clone())
}

/// The stages of validation, in the order their diagnostics are made: metadata, plan, preface
/// and closing; scales; questions (with unique ids and roles); the tree with its weights and the
/// questions its leaves reference; SERVQUAL pairs; respondent columns; unused scales.
fn build(cx: &mut Ctx, raw: RawSurvey) -> Option<Survey> {
    let meta = build_meta(cx, raw.survey.get_ref());
    let plan = raw.plan.as_ref().map(|p| build_plan(cx, p.get_ref()));
    let preface = raw.preface.as_ref().map(|p| build_preface(cx, p.get_ref()));
    let closing = raw.closing.as_ref().map(|c| Closing {
        thanks: text(&c.get_ref().thanks),
        contact: text(&c.get_ref().contact),
    });
    let (mut scales, scale_spans) = build_scales(cx, &raw.scales.0, meta.language);

    let mut ids = IdRegistry::default();
    let mut used_scales: HashSet<String> = HashSet::new();
    let profile = build_section(
        cx,
        &raw.profile,
        Section::Profile,
        &scales,
        &mut ids,
        &mut used_scales,
    );
    let mut questions = build_section(
        cx,
        &raw.question,
        Section::Body,
        &scales,
        &mut ids,
        &mut used_scales,
    );
    check_roles_unique(cx, raw.profile.iter().chain(&raw.question));

    let tree = build_tree(cx, &raw.tree, &mut ids);
    // Questions referenced by leaves.
    let mut placed: HashMap<String, usize> = HashMap::new();
    collect_question_refs(
        cx,
        raw.tree.get_ref(),
        &tree,
        &mut 0,
        &mut placed,
        &profile,
        &mut questions,
    );
    warn_unplaced_ratings(cx, &questions);
    check_servqual_pairs(cx, &questions);
    default_not_applicable(&mut scales, [&profile, &questions], meta.language);

    let respondents = match &raw.respondents {
        Some(r) => build_respondents(cx, r.get_ref(), &ids),
        None => Respondents::default(),
    };
    warn_unused_scales(cx, &scale_spans, &used_scales);
    let simulate = raw.simulate.as_ref().map(|raw| {
        let zh = meta.language == Language::Zh;
        let (spec, problems) =
            super::simulate_spec::build(raw.get_ref(), &tree, &respondents.attributes, zh);
        for (span, message, help) in problems {
            cx.error(span, message, help);
        }
        spec
    });

    Some(Survey {
        meta,
        plan,
        preface,
        closing,
        respondents,
        scales,
        profile,
        questions,
        tree,
        simulate,
        source: cx.src.clone(),
    })
}

/// `[survey]`: the language and the survey id.
fn build_meta(cx: &mut Ctx, m: &RawMeta) -> Meta {
    let language = match m.language.get_ref().as_str() {
        "zh" => Language::Zh,
        "en" => Language::En,
        other => {
            cx.error(
                m.language.span(),
                format!("language '{other}' is not supported"),
                "use \"zh\" or \"en\"",
            );
            Language::En
        }
    };
    let sid = m.id.get_ref();
    if sid.is_empty()
        || !sid
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        cx.error(
            m.id.span(),
            format!("survey id '{sid}' must be lowercase ASCII letters, digits, '-' or '_'"),
            format!(
                "use an id such as \"{}\"",
                suggest_id(sid).replace('_', "-")
            ),
        );
    }
    Meta {
        id: sid.clone(),
        title: m.title.get_ref().clone(),
        language,
        version: text(&m.version).unwrap_or_else(|| "1".to_string()),
        organisation: m.organisation.clone(),
        author: m.author.clone(),
    }
}

/// `[plan]`: known research methods, positive sizes, fractions strictly between 0 and 1.
fn build_plan(cx: &mut Ctx, p: &RawPlan) -> Plan {
    for method in &p.methods {
        if !PLAN_METHODS.contains(&method.get_ref().as_str()) {
            cx.error(
                method.span(),
                format!("unknown research method '{}'", method.get_ref()),
                format!("use one of: {}", PLAN_METHODS.join(", ")),
            );
        }
    }
    let positive = |cx: &mut Ctx, v: &Option<S<i64>>, what: &str| -> Option<u64> {
        let v = v.as_ref()?;
        if *v.get_ref() <= 0 {
            cx.error(
                v.span(),
                format!("{what} must be a positive whole number"),
                format!("set {what} to e.g. 400"),
            );
            None
        } else {
            Some(*v.get_ref() as u64)
        }
    };
    let sample_size = positive(cx, &p.sample_size, "sample_size");
    let population_size = positive(cx, &p.population_size, "population_size");
    if let (Some(n), Some(big_n), Some(span)) = (
        sample_size,
        population_size,
        p.sample_size.as_ref().map(|v| v.span()),
    ) && n > big_n
    {
        cx.error(
            span,
            format!("sample_size {n} is larger than population_size {big_n}; a sample cannot have more people than the population"),
            format!("set sample_size to at most {big_n} (a census), or correct population_size"),
        );
    }
    let fraction = |cx: &mut Ctx, v: &Option<S<f64>>, what: &str, example: &str| -> Option<f64> {
        let v = v.as_ref()?;
        let x = *v.get_ref();
        if !(x > 0.0 && x < 1.0) {
            cx.error(
                v.span(),
                format!("{what} is {x}; it must lie strictly between 0 and 1"),
                format!("write it as a fraction, e.g. {what} = {example}"),
            );
            None
        } else {
            Some(x)
        }
    };
    Plan {
        objective: text(&p.objective),
        population: text(&p.population),
        scope: text(&p.scope),
        methods: p.methods.iter().map(|m| m.get_ref().clone()).collect(),
        sample_size,
        population_size,
        margin: fraction(cx, &p.margin, "margin", "0.05"),
        confidence: fraction(cx, &p.confidence, "confidence", "0.95"),
        response_rate: fraction(cx, &p.response_rate, "response_rate", "0.3"),
        field_start: text(&p.field_start),
        field_end: text(&p.field_end),
    }
}

/// `[preface]`: a positive completion time.
fn build_preface(cx: &mut Ctx, p: &RawPreface) -> Preface {
    if let Some(m) = &p.minutes
        && !(*m.get_ref() > 0.0 && m.get_ref().is_finite())
    {
        cx.error(
            m.span(),
            "minutes must be a positive number",
            "state the expected completion time, e.g. minutes = 10",
        );
    }
    Preface {
        purpose: text(&p.purpose),
        confidentiality: text(&p.confidentiality),
        minutes: p.minutes.as_ref().map(|m| *m.get_ref()),
        instructions: text(&p.instructions),
    }
}

/// The declared scales in file order, then the built-in ones not redefined; with the span of
/// each declared scale's name (for the unused-scale warning).
fn build_scales(
    cx: &mut Ctx,
    raw: &[(S<String>, S<RawScale>)],
    language: Language,
) -> (Vec<Scale>, HashMap<String, Range<usize>>) {
    let mut scales = Vec::new();
    let mut scale_spans: HashMap<String, Range<usize>> = HashMap::new();
    for (name, sc) in raw {
        if let Some(s) = build_scale(cx, name, sc.get_ref(), &mut scale_spans) {
            scales.push(s);
        }
    }
    for b in builtin_scales(language) {
        if !scales.iter().any(|s| s.name == b.name) {
            scales.push(b);
        }
    }
    (scales, scale_spans)
}

/// One `[scales.<name>]` table; `None` when its points are unusable (then it is not recorded in
/// `scale_spans` either).
fn build_scale(
    cx: &mut Ctx,
    name: &S<String>,
    s: &RawScale,
    scale_spans: &mut HashMap<String, Range<usize>>,
) -> Option<Scale> {
    let span = name.span();
    let name_s = name.get_ref().clone();
    if !is_valid_id(&name_s) {
        cx.error(
            span.clone(),
            format!("scale name '{name_s}' must match [a-z][a-z0-9_]*"),
            format!("rename it to '{}'", suggest_id(&name_s)),
        );
    }
    let pts = s.points.get_ref();
    if pts.len() != 2 || pts[0] >= pts[1] {
        cx.error(
            s.points.span(),
            "points must be [min, max] with min < max",
            "write e.g. points = [1, 5]",
        );
        cx.unusable_scales.insert(name_s);
        return None;
    }
    let (min, max) = (pts[0], pts[1]);
    if !scale_is_within_bounds(cx, s, min, max) {
        cx.unusable_scales.insert(name_s);
        return None;
    }
    let mut labels = s
        .labels
        .as_ref()
        .map(|l| l.get_ref().clone())
        .unwrap_or_default();
    let points = max - min + 1;
    if labels.len() == 2 && points > 2 {
        // Two labels anchor the end points; the points between have none.
        let (low, high) = (labels[0].clone(), labels[1].clone());
        labels = vec![String::new(); points as usize];
        labels[0] = low;
        labels[points as usize - 1] = high;
    } else if !labels.is_empty() && labels.len() as i64 != points {
        let l = s.labels.as_ref().map(|l| l.span()).unwrap_or(span.clone());
        cx.error(
            l,
            format!("{} labels for {} points ({min}..{max})", labels.len(), points),
            format!("give one label per point ({points}), two labels to anchor the end points only, or none"),
        );
    }
    let ascending = match s.direction.as_ref().map(|d| d.get_ref().as_str()) {
        None | Some("ascending") => true,
        Some("descending") => false,
        Some(other) => {
            let sp = s
                .direction
                .as_ref()
                .map(|d| d.span())
                .unwrap_or(span.clone());
            cx.error(
                sp,
                format!("direction '{other}' is not known"),
                "use \"ascending\" (higher is better) or \"descending\"",
            );
            true
        }
    };
    if let Some(na) = &s.na_code
        && (min..=max).contains(na.get_ref())
    {
        cx.error(
            na.span(),
            format!(
                "na_code {} lies inside the scale {min}..{max}",
                na.get_ref()
            ),
            format!(
                "choose a code outside the scale, e.g. na_code = {}",
                [99, 999, 9999, -1]
                    .into_iter()
                    .find(|c| !(min..=max).contains(c))
                    .unwrap_or(max + 1)
            ),
        );
    }
    if scale_spans.insert(name_s.clone(), span.clone()).is_some() {
        cx.error(
            span.clone(),
            format!("scale '{name_s}' is defined twice"),
            "rename one of the scales",
        );
    }
    Some(Scale {
        name: name_s,
        min,
        max,
        labels,
        na_code: s.na_code.as_ref().map(|v| *v.get_ref()),
        na_label: text(&s.na_label),
        ascending,
        builtin: false,
    })
}

/// The stated bounds of a scale: codes within ±[`MAX_SCALE_CODE`] and at most
/// [`MAX_SCALE_POINTS`] points, so `max - min + 1` and every code fit everywhere later.
fn scale_is_within_bounds(cx: &mut Ctx, s: &RawScale, min: i64, max: i64) -> bool {
    let mut ok = true;
    if min < -MAX_SCALE_CODE || max > MAX_SCALE_CODE {
        cx.error(
            s.points.span(),
            format!("points [{min}, {max}] lie outside the codes a scale may use (−{MAX_SCALE_CODE} to {MAX_SCALE_CODE})"),
            "code the answers with small whole numbers, e.g. points = [1, 5] or [0, 10]",
        );
        ok = false;
    } else if max - min + 1 > MAX_SCALE_POINTS as i64 {
        cx.error(
            s.points.span(),
            format!("points [{min}, {max}] make a scale of {} points; a scale has at most {MAX_SCALE_POINTS}", max - min + 1),
            "use a rating scale of a few points (e.g. [1, 5], [0, 10], [0, 100]); record a count or amount as a numeric question",
        );
        ok = false;
    }
    if let Some(na) = &s.na_code
        && na.get_ref().unsigned_abs() > MAX_SCALE_CODE.unsigned_abs()
    {
        cx.error(
            na.span(),
            format!("na_code {} lies outside the codes a scale may use (−{MAX_SCALE_CODE} to {MAX_SCALE_CODE})", na.get_ref()),
            "choose a small code outside the scale, e.g. na_code = 99",
        );
        ok = false;
    }
    ok
}

/// The ids of questions and nodes seen so far, with the span of their first use: ids are unique
/// across the file.
#[derive(Default)]
struct IdRegistry {
    first: HashMap<String, Range<usize>>,
}

impl IdRegistry {
    /// Check an id's form and that it is new; `what` is "question" or "node".
    fn check(&mut self, cx: &mut Ctx, id: &S<String>, what: &str) {
        let s = id.get_ref();
        if !is_valid_id(s) {
            cx.error(
                id.span(),
                format!("{what} id '{s}' must match [a-z][a-z0-9_]* (lowercase ASCII)"),
                format!("rename it to '{}'", suggest_id(s)),
            );
        }
        if let Some(first) = self.first.get(s) {
            let (l, c) = cx.src.line_col(first.start);
            cx.error(
                id.span(),
                format!("duplicate id '{s}': already used at line {l}, column {c}"),
                "ids must be unique across the file; rename one of them",
            );
        } else {
            self.first.insert(s.clone(), id.span());
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.first.contains_key(id)
    }
}

/// The questions of one section (`[[profile]]` or `[[question]]`) that could be built.
fn build_section(
    cx: &mut Ctx,
    raw: &[S<RawQuestion>],
    section: Section,
    scales: &[Scale],
    ids: &mut IdRegistry,
    used_scales: &mut HashSet<String>,
) -> Vec<Question> {
    let mut out = Vec::new();
    for q in raw {
        ids.check(cx, &q.get_ref().id, "question");
        if let Some(q) = build_question(cx, q.get_ref(), section, scales, used_scales) {
            out.push(q);
        }
    }
    out
}

/// A role marks one question: analysis looks the item up by its role.
fn check_roles_unique<'r>(cx: &mut Ctx, raw: impl Iterator<Item = &'r S<RawQuestion>>) {
    let mut role_owner: HashMap<&str, (&str, Range<usize>)> = HashMap::new();
    for q in raw {
        let q = q.get_ref();
        let Some(r) = &q.role else { continue };
        let Some(role) = Role::parse(r.get_ref()) else {
            continue;
        };
        let name = role_name(role);
        match role_owner.get(name) {
            Some((first, first_span)) => {
                let (l, c) = cx.src.line_col(first_span.start);
                cx.error(
                    r.span(),
                    format!("role \"{name}\" is given to both '{first}' (line {l}, column {c}) and '{}'", q.id.get_ref()),
                    "a role marks one question; remove it from one of the two",
                );
            }
            None => {
                role_owner.insert(name, (q.id.get_ref().as_str(), r.span()));
            }
        }
    }
}

/// The indicator tree as an arena, from `[tree]` down; node ids join the question ids in `ids`.
fn build_tree(cx: &mut Ctx, raw: &S<RawNode>, ids: &mut IdRegistry) -> Tree {
    let mut nodes: Vec<Node> = Vec::new();
    let root = NodeSlot {
        id: "root".into(),
        span: raw.span(),
        parent: None,
        depth: 0,
        local_weight: None,
    };
    build_node(cx, &mut nodes, raw.get_ref(), root, ids);
    if nodes[0].children.is_empty() && nodes[0].questions.is_empty() {
        cx.error(
            raw.span(),
            "the indicator tree is empty",
            "add dimensions as [tree.<id>] tables with name and questions",
        );
    }
    Tree { nodes }
}

/// A rating question neither in the tree nor with a role or SERVQUAL part is likely forgotten.
fn warn_unplaced_ratings(cx: &mut Ctx, questions: &[Question]) {
    for q in questions.iter() {
        if q.kind.is_scaled() && q.node.is_none() && q.role.is_none() && q.measures.is_none() {
            cx.warn(
                q.span.clone(),
                format!(
                    "rating question '{}' is not measured in the tree and has no role",
                    q.id
                ),
                "list it under a tree node's questions, or give it a role such as \"overall\"",
            );
        }
    }
}

/// SERVQUAL pairs: an expectation item needs a perception item on the same scale, and each
/// attribute has at most one item per kind.
fn check_servqual_pairs(cx: &mut Ctx, questions: &[Question]) {
    let mut attrs: Vec<(&str, Vec<&Question>)> = Vec::new();
    for q in questions {
        if let Some(a) = &q.attribute {
            match attrs.iter_mut().find(|(k, _)| k == a) {
                Some((_, v)) => v.push(q),
                None => attrs.push((a.as_str(), vec![q])),
            }
        }
    }
    for (attr, qs) in &attrs {
        let e = qs
            .iter()
            .find(|q| q.measures == Some(Measures::Expectation));
        let p = qs.iter().find(|q| q.measures == Some(Measures::Perception));
        match (e, p) {
            (Some(e), None) => cx.error(
                e.span.clone(),
                format!("attribute '{attr}' has an expectation item but no perception item"),
                "add a question with the same attribute and measures = \"perception\"",
            ),
            (Some(e), Some(p)) if e.scale != p.scale => cx.error(
                e.span.clone(),
                format!(
                    "expectation '{}' and perception '{}' of '{attr}' use different scales",
                    e.id, p.id
                ),
                "use the same scale for both items of a pair",
            ),
            _ => {}
        }
        for m in [
            Measures::Expectation,
            Measures::Perception,
            Measures::Importance,
        ] {
            let same: Vec<_> = qs.iter().filter(|q| q.measures == Some(m)).collect();
            if same.len() > 1 {
                cx.error(
                    same[1].span.clone(),
                    format!(
                        "attribute '{attr}' has two {m:?} items ('{}' and '{}')",
                        same[0].id, same[1].id
                    )
                    .to_lowercase(),
                    "give each attribute one item per kind",
                );
            }
        }
    }
}

/// `[respondents]`: each column named once, and none named like a question or node.
fn build_respondents(cx: &mut Ctx, r: &RawRespondents, ids: &IdRegistry) -> Respondents {
    let mut names: Vec<&S<String>> = Vec::new();
    names.extend(r.id.iter());
    names.extend(r.weight.iter());
    names.extend(r.duration.iter());
    names.extend(r.attributes.iter());
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    for n in names {
        if ids.contains(n.get_ref()) {
            cx.error(
                n.span(),
                format!(
                    "respondent column '{}' has the same name as a question or node",
                    n.get_ref()
                ),
                "rename the column or the question",
            );
        }
        match seen.get(n.get_ref().as_str()) {
            Some(first) => {
                let (l, c) = cx.src.line_col(first.start);
                cx.error(
                    n.span(),
                    format!("[respondents] names column '{}' twice (first at line {l}, column {c})", n.get_ref()),
                    "each column of the response file has one meaning: id, weight, duration or one attribute; remove the repeat",
                );
            }
            None => {
                seen.insert(n.get_ref().as_str(), n.span());
            }
        }
    }
    Respondents {
        id: text(&r.id),
        weight: text(&r.weight),
        duration: text(&r.duration),
        attributes: r.attributes.iter().map(|a| a.get_ref().clone()).collect(),
    }
}

fn warn_unused_scales(
    cx: &mut Ctx,
    scale_spans: &HashMap<String, Range<usize>>,
    used_scales: &HashSet<String>,
) {
    for (name, span) in scale_spans {
        if !used_scales.contains(name) {
            cx.warn(
                span.clone(),
                format!("scale '{name}' is defined but no question uses it"),
                "remove it, or set scale = \"...\" on the questions that should use it",
            );
        }
    }
}

/// One question: its type, then each field checked against the type, in the order the
/// diagnostics are made: scale, choices, range, role, topic and section, "not applicable",
/// SERVQUAL part, reverse coding and text, max_choices. `None` when the type or a rating's
/// scale is missing (nothing else can be checked).
fn build_question(
    cx: &mut Ctx,
    q: &RawQuestion,
    section: Section,
    scales: &[Scale],
    used: &mut HashSet<String>,
) -> Option<Question> {
    let id = q.id.get_ref().clone();
    let Some(kind) = QuestionKind::parse(q.kind.get_ref()) else {
        cx.error(
            q.kind.span(),
            format!("question '{id}': unknown type '{}'", q.kind.get_ref()),
            "use one of: rating, single, multiple, numeric, text, nps",
        );
        return None;
    };
    let scale = question_scale(cx, q, &id, kind, scales, used)?;
    let choices = question_choices(cx, q, &id, kind);
    check_range_is_finite(cx, q, &id);
    if let (Some(lo), Some(hi)) = (&q.min, &q.max)
        && lo.get_ref() > hi.get_ref()
    {
        cx.error(
            lo.span(),
            format!(
                "question '{id}': min {} is above max {}",
                lo.get_ref(),
                hi.get_ref()
            ),
            "swap min and max",
        );
    }
    let role = question_role(cx, q, &id, kind);
    check_topic_and_section(cx, q, &id, section);
    check_not_applicable(cx, q, &id, kind, scale.as_deref(), scales);
    let measures = question_measures(cx, q, &id);
    check_reverse_and_text(cx, q, &id, kind);
    let max_choices = question_max_choices(cx, q, &id, kind, choices.len());
    Some(Question {
        id,
        text: q.text.get_ref().clone(),
        kind,
        scale,
        reverse: q.reverse,
        role,
        topic: text(&q.topic),
        choices,
        max_choices,
        min: q.min.as_ref().map(|v| *v.get_ref()),
        max: q.max.as_ref().map(|v| *v.get_ref()),
        integer: q.integer.unwrap_or(false),
        unit: q.unit.clone(),
        attribute: text(&q.attribute),
        measures,
        na: q.na,
        required: q.required.unwrap_or(section == Section::Body),
        help: q.help.clone(),
        aliases: q.aliases.clone(),
        section,
        node: None,
        span: q.id.span(),
    })
}

/// A numeric question's `min` and `max` are finite numbers within ±[`MAX_NUMERIC_BOUND`] (TOML
/// also writes `nan` and `inf`, and `max − min` of ±1e308 is infinite).
fn check_range_is_finite(cx: &mut Ctx, q: &RawQuestion, id: &str) {
    for (bound, what) in [(&q.min, "min"), (&q.max, "max")] {
        if let Some(v) = bound
            && !(v.get_ref().abs() <= MAX_NUMERIC_BOUND)
        {
            cx.error(
                v.span(),
                format!(
                    "question '{id}': {what} {} is not a finite number within ±{MAX_NUMERIC_BOUND:e}",
                    v.get_ref()
                ),
                format!("write the {} plausible answer, e.g. {what} = 0, or leave {what} out for no bound", if what == "min" { "smallest" } else { "largest" }),
            );
        }
    }
}

/// The resolved scale name of a rating or NPS question (NPS defaults to `nps11`), marked as used;
/// `Some(None)` for an unknown scale or another type; `None` when a rating question has no
/// scale at all.
fn question_scale(
    cx: &mut Ctx,
    q: &RawQuestion,
    id: &str,
    kind: QuestionKind,
    scales: &[Scale],
    used: &mut HashSet<String>,
) -> Option<Option<String>> {
    if !kind.is_scaled() {
        if let Some(s) = &q.scale {
            cx.error(
                s.span(),
                format!(
                    "question '{id}' is of type {} and cannot have a scale",
                    kind.as_str()
                ),
                "remove the scale, or change the type to \"rating\"",
            );
        }
        return Some(None);
    }
    let name = match (&q.scale, kind) {
        (Some(s), _) => s,
        (None, QuestionKind::Nps) => return Some(Some("nps11".to_string())),
        (None, _) => {
            cx.error(
                q.id.span(),
                format!("rating question '{id}' has no scale"),
                "add scale = \"likert5\" or the name of a [scales.<name>] table",
            );
            return None;
        }
    };
    match scales.iter().find(|x| &x.name == name.get_ref()) {
        Some(sc) => {
            if kind == QuestionKind::Nps && (sc.min, sc.max) != (0, 10) {
                cx.error(
                    name.span(),
                    format!("NPS question '{id}' must use a 0–10 scale"),
                    "use scale = \"nps11\" or drop the scale",
                );
            }
            used.insert(sc.name.clone());
            Some(Some(sc.name.clone()))
        }
        None if cx.unusable_scales.contains(name.get_ref()) => Some(None),
        None => {
            let known: Vec<&str> = scales.iter().map(|s| s.name.as_str()).collect();
            cx.error(
                name.span(),
                format!("question '{id}' uses unknown scale '{}'", name.get_ref()),
                format!(
                    "define [scales.{}] or use one of: {}",
                    name.get_ref(),
                    known.join(", ")
                ),
            );
            Some(None)
        }
    }
}

/// The choice labels: at least two, each once, and only on choice questions.
fn question_choices(cx: &mut Ctx, q: &RawQuestion, id: &str, kind: QuestionKind) -> Vec<String> {
    let choices = q
        .choices
        .as_ref()
        .map(|c| c.get_ref().clone())
        .unwrap_or_default();
    if matches!(kind, QuestionKind::Single | QuestionKind::Multiple) {
        if choices.len() < 2 {
            let sp = q.choices.as_ref().map(|c| c.span()).unwrap_or(q.id.span());
            cx.error(
                sp,
                format!("choice question '{id}' needs at least two choices"),
                "add choices = [\"...\", \"...\"]",
            );
        }
        if kind == QuestionKind::Multiple && choices.len() > MAX_MULTIPLE_CHOICES {
            let sp = q.choices.as_ref().map(|c| c.span()).unwrap_or(q.id.span());
            cx.error(
                sp,
                format!(
                    "multiple-choice question '{id}' has {} choices; one has at most {MAX_MULTIPLE_CHOICES}",
                    choices.len()
                ),
                "group the rarer choices (e.g. into \"other\"), or split the question in two",
            );
        }
        let mut seen = HashSet::new();
        for c in &choices {
            if !seen.insert(c) {
                let sp = q.choices.as_ref().map(|c| c.span()).unwrap_or(q.id.span());
                cx.error(
                    sp,
                    format!("question '{id}' lists choice '{c}' twice"),
                    "make every choice label unique",
                );
            }
        }
    } else if let Some(c) = &q.choices {
        cx.error(
            c.span(),
            format!(
                "question '{id}' of type {} cannot have choices",
                kind.as_str()
            ),
            "use type = \"single\" or \"multiple\", or remove choices",
        );
    }
    choices
}

/// A known role that fits the question type.
fn question_role(cx: &mut Ctx, q: &RawQuestion, id: &str, kind: QuestionKind) -> Option<Role> {
    let r = q.role.as_ref()?;
    let Some(role) = Role::parse(r.get_ref()) else {
        cx.error(
            r.span(),
            format!("question '{id}': unknown role '{}'", r.get_ref()),
            "use one of: overall, repurchase, recommend, complaint, effort",
        );
        return None;
    };
    let (fits, needs) = match role {
        Role::Complaint => (
            matches!(kind, QuestionKind::Single | QuestionKind::Rating),
            "single or rating",
        ),
        _ => (kind.is_scaled(), "rating or nps"),
    };
    if !fits {
        cx.error(
            r.span(),
            format!(
                "question '{id}' is of type {} and cannot have role \"{}\"",
                kind.as_str(),
                role_name(role)
            ),
            format!(
                "role \"{}\" needs a {needs} question; change the type, or remove the role",
                role_name(role)
            ),
        );
    }
    Some(role)
}

/// A known topic; no SERVQUAL part on a profile question.
fn check_topic_and_section(cx: &mut Ctx, q: &RawQuestion, id: &str, section: Section) {
    if let Some(t) = &q.topic
        && !PROFILE_TOPICS.contains(&t.get_ref().as_str())
    {
        cx.error(
            t.span(),
            format!("question '{id}': topic '{}' is not known", t.get_ref()),
            format!("use one of: {}", PROFILE_TOPICS.join(", ")),
        );
    }
    if section == Section::Profile {
        for (key, v) in [("measures", &q.measures), ("attribute", &q.attribute)] {
            if let Some(v) = v {
                cx.error(
                    v.span(),
                    format!("profile question '{id}' has {key} = \"{}\"; expectation/perception/importance pairs belong in the body", v.get_ref()),
                    format!("move the question to [[question]], or remove {key}"),
                );
            }
        }
    }
}

/// The "not applicable" code of a scale without `na_code` that an `na = true` question uses.
pub const DEFAULT_NA_CODE: i64 = 99;

/// A scale that an `na = true` question uses and that has no `na_code` gets
/// [`DEFAULT_NA_CODE`] and, without an `na_label`, the language's "Not applicable" / "不适用",
/// so import, the questionnaire and the codebook all see the same code.
fn default_not_applicable(scales: &mut [Scale], sections: [&[Question]; 2], language: Language) {
    for sc in scales.iter_mut().filter(|sc| sc.na_code.is_none()) {
        let used = (sections.iter().flat_map(|s| s.iter()))
            .any(|q| q.na && q.scale.as_deref() == Some(sc.name.as_str()));
        if used && !(sc.min..=sc.max).contains(&DEFAULT_NA_CODE) {
            sc.na_code = Some(DEFAULT_NA_CODE);
            if sc.na_label.is_none() {
                sc.na_label = Some(match language {
                    Language::Zh => "不适用".into(),
                    Language::En => "Not applicable".into(),
                });
            }
        }
    }
}

/// `na = true` needs a rating or NPS question whose scale has an N/A code (its own, or 99).
fn check_not_applicable(
    cx: &mut Ctx,
    q: &RawQuestion,
    id: &str,
    kind: QuestionKind,
    scale: Option<&str>,
    scales: &[Scale],
) {
    if !q.na {
        return;
    }
    match scale.and_then(|n| scales.iter().find(|s| s.name == n)) {
        // Without an na_code the scale falls back to 99 (docs/survey-format.md), unless 99 is
        // one of its points.
        Some(sc) if sc.na_code.is_none() && (sc.min..=sc.max).contains(&DEFAULT_NA_CODE) => {
            let sp = q.scale.as_ref().map(|s| s.span()).unwrap_or(q.id.span());
            let free = [999, 9999, -1]
                .into_iter()
                .find(|c| !(sc.min..=sc.max).contains(c))
                .unwrap_or(sc.max + 1);
            let cure = if sc.builtin {
                format!(
                    "define [scales.my_{0}] with points = [{1}, {2}], na_code = {free} and na_label, and use it here",
                    sc.name, sc.min, sc.max
                )
            } else {
                format!("add na_code = {free} (and na_label = \"...\") to [scales.{}]", sc.name)
            };
            cx.error(sp, format!("question '{id}' allows \"not applicable\" (na = true), but its scale '{}' has no na_code and the default code {DEFAULT_NA_CODE} is one of its points", sc.name), cure);
        }
        Some(_) => {}
        None if kind.is_scaled() => {} // an unknown scale is reported above
        None => cx.error(
            q.id.span(),
            format!("question '{id}' of type {} has na = true, but only rating and nps questions have a \"not applicable\" code", kind.as_str()),
            "remove na = true; for a choice question add a \"not applicable\" choice instead",
        ),
    }
}

/// The SERVQUAL part: `measures` and `attribute` come together, with a known measure and a
/// valid attribute id.
fn question_measures(cx: &mut Ctx, q: &RawQuestion, id: &str) -> Option<Measures> {
    let measures = match &q.measures {
        Some(m) => {
            let v = match m.get_ref().as_str() {
                "expectation" => Some(Measures::Expectation),
                "perception" => Some(Measures::Perception),
                "importance" => Some(Measures::Importance),
                other => {
                    cx.error(
                        m.span(),
                        format!("question '{id}': measures '{other}' is not known"),
                        "use \"expectation\", \"perception\" or \"importance\"",
                    );
                    None
                }
            };
            if q.attribute.is_none() {
                cx.error(
                    m.span(),
                    format!("question '{id}' says what it measures but names no attribute"),
                    "add attribute = \"<attribute id>\" shared by the pair",
                );
            }
            v
        }
        None => {
            if let Some(a) = &q.attribute {
                cx.error(
                    a.span(),
                    format!("question '{id}' names an attribute but not what it measures"),
                    "add measures = \"expectation\" | \"perception\" | \"importance\"",
                );
            }
            None
        }
    };
    if let Some(a) = &q.attribute
        && !is_valid_id(a.get_ref())
    {
        cx.error(
            a.span(),
            format!("attribute '{}' must match [a-z][a-z0-9_]*", a.get_ref()),
            format!("rename it to '{}'", suggest_id(a.get_ref())),
        );
    }
    measures
}

/// Reverse coding only on ratings (never NPS); the text is not empty.
fn check_reverse_and_text(cx: &mut Ctx, q: &RawQuestion, id: &str, kind: QuestionKind) {
    if q.reverse && !kind.is_scaled() {
        cx.error(
            q.id.span(),
            format!("question '{id}' is reverse-coded but is not a rating"),
            "remove reverse = true",
        );
    }
    if q.reverse && kind == QuestionKind::Nps {
        cx.error(q.id.span(), format!("NPS question '{id}' cannot be reverse-coded"), "remove reverse = true: NPS always runs from 0 (not at all likely) to 10 (extremely likely)");
    }
    if q.text.get_ref().trim().is_empty() {
        cx.error(
            q.text.span(),
            format!("question '{id}' has empty text"),
            "write the question as the respondent will read it",
        );
    }
}

/// `max_choices` only on multiple choice, from 1 to the number of choices.
fn question_max_choices(
    cx: &mut Ctx,
    q: &RawQuestion,
    id: &str,
    kind: QuestionKind,
    n_choices: usize,
) -> Option<u32> {
    match &q.max_choices {
        Some(m) if kind != QuestionKind::Multiple => {
            cx.error(m.span(), format!("question '{id}' of type {} cannot have max_choices", kind.as_str()), "max_choices limits a multiple-choice question; remove it, or set type = \"multiple\"");
            None
        }
        Some(m) if *m.get_ref() < 1 => {
            cx.error(
                m.span(),
                "max_choices must be at least 1",
                "remove it or set a positive number",
            );
            None
        }
        Some(m) if n_choices >= 2 && *m.get_ref() > n_choices as i64 => {
            cx.error(
                m.span(),
                format!(
                    "max_choices = {} but question '{id}' has only {} choices",
                    m.get_ref(),
                    n_choices
                ),
                format!(
                    "set max_choices to at most {}, or remove it to allow any number",
                    n_choices
                ),
            );
            None
        }
        Some(m) => Some(*m.get_ref() as u32),
        None => None,
    }
}

fn ratio(r: &RawRatio) -> Option<f64> {
    match r {
        RawRatio::Number(x) => Some(*x),
        RawRatio::Integer(i) => Some(*i as f64),
        RawRatio::Text(t) => {
            let t = t.trim();
            match t.split_once('/') {
                Some((a, b)) => {
                    let a: f64 = a.trim().parse().ok()?;
                    let b: f64 = b.trim().parse().ok()?;
                    (b != 0.0).then_some(a / b)
                }
                None => t.parse().ok(),
            }
        }
    }
}

/// Where a node goes in the arena: its id and span, its parent and depth, and the weight its
/// parent gives it (`None` under a parent that derives its weights from data).
struct NodeSlot {
    id: String,
    span: Range<usize>,
    parent: Option<usize>,
    depth: usize,
    local_weight: Option<f64>,
}

/// Push one node and (depth first, in document order) its subtree; returns the node's index.
/// The node's shape is checked, then how it weights its children, then each child's id.
fn build_node(
    cx: &mut Ctx,
    nodes: &mut Vec<Node>,
    raw: &RawNode,
    slot: NodeSlot,
    ids: &mut IdRegistry,
) -> usize {
    let me = nodes.len();
    let span = slot.span.clone();
    let parent = slot.parent;
    let depth = slot.depth;
    nodes.push(Node {
        name: raw
            .name
            .as_ref()
            .map(|n| n.get_ref().clone())
            .unwrap_or_else(|| slot.id.clone()),
        id: slot.id,
        description: raw.description.clone(),
        parent,
        children: Vec::new(),
        questions: raw
            .questions
            .as_ref()
            .map(|q| q.get_ref().iter().map(|s| s.get_ref().clone()).collect())
            .unwrap_or_default(),
        local_weight: slot.local_weight,
        weighting: ChildWeighting::Equal,
        depth,
        span: span.clone(),
    });
    check_node_shape(cx, raw, &nodes[me].id, &span, parent.is_some());
    let (weighting, weights) = child_weighting(cx, raw, &nodes[me].id, &span);
    nodes[me].weighting = weighting.clone();
    let derived = matches!(weighting, ChildWeighting::Derive { .. });
    for (ci, (cid, child)) in raw.children.iter().enumerate() {
        ids.check(cx, cid, "node");
        let lw = if derived {
            None
        } else {
            Some(weights[ci].unwrap_or(0.0))
        };
        let slot = NodeSlot {
            id: cid.get_ref().clone(),
            span: child.span(),
            parent: Some(me),
            depth: depth + 1,
            local_weight: lw,
        };
        let c = build_node(cx, nodes, child.get_ref(), slot, ids);
        nodes[me].children.push(c);
    }
    me
}

/// A named node below the root; children or questions, not both; a leaf has questions.
fn check_node_shape(
    cx: &mut Ctx,
    raw: &RawNode,
    node_id: &str,
    span: &Range<usize>,
    has_parent: bool,
) {
    if raw.name.is_none() && has_parent {
        cx.warn(
            span.clone(),
            format!("node '{node_id}' has no name"),
            "add name = \"...\" so reports show a readable label",
        );
    }
    if !raw.children.is_empty() && raw.questions.is_some() {
        let sp = raw
            .questions
            .as_ref()
            .map(|q| q.span())
            .unwrap_or(span.clone());
        cx.error(
            sp,
            format!("node '{node_id}' has both child nodes and questions"),
            "move the questions into a child node (questions belong to leaves)",
        );
    }
    if raw.children.is_empty()
        && has_parent
        && raw
            .questions
            .as_ref()
            .is_none_or(|q| q.get_ref().is_empty())
    {
        cx.error(
            span.clone(),
            format!("leaf node '{node_id}' is measured by no question"),
            "add questions = [\"<question id>\"], or remove the node",
        );
    }
}

/// How a node weights its children (one of ahp, derive and weights), with each child's weight
/// in child order (`None` where unknown). A leaf must set none of them.
fn child_weighting(
    cx: &mut Ctx,
    raw: &RawNode,
    node_id: &str,
    span: &Range<usize>,
) -> (ChildWeighting, Vec<Option<f64>>) {
    let k = raw.children.len();
    let mut weights: Vec<Option<f64>> = vec![None; k];
    let weighting_modes = [
        raw.ahp.is_some(),
        raw.derive.is_some(),
        raw.weights.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if weighting_modes > 1 {
        cx.error(
            span.clone(),
            format!("node '{node_id}' sets more than one of ahp, derive and weights"),
            "choose one way to weight the children",
        );
    }
    let child_weights: Vec<Option<&S<f64>>> = raw
        .children
        .iter()
        .map(|(_, c)| c.get_ref().weight.as_ref())
        .collect();
    let weighting = if k == 0 {
        check_leaf_weighting(cx, raw, node_id);
        ChildWeighting::Equal
    } else if let Some(a) = &raw.ahp {
        for w in child_weights.iter().flatten() {
            cx.error(
                w.span(),
                format!(
                    "node '{node_id}' is weighted by AHP, so its children cannot carry a weight"
                ),
                "remove this weight; the AHP matrix decides it",
            );
        }
        ahp_weighting(cx, raw, a.get_ref(), node_id, &mut weights)
    } else if let Some(d) = &raw.derive {
        derived_weighting(cx, d, node_id, &child_weights)
    } else {
        declared_weighting(cx, raw, node_id, span, &child_weights, &mut weights)
    };
    (weighting, weights)
}

/// `ahp = { order, matrix }`: the order lists exactly the children, the matrix is square,
/// reciprocal and (as an error or a warning) consistent; the eigenvector gives the weights.
fn ahp_weighting(
    cx: &mut Ctx,
    raw: &RawNode,
    a: &RawAhp,
    node_id: &str,
    weights: &mut [Option<f64>],
) -> ChildWeighting {
    let order: Vec<&String> = a.order.get_ref().iter().collect();
    let child_ids: Vec<&String> = raw.children.iter().map(|(k, _)| k.get_ref()).collect();
    let mut sorted_o = order.clone();
    sorted_o.sort();
    let mut sorted_c = child_ids.clone();
    sorted_c.sort();
    if sorted_o != sorted_c {
        cx.error(
            a.order.span(),
            format!(
                "ahp order {:?} does not list exactly the children of '{}' ({:?})",
                order, node_id, child_ids
            ),
            "list every child id once in `order`",
        );
        return ChildWeighting::Equal;
    }
    let n = order.len();
    let mut m = Vec::new();
    let mut ok = a.matrix.get_ref().len() == n;
    for row in a.matrix.get_ref() {
        ok &= row.len() == n;
        let r: Vec<f64> = row.iter().map(|v| ratio(v).unwrap_or(f64::NAN)).collect();
        m.push(r);
    }
    if !ok {
        cx.error(
            a.matrix.span(),
            format!("ahp matrix must be {n}×{n}, one row and column per child in `order`"),
            "write one row per child, each with one judgement per child",
        );
        return ChildWeighting::Equal;
    }
    let res = match ahp::ahp_weights(&m) {
        Ok(res) => res,
        Err(e) => {
            let help = match e {
                AhpError::NotReciprocal { .. } => {
                    "set a_ji = 1/a_ij (fractions may be written as \"1/3\")"
                }
                AhpError::DiagonalNotOne { .. } => "every element compared with itself is 1",
                _ => "use Saaty's 1–9 scale and its reciprocals, e.g. 3 or \"1/3\"",
            };
            cx.error(
                a.matrix.span(),
                format!("ahp matrix of '{node_id}': {e}"),
                help,
            );
            return ChildWeighting::Equal;
        }
    };
    if !res.consistent() {
        let pair = res.worst_pair.map(|(i, j, implied)| {
            format!("; the most inconsistent pair is ({}, {}) judged {} where the other judgements imply {:.2}", order[i], order[j], fmt_num(m[i][j]), implied)
        }).unwrap_or_default();
        let message = format!(
            "ahp matrix of '{}' is inconsistent: CR = {:.3} (λmax = {:.3}, CI = {:.3}), above {CR_THRESHOLD}{pair}",
            node_id, res.cr, res.lambda_max, res.ci
        );
        let help = "revise the judgements of that pair toward the implied ratio, then re-run check";
        if cx.ahp_consistency_is_error {
            cx.error(a.matrix.span(), message, help);
        } else {
            cx.warn(a.matrix.span(), message, help);
        }
    }
    for (ci, (cid, _)) in raw.children.iter().enumerate() {
        if let Some(pos) = order.iter().position(|o| *o == cid.get_ref()) {
            weights[ci] = Some(res.weights[pos]);
        }
    }
    // Store the matrix in child order for reports.
    ChildWeighting::Ahp {
        matrix: m,
        result: res,
    }
}

/// `derive = "entropy" | "regression"`: weights come from the data at analysis time, so the
/// children carry none.
fn derived_weighting(
    cx: &mut Ctx,
    d: &S<String>,
    node_id: &str,
    child_weights: &[Option<&S<f64>>],
) -> ChildWeighting {
    let weighting = match d.get_ref().as_str() {
        "entropy" => ChildWeighting::Derive {
            derive: DeriveMethod::Entropy,
        },
        "regression" => ChildWeighting::Derive {
            derive: DeriveMethod::Regression,
        },
        other => {
            cx.error(
                d.span(),
                format!("derive = \"{other}\" is not known"),
                "use derive = \"entropy\" or derive = \"regression\"",
            );
            ChildWeighting::Equal
        }
    };
    for w in child_weights.iter().flatten() {
        cx.error(w.span(), format!("node '{node_id}' derives its weights from data, so its children cannot carry a weight"), "remove this weight, or remove derive");
    }
    weighting
}

/// `weights = "equal" | "explicit"` (explicit when unset and a child has a weight).
fn declared_weighting(
    cx: &mut Ctx,
    raw: &RawNode,
    node_id: &str,
    span: &Range<usize>,
    child_weights: &[Option<&S<f64>>],
    weights: &mut [Option<f64>],
) -> ChildWeighting {
    let explicit = match raw.weights.as_ref().map(|w| w.get_ref().as_str()) {
        Some("equal") => false,
        Some("explicit") => true,
        Some(other) => {
            let sp = raw
                .weights
                .as_ref()
                .map(|w| w.span())
                .unwrap_or(span.clone());
            cx.error(
                sp,
                format!("weights = \"{other}\" is not known"),
                "use weights = \"equal\" or \"explicit\", or an ahp table, or derive",
            );
            false
        }
        None => child_weights.iter().any(|w| w.is_some()),
    };
    if explicit {
        check_explicit_weights(cx, raw, node_id, span, child_weights);
        for (i, w) in child_weights.iter().enumerate() {
            weights[i] = w.map(|w| *w.get_ref());
        }
        ChildWeighting::Explicit
    } else {
        for w in child_weights.iter().flatten() {
            cx.error(
                w.span(),
                format!(
                    "node '{node_id}' weights its children equally, so they cannot carry a weight"
                ),
                "remove this weight, or remove weights = \"equal\"",
            );
        }
        let k = weights.len();
        for w in weights.iter_mut() {
            *w = Some(1.0 / k as f64);
        }
        ChildWeighting::Equal
    }
}

/// Explicit weights: every sibling has one, each in (0, 1], and they sum to 1.
fn check_explicit_weights(
    cx: &mut Ctx,
    raw: &RawNode,
    node_id: &str,
    span: &Range<usize>,
    child_weights: &[Option<&S<f64>>],
) {
    let mut sum = 0.0;
    for ((cid, c), w) in raw.children.iter().zip(child_weights) {
        match w {
            None => cx.error(
                c.span(),
                format!(
                    "child '{}' of '{}' has no weight while its siblings do",
                    cid.get_ref(),
                    node_id
                ),
                "give every sibling a weight, or use weights = \"equal\"",
            ),
            Some(w) => {
                let x = *w.get_ref();
                if !(x > 0.0 && x <= 1.0) {
                    cx.error(
                        w.span(),
                        format!(
                            "weight {} of '{}' must be above 0 and at most 1",
                            fmt_num(x),
                            cid.get_ref()
                        ),
                        "weights are shares of the parent; write e.g. 0.25",
                    );
                }
                sum += x;
            }
        }
    }
    if child_weights.iter().all(|w| w.is_some()) && (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        let first = child_weights[0].map(|w| w.span()).unwrap_or(span.clone());
        let list: Vec<String> = raw
            .children
            .iter()
            .zip(child_weights)
            .map(|((cid, _), w)| {
                format!(
                    "{}={}",
                    cid.get_ref(),
                    fmt_num(*w.map(|w| w.get_ref()).unwrap_or(&0.0))
                )
            })
            .collect();
        cx.error(
            first,
            format!(
                "weights of the children of '{}' sum to {} ({}); sibling weights must sum to 1",
                node_id,
                fmt_num(sum),
                list.join(", ")
            ),
            format!(
                "scale them so they add up to 1, e.g. divide each by {}",
                fmt_num(sum)
            ),
        );
    }
}

/// A leaf has no children to weight: no ahp, derive or weights.
fn check_leaf_weighting(cx: &mut Ctx, raw: &RawNode, node_id: &str) {
    if let Some(a) = &raw.ahp {
        cx.error(
            a.span(),
            format!("leaf '{node_id}' has an ahp table but no child nodes"),
            "move the ahp table to the parent of the nodes it compares",
        );
    }
    if let Some(d) = &raw.derive {
        cx.error(d.span(), format!("leaf '{}' has derive = \"{}\" but no child nodes to weight", node_id, d.get_ref()), "remove derive (a leaf's questions are averaged), or move it to the parent of the nodes it should weight");
    }
    if let Some(w) = &raw.weights {
        cx.error(w.span(), format!("leaf '{}' has weights = \"{}\" but no child nodes to weight", node_id, w.get_ref()), "remove weights (a leaf's questions are averaged), or move it to the parent of the nodes it should weight");
    }
}

/// Resolve every leaf's question references (walking the raw tree in the same order as the arena).
fn collect_question_refs(
    cx: &mut Ctx,
    raw: &RawNode,
    tree: &Tree,
    next: &mut usize,
    placed: &mut HashMap<String, usize>,
    profile: &[Question],
    questions: &mut [Question],
) {
    let me = *next;
    *next += 1;
    if let Some(qs) = &raw.questions {
        for q in qs.get_ref() {
            let qid = q.get_ref();
            if let Some(&other) = placed.get(qid) {
                cx.error(
                    q.span(),
                    format!(
                        "question '{qid}' is already measured by node '{}'",
                        tree.nodes[other].id
                    ),
                    "a question measures one leaf; remove one of the references",
                );
                continue;
            }
            match questions.iter_mut().find(|x| &x.id == qid) {
                Some(x) => {
                    if !x.kind.is_scaled() {
                        cx.error(
                            q.span(),
                            format!(
                                "question '{qid}' is of type {} and cannot measure an indicator",
                                x.kind.as_str()
                            ),
                            "only rating and nps questions enter the index",
                        );
                    }
                    x.node = Some(me);
                    placed.insert(qid.clone(), me);
                }
                None if profile.iter().any(|p| &p.id == qid) => {
                    cx.error(
                        q.span(),
                        format!(
                            "question '{qid}' is a profile question and cannot measure an indicator"
                        ),
                        "move it to [[question]] or reference a body question",
                    );
                }
                None => {
                    let mut close: Vec<&str> = questions
                        .iter()
                        .map(|x| x.id.as_str())
                        .filter(|x| x.starts_with(qid.get(..2.min(qid.len())).unwrap_or("")))
                        .collect();
                    close.dedup();
                    close.truncate(5);
                    cx.error(
                        q.span(),
                        format!(
                            "node '{}' references unknown question '{qid}'",
                            tree.nodes[me].id
                        ),
                        if close.is_empty() {
                            "define it as a [[question]] with this id".to_string()
                        } else {
                            format!(
                                "define it as a [[question]], or use one of: {}",
                                close.join(", ")
                            )
                        },
                    );
                }
            }
        }
    }
    for (_, c) in &raw.children {
        collect_question_refs(cx, c.get_ref(), tree, next, placed, profile, questions);
    }
}

pub use crate::numbers::fmt_num;
