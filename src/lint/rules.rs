//! The lint rules: one static table, one entry per rule.
//!
//! To add a rule: write its check function below, add a [`Rule`] entry to [`RULES`] (with a bad
//! and a good example, which `docs/lint-rules.md` shows), and add a positive and a negative case
//! to the table in `src/lint/tests.rs`. The tests fail until both cases exist.
//!
//! Keyword lists cover Chinese and English; wording rules read the question text only (not the
//! choices), with parenthesised notes such as scale anchors and examples left out.

use std::collections::HashMap;

use serde::Serialize;

use super::context::{Ctx, Finding};
use super::text::{
    ascii_lower, cjk_count, clauses, english_number, explained, first_of, mask_parens, occurrences,
    parse_number, visible_chars,
};
use crate::diagnostic::Severity::{self, Error, Info, Warning};
use crate::model::{Question, QuestionKind, Role, Section};

/// The part of questionnaire design a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Structure,
    Wording,
    Scales,
    Weights,
    Length,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Structure => "Structure",
            Group::Wording => "Wording",
            Group::Scales => "Scales",
            Group::Weights => "Weights and tree",
            Group::Length => "Length",
        }
    }
}

/// One lint rule.
pub struct Rule {
    /// Stable id used in output, rules files and `allow(...)` comments.
    pub id: &'static str,
    pub group: Group,
    /// Severity unless a rules file re-grades it.
    pub severity: Severity,
    pub description: &'static str,
    /// A snippet of a survey file that the rule reports.
    pub bad: &'static str,
    /// The same snippet fixed.
    pub good: &'static str,
    pub check: fn(&Ctx) -> Vec<Finding>,
}

