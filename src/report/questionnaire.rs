//! Questionnaire renderers: the respondent's questionnaire (Markdown, HTML form), an XLSForm
//! workbook for ODK/KoboToolbox, a data-entry CSV template and a codebook.
//!
//! Print order is: preface, profile questions, the body grouped by dimension (tree order), the
//! body questions outside the tree (overall, loyalty, complaint, open questions) in file order,
//! and the closing. Every renderer is deterministic: no timestamps, no hash-map order.

use crate::output::neutralise_formula;
use serde::Serialize;

use super::markup::{CJK_FONT_STACK, html_escape, md_escape, md_escape_lines};
use crate::model::print_order::{body_groups, template_columns};
use crate::model::{Question, QuestionKind, Section, Survey};

/// Fixed UI texts in the survey's language.
struct Texts {
    preface: &'static str,
    profile: &'static str,
    other: &'static str,
    closing: &'static str,
    minutes: &'static str,
    multiple: &'static str,
    submit: &'static str,
    na: &'static str,
    contact: &'static str,
}

fn texts(s: &Survey) -> Texts {
    if s.is_zh() {
        Texts {
            preface: "卷首语",
            profile: "基本情况",
            other: "总体评价",
            closing: "结束语",
            minutes: "预计填写时间：约 {} 分钟",
            multiple: "（可多选）",
            submit: "提交",
            na: "不适用",
            contact: "联系方式",
        }
    } else {
        Texts {
            preface: "Introduction",
            profile: "About you",
            other: "Overall",
            closing: "Thank you",
            minutes: "This takes about {} minutes.",
            multiple: " (select all that apply)",
            submit: "Submit",
            na: "Not applicable",
            contact: "Contact",
        }
    }
}

/// A group of questions in print order.
pub struct Block<'a> {
    pub id: String,
    pub title: String,
    pub questions: Vec<&'a Question>,
}

/// The body in print order ([`body_groups`]): the root's own questions, one block per dimension,
/// then the questions outside the tree under the survey language's "Overall".
pub fn body_blocks(s: &Survey) -> Vec<Block<'_>> {
    body_groups(s)
        .into_iter()
        .map(|g| match g.node {
            Some(n) => Block {
                id: s.tree.nodes[n].id.clone(),
                title: s.tree.nodes[n].name.clone(),
                questions: g.questions,
            },
            None => Block {
                id: "other".into(),
                title: texts(s).other.into(),
                questions: g.questions,
            },
        })
        .collect()
}

