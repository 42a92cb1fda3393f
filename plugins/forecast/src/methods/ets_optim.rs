//! The bounded Nelder–Mead simplex search that statsforecast 2.1.1 fits ETS models with
//! (`include/statsforecast/nelder_mead.h`, called from `ets::Optimize` in `src/ets.cpp`).
//!
//! It is reproduced step by step, including what decides ties and last bits, because the
//! optimiser's path decides which local optimum a fit lands on:
//! - the adaptive coefficients of Gao & Han (2012): expansion `1 + 2/n`, contraction
//!   `0.75 - 1/(2n)`, shrink `1 - 1/n` (reflection 1), for `n` free parameters;
//! - the first simplex: `n + 1` copies of the start, the `i`-th with coordinate `i` scaled by
//!   1.05 (or set to 1e-4 when it is 0), each point clamped to the bounds;
//! - every trial point is clamped to the bounds before it is evaluated;
//! - the simplex is ordered with libstdc++'s `std::sort` (an unstable introsort), so ties
//!   between equal objective values break as they do there ([`std_sort_indices`]);
//! - the centroid and the stopping rule's standard deviation are summed in the order Eigen's
//!   SSE2 kernels sum them ([`column_sums`], [`eigen_sum`]);
//! - each iteration first orders the vertices, then stops when the population standard
//!   deviation of the `n + 1` objective values is below `tol_std`; after `max_iter` iterations
//!   the vertex that was best at the start of the last one is returned (not re-sorted).
//!
//! Reference: Nelder, J. A. & Mead, R. (1965), "A simplex method for function minimization",
//! *The Computer Journal* 7(4), 308–313; Gao, F. & Han, L. (2012), "Implementing the
//! Nelder-Mead simplex algorithm with adaptive parameters", *Computational Optimization and
//! Applications* 51(1), 259–277.

/// The relative step of the first simplex (statsforecast's `ets::Optimize`: `init_step`).
pub(crate) const INIT_STEP: f64 = 0.05;
/// The value a zero coordinate takes in the first simplex.
pub(crate) const ZERO_PERT: f64 = 1.0e-4;
/// Stop when the objective values' standard deviation is below this.
pub(crate) const TOL_STD: f64 = 1e-4;
/// At most this many iterations (`optimize_ets_target_fn` passes 1,000).
pub(crate) const MAX_ITER: usize = 1_000;

/// Eigen's `std::max(x, lower)` then `std::min(x, upper)`: NaN stays NaN.
#[inline]
fn clamp(x: f64, lower: f64, upper: f64) -> f64 {
    let x = if x < lower { lower } else { x };
    if upper < x { upper } else { x }
}

/// `std::clamp(x, lower, upper)`.
#[inline]
fn std_clamp(x: f64, lower: f64, upper: f64) -> f64 {
    if x < lower {
        lower
    } else if upper < x {
        upper
    } else {
        x
    }
}