/// Every rule, in the order of `docs/lint-rules.md`.
pub static RULES: &[Rule] = &[
    // ------------------------------------------------------------------ structure
    Rule {
        id: "preface_purpose",
        group: Group::Structure,
        severity: Warning,
        description: "The preface says who runs the survey and what it is for.",
        bad: "[preface]\nminutes = 5",
        good: "[preface]\npurpose = \"您好！我们想了解您对本店服务的看法，以便改进。\"\nminutes = 5",
        check: preface_purpose,
    },
    Rule {
        id: "preface_confidentiality",
        group: Group::Structure,
        severity: Warning,
        description: "The preface says how answers are protected and used.",
        bad: "[preface]\npurpose = \"We would like your views on our service.\"",
        good: "[preface]\npurpose = \"We would like your views on our service.\"\nconfidentiality = \"Answers are anonymous and reported only in aggregate.\"",
        check: preface_confidentiality,
    },
    Rule {
        id: "preface_time",
        group: Group::Structure,
        severity: Warning,
        description: "The preface states the time needed (`minutes`).",
        bad: "[preface]\npurpose = \"我们想了解您的看法。\"",
        good: "[preface]\npurpose = \"我们想了解您的看法。\"\nminutes = 5",
        check: preface_time,
    },
    Rule {
        id: "closing_thanks",
        group: Group::Structure,
        severity: Warning,
        description: "The closing thanks the respondent.",
        bad: "[closing]\ncontact = \"cx@example.com\"",
        good: "[closing]\nthanks = \"感谢您的参与！\"\ncontact = \"cx@example.com\"",
        check: closing_thanks,
    },
    Rule {
        id: "profile_section",
        group: Group::Structure,
        severity: Warning,
        description: "Besides the body, a profile section asks when, where, what and how often customers buy (`[[profile]]` with topic when/where/what/frequency/channel).",
        bad: "# only [[question]] entries, no [[profile]]",
        good: "[[profile]]\nid = \"visit_frequency\"\ntext = \"您多久来一次本店？\"\ntype = \"single\"\ntopic = \"frequency\"\nchoices = [\"每周多次\", \"每周一次\", \"每月一两次\", \"更少\"]",
        check: profile_section,
    },
    Rule {
        id: "indicator_unmeasured",
        group: Group::Structure,
        severity: Error,
        description: "Every indicator (leaf of the tree) is measured by at least one question.",
        bad: "[tree.delivery]\nname = \"配送\"",
        good: "[tree.delivery]\nname = \"配送\"\nquestions = [\"dl_speed\"]",
        check: indicator_unmeasured,
    },
    Rule {
        id: "overall_item",
        group: Group::Structure,
        severity: Warning,
        description: "The survey has an overall-satisfaction item (`role = \"overall\"`), the target of driver analysis.",
        bad: "# no question with role = \"overall\"",
        good: "[[question]]\nid = \"overall_sat\"\ntext = \"总体而言，您对本店的满意程度如何？\"\ntype = \"rating\"\nscale = \"score10\"\nrole = \"overall\"",
        check: overall_item,
    },
    Rule {
        id: "open_last",
        group: Group::Structure,
        severity: Warning,
        description: "The last question is open-ended (type = \"text\"), so respondents can add what the questions missed.",
        bad: "# the last [[question]] is a rating",
        good: "[[question]]\nid = \"comments\"\ntext = \"还有什么想告诉我们的？\"\ntype = \"text\"\nrequired = false",
        check: open_last,
    },
    Rule {
        id: "sensitive_early",
        group: Group::Structure,
        severity: Warning,
        description: "Sensitive questions (income, exact age, contact details) come at the end of the questionnaire, and demographic questions at the end of their section, not before the questions about the service.",
        bad: "[[profile]]\nid = \"income\"\ntext = \"您的月收入是多少？\"\ntype = \"numeric\"\n\n[[profile]]\nid = \"visit_frequency\"\n# ...",
        good: "[[profile]]\nid = \"visit_frequency\"\n# ...\n\n# the income question moved to the end of the body, before the open question",
        check: sensitive_early,
    },
    Rule {
        id: "general_before_specific",
        group: Group::Structure,
        severity: Warning,
        description: "Within a dimension, a general item (总体, 综合, overall, in general) comes before the specific ones, so the specific items do not colour it.",
        bad: "text = \"您对店员的专业能力是否满意？\"\n# ...\ntext = \"总体而言，您对店员服务是否满意？\"   # same dimension, asked last",
        good: "text = \"总体而言，您对店员服务是否满意？\"\n# ...\ntext = \"您对店员的专业能力是否满意？\"",
        check: general_before_specific,
    },
    // ------------------------------------------------------------------ wording
    Rule {
        id: "double_barrelled",
        group: Group::Wording,
        severity: Warning,
        description: "A question asks about one thing: two subjects joined by 和/及/与/以及/并且/and/or cannot be answered by someone who rates them differently. Compounds (和蔼, 及时, 参与), parenthesised lists and choices are not counted.",
        bad: "text = \"您对本店的价格和服务质量是否满意？\"",
        good: "text = \"您对本店的价格是否满意？\"\n# ...\ntext = \"您对本店的服务质量是否满意？\"",
        check: double_barrelled,
    },
    Rule {
        id: "leading_question",
        group: Group::Wording,
        severity: Error,
        description: "A question does not push towards an answer (难道, 您不认为, 大家都认为, \"don't you agree\", \"wouldn't you say\").",
        bad: "text = \"难道您不认为我们的配送很快吗？\"",
        good: "text = \"您对配送速度是否满意？\"",
        check: leading_question,
    },
    Rule {
        id: "presupposition",
        group: Group::Wording,
        severity: Error,
        description: "A question does not take a judgement for granted (您对我们优质的服务…, \"how much do you love\", \"our excellent\").",
        bad: "text = \"How much do you love our excellent app?\"",
        good: "text = \"How satisfied are you with the app?\"",
        check: presupposition,
    },
    Rule {
        id: "jargon",
        group: Group::Wording,
        severity: Warning,
        description: "Plain words: terms from the glossary setting and ALL-CAPS acronyms of 2–5 letters are explained in parentheses, unless they are in `known_acronyms`.",
        bad: "text = \"您对 RFQ 功能是否满意？\"",
        good: "text = \"您对在线询价（RFQ）功能是否满意？\"",
        check: jargon,
    },
    Rule {
        id: "vague_quantifier",
        group: Group::Wording,
        severity: Warning,
        description: "Concrete words: vague quantifiers (经常, 偶尔, 有时, often, sometimes, regularly) are defined, e.g. 经常（每周至少一次）.",
        bad: "text = \"您经常在网上买书吗？\"",
        good: "text = \"过去一个月，您在网上买过几次书？\"",
        check: vague_quantifier,
    },
    Rule {
        id: "long_question",
        group: Group::Wording,
        severity: Warning,
        description: "A question is short: at most `max_question_chars_zh` (40) CJK characters in Chinese, `max_question_chars_en` (120) characters in English; parenthesised notes are not counted.",
        bad: "text = \"考虑到您在过去一段时间里通过我们的门店、网站、手机应用以及电话等多种渠道与我们打交道时所获得的全部体验，请问您总体上对我们的服务感到满意吗？\"",
        good: "text = \"总体而言，您对我们的服务是否满意？\"",
        check: long_question,
    },
    Rule {
        id: "double_negative",
        group: Group::Wording,
        severity: Error,
        description: "No double negatives (不是不, 没有不, \"not unhelpful\", \"never not\").",
        bad: "text = \"店员并非不愿意帮助顾客。\"",
        good: "text = \"店员愿意帮助顾客。\"",
        check: double_negative,
    },
    Rule {
        id: "recall_period",
        group: Group::Wording,
        severity: Warning,
        description: "Respondents can remember the period asked about: at most 12 months back (not 去年, 过去三年, \"in the last five years\").",
        bad: "text = \"过去三年里，您投诉过几次？\"",
        good: "text = \"过去 6 个月内，您是否投诉过？\"",
        check: recall_period,
    },
    Rule {
        id: "calculation",
        group: Group::Wording,
        severity: Warning,
        description: "A question does not make the respondent calculate (百分之多少, 平均每月花费多少, \"what percentage\", \"on average how much\").",
        bad: "text = \"您的图书开支中百分之多少花在本店？\"",
        good: "text = \"您买的书大部分是在本店买的吗？\"\ntype = \"single\"\nchoices = [\"几乎全部\", \"大部分\", \"一半左右\", \"少部分\", \"几乎没有\"]",
        check: calculation,
    },
    Rule {
        id: "hypothetical",
        group: Group::Wording,
        severity: Warning,
        description: "Questions ask about experience, not imagined situations (如果, 假如, \"if you were\", \"would you … if\").",
        bad: "text = \"如果我们开设夜间门店，您会来吗？\"",
        good: "text = \"过去一个月，您是否在晚上 9 点以后想买书却找不到开门的书店？\"",
        check: hypothetical,
    },
    // ------------------------------------------------------------------ scales
    Rule {
        id: "unbalanced_scale",
        group: Group::Scales,
        severity: Warning,
        description: "A labelled scale has as many positive as negative labels around its middle.",
        bad: "[scales.sat4]\npoints = [1, 4]\nlabels = [\"不满意\", \"一般\", \"满意\", \"非常满意\"]",
        good: "[scales.sat5]\npoints = [1, 5]\nlabels = [\"非常不满意\", \"不满意\", \"一般\", \"满意\", \"非常满意\"]",
        check: unbalanced_scale,
    },
    Rule {
        id: "grid_inconsistent",
        group: Group::Scales,
        severity: Warning,
        description: "The rating items of one dimension (a grid) use the same number of points and the same direction.",
        bad: "[tree.staff]\nquestions = [\"st_knowledge\", \"st_attitude\"]   # sat5 and score10",
        good: "[tree.staff]\nquestions = [\"st_knowledge\", \"st_attitude\"]   # both sat5",
        check: grid_inconsistent,
    },
    Rule {
        id: "reverse_undeclared",
        group: Group::Scales,
        severity: Warning,
        description: "A negatively worded rating statement (不, 没有, 难以, 太, \"not\", \"difficult\", \"never\") is declared `reverse = true` so it is scored the right way round. Two negations cancel out; satisfaction questions (满意, satisfied) are not judged.",
        bad: "text = \"网站上的信息难以找到。\"\ntype = \"rating\"\nscale = \"agree5\"",
        good: "text = \"网站上的信息难以找到。\"\ntype = \"rating\"\nscale = \"agree5\"\nreverse = true",
        check: reverse_undeclared,
    },
    Rule {
        id: "na_option",
        group: Group::Scales,
        severity: Info,
        description: "A rating item about a service not every respondent uses (delivery, app, complaints, events, …) offers \"not applicable\" (`na = true`).",
        bad: "text = \"您对配送速度是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"",
        good: "text = \"您对配送速度是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\nna = true",
        check: na_option,
    },
    // ------------------------------------------------------------------ weights
    Rule {
        id: "weights_sum",
        group: Group::Weights,
        severity: Error,
        description: "Sibling weights in the tree sum to 1 (re-reported from `satkit check`).",
        bad: "[tree.product]\nweight = 0.6\n[tree.service]\nweight = 0.6",
        good: "[tree.product]\nweight = 0.4\n[tree.service]\nweight = 0.6",
        check: weights_sum,
    },
    Rule {
        id: "ahp_consistency",
        group: Group::Weights,
        severity: Error,
        description: "An AHP judgement matrix is consistent: CR < 0.1 (re-reported from `satkit check`).",
        bad: "matrix = [[1, 3, \"1/3\"], [\"1/3\", 1, 3], [3, \"1/3\", 1]]",
        good: "matrix = [[1, 2, 4], [\"1/2\", 1, 2], [\"1/4\", \"1/2\", 1]]",
        check: ahp_consistency,
    },
    Rule {
        id: "zero_weight",
        group: Group::Weights,
        severity: Error,
        description: "No node has a weight of 0: remove the node instead (re-reported from `satkit check`).",
        bad: "[tree.price]\nweight = 0",
        good: "# remove [tree.price], or give it a share such as weight = 0.2",
        check: zero_weight,
    },
    // ------------------------------------------------------------------ length
    Rule {
        id: "completion_time",
        group: Group::Length,
        severity: Warning,
        description: "The time stated in the preface matches an estimate from reading speed (`reading_speed_zh` characters, `reading_speed_en` words a minute) and answer time per item (rating 4 s, single 5 s, multiple 8 s, numeric 8 s, text 30 s, nps 4 s): not over by more than 25 % or under by more than 50 %.",
        bad: "[preface]\nminutes = 2     # 40 questions take about 8 minutes",
        good: "[preface]\nminutes = 8",
        check: completion_time,
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The rule id closest to a misspelt one.
pub fn suggest(id: &str) -> Option<&'static str> {
    let score = |a: &str, b: &str| {
        let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        let shared = a
            .split('_')
            .filter(|w| b.split('_').any(|v| v == *w))
            .count();
        common + 3 * shared
    };
    RULES
        .iter()
        .map(|r| (score(id, r.id), r.id))
        .filter(|(s, _)| *s >= 3)
        .max_by_key(|(s, _)| *s)
        .map(|(_, id)| id)
}

/// `docs/lint-rules.md`, generated from the table.
pub fn markdown() -> String {
    let mut out = String::from(
        "# satkit lint rules\n\n\
         <!-- Generated by `satkit lint --list-rules --format markdown`; edit src/lint/rules.rs, not this file. -->\n\n\
         `satkit lint SURVEY.toml...` checks a valid survey against the rules below. Each finding has a rule id, a\n\
         severity, the `file:line:col` of the offending text, a message and a one-line fix. The exit status is 1\n\
         when any finding is an error, 2 when a file does not parse or validate (its `satkit check` diagnostics\n\
         are printed), 0 otherwise.\n\n\
         ## Configuring rules\n\n\
         A rules file (`--rules rules.toml`) switches rules off or re-grades them and sets the numbers some rules use:\n\n\
         ```toml\n[rules]\ndouble_barrelled = \"off\"        # \"off\" | \"error\" | \"warning\" | \"info\"\nna_option = \"warning\"\n\n\
         [settings]                      # may also be written at the top level\nmax_question_chars_zh = 40      # CJK characters\n\
         max_question_chars_en = 120     # characters\nglossary = [\"SKU\", \"RFQ\"]      # jargon to flag (replaces the default list)\n\
         known_acronyms = [\"NPS\"]        # acronyms that need no explanation (added to the default list)\n\
         reading_speed_zh = 300          # characters per minute\nreading_speed_en = 200          # words per minute\n```\n\n\
         A single finding is allowed with a comment on the line of the offending text or the line before it:\n\n\
         ```toml\n# satkit-lint: allow(double_barrelled)\ntext = \"您对退换货的流程和时效是否满意？\"\n```\n\n\
         `allow(a, b)` allows several rules and `allow(all)` every rule. A grading rubric can carry the same\n\
         settings in its `[lint]` table.\n\n",
    );
    out.push_str("## Rules\n\n| Rule | Group | Default | What it checks |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            r.id,
            r.id,
            r.group.title(),
            r.severity,
            r.description.replace('|', "\\|")
        ));
    }
    let mut group = None;
    for r in RULES {
        if group != Some(r.group) {
            out.push_str(&format!("\n## {}\n", r.group.title()));
            group = Some(r.group);
        }
        out.push_str(&format!(
            "\n### {}\n\nDefault severity: **{}**. {}\n\nBad:\n\n```toml\n{}\n```\n\nGood:\n\n```toml\n{}\n```\n",
            r.id, r.severity, r.description, r.bad, r.good
        ));
    }
    out
}

