//! `pir init`: from an empty folder to a built zine, and the refusals that keep a writer's files safe.

mod common;

use std::path::Path;

use common::*;

/// Runs pir in `dir` as the current folder (no --root), the way a writer starts.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    pir().current_dir(dir).args(args).output().unwrap()
}

/// Asserts success and returns stdout.
fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A write-up of our own, as a writer would fill in the skeleton.
const INCIDENT: &str = r#"+++
kind = "incident"
title = "The certificate that expired on a Sunday"
organization = "Harbour Tools"
published = 2024-03-12
date = 2024-03-10
timezone = "Europe/Lisbon"
impact = "For 47 minutes, nobody could sign in to the web app; the mobile app kept working."

[key_moments]
impact_start = "06:00"
detected = "06:21"
mitigated = "06:40"
resolved = "06:47"
+++

## Summary

The certificate of our sign-in service expired at six on a Sunday morning.
Browsers refused the page until a renewed certificate was deployed.

## Timeline

All times are Lisbon time.

- [06:00] The certificate expires; sign-in pages stop loading in browsers.
- [06:21] A customer's email reaches the on-call engineer's phone.
- [06:25 to 06:40] She renews the certificate by hand and deploys it.
- [06:47] Sign-in works again everywhere; the incident is closed.

## Investigation and analysis

The renewal job had been failing quietly for three weeks: it wrote its
errors to a log nobody read, and no alert watched the certificate's date.

## Action items

1. Alert two weeks before any certificate expires.
2. Send the renewal job's failures to the on-call channel.
"#;

#[test]
fn init_in_an_empty_folder_then_one_incident_builds_a_zine() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(run_in(
        tmp.path(),
        &[
            "init",
            "zine",
            "--title",
            "Sunday Mornings",
            "--publisher",
            "Harbour Tools",
            "--date",
            "2024-04-01",
        ],
    ));
    assert!(
        out.contains("cd zine") && out.contains("pir new incident issue-1"),
        "next steps named: {out}"
    );
    let root = tmp.path().join("zine");
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    assert!(
        zine.contains("title = \"Sunday Mornings\"")
            && zine.contains("publisher = \"Harbour Tools\""),
        "{zine}"
    );
    // Every key pir knows is explained, the optional tables included.
    for key in pir::load::settings::SITE_KEYS
        .iter()
        .chain(pir::load::settings::NEWSLETTER_KEYS)
        .chain(pir::load::settings::PRINT_KEYS)
    {
        if ["paper", "duplex", "a4"].contains(key) {
            continue;
        }
        assert!(
            zine.contains(&format!("{key} =")) || zine.contains(&format!("[{key}]")),
            "zine.toml does not show `{key}`"
        );
    }
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "/public/")
            && ignore.lines().any(|l| l == "/.public.pir-build.json"),
        "{ignore}"
    );

    // The new project passes check, from inside it, as it stands; what is still
    // the example is a warning, so --deny-warnings holds it back.
    ok(run_in(&root, &["check"]));
    let (mut found, code) = check_json(&root);
    found.sort();
    let f = |code: &str, file: &str, line: u64| {
        (
            code.to_string(),
            format!("issues/issue-1/{file}"),
            Some(line),
        )
    };
    assert_eq!(
        (found, code),
        (
            vec![
                f("W801", "editors-note.md", 6),
                f("W801", "issue.toml", 6),
                f("W803", "issue.toml", 5)
            ],
            0
        )
    );
    assert_eq!(
        run_in(&root, &["check", "--deny-warnings"]).status.code(),
        Some(1)
    );

    ok(run_in(
        &root,
        &[
            "new",
            "incident",
            "issue-1",
            "certificate",
            "--timezone",
            "Europe/Lisbon",
        ],
    ));
    std::fs::write(root.join("issues/issue-1/certificate.md"), INCIDENT).unwrap();
    let toml = std::fs::read_to_string(root.join("issues/issue-1/issue.toml")).unwrap();
    let toml = toml
        .replace("status = \"draft\"", "status = \"published\"")
        .replace("editors = []", "editors = [\"Rui Almeida\"]")
        .replace(
            pir::skeleton::summary_placeholder(),
            "One expired certificate and the quiet job that should have renewed it.",
        );
    std::fs::write(root.join("issues/issue-1/issue.toml"), toml).unwrap();
    let note = "+++\nkind = \"editors-note\"\ntitle = \"Editors' note\"\n+++\n\nWe start with a small outage that taught us a lot about quiet failures.\n";
    std::fs::write(root.join("issues/issue-1/editors-note.md"), note).unwrap();
    ok(run_in(&root, &["check", "--deny-warnings"]));
    ok(run_in(&root, &["build", "--quiet"]));

    // The build wrote what .gitignore leaves out, and a real issue.
    assert!(
        root.join(".public.pir-build.json").is_file(),
        "the build record is where .gitignore names it"
    );
    let pdf = root.join("public/issues/issue-1/issue-1.pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("SUNDAY MORNINGS · ISSUE 1"),
        "the running head names the zine: {text}"
    );
    assert!(
        text.contains("The certificate that expired on a Sunday")
            && text.contains("Alert two weeks before"),
        "{text}"
    );
    let home = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(
        home.contains("Sunday Mornings") && home.contains("issue-1"),
        "{home}"
    );
    let page =
        std::fs::read_to_string(root.join("public/issues/issue-1/certificate.html")).unwrap();
    assert!(
        page.contains("The certificate that expired on a Sunday") && page.contains("Harbour Tools"),
        "{page}"
    );
    // The first issue is titled "Issue 1": it is named once, never "Issue 1: Issue 1".
    let feed = std::fs::read_to_string(root.join("public/feed.xml")).unwrap();
    for (what, text) in [("home", &home), ("piece", &page), ("feed", &feed)] {
        assert!(
            text.contains("Issue 1") && !text.contains("Issue 1: Issue 1"),
            "{what}: {text}"
        );
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "notes.txt", "mine");
    write(root, ".gitignore", "target/\n");
    let out = run_in(root, &["init"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not empty") && err.contains("notes.txt") && err.contains("--force"),
        "{err}"
    );
    assert!(!root.join("zine.toml").exists(), "nothing written");

    ok(run_in(root, &["init", "--force"]));
    assert_eq!(
        std::fs::read_to_string(root.join("notes.txt")).unwrap(),
        "mine"
    );
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(
        ignore.starts_with("target/\n") && ignore.contains("/public/\n"),
        "the writer's lines kept, ours added: {ignore}"
    );
    ok(run_in(root, &["check"]));

    // A second init never overwrites, even forced.
    let before = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    let out = run_in(root, &["init", "--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already a zine project"));
    assert_eq!(
        std::fs::read_to_string(root.join("zine.toml")).unwrap(),
        before
    );
}

