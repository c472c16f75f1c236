//! Incremental builds: each kind of input change typesets exactly the
//! documents that depend on it, and nothing is ever stale.

mod common;

use std::path::Path;

use common::*;

/// Builds the project into its public/ (reusing the previous output) and
/// returns what was typeset, sorted.
fn build(root: &Path, force: bool) -> Vec<String> {
    let mut report = pir::check::check(root);
    assert!(!report.has_errors(), "the project must check clean");
    let out = root.join("public");
    let options = pir::build::Options {
        previous: Some(out.clone()),
        force,
        ..Default::default()
    };
    let mut built = pir::build::build(&mut report, &options).expect("builds");
    pir::build::publish(&out, &mut built).unwrap();
    let mut typeset = built.typeset;
    typeset.sort();
    typeset
}

/// The valid fixture plus a second issue and a pocket zine.
fn archive() -> tempfile::TempDir {
    let project = project("valid");
    let root = project.path();
    add_second_issue(root);
    write(
        root,
        "pocket/mini/pocket.toml",
        "title = \"Mini\"\ndate = 2021-01-01\npieces = [\"cover.md\"]\n",
    );
    write(
        root,
        "pocket/mini/cover.md",
        "+++\nkind = \"cover\"\ntitle = \"Mini\"\n+++\n\nSmall.\n",
    );
    project
}

const ALL: [&str; 5] = [
    "issues/february-2021",
    "issues/january-2021",
    "pocket/mini",
    "printer-test",
    "printing",
];

#[test]
fn each_input_change_typesets_exactly_what_depends_on_it() {
    let project = archive();
    let root = project.path();
    assert_eq!(
        build(root, false),
        ALL,
        "the first build typesets everything"
    );
    assert_eq!(
        build(root, false),
        Vec::<String>::new(),
        "no change, nothing typeset"
    );

    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        note.replace("A short note", "An edited note"),
    );
    assert_eq!(
        build(root, false),
        ["issues/january-2021"],
        "a piece: its issue"
    );

    let toml = std::fs::read_to_string(root.join("issues/february-2021/issue.toml")).unwrap();
    write(
        root,
        "issues/february-2021/issue.toml",
        toml.replace("Second light", "Second sight"),
    );
    // The printing page lists every issue by title, so a new title shows there too.
    assert_eq!(
        build(root, false),
        ["issues/february-2021", "printing"],
        "issue settings: that issue"
    );

    write(
        root,
        "issues/january-2021/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        format!("{note}\n![A small chart](chart.svg)\n"),
    );
    assert_eq!(build(root, false), ["issues/january-2021"]);
    write(
        root,
        "issues/january-2021/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\"/>",
    );
    assert_eq!(
        build(root, false),
        ["issues/january-2021"],
        "an image: the issue that shows it"
    );

    let template = std::fs::read_to_string(repo().join("templates/zine.typ")).unwrap();
    let import = "#import \"theme.typ\": *";
    assert!(
        template.contains(import),
        "the template changed; pick another line"
    );
    write(
        root,
        "templates/zine.typ",
        template.replace(import, &format!("{import}\n#let quiet = luma(60)")),
    );
    assert_eq!(
        build(root, false),
        ["issues/february-2021", "issues/january-2021"],
        "the issue template: every issue"
    );

    let pocket = std::fs::read_to_string(repo().join("templates/pocket.typ")).unwrap();
    write(
        root,
        "templates/pocket.typ",
        pocket.replace(import, &format!("{import}\n#let quiet = luma(60)")),
    );
    assert_eq!(
        build(root, false),
        ["pocket/mini"],
        "the pocket template: the pocket zines"
    );

    let theme = std::fs::read_to_string(repo().join("templates/theme.typ")).unwrap();
    write(
        root,
        "templates/theme.typ",
        theme.replace("#let quiet = luma(85)", "#let quiet = luma(70)"),
    );
    assert_eq!(
        build(root, false),
        ALL,
        "the theme: every document, the printer test sheet too"
    );

    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(
        root,
        "zine.toml",
        zine.replace("A small zine for pir's tests.", "A small zine, renamed."),
    );
    assert_eq!(
        build(root, false),
        ALL,
        "site settings: everything that shows them"
    );

    std::fs::create_dir_all(root.join("fonts")).unwrap();
    std::fs::copy(
        repo().join("fonts/jetbrains-mono/JetBrainsMono-Bold.ttf"),
        root.join("fonts/Extra.ttf"),
    )
    .unwrap();
    // A font file identical to an embedded one changes nothing Typst sees, but it is an input: rebuild.
    assert_eq!(build(root, false), ALL, "a font: everything");

    assert_eq!(build(root, true), ALL, "--force: everything");
}

#[test]
fn outputs_of_removed_sources_disappear_and_unchanged_ones_are_byte_identical() {
    let project = archive();
    let root = project.path();
    build(root, false);
    let january = std::fs::read(root.join("public/issues/january-2021/issue-1.pdf")).unwrap();
    assert!(
        root.join("public/issues/february-2021/issue-2.pdf")
            .exists()
    );
    std::fs::remove_dir_all(root.join("issues/february-2021")).unwrap();
    let typeset = build(root, false);
    assert!(!typeset.contains(&"issues/january-2021".to_string()));
    assert!(
        !root.join("public/issues/february-2021").exists(),
        "the removed issue's outputs are gone"
    );
    assert_eq!(
        std::fs::read(root.join("public/issues/january-2021/issue-1.pdf")).unwrap(),
        january,
        "reused as it was"
    );
    // A reused document is exactly what a full build makes.
    build(root, true);
    assert_eq!(
        std::fs::read(root.join("public/issues/january-2021/issue-1.pdf")).unwrap(),
        january
    );
}