/// Minimises `objective` from `x0` within `[lower, upper]` (per coordinate; infinite bounds are
/// allowed) and returns the best vertex. `scratch` holds the simplex between calls so that a
/// model selection does not allocate per fit.
pub(crate) fn nelder_mead<F: FnMut(&[f64]) -> f64>(
    mut objective: F,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    scratch: &mut Scratch,
) -> Vec<f64> {
    let n = x0.len();
    let rows = n + 1;
    let nf = n as f64;
    let (reflect, expand, contract, shrink) = (
        1.0,
        1.0 + 2.0 / nf,
        0.75 - 1.0 / (2 * n) as f64,
        1.0 - 1.0 / nf,
    );
    scratch.reset(n);
    let Scratch {
        simplex,
        values,
        order,
        centroid,
        trial,
        other,
        sums,
    } = scratch;

    for r in 0..rows {
        for (k, &v) in x0.iter().enumerate() {
            simplex[r * n + k] = clamp(v, lower[k], upper[k]);
        }
    }
    for i in 0..n {
        let v = simplex[i * n + i];
        let v = if v == 0.0 {
            ZERO_PERT
        } else {
            v * (1.0 + INIT_STEP)
        };
        simplex[i * n + i] = std_clamp(v, lower[i], upper[i]);
    }
    for r in 0..rows {
        values[r] = objective(&simplex[r * n..(r + 1) * n]);
    }

    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    let mut best = 0usize;
    for _ in 0..MAX_ITER {
        order_like_std_sort(order, values);
        best = order[0];
        let worst = order[n];
        let second_worst = order[n - 1];
        if standard_deviation(values) < TOL_STD {
            break;
        }

        column_sums(simplex, n, sums);
        for k in 0..n {
            centroid[k] = (sums[k] - simplex[worst * n + k]) / nf;
        }

        // Reflection.
        for k in 0..n {
            trial[k] = clamp(
                centroid[k] + reflect * (centroid[k] - simplex[worst * n + k]),
                lower[k],
                upper[k],
            );
        }
        let f_r = objective(trial);
        if values[best] <= f_r && f_r < values[second_worst] {
            simplex[worst * n..(worst + 1) * n].copy_from_slice(trial);
            values[worst] = f_r;
            continue;
        }

        // Expansion: the reflected point is the best so far.
        if f_r < values[best] {
            for k in 0..n {
                other[k] = clamp(
                    centroid[k] + expand * (trial[k] - centroid[k]),
                    lower[k],
                    upper[k],
                );
            }
            let f_e = objective(other);
            if f_e < f_r {
                simplex[worst * n..(worst + 1) * n].copy_from_slice(other);
                values[worst] = f_e;
            } else {
                simplex[worst * n..(worst + 1) * n].copy_from_slice(trial);
                values[worst] = f_r;
            }
            continue;
        }

        if values[second_worst] <= f_r && f_r < values[worst] {
            // Outside contraction.
            for k in 0..n {
                other[k] = clamp(
                    centroid[k] + contract * (trial[k] - centroid[k]),
                    lower[k],
                    upper[k],
                );
            }
            let f_oc = objective(other);
            if f_oc <= f_r {
                simplex[worst * n..(worst + 1) * n].copy_from_slice(other);
                values[worst] = f_oc;
                continue;
            }
        } else {
            // Inside contraction.
            for k in 0..n {
                other[k] = clamp(
                    centroid[k] - contract * (trial[k] - centroid[k]),
                    lower[k],
                    upper[k],
                );
            }
            let f_ic = objective(other);
            if f_ic < values[worst] {
                simplex[worst * n..(worst + 1) * n].copy_from_slice(other);
                values[worst] = f_ic;
                continue;
            }
        }

        // Shrink every other vertex towards the best.
        for j in 0..rows {
            if j == best {
                continue;
            }
            for k in 0..n {
                let b = simplex[best * n + k];
                simplex[j * n + k] =
                    clamp(b + shrink * (simplex[j * n + k] - b), lower[k], upper[k]);
            }
            values[j] = objective(&simplex[j * n..(j + 1) * n]);
        }
    }
    simplex[best * n..(best + 1) * n].to_vec()
}

/// Buffers of one Nelder–Mead run, reused across fits.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    simplex: Vec<f64>,
    values: Vec<f64>,
    order: Vec<usize>,
    centroid: Vec<f64>,
    trial: Vec<f64>,
    other: Vec<f64>,
    sums: Vec<f64>,
}

impl Scratch {
    fn reset(&mut self, n: usize) {
        self.simplex.clear();
        self.simplex.resize((n + 1) * n, 0.0);
        self.values.clear();
        self.values.resize(n + 1, 0.0);
        self.order.clear();
        self.order.resize(n + 1, 0);
        for v in [
            &mut self.centroid,
            &mut self.trial,
            &mut self.other,
            &mut self.sums,
        ] {
            v.clear();
            v.resize(n, 0.0);
        }
    }
}

/// Eigen's `simplex.colwise().sum()` on a row-major `(n + 1) x n` matrix, as its SSE2 code
/// computes it: the columns that fill whole packets of two are reduced packet-wise, first row
/// plus groups of four rows summed pairwise, then the remaining rows one by one; a last odd
/// column is summed row by row.
fn column_sums(simplex: &[f64], n: usize, sums: &mut [f64]) {
    let rows = n + 1;
    let vector_columns = n - n % 2;
    let size4 = (rows - 1) & !3;
    for (k, sum) in sums.iter_mut().enumerate().take(vector_columns) {
        let at = |r: usize| simplex[r * n + k];
        let mut p = at(0);
        let mut i = 1;
        while i < size4 {
            p += (at(i) + at(i + 1)) + (at(i + 2) + at(i + 3));
            i += 4;
        }
        while i < rows {
            p += at(i);
            i += 1;
        }
        *sum = p;
    }
    for (k, sum) in sums.iter_mut().enumerate().skip(vector_columns) {
        let mut p = simplex[k];
        for r in 1..rows {
            p += simplex[r * n + k];
        }
        *sum = p;
    }
}