// ====================================================================== helpers

/// A question's text without parenthesised notes, as written and lower-cased (same byte offsets).
struct Words {
    masked: String,
    lower: String,
}

fn words(q: &Question) -> Words {
    let masked = mask_parens(&q.text);
    let lower = ascii_lower(&masked);
    Words { masked, lower }
}

/// Quote a question text for a message, shortened when long.
fn quote(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 60 {
        format!("\"{text}\"")
    } else {
        format!("\"{}…\"", chars[..57].iter().collect::<String>())
    }
}

/// Find the first of the Chinese (in the masked text) or English (in the lower-cased masked
/// text) keywords.
fn find_keyword<'w>(
    w: &Words,
    zh: &[&'w str],
    zh_excl: &[&str],
    en: &[&'w str],
    en_excl: &[&str],
) -> Option<(usize, &'w str)> {
    let a = first_of(&w.masked, zh, zh_excl);
    let b = first_of(&w.lower, en, en_excl);
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// One finding per question whose text contains a keyword.
fn keyword_rule(
    cx: &Ctx,
    zh: &[&str],
    zh_excl: &[&str],
    en: &[&str],
    en_excl: &[&str],
    message: impl Fn(&Question, &str) -> String,
    help: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let w = words(q);
        if let Some((pos, kw)) = find_keyword(&w, zh, zh_excl, en, en_excl) {
            let found = &q.text[pos..pos + kw.len()];
            out.push(Finding::at(
                cx.in_text(q, pos, kw.len()),
                message(q, found),
                help,
            ));
        }
    }
    out
}

const GENERAL_ZH: &[&str] = &["总体", "整体", "总的来说", "综合", "总而言之", "全面来看"];
const GENERAL_EN: &[&str] = &[
    "overall",
    "in general",
    "all things considered",
    "all in all",
    "as a whole",
    "taken together",
    "on the whole",
];

fn is_general(q: &Question) -> bool {
    let w = words(q);
    find_keyword(&w, GENERAL_ZH, &[], GENERAL_EN, &[]).is_some()
}

// ====================================================================== structure

fn preface_text(
    cx: &Ctx,
    key: &str,
    get: fn(&crate::model::Preface) -> Option<&str>,
    what: &str,
    help: &str,
) -> Vec<Finding> {
    match &cx.survey.preface {
        None => vec![Finding::at(
            cx.header("survey"),
            format!("the survey has no [preface], so it does not state {what}"),
            help,
        )],
        Some(p) if get(p).is_none_or(|s| s.trim().is_empty()) => {
            vec![Finding::at(
                cx.header("preface"),
                format!("the preface has no `{key}`: it does not state {what}"),
                help,
            )]
        }
        _ => Vec::new(),
    }
}

fn preface_purpose(cx: &Ctx) -> Vec<Finding> {
    preface_text(
        cx,
        "purpose",
        |p| p.purpose.as_deref(),
        "who asks and why",
        "add purpose = \"...\" to [preface]: who runs the survey and what the answers are for",
    )
}

fn preface_confidentiality(cx: &Ctx) -> Vec<Finding> {
    preface_text(
        cx,
        "confidentiality",
        |p| p.confidentiality.as_deref(),
        "how answers are protected",
        "add confidentiality = \"...\" to [preface], e.g. \"问卷匿名，结果只以汇总形式使用。\"",
    )
}

fn preface_time(cx: &Ctx) -> Vec<Finding> {
    let help =
        "add minutes = N to [preface] (`satkit lint` estimates the time; see completion_time)";
    match &cx.survey.preface {
        None => vec![Finding::at(
            cx.header("survey"),
            "the survey has no [preface], so it does not state the time needed",
            help,
        )],
        Some(p) if p.minutes.is_none() => {
            vec![Finding::at(
                cx.header("preface"),
                "the preface does not state the time needed (`minutes`)",
                help,
            )]
        }
        _ => Vec::new(),
    }
}

fn closing_thanks(cx: &Ctx) -> Vec<Finding> {
    let help = "add [closing] with thanks = \"感谢您的参与！\" (or \"Thank you for your time.\")";
    match &cx.survey.closing {
        None => vec![Finding::at(
            cx.header("survey"),
            "the survey has no [closing] that thanks the respondent",
            help,
        )],
        Some(c) if c.thanks.as_deref().is_none_or(|t| t.trim().is_empty()) => {
            vec![Finding::at(
                cx.header("closing"),
                "the closing does not thank the respondent (`thanks`)",
                help,
            )]
        }
        _ => Vec::new(),
    }
}

const BEHAVIOUR_TOPICS: &[&str] = &["when", "where", "what", "frequency", "channel"];

/// A profile question about buying behaviour: by its topic, or by its words when it has none.
pub fn is_behaviour_question(q: &Question) -> bool {
    match q.topic.as_deref() {
        Some(t) => BEHAVIOUR_TOPICS.contains(&t),
        None => {
            let w = words(q);
            find_keyword(
                &w,
                &[
                    "多久",
                    "频率",
                    "几次",
                    "多少次",
                    "何时",
                    "什么时候",
                    "最近一次",
                    "哪里",
                    "在哪",
                    "渠道",
                    "方式",
                    "购买",
                    "消费",
                    "使用",
                ],
                &[],
                &[
                    "how often",
                    "when",
                    "where",
                    "which",
                    "buy",
                    "bought",
                    "purchase",
                    "channel",
                    "shop",
                    "visit",
                    "use",
                ],
                &[],
            )
            .is_some()
        }
    }
}

fn profile_section(cx: &Ctx) -> Vec<Finding> {
    let s = cx.survey;
    let help = "add [[profile]] questions on when, where, what and how often customers buy (topic = \"when\" | \"where\" | \"what\" | \"frequency\" | \"channel\")";
    if s.profile.is_empty() {
        return vec![Finding::at(
            cx.header("survey"),
            "the questionnaire has no profile section ([[profile]]) on how customers buy",
            help,
        )];
    }
    if !s.profile.iter().any(is_behaviour_question) {
        let q = &s.profile[0];
        return vec![Finding::at(
            cx.text_span(q),
            "no profile question asks when, where, what or how often customers buy",
            help,
        )];
    }
    Vec::new()
}

fn from_check(cx: &Ctx, id: &str) -> Vec<Finding> {
    cx.check_errors
        .iter()
        .filter(|(r, _)| *r == id)
        .map(|(_, d)| Finding {
            span: None,
            message: d.message.clone(),
            help: d.help.clone(),
            check: Some(d.clone()),
        })
        .collect()
}

fn indicator_unmeasured(cx: &Ctx) -> Vec<Finding> {
    from_check(cx, "indicator_unmeasured")
}

/// The survey has an overall-satisfaction item: a role, or a general rating item about satisfaction.
pub fn has_overall_item(s: &crate::model::Survey) -> bool {
    s.role_item(Role::Overall).is_some()
        || s.questions.iter().any(|q| {
            q.kind.is_scaled()
                && q.node.is_none()
                && is_general(q)
                && (q.text.contains("满意") || q.text.to_ascii_lowercase().contains("satisf"))
        })
}

fn overall_item(cx: &Ctx) -> Vec<Finding> {
    if has_overall_item(cx.survey) {
        return Vec::new();
    }
    let span = cx
        .survey
        .questions
        .first()
        .map(|q| q.span.clone())
        .unwrap_or_else(|| cx.header("survey"));
    vec![Finding::at(
        span,
        "the survey has no overall-satisfaction item",
        "add a rating question such as \"总体而言，您对本店的满意程度如何？\" with role = \"overall\"",
    )]
}

fn open_last(cx: &Ctx) -> Vec<Finding> {
    match cx.survey.questions.last() {
        Some(q) if q.kind != QuestionKind::Text => vec![Finding::at(
            cx.kind_span(q),
            format!(
                "the last question '{}' is a {} question, not an open one",
                q.id,
                q.kind.as_str()
            ),
            "end with an open question such as \"还有什么想告诉我们的？\" (type = \"text\", required = false)",
        )],
        _ => Vec::new(),
    }
}

/// What makes a question sensitive: income, exact age or contact details.
fn sensitive_kind(q: &Question) -> Option<&'static str> {
    if q.topic.as_deref() == Some("contact") {
        return Some("contact details");
    }
    let w = words(q);
    if find_keyword(
        &w,
        &["收入", "月薪", "年薪", "工资", "薪水", "薪资"],
        &[],
        &["income", "salary", "earn", "earnings"],
        &[],
    )
    .is_some()
    {
        return Some("income");
    }
    if find_keyword(
        &w,
        &[
            "电话",
            "手机号",
            "邮箱",
            "电子邮件",
            "微信号",
            "住址",
            "地址",
            "姓名",
            "身份证",
        ],
        &[],
        &[
            "phone number",
            "telephone",
            "e-mail",
            "email",
            "address",
            "your name",
        ],
        &[],
    )
    .is_some()
    {
        return Some("contact details");
    }
    let asks_age = find_keyword(
        &w,
        &["年龄", "出生", "生日", "几岁", "多大年纪"],
        &[],
        &["age", "how old", "born", "birth"],
        &[],
    )
    .is_some();
    if asks_age && (q.kind == QuestionKind::Numeric || q.kind == QuestionKind::Text) {
        return Some("exact age");
    }
    None
}

