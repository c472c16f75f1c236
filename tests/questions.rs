//! Reflection questions (`questions` in a piece's front matter): every
//! output holds each question as written, the PDF gives them ruled lines
//! within the piece's own pages (Issue 2 keeps its 12), and the data files
//! carry them.

mod common;

use std::path::Path;

use common::*;

/// A temp copy of the repository's own project (Issue 2 and its pocket zine).
fn issue_two() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("zine.toml"), dir.path().join("zine.toml")).unwrap();
    for folder in ["issues", "pocket"] {
        copy_dir(&repo().join(folder), &dir.path().join(folder));
    }
    dir
}

/// The text of a PDF (or of some of its pages), its words joined by single spaces.
fn pdf_words(pdf: &Path, pages: Option<(usize, usize)>) -> String {
    let mut cmd = std::process::Command::new("pdftotext");
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words joined by single spaces, with typographic apostrophes.
fn words(text: &str) -> String {
    text.replace('\'', "\u{2019}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Discord write-up's questions, as its front matter writes them.
fn discord_questions(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("issues/march-2020/discord.md")).unwrap();
    let front = text.split("+++").nth(1).unwrap();
    let table: toml::Table = toml::from_str(front).unwrap();
    table["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_discord_write_up_asks_three_questions_in_every_output() {
    let dir = issue_two();
    let root = dir.path();
    let questions = discord_questions(root);
    assert_eq!(questions.len(), 3);
    let (_out, public) = build_to_temp(root);
    let issue = public.join("issues/march-2020");
    // The reading PDF: after the action items, on the write-up's last page, and still 12 pages.
    let pdf = issue.join("issue-2.pdf");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("Pages:           12"));
    let page7 = pdf_words(&pdf, Some((7, 7)));
    let action = page7
        .find("Action items")
        .expect("the action items are on page 7");
    let heading = page7
        .find("Questions to discuss")
        .expect("the questions follow them");
    assert!(action < heading, "{page7}");
    for (i, q) in questions.iter().enumerate() {
        assert!(
            page7.contains(&format!("{}. {}", i + 1, words(q))),
            "question {} not on page 7: {page7}",
            i + 1
        );
    }
    for print in [
        "issue-2-print-letter-short-edge.pdf",
        "issue-2-print-a4-long-edge.pdf",
    ] {
        let text = pdf_words(&issue.join(print), None);
        assert!(
            questions.iter().all(|q| text.contains(&words(q))),
            "{print}"
        );
    }
    // The site (piece page and issue page), the email edition, the feed and the data.
    let piece = std::fs::read_to_string(issue.join("discord.html")).unwrap();
    assert!(piece.contains("<section class=\"questions\" aria-labelledby=\"discord-questions\">"));
    let files = [
        issue.join("discord.html"),
        issue.join("index.html"),
        issue.join("email.html"),
        issue.join("email.txt"),
        public.join("feed.xml"),
    ];
    for file in &files {
        let text = words(
            &std::fs::read_to_string(file)
                .unwrap()
                .replace("&#x27;", "'"),
        );
        for q in &questions {
            let first = words(q).split(' ').take(6).collect::<Vec<_>>().join(" ");
            assert!(text.contains(&first), "{} lacks {first:?}", file.display());
        }
    }
    let incident: serde_json::Value =
        serde_json::from_slice(&std::fs::read(issue.join("discord.json")).unwrap()).unwrap();
    assert_eq!(incident["questions"], serde_json::json!(questions));
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("incidents.json")).unwrap()).unwrap();
    assert_eq!(
        index["incidents"][0]["questions"],
        serde_json::json!(questions)
    );
}

#[test]
fn a_piece_without_questions_gets_no_section_and_an_empty_question_is_an_error() {
    let project = project("valid");
    let root = project.path();
    let (_out, public) = build_to_temp(root);
    let page = std::fs::read_to_string(public.join("issues/january-2021/outage.html")).unwrap();
    assert!(!page.contains("class=\"questions\""));
    let incident: serde_json::Value = serde_json::from_slice(
        &std::fs::read(public.join("issues/january-2021/outage.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(incident["questions"], serde_json::json!([]));
    let outage = root.join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&outage).unwrap();
    std::fs::write(
        &outage,
        text.replacen(
            "kind: incident",
            "kind: incident\nquestions: [\"What did you expect?\", \"  \"]",
            1,
        ),
    )
    .unwrap();
    let (found, code) = check_json(root);
    assert_eq!(code, 1);
    assert!(
        found.iter().any(|f| f.0 == "E007" && f.2 == Some(3)),
        "{found:?}"
    );
}

#[test]
fn a_note_s_questions_print_at_its_end_and_it_keeps_its_page() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hello\"\nquestions = [\"Which incident taught you the most?\", \"Who would you give this issue to?\"]\n+++\n\nA short note to open the issue.\n",
    );
    let (_out, public) = build_to_temp(root);
    let pdf = public.join("issues/january-2021/issue-1.pdf");
    let page = pdf_words(&pdf, Some((2, 2)));
    assert!(page.contains("Questions to discuss 1. Which incident taught you the most? 2. Who would you give this issue to?"), "{page}");
    // The note's page stays its own: the outage still starts on page 3.
    assert!(pdf_words(&pdf, Some((3, 3))).contains("The night the queue stood still"));
    let text = std::fs::read_to_string(public.join("issues/january-2021/email.txt")).unwrap();
    assert!(text.contains("Questions to discuss\n\n1. Which incident taught you the most?\n2. Who would you give this issue to?\n"), "{text}");
}
