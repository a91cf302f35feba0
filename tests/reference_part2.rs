//! Reference tests for part 2 (drivers, gaps, segments, NPS, weights, fuzzy evaluation) against
//! statsmodels, scipy, pingouin and plain numpy written from the cited formulas
//! (tests/reference/make_reference_part2.py, README section "Part 2").

use satkit::stats::{ahp, fuzzy, inference, regression, weights};
use serde_json::Value;

/// Relative tolerance for every statistic here (all are closed-form).
const REL_TOL: f64 = 1e-6;
/// Absolute floor for values near zero.
const ABS_TOL: f64 = 1e-9;
/// Tolerance for the published AHP example (published to 3 decimals).
const PUBLISHED_TOL: f64 = 5e-4;

struct Data {
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
    r: Value,
}

impl Data {
    fn load() -> Data {
        let root = crate::util::repo();
        let r: Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("tests/reference/drivers.json")).unwrap(),
        )
        .unwrap();
        let mut rdr = csv::Reader::from_path(root.join("tests/fixtures/ref/drivers.csv")).unwrap();
        let headers = rdr.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rdr.records().map(|r| r.unwrap()).collect();
        Data { headers, rows, r }
    }
    fn idx(&self, h: &str) -> usize {
        self.headers
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("column {h}"))
    }
    fn num(&self, h: &str) -> Vec<f64> {
        let i = self.idx(h);
        self.rows
            .iter()
            .map(|r| {
                if r[i].is_empty() {
                    f64::NAN
                } else {
                    r[i].parse().unwrap()
                }
            })
            .collect()
    }
    fn text(&self, h: &str) -> Vec<String> {
        let i = self.idx(h);
        self.rows.iter().map(|r| r[i].to_string()).collect()
    }
}

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    close_tol(what, got, want, REL_TOL, ABS_TOL);
}