fn is_demographic(q: &Question) -> bool {
    q.topic.as_deref() == Some("demographic") || {
        let w = words(q);
        find_keyword(
            &w,
            &[
                "年龄",
                "性别",
                "学历",
                "教育程度",
                "职业",
                "婚姻",
                "家庭人口",
            ],
            &[],
            &[
                "age group",
                "your age",
                "gender",
                "education",
                "occupation",
                "marital",
                "household",
            ],
            &[],
        )
        .is_some()
    }
}

fn sensitive_early(cx: &Ctx) -> Vec<Finding> {
    let s = cx.survey;
    let all: Vec<&Question> = s.all_questions().collect();
    // The closing open question may follow the sensitive ones.
    let last_open = s
        .questions
        .last()
        .filter(|q| q.kind == QuestionKind::Text)
        .map(|q| q.id.as_str());
    let counts = |q: &Question| Some(q.id.as_str()) != last_open;
    let mut out = Vec::new();
    for (i, q) in all.iter().enumerate() {
        if let Some(kind) = sensitive_kind(q) {
            let later = all[i + 1..]
                .iter()
                .filter(|x| counts(x) && sensitive_kind(x).is_none())
                .count();
            if later > 0 {
                out.push(Finding::at(
                    cx.text_span(q),
                    format!("question '{}' asks for {kind} but {later} question(s) follow it", q.id),
                    "move sensitive questions (income, exact age, contact details) to the end of the questionnaire, just before the open question",
                ));
            }
        } else if is_demographic(q) {
            let later = all[i + 1..]
                .iter()
                .filter(|x| counts(x))
                .filter(|x| {
                    x.section == q.section && !is_demographic(x) && sensitive_kind(x).is_none()
                })
                .count();
            if later > 0 {
                let section = if q.section == Section::Profile {
                    "profile"
                } else {
                    "body"
                };
                out.push(Finding::at(
                    cx.text_span(q),
                    format!("demographic question '{}' comes before {later} other question(s) of the {section} section", q.id),
                    format!("move it after the other {section} questions; ask about behaviour before the person"),
                ));
            }
        }
    }
    out
}

fn general_before_specific(cx: &Ctx) -> Vec<Finding> {
    let s = cx.survey;
    let order: HashMap<&str, usize> = s
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for &d in s.tree.dimensions() {
        let mut qs: Vec<&Question> = s
            .tree
            .questions_under(d)
            .into_iter()
            .filter_map(|id| s.question(id))
            .collect();
        qs.sort_by_key(|q| order.get(q.id.as_str()).copied().unwrap_or(usize::MAX));
        let mut specific: Vec<&str> = Vec::new();
        for q in qs {
            if is_general(q) {
                if let Some(first) = specific.first() {
                    out.push(Finding::at(
                        cx.text_span(q),
                        format!(
                            "general item '{}' comes after {} specific item(s) of dimension '{}' (first: '{first}')",
                            q.id,
                            specific.len(),
                            s.tree.nodes[d].id
                        ),
                        "ask the general question of a dimension before its specific ones",
                    ));
                }
            } else {
                specific.push(&q.id);
            }
        }
    }
    out
}

// ====================================================================== wording

