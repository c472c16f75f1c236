//! Benchmark: `pir build` of Issue 2 against the official Typst compiler on
//! the same sources, measured in the same run.
//!
//! The baseline is Typst's Python binding (`pip install typst`, the same
//! Typst version pir embeds) compiling the sources `pir build --emit-typst`
//! writes, timed inside Python so interpreter start-up is not counted. Run
//! with `cargo bench --bench build`.

#[path = "support/measure.rs"]
mod measure;
use measure::{median, ms};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const RUNS: usize = 9;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp dir");
    let options = pir::build::Options::default();

    let build = || {
        let mut report = pir::check::check(root);
        let built = pir::build::build(&mut report, &options).expect("Issue 2 builds");
        assert_eq!(built.docs[0].pages, 12);
    };
    // Cold: Typst's memoization cache is emptied before each run, as in a fresh process.
    let in_process = median(RUNS, || {
        typst::comemo::evict(0);
        build();
    });
    let warm = median(RUNS, build);
    let bin = env!("CARGO_BIN_EXE_pir");
    let public = out.path().join("public");
    let cli = median(RUNS, || {
        let status = Command::new(bin)
            .arg("--root")
            .arg(root)
            .args(["build", "--force", "--emit-typst", "--output"])
            .arg(&public)
            .output()
            .expect("run pir");
        assert!(status.status.success());
    });
    println!("pir build, Issue 2 (12 pages), median of {RUNS} runs");
    println!(
        "  pir::build::build, cold (check, typeset, PDFs, site)   {:>8.1} ms",
        ms(in_process)
    );
    println!(
        "  pir::build::build, warm (as in pir serve, cache kept)  {:>8.1} ms",
        ms(warm)
    );
    println!(
        "  `pir build` (whole process, writes public/)              {:>8.1} ms",
        ms(cli)
    );

    imposition(root);

    let typst_dir = public.join("issues/march-2020/typst");
    match python_typst(&typst_dir, &root.join("fonts")) {
        Ok(typst) => {
            println!(
                "  baseline: Typst (Python binding), whole process, reading PDF only {:>8.1} ms",
                ms(typst)
            );
            println!(
                "  `pir build` (site + all PDFs) / Typst reading PDF alone, whole processes: {:.2}",
                cli.as_secs_f64() / typst.as_secs_f64()
            );
        }
        Err(why) => println!("  baseline skipped: {why}"),
    }
}

/// Imposition's share: Issue 2, and a 64-page booklet, against typesetting them.
fn imposition(root: &Path) {
    let report = pir::check::check(root);
    let issue = &report.project.issues[0];
    let fonts = pir::render::typst::world::Fonts::embedded();
    let job = pir::render::typst::Job::issue(&report.project, issue);
    let typeset = median(RUNS, || {
        typst::comemo::evict(0);
        let mut sources = pir::diagnostic::Sources::default();
        pir::render::typst::typeset(&report.project, &job, fonts.clone(), &mut sources)
            .unwrap_or_else(|_| panic!("Issue 2 typesets"));
    });
    let mut sources = pir::diagnostic::Sources::default();
    let doc = pir::render::typst::typeset(&report.project, &job, fonts.clone(), &mut sources)
        .unwrap_or_else(|_| panic!("Issue 2 typesets"))
        .document;
    let options = pir::impose::Options::default();
    let impose = median(RUNS, || {
        std::hint::black_box(pir::impose::booklet(&doc, &options, &[]));
    });
    let impose_pdf = median(RUNS, || {
        let imposed = pir::impose::booklet(&doc, &options, &[]);
        pir::render::typst::pdf(&imposed, "bench", issue.date.value, false, false)
            .expect("exports");
    });
    println!("imposition, Issue 2 (12 pages, 3 sheets)");
    println!(
        "  typeset (Typst layout of the reading PDF)             {:>8.2} ms",
        ms(typeset)
    );
    println!(
        "  impose (frames onto sheets)                           {:>8.3} ms   {:.2}% of typesetting",
        ms(impose),
        100.0 * impose.as_secs_f64() / typeset.as_secs_f64()
    );
    println!(
        "  impose + export the print PDF                         {:>8.2} ms",
        ms(impose_pdf)
    );

    let src = "#set page(width: 5.5in, height: 8.5in, margin: 0.5in)\n#set text(font: \"Charis SIL\", size: 9.5pt)\n#for i in range(64) [#lorem(330) #pagebreak(weak: true)]";
    let layout = median(RUNS, || {
        typst::comemo::evict(0);
        pir::render::typst::compile_source(src).expect("compiles");
    });
    let doc = pir::render::typst::compile_source(src).expect("compiles");
    let pages = doc.pages().len();
    let impose = median(RUNS, || {
        std::hint::black_box(pir::impose::booklet(&doc, &options, &[]));
    });
    println!("imposition, a {pages}-page booklet");
    println!(
        "  typeset                                               {:>8.2} ms",
        ms(layout)
    );
    println!(
        "  impose                                                {:>8.3} ms   {:.2}% of typesetting",
        ms(impose),
        100.0 * impose.as_secs_f64() / layout.as_secs_f64()
    );
}

/// Times Typst's Python binding on the emitted sources, installing it if needed.
fn python_typst(dir: &Path, fonts: &Path) -> Result<Duration, String> {
    let have = Command::new("python3")
        .args(["-c", "import typst"])
        .status()
        .map_err(|e| format!("no python3: {e}"))?;
    if !have.success() {
        let pip = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "typst==0.15.*"])
            .status()
            .map_err(|e| e.to_string())?;
        if !pip.success() {
            return Err("pip install typst failed".into());
        }
    }
    let script = format!(
        "import time, typst\nt = time.perf_counter()\ntypst.compile({:?}, font_paths=[{:?}], output={:?})\nprint(time.perf_counter() - t)\n",
        dir.join("main.typ").to_string_lossy(),
        fonts.to_string_lossy(),
        dir.join("out.pdf").to_string_lossy()
    );
    // A fresh interpreter each run, like a fresh `pir build`: nothing is cached between runs.
    let mut inner = Vec::new();
    let whole = median(RUNS, || {
        let out = Command::new("python3")
            .args(["-c", &script])
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        inner.push(
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<f64>()
                .unwrap_or(f64::NAN),
        );
    });
    inner.sort_by(f64::total_cmp);
    println!(
        "  baseline: Typst (Python binding), compile call alone, cold   {:>8.1} ms",
        inner[inner.len() / 2] * 1000.0
    );
    Ok(whole)
}
