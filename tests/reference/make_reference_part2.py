#!/usr/bin/env python3
"""Generate Python reference values for satkit's driver / gap / weighting analyses.

Writes (relative to the repository root):
  tests/fixtures/ref/drivers.csv   simulated survey (numpy, seed 20261124), 300 rows
  tests/reference/drivers.json     reference statistics for drivers.csv

All statistics are computed from the CSV *as written and read back*
(pandas.read_csv), so the Rust side sees exactly the same data.  Running the
script twice gives byte-identical output.  Every definition (and which library
function or which paper/book it comes from) is documented in README.md, section
"Part 2: drivers.csv / drivers.json".

Usage:  /tmp/venv-ref/bin/python tests/reference/make_reference_part2.py
"""
import os

# Single-threaded BLAS so every run is bit-for-bit reproducible.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import io
import itertools
import json
import math
from importlib.metadata import version

import numpy as np
import pandas as pd
import pingouin
import scipy.stats
import statsmodels.api as sm
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.stats.weightstats import DescrStatsW

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "ref")
REFDIR = os.path.join(ROOT, "tests", "reference")

PKGS = ["numpy", "scipy", "pandas", "pingouin", "statsmodels"]
VERSIONS = {p: version(p) for p in PKGS}

PREDICTORS = ["x1", "x2", "x3", "x4", "x5"]
PAIRS = [("e1", "p1"), ("e2", "p2"), ("e3", "p3")]
REGIONS = ["North", "South", "East"]  # generation order; analyses sort labels
TIERS = ["Basic", "Premium"]


# --------------------------------------------------------------------------
# helpers (same conventions as make_reference.py)
# --------------------------------------------------------------------------
def fnum(x):
    """JSON-safe float: NaN/inf -> None, otherwise a Python float (repr = full precision)."""
    if x is None:
        return None
    x = float(x)
    if not np.isfinite(x):
        return None
    return x


def flist(v):
    return [fnum(x) for x in np.asarray(v, dtype=float).ravel()]


def fmat(m):
    return [flist(row) for row in np.asarray(m, dtype=float)]


def write_csv(df, path, int_cols, float_fmt):
    """Header row, ',' separator, '\\n' line ends, empty cell = missing,
    integer codes without '.0', float columns with a fixed format."""
    out = io.StringIO()
    out.write(",".join(df.columns) + "\n")
    for row in df.itertuples(index=False):
        cells = []
        for col, val in zip(df.columns, row):
            if col in int_cols:
                if pd.isna(val):
                    cells.append("")
                else:
                    assert float(val) == int(val)
                    cells.append(str(int(val)))
            elif col in float_fmt:
                cells.append("" if pd.isna(val) else format(float(val), float_fmt[col]))
            else:
                cells.append(str(val))
        out.write(",".join(cells) + "\n")
    with open(path, "w", newline="") as fh:
        fh.write(out.getvalue())


def write_json(obj, path):
    text = json.dumps(obj, indent=1, allow_nan=False) + "\n"
    with open(path, "w", newline="") as fh:
        fh.write(text)


