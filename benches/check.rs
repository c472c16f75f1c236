//! Benchmark: `pir check` on a generated project of 100 issues.
//!
//! Prints the median of several runs next to a baseline measured in the same
//! run on the same files: reading every file and parsing its Markdown with
//! pulldown-cmark, the least any checker has to do. Run with
//! `cargo bench --bench check`.

#[path = "support/measure.rs"]
mod measure;
use measure::{median, ms, ratio};

use std::path::Path;

#[path = "support/synth.rs"]
mod synth;

/// Issues in the generated project.
const ISSUES: usize = 100;
/// Timed runs per measurement (after one warm-up).
const RUNS: usize = 9;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pieces = synth::generate(dir.path(), ISSUES);
    let report = pir::check::check(dir.path());
    let problems = report
        .diags
        .iter()
        .filter(|d| d.severity() != pir::diagnostic::Severity::Hint)
        .count();
    assert_eq!(
        problems, 0,
        "the generated project must be clean (hints aside)"
    );

    let check = median(RUNS, || {
        let r = pir::check::check(dir.path());
        assert_eq!(r.project.issues.len(), ISSUES);
    });
    let baseline = median(RUNS, || baseline(dir.path()));
    let bin = env!("CARGO_BIN_EXE_pir");
    let cli = median(RUNS, || {
        let out = std::process::Command::new(bin)
            .arg("--root")
            .arg(dir.path())
            .arg("check")
            .output()
            .expect("run pir");
        assert!(out.status.success());
    });
    println!("pir check, {ISSUES} issues ({pieces} pieces), median of {RUNS} runs");
    println!(
        "  baseline: read + pulldown-cmark parse   {:>8.2} ms",
        ms(baseline)
    );
    println!(
        "  pir::check::check (in process)          {:>8.2} ms   {:.1}x baseline",
        ms(check),
        ratio(check, baseline)
    );
    println!(
        "  `pir check` (whole process)             {:>8.2} ms   {:.1}x baseline",
        ms(cli),
        ratio(cli, baseline)
    );
}

/// Reads every Markdown file and walks its events: the floor for any checker.
fn baseline(root: &Path) {
    let mut events = 0usize;
    for issue in std::fs::read_dir(root.join("issues")).unwrap() {
        for file in std::fs::read_dir(issue.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if path.extension().is_some_and(|e| e == "md") {
                events +=
                    pulldown_cmark::Parser::new_ext(&text, pir::load::markdown::options()).count();
            }
        }
    }
    assert!(events > 0);
}
