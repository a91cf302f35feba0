//! The matrix of all pairs: which kernel counts each pair's table, and the tasks on threads.
//! Pairs of small narrow-coded variables come from one batched bit-set pass
//! ([`super::joint::small_pairs`]); each many-valued narrow variable is counted against the
//! small ones two at a time (joined codes); every other pair goes through
//! [`super::pair::pair_masked`]. Tasks of uneven cost are handed out dynamically; the result
//! does not depend on the number of threads.

use super::discrete::Discrete;
use super::formulas::{PairStats, PairwiseMatrix, self_pair_counts, stats_from_table};
use super::joint::{SMALL_K, combine_codes, joint_table, small_pairs, split_joined_table};
use super::pair::{pair_masked, self_pair};
use crate::stats::codes::Codes;

/// The statistics of the pair (i, j) from their joint table `t` (rows over i's states, i's
/// values plus missing), computed with the lower index as x, as [`pair`](super::pair) would.
fn oriented_stats(
    discrete: &[&Discrete],
    i: usize,
    j: usize,
    t: &[u32],
) -> (usize, usize, PairStats) {
    let (si, sj) = (discrete[i].values.len() + 1, discrete[j].values.len() + 1);
    if i < j {
        (
            i,
            j,
            stats_from_table(t, sj, &discrete[i].values, &discrete[j].values),
        )
    } else {
        let mut tt = vec![0u32; si * sj];
        for r in 0..si {
            for c in 0..sj {
                tt[c * si + r] = t[r * sj + c];
            }
        }
        (
            j,
            i,
            stats_from_table(&tt, si, &discrete[j].values, &discrete[i].values),
        )
    }
}

/// [`pairwise`](super::pairwise) of variables already coded, over the rows in `mask` only when one is given
/// (with the mask of [`complete_mask`](super::complete_mask), this is listwise deletion without copying the rows).
pub fn pairwise_discrete(
    discrete: &[&Discrete],
    threads: usize,
    mask: Option<&[u64]>,
) -> PairwiseMatrix {
    let k = discrete.len();
    // Pairs of small-coded variables come from one batched pass; the rest pair by pair.
    let small: Vec<usize> = (0..k)
        .filter(|&i| {
            let d = discrete[i];
            d.values.len() <= SMALL_K && !d.is_empty() && matches!(d.codes, Codes::Narrow(_))
        })
        .collect();
    let mut batched: Vec<(usize, usize, PairStats)> = Vec::new();
    if !small.is_empty() {
        let vars: Vec<&Discrete> = small.iter().map(|&i| discrete[i]).collect();
        let (tables, level_counts) = small_pairs(&vars, threads, mask);
        for (&i, counts) in small.iter().zip(&level_counts) {
            batched.push((i, i, self_pair_counts(&discrete[i].values, counts)));
        }
        let mut pidx = 0;
        for a in 0..small.len() {
            for b in a + 1..small.len() {
                let (i, j) = (small[a], small[b]);
                batched.push((
                    i,
                    j,
                    stats_from_table(&tables[pidx], 16, &discrete[i].values, &discrete[j].values),
                ));
                pidx += 1;
            }
        }
    }
    let is_small = |i: usize| small.contains(&i);
    // A variable with many values (a dimension score, say) pairs with every small one. The
    // small ones are joined two at a time into one byte code, one value per combination of
    // theirs (missing included), so one pass over the rows counts the joint tables of both
    // pairs; each is then summed out of the combined table, exactly.
    let combinable = |i: usize| {
        !is_small(i) && !discrete[i].is_empty() && matches!(discrete[i].codes, Codes::Narrow(_))
    };
    let joined: Vec<[usize; 2]> = if (0..k).any(combinable) {
        small
            .chunks_exact(2)
            .map(|p| [p[0], p[1]])
            .filter(|&[a, b]| {
                (discrete[a].values.len() + 1) * (discrete[b].values.len() + 1) <= 256
            })
            .collect()
    } else {
        Vec::new()
    };
    let in_joined = |i: usize| joined.iter().any(|g| g.contains(&i));
    let combos: Vec<Vec<u8>> = crate::par::map(&joined, threads, |&[a, b]| {
        combine_codes(discrete[a], discrete[b])
    });
    enum Task {
        Joined(usize, usize),
        Pair(usize, usize),
    }
    let mut tasks: Vec<Task> = Vec::new();
    for i in (0..k).filter(|&i| combinable(i)) {
        tasks.extend((0..joined.len()).map(|g| Task::Joined(i, g)));
    }
    tasks.extend(
        (0..k)
            .flat_map(|i| (i..k).map(move |j| (i, j)))
            .filter(|&(i, j)| !(is_small(i) && is_small(j)))
            .filter(|&(i, j)| {
                !(i != j && ((combinable(i) && in_joined(j)) || (combinable(j) && in_joined(i))))
            })
            .map(|(i, j)| Task::Pair(i, j)),
    );
    let chunks: Vec<Vec<(usize, usize, PairStats)>> =
        crate::par::map_dynamic(&tasks, threads, |task| match *task {
            Task::Pair(i, j) => {
                let st = if i == j {
                    self_pair(discrete[i], mask)
                } else {
                    pair_masked(discrete[i], discrete[j], mask)
                };
                vec![(i, j, st)]
            }
            Task::Joined(i, g) => {
                let [a, b] = joined[g];
                let x = discrete[i];
                let Codes::Narrow(xc) = &x.codes else {
                    unreachable!("only narrow-coded variables are combinable")
                };
                let (ka, kb) = (discrete[a].values.len(), discrete[b].values.len());
                let states = (ka + 1) * (kb + 1);
                let t = joint_table(xc, &combos[g], x.values.len(), states - 1, mask);
                let (ta, tb) = split_joined_table(&t, x.values.len() + 1, ka + 1, kb + 1);
                vec![
                    oriented_stats(discrete, i, a, &ta),
                    oriented_stats(discrete, i, b, &tb),
                ]
            }
        });
    let mut m = PairwiseMatrix {
        n: vec![vec![0; k]; k],
        pearson: vec![vec![f64::NAN; k]; k],
        spearman: vec![vec![f64::NAN; k]; k],
        cov: vec![vec![f64::NAN; k]; k],
    };
    for (i, j, st) in chunks.into_iter().flatten().chain(batched) {
        m.n[i][j] = st.n;
        m.n[j][i] = st.n;
        m.cov[i][j] = st.cov;
        m.cov[j][i] = st.cov;
        if i == j {
            let ok = st.n >= 2 && st.cov > 0.0;
            m.pearson[i][i] = if ok { 1.0 } else { f64::NAN };
            m.spearman[i][i] = if ok { 1.0 } else { f64::NAN };
        } else {
            m.pearson[i][j] = st.pearson;
            m.pearson[j][i] = st.pearson;
            m.spearman[i][j] = st.spearman;
            m.spearman[j][i] = st.spearman;
        }
    }
    m
}
