//! Reference tests: satkit's statistics against scipy, pingouin, statsmodels and factor_analyzer
//! on the same data. The values come from tests/reference/make_reference.py (see its README) and
//! are committed as JSON; the data are tests/fixtures/ref/{bfi,sim}.csv.

use satkit::stats::{correlation, descriptive, factor, reliability};
use serde_json::Value;

/// Relative tolerance for closed-form statistics (means, correlations, alpha, KMO, ...).
const REL_TOL: f64 = 1e-6;
/// Absolute floor for values near zero (and p-values that underflow in scipy).
const ABS_TOL: f64 = 1e-9;
/// Absolute tolerance for rotated loadings and derived quantities: factor_analyzer's minres stops
/// on a loose gradient test, 4.4e-7 from the tight optimum (tests/reference/README.md).
const LOADING_TOL: f64 = 1e-6;

struct Dataset {
    items: Vec<String>,
    columns: Vec<Vec<f64>>,
    weight: Option<Vec<f64>>,
    reference: Value,
}

fn load(name: &str) -> Dataset {
    let root = crate::util::repo();
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(format!("tests/reference/{name}.json"))).unwrap(),
    )
    .unwrap();
    let mut rdr =
        csv::Reader::from_path(root.join(format!("tests/fixtures/ref/{name}.csv"))).unwrap();
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let col = |h: &str| -> Vec<f64> {
        let i = headers
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("column {h}"));
        rows.iter()
            .map(|r| {
                if r[i].is_empty() {
                    f64::NAN
                } else {
                    r[i].parse().unwrap()
                }
            })
            .collect()
    };
    let items: Vec<String> = reference["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let columns = items.iter().map(|i| col(i)).collect();
    let weight = reference["weighted"]["weight_column"].as_str().map(col);
    Dataset {
        items,
        columns,
        weight,
        reference,
    }
}