#[track_caller]
fn close_tol(what: &str, got: f64, want: f64, rel: f64, abs: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs() + abs,
        "{what}: satkit {got:.15e} vs reference {want:.15e}"
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn vecf(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn predictors(d: &Data) -> (Vec<Vec<f64>>, Vec<f64>) {
    let names: Vec<String> = d.r["ols"]["predictors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let x: Vec<Vec<f64>> = names.iter().map(|n| d.num(n)).collect();
    regression::complete_rows(&x, &d.num("y"))
}

#[test]
fn ols_matches_statsmodels() {
    let d = Data::load();
    let (x, y) = predictors(&d);
    let o = regression::ols(&x, &y).unwrap();
    let r = &d.r["ols"];
    assert_eq!(o.n as f64, f(&r["n"]));
    for key in ["coef", "se", "t", "p", "std_beta"] {
        let want = vecf(&r[key]);
        let got: Vec<f64> = match key {
            "coef" => o.coef.clone(),
            "se" => o.se.clone(),
            "t" => o.t.clone(),
            "p" => o.p.clone(),
            _ => o.std_beta.clone(),
        };
        assert_eq!(got.len(), want.len(), "{key}");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            close(&format!("ols {key}[{i}]"), *g, *w);
        }
    }
    for (i, (g, w)) in o.vif.iter().zip(vecf(&r["vif"])).enumerate() {
        close(&format!("vif[{i}]"), g.unwrap(), w);
    }
    close("r2", o.r2, f(&r["r2"]));
    close("adj_r2", o.adj_r2, f(&r["adj_r2"]));
    close("F", o.f, f(&r["f"]));
    close_tol("F p", o.f_p, f(&r["f_p"]), REL_TOL, 1e-15);
    close("df_model", o.df_model, f(&r["df_model"]));
    close("df_resid", o.df_resid, f(&r["df_resid"]));
}

#[test]
fn relative_weights_and_shapley_match_numpy() {
    let d = Data::load();
    let (x, y) = predictors(&d);
    let rw = regression::relative_weights(&x, &y).unwrap();
    let r2 = regression::ols(&x, &y).unwrap().r2;
    for (i, (g, w)) in rw
        .iter()
        .zip(vecf(&d.r["relative_weights"]["raw"]))
        .enumerate()
    {
        close(&format!("relative weight {i}"), *g, w);
    }
    for (i, (g, w)) in rw
        .iter()
        .zip(vecf(&d.r["relative_weights"]["pct"]))
        .enumerate()
    {
        close(&format!("relative weight % {i}"), 100.0 * g / r2, w);
    }
    let sh = regression::shapley_r2(&x, &y).unwrap();
    for (i, (g, w)) in sh.iter().zip(vecf(&d.r["shapley"]["r2"])).enumerate() {
        close(&format!("shapley {i}"), *g, w);
    }
    close("shapley sum is R²", sh.iter().sum(), r2);
}

#[test]
fn correlation_with_outcome_matches_scipy() {
    let d = Data::load();
    let y = d.num("y");
    let r = &d.r["correlation_with_y"];
    for (i, name) in r["predictors"].as_array().unwrap().iter().enumerate() {
        let x = d.num(name.as_str().unwrap());
        let p = satkit::stats::correlation::pair(
            &satkit::stats::correlation::Discrete::new(&x),
            &satkit::stats::correlation::Discrete::new(&y),
        );
        close(&format!("r {name}"), p.pearson, f(&r["r"][i]));
        close_tol(
            &format!("p {name}"),
            satkit::stats::correlation::r_pvalue(p.pearson, p.n).unwrap(),
            f(&r["p"][i]),
            REL_TOL,
            1e-15,
        );
    }
}

#[test]
fn paired_gaps_match_scipy_ttest_rel() {
    let d = Data::load();
    for pair in d.r["ttest_rel"].as_array().unwrap() {
        let e = d.num(pair["e_col"].as_str().unwrap());
        let p = d.num(pair["p_col"].as_str().unwrap());
        let t = inference::paired_t(&p, &e).unwrap();
        close("paired t", t.t, f(&pair["t"]));
        close("paired df", t.df, f(&pair["df"]));
        close("paired p", t.p, f(&pair["p"]));
        let both: Vec<(f64, f64)> = e
            .iter()
            .zip(&p)
            .filter(|(a, b)| !a.is_nan() && !b.is_nan())
            .map(|(a, b)| (*a, *b))
            .collect();
        let n = both.len() as f64;
        close(
            "share not met",
            both.iter().filter(|(a, b)| b < a).count() as f64 / n,
            f(&pair["share_not_met"]),
        );
        close(
            "exceeded",
            both.iter().filter(|(a, b)| b > a).count() as f64 / n,
            f(&pair["exceeded"]),
        );
    }
}

fn groups(d: &Data, by: &str, names: &Value) -> Vec<Vec<f64>> {
    let g = d.text(by);
    let y = d.num("y");
    names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (0..y.len())
                .filter(|&r| g[r] == n.as_str().unwrap())
                .map(|r| y[r])
                .collect()
        })
        .collect()
}

#[test]
fn welch_t_matches_scipy_and_pingouin() {
    let d = Data::load();
    let r = &d.r["welch_t"];
    let gs = groups(&d, r["by"].as_str().unwrap(), &r["groups"]);
    let (t, cohen) = inference::welch_t(&gs[0], &gs[1]).unwrap();
    close("welch t", t.t, f(&r["t"]));
    close("welch df", t.df, f(&r["df"]));
    close("welch p", t.p, f(&r["p"]));
    close(
        "cohen d (pingouin, unsigned)",
        cohen.abs(),
        f(&r["cohen_d"]),
    );
}

#[test]
fn welch_anova_matches_pingouin() {
    let d = Data::load();
    let r = &d.r["welch_anova"];
    let gs = groups(&d, r["by"].as_str().unwrap(), &r["groups"]);
    let a = inference::welch_anova(&gs).unwrap();
    close("F", a.f, f(&r["F"]));
    close("df1", a.df1, f(&r["df1"]));
    close("df2", a.df2, f(&r["df2"]));
    close("p", a.p, f(&r["p"]));
    close("np2", a.np2, f(&r["np2"]));
}

#[test]
fn chi_square_and_cramers_v_match_scipy() {
    let d = Data::load();
    let r = &d.r["chi2"];
    let table: Vec<Vec<f64>> = r["table"].as_array().unwrap().iter().map(vecf).collect();
    let c = inference::chi_square(&table).unwrap();
    close("chi2", c.chi2, f(&r["chi2"]));
    close("dof", c.dof, f(&r["dof"]));
    close("p", c.p, f(&r["p"]));
    close("cramers v", c.cramers_v, f(&r["cramers_v"]));
    // The table in the reference is the crosstab of the data: rebuild it.
    let rows = d.text(r["rows"].as_str().unwrap());
    let cols = d.num(r["cols"].as_str().unwrap());
    for (i, rl) in r["row_labels"].as_array().unwrap().iter().enumerate() {
        for (j, cl) in r["col_labels"].as_array().unwrap().iter().enumerate() {
            let n = (0..rows.len())
                .filter(|&k| rows[k] == rl.as_str().unwrap() && cols[k] == f(cl))
                .count() as f64;
            assert_eq!(n, table[i][j], "crosstab cell {i},{j}");
        }
    }
}