/// Eigen's `VectorXd::sum()` of a contiguous vector whose first element sits `offset`
/// elements after a 16-byte boundary (0 or 1), as its SSE2 reduction computes it: two packet
/// accumulators over the aligned part, combined, one more packet if left, the packet's two
/// lanes added, then the unaligned head and the tail element by element.
pub(crate) fn eigen_sum(a: &[f64], offset: usize) -> f64 {
    let size = a.len();
    if size == 0 {
        return 0.0;
    }
    let aligned_start = (offset % 2).min(size);
    let aligned_size2 = ((size - aligned_start) / 4) * 4;
    let aligned_size = ((size - aligned_start) / 2) * 2;
    let aligned_end2 = aligned_start + aligned_size2;
    let aligned_end = aligned_start + aligned_size;
    if aligned_size == 0 {
        let mut res = a[0];
        for &v in &a[1..] {
            res += v;
        }
        return res;
    }
    let mut p0 = [a[aligned_start], a[aligned_start + 1]];
    if aligned_size > 2 {
        let mut p1 = [a[aligned_start + 2], a[aligned_start + 3]];
        let mut i = aligned_start + 4;
        while i < aligned_end2 {
            p0 = [p0[0] + a[i], p0[1] + a[i + 1]];
            p1 = [p1[0] + a[i + 2], p1[1] + a[i + 3]];
            i += 4;
        }
        p0 = [p0[0] + p1[0], p0[1] + p1[1]];
        if aligned_end > aligned_end2 {
            p0 = [p0[0] + a[aligned_end2], p0[1] + a[aligned_end2 + 1]];
        }
    }
    let mut res = p0[0] + p0[1];
    for &v in &a[..aligned_start] {
        res += v;
    }
    for &v in &a[aligned_end..] {
        res += v;
    }
    res
}

/// statsforecast's `StandardDeviation`: `sqrt(mean((x - mean(x))^2))` with Eigen's sums.
fn standard_deviation(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = eigen_sum(values, 0) / n;
    let mut squares = [0.0; 64];
    if values.len() <= squares.len() {
        for (s, &v) in squares.iter_mut().zip(values) {
            *s = (v - mean) * (v - mean);
        }
        (eigen_sum(&squares[..values.len()], 0) / n).sqrt()
    } else {
        let squares: Vec<f64> = values.iter().map(|&v| (v - mean) * (v - mean)).collect();
        (eigen_sum(&squares, 0) / n).sqrt()
    }
}

/// Puts `order` (the previous iteration's order, a permutation of the vertices) into the order
/// `std::sort` gives from `0, 1, …, n`. Without ties every sort gives the same order, so the
/// previous order, nearly sorted already (one vertex changed), is finished by insertion; only
/// when two values are equal is the order rebuilt with [`std_sort_indices`].
fn order_like_std_sort(order: &mut [usize], values: &[f64]) {
    for i in 1..order.len() {
        let v = order[i];
        let mut j = i;
        while j > 0 && values[v] < values[order[j - 1]] {
            order[j] = order[j - 1];
            j -= 1;
        }
        order[j] = v;
    }
    if order.windows(2).any(|w| values[w[0]] == values[w[1]]) {
        for (i, o) in order.iter_mut().enumerate() {
            *o = i;
        }
        std_sort_indices(order, values);
    }
}

/// Sorts `idx` by `values[idx]` ascending exactly as libstdc++'s `std::sort` with the
/// comparator `values[a] < values[b]` (introsort: median-of-three quicksort partitions while
/// more than 16 elements remain, then insertion sort), so equal values end in the same order.
pub(crate) fn std_sort_indices(idx: &mut [usize], values: &[f64]) {
    let len = idx.len();
    if len <= 1 {
        return;
    }
    let less = |a: usize, b: usize| values[a] < values[b];
    let depth = 2 * (usize::BITS - 1 - len.leading_zeros()) as usize;
    introsort_loop(idx, 0, len, depth, &less);
    final_insertion_sort(idx, 0, len, &less);
}

const THRESHOLD: usize = 16;

