//! The built site in a real browser and a real validator: headless Chromium
//! (through tests/browser/check-site.mjs, and check-email.mjs for the email
//! edition) and the Nu HTML Checker (vnu.jar), which also reads email.html.
//!
//! `.ci/run` installs Chromium, Java and the npm packages and sets
//! PIR_REQUIRE_BROWSER=1, so in CI these tests always run. Elsewhere they
//! say what is missing and pass, so that `cargo test` works on a machine
//! without a browser.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// What the tools need, or why they cannot run here.
fn tools() -> Result<PathBuf, String> {
    let dir = repo().join("tests/browser");
    let missing = |what: &str| {
        Err(format!(
            "{what} is missing: run `npm install --prefix tests/browser` and install chromium and java (.ci/run does)"
        ))
    };
    if !dir.join("node_modules/playwright-core").is_dir()
        || !dir.join("node_modules/vnu-jar").is_dir()
        || !dir.join("node_modules/axe-core").is_dir()
    {
        return missing("tests/browser/node_modules");
    }
    if !Path::new(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
        .exists()
    {
        return missing("chromium");
    }
    if Command::new("java").arg("-version").output().is_err() {
        return missing("java");
    }
    Ok(dir)
}

/// Runs the test body when the tools are there; fails in CI when they are not.
fn with_tools(body: impl FnOnce(&Path, &Path)) {
    let dir = match tools() {
        Ok(d) => d,
        Err(why) if std::env::var_os("PIR_REQUIRE_BROWSER").is_some() => panic!("{why}"),
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let (_out, public) = build_to_temp(&repo());
    body(&dir, &public);
}

#[test]
fn every_page_loads_in_chromium_without_errors() {
    with_tools(|dir, public| {
        let shots = repo().join("target/screenshots");
        let out = Command::new("node")
            .arg(dir.join("check-site.mjs"))
            .arg(public)
            .arg(&shots)
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{report}");
        assert!(report.contains("pages loaded in Chromium"), "{report}");
        for shot in [
            "home-phone.png",
            "home-desktop.png",
            "issue-phone.png",
            "issue-desktop.png",
        ] {
            assert!(
                shots.join(shot).metadata().unwrap().len() > 10_000,
                "{shot} is empty"
            );
        }
    });
}

#[test]
fn long_urls_and_code_do_not_make_a_phone_scroll_sideways() {
    with_tools(|dir, _| {
        let table = "| Service | Endpoint | Owner | Runbook |\n| --- | --- | --- | --- |\n| payments-gateway-internal | https://payments.example.com/v2/internal/retrying-http-client | team-payments-platform | https://runbooks.example.com/payments/gateway/retries |\n";
        let project = project("valid");
        let long = "The client `com.example.payments.gateway.internal.RetryingHttpClientFactoryImpl` called https://status.example.com/incidents/2021/01/09/queue-consumers-stalled-after-lock-contention/details and [this report](https://example.com/a/very/long/path/that/never/ends/with/a/slash/at/all/really).";
        write(
            project.path(),
            "issues/january-2021/note.md",
            format!(
                "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\ncredit = \"From https://example.com/postmortems/2021/an-extremely-long-credit-line-url-that-goes-on\"\n+++\n\n{long}\n\n{table}\n"
            ),
        );
        let (out, public) = build_to_temp(project.path());
        let shots = out.path().join("shots");
        let run = Command::new("node")
            .arg(dir.join("check-site.mjs"))
            .arg(&public)
            .arg(&shots)
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(run.status.success(), "{report}");
        // The same with a 32 px default font: code, URLs and the table still wrap.
        run_script(dir, "check-layout.mjs", &public);
    });
}

/// Runs a script of tests/browser on the built site; returns its report, failing when it does.
fn run_script(dir: &Path, script: &str, public: &Path) -> String {
    let out = Command::new("node")
        .arg(dir.join(script))
        .arg(public)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    eprintln!("{report}");
    report
}

#[test]
fn the_chart_reads_on_a_phone_and_no_page_scrolls_sideways_with_large_text() {
    with_tools(|dir, public| {
        // check-layout.mjs fails when chart text is under 12 px at 390 px, when it does not
        // grow with a 32 px default font, or when a page scrolls sideways at either size.
        let report = run_script(dir, "check-layout.mjs", public);
        let chart = report
            .lines()
            .find(|l| l.starts_with("chart issues/march-2020/discord.html "))
            .unwrap_or_else(|| panic!("no chart measured on the Discord page: {report}"));
        let sizes: Vec<f64> = chart
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        assert!(
            sizes.len() == 2 && sizes[0] >= 12.0 && sizes[1] > sizes[0],
            "{chart}"
        );
        assert!(report.contains("pages read at 390 px"), "{report}");
    });
}

#[test]
fn axe_core_finds_no_violation_on_any_page_at_either_width_light_or_dark() {
    with_tools(|dir, public| {
        let report = run_script(dir, "check-a11y.mjs", public);
        assert!(
            report.contains("x 4 views (390 and 1280 px, light and dark): 0 axe-core violations"),
            "{report}"
        );
    });
}

#[test]
fn the_nu_html_checker_finds_no_errors() {
    with_tools(|dir, public| {
        let jar = dir.join("node_modules/vnu-jar/build/dist/vnu.jar");
        let out = Command::new("java")
            .arg("-jar")
            .arg(jar)
            .args(["--errors-only", "--skip-non-html"])
            .arg(public)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "vnu found errors:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

#[test]
fn the_email_edition_renders_at_phone_and_column_widths_without_sideways_scrolling() {
    with_tools(|dir, public| {
        let shots = repo().join("target/screenshots");
        let out = Command::new("node")
            .arg(dir.join("check-email.mjs"))
            .arg(public)
            .args(["march-2020", "https://zine.incidentlabs.io"])
            .arg(&shots)
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{report}");
        assert!(
            report.contains("375px: 2 images, 375 px wide")
                && report.contains("600px: 2 images, 600 px wide"),
            "{report}"
        );
        for shot in ["email-375.png", "email-600.png"] {
            assert!(
                shots.join(shot).metadata().unwrap().len() > 10_000,
                "{shot} is empty"
            );
        }
    });
}

#[test]
fn a_first_visit_stays_light_with_subset_woff2_fonts() {
    with_tools(|dir, public| {
        let out = Command::new("node")
            .arg(dir.join("check-weight.mjs"))
            .arg(public)
            .args(["index.html=150", "issues/march-2020/discord.html=250"])
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{report}");
        eprintln!("{report}");
        assert!(
            report.contains("weight index.html")
                && report.contains("weight issues/march-2020/discord.html"),
            "{report}"
        );
        // Story first on a phone: the Summary's first line was 2,527 px down, under every fact and
        // the cast, then 1,042 px; it must be on the first screen of a 390 x 844 phone.
        let y: u32 = report
            .lines()
            .find(|l| l.starts_with("weight issues/march-2020/discord.html"))
            .and_then(|l| l.split("at y=").nth(1))
            .and_then(|y| y.trim().parse().ok())
            .unwrap();
        assert!(
            y < 844,
            "the Summary starts at y={y}, below the first screen of a 390 x 844 phone"
        );
        // Every font is a hashed WOFF2 subset with its licence beside it; no raw TTF/OTF ships.
        let fonts: Vec<_> = walk(&public.join("fonts"))
            .into_iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert!(
            fonts
                .iter()
                .all(|f| f.ends_with(".woff2") || f.ends_with("/LICENSE")),
            "{fonts:?}"
        );
        assert!(
            fonts
                .iter()
                .any(|f| f.contains("CharisSIL-Regular.") && f.ends_with(".woff2")),
            "{fonts:?}"
        );
        assert!(
            fonts.iter().any(|f| f.ends_with("charis-sil/LICENSE")),
            "{fonts:?}"
        );
    });
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() { walk(&p) } else { vec![p] }
        })
        .collect()
}

#[test]
fn printing_a_page_wastes_no_sheet_on_the_masthead_alone() {
    with_tools(|dir, public| {
        let out = tempfile::tempdir().unwrap();
        let run = Command::new("node")
            .arg(dir.join("check-print.mjs"))
            .arg(public)
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        let pdfs = walk(out.path());
        assert!(pdfs.len() >= 10, "{pdfs:?}");
        // The masthead appears on the first sheet only: that sheet must start the content, with the page's title.
        for pdf in &pdfs {
            let page = pdf
                .file_stem()
                .unwrap()
                .to_str()
                .unwrap()
                .replace("__", "/")
                + ".html";
            let html = std::fs::read_to_string(public.join(&page)).unwrap();
            let html = html.strip_prefix("<!DOCTYPE html>").unwrap();
            let doc = roxmltree::Document::parse(html).unwrap();
            let h1 = doc.descendants().find(|n| n.has_tag_name("h1")).unwrap();
            let title: String = h1
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let text = Command::new("pdftotext")
                .args(["-f", "1", "-l", "1"])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            let first = String::from_utf8_lossy(&text.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                first.to_lowercase().contains(&title.to_lowercase()),
                "{page} prints a first sheet without its title {title:?}: {first:?}"
            );
        }
        // The printing page prints its table of print files.
        let printing = out.path().join("printing__index.pdf");
        let text = Command::new("pdftotext")
            .arg(&printing)
            .arg("-")
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&text.stdout).contains("issue-2-print-letter-short-"),
            "the print files table"
        );
    });
}

#[test]
fn every_published_data_file_is_valid_against_its_schema() {
    with_tools(|dir, public| {
        let out = Command::new("node")
            .arg(dir.join("check-data.mjs"))
            .arg(public)
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{report}");
        assert!(report.contains("2 data files valid"), "{report}");
        // The schemas the files name are published where they say.
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(public.join("incidents.json")).unwrap()).unwrap();
        assert_eq!(
            index["$schema"],
            "https://zine.incidentlabs.io/schemas/incidents-v1.schema.json"
        );
        assert!(
            public.join("schemas/incidents-v1.schema.json").is_file()
                && public.join("schemas/incident-v1.schema.json").is_file()
        );
        assert_eq!(
            index["incidents"][0]["metrics"]["impact_duration_minutes"],
            73
        );
    });
}
