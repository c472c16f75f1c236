//! Benchmark: pir at the size of a growing archive, against the tools a
//! writer would use instead, measured in the same run.
//!
//! - Issue 2: `pir build` (site, reading, print and pocket PDFs) against
//!   Typst compiling only the reading PDF from `--emit-typst`'s sources
//!   (Typst's Python binding, the same Typst version), and against pandoc
//!   (pypandoc-binary's, with its Typst writer) turning the same Markdown
//!   into Typst that Typst then compiles.
//! - 100 generated issues: a full build, a no-change rebuild, a rebuild
//!   after editing one piece, `pir check`, and the full build's peak memory.
//!
//! Every figure is the median of several whole-process runs. Run with
//! `cargo bench --bench archive`; the Python tools are installed with pip
//! on first use.

#[path = "support/synth.rs"]
mod synth;

#[path = "support/measure.rs"]
mod measure;
use measure::{median, ms, ratio};

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pir");

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temp dir");
    if let Ok(dir) = std::env::var("PIR_BENCH_ARCHIVE") {
        // Only write the archive (for profiling), then stop.
        synth::generate(Path::new(&dir), 100);
        return;
    }
    python_tools();

    // Issue 2 against Typst and pandoc.
    let public = tmp.path().join("issue-2");
    let pir_issue = median(5, || {
        run(Command::new(BIN)
            .arg("--root")
            .arg(repo)
            .args(["build", "--force", "--quiet", "--emit-typst", "--output"])
            .arg(&public))
    });
    let typ = public.join("issues/march-2020/typst");
    let typst_issue = median(5, || {
        run(Command::new("python3").args([
            "-c",
            &typst_script(
                &typ.join("main.typ"),
                &repo.join("fonts"),
                &typ.join("out.pdf"),
            ),
        ]))
    });
    let md = tmp.path().join("issue-2.md");
    std::fs::write(&md, issue_markdown(&repo.join("issues/march-2020"))).unwrap();
    let pandoc = pandoc_path();
    let typ_out = tmp.path().join("issue-2-pandoc.typ");
    let pandoc_issue = median(5, || {
        run(Command::new(&pandoc)
            .arg(&md)
            .args(["-f", "markdown-citations", "-t", "typst", "-s", "-o"])
            .arg(&typ_out));
        run(Command::new("python3").args([
            "-c",
            &typst_script(
                &typ_out,
                &repo.join("fonts"),
                &tmp.path().join("pandoc.pdf"),
            ),
        ]));
    });
    println!("Issue 2, whole processes, median of 5");
    println!(
        "  pir build (site + reading, print and pocket PDFs)      {:>9.1} ms",
        ms(pir_issue)
    );
    println!(
        "  Typst compiling the reading PDF alone                  {:>9.1} ms   pir = {:.2}x of it",
        ms(typst_issue),
        ratio(pir_issue, typst_issue)
    );
    println!(
        "  pandoc -t typst, then Typst (reading PDF only)         {:>9.1} ms   pandoc = {:.1}x pir",
        ms(pandoc_issue),
        ratio(pandoc_issue, pir_issue)
    );

    // The archive.
    let archive = tmp.path().join("archive");
    let pieces = synth::generate(&archive, 100);
    let out = archive.join("public");
    let full = median(3, || {
        let _ = std::fs::remove_dir_all(&out);
        run(Command::new(BIN)
            .arg("--root")
            .arg(&archive)
            .args(["build", "--quiet"]));
    });
    let pages = pages_built(&out);
    let unchanged = median(5, || {
        run(Command::new(BIN)
            .arg("--root")
            .arg(&archive)
            .args(["build", "--quiet"]))
    });
    let mut n = 0;
    let edit = median(5, || {
        n += 1;
        let piece = archive.join("issues/issue-050/essay.md");
        let text = std::fs::read_to_string(&piece).unwrap();
        std::fs::write(&piece, format!("{text}\nEdit number {n}.\n")).unwrap();
        run(Command::new(BIN)
            .arg("--root")
            .arg(&archive)
            .args(["build", "--quiet"]));
    });
    let check = median(5, || {
        run(Command::new(BIN)
            .arg("--root")
            .arg(&archive)
            .args(["check", "--format", "json"]))
    });
    let _ = std::fs::remove_dir_all(&out);
    let peak = peak_kib(
        Command::new(BIN)
            .arg("--root")
            .arg(&archive)
            .args(["build", "--quiet"]),
    );
    println!("100 issues ({pieces} pieces, {pages} pages), whole processes");
    println!(
        "  full build (median of 3)                               {:>9.1} ms   target 5000 ms",
        ms(full)
    );
    println!(
        "  no-change rebuild (median of 5)                        {:>9.1} ms   target 200 ms",
        ms(unchanged)
    );
    println!(
        "  rebuild after editing one piece (median of 5)          {:>9.1} ms   target 300 ms",
        ms(edit)
    );
    println!(
        "  pir check (median of 5)                                {:>9.1} ms",
        ms(check)
    );
    match peak {
        Some(kib) => println!(
            "  peak memory of the full build                          {:>9.1} MB   target 500 MB",
            kib as f64 / 1024.0
        ),
        None => println!("  peak memory: /usr/bin/time is not installed"),
    }
}

/// Runs a command to completion, failing loudly.
fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Installs Typst's Python binding and pandoc's binary package if they are missing.
fn python_tools() {
    for (module, package) in [("typst", "typst==0.15.*"), ("pypandoc", "pypandoc-binary")] {
        let have = Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !have {
            run(Command::new("python3").args(["-m", "pip", "install", "--quiet", package]));
        }
    }
}

/// The pandoc binary that pypandoc-binary ships.
fn pandoc_path() -> PathBuf {
    let out = Command::new("python3")
        .args(["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"])
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// A Python script that compiles a Typst file with the given fonts.
fn typst_script(main: &Path, fonts: &Path, out: &Path) -> String {
    format!(
        "import typst\ntypst.compile({:?}, font_paths=[{:?}], output={:?})\n",
        main.to_string_lossy(),
        fonts.to_string_lossy(),
        out.to_string_lossy()
    )
}

/// The issue's pieces as one Markdown document, front matter dropped: pandoc's input.
fn issue_markdown(dir: &Path) -> String {
    let toml: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("issue.toml")).unwrap()).unwrap();
    let mut out = String::new();
    for piece in toml["pieces"].as_array().unwrap() {
        let text = std::fs::read_to_string(dir.join(piece.as_str().unwrap())).unwrap();
        let delim = &text[..3];
        let body = text[3..]
            .split_once(&format!("\n{delim}\n"))
            .map(|(_, b)| b)
            .unwrap_or(&text);
        out.push_str(body);
        out.push_str("\n\n");
    }
    out
}

/// Pages typeset in a build, from its record.
fn pages_built(out: &Path) -> usize {
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pir::build::record_path(out)).unwrap()).unwrap();
    record["documents"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|d| d["output"]["pages"].as_u64())
        .sum::<u64>() as usize
}

/// The peak resident memory of a command, in KiB, from GNU time.
fn peak_kib(cmd: &mut Command) -> Option<u64> {
    if !Path::new("/usr/bin/time").exists() {
        return None;
    }
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(program)
        .args(args)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}