# --------------------------------------------------------------------------
# dataset
# --------------------------------------------------------------------------
def make_drivers():
    """Simulated driver-analysis survey, rng = np.random.default_rng(20261124), n = 300.

    x1..x5: one latent factor g ~ N(0,1); x_j = 50 + 16 (l_j g + sqrt(1-l_j^2) e_j),
      l = (0.75, 0.65, 0.70, 0.55, 0.60), clipped to [0, 100], rounded to 4 d.p.
    region: North/South/East with p = (0.40, 0.35, 0.25); tier: Basic/Premium,
      p(Premium) = 0.40.
    y: latent = 0.045 x1 + 0.030 x2 + 0.010 x3 + 0.000 x4 + 0.020 x5
       + region effect (North 0, South -0.7, East +0.5) + 0.9 [Premium]
       + N(0, 1.1^2) + 0.8; y = clip(round(latent), 1, 10).
    w: lognormal(0, 0.4) / mean, rounded to 4 d.p.
    e_k: clip(round(5.6 + N(0,1)), 1, 7); p_k = clip(round(mu_k + 0.5 (e_k - 5.6)
       + N(0, 1.1^2)), 1, 7) with mu = (4.9, 5.3, 5.6) (pair 3 has no true gap).
    choice: 1..4 drawn with region-specific probabilities.
    nps: clip(round(y + 1.5 + N(0, 1.6^2)), 0, 10) from the complete latent y.
    Missing: Bernoulli per cell, x1..x5 and e/p 2%, y 1%, nps 1%; region, tier,
      w, choice complete.
    """
    rng = np.random.default_rng(20261124)
    n = 300
    g = rng.standard_normal(n)
    lam = [0.75, 0.65, 0.70, 0.55, 0.60]
    X = np.empty((n, 5))
    for j, l in enumerate(lam):
        X[:, j] = 50.0 + 16.0 * (l * g + math.sqrt(1.0 - l * l) * rng.standard_normal(n))
    X = np.round(np.clip(X, 0.0, 100.0), 4)
    region = rng.choice(np.array(REGIONS), size=n, p=[0.40, 0.35, 0.25])
    premium = rng.random(n) < 0.40
    tier = np.where(premium, "Premium", "Basic")
    beta = np.array([0.045, 0.030, 0.010, 0.000, 0.020])
    reg_eff = np.select([region == "South", region == "East"], [-0.7, 0.5], 0.0)
    lat = X @ beta + reg_eff + 0.9 * premium + 1.1 * rng.standard_normal(n) + 0.8
    y = np.clip(np.round(lat), 1, 10)
    w = rng.lognormal(0.0, 0.4, n)
    w = np.round(w / w.mean(), 4)
    ep = {}
    for k, mu in zip((1, 2, 3), (4.9, 5.3, 5.6)):
        e = np.clip(np.round(5.6 + rng.standard_normal(n)), 1, 7)
        p = np.clip(np.round(mu + 0.5 * (e - 5.6) + 1.1 * rng.standard_normal(n)), 1, 7)
        ep[f"e{k}"] = e
        ep[f"p{k}"] = p
    probs = {"North": [0.40, 0.30, 0.20, 0.10],
             "South": [0.15, 0.25, 0.30, 0.30],
             "East": [0.25, 0.25, 0.25, 0.25]}
    u = rng.random(n)
    choice = np.empty(n)
    for i in range(n):
        choice[i] = 1 + np.searchsorted(np.cumsum(probs[region[i]]), u[i], side="right")
    choice = np.minimum(choice, 4)
    nps = np.clip(np.round(y + 1.5 + 1.6 * rng.standard_normal(n)), 0, 10)

    X[rng.random(X.shape) < 0.02] = np.nan
    y[rng.random(n) < 0.01] = np.nan
    EP = np.column_stack([ep[c] for c in ("e1", "p1", "e2", "p2", "e3", "p3")])
    EP[rng.random(EP.shape) < 0.02] = np.nan
    nps[rng.random(n) < 0.01] = np.nan

    df = pd.DataFrame(X, columns=PREDICTORS)
    df["y"] = y
    df["region"] = region
    df["tier"] = tier
    df["w"] = w
    for j, c in enumerate(("e1", "p1", "e2", "p2", "e3", "p3")):
        df[c] = EP[:, j]
    df["choice"] = choice
    df["nps"] = nps
    path = os.path.join(FIXTURES, "drivers.csv")
    int_cols = {"y", "e1", "p1", "e2", "p2", "e3", "p3", "choice", "nps"}
    fmt = {c: ".4f" for c in PREDICTORS}
    fmt["w"] = ".4f"
    write_csv(df, path, int_cols=int_cols, float_fmt=fmt)
    return path


# --------------------------------------------------------------------------
# regression-based driver analysis
# --------------------------------------------------------------------------
def r2_subset(y, X, cols):
    """R^2 of statsmodels OLS of y on const + X[:, cols]; 0 for the empty set."""
    if not cols:
        return 0.0
    return float(sm.OLS(y, sm.add_constant(X[:, list(cols)], has_constant="add")).fit().rsquared)


