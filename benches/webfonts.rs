//! Benchmark: the site's web fonts (every face subset to Issue 2's
//! characters and compressed to WOFF2) at each Brotli quality, for the
//! trade between a cold build's time and the bytes a reader downloads.
//! Run with `cargo bench --bench webfonts`; it prints one row per quality,
//! the time and the bytes as ratios against quality 11 (the WOFF2 default)
//! measured in the same run.

#[path = "support/measure.rs"]
mod measure;
use measure::{median, ms, ratio};

use std::collections::BTreeSet;
use std::path::Path;

const RUNS: usize = 5;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = pir::check::check(root);
    // The characters of every piece's words, titles and Basic Latin: what the site's pages hold.
    let mut chars: BTreeSet<char> = (' '..='~').collect();
    for issue in &report.project.issues {
        for piece in &issue.pieces {
            chars.extend(piece.plain_text().chars());
            chars.extend(piece.title.chars());
        }
    }
    let none = |_: &Path| false;
    let measure = |quality: u8| {
        let mut bytes = 0;
        let time = median(RUNS, || {
            let fonts = pir::webfonts::build_with(&chars, &none, quality).expect("fonts build");
            bytes = fonts
                .files
                .iter()
                .filter(|(p, _)| p.extension().is_some_and(|e| e == "woff2"))
                .map(|(_, b)| b.len())
                .sum::<usize>();
        });
        (time, bytes)
    };
    let (best_time, best_bytes) = measure(11);
    println!(
        "web fonts of Issue 2 ({} characters), median of {RUNS} runs",
        chars.len()
    );
    println!("quality  time ms  x q11   bytes   x q11");
    for q in [1, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
        let (time, bytes) = if q == 11 {
            (best_time, best_bytes)
        } else {
            measure(q)
        };
        println!(
            "{q:>7}  {:>7.1}  {:>5.2}  {bytes:>6}  {:>6.3}",
            ms(time),
            ratio(time, best_time),
            bytes as f64 / best_bytes as f64
        );
    }
    println!("pir uses quality {}", pir::webfonts::QUALITY);
    // Which faces the bytes are: each file at quality 11 and at pir's.
    let files = |q: u8| {
        pir::webfonts::build_with(&chars, &none, q)
            .expect("fonts build")
            .files
    };
    let (ours, best) = (files(pir::webfonts::QUALITY), files(11));
    for ((path, a), (_, b)) in ours.iter().zip(&best) {
        if path.extension().is_some_and(|e| e == "woff2") {
            println!("{:>7} {:>7}  {}", b.len(), a.len(), path.display());
        }
    }
}
