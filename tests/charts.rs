//! Charts from the example surveys: every SVG is well-formed XML with the expected (Chinese)
//! labels, every PNG is a PNG, user text is escaped, and the same results give the same bytes.
//! These call the library (not the binary): charts are a library renderer with no command yet.

use std::sync::OnceLock;

use satkit::analysis::{self, AnalysisOptions, Results};
use satkit::report::charts::{Chart, render_all};

use crate::util::repo;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn analyse(survey: &str, by: &[&str]) -> Results {
    let dir = repo().join("surveys").join(survey);
    let s = satkit::Survey::load(dir.join("survey.toml")).expect("survey loads");
    let imported = satkit::data::import_path(&s, &dir.join("responses.csv"), &Default::default())
        .expect("responses import");
    let mut opts = AnalysisOptions::default();
    opts.improve.by = by.iter().map(|b| b.to_string()).collect();
    analysis::analyze(&s, &imported.table, &opts).expect("analysis runs")
}

fn b2b() -> &'static Results {
    static R: OnceLock<Results> = OnceLock::new();
    R.get_or_init(|| analyse("b2b-platform", &["region"]))
}

fn servqual() -> &'static Results {
    static R: OnceLock<Results> = OnceLock::new();
    R.get_or_init(|| analyse("servqual", &[]))
}

fn chart<'a>(charts: &'a [Chart], id: &str) -> &'a Chart {
    charts.iter().find(|c| c.id == id).unwrap_or_else(|| {
        panic!(
            "no chart '{id}' among {:?}",
            charts.iter().map(|c| &c.id).collect::<Vec<_>>()
        )
    })
}

