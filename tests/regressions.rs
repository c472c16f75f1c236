//! One test per way the first release lost or garbled what a writer wrote
//! while `pir check` said nothing (issue 11). Each builds a small project
//! with the real binary and reads the PDF (poppler) and the HTML back.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// The text of a whole PDF, whitespace folded, typographic apostrophes made plain.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    fold(&String::from_utf8(out.stdout).unwrap())
}

/// Folds whitespace and makes typographic apostrophes plain.
fn fold(text: &str) -> String {
    text.replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of an HTML page: tags dropped (block tags as spaces), the few entities pir writes decoded.
fn html_text(html: &str) -> String {
    // The site's timeline chart names each entry by its first words; the order checked is the text's.
    let without_chart;
    let html = match (html.find("<figure class=\"chart\""), html.find("</figure>")) {
        (Some(a), Some(b)) if a < b => {
            without_chart = format!("{}{}", &html[..a], &html[b + "</figure>".len()..]);
            without_chart.as_str()
        }
        _ => html,
    };
    const INLINE: &[&str] = &["a", "strong", "em", "code", "time", "span", "del", "sup"];
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let name: String = rest[open + 1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    fold(
        &out.replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'"),
    )
}

/// A copy of the valid fixture with `files` written over it.
fn project_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = project("valid");
    for (rel, body) in files {
        write(dir.path(), rel, body);
    }
    dir
}

/// Checks, then builds; panics with the diagnostics unless both succeed. Returns `public/`.
fn check_and_build(root: &Path) -> PathBuf {
    let check = run(root, &["check"]);
    assert!(
        check.status.success(),
        "check failed:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let build = run(root, &["build"]);
    assert!(
        build.status.success(),
        "check was clean but build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    root.join("public")
}

/// An incident of the valid fixture with `timeline` as its Timeline section and `extra` front matter.
fn incident(timeline: &str, extra: &str) -> String {
    format!(
        "---\nkind: incident\ntitle: \"The night the queue stood still\"\norganization: Example Co\npublished: 2021-01-10\ndate: 2021-01-09\ntimezone: Europe/Berlin\nimpact: Orders were delayed.\nkey_moments:\n  impact_start: \"23:40\"\n  detected: \"23:52\"\n  resolved: \"00:45\"\n{extra}---\n\n## Summary\n\nA queue stopped.\n\n## Timeline\n\n{timeline}\n## Analysis\n\nA lock.\n\n## Follow-ups\n\n1. Add a timeout.\n"
    )
}

const OUTAGE: &str = "issues/january-2021/outage.md";
const PDF: &str = "issues/january-2021/issue-1.pdf";
const PAGE: &str = "issues/january-2021/outage.html";

#[test]
fn prose_and_headings_between_timeline_entries_are_kept_in_place() {
    let timeline = "- [23:40] The queue stops draining.\n- [23:52] An alert pages the on-call engineer.\n\n### After midnight\n\nThe second shift arrives with coffee.\n\n- [2021-01-10 00:10] Consumers restart.\n- [00:45] The backlog is gone.\n";
    let dir = project_with(&[(OUTAGE, &incident(timeline, ""))]);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    let html = html_text(&std::fs::read_to_string(public.join(PAGE)).unwrap());
    for text in [&pdf, &html] {
        let at = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("{s:?} missing from {text}"))
        };
        assert!(at("An alert pages") < at("After midnight"));
        assert!(at("After midnight") < at("second shift arrives with coffee"));
        assert!(at("second shift arrives with coffee") < at("Consumers restart"));
    }
}

#[test]
fn footnotes_and_reference_links_inside_an_incident_are_rendered() {
    let timeline = "- [23:40] The queue stops at night,[^1] as the [runbook][rb] warned.\n- [23:52] An alert pages.\n- [2021-01-10 00:45] Done.\n\n[^1]: Just after the nightly batch.\n\n[rb]: https://runbooks.example.com/queue\n";
    let dir = project_with(&[(OUTAGE, &incident(timeline, ""))]);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    assert!(!pdf.contains("[^1]") && !pdf.contains("[rb]"), "{pdf}");
    assert!(pdf.contains("Just after the nightly batch."), "{pdf}");
    assert!(pdf.contains("https://runbooks.example.com/queue"), "{pdf}");
    let html = std::fs::read_to_string(public.join(PAGE)).unwrap();
    assert!(
        html.contains("<a href=\"https://runbooks.example.com/queue\">runbook</a>"),
        "{html}"
    );
    assert!(
        html.contains("id=\"fn-1\"") && html.contains("href=\"#fn-1\""),
        "{html}"
    );
    assert!(!html.contains("[^1]"));
}

#[test]
fn a_range_over_midnight_reads_the_same_in_the_pdf_and_on_the_site() {
    let timeline = "- [23:40] Stops.\n- [23:52] Alert.\n- [23:55 to 2021-01-10 00:30] Restarts.\n- [2021-01-10 00:45] Done.\n";
    let dir = project_with(&[(OUTAGE, &incident(timeline, ""))]);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    let html = html_text(&std::fs::read_to_string(public.join(PAGE)).unwrap());
    assert!(
        pdf.contains("23:55– Jan 10 00:30") || pdf.contains("23:55–Jan 10 00:30"),
        "{pdf}"
    );
    assert!(html.contains("23:55–Jan 10 00:30"), "{html}");
}

#[test]
fn a_mention_is_replaced_where_it_is_not_in_an_email_address_before_it() {
    let cast = "cast:\n  - id: db\n    name: The database\n";
    let timeline = "- [23:40] Mail from ops@db.example.com wakes @db.\n- [23:52] Alert.\n- [2021-01-10 00:45] Done.\n";
    let dir = project_with(&[(OUTAGE, &incident(timeline, cast))]);
    let public = check_and_build(dir.path());
    for text in [
        pdf_text(&public.join(PDF)),
        html_text(&std::fs::read_to_string(public.join(PAGE)).unwrap()),
    ] {
        assert!(
            text.contains("Mail from ops@db.example.com wakes The database."),
            "{text}"
        );
    }
}

#[test]
fn overlapping_cast_ids_with_non_ascii_names_do_not_panic() {
    let cast = "cast:\n  - id: db\n    name: €uro DB\n  - id: dba\n    name: The DBA\n";
    let timeline = "- [23:40] Stops.\n- [23:52] @dba pings @db.\n- [2021-01-10 00:45] Done.\n";
    let dir = project_with(&[(OUTAGE, &incident(timeline, cast))]);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    assert!(pdf.contains("The DBA pings €uro DB."), "{pdf}");
}

#[test]
fn two_pieces_with_footnote_one_link_each_note_to_its_own_text_on_the_issue_page() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nThe note's claim.[^1]\n\n[^1]: The note's source.\n";
    let timeline = "- [23:40] Stops.[^1]\n- [23:52] Alert.\n- [2021-01-10 00:45] Done.\n\n[^1]: The outage's source.\n";
    let dir = project_with(&[
        ("issues/january-2021/note.md", note),
        (OUTAGE, &incident(timeline, "")),
    ]);
    let public = check_and_build(dir.path());
    let html = std::fs::read_to_string(public.join("issues/january-2021/index.html")).unwrap();
    let ids: Vec<&str> = html
        .split("id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    let note_def = html
        .find("id=\"note-fn-1\"")
        .expect("the note's footnote is prefixed by its piece");
    let outage_def = html
        .find("id=\"outage-fn-1\"")
        .expect("the outage's footnote is prefixed by its piece");
    assert!(
        html[note_def..].starts_with("id=\"note-fn-1\"><p>The note’s source."),
        "{}",
        &html[note_def..note_def + 80]
    );
    assert!(html[outage_def..].starts_with("id=\"outage-fn-1\"><p>The outage’s source."));
}

#[test]
fn repeated_emoji_and_template_colliding_headings_get_unique_nonempty_ids() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\n## Notes\n\nOne.\n\n## Notes\n\nTwo.\n\n## ∞\n\nThree.\n\n## Title\n\nFour.\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    let public = check_and_build(dir.path());
    for page in [
        "issues/january-2021/index.html",
        "issues/january-2021/note.html",
    ] {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let ids: Vec<&str> = html
            .split("id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(ids.iter().all(|id| !id.is_empty()), "{page}: {ids:?}");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{page}: duplicate ids {ids:?}");
    }
}