const ZH_CONJ: &[&str] = &["以及", "并且", "和", "及", "与"];
const ZH_CONJ_EXCL: &[&str] = &[
    "和蔼",
    "和谐",
    "温和",
    "平和",
    "柔和",
    "总和",
    "和平",
    "缓和",
    "和睦",
    "暖和",
    "随和",
    "和气",
    "和善",
    "祥和",
    "谦和",
    "及时",
    "及格",
    "及早",
    "涉及",
    "普及",
    "来得及",
    "来不及",
    "提及",
    "危及",
    "顾及",
    "以及",
    "参与",
    "与其",
    "给与",
    "赋与",
    "与否",
    "授与",
    "您和",
    "你和",
    "我和",
    "他和",
    "她和",
    "我们和",
    "与您",
    "和您",
    "与我们",
    "和我们",
    "与你",
    "和你",
];
const EN_CONJ: &[&str] = &["and", "or"];
const EN_CONJ_EXCL: &[&str] = &[
    "more or less",
    "and so on",
    "and so forth",
    "or not",
    "whether or not",
    "pros and cons",
    "terms and conditions",
    "rock and roll",
    "black and white",
    "bed and breakfast",
    "research and development",
    "sooner or later",
    "once or twice",
    "one or two",
    "two or three",
    "or so",
    "q and a",
    "friend or colleague",
    "friends or colleagues",
    "friends and family",
    "family and friends",
    "friend or relative",
    "friends or family",
    "short of or exceeded",
    "short of or exceed",
];

/// Words after "A 与 B" that make it one relation between two things, not two subjects.
const ZH_RELATION: &[&str] = &[
    "一致",
    "相关",
    "匹配",
    "相符",
    "关系",
    "差距",
    "差异",
    "对比",
    "比较",
    "相比",
    "吻合",
    "符合",
    "沟通",
    "交流",
    "联系",
    "合作",
    "打交道",
    "之间",
];
/// Clause openings that set a scene ("考虑到价格和服务，…", "When your contract or plan ends, …").
const ZH_SCENE: &[&str] = &["综合考虑", "考虑到", "考虑", "根据", "结合", "当", "在"];
const EN_SCENE: &[&str] = &[
    "when",
    "if",
    "before",
    "after",
    "while",
    "whether",
    "considering",
    "thinking",
    "given",
    "in",
];

fn double_barrelled(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for q in cx
        .survey
        .all_questions()
        .filter(|q| !matches!(q.kind, QuestionKind::Nps | QuestionKind::Text))
    {
        let w = words(q);
        let cl = clauses(&w.masked);
        let clause_of = |i: usize| {
            cl.iter()
                .rev()
                .find(|(off, _)| *off <= i)
                .map(|(off, c)| (*off, *c))
                .unwrap_or((0, ""))
        };
        let mut hits: Vec<(usize, &str)> = Vec::new();
        for c in ZH_CONJ {
            for i in occurrences(&w.masked, c, ZH_CONJ_EXCL) {
                let (off, clause) = clause_of(i);
                let rest = &clause[i - off + c.len()..];
                let scene =
                    ZH_SCENE.iter().any(|s| clause.trim_start().starts_with(s)) && cl.len() > 1;
                if ZH_RELATION.iter().any(|r| rest.contains(r)) || scene {
                    continue;
                }
                hits.push((i, *c));
            }
        }
        // "or" joins alternatives in a yes/no or choice question ("products or service"): only a
        // rating item that rates "A or B" is double-barrelled.
        let en: &[&str] = if q.kind == QuestionKind::Rating {
            EN_CONJ
        } else {
            &["and"]
        };
        for c in en {
            for i in occurrences(&w.lower, c, EN_CONJ_EXCL) {
                let (off, clause) = clause_of(i);
                let first = clause.split_whitespace().next().unwrap_or("");
                let first = first.to_ascii_lowercase();
                let scene = EN_SCENE.contains(&first.as_str()) && cl.len() > 1 && i > off;
                if scene || !en_conjunction_joins_subjects(&w.lower, i, c) {
                    continue;
                }
                hits.push((i, *c));
            }
        }
        // A conjunction at the very start does not join two subjects.
        hits.retain(|(i, _)| w.masked[..*i].trim().chars().count() >= 1);
        hits.sort();
        if let Some(&(pos, c)) = hits.first() {
            out.push(Finding::at(
                cx.in_text(q, pos, c.len()),
                format!(
                    "question '{}' may ask two things at once, joined by '{c}': {}",
                    q.id,
                    quote(&q.text)
                ),
                "ask one thing per question: split it into one question per subject",
            ));
        }
    }
    out
}

/// False for "between A and B", antonym pairs ("formally or informally") and number pairs.
fn en_conjunction_joins_subjects(lower: &str, i: usize, c: &str) -> bool {
    let before = &lower[..i];
    if c == "and"
        && before
            .split_whitespace()
            .rev()
            .take(4)
            .any(|w| w == "between" || w == "both")
    {
        return false;
    }
    let prev = before
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    let next = lower[i + c.len()..]
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let antonym = ["un", "in", "im", "ir", "il", "dis", "non"]
        .iter()
        .any(|p| next.strip_prefix(p) == Some(prev) || prev.strip_prefix(p) == Some(next));
    let numbers = english_number(prev).is_some() && english_number(next).is_some();
    !prev.is_empty() && !next.is_empty() && !antonym && !numbers
}

fn leading_question(cx: &Ctx) -> Vec<Finding> {
    keyword_rule(
        cx,
        &[
            "难道",
            "您不认为",
            "你不认为",
            "您不觉得",
            "你不觉得",
            "大家都认为",
            "大家都觉得",
            "众所周知",
            "大多数人认为",
            "多数顾客认为",
            "不是吗",
            "您一定",
            "你一定",
            "您肯定也",
        ],
        &[],
        &[
            "don't you agree",
            "wouldn't you say",
            "don't you think",
            "do you not agree",
            "isn't it true",
            "wouldn't you agree",
            "most people agree",
            "everyone agrees",
            "as everyone knows",
            "surely",
            "you must agree",
        ],
        &[],
        |q, kw| {
            format!(
                "question '{}' leads the respondent towards an answer ('{kw}')",
                q.id
            )
        },
        "ask neutrally, e.g. \"您对…是否满意？\" / \"How satisfied are you with …?\"",
    )
}

fn presupposition(cx: &Ctx) -> Vec<Finding> {
    keyword_rule(
        cx,
        &[
            "优质的",
            "卓越的",
            "一流的",
            "贴心的",
            "完美的",
            "出色的",
            "周到的",
            "热情的",
            "高效的",
            "有多喜欢",
            "多么喜欢",
            "有多喜爱",
            "有多好",
        ],
        &[],
        &[
            "how much do you love",
            "how much do you like",
            "how much do you enjoy",
            "how much did you love",
            "how much did you like",
            "how much did you enjoy",
            "our excellent",
            "our great",
            "our outstanding",
            "our superb",
            "our amazing",
            "our wonderful",
            "our friendly",
            "our award-winning",
            "our high-quality",
            "how good is our",
        ],
        &[],
        |q, kw| format!("question '{}' takes a judgement for granted ('{kw}')", q.id),
        "name the thing without praising it and let the scale carry the judgement, e.g. \"您对我们的服务是否满意？\"",
    )
}