/// The answer options of a question as (code, label), including the N/A code when allowed.
pub fn options(s: &Survey, q: &Question) -> Vec<(String, String)> {
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => q
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| ((i + 1).to_string(), c.clone()))
            .collect(),
        QuestionKind::Rating | QuestionKind::Nps => {
            let Some(scale) = s.question_scale(q) else {
                return Vec::new();
            };
            let mut out: Vec<(String, String)> = (scale.min..=scale.max)
                .map(|c| {
                    (
                        c.to_string(),
                        scale
                            .label(c)
                            .map_or_else(|| c.to_string(), |l| l.to_string()),
                    )
                })
                .collect();
            if q.na {
                let code = scale.na_code.unwrap_or(99);
                let label = scale
                    .na_label
                    .clone()
                    .unwrap_or_else(|| texts(s).na.to_string());
                out.push((code.to_string(), label));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Markdown questionnaire for print or a wiki.
pub fn markdown(s: &Survey) -> String {
    let tx = texts(s);
    let mut out = format!("# {}\n\n", md_escape(&s.meta.title));
    if let Some(p) = &s.preface {
        out.push_str(&format!("## {}\n\n", tx.preface));
        for t in [&p.purpose, &p.confidentiality, &p.instructions]
            .into_iter()
            .flatten()
        {
            out.push_str(&format!("{}\n\n", md_escape_lines(t)));
        }
        if let Some(m) = p.minutes {
            out.push_str(&format!(
                "*{}*\n\n",
                tx.minutes
                    .replace("{}", &crate::model::validate::fmt_num(m))
            ));
        }
    }
    let mut n = 0;
    let mut section = |out: &mut String, title: &str, qs: &[&Question]| {
        out.push_str(&format!("## {}\n\n", md_escape(title)));
        for q in qs {
            n += 1;
            out.push_str(&format!("**{n}. {}**", md_escape(&q.text)));
            out.push_str(multiple_hint(q, tx.multiple));
            out.push_str(&format!(" `{}`\n\n", q.id));
            match q.kind {
                QuestionKind::Rating | QuestionKind::Nps => {
                    let opts = options(s, q);
                    let line: Vec<String> = opts.iter().map(|(c, l)| if c == l { format!("☐ {c}") } else { format!("☐ {c} {}", md_escape(l)) }).collect();
                    out.push_str(&format!("{}\n\n", line.join("　")));
                }
                QuestionKind::Single | QuestionKind::Multiple => {
                    for (c, l) in options(s, q) {
                        out.push_str(&format!("- ☐ {c}. {}\n", md_escape(&l)));
                    }
                    out.push('\n');
                }
                QuestionKind::Numeric => {
                    out.push_str(&format!("______ {}\n\n", q.unit.as_deref().unwrap_or("")));
                }
                QuestionKind::Text => out.push_str("________________________________________\n\n________________________________________\n\n"),
            }
        }
    };
    if !s.profile.is_empty() {
        let qs: Vec<&Question> = s.profile.iter().collect();
        section(&mut out, tx.profile, &qs);
    }
    for b in body_blocks(s) {
        section(&mut out, &b.title, &b.questions);
    }
    if let Some(c) = &s.closing {
        out.push_str(&format!("## {}\n\n", tx.closing));
        if let Some(t) = &c.thanks {
            out.push_str(&format!("{}\n\n", md_escape_lines(t)));
        }
        if let Some(t) = &c.contact {
            out.push_str(&format!("{}：{}\n\n", tx.contact, md_escape(t)));
        }
    }
    out
}

/// A self-contained HTML page that prints well on A4 and works as a form (no scripts, no external
/// requests; the form's action is left empty for the user to wire up).
pub fn html(s: &Survey) -> String {
    let tx = texts(s);
    let lang = if s.is_zh() { "zh-CN" } else { "en" };
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n",
        html_escape(&s.meta.title)
    ));
    out.push_str(&format!(
        "body {{ font-family: {CJK_FONT_STACK}; max-width: 48em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}\n\
         h1 {{ font-size: 1.6em; border-bottom: 2px solid #2b6cb0; padding-bottom: .3em; }}\n\
         h2 {{ font-size: 1.2em; color: #2b6cb0; margin-top: 1.6em; }}\n\
         fieldset {{ border: 1px solid #ccd; border-radius: 6px; margin: 0 0 1em; padding: .6em 1em; break-inside: avoid; }}\n\
         legend {{ font-weight: 600; padding: 0 .3em; }}\n\
         .opts {{ display: flex; flex-wrap: wrap; gap: .3em 1.2em; }}\n\
         .opts label {{ white-space: nowrap; }}\n\
         .qid {{ color: #889; font-size: .75em; font-family: monospace; margin-left: .5em; }}\n\
         .note {{ color: #555; }}\n\
         textarea {{ width: 100%; min-height: 4em; }}\n\
         @page {{ size: A4; margin: 18mm; }}\n\
         @media print {{ body {{ margin: 0; max-width: none; }} button {{ display: none; }} fieldset {{ border-color: #999; }} }}\n"
    ));
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(&format!("<h1>{}</h1>\n", html_escape(&s.meta.title)));
    if let Some(p) = &s.preface {
        out.push_str(&format!(
            "<section id=\"preface\">\n<h2>{}</h2>\n",
            tx.preface
        ));
        for t in [&p.purpose, &p.confidentiality, &p.instructions]
            .into_iter()
            .flatten()
        {
            out.push_str(&format!("<p>{}</p>\n", html_escape(t)));
        }
        if let Some(m) = p.minutes {
            out.push_str(&format!(
                "<p class=\"note\">{}</p>\n",
                tx.minutes
                    .replace("{}", &crate::model::validate::fmt_num(m))
            ));
        }
        out.push_str("</section>\n");
    }
    out.push_str(&format!(
        "<form method=\"post\" action=\"\" id=\"{}\">\n",
        html_escape(&s.meta.id)
    ));
    let mut n = 0;
    let mut section = |out: &mut String, id: &str, title: &str, qs: &[&Question]| {
        out.push_str(&format!(
            "<section id=\"sec-{}\">\n<h2>{}</h2>\n",
            html_escape(id),
            html_escape(title)
        ));
        for q in qs {
            n += 1;
            let req = if q.required { " required" } else { "" };
            out.push_str(&format!(
                "<fieldset>\n<legend>{n}. {}{}<span class=\"qid\">{}</span></legend>\n",
                html_escape(&q.text),
                multiple_hint(q, tx.multiple),
                q.id
            ));
            match q.kind {
                QuestionKind::Rating
                | QuestionKind::Nps
                | QuestionKind::Single
                | QuestionKind::Multiple => {
                    let input = if q.kind == QuestionKind::Multiple {
                        "checkbox"
                    } else {
                        "radio"
                    };
                    let req = if input == "radio" { req } else { "" };
                    out.push_str("<div class=\"opts\">\n");
                    for (c, l) in options(s, q) {
                        let label = if c == l {
                            c.clone()
                        } else {
                            format!("{c} {}", html_escape(&l))
                        };
                        out.push_str(&format!(
                            "<label><input type=\"{input}\" name=\"{}\" value=\"{c}\"{req}> {label}</label>\n",
                            q.id
                        ));
                    }
                    out.push_str("</div>\n");
                }
                QuestionKind::Numeric => {
                    let mut attrs = String::new();
                    if let Some(m) = q.min {
                        attrs.push_str(&format!(" min=\"{m}\""));
                    }
                    if let Some(m) = q.max {
                        attrs.push_str(&format!(" max=\"{m}\""));
                    }
                    let step = if q.integer { "1" } else { "any" };
                    out.push_str(&format!(
                        "<input type=\"number\" name=\"{}\" step=\"{step}\"{attrs}{req}> {}\n",
                        q.id,
                        html_escape(q.unit.as_deref().unwrap_or(""))
                    ));
                }
                QuestionKind::Text => {
                    out.push_str(&format!("<textarea name=\"{}\"></textarea>\n", q.id));
                }
            }
            out.push_str("</fieldset>\n");
        }
        out.push_str("</section>\n");
    };
    if !s.profile.is_empty() {
        let qs: Vec<&Question> = s.profile.iter().collect();
        section(&mut out, "profile", tx.profile, &qs);
    }
    for b in body_blocks(s) {
        section(&mut out, &b.id, &b.title, &b.questions);
    }
    out.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p>\n</form>\n",
        tx.submit
    ));
    if let Some(c) = &s.closing {
        out.push_str(&format!(
            "<section id=\"closing\">\n<h2>{}</h2>\n",
            tx.closing
        ));
        if let Some(t) = &c.thanks {
            out.push_str(&format!("<p>{}</p>\n", html_escape(t)));
        }
        if let Some(t) = &c.contact {
            out.push_str(&format!(
                "<p class=\"note\">{}: {}</p>\n",
                tx.contact,
                html_escape(t)
            ));
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A CSV header for data entry.
pub fn template_csv(s: &Survey) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(template_columns(s).iter().map(|c| neutralise_formula(c)));
    w.into_inner().unwrap_or_default()
}

/// One codebook row per question (and per respondent column).
#[derive(Debug, Serialize)]
pub struct CodebookEntry {
    pub id: String,
    pub section: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub scale: String,
    /// "code=label" pairs joined with "; ".
    pub codes: String,
    pub missing_codes: String,
    pub tree_path: String,
    pub role: String,
    pub reverse: bool,
    pub attribute: String,
    pub measures: String,
}

impl CodebookEntry {
    /// The entry with every text cell passed through [`neutralise_formula`], for the CSV.
    fn neutralised(self) -> Self {
        let n = |s: String| neutralise_formula(&s);
        CodebookEntry {
            id: n(self.id),
            section: n(self.section),
            label: n(self.label),
            kind: n(self.kind),
            scale: n(self.scale),
            codes: n(self.codes),
            missing_codes: n(self.missing_codes),
            tree_path: n(self.tree_path),
            role: n(self.role),
            reverse: self.reverse,
            attribute: n(self.attribute),
            measures: n(self.measures),
        }
    }
}

pub fn codebook(s: &Survey) -> Vec<CodebookEntry> {
    let mut out = Vec::new();
    let r = &s.respondents;
    if let Some(id) = &r.id {
        out.push(attr_entry(id, "respondent id"));
    }
    let ordered: Vec<&Question> = s
        .profile
        .iter()
        .chain(body_blocks(s).into_iter().flat_map(|b| b.questions))
        .collect();
    for q in ordered {
        let scale = s.question_scale(q);
        let mut codes: Vec<String> = options(s, q)
            .into_iter()
            .map(|(c, l)| format!("{c}={l}"))
            .collect();
        if q.kind == QuestionKind::Multiple {
            codes.push("(several codes separated by ';')".into());
        }
        let mut missing = vec!["blank".to_string(), "NA".into(), "N/A".into()];
        if let Some(sc) = scale {
            if let Some(c) = sc.na_code {
                missing.push(c.to_string());
            }
            if let Some(l) = &sc.na_label {
                missing.push(l.clone());
            }
        }
        out.push(CodebookEntry {
            id: q.id.clone(),
            section: match q.section {
                Section::Profile => "profile".into(),
                Section::Body => "body".into(),
            },
            label: q.text.clone(),
            kind: q.kind.as_str().into(),
            scale: scale
                .map(|sc| format!("{} ({}..{})", sc.name, sc.min, sc.max))
                .unwrap_or_default(),
            codes: codes.join("; "),
            missing_codes: missing.join("; "),
            tree_path: q
                .node
                .map(|n| s.tree.path(n).join(" > "))
                .unwrap_or_default(),
            role: q
                .role
                .map(|r| format!("{r:?}").to_lowercase())
                .unwrap_or_default(),
            reverse: q.reverse,
            attribute: q.attribute.clone().unwrap_or_default(),
            measures: q
                .measures
                .map(|m| format!("{m:?}").to_lowercase())
                .unwrap_or_default(),
        });
    }
    for a in &r.attributes {
        out.push(attr_entry(a, "respondent attribute"));
    }
    if let Some(w) = &r.weight {
        out.push(attr_entry(w, "survey weight (positive number)"));
    }
    if let Some(d) = &r.duration {
        out.push(attr_entry(d, "interview duration in seconds"));
    }
    out
}

fn attr_entry(id: &str, label: &str) -> CodebookEntry {
    CodebookEntry {
        id: id.into(),
        section: "respondent".into(),
        label: label.into(),
        kind: "attribute".into(),
        scale: String::new(),
        codes: String::new(),
        missing_codes: "blank".into(),
        tree_path: String::new(),
        role: String::new(),
        reverse: false,
        attribute: String::new(),
        measures: String::new(),
    }
}

pub fn codebook_csv(s: &Survey) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for e in codebook(s) {
        let _ = w.serialize(e.neutralised());
    }
    w.into_inner().unwrap_or_default()
}

