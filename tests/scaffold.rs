//! `pir new` for every kind of piece and for pocket zines: each skeleton is
//! listed where it goes, passes `pir check` with its example text reported
//! (W801) and builds; replacing the examples clears the warnings.

mod common;

use common::*;

/// The W801 warnings and any error of `pir check`, by file.
fn unfinished(root: &std::path::Path) -> (Vec<Found>, i32) {
    let (found, code) = check_json(root);
    (
        found
            .into_iter()
            .filter(|f| !f.0.starts_with('H'))
            .collect(),
        code,
    )
}

#[test]
fn every_kind_has_a_scaffold_that_passes_check_with_its_examples_reported() {
    let project = project("valid");
    let root = project.path();
    let kinds = [
        "back-cover",
        "feature",
        "etcetera",
        "illustration",
        "cover",
        "worksheet",
        "editors-note",
    ];
    for kind in kinds {
        let out = run(root, &["new", kind, "january-2021", &format!("new-{kind}")]);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Each is listed, and the back cover written first stays last.
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    assert!(
        toml.contains("pieces = [\"note.md\", \"outage.md\", \"new-feature.md\", \"new-etcetera.md\", \"new-illustration.md\", \"new-cover.md\", \"new-worksheet.md\", \"new-editors-note.md\", \"new-back-cover.md\"]"),
        "{toml}"
    );
    assert!(
        root.join("issues/january-2021/new-illustration.svg")
            .is_file(),
        "the drawing to replace"
    );
    let (found, code) = unfinished(root);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        found.iter().all(|f| f.0 == "W801"),
        "only example text is reported: {found:?}"
    );
    for kind in kinds {
        let file = format!("issues/january-2021/new-{kind}.md");
        assert!(
            found.iter().any(|f| f.1 == file),
            "no W801 for {file}: {found:?}"
        );
    }
    let illustration: Vec<u64> = found
        .iter()
        .filter(|f| f.1 == "issues/january-2021/new-illustration.md")
        .filter_map(|f| f.2)
        .collect();
    // The title, summary, drawing and alt text, and the body's passage.
    assert_eq!(illustration, [3, 4, 5, 6, 14], "{found:?}");
    build_to_temp(root);
}

#[test]
fn replacing_the_examples_clears_the_warnings() {
    let project = project("valid");
    let root = project.path();
    assert!(
        run(
            root,
            &[
                "new",
                "feature",
                "january-2021",
                "essay",
                "--title",
                "On \"blame\""
            ]
        )
        .status
        .success()
    );
    let path = root.join("issues/january-2021/essay.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title = 'On \"blame\"'"),
        "the title is quoted: {text}"
    );
    let (found, _) = unfinished(root);
    assert_eq!(
        found.iter().filter(|f| f.1.ends_with("essay.md")).count(),
        2,
        "summary and body: {found:?}"
    );
    let body_at = text.find("Open with the moment").unwrap();
    let mine = text[..body_at].replace(
        "One sentence on what this essay argues, for the site and the feed.",
        "Why a review that names nobody learns more.",
    ) + "We stopped asking who, and started asking how.\n";
    std::fs::write(&path, mine).unwrap();
    let (found, code) = unfinished(root);
    assert_eq!((found.clone(), code), (Vec::new(), 0), "{found:?}");
    // pir new never overwrites.
    let out = run(root, &["new", "feature", "january-2021", "essay"]);
    assert!(!out.status.success());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("We stopped asking who")
    );
}

#[test]
fn a_pocket_zine_scaffold_builds_on_one_sheet_and_takes_pocket_pages() {
    let project = project("valid");
    let root = project.path();
    let out = run(
        root,
        &[
            "new",
            "pocket",
            "field-guide",
            "--title",
            "A field guide",
            "--date",
            "2021-02-01",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = std::fs::read_to_string(root.join("pocket/field-guide/pocket.toml")).unwrap();
    assert!(
        toml.contains("title = \"A field guide\"\ndate = 2021-02-01\n"),
        "{toml}"
    );
    let (found, code) = unfinished(root);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| f.0 == "W801" && f.1.starts_with("pocket/field-guide/")),
        "{found:?}"
    );
    for page in [
        "pocket.toml",
        "cover.md",
        "page.md",
        "worksheet.md",
        "back.md",
    ] {
        assert!(
            found.iter().any(|f| f.1.ends_with(page)),
            "no W801 for {page}: {found:?}"
        );
    }
    // A page added later goes before the back; a kind with no room on a pocket page is refused.
    assert!(
        run(root, &["new", "worksheet", "pocket/field-guide", "second"])
            .status
            .success()
    );
    let toml = std::fs::read_to_string(root.join("pocket/field-guide/pocket.toml")).unwrap();
    assert!(
        toml.contains("\"worksheet.md\", \"second.md\", \"back.md\"]"),
        "{toml}"
    );
    let out = run(root, &["new", "illustration", "field-guide", "drawing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("an illustration cannot go in pocket/field-guide")
    );
    let out = run(root, &["new", "feature", "nowhere", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("there is no issue or pocket zine `nowhere`")
    );
    for n in 0..3 {
        assert!(
            run(root, &["new", "feature", "field-guide", &format!("p{n}")])
                .status
                .success()
        );
    }
    let out = run(root, &["new", "feature", "field-guide", "ninth"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already has 8 pages"),
        "{out:?}"
    );
    let (_dir, public) = build_to_temp(root);
    assert!(
        public
            .join("pocket/field-guide/field-guide-print-letter.pdf")
            .is_file()
    );
}