fn jargon(cx: &Ctx) -> Vec<Finding> {
    let known: Vec<String> = cx
        .settings
        .known_acronyms
        .iter()
        .map(|a| a.to_ascii_uppercase())
        .collect();
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let lower = ascii_lower(&q.text);
        let mut terms: Vec<(usize, String)> = Vec::new();
        for g in &cx.settings.glossary {
            let (hay, needle) = if g.is_ascii() {
                (&lower, g.to_ascii_lowercase())
            } else {
                (&q.text, g.clone())
            };
            for i in occurrences(hay, &needle, &[]) {
                if !explained(&q.text, i, needle.len()) {
                    terms.push((i, q.text[i..i + needle.len()].to_string()));
                }
            }
        }
        // ALL-CAPS acronyms: runs of ASCII letters and digits with 2–5 letters, all upper case.
        let bytes = q.text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_alphanumeric() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let tok = &q.text[start..i];
                let letters = tok.chars().filter(|c| c.is_ascii_alphabetic()).count();
                let upper = tok.chars().all(|c| !c.is_ascii_lowercase());
                if (2..=5).contains(&letters)
                    && upper
                    && !known.iter().any(|k| k == tok)
                    && !explained(&q.text, start, tok.len())
                    && !terms.iter().any(|(p, t)| *p == start || t == tok)
                {
                    terms.push((start, tok.to_string()));
                }
            } else {
                i += 1;
            }
        }
        terms.sort();
        terms.dedup_by(|a, b| a.1 == b.1);
        for (pos, term) in terms {
            out.push(Finding::at(
                cx.in_text(q, pos, term.len()),
                format!("question '{}' uses '{term}', which respondents may not know", q.id),
                format!("use plain words, or explain it in parentheses, e.g. \"{term}（…）\" / \"{term} (…)\""),
            ));
        }
    }
    out
}

fn vague_quantifier(cx: &Ctx) -> Vec<Finding> {
    const ZH: &[&str] = &[
        "经常", "偶尔", "有时", "时常", "常常", "很少", "频繁", "不时",
    ];
    const EN: &[&str] = &[
        "often",
        "sometimes",
        "regularly",
        "frequently",
        "occasionally",
        "rarely",
        "seldom",
    ];
    const EN_EXCL: &[&str] = &["how often", "how frequently", "how regularly"];
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let w = words(q);
        let mut hits: Vec<(usize, &str)> = Vec::new();
        for k in ZH {
            hits.extend(occurrences(&w.masked, k, &[]).into_iter().map(|i| (i, *k)));
        }
        for k in EN {
            hits.extend(
                occurrences(&w.lower, k, EN_EXCL)
                    .into_iter()
                    .map(|i| (i, *k)),
            );
        }
        hits.sort();
        let defined_in_help = |k: &str| {
            q.help
                .as_deref()
                .is_some_and(|h| h.to_ascii_lowercase().contains(k))
        };
        if let Some(&(pos, k)) = hits
            .iter()
            .find(|(pos, k)| !explained(&q.text, *pos, k.len()) && !defined_in_help(k))
        {
            let found = &q.text[pos..pos + k.len()];
            out.push(Finding::at(
                cx.in_text(q, pos, k.len()),
                format!("question '{}' uses the vague quantifier '{found}' without saying how often that is", q.id),
                format!("define it in parentheses, e.g. {}, or ask for a count over a fixed period", vague_example(found)),
            ));
        }
    }
    out
}

/// A definition to suggest for a vague quantifier.
fn vague_example(word: &str) -> String {
    let w = word.to_ascii_lowercase();
    let zh = !word.is_ascii();
    let (zh_def, en_def) = match w.as_str() {
        "偶尔" | "有时" | "不时" | "sometimes" | "occasionally" => {
            ("每月一两次", "once or twice a month")
        }
        "很少" | "rarely" | "seldom" => ("每季度不到一次", "less than once a quarter"),
        _ => ("每周至少一次", "at least once a week"),
    };
    if zh {
        format!("\"{word}（{zh_def}）\"")
    } else {
        format!("\"{word} ({en_def})\"")
    }
}

fn long_question(cx: &Ctx) -> Vec<Finding> {
    let st = cx.settings;
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let w = words(q);
        let cjk = cjk_count(&w.masked);
        let (len, limit, unit) = if cjk > 0 {
            (cjk, st.max_question_chars_zh, "CJK characters")
        } else {
            (
                visible_chars(&w.masked),
                st.max_question_chars_en,
                "characters",
            )
        };
        if len > limit {
            out.push(Finding::at(
                cx.text_span(q),
                format!("question '{}' is {len} {unit} long (limit {limit}, parenthesised notes not counted)", q.id),
                "shorten it: move context into the preface or `help`, and split compound questions",
            ));
        }
    }
    out
}

/// Chinese negators, and compounds in which the character is not a negation.
const ZH_NEG: &[&str] = &["不", "没", "无", "非", "未", "否", "别", "勿"];
const ZH_NEG_EXCL: &[&str] = &[
    "非常", "无论", "不仅", "不断", "不同", "不管", "不但", "不过", "不少", "是否", "与否", "否则",
    "未来", "无线", "非凡", "不久", "不论", "除非", "无限", "不停", "不时", "别人", "别的", "区别",
    "特别", "分别", "类别", "级别", "性别", "无缝", "莫非", "并非",
];
const EN_NEG: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
];
const EN_NEG_WORDS: &[&str] = &[
    "unhelpful",
    "unhappy",
    "unsatisfied",
    "dissatisfied",
    "unsatisfactory",
    "unclear",
    "unfriendly",
    "unreliable",
    "unavailable",
    "unable",
    "unlikely",
    "uncomfortable",
    "unimportant",
    "unacceptable",
    "unfair",
    "unpleasant",
    "unusual",
    "uncommon",
    "disagree",
    "dislike",
    "inconvenient",
    "incorrect",
    "inaccurate",
    "impossible",
    "impolite",
    "inadequate",
    "insufficient",
    "inappropriate",
    "irrelevant",
    "incomplete",
    "unwilling",
    "unreasonable",
];

/// Negations in a Chinese clause (并非 counts once; 不同意 is a negation although 不同 is not).
fn zh_negations(clause: &str) -> Vec<usize> {
    let mut v: Vec<usize> = ZH_NEG
        .iter()
        .flat_map(|n| occurrences(clause, n, ZH_NEG_EXCL))
        .collect();
    v.extend(occurrences(clause, "不同意", &[]));
    v.extend(occurrences(clause, "并非", &[]));
    v.sort();
    v
}

fn en_negations(clause: &str) -> Vec<usize> {
    let mut v: Vec<usize> = EN_NEG
        .iter()
        .flat_map(|n| occurrences(clause, n, &["no one"]))
        .collect();
    v.extend(
        EN_NEG_WORDS
            .iter()
            .flat_map(|n| occurrences(clause, n, &[])),
    );
    // contractions: don't, isn't, can't, ...
    v.extend(clause.match_indices("n't").map(|(i, _)| i));
    v.sort();
    v.dedup();
    v
}

fn double_negative(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let w = words(q);
        let found = clauses(&w.lower).into_iter().find_map(|(off, clause)| {
            let mut negs = zh_negations(clause);
            negs.extend(en_negations(clause));
            negs.sort();
            (negs.len() >= 2).then(|| (off + negs[0], off + negs[1]))
        });
        if let Some((a, b)) = found {
            let end = q.text[b..].chars().next().map_or(b, |c| b + c.len_utf8());
            out.push(Finding::at(
                cx.in_text(q, a, end - a),
                format!(
                    "question '{}' has a double negative: {}",
                    q.id,
                    quote(&q.text)
                ),
                "state it positively (\"店员愿意帮助顾客\" / \"Staff were helpful\")",
            ));
        }
    }
    out
}