def ols_block(cc):
    """statsmodels OLS, y ~ const + x1..x5, listwise-complete rows, unweighted."""
    y = cc["y"].to_numpy(dtype=float)
    X = cc[PREDICTORS].to_numpy(dtype=float)
    exog = sm.add_constant(X, has_constant="add")
    fit = sm.OLS(y, exog).fit()
    b = fit.params
    sd_x = X.std(axis=0, ddof=1)
    sd_y = y.std(ddof=1)
    vif = [variance_inflation_factor(exog, j) for j in range(1, exog.shape[1])]
    return fit, {
        "predictors": PREDICTORS,
        "n": int(fit.nobs),
        "coef": flist(b),
        "se": flist(fit.bse),
        "t": flist(fit.tvalues),
        "p": flist(fit.pvalues),
        "r2": fnum(fit.rsquared),
        "adj_r2": fnum(fit.rsquared_adj),
        "f": fnum(fit.fvalue),
        "f_p": fnum(fit.f_pvalue),
        "df_model": fnum(fit.df_model),
        "df_resid": fnum(fit.df_resid),
        "std_beta": flist(b[1:] * sd_x / sd_y),
        "vif": flist(vif),
    }


def relative_weights(cc, r2):
    """Johnson's relative weights.

    Source: Johnson, J. W. (2000). A heuristic method for estimating the relative
    weight of predictor variables in multiple regression. Multivariate Behavioral
    Research, 35(1), 1-19.  No library implementation; plain numpy:
      Rxx = Q diag(lam) Q^T (eigh), Z = Q diag(sqrt(lam)) Q^T (symmetric square
      root: the orthogonal variables closest to X in least squares),
      beta = Z^{-1} r_xy (regression of y on the orthogonal variables),
      raw_j = sum_k Z_jk^2 beta_k^2,  sum_j raw_j = R^2,  pct = 100 raw / R^2.
    Correlations: Pearson (np.corrcoef) on the same listwise-complete rows as OLS.
    """
    R = np.corrcoef(cc[PREDICTORS + ["y"]].to_numpy(dtype=float), rowvar=False)
    Rxx = R[:5, :5]
    rxy = R[:5, 5]
    lam, Q = np.linalg.eigh(Rxx)
    Z = Q @ np.diag(np.sqrt(lam)) @ Q.T
    beta = np.linalg.solve(Z, rxy)
    raw = (Z ** 2) @ (beta ** 2)
    assert abs(raw.sum() - r2) < 1e-12, (raw.sum(), r2)
    pct = 100.0 * raw / r2
    return {"raw": flist(raw), "pct": flist(pct), "sum_raw": fnum(raw.sum())}


def shapley_r2(cc, r2_full):
    """Shapley value decomposition of R^2 = general dominance weights.

    Sources: Budescu, D. V. (1993). Dominance analysis: a new approach to the
    problem of relative importance of predictors in multiple regression.
    Psychological Bulletin, 114(3), 542-551; Lipovetsky, S. & Conklin, M. (2001).
    Analysis of regression in game theory approach. Applied Stochastic Models in
    Business and Industry, 17(4), 319-330.  Subset R^2 values from statsmodels OLS
    (with intercept, same complete rows); the weighting is plain Python:
      phi_j = sum_{S subset of P minus {j}} |S|! (p-|S|-1)! / p! (R^2(S+j) - R^2(S)).
    """
    y = cc["y"].to_numpy(dtype=float)
    X = cc[PREDICTORS].to_numpy(dtype=float)
    p = X.shape[1]
    r2 = {}
    for size in range(p + 1):
        for S in itertools.combinations(range(p), size):
            r2[S] = r2_subset(y, X, S)
    phi = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            wgt = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for S in itertools.combinations(others, size):
                Sj = tuple(sorted(S + (j,)))
                phi[j] += wgt * (r2[Sj] - r2[S])
    assert abs(phi.sum() - r2_full) < 1e-12, (phi.sum(), r2_full)
    subsets = [{"vars": [PREDICTORS[k] for k in S], "r2": fnum(v)} for S, v in r2.items()]
    return {"r2": flist(phi), "sum": fnum(phi.sum()), "subsets": subsets}