/// All text content of an SVG, parsed as XML (so entities are decoded).
fn svg_text(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is not XML: {e}"));
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_all_wellformed(charts: &[Chart]) {
    for c in charts {
        let doc = roxmltree::Document::parse(&c.svg)
            .unwrap_or_else(|e| panic!("{}: SVG is not XML: {e}", c.id));
        assert_eq!(doc.root_element().tag_name().name(), "svg", "{}", c.id);
        assert!(c.png.starts_with(PNG_SIGNATURE), "{}: not a PNG", c.id);
        assert!(!c.title.is_empty(), "{}", c.id);
        assert!(
            ["tree", "priorities", "items", "gaps", "segments", "quality"].contains(&c.section),
            "{}: section {}",
            c.id,
            c.section
        );
    }
}

#[test]
fn b2b_charts_exist_parse_and_carry_chinese_labels() {
    let charts = render_all(b2b()).expect("charts render");
    check_all_wellformed(&charts);
    for id in [
        "index_tree",
        "ipa_dimension",
        "ipa_indicator",
        "likert_sat5",
        "likert_agree5na",
        "segments_region",
        "alpha",
        "scree",
        "loadings",
        "correlation",
    ] {
        chart(&charts, id);
    }
    // No gaps in this survey, and no chart of NPS items.
    assert!(
        !charts
            .iter()
            .any(|c| c.id.starts_with("gaps") || c.id.contains("nps"))
    );

    let tree = svg_text(&chart(&charts, "index_tree").svg);
    assert!(tree.contains("客户服务 (0.15)"), "{tree}");
    assert!(tree.contains("B2B 平台客户满意度指数"), "{tree}");
    let root = format!("{:.1}", b2b().index.score.expect("a root score"));
    assert!(
        tree.contains(&root),
        "root score {root} rounded to 1 decimal: {tree}"
    );
    let ipa = svg_text(&chart(&charts, "ipa_dimension").svg);
    for label in [
        "重点改进区",
        "继续保持区",
        "次要改进区",
        "过度投入区",
        "交易服务",
    ] {
        assert!(ipa.contains(label), "{label} missing: {ipa}");
    }
    let likert = svg_text(&chart(&charts, "likert_agree5na").svg);
    assert!(
        likert.contains("前两档") && likert.contains("非常同意") && likert.contains("（反）"),
        "{likert}"
    );
    let seg = svg_text(&chart(&charts, "segments_region").svg);
    assert!(seg.contains("华东") && seg.contains("总指数"), "{seg}");
    // The SVG names a CJK-capable font list for the viewer.
    assert!(
        chart(&charts, "index_tree")
            .svg
            .contains("Noto Sans CJK SC")
    );
}

#[test]
fn servqual_gap_charts_per_dimension() {
    let charts = render_all(servqual()).expect("charts render");
    check_all_wellformed(&charts);
    let gaps = svg_text(&chart(&charts, "gaps").svg);
    for dim in [
        "Tangibles",
        "Reliability",
        "Responsiveness",
        "Assurance",
        "Empathy",
        "Expectation",
        "Perception",
    ] {
        assert!(gaps.contains(dim), "{dim} missing: {gaps}");
    }
    let tangibles = svg_text(&chart(&charts, "gaps_tangibles").svg);
    assert!(tangibles.contains("tan_equipment"), "{tangibles}");
    // The tangibles equipment gap (results.gaps), written with 2 decimals.
    let gap = servqual()
        .gaps
        .as_ref()
        .expect("gaps")
        .attributes
        .iter()
        .find(|a| a.attribute == "tan_equipment")
        .expect("tan_equipment gap")
        .stats
        .gap;
    let gap = format!("{gap:.2}");
    assert!(tangibles.contains(&gap), "{gap}: {tangibles}");
    assert_eq!(
        charts.iter().filter(|c| c.id.starts_with("gaps_")).count(),
        5
    );
    assert!(charts.iter().any(|c| c.id == "likert_servqual7"));
}

#[test]
fn user_text_is_escaped_in_svg() {
    let mut r = b2b().clone();
    let evil = "<script>alert(1)</script> & \"x\"";
    r.index.nodes[1].name = evil.into();
    r.survey.title = evil.into();
    let charts = render_all(&r).expect("charts render");
    let tree = chart(&charts, "index_tree");
    assert!(
        !tree.svg.contains("<script>"),
        "unescaped markup in the SVG"
    );
    assert!(
        svg_text(&tree.svg).contains(evil),
        "the label survives escaping"
    );
}

#[test]
fn significant_segment_differences_are_starred() {
    let mut r = b2b().clone();
    for t in &mut r.segments[0].tests {
        t.significant = t.node == "service";
    }
    let charts = render_all(&r).expect("charts render");
    let text = svg_text(&chart(&charts, "segments_region").svg);
    assert!(
        text.contains("客户服务 *") && text.contains("组间差异显著"),
        "{text}"
    );
    assert!(!text.contains("平台功能 *"), "{text}");
    // Dimensions only: indicators such as 搜索与匹配 are not segment bars.
    assert!(!text.contains("搜索与匹配"), "{text}");
}

#[test]
fn same_results_give_identical_bytes() {
    let a = render_all(servqual()).expect("charts render");
    let b = render_all(servqual()).expect("charts render");
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.id, y.id);
        assert!(x.svg == y.svg, "{}: SVG differs between runs", x.id);
        assert!(x.png == y.png, "{}: PNG differs between runs", x.id);
    }
}

#[test]
fn empty_results_give_no_charts_and_no_error() {
    let mut r = servqual().clone();
    r.index.nodes.clear();
    r.ipa = None;
    r.items.clear();
    r.gaps = None;
    r.segments.clear();
    r.reliability.clear();
    r.factor = None;
    r.correlation.pearson.vars.clear();
    r.correlation.pearson.r.clear();
    assert!(render_all(&r).expect("no error").is_empty());
}

/// Writes a few PNGs for a person to look at: `SATKIT_CHART_DIR=/tmp/charts cargo test charts::`.
#[test]
fn write_charts_for_inspection() {
    let Some(dir) = std::env::var_os("SATKIT_CHART_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, r) in [("b2b", b2b()), ("servqual", servqual())] {
        for c in render_all(r).unwrap() {
            std::fs::write(dir.join(format!("{name}_{}.png", c.id)), &c.png).unwrap();
            std::fs::write(dir.join(format!("{name}_{}.svg", c.id)), &c.svg).unwrap();
        }
    }
}
