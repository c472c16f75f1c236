//! The blameless-language hints (H704–H707) on real prose: a write-up full of
//! blameful sentences gets each hint at its exact words with its rewording,
//! the sentences that only look alike get none, the bundled Issue 2 and its
//! pocket zine get none, and a zine can set each hint's level or allow one
//! in place.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// The diagnostics of `pir check --format json`, and the exit code.
fn diagnostics(root: &Path, extra: &[&str]) -> (Vec<Value>, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let out = run(root, &args);
    let found = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (found, out.status.code().unwrap())
}

/// The valid fixture with the blameful write-up listed in its issue.
fn blameful_project() -> tempfile::TempDir {
    let project = project("valid");
    let root = project.path();
    let piece = std::fs::read_to_string(fixture("blameless/blameful.md")).unwrap();
    write(root, "issues/january-2021/blameful.md", piece);
    let toml = root.join("issues/january-2021/issue.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("\"outage.md\"]", "\"outage.md\", \"blameful.md\"]"),
    )
    .unwrap();
    project
}

/// The underlined words of a diagnostic, read from the file it names.
fn underlined(root: &Path, d: &Value) -> String {
    let text = std::fs::read_to_string(root.join(d["file"].as_str().unwrap())).unwrap();
    let line = text
        .lines()
        .nth(d["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    let (from, to) = (
        d["column"].as_u64().unwrap() as usize - 1,
        d["end_column"].as_u64().unwrap() as usize - 1,
    );
    line.chars().skip(from).take(to - from).collect()
}

/// Whether a diagnostic is one of the blameless-language hints.
fn blame(d: &Value) -> bool {
    ["H704", "H705", "H706", "H707"].contains(&d["code"].as_str().unwrap())
}

#[test]
fn blameful_sentences_get_each_hint_at_their_words_and_lookalikes_get_none() {
    let project = blameful_project();
    let root = project.path();
    let (found, code) = diagnostics(root, &[]);
    assert_eq!(code, 0, "hints never fail a check: {found:#?}");
    let hits: Vec<(String, u64, String, Option<String>)> = found
        .iter()
        .filter(|d| blame(d))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                underlined(root, d),
                d["suggestion"]["replacement"].as_str().map(String::from),
            )
        })
        .collect();
    let want = |code: &str, line: u64, words: &str, fix: Option<&str>| {
        (
            code.to_string(),
            line,
            words.to_string(),
            fix.map(String::from),
        )
    };
    assert_eq!(
        hits,
        [
            want("H705", 27, "human error", Some("manual step")),
            want("H704", 28, "should have checked", Some("had not checked")),
            want("H706", 32, "simply", Some("")),
            // A cast member's @mention is a subject like any person.
            want("H704", 32, "forgot to set", Some("did not set")),
            // "who" after a role is a person.
            want("H704", 33, "failed to notice", Some("did not notice")),
            want("H704", 34, "failed to roll", Some("did not roll")),
            want("H707", 45, "The root cause", Some("A contributing factor")),
            want("H706", 45, "Obviously", Some("The")),
            want("H704", 46, "could have asked", Some("had not asked")),
            want("H705", 47, "careless", None),
            want("H704", 47, "neglected to update", Some("did not update")),
            want("H706", 49, "just", Some("")),
            want("H706", 49, "of course", Some("")),
        ],
        "{found:#?}"
    );
    // The H707 points at the list of factors as well.
    let root_cause = found.iter().find(|d| d["code"] == "H707").unwrap();
    assert_eq!(root_cause["related"][0]["line"], 37);
    // Each hint says in one line why, and how to keep the words.
    for d in found.iter().filter(|d| blame(d)) {
        assert!(!d["message"].as_str().unwrap().contains('\n'));
        assert!(
            d["hint"].as_str().unwrap().contains(&format!(
                "<!-- pir: allow {} -->",
                d["code"].as_str().unwrap()
            )),
            "{d}"
        );
    }
}

