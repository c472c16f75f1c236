//! The no-change path of `pir build`: when no input changed, nothing is
//! checked, rendered or written, and the last build's warnings are said
//! again; any change to an input, the options or the output leaves it.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::*;

/// Sets every file under `dir` but the output that was saved in the last
/// minutes to have been modified an hour ago, as files a writer saved a
/// while before building (a file modified in
/// the same instant as a build stamps it is not trusted: see the racy test).
fn age(dir: &Path) {
    let then = SystemTime::now() - Duration::from_secs(3600);
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.ends_with("public") {
            continue;
        } else if path.is_dir() {
            age(&path);
        } else {
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            // Only files saved since the last call: the others keep their stamps.
            if file.metadata().unwrap().modified().unwrap() > then + Duration::from_secs(600) {
                file.set_modified(then).unwrap();
            }
        }
    }
}

/// Runs `pir build` with `args`, asserting success, and returns its stderr.
fn build(root: &Path, args: &[&str]) -> String {
    let out = run(root, &[&["build"], args].concat());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// Whether the build took the no-change path.
fn skipped(stderr: &str) -> bool {
    stderr.contains("nothing changed since the last build")
}

/// Every output file's inode and modification time, and the record's bytes.
fn snapshot(root: &Path) -> (Vec<(std::path::PathBuf, u64, SystemTime)>, Vec<u8>) {
    use std::os::unix::fs::MetadataExt;
    fn walk(dir: &Path, out: &mut Vec<(std::path::PathBuf, u64, SystemTime)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                walk(&path, out);
            } else {
                out.push((path, meta.ino(), meta.modified().unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(&root.join("public"), &mut files);
    files.sort();
    let record = std::fs::read(root.join(".public.pir-build.json")).unwrap();
    (files, record)
}

#[test]
fn a_build_with_nothing_changed_touches_nothing_and_says_so() {
    let project = project("valid");
    let root = project.path();
    age(root);
    let first = build(root, &[]);
    assert!(!skipped(&first), "{first}");
    let before = snapshot(root);
    let again = build(root, &[]);
    assert!(skipped(&again), "{again}");
    assert!(again.contains("typeset 0,"), "{again}");
    assert_eq!(
        snapshot(root),
        before,
        "no output file and no record written"
    );
    // --force is never short-cut.
    assert!(!skipped(&build(root, &["--force"])));
}

#[test]
fn the_no_change_path_says_the_last_builds_warnings_again() {
    let project = project("valid");
    let root = project.path();
    ask_for_a_missing_font(root);
    age(root);
    let first = build(root, &[]);
    let again = build(root, &[]);
    assert!(skipped(&again), "{again}");
    let warnings = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with("warning"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert!(
        warnings(&first).iter().any(|w| w.contains("W601")),
        "{first}"
    );
    assert_eq!(warnings(&again), warnings(&first), "{again}");
    assert!(
        again.contains("templates/"),
        "the excerpt is shown: {again}"
    );
}

/// A change made to a project folder.
type Change = Box<dyn Fn(&Path)>;

#[test]
fn any_change_to_an_input_the_options_or_the_output_builds_again() {
    let project = project("valid");
    let root = project.path();
    age(root);
    build(root, &[]);
    assert!(skipped(&build(root, &[])));
    // Each change, made an hour ago (so it is not doubted as racy), leaves the no-change path once.
    let changes: Vec<(&str, Change)> = vec![
        (
            "an edited piece",
            Box::new(|r: &Path| {
                let path = r.join("issues/january-2021/note.md");
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text + "\nOne more line.\n").unwrap();
            }),
        ),
        (
            "a new template",
            Box::new(|r: &Path| write(r, "templates/extra.css", "body {}\n")),
        ),
        (
            "a removed file",
            Box::new(|r: &Path| std::fs::remove_file(r.join("templates/extra.css")).unwrap()),
        ),
        (
            "a changed output file",
            Box::new(|r: &Path| write(r, "public/index.html", "tampered")),
        ),
        (
            "a file added to the output",
            Box::new(|r: &Path| write(r, "public/stray.html", "stray")),
        ),
    ];
    for (what, change) in changes {
        change(root);
        age(root);
        let stderr = build(root, &[]);
        assert!(!skipped(&stderr), "{what}: {stderr}");
        assert!(
            skipped(&build(root, &[])),
            "{what}: the next build is clean"
        );
    }
    assert!(!root.join("public/stray.html").exists());
    assert!(
        !std::fs::read_to_string(root.join("public/index.html"))
            .unwrap()
            .contains("tampered")
    );
    // Other options are another build.
    assert!(!skipped(&build(root, &["--drafts"])));
    assert!(!skipped(&build(root, &[])));
    // A hidden file (an editor's swap file) is not an input.
    write(root, "issues/january-2021/.note.md.swp", "swap");
    age(root);
    let stderr = build(root, &[]);
    assert!(skipped(&stderr), "{stderr}");
}

#[test]
fn a_file_saved_as_the_build_stamped_it_is_not_trusted() {
    let project = project("valid");
    let root = project.path();
    age(root);
    build(root, &[]);
    // Saved just now: the build that follows stamps it in the same moment, so its stamp
    // may not tell a later save in that moment apart; the build after that is full again.
    write(
        root,
        "issues/january-2021/note.md",
        std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap() + "\nMore.\n",
    );
    assert!(!skipped(&build(root, &[])));
    assert!(!skipped(&build(root, &[])), "a racy stamp is not trusted");
}

#[test]
fn a_build_with_errors_is_never_short_cut() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/broken-2021/issue.toml",
        "number = 9\ntitle = \"Broken\"\ndate = 2021-09-01\npieces = [\"missing.md\"]\n",
    );
    age(root);
    for round in ["first", "second"] {
        let out = run(root, &["build", "--keep-going"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{round}: {stderr}");
        assert!(!skipped(&stderr), "{round}: {stderr}");
        assert!(
            stderr.contains("skipped issues/broken-2021"),
            "{round}: {stderr}"
        );
    }
}

#[test]
fn files_read_outside_the_projects_folders_are_inputs_and_other_folders_are_not() {
    let project = project("valid");
    let root = project.path();
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(
        root,
        "zine.toml",
        format!("extra_css = \"styles/extra.css\"\n{zine}"),
    );
    write(root, "styles/extra.css", "body { color: black; }\n");
    age(root);
    build(root, &[]);
    assert!(skipped(&build(root, &[])));
    // A folder no build reads (a target/ or node_modules/ beside the zine) is not walked.
    write(root, "target/debug/anything", "built by something else");
    assert!(skipped(&build(root, &[])));
    // The stylesheet named by zine.toml is read from elsewhere: a change to it builds again.
    write(root, "styles/extra.css", "body { color: navy; }\n");
    age(root);
    let stderr = build(root, &[]);
    assert!(!skipped(&stderr), "{stderr}");
    let css = std::fs::read_to_string(root.join("public/style.css")).unwrap();
    assert!(
        css.contains("color: navy"),
        "the new stylesheet is published"
    );
    assert!(skipped(&build(root, &[])));
}

/// Builds into public/ as `pir build` does (stamps first, the unchanged
/// issues' editions linked), and returns the issues whose edition was kept.
fn build_keeping(root: &Path) -> Vec<String> {
    let out = root.join("public");
    let mut options = pir::build::Options {
        previous: Some(out.clone()),
        ..Default::default()
    };
    let inputs = pir::build::inputs(root, &out, &options);
    options.same_issues = inputs.same_issues();
    let mut report = pir::check::check(root);
    let mut built = pir::build::build(&mut report, &options).expect("builds");
    built.remember(inputs, &report, 0);
    pir::build::publish(&out, &mut built).unwrap();
    built.editions_kept
}

/// The valid fixture with a second issue.
fn two_issues() -> tempfile::TempDir {
    let project = project("valid");
    add_second_issue(project.path());
    age(project.path());
    project
}

#[test]
fn an_edited_issue_gets_a_new_email_edition_and_the_others_are_linked() {
    let project = two_issues();
    let root = project.path();
    assert!(
        build_keeping(root).is_empty(),
        "the first build makes every edition"
    );
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hello again\"\n+++\n\nAnother note, rewritten.\n",
    );
    assert_eq!(build_keeping(root), ["january-2021"]);
    let email =
        std::fs::read_to_string(root.join("public/issues/february-2021/email.txt")).unwrap();
    assert!(email.contains("Another note, rewritten."), "{email}");
    // A kept edition is the one a full build makes.
    let kept = std::fs::read(root.join("public/issues/january-2021/email.html")).unwrap();
    assert!(!skipped(&build(root, &["--force"])));
    assert_eq!(
        std::fs::read(root.join("public/issues/january-2021/email.html")).unwrap(),
        kept
    );
}

#[test]
fn a_change_outside_the_issues_makes_every_email_edition_again() {
    let project = two_issues();
    let root = project.path();
    build_keeping(root);
    let template = std::fs::read_to_string(repo().join("templates/email.html")).unwrap();
    let marked = template.replacen("<body", "<!-- edited template -->\n<body", 1);
    assert_ne!(marked, template, "the template has a body");
    write(root, "templates/email.html", marked);
    age(root);
    assert!(
        build_keeping(root).is_empty(),
        "a template feeds every edition"
    );
    for issue in ["january-2021", "february-2021"] {
        let html =
            std::fs::read_to_string(root.join("public/issues").join(issue).join("email.html"))
                .unwrap();
        assert!(html.contains("edited template"), "{issue}");
    }
    // A tampered edition is made again, even with nothing else changed.
    assert_eq!(build_keeping(root).len(), 2);
    write(root, "public/issues/january-2021/email.txt", "tampered");
    assert_eq!(build_keeping(root), ["february-2021"]);
    let text = std::fs::read_to_string(root.join("public/issues/january-2021/email.txt")).unwrap();
    assert_ne!(text, "tampered");
}
