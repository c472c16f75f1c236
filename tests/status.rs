//! The review workflow: a piece's `status` and `reviewers`, the error for a
//! published issue that holds a piece not yet final, drafts marked in the
//! preview and `--drafts` builds, and `pir status`, whose pages are read
//! back against the PDF it describes.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// A temp copy of the repository's own project (Issue 2 and its pocket zine).
fn issue_two() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("zine.toml"), dir.path().join("zine.toml")).unwrap();
    for folder in ["issues", "pocket"] {
        copy_dir(&repo().join(folder), &dir.path().join(folder));
    }
    dir
}

/// Adds a draft issue 2 to the valid fixture: an editors' note in review, an incident still a draft.
fn add_draft_issue(root: &Path) {
    write(
        root,
        "issues/february-2021/issue.toml",
        "number = 2\ntitle = \"Second light\"\ndate = 2021-02-01\nstatus = \"draft\"\neditors = [\"A. Editor\"]\npieces = [\"note.md\", \"outage.md\"]\n",
    );
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hello again\"\nstatus = \"review\"\nreviewers = [\"Ada Reviewer\", \"Sam Second\"]\n+++\n\nAnother note, waiting for its second reader.\n",
    );
    let outage = std::fs::read_to_string(root.join("issues/january-2021/outage.md")).unwrap();
    write(
        root,
        "issues/february-2021/outage.md",
        outage.replacen("kind: incident", "kind: incident\nstatus: draft", 1),
    );
}

/// The text of one page of a PDF.
fn page_text(pdf: &Path, page: usize) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn status_on_issue_two_gives_each_piece_s_pages_as_the_pdf_has_them() {
    let dir = issue_two();
    let root = dir.path();
    let out = run(root, &["status"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "Issue 2, Learning at Home (issues/march-2020): published, 12 pages, no open warnings\n"
        ),
        "{text}"
    );
    let row = |file: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.trim_start().starts_with(file))
            .unwrap_or_else(|| panic!("no row for {file} in\n{text}"))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    let discord = row("discord.md");
    assert_eq!(&discord[1..4], ["incident", "final", "-"], "{discord:?}");
    let words: usize = discord[4].parse().unwrap();
    assert!(
        (1300..1700).contains(&words),
        "the Discord write-up has about 1,400 words: {words}"
    );
    assert_eq!(discord[5], (words.div_ceil(230)).to_string());
    assert!(
        text.contains(
            "Pocket zine, Write It Like a Documentary (pocket/prompts): published, 8 pages"
        )
    );
    // The pages it names are where the PDF has each piece.
    let (_out, public) = build_to_temp(root);
    let pdf = public.join("issues/march-2020/issue-2.pdf");
    let (json, _) = status_json(root);
    let pieces = json["issues"][0]["pieces"].as_array().unwrap();
    let mut total = 1; // the cover
    for p in pieces {
        let first = p["first_page"].as_u64().unwrap() as usize;
        let title = p["title"].as_str().unwrap().replace('\'', "\u{2019}");
        let on_page = page_text(&pdf, first);
        let head: String = title
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            on_page.contains(&head) || on_page.to_uppercase().contains(&head.to_uppercase()),
            "{title} starts on page {first}, which reads:\n{on_page}"
        );
        total += p["pages"].as_u64().unwrap() as usize;
    }
    assert_eq!(total, 12, "the pieces and the cover fill the 12 pages");
}

/// `pir status --format json`, parsed, and the exit code.
fn status_json(root: &Path) -> (Value, i32) {
    let out = run(root, &["status", "--format", "json"]);
    (
        serde_json::from_slice(&out.stdout).expect("one JSON document"),
        out.status.code().unwrap(),
    )
}