fn recall_period(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let w = words(q);
        if let Some((pos, len, what)) = zh_recall(&w.masked).or_else(|| en_recall(&w.lower)) {
            out.push(Finding::at(
                cx.in_text(q, pos, len),
                format!("question '{}' asks respondents to remember {what}", q.id),
                "ask about a period people remember: the last 6 or 12 months (过去 6 个月 / in the last 12 months), or the last purchase",
            ));
        }
    }
    out
}

fn zh_recall(s: &str) -> Option<(usize, usize, String)> {
    if let Some((i, k)) = first_of(
        s,
        &[
            "去年",
            "前年",
            "上一年度",
            "上年度",
            "这些年",
            "多年来",
            "近年来",
        ],
        &[],
    ) {
        return Some((i, k.len(), format!("'{k}' (more than 12 months back)")));
    }
    // 过去三年 / 近两年 / 最近 18 个月
    for (unit, limit) in [("年", 1u32), ("个月", 12)] {
        for (i, _) in s.match_indices(unit) {
            let before = &s[..i];
            let num: String = before
                .chars()
                .rev()
                .skip_while(|c| *c == ' ')
                .take_while(|c| c.is_ascii_digit() || "零一二两三四五六七八九十几多".contains(*c))
                .collect();
            let num: String = num.chars().rev().collect();
            let Some(n) = parse_number(&num) else {
                continue;
            };
            let num_start = before.trim_end().len() - num.len();
            let lead = before[..num_start].trim_end();
            let recall = ["过去", "近", "最近", "这", "前", "以前"]
                .iter()
                .any(|p| lead.ends_with(p));
            if recall && n > limit {
                let start = ["过去", "最近", "以前", "近", "这", "前"]
                    .iter()
                    .find(|p| lead.ends_with(**p))
                    .map_or(num_start, |p| lead.len() - p.len());
                let end = i + unit.len();
                return Some((
                    start,
                    end - start,
                    format!("'{}' (more than 12 months back)", &s[start..end]),
                ));
            }
        }
    }
    None
}

fn en_recall(s: &str) -> Option<(usize, usize, String)> {
    for k in [
        "last year",
        "the previous year",
        "in the last decade",
        "in the past decade",
        "ever since",
    ] {
        if let Some(&i) = occurrences(s, k, &[]).first() {
            return Some((i, k.len(), format!("'{k}' (more than 12 months back)")));
        }
    }
    let toks: Vec<(usize, &str)> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .scan(0usize, |pos, w| {
            let start = s[*pos..].find(w).map_or(*pos, |o| *pos + o);
            *pos = start + w.len();
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    for win in toks.windows(3) {
        let [(p0, w0), (_, w1), (p2, w2)] = win else {
            continue;
        };
        if !matches!(*w0, "last" | "past" | "previous") {
            continue;
        }
        let Some(n) = english_number(w1) else {
            continue;
        };
        let too_far = match *w2 {
            "years" | "year" => n >= 2,
            "months" => n > 12,
            _ => false,
        };
        if too_far {
            let end = p2 + w2.len();
            return Some((
                *p0,
                end - p0,
                format!("'{}' (more than 12 months back)", &s[*p0..end]),
            ));
        }
    }
    None
}

fn calculation(cx: &Ctx) -> Vec<Finding> {
    keyword_rule(
        cx,
        &[
            "百分之多少",
            "百分比是多少",
            "多少百分比",
            "占比多少",
            "比例是多少",
            "平均每月",
            "平均每周",
            "平均每年",
            "平均每次",
            "平均一个月",
            "一共花了多少",
            "总共花费",
            "合计多少",
        ],
        &[],
        &[
            "what percentage",
            "what percent",
            "what proportion",
            "what share",
            "on average, how much",
            "on average how much",
            "how much on average",
            "how many on average",
            "on average, how many",
            "in total, how much",
            "how much in total",
        ],
        &[],
        |q, kw| {
            format!(
                "question '{}' asks the respondent to calculate ('{kw}')",
                q.id
            )
        },
        "ask for something people know directly (the last purchase, a range in the choices) and compute figures in analysis",
    )
}

fn hypothetical(cx: &Ctx) -> Vec<Finding> {
    const ZH: &[&str] = &["如果", "假如", "假设", "倘若", "要是", "假使", "设想"];
    const EN: &[&str] = &[
        "if you were",
        "if you had",
        "if you could",
        "imagine you",
        "suppose you",
        "suppose that",
        "what if",
    ];
    let mut out = Vec::new();
    for q in cx.survey.all_questions() {
        let w = words(q);
        let mut hit = find_keyword(&w, ZH, &[], EN, &[]);
        if hit.is_none() {
            // "would you ... if" and "if ..., would you"
            let ifs = occurrences(&w.lower, "if", &[]);
            let woulds = occurrences(&w.lower, "would", &[]);
            if !ifs.is_empty() && !woulds.is_empty() {
                hit = Some((ifs[0], "if"));
            }
        }
        if let Some((pos, kw)) = hit {
            out.push(Finding::at(
                cx.in_text(q, pos, kw.len()),
                format!("question '{}' is hypothetical ('{}'): answers about imagined situations predict behaviour poorly", q.id, &q.text[pos..pos + kw.len()]),
                "ask about actual experience or behaviour in a recent period",
            ));
        }
    }
    out
}

// ====================================================================== scales

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Negative,
    Neutral,
    Positive,
}

fn label_polarity(label: &str) -> Option<Polarity> {
    let l = label.trim().to_ascii_lowercase();
    if l.is_empty()
        || l.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '.')
    {
        return None;
    }
    const ZH_NEUTRAL: &[&str] = &[
        "一般",
        "中立",
        "中等",
        "不确定",
        "说不清",
        "无所谓",
        "不好说",
        "既不",
        "中间",
        "普通",
        "还行",
        "尚可",
    ];
    const EN_NEUTRAL: &[&str] = &[
        "neutral",
        "neither",
        "not sure",
        "unsure",
        "undecided",
        "don't know",
        "no opinion",
        "average",
        "moderate",
        "okay",
        "mixed",
        "about the same",
        "fair",
    ];
    if ZH_NEUTRAL.iter().any(|k| l.contains(k))
        || EN_NEUTRAL
            .iter()
            .any(|k| !occurrences(&l, k, &[]).is_empty())
    {
        return Some(Polarity::Neutral);
    }
    const ZH_NEG: &[&str] = &[
        "不", "没", "差", "低", "弱", "无", "难", "糟", "慢", "少", "否",
    ];
    let en_neg = l.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "not"
                | "no"
                | "never"
                | "poor"
                | "bad"
                | "low"
                | "worse"
                | "worst"
                | "terrible"
                | "awful"
                | "weak"
                | "below"
                | "rarely"
                | "seldom"
                | "far"
                | "short"
        ) || (w.starts_with("un")
            && w.len() > 4
            && !matches!(
                w,
                "under" | "understood" | "understand" | "unique" | "united"
            ))
            || (w.starts_with("dis") && w.len() > 5)
    });
    if ZH_NEG.iter().any(|k| l.contains(k)) || en_neg {
        return Some(Polarity::Negative);
    }
    Some(Polarity::Positive)
}

