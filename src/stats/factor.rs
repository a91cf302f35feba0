//! Sampling adequacy (KMO), Bartlett's test of sphericity, eigenvalues, and exploratory factor
//! analysis by minimum residuals (minres) and by principal components, with varimax rotation.
//!
//! The algorithms reproduce `factor_analyzer` 0.5.1 (see tests/reference/README.md):
//! - minres minimises f(ψ) = ‖S(ψ) − LLᵀ‖²_F = Σ_{i>k} λ_i(S)², S = R with diagonal 1 − ψ,
//!   from ψ₀ = 1/diag(R⁻¹) within [0.005, 1]; here with the analytic gradient
//!   ∂f/∂ψ_j = −2 Σ_{i>k} λ_i v_ij² and BFGS to a tight optimum;
//! - principal takes L = V_k·√λ_k of R (not iterated);
//! - varimax with Kaiser normalisation, the `factor_analyzer`/R `stats::varimax` loop and its
//!   stopping rule (d_new < d_old·(1 + 1e-5), at most 500 iterations);
//! - each column's sign is set so its sum is non-negative; minres columns are then sorted by sum
//!   of squared loadings, descending.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use statrs::distribution::ChiSquared;

pub const PSI_LOWER: f64 = 0.005;
pub const PSI_UPPER: f64 = 1.0;
pub const VARIMAX_TOL: f64 = 1e-5;
pub const VARIMAX_MAX_ITER: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub enum FactorError {
    Singular,
    TooFewVariables,
    TooManyFactors,
    NotFinite,
}

impl std::fmt::Display for FactorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FactorError::Singular => "the correlation matrix is singular (an item is constant or a linear combination of others)",
            FactorError::TooFewVariables => "fewer than three items",
            FactorError::TooManyFactors => "more factors than items allow",
            FactorError::NotFinite => "the correlation matrix has undefined entries",
        })
    }
}

pub fn to_matrix(m: &[Vec<f64>]) -> DMatrix<f64> {
    let k = m.len();
    DMatrix::from_fn(k, k, |i, j| m[i][j])
}

fn check(r: &DMatrix<f64>) -> Result<(), FactorError> {
    if r.nrows() < 3 {
        return Err(FactorError::TooFewVariables);
    }
    if r.iter().any(|v| !v.is_finite()) {
        return Err(FactorError::NotFinite);
    }
    Ok(())
}