#[test]
fn links_between_pieces_resolve_to_pages_on_the_site_and_page_numbers_in_the_pdf() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nRead [the outage](outage.md) and [its timeline](outage.md#timeline).\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    let public = check_and_build(dir.path());
    let html = std::fs::read_to_string(public.join("issues/january-2021/note.html")).unwrap();
    assert!(
        html.contains("<a href=\"outage.html\">the outage</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"outage.html#timeline\">its timeline</a>"),
        "{html}"
    );
    let pdf = pdf_text(&public.join(PDF));
    assert!(
        pdf.contains("Read the outage (see page 3) and its timeline (see page 3)."),
        "{pdf}"
    );
}

#[test]
fn long_code_and_urls_stay_inside_the_printed_page() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nThe client `com.example.payments.gateway.internal.RetryingHttpClientFactoryImpl` retried against https://status.example.com/incidents/2021/01/09/queue-consumers-stalled-after-lock-contention/details for an hour.\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    let public = check_and_build(dir.path());
    let pdf = public.join(PDF);
    let out = Command::new("pdftotext")
        .args(["-bbox"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let bbox = String::from_utf8(out.stdout).unwrap();
    let page_width: f64 = 5.5 * 72.0;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let x_max: f64 = line
            .split("xMax=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        // Typst lets punctuation hang a little into the margin; a token running off is far more.
        assert!(
            x_max <= page_width - 0.5 * 72.0 + 4.0,
            "text crosses the right margin: {line}"
        );
    }
    let text = pdf_text(&pdf).replace(' ', "");
    assert!(
        text.contains("com.example.payments.gateway.internal.RetryingHttpClientFactoryImpl"),
        "{text}"
    );
}

#[test]
fn hyphenated_machine_names_are_not_broken_at_their_own_hyphens() {
    let words = "word ".repeat(40);
    let note = format!(
        "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\n{words} the node api-prd-main-m1ds failed {words} and api-prd-main-m2ds too {words} and api-prd-main-m3ds.\n"
    );
    let dir = project_with(&[("issues/january-2021/note.md", &note)]);
    let public = check_and_build(dir.path());
    let raw = String::from_utf8(
        Command::new("pdftotext")
            .arg("-raw")
            .arg(public.join(PDF))
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for name in [
        "api-prd-main-m1ds",
        "api-prd-main-m2ds",
        "api-prd-main-m3ds",
    ] {
        assert!(
            raw.lines().any(|l| l.contains(name)),
            "{name} was split across lines:\n{raw}"
        );
    }
}

#[test]
fn raw_angle_brackets_show_the_same_text_in_the_pdf_and_on_the_site() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nThe map was a Map<String, List<Order>> all along.\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    // W501 warns, but check has no errors and the build succeeds.
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    let html =
        html_text(&std::fs::read_to_string(public.join("issues/january-2021/note.html")).unwrap());
    for text in [pdf, html] {
        assert!(text.contains("Map<String, List<Order>>"), "{text}");
    }
}

#[test]
fn pocket_pieces_are_checked_for_links_and_images() {
    let pocket = "title = \"Tiny\"\ndate = 2021-01-05\npieces = [\"page.md\"]\n";
    let page = "+++\nkind = \"feature\"\ntitle = \"Page\"\n+++\n\n[Click](javascript:alert(1)) and ![host](../../../etc/hostname)\n";
    let dir = project_with(&[
        ("pocket/tiny/pocket.toml", pocket),
        ("pocket/tiny/page.md", page),
    ]);
    let (found, code) = check_json(dir.path());
    assert_eq!(code, 1);
    let codes: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert!(
        codes.contains(&"E008") && codes.contains(&"E402"),
        "{found:?}"
    );
}

#[test]
fn a_project_font_for_another_script_clears_the_check_and_reaches_the_pdf() {
    let note =
        "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nThe greeting is สวัสดี in Thai.\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    let (found, code) = check_json(dir.path());
    assert_eq!(
        (found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), code),
        (vec!["E507"], 1)
    );
    let font = std::fs::read(fixture("fonts/NotoSansThai-Regular.ttf")).unwrap();
    write(dir.path(), "fonts/NotoSansThai-Regular.ttf", font);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    assert!(pdf.contains("สวัสดี"), "{pdf}");
    let fonts = String::from_utf8(
        Command::new("pdffonts")
            .arg(public.join(PDF))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(fonts.contains("NotoSansThai"), "{fonts}");
}

#[test]
fn symbols_reports_use_print_with_the_fallback_font() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nChecks: ✔ done, ✘ failed, ⚠ warned, ▶ next → Ελληνικά кириллица. Peace is שלום here.\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    assert!(
        pdf.contains("✔ done, ✘ failed, ⚠ warned, ▶ next → Ελληνικά кириллица."),
        "{pdf}"
    );
    // Right-to-left text in a left-to-right piece keeps its characters (pdftotext may give visual order).
    assert!(pdf.contains("שלום") || pdf.contains("םולש"), "{pdf}");
}

#[test]
fn a_typst_error_in_a_piece_points_at_its_markdown_line() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\n+++\n\nA drawing:\n\n![A broken drawing](broken.png)\n";
    let dir = project_with(&[
        ("issues/january-2021/note.md", note),
        ("issues/january-2021/broken.png", "this is not a PNG"),
    ]);
    let out = run(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("E601") && stderr.contains("issues/january-2021/note.md:8"),
        "{stderr}"
    );
}

#[test]
fn an_arabic_title_with_a_right_to_left_mark_keeps_its_letters() {
    let note = "+++\nkind = \"editors-note\"\ntitle = \"\u{200F}مرحبا بالعالم\"\n+++\n\nA note with عربي inside.\n";
    let dir = project_with(&[("issues/january-2021/note.md", note)]);
    let public = check_and_build(dir.path());
    let pdf = pdf_text(&public.join(PDF));
    // pdftotext gives right-to-left runs in its own order and with direction marks: compare the letters.
    let letters = |s: &str| {
        let mut v: Vec<char> = s
            .chars()
            .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    // The title is printed twice (contents and heading); every letter must be there.
    let want = letters("مرحبا بالعالم عربي");
    let got = letters(&pdf);
    assert_eq!(got, want, "{pdf}");
    let html = std::fs::read_to_string(public.join("issues/january-2021/note.html")).unwrap();
    assert!(
        html.contains("\u{200F}مرحبا بالعالم"),
        "the site keeps the title as written"
    );
}
