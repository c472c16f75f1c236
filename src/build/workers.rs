//! Running whole documents in parallel with a bounded number in flight.
//!
//! Typst parallelises inside a document on rayon's pool. When whole
//! documents were themselves rayon tasks, a thread waiting inside one
//! document's layout or PDF export stole the next document and started it on
//! top, so the number of documents in flight (each holding its laid-out
//! pages) grew with the archive, and so did memory. Here each document runs
//! on a plain thread that takes the next one only when it is done.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of a document thread: as much as a main thread gets, for Typst's recursion.
const STACK: usize = 8 * 1024 * 1024;

/// Runs `f` on every item, one item per core at a time, and returns the
/// results in the items' order.
pub(super) fn each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let result = f(item);
                        *slots[i].lock().expect("a slot is written once") = Some(result);
                    }
                })
                .expect("a thread can be started");
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("a slot is written once")
                .expect("every item ran")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_and_every_item_runs_once() {
        let items: Vec<usize> = (0..100).collect();
        let runs = AtomicUsize::new(0);
        let out = each(&items, |i| {
            runs.fetch_add(1, Ordering::Relaxed);
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(runs.load(Ordering::Relaxed), 100);
    }

    #[test]
    fn no_more_items_in_flight_than_threads() {
        let items: Vec<usize> = (0..40).collect();
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        each(&items, |_| {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            now.fetch_sub(1, Ordering::SeqCst);
        });
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!(most.load(Ordering::SeqCst) <= cores);
    }
}