def correlation_with_y(df):
    """scipy.stats.pearsonr(x_j, y) on pairwise-complete rows (two-sided)."""
    r, p, n = [], [], []
    for c in PREDICTORS:
        sub = df[[c, "y"]].dropna()
        res = scipy.stats.pearsonr(sub[c].to_numpy(dtype=float), sub["y"].to_numpy(dtype=float))
        r.append(res.statistic)
        p.append(res.pvalue)
        n.append(int(len(sub)))
    return {"predictors": PREDICTORS, "r": flist(r), "p": flist(p), "n": n}


# --------------------------------------------------------------------------
# gap analysis and group comparisons
# --------------------------------------------------------------------------
def ttest_rel_pairs(df):
    """Per (e_k, p_k): rows with both present; scipy.stats.ttest_rel(p, e)
    (perception minus expectation); shares of p>e / p=e / p<e."""
    out = []
    for k, (ec, pc) in enumerate(PAIRS, start=1):
        sub = df[[ec, pc]].dropna()
        e = sub[ec].to_numpy(dtype=float)
        p = sub[pc].to_numpy(dtype=float)
        n = e.size
        res = scipy.stats.ttest_rel(p, e)
        d = p - e
        out.append({
            "pair": str(k),
            "e_col": ec,
            "p_col": pc,
            "n": int(n),
            "mean_e": fnum(e.mean()),
            "mean_p": fnum(p.mean()),
            "gap": fnum(d.mean()),
            "sd_gap": fnum(d.std(ddof=1)),
            "df": int(n - 1),
            "t": fnum(res.statistic),
            "p": fnum(res.pvalue),
            "share_not_met": fnum(np.count_nonzero(p < e) / n),
            "exceeded": fnum(np.count_nonzero(p > e) / n),
            "met": fnum(np.count_nonzero(p == e) / n),
            "below": fnum(np.count_nonzero(p < e) / n),
        })
    return out


def welch_t(df):
    """scipy.stats.ttest_ind(y[Basic], y[Premium], equal_var=False) on non-missing y.

    df: Welch-Satterthwaite (v1/n1+v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1)).
    cohen_d: what pingouin.ttest(Basic, Premium, correction=True) reports
      (column 'cohen_d' in pingouin 0.7.0) = |m1-m2| / pooled sd,
      pooled sd = sqrt(((n1-1)s1^2 + (n2-1)s2^2)/(n1+n2-2))  -- the Welch
      correction does NOT change pingouin's d, and pingouin drops the sign.
    cohen_d_signed: the same, signed (m1 - m2).
    cohen_d_avg: (m1-m2)/sqrt((s1^2+s2^2)/2) (Cumming 2012 d_av), signed.
    """
    sub = df[["y", "tier"]].dropna()
    xs = [sub.loc[sub["tier"] == g, "y"].to_numpy(dtype=float) for g in TIERS]
    a, b = xs
    res = scipy.stats.ttest_ind(a, b, equal_var=False)
    n1, n2 = a.size, b.size
    v1, v2 = a.var(ddof=1), b.var(ddof=1)
    dof = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    pg = pingouin.ttest(a, b, correction=True)
    assert abs(pg["T"].iloc[0] - res.statistic) < 1e-12
    assert abs(pg["dof"].iloc[0] - dof) < 1e-9
    assert abs(float(res.df) - dof) < 1e-9
    pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    d_signed = (a.mean() - b.mean()) / pooled
    d_pg = float(pg["cohen_d"].iloc[0])
    assert abs(d_pg - abs(d_signed)) < 1e-12, (d_pg, d_signed)
    return {
        "by": "tier",
        "groups": TIERS,
        "n": [int(n1), int(n2)],
        "mean": flist([a.mean(), b.mean()]),
        "sd": flist([math.sqrt(v1), math.sqrt(v2)]),
        "t": fnum(res.statistic),
        "df": fnum(dof),
        "p": fnum(res.pvalue),
        "cohen_d": fnum(d_pg),
        "cohen_d_signed": fnum(d_signed),
        "cohen_d_avg": fnum((a.mean() - b.mean()) / math.sqrt((v1 + v2) / 2)),
    }


