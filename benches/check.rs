//! Benchmark: `pir check` on a generated project of 100 issues.
//!
//! Prints the median of several runs next to a baseline measured in the same
//! run on the same files: reading every file and parsing its Markdown with
//! pulldown-cmark, the least any checker has to do. Run with
//! `cargo bench --bench check`.

use std::path::Path;
use std::time::{Duration, Instant};

/// Issues in the generated project.
const ISSUES: usize = 100;
/// Timed runs per measurement (after one warm-up).
const RUNS: usize = 9;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pieces = generate(dir.path(), ISSUES);
    let report = pir::check::check(dir.path());
    let problems = report.diags.iter().filter(|d| d.severity() != pir::diagnostic::Severity::Hint).count();
    assert_eq!(problems, 0, "the generated project must be clean (hints aside)");

    let check = median(|| {
        let r = pir::check::check(dir.path());
        assert_eq!(r.project.issues.len(), ISSUES);
    });
    let baseline = median(|| baseline(dir.path()));
    let bin = env!("CARGO_BIN_EXE_pir");
    let cli = median(|| {
        let out = std::process::Command::new(bin).arg("--root").arg(dir.path()).arg("check").output().expect("run pir");
        assert!(out.status.success());
    });
    println!("pir check, {ISSUES} issues ({pieces} pieces), median of {RUNS} runs");
    println!("  baseline: read + pulldown-cmark parse   {:>8.2} ms", ms(baseline));
    println!("  pir::check::check (in process)          {:>8.2} ms   {:.1}x baseline", ms(check), ratio(check, baseline));
    println!("  `pir check` (whole process)             {:>8.2} ms   {:.1}x baseline", ms(cli), ratio(cli, baseline));
}

/// The median duration of `RUNS` calls, after a warm-up call.
fn median(mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// Reads every Markdown file and walks its events: the floor for any checker.
fn baseline(root: &Path) {
    let mut events = 0usize;
    for issue in std::fs::read_dir(root.join("issues")).unwrap() {
        for file in std::fs::read_dir(issue.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if path.extension().is_some_and(|e| e == "md") {
                events += pulldown_cmark::Parser::new_ext(&text, pir::load::markdown::options()).count();
            }
        }
    }
    assert!(events > 0);
}

/// Writes a project of `n` issues shaped like Issue 2; returns the piece count.
fn generate(root: &Path, n: usize) -> usize {
    let write = |rel: String, text: String| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "zine.toml".into(),
        "title = \"Synthetic\"\nbase_url = \"https://zine.example.com\"\npublisher = \"Bench\"\nemail = \"z@example.com\"\ndescription = \"Generated.\"\nlanguage = \"en\"\n".into(),
    );
    let prose = "Engineers looked at the dashboards, compared notes on the bridge, and tried the safest change first. ".repeat(6);
    for i in 0..n {
        let (year, month) = (2020 + (i / 12) as i32, (i % 12) as u32 + 1);
        let slug = format!("issue-{:03}", i + 1);
        write(
            format!("issues/{slug}/issue.toml"),
            format!(
                "number = {}\ntitle = \"Issue {}\"\ndate = {year}-{month:02}-01\neditors = [\"A\", \"B\"]\npages = 12\npieces = [\"note.md\", \"incident.md\", \"essay.md\", \"etc.md\", \"art.md\", \"back.md\"]\n",
                i + 1,
                i + 1
            ),
        );
        write(format!("issues/{slug}/note.md"), format!("+++\nkind = \"editors-note\"\ntitle = \"Note {i}\"\n+++\n\n{prose}\n\n{prose}\n"));
        let mut timeline = String::new();
        for h in 0..12 {
            timeline.push_str(&format!("- [{:02}:{:02}] Step {h}: {}\n", 9 + h / 2, (h % 2) * 30, &prose[..80]));
        }
        timeline.push_str("- [20:00 to 21:15] A long recovery with `code`, *emphasis* and [a link](https://example.com/x).\n");
        write(
            format!("issues/{slug}/incident.md"),
            format!(
                "+++\nkind = \"incident\"\ntitle = \"Outage {i}\"\norganization = \"Org {i}\"\npublished = {year}-{month:02}-02\ndate = {year}-{month:02}-01\ntimezone = \"America/Los_Angeles\"\nimpact = \"Everything was slow.\"\nsources = [\"https://status.example.com/{i}\"]\n\n[key_moments]\nimpact_start = \"09:00\"\ndetected = \"09:30\"\nmitigated = \"21:15\"\nresolved = \"14:30\"\n+++\n\n## Summary\n\n{prose}\n\n## Timeline\n\n{timeline}\n## Investigation and analysis\n\n{prose}\n\n| metric | before | after |\n| --- | --- | --- |\n| errors | 1% | 40% |\n\n```text\nhttp.client.RemoteDisconnected\n```\n\n## Action items\n\n1. One.\n2. Two.\n"
            )
            .replace("resolved = \"14:30\"", "resolved = \"21:15\""),
        );
        write(
            format!("issues/{slug}/essay.md"),
            format!("---\nkind: feature\ntitle: Essay {i}\n---\n\n## Part one\n\n{prose}\n\n> {prose}\n\n## Part two\n\n{prose}\n"),
        );
        write(
            format!("issues/{slug}/etc.md"),
            format!("+++\nkind = \"etcetera\"\ntitle = \"Etc\"\n+++\n\n- [A link](https://example.com/{i})\n- {prose}\n"),
        );
        write(format!("issues/{slug}/art.md"), "+++\nkind = \"illustration\"\ntitle = \"Art\"\n+++\n\nColour me in.\n".into());
        write(format!("issues/{slug}/back.md"), "+++\nkind = \"back-cover\"\ntitle = \"Back\"\n+++\n\nSee you next month.\n".into());
    }
    n * 6
}
