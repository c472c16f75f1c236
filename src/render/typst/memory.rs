//! Keeping a build's memory flat while Typst lays out documents.
//!
//! Typst memoises every layout call (comemo) for the whole of a compile,
//! and the results are only evicted between compiles. The printing page's
//! table lists every print file (1,200 rows at 300 issues), so its compile
//! held every row's cached layout at once: about 0.5 MB per issue. While it
//! is laid out, a janitor thread sweeps the cache every [`SWEEP`], dropping
//! what no call used in the last [`SWEEP_AGE`] sweeps; a result is pure, so
//! a dropped one is computed again if needed and the output is the same.
//! (Sweeping every document too halves the varied corpus's memory but costs
//! a quarter more CPU, as later layout passes recompute what was dropped;
//! an issue's own layout does not grow with the archive.) And glibc keeps
//! memory a thread freed for reuse by that thread's arena: [`release_freed`]
//! hands what the documents freed back before the site is made. (Doing so
//! after every document kept the resident size 10% lower at 300 issues, but
//! the page faults of using the memory again cost 15% more wall time.)

use std::sync::mpsc;
use std::time::Duration;

/// How often the cache is swept while a document is laid out.
pub const SWEEP: Duration = Duration::from_millis(50);

/// How many sweeps an unused result survives (comemo's `max_age`).
pub const SWEEP_AGE: usize = 2;

/// Runs `f` (a Typst compile) while a janitor sweeps Typst's cache every [`SWEEP`].
/// Other documents' results not used meanwhile are swept too.
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
        assert_eq!(swept(|| 7), 7);
        let slow = swept(|| {
            std::thread::sleep(SWEEP * 3);
            "done"
        });
        assert_eq!(slow, "done");
        release_freed();
    }
}