def welch_anova(df):
    """pingouin.welch_anova(dv='y', between='region') on rows with y present.
    Cross-checked against statsmodels anova_oneway(use_var='unequal')."""
    sub = df[["y", "region"]].dropna().reset_index(drop=True)
    aov = pingouin.welch_anova(data=sub, dv="y", between="region")
    groups = sorted(sub["region"].unique())
    ys = [sub.loc[sub["region"] == g, "y"].to_numpy(dtype=float) for g in groups]
    sm_res = anova_oneway(ys, use_var="unequal", welch_correction=True)
    F = float(aov["F"].iloc[0])
    assert abs(F - sm_res.statistic) < 1e-10 * max(1.0, F), (F, sm_res.statistic)
    assert abs(float(aov["ddof2"].iloc[0]) - sm_res.df[1]) < 1e-9
    return {
        "by": "region",
        "groups": groups,
        "n": [int(v.size) for v in ys],
        "mean": flist([v.mean() for v in ys]),
        "sd": flist([v.std(ddof=1) for v in ys]),
        "F": fnum(F),
        "df1": fnum(aov["ddof1"].iloc[0]),
        "df2": fnum(aov["ddof2"].iloc[0]),
        "p": fnum(aov["p_unc"].iloc[0]),
        "np2": fnum(aov["np2"].iloc[0]),
    }


def chi2_block(df):
    """scipy.stats.chi2_contingency(table, correction=False), region x choice,
    rows = region labels sorted, cols = choice codes sorted.
    Cramer's V = sqrt(chi2 / (n (min(r, c) - 1)))  (Cramer 1946, Mathematical
    Methods of Statistics, sec. 21.9) -- cross-checked with
    scipy.stats.contingency.association(method='cramer')."""
    sub = df[["region", "choice"]].dropna()
    rows = sorted(sub["region"].unique())
    cols = sorted(int(c) for c in sub["choice"].unique())
    table = np.array([[int(((sub["region"] == r) & (sub["choice"] == c)).sum()) for c in cols]
                      for r in rows])
    res = scipy.stats.chi2_contingency(table, correction=False)
    n = int(table.sum())
    v = math.sqrt(res.statistic / (n * (min(table.shape) - 1)))
    v_sp = scipy.stats.contingency.association(table, method="cramer", correction=False)
    assert abs(v - v_sp) < 1e-12
    return {
        "rows": "region",
        "cols": "choice",
        "row_labels": rows,
        "col_labels": cols,
        "table": table.tolist(),
        "n": n,
        "expected": fmat(res.expected_freq),
        "chi2": fnum(res.statistic),
        "dof": int(res.dof),
        "p": fnum(res.pvalue),
        "cramers_v": fnum(v),
    }


# --------------------------------------------------------------------------
# weighting methods
# --------------------------------------------------------------------------
def entropy_weights(df):
    """Entropy weight method.

    Source: Shannon entropy applied to attribute weighting, Hwang, C.-L. & Yoon, K.
    (1981). Multiple Attribute Decision Making, Springer, sec. 2.3 ("entropy
    method"); the min-max variant as in Zou, Z., Yun, Y. & Sun, J. (2006). Entropy
    method for determination of weight of evaluating indicators in fuzzy synthetic
    evaluation for water quality assessment. J. Environ. Sci. 18(5), 1020-1023.
    No library implementation; plain numpy on rows complete over x1..x5:
      z_ij = (x_ij - min_i x_ij) / (max_i x_ij - min_i x_ij)
      p_ij = z_ij / sum_i z_ij
      e_j  = -(1/ln n) sum_i p_ij ln p_ij      (0 ln 0 := 0)
      w_j  = (1 - e_j) / sum_k (1 - e_k)
    """
    X = df[PREDICTORS].dropna().to_numpy(dtype=float)
    n = X.shape[0]
    Z = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    P = Z / Z.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    e = -plogp.sum(axis=0) / math.log(n)
    d = 1.0 - e
    w = d / d.sum()
    return {"columns": PREDICTORS, "n": int(n), "entropy": flist(e), "w": flist(w)}