/// An XLSForm workbook (survey, choices, settings sheets) for KoboToolbox and ODK.
///
/// # Errors
/// Only if the xlsx writer fails, which it does not for valid surveys.
pub fn xlsform(s: &Survey) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let form = XlsForm::of(s);
    let mut wb = Workbook::new();
    // A fixed creation date keeps the bytes identical from run to run.
    let props = DocProperties::new()
        .set_title(&s.meta.title)
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(&props);
    form.write_sheets(s, &mut wb)?;
    wb.save_to_buffer()
}

/// An XLSForm's rows before they are written: the survey sheet (type, name, label, hint,
/// required, appearance) and the choice lists, each list once.
struct XlsForm {
    rows: Vec<[String; 7]>,
    choices: Vec<[String; 3]>,
    lists: Vec<String>,
}

impl XlsForm {
    /// The rows in print order: preface note, profile group, one group per body block, closing
    /// note.
    fn of(s: &Survey) -> XlsForm {
        let tx = texts(s);
        let mut form = XlsForm {
            rows: Vec::new(),
            choices: Vec::new(),
            lists: Vec::new(),
        };
        if let Some(p) = &s.preface {
            let mut text: Vec<&str> = [&p.purpose, &p.confidentiality]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let minutes = p.minutes.map(|m| {
                tx.minutes
                    .replace("{}", &crate::model::validate::fmt_num(m))
            });
            if let Some(m) = &minutes {
                text.push(m);
            }
            form.row("note", "preface", &text.join("\n"), "", "", "");
        }
        if !s.profile.is_empty() {
            form.row("begin_group", "profile", tx.profile, "", "", "field-list");
            for q in &s.profile {
                form.question(s, q);
            }
            form.row("end_group", "profile", "", "", "", "");
        }
        for b in body_blocks(s) {
            let gname = format!("g_{}", b.id);
            form.row("begin_group", &gname, &b.title, "", "", "field-list");
            // A dimension with indicators: one nested group per node, so the tree can be read
            // back from the form (`satkit new --from`).
            match s
                .tree
                .find(&b.id)
                .filter(|&n| n > 0 && !s.tree.nodes[n].is_leaf())
            {
                Some(n) => {
                    for &c in &s.tree.nodes[n].children {
                        form.node_group(s, c);
                    }
                }
                None => {
                    for q in b.questions {
                        form.question(s, q);
                    }
                }
            }
            form.row("end_group", &gname, "", "", "", "");
        }
        if let Some(c) = &s.closing {
            let text: Vec<&str> = [&c.thanks, &c.contact]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            form.row("note", "closing", &text.join("\n"), "", "", "");
        }
        form
    }

