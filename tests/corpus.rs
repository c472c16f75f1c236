//! The benchmarks' generated corpora are valid projects: every varied issue
//! and every copy of Issue 2 passes `pir check --deny-warnings`, and the same
//! seed writes the same bytes.

mod common;

#[path = "../benches/support/corpus.rs"]
mod corpus;

use assert_cmd::Command;
use std::path::Path;

/// Runs `pir check --deny-warnings` on a project and asserts it is clean.
fn check_clean(root: &Path) {
    let out = Command::cargo_bin("pir")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(["check", "--deny-warnings"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pir check failed on the generated corpus:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `root`, with its bytes, in path order.
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn varied_corpus_passes_check_and_is_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pieces = corpus::varied(a.path(), &common::repo(), 60, 17);
    assert!(pieces >= 60 * 3, "{pieces} pieces");
    check_clean(a.path());
    corpus::varied(b.path(), &common::repo(), 60, 17);
    assert!(
        snapshot(a.path()) == snapshot(b.path()),
        "the same seed wrote different files"
    );
    // The corpus is varied: pieces differ in size and some carry non-Latin text.
    let all = snapshot(a.path());
    let sizes: std::collections::BTreeSet<usize> =
        all.iter().map(|(_, t)| t.len() / 1000).collect();
    assert!(sizes.len() > 20, "piece sizes barely vary: {sizes:?}");
    let text: String = all
        .iter()
        .map(|(_, t)| String::from_utf8_lossy(t).into_owned())
        .collect();
    for sample in [
        "Дежурный",
        "Η ομάδα",
        "المهندس",
        "```text\n2021-",
        "[^n1]",
        "| metric |",
    ] {
        assert!(text.contains(sample), "the corpus lacks {sample:?}");
    }
}

#[test]
fn copies_of_issue_two_pass_check() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(corpus::copies(dir.path(), &common::repo(), 3), 18);
    check_clean(dir.path());
}