#[test]
fn entropy_weights_match_numpy() {
    let d = Data::load();
    let r = &d.r["entropy_weights"];
    let cols: Vec<Vec<f64>> = r["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| d.num(c.as_str().unwrap()))
        .collect();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let w = weights::entropy_weights(&refs, 1).unwrap();
    for (i, (g, want)) in w.iter().zip(vecf(&r["w"])).enumerate() {
        close(&format!("entropy w{i}"), *g, want);
    }
}

#[test]
fn ahp_matches_numpy_and_the_published_example() {
    let d = Data::load();
    for ex in d.r["ahp"].as_array().unwrap() {
        let m: Vec<Vec<f64>> = ex["matrix"].as_array().unwrap().iter().map(vecf).collect();
        let a = ahp::ahp_weights(&m).unwrap();
        let src = ex["source"].as_str().unwrap();
        for (i, (g, w)) in a.weights.iter().zip(vecf(&ex["weights"])).enumerate() {
            close(&format!("{src}: weight {i}"), *g, w);
        }
        close(
            &format!("{src}: lambda_max"),
            a.lambda_max,
            f(&ex["lambda_max"]),
        );
        close(&format!("{src}: CI"), a.ci, f(&ex["ci"]));
        close(&format!("{src}: CR"), a.cr, f(&ex["cr"]));
        if let Some(cr) = ex["published_cr"].as_f64() {
            close_tol(
                &format!("{src}: published CR"),
                a.cr,
                cr,
                0.0,
                PUBLISHED_TOL,
            );
            close_tol(
                &format!("{src}: published λmax"),
                a.lambda_max,
                f(&ex["published_lambda_max"]),
                0.0,
                PUBLISHED_TOL,
            );
            assert!(!a.consistent(), "the published example is above 0.1");
        }
    }
}

#[test]
fn fuzzy_evaluation_matches_numpy() {
    let d = Data::load();
    let r = &d.r["fuzzy"];
    let a = vecf(&r["weights"]);
    let rm: Vec<Vec<f64>> = r["R"].as_array().unwrap().iter().map(vecf).collect();
    let c = vecf(&r["grade_scores"]);
    let b = fuzzy::compose(&a, &rm, fuzzy::Operator::WeightedAverage);
    for (i, (g, w)) in b.iter().zip(vecf(&r["weighted_average"])).enumerate() {
        close(&format!("B(weighted)[{i}]"), *g, w);
    }
    close(
        "score weighted",
        fuzzy::score(&b, &c),
        f(&r["score_weighted_average"]),
    );
    let b = fuzzy::compose(&a, &rm, fuzzy::Operator::MaxMin);
    for (i, (g, w)) in b.iter().zip(vecf(&r["max_min"])).enumerate() {
        close(&format!("B(max-min)[{i}]"), *g, w);
    }
    close(
        "score max-min",
        fuzzy::score(&b, &c),
        f(&r["score_max_min"]),
    );
}

#[test]
fn nps_and_weighted_mean_match_numpy() {
    let d = Data::load();
    let r = &d.r["nps"];
    let n = inference::nps(&d.num("nps"), None).unwrap();
    assert_eq!(n.n as f64, f(&r["n"]));
    for (what, g, w) in [
        ("promoters", n.promoters, &r["promoters"]),
        ("detractors", n.detractors, &r["detractors"]),
        ("nps", n.nps, &r["nps"]),
        ("se", n.se, &r["se"]),
        ("ci_low", n.ci_low, &r["ci_low"]),
        ("ci_high", n.ci_high, &r["ci_high"]),
    ] {
        close(what, g, f(w));
    }
    let ws = satkit::stats::descriptive::weighted_summary(&d.num("y"), &d.num("w"));
    close(
        "weighted mean y",
        ws.mean,
        f(&d.r["weighted_mean_y"]["mean"]),
    );
}
