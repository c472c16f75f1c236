//! Timelines written with zones, as public reports write them: each entry is
//! converted into the write-up's zone and shown as written where they differ.

mod common;

use common::*;

/// The valid fixture's incident, its entries written in UTC and ISO 8601 (the write-up is in Europe/Berlin, UTC+1).
fn zoned_project() -> tempfile::TempDir {
    let project = project("valid");
    let path = project.path().join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "- [23:40] The queue stops draining.",
            "- [22:40 UTC] The queue stops draining.",
        )
        .replace("- [23:52] An alert", "- [2021-01-09T22:52:00Z] An alert")
        .replace(
            "- [00:45] The backlog is gone.",
            "- [15:45 PST] The backlog is gone.",
        );
    std::fs::write(&path, text).unwrap();
    project
}

#[test]
fn entries_with_their_own_zone_are_converted_and_shown_both_ways() {
    let project = zoned_project();
    let root = project.path();
    // The key moments, written in Berlin time, match the converted entries.
    assert_eq!(check_json(root), (vec![], 0));
    let out = run(root, &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data =
        std::fs::read_to_string(root.join("public/issues/january-2021/outage.json")).unwrap();
    for at in [
        "2021-01-09T23:40:00+01:00",
        "2021-01-09T23:52:00+01:00",
        "2021-01-10T00:45:00+01:00",
    ] {
        assert!(data.contains(at), "{at} in {data}");
    }
    let page =
        std::fs::read_to_string(root.join("public/issues/january-2021/outage.html")).unwrap();
    assert!(
        page.contains(">23:40</time> <span class=\"as-written\">(22:40 UTC)</span>"),
        "{page}"
    );
    assert!(page.contains("(15:45 PST)") && page.contains("(2021-01-09T22:52:00Z)"));
    let pdf = std::process::Command::new("pdftotext")
        .arg(root.join("public/issues/january-2021/issue-1.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&pdf.stdout);
    assert!(
        text.contains("(22:40 UTC)") && text.contains("(15:45 PST)"),
        "{text}"
    );
}

#[test]
fn an_entry_in_the_write_ups_own_offset_is_shown_once() {
    let project = project("valid");
    let path = project.path().join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("- [23:40] The queue", "- [23:40 CET] The queue");
    std::fs::write(&path, text).unwrap();
    assert_eq!(check_json(project.path()), (vec![], 0));
    assert!(run(project.path(), &["build", "--quiet"]).status.success());
    let page = std::fs::read_to_string(
        project
            .path()
            .join("public/issues/january-2021/outage.html"),
    )
    .unwrap();
    assert!(
        !page.contains("as-written"),
        "CET is Berlin's own offset in January"
    );
}

#[test]
fn an_ambiguous_zone_in_an_entry_is_one_error_with_the_places() {
    let project = project("valid");
    let path = project.path().join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("- [23:52] An alert", "- [23:52 IST] An alert");
    std::fs::write(&path, text).unwrap();
    let (found, code) = check_json(project.path());
    assert_eq!(
        (found, code),
        (
            vec![(
                "E302".to_string(),
                "issues/january-2021/outage.md".to_string(),
                Some(27)
            )],
            1
        )
    );
    let err = String::from_utf8(run(project.path(), &["check"]).stderr).unwrap();
    assert!(
        err.contains("Asia/Kolkata") && err.contains("[14:18 UTC-6]"),
        "{err}"
    );
}