# Saaty's random index RI(n): Saaty, T. L. (1980). The Analytic Hierarchy Process.
# McGraw-Hill (RI for n = 1..10: 0, 0, .58, .90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49).
SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
            9: 1.45, 10: 1.49}


def reciprocal(n, upper):
    """Reciprocal pairwise comparison matrix from its upper triangle {(i, j): a_ij}."""
    A = np.eye(n)
    for (i, j), v in upper.items():
        A[i, j] = v
        A[j, i] = 1.0 / v
    return A


def ahp(A, source, published=None):
    """Saaty eigenvector method (Saaty 1980, ch. 2): numpy.linalg.eig; principal =
    eigenvalue with the largest real part; weights = real part of its eigenvector
    / its sum; CI = (lmax - n)/(n - 1); CR = CI / RI(n) (null for n <= 2)."""
    n = A.shape[0]
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    lmax = float(vals[k].real)
    v = vecs[:, k].real
    w = v / v.sum()
    ci = (lmax - n) / (n - 1)
    ri = SAATY_RI[n]
    cr = ci / ri if ri > 0 else None
    out = {"source": source, "n": int(n), "matrix": fmat(A), "weights": flist(w),
           "lambda_max": fnum(lmax), "ci": fnum(ci), "ri": fnum(ri), "cr": fnum(cr)}
    if published:
        out.update(published)
    return out


