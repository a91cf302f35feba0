//! The analysis report: `report.html`, `report.md`, `charts/*.svg|png` and `tables/*.csv` in the
//! output directory, rendered from a [`Results`] document alone (so `satkit report` can re-render
//! a saved results.json without recomputing anything).
//!
//! Design: [`document`] turns the results into a language-resolved [`Document`] of sections and
//! blocks (plain text, rounded numbers); `html` and `markdown` only lay that document out and
//! escape it. Both outputs therefore say the same thing in the same order. Every output is a pure
//! function of the results and [`ReportOptions`]: no clock, no hash-map order, no environment
//! except `SOURCE_DATE_EPOCH`, read once in [`ReportOptions::from_env`].

use std::path::Path;

use super::charts::{self, Chart};
use super::document::{Block, Document, Fact, Section, chart_stem};
use super::tables::{self, DASH, Grid, ci, dec, p_clause, p_value, pct, score, signed};
use super::texts::{Texts, fill, texts};
use super::{html, markdown};
use crate::analysis::Results;
use crate::error::{Error, Result};
use crate::output::write_atomic;

/// How the report is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// "Generated at" text (UTC), or none for no timestamp at all.
    pub generated_at: Option<String>,
}

impl ReportOptions {
    /// A timestamp only when `SOURCE_DATE_EPOCH` is set (and `no_timestamp` is false).
    ///
    /// # Errors
    /// [`Error::Usage`] when `SOURCE_DATE_EPOCH` is not a whole number of seconds.
    pub fn from_env(no_timestamp: bool) -> Result<ReportOptions> {
        if no_timestamp {
            return Ok(ReportOptions::default());
        }
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) => ReportOptions::from_epoch(&v),
            Err(_) => Ok(ReportOptions::default()),
        }
    }

    /// Options for a `SOURCE_DATE_EPOCH` value; an empty value means unset.
    ///
    /// # Errors
    /// [`Error::Usage`] when the value is not a non-negative whole number.
    ///
    /// # Examples
    /// ```
    /// use satkit::report::write::ReportOptions;
    /// let o = ReportOptions::from_epoch("1700000000").unwrap();
    /// assert_eq!(o.generated_at.as_deref(), Some("2023-11-14 22:13:20 UTC"));
    /// ```
    pub fn from_epoch(value: &str) -> Result<ReportOptions> {
        let v = value.trim();
        if v.is_empty() {
            return Ok(ReportOptions::default());
        }
        match v.parse::<u64>() {
            Ok(secs) if secs <= 253_402_300_799 => Ok(ReportOptions {
                generated_at: Some(utc_datetime(secs)),
            }),
            _ => Err(Error::usage(
                format!(
                    "SOURCE_DATE_EPOCH '{value}' is not a number of seconds since 1970-01-01 UTC"
                ),
                "set it to a whole number such as $(git log -1 --format=%ct), unset it, or pass --no-timestamp",
            )),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS UTC` for seconds since the Unix epoch (proleptic Gregorian calendar).
pub fn utc_datetime(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The top-level entries of the report in an output directory; rendering it replaces them all.
pub const REPORT_OUTPUTS: &[&str] = &["report.html", "report.md", "charts", "tables"];

/// Write report.html, report.md, charts/ and tables/ into `outdir`, each file atomically.
///
/// # Errors
/// Chart rendering errors and I/O errors, with the path.
pub fn write_report(results: &Results, outdir: &Path, opts: &ReportOptions) -> Result<()> {
    let charts = charts::render_all(results)?;
    let doc = document(results, &charts, opts);
    for c in &charts {
        let stem = chart_stem(c);
        write_atomic(
            &outdir.join("charts").join(format!("{stem}.svg")),
            c.svg.as_bytes(),
        )?;
        write_atomic(&outdir.join("charts").join(format!("{stem}.png")), &c.png)?;
    }
    for t in tables::csv_tables(results) {
        write_atomic(
            &outdir.join("tables").join(format!("{}.csv", t.name)),
            &t.to_csv(),
        )?;
    }
    write_atomic(
        &outdir.join("report.md"),
        markdown::render(&doc, &charts).as_bytes(),
    )?;
    write_atomic(
        &outdir.join("report.html"),
        html::render(&doc, &charts).as_bytes(),
    )?;
    Ok(())
}

/// Build the report document.
pub fn document(r: &Results, charts: &[Chart], opts: &ReportOptions) -> Document {
    let t = texts(r.survey.language);
    let b = Builder { r, t, charts };
    let mut sections = vec![b.headline(), b.tree(), b.priorities(), b.items()];
    if r.gaps.is_some() {
        sections.push(b.gaps());
    }
    if !r.segments.is_empty() {
        sections.push(b.segments());
    }
    sections.push(b.quality());
    sections.push(b.method(opts));
    for (i, s) in sections.iter_mut().enumerate() {
        s.title = format!("{}. {}", i + 1, s.title);
    }
    Document {
        html_lang: t.html_lang,
        title: r.survey.title.clone(),
        subtitle: format!("{} · {} · {}", t.report, r.survey.id, r.survey.version),
        contents: t.contents,
        generated: opts
            .generated_at
            .as_ref()
            .map(|g| format!("{}{}{g}", t.generated, t.colon)),
        sections,
    }
}

struct Builder<'a> {
    r: &'a Results,
    t: &'static Texts,
    charts: &'a [Chart],
}

impl Builder<'_> {
    fn charts(&self, section: &str) -> Vec<Block> {
        self.charts_where(section, |_| true)
    }

    /// Charts of a section whose id passes `keep`, in the order the chart renderer gave.
    fn charts_where(&self, section: &str, keep: impl Fn(&str) -> bool) -> Vec<Block> {
        self.charts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.section == section && keep(&c.id))
            .map(|(i, _)| Block::Chart(i))
            .collect()
    }

    fn node_name(&self, id: &str) -> String {
        self.r
            .index
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map_or_else(|| id.to_string(), |n| n.name.clone())
    }

    fn field_period(&self) -> Option<String> {
        let s = &self.r.survey;
        match (&s.field_start, &s.field_end) {
            (Some(a), Some(b)) if a == b => Some(a.clone()),
            (Some(a), Some(b)) => Some(format!("{a} – {b}")),
            (Some(a), None) => Some(format!("{a} –")),
            (None, Some(b)) => Some(format!("– {b}")),
            (None, None) => None,
        }
    }

    fn margin(&self) -> String {
        format!("±{}%", dec(Some(100.0 * self.r.sample.margin_of_error), 1))
    }

    fn headline(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut facts = vec![Fact {
            label: t.index.into(),
            value: score(r.index.score),
            detail: vec![format!(
                "{} {}",
                t.ci95,
                ci(r.index.ci_low, r.index.ci_high, 1)
            )],
        }];
        let mut detail = Vec::new();
        if let Some(f) = self.field_period() {
            detail.push(format!("{}{}{f}", t.field_period, t.colon));
        }
        detail.push(format!("{}{}{}", t.margin, t.colon, self.margin()));
        facts.push(Fact {
            label: t.respondents.into(),
            value: r.sample.n.to_string(),
            detail,
        });
        if let Some(n) = &r.nps {
            let v = &n.value;
            facts.push(Fact {
                label: t.nps.into(),
                value: signed(Some(v.nps), 1),
                detail: vec![
                    format!(
                        "{} {} – {}",
                        t.ci95,
                        signed(Some(v.ci_low), 1),
                        signed(Some(v.ci_high), 1)
                    ),
                    fill(
                        t.nps_detail,
                        &[&pct(Some(v.promoters)), &pct(Some(v.detractors))],
                    ),
                ],
            });
        }
        if let Some(c) = r.headline.as_ref().and_then(|h| h.csat.as_ref()) {
            facts.push(Fact {
                label: t.csat.into(),
                value: format!("{}%", dec(Some(c.csat), 0)),
                detail: vec![fill(
                    t.csat_detail,
                    &[&csat_boxes(&c.convention), &c.item, &dec(Some(c.mean), 2)],
                )],
            });
        }
        let mut blocks = vec![Block::Facts(facts)];

        let scored = |d: &dyn Fn(usize) -> bool| -> Vec<&crate::analysis::results::NodeScore> {
            r.index
                .nodes
                .iter()
                .filter(|n| d(n.depth) && n.score.is_some_and(f64::is_finite))
                .collect()
        };
        let mut strongest = scored(&|d| d == 1);
        if strongest.len() < 3 {
            strongest = scored(&|d| d >= 1);
        }
        // Stable sort: ties keep tree order.
        strongest.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let strong: Vec<String> = strongest
            .iter()
            .take(3)
            .map(|n| format!("{} {}", n.name, score(n.score)))
            .collect();
        let prio: Vec<String> = r
            .priorities
            .iter()
            .take(3)
            .map(|p| {
                fill(
                    t.priority_item,
                    &[
                        &p.name,
                        &score(Some(p.performance)),
                        &pct(Some(p.importance)),
                        &dec(Some(p.priority_score), 2),
                        &t.quadrant(p.quadrant.as_str()),
                    ],
                )
            })
            .collect();
        let prio = if prio.is_empty() {
            vec![t.no_priorities.to_string()]
        } else {
            prio
        };
        blocks.push(Block::Lists(vec![
            (t.strongest.into(), strong),
            (t.concentrate.into(), prio),
        ]));
        Section {
            id: "headline",
            title: t.sec_headline.into(),
            blocks,
        }
    }

    fn tree(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut blocks = vec![Block::Para(t.tree_intro.into())];
        blocks.extend(self.charts("tree"));
        let fuzzy = r.fuzzy.as_ref();
        let mut header = vec![
            t.col_node,
            t.col_score,
            t.col_ci,
            t.col_weight,
            t.col_effective_weight,
            t.col_n,
        ];
        if fuzzy.is_some() {
            header.push(t.col_fuzzy);
        }
        let mut g = Grid::new(header.into_iter().map(String::from).collect(), 1);
        if fuzzy.is_some()
            && let Some(last) = g.numeric.last_mut()
        {
            *last = false;
        }
        for n in &r.index.nodes {
            let mut cells = vec![
                n.name.clone(),
                score(n.score),
                ci(n.ci_low, n.ci_high, 1),
                dec(Some(n.weight), 3),
                dec(Some(n.effective_weight), 3),
                n.n.to_string(),
            ];
            if let Some(f) = fuzzy {
                cells.push(
                    f.nodes
                        .iter()
                        .find(|x| x.id == n.id)
                        .map_or_else(|| DASH.to_string(), fuzzy_cell),
                );
            }
            let row = g.push(cells);
            row.indent = n.depth;
            row.strong = n.depth == 0;
        }
        blocks.push(Block::Table(g));
        if let Some(f) = fuzzy {
            let op = serde_json::to_value(f.operator)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            blocks.push(Block::Para(fill(
                t.fuzzy_note,
                &[&t.term(&op), &f.grades.join(t.list_sep)],
            )));
            let differ: Vec<String> = f
                .nodes
                .iter()
                .filter(|x| !x.grades_agree && !x.score_grade.is_empty())
                .map(|x| {
                    let e = x
                        .effectiveness
                        .map_or_else(|| "–".to_string(), |e| format!("{e:.2}"));
                    format!(
                        "{} ({} / {}, α = {e})",
                        x.name, x.max_membership_grade, x.score_grade
                    )
                })
                .collect();
            if !differ.is_empty() {
                blocks.push(Block::Para(fill(
                    t.fuzzy_disagree,
                    &[&differ.join(t.list_sep)],
                )));
            }
        }
        Section {
            id: "tree",
            title: t.sec_tree.into(),
            blocks,
        }
    }

    fn priorities(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut blocks = Vec::new();
        if let Some(d) = &r.drivers {
            let label = if d.outcome.label.is_empty() {
                d.outcome.id.clone()
            } else {
                d.outcome.label.clone()
            };
            let mut p = fill(t.priorities_intro, &[&label]);
            let lines: Vec<String> = d
                .levels
                .iter()
                .map(|l| {
                    fill(
                        t.r2_line,
                        &[
                            &t.level(l.level.as_str()),
                            &dec(Some(l.r2), 2),
                            &dec(Some(l.adj_r2), 2),
                            &l.n.to_string(),
                        ],
                    )
                })
                .collect();
            if !lines.is_empty() {
                if t.html_lang == "en" {
                    p.push(' ');
                }
                p.push_str(&lines.join(if t.html_lang == "en" { "; " } else { "；" }));
                p.push_str(if t.html_lang == "en" { "." } else { "。" });
            }
            if let Some(note) = &d.outcome.note {
                p.push(' ');
                p.push_str(note);
            }
            blocks.push(Block::Para(p));
        }
        blocks.extend(self.charts("priorities"));
        if r.priorities.is_empty() {
            let reasons: Vec<String> = r
                .omitted
                .iter()
                .filter(|o| {
                    ["driver", "ipa", "priorit", "importance"]
                        .iter()
                        .any(|k| o.statistic.to_lowercase().contains(k))
                })
                .map(|o| format!("{}: {}", o.statistic, o.reason))
                .collect();
            blocks.push(Block::Para(format!(
                "{}{}",
                t.priorities_none,
                if reasons.is_empty() {
                    DASH.to_string()
                } else {
                    reasons.join("; ")
                }
            )));
            return Section {
                id: "priorities",
                title: t.sec_priorities.into(),
                blocks,
            };
        }
        let mut g = Grid::new(
            [
                t.col_rank,
                t.col_node,
                t.col_level,
                t.col_quadrant,
                t.col_importance,
                t.col_performance,
                t.col_priority,
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            4,
        );
        g.numeric[0] = true;
        for p in &r.priorities {
            let row = g.push(vec![
                p.rank.to_string(),
                p.name.clone(),
                t.level(p.level.as_str()),
                t.quadrant(p.quadrant.as_str()),
                pct(Some(p.importance)),
                score(Some(p.performance)),
                dec(Some(p.priority_score), 2),
            ]);
            row.strong = p.quadrant == crate::analysis::Quadrant::ConcentrateHere;
        }
        blocks.push(Block::Table(g));
        let measure = match r.ipa.as_ref().map(|i| i.importance_measure.as_str()) {
            Some("beta") => t.measure_beta,
            _ => t.measure_relative_weight,
        };
        let cross = match r.ipa.as_ref().map(|i| i.cross.as_str()) {
            Some("midpoint") => t.crosshairs_midpoint,
            _ => t.crosshairs_mean,
        };
        blocks.push(Block::Heading(t.meaning.into()));
        blocks.push(Block::Definitions(vec![
            (t.col_importance.into(), fill(t.def_importance, &[measure])),
            (t.col_performance.into(), t.def_performance.into()),
            (t.col_priority.into(), t.def_priority.into()),
            (t.col_quadrant.into(), fill(t.def_quadrant, &[cross])),
            (t.q_concentrate.into(), t.q_concentrate_def.into()),
            (t.q_keep_up.into(), t.q_keep_up_def.into()),
            (t.q_low_priority.into(), t.q_low_priority_def.into()),
            (t.q_overkill.into(), t.q_overkill_def.into()),
        ]));
        Section {
            id: "priorities",
            title: t.sec_priorities.into(),
            blocks,
        }
    }

    fn items(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut blocks = vec![Block::Para(t.items_intro.into())];
        let weighted = r.items.iter().any(|i| i.weighted.is_some());
        if let (true, Some(w)) = (weighted, &r.sample.weight_column) {
            blocks.push(Block::Para(fill(t.items_weighted, &[w])));
        }
        if r.items.iter().any(|i| i.reverse) {
            blocks.push(Block::Para(t.reverse_note.into()));
        }
        blocks.extend(self.charts("items"));
        let mut g = Grid::new(
            [
                t.col_item,
                t.col_text,
                t.col_node,
                t.col_scale,
                t.col_n,
                t.col_mean,
                t.col_top2,
                t.col_bottom2,
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            3,
        );
        let rev = if t.html_lang == "en" {
            " (R)"
        } else {
            "（反）"
        };
        for i in &r.items {
            let w = i.weighted.as_ref();
            let mean = w.map(|w| w.mean).or(i.mean);
            let top2 = w.map_or(i.top2box, |w| w.top2box);
            let bottom2 = w.map_or(i.bottom2box, |w| w.bottom2box);
            let scale = match (i.min, i.max) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => DASH.to_string(),
            };
            g.push(vec![
                format!("{}{}", i.id, if i.reverse { rev } else { "" }),
                i.text.clone(),
                i.node
                    .as_deref()
                    .map_or_else(|| DASH.to_string(), |n| self.node_name(n)),
                scale,
                i.n.to_string(),
                dec(mean, 2),
                pct(top2),
                pct(bottom2),
            ]);
        }
        blocks.push(Block::Table(g));
        Section {
            id: "items",
            title: t.sec_items.into(),
            blocks,
        }
    }

    fn gaps(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut blocks = vec![Block::Para(t.gaps_intro.into())];
        blocks.extend(self.charts("gaps"));
        if let Some(gp) = &r.gaps {
            blocks.push(Block::Heading(t.gaps_by_dimension.into()));
            let mut g = Grid::new(
                [
                    t.col_dimension,
                    t.col_expectation,
                    t.col_perception,
                    t.col_gap,
                    t.col_p,
                    t.col_not_met,
                ]
                .into_iter()
                .map(String::from)
                .collect(),
                1,
            );
            for d in &gp.dimensions {
                let mut row = vec![d.name.clone()];
                row.extend(gap_cells(&d.stats));
                g.push(row);
            }
            blocks.push(Block::Table(g));
            blocks.push(Block::Heading(t.gaps_by_attribute.into()));
            let mut g = Grid::new(
                [
                    t.col_attribute,
                    t.col_text,
                    t.col_dimension,
                    t.col_expectation,
                    t.col_perception,
                    t.col_gap,
                    t.col_p,
                    t.col_not_met,
                ]
                .into_iter()
                .map(String::from)
                .collect(),
                3,
            );
            for a in &gp.attributes {
                let text = r
                    .items
                    .iter()
                    .find(|i| i.id == a.perception)
                    .map_or_else(|| DASH.to_string(), |i| i.text.clone());
                let mut row = vec![
                    a.attribute.clone(),
                    text,
                    a.dimension
                        .as_deref()
                        .map_or_else(|| DASH.to_string(), |d| self.node_name(d)),
                ];
                row.extend(gap_cells(&a.stats));
                g.push(row);
            }
            blocks.push(Block::Table(g));
        }
        Section {
            id: "gaps",
            title: t.sec_gaps.into(),
            blocks,
        }
    }

    fn segments(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut blocks = vec![Block::Para(t.segments_intro.into())];
        blocks.extend(self.charts("segments"));
        for s in &r.segments {
            // One test kind per segmentation (Welch t for two groups, Welch ANOVA for more): name
            // it in the heading rather than on every row.
            let mut tests: Vec<String> = Vec::new();
            for x in &s.tests {
                let name = t.term(&x.test);
                if !tests.contains(&name) {
                    tests.push(name);
                }
            }
            let mut heading = fill(t.segments_by, &[&s.by]);
            if !tests.is_empty() {
                heading.push_str(&format!(" · {}", tests.join(t.list_sep)));
            }
            blocks.push(Block::Heading(heading));
            let mut header = vec![t.col_node.to_string()];
            header.extend(s.groups.iter().map(|g| {
                format!(
                    "{}{}",
                    tables::group_label(r, &s.by, &g.value),
                    fill(t.paren, &[&format!("n = {}", g.n)])
                )
            }));
            header.extend([t.col_p.to_string(), t.col_effect.to_string()]);
            let mut grid = Grid::new(header, 1);
            for n in &r.index.nodes {
                if !s
                    .groups
                    .iter()
                    .any(|g| g.nodes.iter().any(|x| x.id == n.id))
                {
                    continue;
                }
                let mut cells = vec![n.name.clone()];
                cells.extend(
                    s.groups.iter().map(|g| {
                        score(g.nodes.iter().find(|x| x.id == n.id).and_then(|x| x.score))
                    }),
                );
                let test = s.tests.iter().find(|x| x.node == n.id);
                match test {
                    Some(x) => {
                        let effect = match x.effect.as_str() {
                            "cohen_d" => format!("d = {}", dec(Some(x.effect_size), 2)),
                            "eta_squared" => format!("η² = {}", dec(Some(x.effect_size), 3)),
                            e => format!("{e} = {}", dec(Some(x.effect_size), 3)),
                        };
                        cells.extend([
                            format!(
                                "{}{}",
                                p_value(Some(x.p)),
                                if x.significant { " *" } else { "" }
                            ),
                            effect,
                        ]);
                    }
                    None => cells.extend([DASH.to_string(), DASH.to_string()]),
                }
                let row = grid.push(cells);
                row.indent = n.depth;
                row.strong = test.is_some_and(|x| x.significant);
            }
            blocks.push(Block::Table(grid));
            if !s.crosstabs.is_empty() {
                blocks.push(Block::Heading(format!(
                    "{} · {}",
                    fill(t.segments_by, &[&s.by]),
                    t.crosstabs
                )));
                let mut g = Grid::new(
                    ["", "χ²", "df", "p", "Cramér's V"]
                        .iter()
                        .map(|h| h.to_string())
                        .collect(),
                    1,
                );
                g.header[0] = t.col_question.into();
                for c in &s.crosstabs {
                    g.push(vec![
                        c.question.clone(),
                        dec(c.chi2, 1),
                        dec(c.dof, 0),
                        p_value(c.p),
                        dec(c.cramers_v, 2),
                    ]);
                }
                blocks.push(Block::Table(g));
            }
        }
        Section {
            id: "segments",
            title: t.sec_segments.into(),
            blocks,
        }
    }

    fn quality(&self) -> Section {
        let (r, t) = (self.r, self.t);
        let mut blocks = vec![
            Block::Heading(t.reliability.into()),
            Block::Para(t.reliability_intro.into()),
        ];
        blocks.push(Block::Table(self.reliability_table()));

        // The reliability chart belongs with its table; the factor charts follow KMO/Bartlett.
        let is_reliability = |id: &str| id.starts_with("alpha") || id.starts_with("reliability");
        blocks.extend(self.charts_where("quality", is_reliability));
        blocks.push(Block::Heading(t.validity.into()));
        match &r.factor {
            Some(f) => blocks.extend(self.factor_blocks(f, is_reliability)),
            None => {
                let reasons: Vec<String> = r
                    .omitted
                    .iter()
                    .filter(|o| {
                        ["factor", "kmo", "bartlett", "efa"]
                            .iter()
                            .any(|k| o.statistic.to_lowercase().contains(k))
                    })
                    .map(|o| format!("{}: {}", o.statistic, o.reason))
                    .collect();
                let mut p = t.no_factor.to_string();
                if !reasons.is_empty() {
                    p.push(' ');
                    p.push_str(&reasons.join("; "));
                }
                blocks.push(Block::Para(p));
                blocks.extend(self.charts_where("quality", |id| !is_reliability(id)));
            }
        }
        blocks.push(Block::Para(t.correlations_note.into()));
        Section {
            id: "quality",
            title: t.sec_quality.into(),
            blocks,
        }
    }

    /// Cronbach's alpha per node, with the items whose deletion would raise it.
    fn reliability_table(&self) -> Grid {
        let (r, t) = (self.r, self.t);
        let mut g = Grid::new(
            [
                t.col_node,
                t.col_scope,
                t.col_k,
                t.col_n,
                t.col_alpha,
                t.col_avg_r,
                t.col_weakening,
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            2,
        );
        let k = g.numeric.len();
        g.numeric[k - 1] = false;
        for rel in &r.reliability {
            let weak: Vec<String> = rel
                .items
                .iter()
                .filter(|i| i.alpha_if_deleted.is_some_and(|a| a > rel.alpha))
                .map(|i| format!("{}{}", i.id, fill(t.paren, &[&dec(i.alpha_if_deleted, 3)])))
                .collect();
            let row = g.push(vec![
                self.node_name(&rel.node),
                t.level(rel.scope.as_str()),
                rel.k.to_string(),
                rel.n.to_string(),
                dec(Some(rel.alpha), 3),
                dec(Some(rel.avg_r), 2),
                if weak.is_empty() {
                    DASH.to_string()
                } else {
                    weak.join(t.list_sep)
                },
            ]);
            row.strong = rel.alpha < 0.7;
        }
        g
    }

    /// KMO, Bartlett, the extraction, the factor charts, the loadings and the off-dimension
    /// items.
    fn factor_blocks(
        &self,
        f: &crate::analysis::FactorResult,
        is_reliability: impl Fn(&str) -> bool,
    ) -> Vec<Block> {
        let t = self.t;
        let mut blocks = Vec::new();
        let b = f.bartlett.as_ref();
        blocks.push(Block::Para(fill(
            t.kmo_line,
            &[
                &dec(f.kmo, 3),
                &f.kmo_label
                    .as_deref()
                    .map_or_else(|| DASH.to_string(), |l| t.term(l)),
                &dec(b.map(|b| b.chi2), 1),
                &dec(b.map(|b| b.df), 0),
                &p_clause(b.map(|b| b.p)),
                &f.n.to_string(),
            ],
        )));
        blocks.push(Block::Para(fill(
            t.factors_line,
            &[
                &f.n_factors.to_string(),
                &t.term(&f.n_factors_rule),
                &t.term(&f.method),
                &t.term(&f.rotation),
            ],
        )));
        blocks.extend(self.charts_where("quality", |id| !is_reliability(id)));
        if let Some(l) = &f.loadings {
            blocks.push(Block::Heading(t.loadings.into()));
            blocks.push(Block::Table(loadings_table(f, l, t)));
        }
        blocks.extend(self.off_dimension_blocks(f));
        blocks
    }

    /// Items that load highest off their dimension's factor, or a line saying there are none.
    fn off_dimension_blocks(&self, f: &crate::analysis::FactorResult) -> Vec<Block> {
        let t = self.t;
        let mut blocks = Vec::new();
        blocks.push(Block::Heading(t.off_dimension.into()));
        if f.off_dimension.is_empty() {
            blocks.push(Block::Para(t.off_dimension_none.into()));
        } else {
            blocks.push(Block::Para(t.off_dimension_intro.into()));
            let mut g = Grid::new(
                [
                    t.col_item,
                    t.col_dimension,
                    t.col_dimension_factor,
                    t.col_loads_on,
                    t.col_loading,
                    t.col_loading_dimension,
                ]
                .into_iter()
                .map(String::from)
                .collect(),
                2,
            );
            for o in &f.off_dimension {
                g.push(vec![
                    o.id.clone(),
                    self.node_name(&o.dimension),
                    format!("F{}", o.dimension_factor),
                    format!("F{}", o.loads_on),
                    dec(Some(o.loading), 2),
                    dec(Some(o.loading_on_dimension_factor), 2),
                ]);
            }
            blocks.push(Block::Table(g));
        }
        blocks
    }

    fn method(&self, opts: &ReportOptions) -> Section {
        let (r, t) = (self.r, self.t);
        let s = &r.sample;
        let mut facts = vec![(t.n_analysed.to_string(), s.n.to_string())];
        if s.weight_column.is_some() {
            facts.push((t.n_weighted.into(), dec(Some(s.n_weighted), 1)));
        }
        facts.push((t.n_effective.into(), dec(Some(s.n_effective), 0)));
        facts.push((
            t.margin.into(),
            fill(
                t.margin_detail,
                &[&format!("{}%", dec(Some(100.0 * s.margin_of_error), 1))],
            ),
        ));
        if let Some(p) = s.population_size {
            facts.push((t.population.into(), p.to_string()));
        }
        if let Some(p) = s.planned_n {
            facts.push((t.planned.into(), p.to_string()));
        }
        if let Some(f) = self.field_period() {
            facts.push((t.field_period.into(), f));
        }
        facts.push((t.data_file.into(), r.input.clone()));
        if let Some(w) = &s.weight_column {
            facts.push((t.weight_column.into(), w.clone()));
        }
        let mut blocks = vec![Block::Heading(t.sample.into()), Block::Definitions(facts)];

        if !r.weights.is_empty() {
            blocks.push(Block::Heading(t.weights_used.into()));
            let mut g = Grid::new(
                [t.col_node, t.col_method, t.col_weights, t.col_ahp_cr]
                    .into_iter()
                    .map(String::from)
                    .collect(),
                3,
            );
            for w in &r.weights {
                let children: Vec<String> = w
                    .children
                    .iter()
                    .zip(&w.used)
                    .map(|(c, u)| format!("{} {}", self.node_name(c), dec(Some(*u), 3)))
                    .collect();
                let cr = match (&w.ahp, w.ahp_consistent) {
                    (Some(a), Some(ok)) => format!(
                        "{}{}",
                        dec(Some(a.cr), 3),
                        fill(t.paren, &[if ok { t.consistent } else { t.inconsistent }])
                    ),
                    (Some(a), None) => dec(Some(a.cr), 3),
                    _ => DASH.to_string(),
                };
                g.push(vec![
                    self.node_name(&w.node),
                    t.term(&w.method),
                    children.join(t.list_sep),
                    cr,
                ]);
            }
            blocks.push(Block::Table(g));
        }

        let mp = &r.missing_policy;
        let policy = |p: crate::analysis::MissingPolicy| {
            t.term(match p {
                crate::analysis::MissingPolicy::Pairwise => "pairwise",
                crate::analysis::MissingPolicy::Listwise => "listwise",
            })
        };
        blocks.push(Block::Heading(t.missing_data.into()));
        blocks.push(Block::Para(fill(
            t.missing_line,
            &[
                &policy(mp.correlation),
                &policy(mp.reliability),
                &policy(mp.factor),
                &t.term(&mp.index),
            ],
        )));
        blocks.push(Block::Heading(t.flagged.into()));
        blocks.push(Block::Para(fill(t.flagged_line, &[&s.flagged.to_string()])));
        if !r.warnings.is_empty() {
            blocks.push(Block::Heading(t.notes.into()));
            blocks.push(Block::List(
                r.warnings.iter().map(|w| w.message.clone()).collect(),
            ));
        }
        if !r.omitted.is_empty() {
            blocks.push(Block::Heading(t.omitted.into()));
            blocks.push(Block::List(
                r.omitted
                    .iter()
                    .map(|o| format!("{}: {}", o.statistic, o.reason))
                    .collect(),
            ));
        }
        blocks.push(Block::Heading(t.version.into()));
        let mut v = format!(
            "satkit {} · results.json schema {}",
            r.satkit_version, r.schema_version
        );
        if let Some(g) = &opts.generated_at {
            v.push_str(&format!(" · {}{}{g}", t.generated, t.colon));
        }
        blocks.push(Block::Para(v));
        Section {
            id: "method",
            title: t.sec_method.into(),
            blocks,
        }
    }
}

/// The rotated loadings and communalities, one row per item.
fn loadings_table(f: &crate::analysis::FactorResult, l: &[Vec<f64>], t: &Texts) -> Grid {
    let k = l.first().map_or(0, Vec::len);
    let mut header = vec![t.col_item.to_string()];
    header.extend((1..=k).map(|j| format!("F{j}")));
    header.push(t.col_communality.into());
    let mut g = Grid::new(header, 1);
    for (i, item) in f.items.iter().enumerate() {
        let mut cells = vec![item.clone()];
        cells.extend((0..k).map(|j| dec(l.get(i).and_then(|row| row.get(j)).copied(), 2)));
        cells.push(dec(
            f.communalities.as_ref().and_then(|c| c.get(i)).copied(),
            2,
        ));
        g.push(cells);
    }
    g
}

/// The comparison columns shared by the gap tables of dimensions and attributes.
fn gap_cells(s: &crate::analysis::GapStats) -> [String; 5] {
    [
        dec(Some(s.mean_expectation), 2),
        dec(Some(s.mean_perception), 2),
        signed(Some(s.gap), 2),
        p_value(s.p),
        pct(Some(s.share_not_met)),
    ]
}

/// The number of top boxes in a CSAT convention such as "top2box".
fn csat_boxes(convention: &str) -> String {
    convention
        .trim_start_matches("top")
        .trim_end_matches("box")
        .to_string()
}

/// The fuzzy grade of a node, followed where they differ by the maximum-membership grade and
/// the weighted score's grade.
fn fuzzy_cell(x: &crate::analysis::results::FuzzyNode) -> String {
    if x.grades_agree || x.score_grade.is_empty() {
        x.grade.clone()
    } else {
        format!(
            "{} ({} / {})",
            x.grade, x.max_membership_grade, x.score_grade
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_to_utc() {
        // Reference values: `date -u -d @N '+%F %T'` (GNU coreutils).
        assert_eq!(utc_datetime(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_datetime(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc_datetime(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_datetime(4_102_444_799), "2099-12-31 23:59:59 UTC");
    }

    #[test]
    fn epoch_option_parsing() {
        assert_eq!(
            ReportOptions::from_epoch("").unwrap(),
            ReportOptions::default()
        );
        assert!(ReportOptions::from_epoch("yesterday").is_err());
        assert!(ReportOptions::from_epoch("-5").is_err());
    }
}
