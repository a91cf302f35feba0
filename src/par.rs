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

/// [`map`] for items of uneven cost: each thread takes the next unclaimed item until none is
/// left, and the outputs are put back in item order.
pub fn map_dynamic<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1).min(items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let mut done: Vec<(usize, R)> = run((0..threads).map(|_| {
        move || {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                out.push((i, f(item)));
            }
            out
        }
    }));
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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

#[cfg(test)]
mod tests {
    #[test]
    fn dynamic_map_keeps_item_order_on_any_thread_count() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish items out of order.
        let f = |x: &u64| (0..(x % 7) * 1000).fold(*x, |a, b| a.wrapping_add(b));
        let want: Vec<u64> = items.iter().map(f).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(super::map_dynamic(&items, threads, f), want);
        }
        assert!(super::map_dynamic(&[] as &[u64], 4, f).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 5")]
    fn dynamic_map_raises_a_worker_panic() {
        let items: Vec<u32> = (0..10).collect();
        super::map_dynamic(&items, 3, |&x| {
            assert!(x != 5, "item {x}");
            x
        });
    }
}
