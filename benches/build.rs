//! Benchmark: `pir build` of Issue 2 against the official Typst compiler on
//! the same sources, measured in the same run.
//!
//! The baseline is Typst's Python binding (`pip install typst`, the same
//! Typst version pir embeds) compiling the sources `pir build --emit-typst`
//! writes, timed inside Python so interpreter start-up is not counted. Run
//! with `cargo bench --bench build`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp dir");
    let options = pir::build::Options::default();

    let in_process = median(|| {
        let mut report = pir::check::check(root);
        let built = pir::build::build(&mut report, &options).expect("Issue 2 builds");
        assert_eq!(built.docs[0].pages, 12);
    });
    let bin = env!("CARGO_BIN_EXE_pir");
    let public = out.path().join("public");
    let cli = median(|| {
        let status = Command::new(bin)
            .arg("--root")
            .arg(root)
            .args(["build", "--emit-typst", "--output"])
            .arg(&public)
            .output()
            .expect("run pir");
        assert!(status.status.success());
    });
    println!("pir build, Issue 2 (12 pages), median of {RUNS} runs");
    println!(
        "  pir::build::build (in process: check + typeset + PDF)   {:>8.1} ms",
        ms(in_process)
    );
    println!(
        "  `pir build` (whole process, writes public/)              {:>8.1} ms",
        ms(cli)
    );

    let typst_dir = public.join("issues/march-2020/typst");
    match python_typst(&typst_dir, &root.join("fonts")) {
        Ok(typst) => {
            println!(
                "  baseline: Typst (Python binding) compiling the emitted sources to PDF {:>8.1} ms",
                ms(typst)
            );
            println!(
                "  pir build (whole process) / Typst compile alone: {:.2}",
                cli.as_secs_f64() / typst.as_secs_f64()
            );
        }
        Err(why) => println!("  baseline skipped: {why}"),
    }
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
        "import time, typst\nts = []\nfor i in range({}):\n    t = time.perf_counter()\n    typst.compile({:?}, font_paths=[{:?}], output={:?})\n    ts.append(time.perf_counter() - t)\nts = ts[1:]\nts.sort()\nprint(ts[len(ts)//2])\n",
        RUNS + 1,
        dir.join("main.typ").to_string_lossy(),
        fonts.to_string_lossy(),
        dir.join("out.pdf").to_string_lossy()
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let secs: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("{e}"))?;
    Ok(Duration::from_secs_f64(secs))
}

/// The median of `RUNS` timed calls after one warm-up.
fn median(mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