#[track_caller]
fn close(what: &str, got: f64, want: f64, rel: f64, abs: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs() + abs,
        "{what}: satkit {got:.15e} vs reference {want:.15e} (diff {:.3e})",
        (got - want).abs()
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn check_descriptives(d: &Dataset) {
    for (i, id) in d.items.iter().enumerate() {
        let r = &d.reference["descriptives"][id];
        let s = descriptive::summary(&d.columns[i]);
        assert_eq!(s.n as f64, f(&r["n"]), "{id} n");
        close(
            &format!("{id} mean"),
            s.mean,
            f(&r["mean"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{id} sd"),
            s.sd.unwrap(),
            f(&r["sd"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{id} se"),
            s.se.unwrap(),
            f(&r["se"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{id} ci_low"),
            s.ci_low.unwrap(),
            f(&r["ci_low"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{id} ci_high"),
            s.ci_high.unwrap(),
            f(&r["ci_high"]),
            REL_TOL,
            ABS_TOL,
        );
        let sc = &d.reference["scales"][id];
        let (lo, hi) = (sc[0].as_i64().unwrap(), sc[1].as_i64().unwrap());
        let freq = descriptive::frequencies(&d.columns[i], None, lo, hi, &|_| None);
        close(
            &format!("{id} top2"),
            descriptive::box_share(&freq, &[hi - 1, hi], false),
            f(&r["top2box"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{id} bottom2"),
            descriptive::box_share(&freq, &[lo, lo + 1], false),
            f(&r["bottom2box"]),
            REL_TOL,
            ABS_TOL,
        );
        if let (Some(w), Some(rw)) = (&d.weight, d.reference["weighted"]["items"].get(id)) {
            let ws = descriptive::weighted_summary(&d.columns[i], w);
            close(
                &format!("{id} weighted mean"),
                ws.mean,
                f(&rw["mean"]),
                REL_TOL,
                ABS_TOL,
            );
            close(
                &format!("{id} weighted sd"),
                ws.sd.unwrap(),
                f(&rw["sd"]),
                REL_TOL,
                ABS_TOL,
            );
        }
    }
}

fn check_correlations(d: &Dataset) {
    let m = correlation::pairwise(&d.columns, 2);
    for (kind, r, p) in [
        ("pearson", &m.pearson, m.pearson_p()),
        ("spearman", &m.spearman, m.spearman_p()),
    ] {
        let rf = &d.reference[kind];
        let vars: Vec<&str> = rf["vars"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(vars, d.items.iter().map(String::as_str).collect::<Vec<_>>());
        for i in 0..vars.len() {
            for j in 0..vars.len() {
                let what = format!("{kind} {}~{}", vars[i], vars[j]);
                assert_eq!(m.n[i][j] as f64, f(&rf["n"][i][j]), "{what} n");
                close(
                    &format!("{what} r"),
                    r[i][j],
                    f(&rf["r"][i][j]),
                    REL_TOL,
                    ABS_TOL,
                );
                match (p[i][j], rf["p"][i][j].as_f64()) {
                    (None, None) => {}
                    (Some(a), Some(b)) => close(&format!("{what} p"), a, b, REL_TOL, 1e-12),
                    (a, b) => panic!("{what} p: satkit {a:?} vs reference {b:?}"),
                }
            }
        }
    }
}

fn check_alpha(d: &Dataset) {
    let m = correlation::pairwise(&d.columns, 2);
    let reverse: Vec<&str> = d.reference["reverse"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (group, items) in d.reference["groups"].as_object().unwrap() {
        let idx: Vec<usize> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                d.items
                    .iter()
                    .position(|x| x == v.as_str().unwrap())
                    .unwrap()
            })
            .collect();
        let sub = |mm: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
            idx.iter()
                .map(|&a| idx.iter().map(|&b| mm[a][b]).collect())
                .collect()
        };
        let rev: Vec<bool> = idx
            .iter()
            .map(|&i| reverse.contains(&d.items[i].as_str()))
            .collect();
        let rel = reliability::cronbach(&sub(&m.cov), &sub(&m.pearson), &rev).unwrap();
        let r = &d.reference["alpha"][group];
        assert_eq!(rel.k as f64, f(&r["k"]));
        close(
            &format!("{group} alpha"),
            rel.alpha,
            f(&r["alpha"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{group} alpha_std"),
            rel.alpha_std,
            f(&r["alpha_std"]),
            REL_TOL,
            ABS_TOL,
        );
        close(
            &format!("{group} avg_r"),
            rel.avg_r,
            f(&r["avg_r"]),
            REL_TOL,
            ABS_TOL,
        );
        for (k, &i) in idx.iter().enumerate() {
            let ri = &r["items"][&d.items[i]];
            close(
                &format!("{group} {} item_total_r", d.items[i]),
                rel.items[k].item_total_r.unwrap(),
                f(&ri["item_total_r"]),
                REL_TOL,
                ABS_TOL,
            );
            close(
                &format!("{group} {} alpha_if_deleted", d.items[i]),
                rel.items[k].alpha_if_deleted.unwrap(),
                f(&ri["alpha_if_deleted"]),
                REL_TOL,
                ABS_TOL,
            );
        }
    }
}

fn check_factor(d: &Dataset) {
    let fr = &d.reference["factor"];
    let names: Vec<&str> = fr["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| d.columns[d.items.iter().position(|x| x == n).unwrap()].clone())
        .collect();
    let (complete, n) = correlation::listwise(&cols);
    assert_eq!(n as f64, f(&fr["n_complete"]));
    let r = correlation::pairwise(&complete, 2).pearson;
    let kmo = factor::kmo(&r).unwrap();
    close("kmo", kmo.overall, f(&fr["kmo"]), REL_TOL, ABS_TOL);
    for (i, v) in kmo.per_item.iter().enumerate() {
        close(
            &format!("kmo {}", names[i]),
            *v,
            f(&fr["kmo_per_item"][i]),
            REL_TOL,
            ABS_TOL,
        );
    }
    let b = factor::bartlett(&r, n).unwrap();
    close(
        "bartlett chi2",
        b.chi2,
        f(&fr["bartlett"]["chi2"]),
        REL_TOL,
        ABS_TOL,
    );
    close(
        "bartlett df",
        b.df,
        f(&fr["bartlett"]["df"]),
        REL_TOL,
        ABS_TOL,
    );
    close("bartlett p", b.p, f(&fr["bartlett"]["p"]), REL_TOL, 1e-12);
    let (eig, _) = factor::eigen_desc(&factor::to_matrix(&r));
    for (i, v) in eig.iter().enumerate() {
        close(
            &format!("eigenvalue {i}"),
            *v,
            f(&fr["eigenvalues"][i]),
            REL_TOL,
            ABS_TOL,
        );
    }
    for method in ["minres", "principal"] {
        let want = &fr[method];
        let k = want["n_factors"].as_u64().unwrap() as usize;
        let got = if method == "minres" {
            factor::minres(&r, k).unwrap()
        } else {
            factor::principal(&r, k).unwrap()
        };
        for i in 0..names.len() {
            for j in 0..k {
                close(
                    &format!("{method} loading {} f{j}", names[i]),
                    got.loadings[i][j],
                    f(&want["loadings"][i][j]),
                    0.0,
                    LOADING_TOL,
                );
            }
            close(
                &format!("{method} communality {}", names[i]),
                got.communalities[i],
                f(&want["communalities"][i]),
                0.0,
                LOADING_TOL,
            );
            close(
                &format!("{method} uniqueness {}", names[i]),
                got.uniquenesses[i],
                f(&want["uniquenesses"][i]),
                0.0,
                LOADING_TOL,
            );
        }
        for j in 0..k {
            close(
                &format!("{method} ss_loadings {j}"),
                got.ss_loadings[j],
                f(&want["ss_loadings"][j]),
                0.0,
                LOADING_TOL * 10.0,
            );
            close(
                &format!("{method} proportion {j}"),
                got.proportion[j],
                f(&want["proportion"][j]),
                0.0,
                LOADING_TOL,
            );
            close(
                &format!("{method} cumulative {j}"),
                got.cumulative[j],
                f(&want["cumulative"][j]),
                0.0,
                LOADING_TOL,
            );
        }
    }
}

#[test]
fn bfi_descriptives_match_scipy() {
    check_descriptives(&load("bfi"));
}
#[test]
fn bfi_correlations_match_scipy() {
    check_correlations(&load("bfi"));
}
#[test]
fn bfi_alpha_matches_pingouin() {
    check_alpha(&load("bfi"));
}
#[test]
fn bfi_factor_analysis_matches_factor_analyzer() {
    check_factor(&load("bfi"));
}
#[test]
fn sim_descriptives_match_scipy_and_statsmodels() {
    check_descriptives(&load("sim"));
}
#[test]
fn sim_correlations_match_scipy() {
    check_correlations(&load("sim"));
}
#[test]
fn sim_alpha_matches_pingouin() {
    check_alpha(&load("sim"));
}
#[test]
fn sim_factor_analysis_matches_factor_analyzer() {
    check_factor(&load("sim"));
}