/// Eigenvalues and eigenvectors of a symmetric matrix, sorted by eigenvalue, descending.
pub fn eigen_desc(m: &DMatrix<f64>) -> (Vec<f64>, DMatrix<f64>) {
    let e = m.clone().symmetric_eigen();
    let mut idx: Vec<usize> = (0..e.eigenvalues.len()).collect();
    idx.sort_by(|&a, &b| e.eigenvalues[b].total_cmp(&e.eigenvalues[a]));
    let vals = idx.iter().map(|&i| e.eigenvalues[i]).collect();
    let vecs = DMatrix::from_fn(m.nrows(), idx.len(), |r, c| e.eigenvectors[(r, idx[c])]);
    (vals, vecs)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Kmo {
    pub overall: f64,
    pub per_item: Vec<f64>,
}

/// Kaiser–Meyer–Olkin sampling adequacy from a correlation matrix.
///
/// # Errors
/// A singular or undefined matrix.
pub fn kmo(r: &[Vec<f64>]) -> Result<Kmo, FactorError> {
    let rm = to_matrix(r);
    check(&rm)?;
    let inv = rm.clone().try_inverse().ok_or(FactorError::Singular)?;
    let k = r.len();
    let mut num = vec![0.0; k];
    let mut den_p = vec![0.0; k];
    for i in 0..k {
        for j in 0..k {
            if i == j {
                continue;
            }
            let p = -inv[(i, j)] / (inv[(i, i)] * inv[(j, j)]).sqrt();
            num[i] += r[i][j] * r[i][j];
            den_p[i] += p * p;
        }
    }
    let per_item = (0..k).map(|i| num[i] / (num[i] + den_p[i])).collect();
    let (sn, sp): (f64, f64) = (num.iter().sum(), den_p.iter().sum());
    Ok(Kmo {
        overall: sn / (sn + sp),
        per_item,
    })
}

/// Kaiser's verbal label for a KMO value.
pub fn kmo_label(kmo: f64) -> &'static str {
    match kmo {
        k if k >= 0.9 => "marvelous",
        k if k >= 0.8 => "meritorious",
        k if k >= 0.7 => "middling",
        k if k >= 0.6 => "mediocre",
        k if k >= 0.5 => "miserable",
        _ => "unacceptable",
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Bartlett {
    pub chi2: f64,
    pub df: f64,
    pub p: f64,
}

/// Bartlett's test that the correlation matrix is an identity:
/// χ² = −ln|R|·(n − 1 − (2p + 5)/6), df = p(p − 1)/2.
///
/// # Errors
/// A singular or undefined matrix.
pub fn bartlett(r: &[Vec<f64>], n: usize) -> Result<Bartlett, FactorError> {
    let rm = to_matrix(r);
    check(&rm)?;
    let det = rm.determinant();
    if !(det > 0.0) {
        return Err(FactorError::Singular);
    }
    let p = r.len() as f64;
    let chi2 = -det.ln() * (n as f64 - 1.0 - (2.0 * p + 5.0) / 6.0);
    let df = p * (p - 1.0) / 2.0;
    let pval = ChiSquared::new(df)
        .map(|d| crate::stats::dist::sf(&d, chi2))
        .unwrap_or(f64::NAN);
    Ok(Bartlett { chi2, df, p: pval })
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct FactorSolution {
    pub n_factors: usize,
    /// Rotated loadings, one row per item.
    pub loadings: Vec<Vec<f64>>,
    pub communalities: Vec<f64>,
    pub uniquenesses: Vec<f64>,
    pub ss_loadings: Vec<f64>,
    pub proportion: Vec<f64>,
    pub cumulative: Vec<f64>,
    /// Varimax iterations used.
    pub rotation_iterations: usize,
}

/// Varimax rotation with Kaiser normalisation; returns the rotated loadings and iterations used.
pub fn varimax(l: &DMatrix<f64>) -> (DMatrix<f64>, usize) {
    let (p, k) = (l.nrows(), l.ncols());
    if k < 2 {
        return (l.clone(), 0);
    }
    let h: Vec<f64> = (0..p)
        .map(|i| l.row(i).iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    let x = DMatrix::from_fn(p, k, |i, j| if h[i] > 0.0 { l[(i, j)] / h[i] } else { 0.0 });
    let mut t = DMatrix::<f64>::identity(k, k);
    let mut d = 0.0;
    let mut iters = 0;
    for _ in 0..VARIMAX_MAX_ITER {
        iters += 1;
        let d_old = d;
        let b = &x * &t;
        let colsum: Vec<f64> = (0..k)
            .map(|j| b.column(j).iter().map(|v| v * v).sum())
            .collect();
        let inner = DMatrix::from_fn(p, k, |i, j| {
            b[(i, j)].powi(3) - b[(i, j)] * colsum[j] / p as f64
        });
        let g = x.transpose() * inner;
        let svd = g.svd(true, true);
        let (Some(u), Some(vt)) = (svd.u, svd.v_t) else {
            break;
        };
        t = u * vt;
        d = svd.singular_values.iter().sum();
        if d_old != 0.0 && d / d_old < 1.0 + VARIMAX_TOL {
            break;
        }
    }
    let rotated = &x * &t;
    (DMatrix::from_fn(p, k, |i, j| rotated[(i, j)] * h[i]), iters)
}

fn finish(l: DMatrix<f64>, sort_columns: bool, iters: usize) -> FactorSolution {
    let (p, k) = (l.nrows(), l.ncols());
    let mut l = l;
    for j in 0..k {
        if l.column(j).sum() < 0.0 {
            l.column_mut(j).neg_mut();
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    let ss: Vec<f64> = (0..k)
        .map(|j| l.column(j).iter().map(|v| v * v).sum())
        .collect();
    if sort_columns {
        order.sort_by(|&a, &b| ss[b].total_cmp(&ss[a]));
    }
    let loadings: Vec<Vec<f64>> = (0..p)
        .map(|i| order.iter().map(|&j| l[(i, j)]).collect())
        .collect();
    let communalities: Vec<f64> = loadings
        .iter()
        .map(|r| r.iter().map(|v| v * v).sum())
        .collect();
    let uniquenesses = communalities.iter().map(|c| 1.0 - c).collect();
    let ss_loadings: Vec<f64> = order.iter().map(|&j| ss[j]).collect();
    let proportion: Vec<f64> = ss_loadings.iter().map(|s| s / p as f64).collect();
    let mut acc = 0.0;
    let cumulative = proportion
        .iter()
        .map(|v| {
            acc += v;
            acc
        })
        .collect();
    FactorSolution {
        n_factors: k,
        loadings,
        communalities,
        uniquenesses,
        ss_loadings,
        proportion,
        cumulative,
        rotation_iterations: iters,
    }
}

/// Principal-component extraction with varimax (factor_analyzer `method="principal"`).
///
/// # Errors
/// Too few variables, too many factors, or undefined entries.
pub fn principal(r: &[Vec<f64>], k: usize) -> Result<FactorSolution, FactorError> {
    let rm = to_matrix(r);
    check(&rm)?;
    if k == 0 || k >= r.len() {
        return Err(FactorError::TooManyFactors);
    }
    let (vals, vecs) = eigen_desc(&rm);
    let l = DMatrix::from_fn(r.len(), k, |i, j| vecs[(i, j)] * vals[j].max(0.0).sqrt());
    let (rot, iters) = varimax(&l);
    Ok(finish(rot, false, iters))
}

fn minres_objective(rm: &DMatrix<f64>, psi: &DVector<f64>, k: usize) -> (f64, DVector<f64>) {
    let p = rm.nrows();
    let mut s = rm.clone();
    for i in 0..p {
        s[(i, i)] = 1.0 - psi[i];
    }
    let (vals, vecs) = eigen_desc(&s);
    let mut f = 0.0;
    let mut g = DVector::zeros(p);
    for i in k..p {
        f += vals[i] * vals[i];
        for j in 0..p {
            g[j] += -2.0 * vals[i] * vecs[(j, i)] * vecs[(j, i)];
        }
    }
    (f, g)
}

fn project(psi: &mut DVector<f64>) {
    for v in psi.iter_mut() {
        *v = v.clamp(PSI_LOWER, PSI_UPPER);
    }
}

/// Minimum-residual factor analysis with varimax (factor_analyzer `method="minres"`).
///
/// # Errors
/// A singular matrix (no starting values), too few variables or too many factors.
pub fn minres(r: &[Vec<f64>], k: usize) -> Result<FactorSolution, FactorError> {
    let rm = to_matrix(r);
    check(&rm)?;
    let p = r.len();
    if k == 0 || k >= p {
        return Err(FactorError::TooManyFactors);
    }
    let inv = rm.clone().try_inverse().ok_or(FactorError::Singular)?;
    let mut psi = DVector::from_fn(p, |i, _| 1.0 / inv[(i, i)]);
    project(&mut psi);
    // Projected BFGS with backtracking (Armijo); the optimum is interior on real data.
    let mut h = DMatrix::<f64>::identity(p, p);
    let (mut f, mut g) = minres_objective(&rm, &psi, k);
    for _ in 0..2000 {
        let free: Vec<bool> = (0..p)
            .map(|i| !((psi[i] <= PSI_LOWER && g[i] > 0.0) || (psi[i] >= PSI_UPPER && g[i] < 0.0)))
            .collect();
        let gnorm = (0..p)
            .filter(|&i| free[i])
            .map(|i| g[i].abs())
            .fold(0.0, f64::max);
        if gnorm < 1e-13 {
            break;
        }
        let mut dir = -(&h * &g);
        for i in 0..p {
            if !free[i] {
                dir[i] = 0.0;
            }
        }
        if dir.dot(&g) >= 0.0 {
            h = DMatrix::identity(p, p);
            dir = -g.clone();
            for i in 0..p {
                if !free[i] {
                    dir[i] = 0.0;
                }
            }
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let mut trial = &psi + step * &dir;
            project(&mut trial);
            let (ft, gt) = minres_objective(&rm, &trial, k);
            if ft <= f + 1e-4 * g.dot(&(&trial - &psi)) {
                accepted = Some((trial, ft, gt));
                break;
            }
            step *= 0.5;
        }
        let Some((new_psi, new_f, new_g)) = accepted else {
            break;
        };
        let s = &new_psi - &psi;
        let y = &new_g - &g;
        let sy = s.dot(&y);
        let done = (f - new_f).abs() <= 1e-17 * f.abs().max(1e-300) && s.amax() < 1e-15;
        psi = new_psi;
        f = new_f;
        g = new_g;
        if sy > 1e-18 {
            let rho = 1.0 / sy;
            let i = DMatrix::<f64>::identity(p, p);
            let a = &i - rho * &s * y.transpose();
            let b = &i - rho * &y * s.transpose();
            h = &a * &h * &b + rho * &s * s.transpose();
        }
        if done {
            break;
        }
    }
    let mut s = rm.clone();
    for i in 0..p {
        s[(i, i)] = 1.0 - psi[i];
    }
    let (vals, vecs) = eigen_desc(&s);
    let l = DMatrix::from_fn(p, k, |i, j| vecs[(i, j)] * vals[j].max(0.0).sqrt());
    let (rot, iters) = varimax(&l);
    Ok(finish(rot, true, iters))
}

/// The number of eigenvalues above 1 (Kaiser's rule), at least 1.
pub fn kaiser_factors(eigenvalues: &[f64]) -> usize {
    eigenvalues.iter().filter(|v| **v > 1.0).count().max(1)
}