#[test]
fn outside_a_project_the_error_names_pir_init() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no zine.toml") && err.contains("`pir init`"),
        "{err}"
    );
    let out = pir()
        .arg("--root")
        .arg(tmp.path())
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`pir init "),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The value at a path of keys in a parsed front matter or YAML node.
fn at<'a>(node: &'a pir::load::value::Node, path: &[&str]) -> &'a pir::load::value::Node {
    use pir::load::value::Value;
    path.iter().fold(node, |n, key| match &n.value {
        Value::Table(entries) => {
            &entries
                .iter()
                .find(|(k, _)| k.name == *key)
                .unwrap_or_else(|| panic!("no `{key}`"))
                .1
        }
        _ => panic!("`{key}`: not a table"),
    })
}

#[test]
fn init_with_deploy_writes_a_workflow_that_builds_and_publishes_public() {
    use pir::load::value::Value;
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(run_in(
        tmp.path(),
        &["init", "pages", "--deploy", "github-pages"],
    ));
    assert!(
        out.contains(".github/workflows/publish.yml") && out.contains("PIR_INSTALL"),
        "{out}"
    );
    let root = tmp.path().join("pages");
    let text = std::fs::read_to_string(root.join(".github/workflows/publish.yml")).unwrap();
    let workflow = pir::load::value::parse_yaml(&text, 0).expect("valid YAML");
    let Value::Array(steps) = &at(&workflow, &["jobs", "build", "steps"]).value else {
        panic!("steps is a list")
    };
    let step = |key: &str, want: &str| {
        steps.iter().any(|s| match &s.value {
            Value::Table(e) => e.iter().any(|(k, v)| {
                k.name == key && matches!(&v.value, Value::Str(x) if x.contains(want))
            }),
            _ => false,
        })
    };
    assert!(
        step("run", "pir build") && step("run", "$PIR_INSTALL"),
        "{text}"
    );
    assert!(step("uses", "actions/upload-pages-artifact"), "{text}");
    assert!(text.contains("path: public"));
    assert!(
        matches!(&at(&workflow, &["jobs", "deploy", "needs"]).value, Value::Str(s) if s == "build")
    );
    // The project still checks clean with the workflow in it.
    assert_eq!(check_json(&root).1, 0);

    let out = ok(run_in(
        tmp.path(),
        &["init", "netlify-zine", "--deploy", "netlify"],
    ));
    assert!(out.contains("netlify.toml"), "{out}");
    let netlify: toml::Table = toml::from_str(
        &std::fs::read_to_string(tmp.path().join("netlify-zine/netlify.toml")).unwrap(),
    )
    .unwrap();
    assert_eq!(netlify["build"]["publish"].as_str(), Some("public"));
    let command = netlify["build"]["command"].as_str().unwrap();
    assert!(
        command.ends_with("&& pir build") && command.contains("$PIR_INSTALL"),
        "{command}"
    );

    let out = run_in(tmp.path(), &["init", "x", "--deploy", "s3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("github-pages"));
}