#[test]
fn a_draft_issue_shows_its_stages_reviewers_and_open_warnings() {
    let project = project("valid");
    let root = project.path();
    add_draft_issue(root);
    let (json, code) = status_json(root);
    assert_eq!(code, 0);
    assert_eq!(json["version"], 1);
    let draft = &json["issues"][0];
    assert_eq!(
        (draft["number"].as_u64(), draft["status"].as_str()),
        (Some(2), Some("draft"))
    );
    let note = &draft["pieces"][0];
    assert_eq!(note["status"], "review");
    assert_eq!(
        note["reviewers"],
        serde_json::json!(["Ada Reviewer", "Sam Second"])
    );
    assert_eq!(note["words"], 7);
    assert_eq!(
        (note["first_page"].as_u64(), note["pages"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(draft["pieces"][1]["status"], "draft");
    // The published issue is final throughout; a piece's open warnings are listed with it.
    assert_eq!(json["issues"][1]["pieces"][1]["status"], "final");
    let outage = root.join("issues/february-2021/outage.md");
    let text = std::fs::read_to_string(&outage).unwrap();
    std::fs::write(&outage, text.replace("status: draft", "status: review")).unwrap();
    let (json, _) = status_json(root);
    let warnings = &json["issues"][0]["pieces"][1]["warnings"];
    assert_eq!(warnings[0]["code"], "W806", "{json:#}");
    assert_eq!(warnings[0]["line"], 3);
    let human = String::from_utf8(run(root, &["status", "2"]).stdout).unwrap();
    assert!(human.contains("Ada Reviewer, Sam Second"), "{human}");
    assert!(
        human.contains(
            "      W806 line 3: review checklist: nobody is named to review this write-up"
        ),
        "{human}"
    );
    assert!(
        !human.contains("Issue 1"),
        "only the issue asked for: {human}"
    );
    let out = run(root, &["status", "7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no issue `7`"));
}

#[test]
fn drafts_builds_include_pieces_not_final_and_mark_them_in_print_and_on_the_site() {
    let project = project("valid");
    let root = project.path();
    add_draft_issue(root);
    let (_plain, public) = build_to_temp(root);
    assert!(
        !public.join("issues/february-2021").exists(),
        "a draft issue is left out"
    );
    let out = tempfile::tempdir().unwrap();
    let run_build = run(
        root,
        &[
            "build",
            "--drafts",
            "--output",
            out.path().join("p").to_str().unwrap(),
        ],
    );
    assert!(
        run_build.status.success(),
        "{}",
        String::from_utf8_lossy(&run_build.stderr)
    );
    let public = out.path().join("p");
    let note = std::fs::read_to_string(public.join("issues/february-2021/note.html")).unwrap();
    assert!(
        note.contains("<p class=\"stage\" role=\"note\">In review: not final yet</p>"),
        "{note}"
    );
    let outage = std::fs::read_to_string(public.join("issues/february-2021/outage.html")).unwrap();
    assert!(outage.contains(">Draft: not final yet</p>"));
    let final_piece =
        std::fs::read_to_string(public.join("issues/january-2021/outage.html")).unwrap();
    assert!(
        !final_piece.contains("class=\"stage\""),
        "a final piece carries no mark"
    );
    let pdf = public.join("issues/february-2021/issue-2.pdf");
    assert!(page_text(&pdf, 2).contains("IN REVIEW: NOT FINAL"));
    assert!(page_text(&pdf, 3).contains("DRAFT: NOT FINAL"));
}

#[test]
fn a_published_issue_with_a_piece_in_review_is_an_error_that_names_it() {
    let project = project("valid");
    let root = project.path();
    let note = root.join("issues/january-2021/note.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replacen(
            "title = \"Hello\"",
            "title = \"Hello\"\nstatus = \"review\"",
            1,
        ),
    )
    .unwrap();
    let out = run(
        root,
        &["build", "--output", root.join("out").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E110 piece-not-final")
            && stderr.contains(
                "`note.md` is in review (status = \"review\"), but its issue is published"
            ),
        "{stderr}"
    );
    assert!(!root.join("out").exists(), "nothing is published");
    // A piece without `status` is final: the fixture as it was builds.
    std::fs::write(&note, text).unwrap();
    build_to_temp(root);
}