#[test]
fn the_rewordings_clear_the_hints_they_answer() {
    let project = blameful_project();
    let root = project.path();
    let (found, _) = diagnostics(root, &[]);
    let path = root.join("issues/january-2021/blameful.md");
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    // Apply every suggestion, the last in each line first so columns stay true.
    let mut fixes: Vec<&Value> = found
        .iter()
        .filter(|d| blame(d) && !d["suggestion"].is_null())
        .map(|d| &d["suggestion"])
        .collect();
    fixes.sort_by_key(|s| std::cmp::Reverse((s["line"].as_u64(), s["column"].as_u64())));
    for s in fixes {
        assert_eq!(s["line"], s["end_line"], "one-line rewordings: {s}");
        let line = &mut lines[s["line"].as_u64().unwrap() as usize - 1];
        let chars: Vec<char> = line.chars().collect();
        let (from, to) = (
            s["column"].as_u64().unwrap() as usize - 1,
            s["end_column"].as_u64().unwrap() as usize - 1,
        );
        *line = chars[..from].iter().collect::<String>()
            + s["replacement"].as_str().unwrap()
            + &chars[to..].iter().collect::<String>();
    }
    let fixed = lines.join("\n") + "\n";
    assert!(
        fixed.contains("on-call engineer had not checked the migration's plan"),
        "{fixed}"
    );
    assert!(
        fixed.contains("@ci did not roll the release back"),
        "{fixed}"
    );
    assert!(
        fixed.contains("It was a config change and the deploy had just finished."),
        "{fixed}"
    );
    assert!(
        fixed.contains("The migration should have been\nsplit"),
        "{fixed}"
    );
    std::fs::write(&path, fixed).unwrap();
    let (after, code) = diagnostics(root, &[]);
    assert_eq!(code, 0);
    let left: Vec<String> = after
        .iter()
        .filter(|d| blame(d))
        .map(|d| format!("{} {}", d["code"], underlined(root, d)))
        .collect();
    // Only the label with no single rewording is left for the writer.
    assert_eq!(left, ["\"H705\" careless"], "{after:#?}");
}

#[test]
fn issue_two_and_its_pocket_zine_have_no_blameless_hint() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(repo().join("zine.toml"), root.join("zine.toml")).unwrap();
    for folder in ["issues", "pocket"] {
        copy_dir(&repo().join(folder), &root.join(folder));
    }
    let (found, code) = diagnostics(root, &[]);
    assert_eq!(code, 0);
    let false_positives: Vec<&Value> = found.iter().filter(|d| blame(d)).collect();
    assert!(false_positives.is_empty(), "{false_positives:#?}");
    // The Discord write-up says "the root cause" and "should have been special": neither is blame.
    let discord = std::fs::read_to_string(root.join("issues/march-2020/discord.md")).unwrap();
    assert!(discord.contains("the root cause") && discord.contains("should have been special"));
}

#[test]
fn an_allow_comment_keeps_the_words_of_its_paragraph_for_its_codes_only() {
    let project = blameful_project();
    let root = project.path();
    let path = root.join("issues/january-2021/blameful.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "The root cause was the table lock.",
        "<!-- pir: allow H707 minimiser -->\nThe root cause was the table lock.",
    );
    std::fs::write(&path, text).unwrap();
    let (found, _) = diagnostics(root, &[]);
    let codes_on = |line: u64| -> Vec<String> {
        found
            .iter()
            .filter(|d| blame(d) && d["line"] == line)
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    // The paragraph after the comment keeps its H707 and H706 quiet, not its H704s and H705.
    assert_eq!(codes_on(46), Vec::<String>::new());
    assert_eq!(codes_on(47), ["H704"]);
    assert_eq!(codes_on(48), ["H705", "H704"]);
    // Other paragraphs are untouched.
    assert_eq!(codes_on(32), ["H706", "H704"]);
}

#[test]
fn zine_toml_sets_each_hint_s_level() {
    let project = blameful_project();
    let root = project.path();
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    std::fs::write(
        root.join("zine.toml"),
        format!("{zine}\n[hints]\nH706 = \"off\"\ncounterfactual = \"warning\"\n"),
    )
    .unwrap();
    let (found, code) = diagnostics(root, &[]);
    assert_eq!(code, 0, "warnings do not fail a check");
    assert!(!found.iter().any(|d| d["code"] == "H706"), "switched off");
    let h704: Vec<&Value> = found.iter().filter(|d| d["code"] == "H704").collect();
    assert_eq!(h704.len(), 6);
    assert!(h704.iter().all(|d| d["severity"] == "warning"));
    assert!(
        found
            .iter()
            .filter(|d| d["code"] == "H705")
            .all(|d| d["severity"] == "hint")
    );
    let (_, code) = diagnostics(root, &["--deny-warnings"]);
    assert_eq!(code, 1, "a hint raised to a warning fails --deny-warnings");
    // Raised to an error, it fails the check and the build, which otherwise shows no hints.
    std::fs::write(
        root.join("zine.toml"),
        format!("{zine}\n[hints]\nblame-label = \"error\"\n"),
    )
    .unwrap();
    let (found, code) = diagnostics(root, &[]);
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .filter(|d| d["code"] == "H705")
            .all(|d| d["severity"] == "error")
    );
    let out = run(
        root,
        &["build", "--output", root.join("out").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("H705"));
}
