//! Tables of the analysis report: numbers rounded for reading (the HTML and Markdown tables) and
//! the full-precision CSV tables in `tables/*.csv`.
//!
//! Reading rules: scores on 0–100 with one decimal, shares as whole percent, alpha and KMO with
//! three decimals, loadings and correlations with two, p-values as `< 0.001` or three decimals.
//! CSV cells keep every digit (Rust's shortest round-trip form); text cells that a spreadsheet
//! would run as a formula are neutralised, numbers never are.

use crate::analysis::Results;
use crate::output::neutralise_formula;

/// Shown where a number is missing (CSV cells are left empty instead).
pub const DASH: &str = "–";

/// Fixed decimals; `–` for missing or non-finite values; never `-0.0`.
pub fn dec(v: Option<f64>, digits: usize) -> String {
    match v {
        Some(x) if x.is_finite() => crate::numbers::fixed(x, digits),
        _ => DASH.to_string(),
    }
}

/// A 0–100 score with one decimal.
pub fn score(v: Option<f64>) -> String {
    dec(v, 1)
}

/// A confidence interval `low–high` with the given decimals.
pub fn ci(low: Option<f64>, high: Option<f64>, digits: usize) -> String {
    if low.is_none() && high.is_none() {
        return DASH.to_string();
    }
    let (a, b) = (dec(low, digits), dec(high, digits));
    // A spaced dash keeps a negative bound readable: `-1.2 – 0.4`.
    if a.starts_with('-') || b.starts_with('-') {
        format!("{a} – {b}")
    } else {
        format!("{a}–{b}")
    }
}

/// A share (0–1) as whole percent.
pub fn pct(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{}%", dec(Some(100.0 * x), 0)),
        _ => DASH.to_string(),
    }
}

/// A signed number (`+1.2`, `-0.8`, `0.0`).
pub fn signed(v: Option<f64>, digits: usize) -> String {
    let s = dec(v, digits);
    if s == DASH || s.starts_with('-') || s.chars().all(|c| c == '0' || c == '.') {
        s
    } else {
        format!("+{s}")
    }
}

/// A p-value: `< 0.001` or three decimals.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        Some(x) if x.is_finite() && x < 0.001 => "< 0.001".to_string(),
        _ => dec(p, 3),
    }
}

/// A p-value after "p": `< 0.001` or `= 0.023`.
pub fn p_clause(p: Option<f64>) -> String {
    let s = p_value(p);
    if s.starts_with('<') || s == DASH {
        s
    } else {
        format!("= {s}")
    }
}

/// A display table: plain text cells (the renderer escapes them).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub header: Vec<String>,
    /// Columns aligned right (numbers).
    pub numeric: Vec<bool>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<String>,
    /// Indentation level of the first cell (tree depth).
    pub indent: usize,
    /// Highlighted row (a significant difference, the overall index).
    pub strong: bool,
}

impl Grid {
    /// A grid with the given header; columns after the first `text_columns` are numeric.
    pub fn new(header: Vec<String>, text_columns: usize) -> Grid {
        let numeric = (0..header.len()).map(|i| i >= text_columns).collect();
        Grid {
            header,
            numeric,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, cells: Vec<String>) -> &mut Row {
        self.rows.push(Row {
            cells,
            indent: 0,
            strong: false,
        });
        self.rows.last_mut().expect("just pushed")
    }
}

/// One CSV cell.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Num(Option<f64>),
    Int(Option<i64>),
    Bool(bool),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: Option<&str>) -> Cell {
    Cell::Text(s.unwrap_or("").to_string())
}

fn num(v: f64) -> Cell {
    Cell::Num(Some(v))
}

fn int(v: usize) -> Cell {
    Cell::Int(Some(v as i64))
}