    /// A group for tree node `n` below a dimension: its children's groups, or a leaf's
    /// questions.
    fn node_group(&mut self, s: &Survey, n: usize) {
        let node = &s.tree.nodes[n];
        let gname = format!("g_{}", node.id);
        self.row("begin_group", &gname, &node.name, "", "", "");
        if node.is_leaf() {
            for id in &node.questions {
                if let Some(q) = s.questions.iter().find(|q| &q.id == id) {
                    self.question(s, q);
                }
            }
        } else {
            for &c in &node.children {
                self.node_group(s, c);
            }
        }
        self.row("end_group", &gname, "", "", "", "");
    }

    /// A survey-sheet row: type, name, label, hint, required, appearance.
    fn row(&mut self, t: &str, n: &str, l: &str, h: &str, r: &str, a: &str) {
        self.rows.push([
            t.to_string(),
            n.to_string(),
            l.to_string(),
            h.to_string(),
            r.to_string(),
            a.to_string(),
            String::new(),
        ]);
    }

    /// A question's row, and its choice list the first time the list is used.
    fn question(&mut self, s: &Survey, q: &Question) {
        let list = |q: &Question| match q.kind {
            QuestionKind::Rating | QuestionKind::Nps => {
                format!(
                    "{}{}",
                    q.scale.clone().unwrap_or_default(),
                    if q.na { "_na" } else { "" }
                )
            }
            _ => format!("{}_choices", q.id),
        };
        let t = match q.kind {
            QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Single => {
                format!("select_one {}", list(q))
            }
            QuestionKind::Multiple => format!("select_multiple {}", list(q)),
            QuestionKind::Numeric if q.integer => "integer".into(),
            QuestionKind::Numeric => "decimal".into(),
            QuestionKind::Text => "text".into(),
        };
        if matches!(
            q.kind,
            QuestionKind::Rating
                | QuestionKind::Nps
                | QuestionKind::Single
                | QuestionKind::Multiple
        ) {
            let name = list(q);
            if !self.lists.contains(&name) {
                self.lists.push(name.clone());
                for (c, l) in options(s, q) {
                    self.choices.push([name.clone(), c, l]);
                }
            }
        }
        let appearance = if q.kind == QuestionKind::Nps
            || (q.kind == QuestionKind::Rating && options(s, q).len() > 7)
        {
            "horizontal-compact"
        } else {
            ""
        };
        self.row(
            &t,
            &q.id,
            &q.text,
            q.help.as_deref().unwrap_or(""),
            if q.required { "yes" } else { "" },
            appearance,
        );
        if let Some(last) = self.rows.last_mut() {
            last[6] = constraint(q);
        }
    }

