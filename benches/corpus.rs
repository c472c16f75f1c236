//! Writes a benchmark corpus to a folder, for `benches/peers.sh` and for
//! profiling: `cargo bench --bench corpus -- varied|copies N DIR [SEED]`.
//! `varied` is N issues that differ from each other; `copies` is N copies
//! of the repository's Issue 2 (see `support/corpus.rs`). `cargo bench
//! --bench corpus -- hugo PIR_PROJECT DIR` writes a Hugo project with the
//! same pieces, for the site's comparison with Hugo.

#[path = "support/corpus.rs"]
mod corpus;

use std::path::Path;

fn main() {
    // cargo bench adds `--bench`; every other argument is ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let usage =
        "usage: cargo bench --bench corpus -- varied|copies N DIR [SEED], or hugo PIR_PROJECT DIR";
    if args.len() == 3 && args[0] == "hugo" {
        let pages = corpus::hugo(Path::new(&args[1]), Path::new(&args[2]));
        println!("a Hugo project of {pages} pages in {}", args[2]);
        return;
    }
    if args.len() < 3 {
        eprintln!("{usage}");
        std::process::exit(2);
    }
    let n: usize = args[1].parse().unwrap_or_else(|_| {
        eprintln!("{usage}: N must be a number, not {:?}", args[1]);
        std::process::exit(2)
    });
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(17);
    let (dir, repo) = (Path::new(&args[2]), Path::new(env!("CARGO_MANIFEST_DIR")));
    if dir.exists() {
        eprintln!("{} exists already; give a new folder", dir.display());
        std::process::exit(2);
    }
    let pieces = match args[0].as_str() {
        "varied" => corpus::varied(dir, repo, n, seed),
        "copies" => corpus::copies(dir, repo, n),
        other => {
            eprintln!("{usage}: unknown corpus {other:?}");
            std::process::exit(2)
        }
    };
    println!("{n} issues, {pieces} pieces in {}", dir.display());
}
