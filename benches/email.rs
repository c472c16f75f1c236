//! Benchmark: Issue 2's email edition, and what each step of it costs.
//!
//! Prints the median of several runs next to a baseline measured in the same
//! run on the same issue: the site's own HTML of every piece, which the
//! email starts from. Run with `cargo bench --bench email` (or add
//! `--profile dev` to skip a release build of the dependencies).

#[path = "support/measure.rs"]
mod measure;
use measure::{median, ms, ratio};

/// Timed runs per measurement (after one warm-up).
const RUNS: usize = 9;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = pir::check::check(root);
    assert!(!report.has_errors(), "the repository's zine must be clean");
    let project = &report.project;
    let issue = project
        .issues
        .iter()
        .find(|i| i.slug == "march-2020")
        .expect("Issue 2");
    let url = url::Url::parse(&pir::edition::IssueId::of(issue).url(&project.site.base_url))
        .expect("an absolute base_url");

    let baseline = median(RUNS, || {
        let html: usize = issue
            .pieces
            .iter()
            .map(|p| pir::render::html::absolute_piece(p, &url, 1, None).len())
            .sum();
        assert!(html > 10_000);
    });
    let figures = median(RUNS, || {
        assert_eq!(
            pir::email::png::figures(project, issue, None)
                .unwrap()
                .len(),
            2
        )
    });
    let out = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in pir::email::files(project, issue, None).unwrap() {
        std::fs::create_dir_all(out.path().join(&path).parent().unwrap()).unwrap();
        std::fs::write(out.path().join(path), bytes).unwrap();
    }
    let reused = median(RUNS, || {
        assert_eq!(
            pir::email::png::figures(project, issue, Some(out.path()))
                .unwrap()
                .len(),
            2
        )
    });
    let drawn = pir::email::png::figures(project, issue, None).unwrap();
    let html = median(RUNS, || {
        assert!(
            pir::email::html::render(project, issue, &drawn)
                .unwrap()
                .len()
                < pir::email::GMAIL_CLIP_BYTES
        )
    });
    let text = median(RUNS, || {
        assert!(pir::email::text::render(project, issue).len() > 10_000)
    });
    let edition = pir::email::edition(project, issue, None).unwrap();
    let mime = median(RUNS, || {
        assert!(
            !pir::email::mime::message(project, issue, &edition, None)
                .unwrap()
                .is_empty()
        )
    });
    let whole = median(RUNS, || {
        assert_eq!(pir::email::files(project, issue, None).unwrap().len(), 5)
    });
    let rebuild = median(RUNS, || {
        assert_eq!(
            pir::email::files(project, issue, Some(out.path()))
                .unwrap()
                .len(),
            5
        )
    });

    println!(
        "Issue 2's email edition ({} KB of HTML, {} KB of text), median of {RUNS} runs",
        edition.html.len() / 1024,
        edition.text.len() / 1024
    );
    println!(
        "  baseline: the site's HTML of every piece  {:>8.2} ms",
        ms(baseline)
    );
    println!(
        "  drawings to PNG (resvg)                   {:>8.2} ms   {:.1}x baseline",
        ms(figures),
        ratio(figures, baseline)
    );
    println!(
        "  the same, reused from the last output      {:>8.2} ms   {:.1}x baseline",
        ms(reused),
        ratio(reused, baseline)
    );
    println!(
        "  email.html (render + css-inline)          {:>8.2} ms   {:.1}x baseline",
        ms(html),
        ratio(html, baseline)
    );
    println!(
        "  email.txt                                 {:>8.2} ms   {:.1}x baseline",
        ms(text),
        ratio(text, baseline)
    );
    println!(
        "  issue-2.eml (mail-builder)                {:>8.2} ms   {:.1}x baseline",
        ms(mime),
        ratio(mime, baseline)
    );
    println!(
        "  the whole edition (email::files)          {:>8.2} ms   {:.1}x baseline",
        ms(whole),
        ratio(whole, baseline)
    );
    println!(
        "  the whole edition, drawings unchanged     {:>8.2} ms   {:.1}x baseline",
        ms(rebuild),
        ratio(rebuild, baseline)
    );
}