def ahp_examples():
    # (1) Saaty (1990) house example, 8 criteria.
    house = reciprocal(8, {
        (0, 1): 5, (0, 2): 3, (0, 3): 7, (0, 4): 6, (0, 5): 6, (0, 6): 1 / 3, (0, 7): 1 / 4,
        (1, 2): 1 / 3, (1, 3): 5, (1, 4): 3, (1, 5): 3, (1, 6): 1 / 5, (1, 7): 1 / 7,
        (2, 3): 6, (2, 4): 3, (2, 5): 4, (2, 6): 6, (2, 7): 1 / 5,
        (3, 4): 1 / 3, (3, 5): 1 / 4, (3, 6): 1 / 7, (3, 7): 1 / 8,
        (4, 5): 1 / 2, (4, 6): 1 / 5, (4, 7): 1 / 6,
        (5, 6): 1 / 5, (5, 7): 1 / 6,
        (6, 7): 1 / 2,
    })
    house_src = ("Saaty, T. L. (1990). How to make a decision: The Analytic Hierarchy "
                 "Process. European Journal of Operational Research 48, 9-26, Table 2 "
                 "(house example, criteria: size of house, transportation, neighborhood, "
                 "age of house, yard space, modern facilities, general condition, "
                 "financing); published lambda_max 9.669, C.I. 0.238, C.R. 0.169, "
                 "priorities .173 .054 .188 .018 .031 .036 .167 .333")
    house_pub = {"labels": ["size", "transportation", "neighborhood", "age", "yard",
                            "modern_facilities", "condition", "financing"],
                 "published_lambda_max": 9.669, "published_ci": 0.238,
                 "published_cr": 0.169,
                 "published_weights": [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167,
                                       0.333]}
    r_house = ahp(house, house_src, house_pub)
    assert abs(r_house["lambda_max"] - 9.669) < 5e-4
    assert abs(r_house["cr"] - 0.169) < 5e-4
    assert max(abs(a - b) for a, b in zip(r_house["weights"], house_pub["published_weights"])) < 5e-4

    # (2) perfectly consistent 4x4 built from w = (0.4, 0.3, 0.2, 0.1): a_ij = w_i/w_j.
    wc = np.array([0.4, 0.3, 0.2, 0.1])
    consistent = wc[:, None] / wc[None, :]
    r_cons = ahp(consistent, "constructed: a_ij = w_i / w_j with w = (0.4, 0.3, 0.2, 0.1); "
                 "perfectly consistent, so lambda_max = 4, CI = CR = 0 up to rounding")

    # (3) strongly inconsistent 4x4 (intransitive judgments: 1 > 2 > 3 > 1 and 4 > 1 but 2 > 4).
    incons = reciprocal(4, {(0, 1): 5, (0, 2): 1 / 3, (0, 3): 1 / 4,
                            (1, 2): 5, (1, 3): 3,
                            (2, 3): 1 / 2})
    r_inc = ahp(incons, "constructed inconsistent judgments (1>2, 2>3, 3>1; 4>1 but 2>4); "
                "CR > 0.1, i.e. rejected by Saaty's 10% rule")
    assert r_inc["cr"] > 0.1, r_inc["cr"]

    # (4) mildly inconsistent 4x4 (ordinally plausible, cardinally off): CR ~0.14.
    mild = reciprocal(4, {(0, 1): 2, (0, 2): 5, (0, 3): 3,
                          (1, 2): 4, (1, 3): 1 / 3,
                          (2, 3): 1 / 2})
    r_mild = ahp(mild, "constructed mildly inconsistent judgments (a12=2, a13=5, a14=3, "
                 "a23=4, a24=1/3, a34=1/2); CR just above 0.1")
    assert 0.1 < r_mild["cr"] < 0.2, r_mild["cr"]

    # (5) a 3x3 with RI = 0.58.
    three = reciprocal(3, {(0, 1): 3, (0, 2): 5, (1, 2): 2})
    r_three = ahp(three, "constructed 3x3 (a12 = 3, a13 = 5, a23 = 2), mildly inconsistent")
    return [r_house, r_cons, r_inc, r_mild, r_three]


def fuzzy_evaluation():
    """Fuzzy comprehensive evaluation, 4 criteria x 5 grades.

    R and A are illustrative literals (not from data or a publication).
    Composition operators B = A o R (Zadeh, L. A. (1965). Fuzzy sets. Information
    and Control 8, 338-353 for the max-min composition; operator notation
    M(., +) / M(^, v) as in the fuzzy synthetic evaluation literature, e.g. Wang,
    P. Z. (1983). Fuzzy Set Theory and Its Applications, Shanghai Sci. & Tech.
    Press).  No library implementation; plain numpy:
      weighted_average  M(., (+)): b_j = min(1, sum_i a_i r_ij); with rows of R and
        A each summing to 1 the cap never binds and B sums to 1, so it is
        B = A @ R, no normalisation.
      max_min  M(^, v): b_j = max_i min(a_i, r_ij), then B / sum(B) (raw kept as
        max_min_raw).
      score = B . c with grade scores c = (0, 25, 50, 75, 100).
    """
    A = np.array([0.35, 0.25, 0.25, 0.15])
    R = np.array([
        [0.05, 0.10, 0.25, 0.40, 0.20],
        [0.10, 0.20, 0.30, 0.30, 0.10],
        [0.00, 0.05, 0.20, 0.45, 0.30],
        [0.15, 0.25, 0.35, 0.20, 0.05],
    ])
    assert np.allclose(R.sum(axis=1), 1.0) and abs(A.sum() - 1.0) < 1e-15
    B_wa = np.minimum(1.0, A @ R)
    B_mm_raw = np.max(np.minimum(A[:, None], R), axis=0)
    B_mm = B_mm_raw / B_mm_raw.sum()
    c = np.array([0.0, 25.0, 50.0, 75.0, 100.0])
    return {
        "source": "illustrative A and R (no publication)",
        "weights": flist(A),
        "R": fmat(R),
        "weighted_average": flist(B_wa),
        "max_min_raw": flist(B_mm_raw),
        "max_min": flist(B_mm),
        "grade_scores": flist(c),
        "score_weighted_average": fnum(B_wa @ c),
        "score_max_min": fnum(B_mm @ c),
    }