impl Cell {
    fn render(&self) -> String {
        match self {
            Cell::Text(s) => neutralise_formula(s),
            Cell::Num(Some(x)) if x.is_finite() => format!("{x}"),
            Cell::Num(_) | Cell::Int(None) => String::new(),
            Cell::Int(Some(i)) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// A full-precision table written to `tables/<name>.csv`.
#[derive(Debug, Clone)]
pub struct CsvTable {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl CsvTable {
    fn new(name: &'static str, header: &[&str]) -> CsvTable {
        CsvTable {
            name,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// UTF-8 CSV with a header row and `\n` line ends.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let header: Vec<String> = self.header.iter().map(|h| neutralise_formula(h)).collect();
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&header);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(Cell::render));
        }
        w.into_inner().unwrap_or_default()
    }
}

/// The seven CSV tables, always all of them (header only where the analysis has no rows), so
/// scripts can rely on the file set.
pub fn csv_tables(r: &Results) -> Vec<CsvTable> {
    vec![
        items(r),
        nodes(r),
        correlations(r),
        loadings(r),
        priorities(r),
        segments(r),
        gaps(r),
    ]
}

fn items(r: &Results) -> CsvTable {
    let mut t = CsvTable::new(
        "items",
        &[
            "id",
            "text",
            "kind",
            "node",
            "scale",
            "min",
            "max",
            "reverse",
            "role",
            "n",
            "mean",
            "sd",
            "se",
            "ci_low",
            "ci_high",
            "top2box",
            "bottom2box",
            "weighted_mean",
            "weighted_ci_low",
            "weighted_ci_high",
            "weighted_top2box",
            "weighted_bottom2box",
        ],
    );
    for i in &r.items {
        let w = i.weighted.as_ref();
        let role = i.role.map(|x| {
            serde_json::to_value(x)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        });
        t.rows.push(vec![
            text(&i.id),
            text(&i.text),
            text(&i.kind),
            opt_text(i.node.as_deref()),
            opt_text(i.scale.as_deref()),
            Cell::Int(i.min),
            Cell::Int(i.max),
            Cell::Bool(i.reverse),
            opt_text(role.as_deref()),
            int(i.n),
            Cell::Num(i.mean),
            Cell::Num(i.sd),
            Cell::Num(i.se),
            Cell::Num(i.ci_low),
            Cell::Num(i.ci_high),
            Cell::Num(i.top2box),
            Cell::Num(i.bottom2box),
            Cell::Num(w.map(|w| w.mean)),
            Cell::Num(w.and_then(|w| w.ci_low)),
            Cell::Num(w.and_then(|w| w.ci_high)),
            Cell::Num(w.and_then(|w| w.top2box)),
            Cell::Num(w.and_then(|w| w.bottom2box)),
        ]);
    }
    t
}

fn nodes(r: &Results) -> CsvTable {
    let mut t = CsvTable::new(
        "nodes",
        &[
            "id",
            "name",
            "parent",
            "depth",
            "weight",
            "effective_weight",
            "weight_source",
            "score",
            "ci_low",
            "ci_high",
            "sd",
            "n",
            "fuzzy_grade",
            "fuzzy_score",
        ],
    );
    for n in &r.index.nodes {
        let fz = r
            .fuzzy
            .as_ref()
            .and_then(|f| f.nodes.iter().find(|x| x.id == n.id));
        t.rows.push(vec![
            text(&n.id),
            text(&n.name),
            opt_text(n.parent.as_deref()),
            int(n.depth),
            num(n.weight),
            num(n.effective_weight),
            text(&n.weight_source),
            Cell::Num(n.score),
            Cell::Num(n.ci_low),
            Cell::Num(n.ci_high),
            Cell::Num(n.sd),
            int(n.n),
            opt_text(fz.map(|f| f.grade.as_str())),
            Cell::Num(fz.map(|f| f.score)),
        ]);
    }
    t
}

fn correlations(r: &Results) -> CsvTable {
    let m = &r.correlation.pearson;
    let mut header = vec!["item".to_string()];
    header.extend(m.vars.iter().map(|v| neutralise_formula(v)));
    let mut t = CsvTable {
        name: "correlations",
        header,
        rows: Vec::new(),
    };
    for (i, v) in m.vars.iter().enumerate() {
        let mut row = vec![text(v)];
        row.extend(
            m.vars
                .iter()
                .enumerate()
                .map(|(j, _)| Cell::Num(m.r.get(i).and_then(|row| row.get(j)).copied().flatten())),
        );
        t.rows.push(row);
    }
    t
}

fn loadings(r: &Results) -> CsvTable {
    let Some(f) = r.factor.as_ref() else {
        return CsvTable::new("loadings", &["item"]);
    };
    let Some(l) = f.loadings.as_ref() else {
        return CsvTable::new("loadings", &["item"]);
    };
    let k = l.first().map_or(0, Vec::len);
    let mut header = vec!["item".to_string()];
    header.extend((1..=k).map(|j| format!("F{j}")));
    header.push("communality".into());
    header.push("uniqueness".into());
    let mut t = CsvTable {
        name: "loadings",
        header,
        rows: Vec::new(),
    };
    for (i, item) in f.items.iter().enumerate() {
        let mut row = vec![text(item)];
        row.extend((0..k).map(|j| Cell::Num(l.get(i).and_then(|r| r.get(j)).copied())));
        row.push(Cell::Num(
            f.communalities.as_ref().and_then(|c| c.get(i)).copied(),
        ));
        row.push(Cell::Num(
            f.uniquenesses.as_ref().and_then(|c| c.get(i)).copied(),
        ));
        t.rows.push(row);
    }
    t
}

fn priorities(r: &Results) -> CsvTable {
    let mut t = CsvTable::new(
        "priorities",
        &[
            "rank",
            "id",
            "name",
            "level",
            "quadrant",
            "importance",
            "performance",
            "priority_score",
        ],
    );
    for p in &r.priorities {
        t.rows.push(vec![
            int(p.rank),
            text(&p.id),
            text(&p.name),
            text(p.level.as_str()),
            text(p.quadrant.as_str()),
            num(p.importance),
            num(p.performance),
            num(p.priority_score),
        ]);
    }
    t
}

/// The label of a segment group: the option label when `by` is a coded choice question.
pub fn group_label(r: &Results, by: &str, value: &str) -> String {
    let code: Option<i64> = value.trim().parse().ok();
    r.choices
        .iter()
        .find(|c| c.id == by)
        .and_then(|c| c.options.iter().find(|o| Some(o.code) == code))
        .map_or_else(|| value.to_string(), |o| o.label.clone())
}

fn segments(r: &Results) -> CsvTable {
    let mut t = CsvTable::new(
        "segments",
        &[
            "by",
            "group",
            "group_label",
            "group_n",
            "group_n_weighted",
            "node",
            "node_name",
            "score",
            "ci_low",
            "ci_high",
            "n",
            "test",
            "p",
            "effect",
            "effect_size",
            "significant",
        ],
    );
    for s in &r.segments {
        for g in &s.groups {
            for n in &g.nodes {
                let test = s.tests.iter().find(|x| x.node == n.id);
                let name = r
                    .index
                    .nodes
                    .iter()
                    .find(|x| x.id == n.id)
                    .map_or("", |x| x.name.as_str());
                t.rows.push(vec![
                    text(&s.by),
                    text(&g.value),
                    text(group_label(r, &s.by, &g.value)),
                    int(g.n),
                    num(g.n_weighted),
                    text(&n.id),
                    text(name),
                    Cell::Num(n.score),
                    Cell::Num(n.ci_low),
                    Cell::Num(n.ci_high),
                    int(n.n),
                    opt_text(test.map(|x| x.test.as_str())),
                    Cell::Num(test.map(|x| x.p)),
                    opt_text(test.map(|x| x.effect.as_str())),
                    Cell::Num(test.map(|x| x.effect_size)),
                    test.map_or(text(""), |x| Cell::Bool(x.significant)),
                ]);
            }
        }
    }
    t
}

fn gaps(r: &Results) -> CsvTable {
    let mut t = CsvTable::new(
        "gaps",
        &[
            "level",
            "id",
            "name",
            "dimension",
            "expectation",
            "perception",
            "n",
            "mean_expectation",
            "mean_perception",
            "gap",
            "t",
            "df",
            "p",
            "share_not_met",
            "exceeded",
            "met",
            "below",
        ],
    );
    let Some(g) = r.gaps.as_ref() else { return t };
    for d in &g.dimensions {
        let mut row = vec![
            text("dimension"),
            text(&d.id),
            text(&d.name),
            text(""),
            text(""),
            text(""),
        ];
        row.extend(gap_cells(&d.stats));
        t.rows.push(row);
    }
    for a in &g.attributes {
        let mut row = vec![
            text("attribute"),
            text(&a.attribute),
            text(""),
            opt_text(a.dimension.as_deref()),
            text(&a.expectation),
            text(&a.perception),
        ];
        row.extend(gap_cells(&a.stats));
        t.rows.push(row);
    }
    t
}

/// The comparison columns shared by a gap dimension and a gap attribute.
fn gap_cells(s: &crate::analysis::GapStats) -> [Cell; 11] {
    [
        int(s.n),
        num(s.mean_expectation),
        num(s.mean_perception),
        num(s.gap),
        Cell::Num(s.t),
        Cell::Num(s.df),
        Cell::Num(s.p),
        num(s.share_not_met),
        num(s.exceeded),
        num(s.met),
        num(s.below),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_for_reading() {
        assert_eq!(score(Some(53.75)), "53.8");
        assert_eq!(score(Some(-0.04)), "0.0");
        assert_eq!(score(None), DASH);
        assert_eq!(score(Some(f64::NAN)), DASH);
        assert_eq!(pct(Some(0.4987)), "50%");
        assert_eq!(pct(Some(-0.001)), "0%");
        assert_eq!(signed(Some(1.234), 2), "+1.23");
        assert_eq!(signed(Some(-0.88), 2), "-0.88");
        assert_eq!(signed(Some(0.0001), 2), "0.00");
        assert_eq!(p_value(Some(1e-290)), "< 0.001");
        assert_eq!(p_value(Some(0.0234)), "0.023");
        assert_eq!(p_clause(Some(0.0234)), "= 0.023");
        assert_eq!(ci(Some(51.84), Some(55.66), 1), "51.8–55.7");
    }

    #[test]
    fn csv_neutralises_text_not_numbers() {
        let t = CsvTable {
            name: "t",
            header: vec!["a".into(), "b".into()],
            rows: vec![
                vec![Cell::Text("=SUM(A1)".into()), Cell::Num(Some(-0.5))],
                vec![Cell::Text("-3".into()), Cell::Num(None)],
            ],
        };
        assert_eq!(
            String::from_utf8(t.to_csv()).unwrap(),
            "a,b\n'=SUM(A1),-0.5\n-3,\n"
        );
    }
}
