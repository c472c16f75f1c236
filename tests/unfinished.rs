//! Unfinished work: what a draft may leave out (`detected`) and what the
//! outputs do when it does (no "Edited by ." on a cover without editors).

mod common;

use common::*;

/// The text of a built PDF.
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn detected_is_optional_and_its_metric_is_left_out() {
    let project = project("valid");
    let root = project.path();
    let path = root.join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("  detected: \"23:52\"\n", "");
    std::fs::write(&path, text).unwrap();
    assert_eq!(
        check_json(root),
        (vec![], 0),
        "no key moment is required but impact start and resolved"
    );
    let out = run(root, &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("public/issues/january-2021/outage.json")).unwrap(),
    )
    .unwrap();
    let metrics = data.to_string();
    // The data format (schemas/incident-v1.schema.json) names metrics with their unit.
    assert_eq!(
        data["metrics"]["time_to_detect_minutes"],
        serde_json::Value::Null,
        "not invented: {metrics}"
    );
    assert!(metrics.contains("time_to_resolve"), "{metrics}");
    let page =
        std::fs::read_to_string(root.join("public/issues/january-2021/outage.html")).unwrap();
    assert!(
        page.contains("Time to resolve") && !page.contains("Time to detect"),
        "the page leaves the metric out"
    );
}

#[test]
fn a_cover_without_editors_credits_the_publisher_only() {
    let project = project("valid");
    let root = project.path();
    let path = root.join("issues/january-2021/issue.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("editors = [\"A. Editor\"]", "editors = []");
    std::fs::write(&path, text).unwrap();
    let out = run(root, &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "a warning does not stop the build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = pdf_text(&root.join("public/issues/january-2021/issue-1.pdf"));
    assert!(
        text.contains("Published by") && !text.contains("Edited by"),
        "{text}"
    );
    let with = common::project("valid");
    assert!(run(with.path(), &["build", "--quiet"]).status.success());
    let text = pdf_text(&with.path().join("public/issues/january-2021/issue-1.pdf"));
    assert!(
        text.contains("Edited by A. Editor. Published by"),
        "the line is still there when editors are named: {text}"
    );
}