# --------------------------------------------------------------------------
# NPS and weighted mean
# --------------------------------------------------------------------------
def nps_block(df):
    """Net Promoter Score (Reichheld, F. F. (2003). The one number you need to
    grow. Harvard Business Review 81(12), 46-54) over non-missing answers.
    se: multinomial variance of the difference of two shares,
      Var(pro - det) = (pro + det - (pro - det)^2) / n, se = 100 sqrt(Var);
    95% CI = nps -/+ z se, z = scipy.stats.norm.ppf(0.975)."""
    x = df["nps"].dropna().to_numpy(dtype=float)
    n = x.size
    n_pro = int(np.count_nonzero(x >= 9))
    n_det = int(np.count_nonzero(x <= 6))
    n_pas = n - n_pro - n_det
    pro, det = n_pro / n, n_det / n
    score = 100.0 * (pro - det)
    se = 100.0 * math.sqrt((pro + det - (pro - det) ** 2) / n)
    z = 1.959963984540054
    assert abs(z - scipy.stats.norm.ppf(0.975)) < 1e-15
    return {"n": int(n), "n_promoters": n_pro, "n_passives": n_pas, "n_detractors": n_det,
            "promoters": fnum(pro), "passives": fnum(n_pas / n), "detractors": fnum(det),
            "nps": fnum(score), "se": fnum(se), "ci_low": fnum(score - z * se),
            "ci_high": fnum(score + z * se)}


def weighted_mean_y(df):
    """numpy.average(y, weights=w) over rows with y present; sd =
    DescrStatsW(ddof=0).std (as in part 1); n_eff = (sum w)^2 / sum w^2 (Kish 1965)."""
    sub = df[["y", "w"]].dropna()
    y = sub["y"].to_numpy(dtype=float)
    w = sub["w"].to_numpy(dtype=float)
    return {"mean": fnum(np.average(y, weights=w)),
            "sd": fnum(DescrStatsW(y, weights=w, ddof=0).std),
            "n": int(y.size), "sum_w": fnum(w.sum()),
            "n_eff": fnum(w.sum() ** 2 / np.sum(w ** 2)),
            "unweighted_mean": fnum(y.mean())}


# --------------------------------------------------------------------------
def main():
    os.makedirs(FIXTURES, exist_ok=True)
    path = make_drivers()
    df = pd.read_csv(path)  # statistics from the file as written
    cc = df[PREDICTORS + ["y"]].dropna()
    fit, ols = ols_block(cc)
    out = {
        "dataset": "drivers",
        "source": ("simulated by tests/reference/make_reference_part2.py (make_drivers: "
                   "numpy default_rng(20261124), n=300); statistics with "
                   + ", ".join(f"{p} {VERSIONS[p]}" for p in PKGS)),
        "n_rows": int(len(df)),
        "n_complete_xy": int(len(cc)),
        "ols": ols,
        "relative_weights": relative_weights(cc, fit.rsquared),
        "shapley": shapley_r2(cc, fit.rsquared),
        "correlation_with_y": correlation_with_y(df),
        "ttest_rel": ttest_rel_pairs(df),
        "welch_t": welch_t(df),
        "welch_anova": welch_anova(df),
        "chi2": chi2_block(df),
        "entropy_weights": entropy_weights(df),
        "ahp": ahp_examples(),
        "fuzzy": fuzzy_evaluation(),
        "nps": nps_block(df),
        "weighted_mean_y": weighted_mean_y(df),
    }
    write_json(out, os.path.join(REFDIR, "drivers.json"))
    print(f"wrote {os.path.relpath(path, ROOT)} and tests/reference/drivers.json")


if __name__ == "__main__":
    main()
