//! Order-keeping parallel maps on scoped threads (std only, no thread pool). Items are cut into
//! one contiguous part per thread and the outputs are concatenated in order, so a result never
//! depends on the number of threads unless `f` itself does.

/// Map `f` over `items` on up to `threads` scoped threads, keeping the order.
pub fn map<'a, T: Sync, R: Send>(
    items: &'a [T],
    threads: usize,
    f: impl Fn(&'a T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1).min(items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    run(items
        .chunks(items.len().div_ceil(threads))
        .map(|part| move || part.iter().map(f).collect()))
}

/// [`map`] for owned items, which `f` consumes.
pub fn map_owned<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1).min(items.len().max(1));
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut parts: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items.into_iter();
    loop {
        let part: Vec<T> = rest.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    let f = &f;
    run(parts
        .into_iter()
        .map(|part| move || part.into_iter().map(f).collect()))
}

/// Run every job on its own scoped thread and concatenate the outputs in job order. A panic in
/// a job is raised again on the caller's thread, never swallowed into a short result.
fn run<R: Send, J: FnOnce() -> Vec<R> + Send>(jobs: impl Iterator<Item = J>) -> Vec<R> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs.map(|job| scope.spawn(job)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