fn unbalanced_scale(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for sc in cx
        .survey
        .scales
        .iter()
        .filter(|s| !s.builtin && !s.labels.is_empty())
    {
        let pol: Option<Vec<Polarity>> = sc.labels.iter().map(|l| label_polarity(l)).collect();
        let Some(pol) = pol else { continue };
        let neg = pol.iter().filter(|p| **p == Polarity::Negative).count();
        let pos = pol.iter().filter(|p| **p == Polarity::Positive).count();
        if neg != pos {
            let span = cx
                .spans
                .scale_labels
                .get(&sc.name)
                .cloned()
                .unwrap_or_else(|| cx.header("survey"));
            out.push(Finding::at(
                span,
                format!("scale '{}' has {pos} positive and {neg} negative labels: the answers lean {}", sc.name, if pos > neg { "positive" } else { "negative" }),
                "mirror the labels around a neutral middle, e.g. 非常不满意/不满意/一般/满意/非常满意",
            ));
        }
    }
    out
}

fn grid_inconsistent(cx: &Ctx) -> Vec<Finding> {
    let s = cx.survey;
    let mut out = Vec::new();
    for &d in s.tree.dimensions() {
        let qs: Vec<&Question> = s
            .questions
            .iter()
            .filter(|q| {
                q.kind == QuestionKind::Rating
                    && q.node.and_then(|n| s.tree.dimension_of(n)) == Some(d)
            })
            .collect();
        let Some(first) = qs.first() else { continue };
        let Some(ref_scale) = s.question_scale(first) else {
            continue;
        };
        let shape = |sc: &crate::model::Scale| (sc.points(), sc.ascending);
        for q in &qs[1..] {
            let Some(sc) = s.question_scale(q) else {
                continue;
            };
            if shape(sc) != shape(ref_scale) {
                let dir = |a: bool| if a { "ascending" } else { "descending" };
                out.push(Finding::at(
                    cx.scale_span(q),
                    format!(
                        "question '{}' uses scale '{}' ({} points, {}) but '{}' in the same dimension '{}' uses '{}' ({} points, {})",
                        q.id,
                        sc.name,
                        sc.points(),
                        dir(sc.ascending),
                        first.id,
                        s.tree.nodes[d].id,
                        ref_scale.name,
                        ref_scale.points(),
                        dir(ref_scale.ascending)
                    ),
                    "use one scale shape (points and direction) for all items of a dimension",
                ));
            }
        }
    }
    out
}

const ZH_NEG_WORDING: &[&str] = &[
    "不", "没", "难", "无法", "繁琐", "麻烦", "太", "缺乏", "未能", "差", "并非",
];
const EN_NEG_WORDING: &[&str] = &[
    "not",
    "never",
    "no",
    "difficult",
    "hard to",
    "confusing",
    "too",
    "unable",
    "fail",
    "fails",
    "lack",
    "lacks",
    "poor",
    "slow",
    "rude",
    "complicated",
];

fn reverse_undeclared(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for q in cx
        .survey
        .questions
        .iter()
        .chain(cx.survey.profile.iter())
        .filter(|q| q.kind == QuestionKind::Rating && !q.reverse)
    {
        let w = words(q);
        // "您对…是否满意" rates satisfaction with the thing named, however it is worded.
        if w.masked.contains("满意") || w.lower.contains("satisf") {
            continue;
        }
        let mut hits: Vec<(usize, &str)> = Vec::new();
        for k in ZH_NEG_WORDING {
            hits.extend(
                occurrences(&w.masked, k, ZH_NEG_EXCL)
                    .into_iter()
                    .map(|i| (i, *k)),
            );
        }
        hits.extend(
            occurrences(&w.masked, "不同意", &[])
                .into_iter()
                .map(|i| (i, "不同意")),
        );
        for k in EN_NEG_WORDING {
            hits.extend(occurrences(&w.lower, k, &[]).into_iter().map(|i| (i, *k)));
        }
        hits.extend(w.lower.match_indices("n't").map(|(i, _)| (i, "n't")));
        hits.sort();
        hits.dedup_by_key(|h| h.0);
        // Two negations cancel out ("never too busy").
        if hits.len() % 2 == 1 {
            let (pos, k) = hits[0];
            out.push(Finding::at(
                cx.in_text(q, pos, k.len()),
                format!("rating item '{}' looks negatively worded ('{}') but is not declared reverse-coded", q.id, &q.text[pos..pos + k.len()]),
                "add reverse = true if agreeing means a worse experience, or word the item positively",
            ));
        }
    }
    out
}

fn na_option(cx: &Ctx) -> Vec<Finding> {
    const ZH: &[&str] = &[
        "如有",
        "若有",
        "使用过",
        "曾经",
        "配送",
        "送货",
        "快递",
        "物流",
        "售后",
        "退换",
        "投诉",
        "维修",
        "安装",
        "客服",
        "活动",
        "App",
        "APP",
        "app",
        "小程序",
        "线上",
        "网上",
        "代订",
        "预约",
    ];
    const EN: &[&str] = &[
        "if applicable",
        "if you have used",
        "if you used",
        "delivery",
        "app",
        "online",
        "complaint",
        "complaints",
        "returns",
        "repair",
        "installation",
        "customer service",
        "helpline",
        "call centre",
        "call center",
        "contact centre",
        "event",
        "events",
    ];
    let mut out = Vec::new();
    for q in cx
        .survey
        .all_questions()
        .filter(|q| q.kind == QuestionKind::Rating && !q.na)
    {
        let w = words(q);
        if let Some((pos, k)) = find_keyword(&w, ZH, &[], EN, &[]) {
            out.push(Finding::at(
                cx.in_text(q, pos, k.len()),
                format!("rating item '{}' is about '{}', which not every respondent uses, but offers no \"not applicable\"", q.id, &q.text[pos..pos + k.len()]),
                "add na = true (and na_code/na_label on the scale) so non-users are not forced to guess",
            ));
        }
    }
    out
}

// ====================================================================== weights

fn weights_sum(cx: &Ctx) -> Vec<Finding> {
    from_check(cx, "weights_sum")
}

fn ahp_consistency(cx: &Ctx) -> Vec<Finding> {
    from_check(cx, "ahp_consistency")
}

fn zero_weight(cx: &Ctx) -> Vec<Finding> {
    from_check(cx, "zero_weight")
}

// ====================================================================== length

fn completion_time(cx: &Ctx) -> Vec<Finding> {
    let Some(stated) = cx.survey.preface.as_ref().and_then(|p| p.minutes) else {
        return Vec::new();
    };
    let est = super::estimate::estimate(cx.survey, cx.settings);
    let m = est.minutes();
    let span = cx
        .spans
        .preface_minutes
        .clone()
        .unwrap_or_else(|| cx.header("preface"));
    let detail = format!(
        "estimated {m:.1} minutes ({:.1} reading, {:.1} answering {} items)",
        est.reading_seconds / 60.0,
        est.answering_seconds / 60.0,
        cx.survey.all_questions().count()
    );
    let fmt = super::super::model::validate::fmt_num;
    if m > stated * 1.25 {
        vec![Finding::at(
            span,
            format!(
                "the preface promises {} minutes but the questionnaire takes longer: {detail}",
                fmt(stated)
            ),
            format!("state about {} minutes, or cut questions", m.ceil()),
        )]
    } else if m < stated * 0.5 {
        vec![Finding::at(
            span,
            format!(
                "the preface says {} minutes but the questionnaire is much shorter: {detail}",
                fmt(stated)
            ),
            format!(
                "state about {} minutes so respondents are not put off",
                m.ceil().max(1.0)
            ),
        )]
    } else {
        Vec::new()
    }
}