#[test]
fn a_tampered_output_is_rebuilt_not_trusted() {
    let project = archive();
    let root = project.path();
    build(root, false);
    std::fs::remove_file(root.join("public/pocket/mini/mini-print-letter.pdf")).unwrap();
    assert_eq!(
        build(root, false),
        ["pocket/mini"],
        "a missing output file: its document again"
    );
    assert!(
        root.join("public/pocket/mini/mini-print-letter.pdf")
            .exists()
    );
    // An output changed by hand (same name, other bytes) is not trusted either.
    let pdf = root.join("public/issues/january-2021/issue-1.pdf");
    let good = std::fs::read(&pdf).unwrap();
    std::fs::write(&pdf, b"%PDF-1.7 tampered").unwrap();
    assert_eq!(
        build(root, false),
        ["issues/january-2021"],
        "a changed output file: its document again"
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "the rebuilt file is the one the sources make"
    );
}

/// The built-in issue template, changed to show `/templates/mark.svg` on the cover.
fn template_with_a_mark() -> String {
    let template = std::fs::read_to_string(repo().join("templates/zine.typ")).unwrap();
    let line = "  set par(justify: true, leading: 0.58em, spacing: 0.85em)\n";
    assert!(
        template.contains(line),
        "the template changed; pick another line"
    );
    template.replace(line, &format!("{line}  place(top + right, image(\"/templates/mark.svg\", width: 1cm, alt: \"The zine's mark\"))\n"))
}

#[test]
fn a_file_only_a_template_reads_rebuilds_what_read_it() {
    let project = archive();
    let root = project.path();
    write(root, "templates/zine.typ", template_with_a_mark());
    write(
        root,
        "templates/mark.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    assert_eq!(build(root, false), ALL);
    assert_eq!(build(root, false), Vec::<String>::new());
    let before = std::fs::read(root.join("public/issues/january-2021/issue-1.pdf")).unwrap();
    write(
        root,
        "templates/mark.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg>",
    );
    // Only Typst knows the issue template reads the mark; the pocket zine and printing page do not.
    assert_eq!(
        build(root, false),
        ["issues/february-2021", "issues/january-2021"],
        "the mark: the documents that show it"
    );
    assert_ne!(
        std::fs::read(root.join("public/issues/january-2021/issue-1.pdf")).unwrap(),
        before,
        "the new mark is in the PDF"
    );
    std::fs::remove_file(root.join("templates/mark.svg")).unwrap();
    let mut report = pir::check::check(root);
    let options = pir::build::Options {
        previous: Some(root.join("public")),
        ..Default::default()
    };
    assert!(
        pir::build::build(&mut report, &options).is_none(),
        "a file Typst read is gone: typeset again, and it fails"
    );
}

#[test]
fn the_record_lives_beside_the_output_and_is_never_deployed() {
    let project = archive();
    let root = project.path();
    build(root, false);
    assert!(
        !root.join("public/.pir-build.json").exists(),
        "nothing internal in public/"
    );
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join(".public.pir-build.json")).unwrap())
            .unwrap();
    assert!(
        record["documents"]["issues/january-2021"]["reads"].is_object(),
        "{record}"
    );
}

#[test]
fn a_reused_document_says_its_warnings_again() {
    let project = project("valid");
    let root = project.path();
    ask_for_a_missing_font(root);
    for round in ["typeset", "reused"] {
        let out = run(root, &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("W601 typst-warning") && stderr.contains("templates/"),
            "{round}: {stderr}"
        );
        if round == "reused" {
            assert!(stderr.contains("typeset 0,"), "{stderr}");
        }
    }
}

/// The inode of every file under `dir`, by path relative to it.
#[cfg(unix)]
fn inodes(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, u64> {
    use std::os::unix::fs::MetadataExt;
    fn walk(
        dir: &Path,
        base: &Path,
        out: &mut std::collections::BTreeMap<std::path::PathBuf, u64>,
    ) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let ino = std::fs::metadata(&path).unwrap().ino();
                out.insert(path.strip_prefix(base).unwrap().to_path_buf(), ino);
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_what_came_out_the_same_and_writes_only_what_changed() {
    let project = archive();
    let root = project.path();
    build(root, false);
    let before = inodes(&root.join("public"));
    let fonts: Vec<_> = before
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "woff2"))
        .cloned()
        .collect();
    assert!(!fonts.is_empty(), "the site ships web fonts");
    // --force typesets every document again, but web fonts named by the same inputs are kept.
    assert_eq!(build(root, true), ALL);
    let forced = inodes(&root.join("public"));
    for font in &fonts {
        assert_eq!(
            forced.get(font),
            before.get(font),
            "{} was made again",
            font.display()
        );
    }
    // One edited piece: its issue's pages and PDFs are new files; the other issue's are links.
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hello again\"\n+++\n\nAnother note, edited.\n",
    );
    assert_eq!(build(root, false), ["issues/february-2021"]);
    let after = inodes(&root.join("public"));
    let edited = Path::new("issues/february-2021/issue-2.pdf");
    let untouched = Path::new("issues/january-2021/issue-1.pdf");
    assert_ne!(
        after.get(edited),
        forced.get(edited),
        "the edited issue's PDF is written anew"
    );
    assert_eq!(
        after.get(untouched),
        forced.get(untouched),
        "the other issue's PDF is linked, not rewritten"
    );
    assert!(after.keys().eq(forced.keys()), "the same files");
}