    /// The survey, choices and settings sheets.
    fn write_sheets(
        &self,
        s: &Survey,
        wb: &mut rust_xlsxwriter::Workbook,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = wb.add_worksheet();
        sheet.set_name("survey")?;
        for (c, h) in [
            "type",
            "name",
            "label",
            "hint",
            "required",
            "appearance",
            "constraint",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, c as u16, *h)?;
        }
        for (r, vals) in self.rows.iter().enumerate() {
            for (c, v) in vals.iter().enumerate() {
                if !v.is_empty() {
                    sheet.write_string(r as u32 + 1, c as u16, v)?;
                }
            }
        }
        let sheet = wb.add_worksheet();
        sheet.set_name("choices")?;
        for (c, h) in ["list_name", "name", "label"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        for (r, vals) in self.choices.iter().enumerate() {
            for (c, v) in vals.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
        let sheet = wb.add_worksheet();
        sheet.set_name("settings")?;
        for (c, (h, v)) in [
            ("form_title", s.meta.title.as_str()),
            ("form_id", s.meta.id.as_str()),
            ("version", s.meta.version.as_str()),
            (
                "default_language",
                if s.is_zh() {
                    "Chinese (zh)"
                } else {
                    "English (en)"
                },
            ),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, c as u16, *h)?;
            sheet.write_string(1, c as u16, *v)?;
        }
        Ok(())
    }
}

/// The XLSForm constraint of a question: a numeric range, or the most choices of a multiple
/// choice (ODK enforces it on the device; `satkit new --from` reads it back).
fn constraint(q: &Question) -> String {
    use crate::model::validate::fmt_num;
    match q.kind {
        QuestionKind::Numeric => match (q.min, q.max) {
            (Some(a), Some(b)) => format!(". >= {} and . <= {}", fmt_num(a), fmt_num(b)),
            (Some(a), None) => format!(". >= {}", fmt_num(a)),
            (None, Some(b)) => format!(". <= {}", fmt_num(b)),
            (None, None) => String::new(),
        },
        QuestionKind::Multiple => q
            .max_choices
            .map(|m| format!("count-selected(.) <= {m}"))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The "select all that apply" hint after a multiple-choice question, unless its text already
/// says so.
fn multiple_hint<'a>(q: &Question, hint: &'a str) -> &'a str {
    let text = q.text.to_lowercase();
    let says_so = [
        "多选",
        "可选多项",
        "select all",
        "all that apply",
        "more than one",
    ]
    .iter()
    .any(|k| text.contains(k));
    if q.kind == QuestionKind::Multiple && !says_so {
        hint
    } else {
        ""
    }
}