fn introsort_loop(
    v: &mut [usize],
    first: usize,
    mut last: usize,
    mut depth: usize,
    less: &impl Fn(usize, usize) -> bool,
) {
    while last - first > THRESHOLD {
        if depth == 0 {
            // libstdc++ falls back to heap sort here; with the simplex sizes of ETS (at most a
            // few dozen vertices) the depth limit is never reached. A stable sort keeps the
            // result well defined should it ever be.
            v[first..last].sort_by(|&a, &b| {
                if less(a, b) {
                    std::cmp::Ordering::Less
                } else if less(b, a) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            });
            return;
        }
        depth -= 1;
        let cut = unguarded_partition_pivot(v, first, last, less);
        introsort_loop(v, cut, last, depth, less);
        last = cut;
    }
}

fn unguarded_partition_pivot(
    v: &mut [usize],
    first: usize,
    last: usize,
    less: &impl Fn(usize, usize) -> bool,
) -> usize {
    let mid = first + (last - first) / 2;
    move_median_to_first(v, first, first + 1, mid, last - 1, less);
    unguarded_partition(v, first + 1, last, first, less)
}

fn move_median_to_first(
    v: &mut [usize],
    result: usize,
    a: usize,
    b: usize,
    c: usize,
    less: &impl Fn(usize, usize) -> bool,
) {
    let target = if less(v[a], v[b]) {
        if less(v[b], v[c]) {
            b
        } else if less(v[a], v[c]) {
            c
        } else {
            a
        }
    } else if less(v[a], v[c]) {
        a
    } else if less(v[b], v[c]) {
        c
    } else {
        b
    };
    v.swap(result, target);
}

fn unguarded_partition(
    v: &mut [usize],
    mut first: usize,
    mut last: usize,
    pivot: usize,
    less: &impl Fn(usize, usize) -> bool,
) -> usize {
    loop {
        while less(v[first], v[pivot]) {
            first += 1;
        }
        last -= 1;
        while less(v[pivot], v[last]) {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        v.swap(first, last);
        first += 1;
    }
}

fn final_insertion_sort(
    v: &mut [usize],
    first: usize,
    last: usize,
    less: &impl Fn(usize, usize) -> bool,
) {
    if last - first > THRESHOLD {
        insertion_sort(v, first, first + THRESHOLD, less);
        for i in first + THRESHOLD..last {
            unguarded_linear_insert(v, i, less);
        }
    } else {
        insertion_sort(v, first, last, less);
    }
}

fn insertion_sort(
    v: &mut [usize],
    first: usize,
    last: usize,
    less: &impl Fn(usize, usize) -> bool,
) {
    if first == last {
        return;
    }
    for i in first + 1..last {
        if less(v[i], v[first]) {
            let val = v[i];
            v.copy_within(first..i, first + 1);
            v[first] = val;
        } else {
            unguarded_linear_insert(v, i, less);
        }
    }
}

fn unguarded_linear_insert(v: &mut [usize], mut last: usize, less: &impl Fn(usize, usize) -> bool) {
    let val = v[last];
    let mut next = last - 1;
    while less(val, v[next]) {
        v[last] = v[next];
        last = next;
        next -= 1;
    }
    v[last] = val;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_orders_like_a_sort_and_keeps_small_ties_stable() {
        let values = [3.0, 1.0, 2.0, 1.0, f64::INFINITY, f64::NEG_INFINITY];
        let mut idx: Vec<usize> = (0..values.len()).collect();
        std_sort_indices(&mut idx, &values);
        assert_eq!(idx, vec![5, 1, 3, 2, 0, 4]);
        let values: Vec<f64> = (0..40).map(|i| ((i * 7) % 13) as f64).collect();
        let mut idx: Vec<usize> = (0..values.len()).collect();
        std_sort_indices(&mut idx, &values);
        assert!(idx.windows(2).all(|w| values[w[0]] <= values[w[1]]));
    }

    #[test]
    fn eigen_sum_adds_everything() {
        let a: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(eigen_sum(&a, 0), 66.0);
        assert_eq!(eigen_sum(&a, 1), 66.0);
        assert_eq!(eigen_sum(&a[..1], 1), 1.0);
    }

    #[test]
    fn minimises_a_bowl() {
        let mut scratch = Scratch::default();
        let x = nelder_mead(
            |p| (p[0] - 0.3).powi(2) * 1e4 + (p[1] + 2.0).powi(2) * 1e4,
            &[0.5, 1.0],
            &[0.0, f64::NEG_INFINITY],
            &[1.0, f64::INFINITY],
            &mut scratch,
        );
        assert!(
            (x[0] - 0.3).abs() < 1e-3 && (x[1] + 2.0).abs() < 1e-3,
            "{x:?}"
        );
    }
}
