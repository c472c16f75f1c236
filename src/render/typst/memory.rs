//! Keeping a build's memory flat while Typst lays out documents.
//!
//! Typst memoises every layout call (comemo) for the whole of a compile,
//! and the results are only evicted between compiles. A document whose
//! size follows the archive, such as the printing page's table of every
//! print file (1,200 rows at 300 issues), then holds every row's cached
//! layout at once: about 0.5 MB per issue. While a document is laid out,
//! a janitor thread sweeps the cache every [`SWEEP`], dropping what no call
//! used in the last [`SWEEP_AGE`] sweeps; a result is pure, so a dropped
//! one is computed again if needed and the output is the same. And glibc
//! keeps memory a thread freed for reuse by that thread's arena, which made
//! the resident size creep with each document laid out on another thread:
//! [`release_freed`] hands it back once a document is done.

use std::sync::mpsc;
use std::time::Duration;

/// How often the cache is swept while a document is laid out.
pub const SWEEP: Duration = Duration::from_millis(50);

/// How many sweeps an unused result survives (comemo's `max_age`).
pub const SWEEP_AGE: usize = 2;

/// Runs `f` (a Typst compile) while a janitor sweeps Typst's cache every [`SWEEP`].
pub fn swept<R>(f: impl FnOnce() -> R) -> R {
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(SWEEP) {
                typst::comemo::evict(SWEEP_AGE);
            }
        });
        let result = f();
        drop(stop);
        result
    })
}

/// Returns the memory freed so far to the operating system, where the allocator keeps it
/// (glibc's arenas); elsewhere it does nothing.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            /// glibc: releases free memory from the top of the heap and free pages inside every arena.
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only takes the arenas' locks and returns whole free pages.
        unsafe {
            malloc_trim(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_janitor_stops_with_its_compile_and_passes_the_result_through() {
        let started = std::time::Instant::now();
        assert_eq!(swept(|| 7), 7);
        assert!(
            started.elapsed() < SWEEP,
            "it does not wait for a sweep to end"
        );
        let slow = swept(|| {
            std::thread::sleep(SWEEP * 3);
            "done"
        });
        assert_eq!(slow, "done");
        release_freed();
    }
}
