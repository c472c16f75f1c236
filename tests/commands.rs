//! `pir new` and `pir prompts`: skeletons that pass `pir check`, and never an overwrite.

mod common;

use common::*;

#[test]
fn new_issue_then_new_incident_pass_check() {
    let project = project("valid");
    let root = project.path();
    let out = run(root, &["new", "issue", "february-2021"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = std::fs::read_to_string(root.join("issues/february-2021/issue.toml")).unwrap();
    // The number and date come from the latest issue's next_issue announcement.
    assert!(
        toml.contains("number = 2\n") && toml.contains("date = 2021-02-01\n"),
        "{toml}"
    );
    let out = run(
        root,
        &[
            "new",
            "incident",
            "february-2021",
            "db-failover",
            "--timezone",
            "Asia/Tokyo",
            "--title",
            "The \"fast\" failover",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = std::fs::read_to_string(root.join("issues/february-2021/issue.toml")).unwrap();
    assert!(
        toml.contains("pieces = [\"editors-note.md\", \"db-failover.md\"]"),
        "{toml}"
    );
    let piece = std::fs::read_to_string(root.join("issues/february-2021/db-failover.md")).unwrap();
    assert!(piece.contains("[cast]") && piece.contains("- [09:10 to 09:40]"));
    let (mut found, code) = check_json(root);
    found.sort();
    // Valid (exit 0), and every example the writer still has to replace is a warning, plus the point-of-view hint.
    let f = |code: &str, file: &str, line: u64| {
        (
            code.to_string(),
            format!("issues/february-2021/{file}"),
            Some(line),
        )
    };
    let expected = vec![
        f("H701", "db-failover.md", 33),
        f("W801", "db-failover.md", 4),  // organization = "Our team"
        f("W801", "db-failover.md", 8),  // the placeholder impact
        f("W801", "db-failover.md", 35), // the example paragraphs and entries, at the first
        f("W801", "editors-note.md", 6),
        f("W801", "issue.toml", 6), // the placeholder summary
        f("W803", "issue.toml", 5), // editors = []
    ];
    assert_eq!((found, code), (expected, 0));
    assert_eq!(
        run(root, &["check", "--deny-warnings"]).status.code(),
        Some(1),
        "an untouched skeleton is not finished"
    );
}

#[test]
fn new_never_overwrites() {
    let project = project("valid");
    let root = project.path();
    let before = std::fs::read_to_string(root.join("issues/january-2021/outage.md")).unwrap();
    let out = run(root, &["new", "incident", "january-2021", "outage"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create"));
    assert_eq!(
        std::fs::read_to_string(root.join("issues/january-2021/outage.md")).unwrap(),
        before
    );
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    assert!(
        toml.contains("pieces = [\"note.md\", \"outage.md\"]\n"),
        "issue.toml unchanged: {toml}"
    );
    assert_eq!(
        run(root, &["new", "issue", "january-2021"]).status.code(),
        Some(1)
    );
}

#[test]
fn new_refuses_bad_names_as_usage_errors() {
    let project = project("valid");
    let out = run(project.path(), &["new", "issue", "March 2021"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("try `march-2021`"));
    assert_eq!(
        run(project.path(), &["new", "incident", "nope", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(
            project.path(),
            &[
                "new",
                "incident",
                "january-2021",
                "x",
                "--timezone",
                "Mars/Olympus"
            ]
        )
        .status
        .code(),
        Some(2)
    );
    assert!(!project.path().join("issues/january-2021/x.md").exists());
}

#[test]
fn prompts_print_the_world_building_questions() {
    let out = pir().arg("prompts").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "[cast]",
        "[goals]",
        "[worries]",
        "[senses]",
        "[first-person]",
        "[interpretation]",
    ] {
        assert!(text.contains(id), "missing {id}");
    }
    assert!(text.contains("https://surfingcomplexity.blog/2020/01/16/getting-into-peoples-heads-how-and-why-to-fake-it/"));
}

#[test]
fn new_incident_interactive_writes_the_answers_into_the_draft() {
    let project = project("valid");
    let root = project.path();
    // From a pipe, one line answers one question; a refused line is explained and the next read.
    let answers = [
        "",                                  // title: keep the default
        "Northwind Freight",                 // organization
        "",                                  // zone: UTC
        "",                                  // date: the issue's
        "Bookings failed for half an hour.", // impact
        "",                                  // summary: keep the example
        "09:00",
        "Bookings fail.",
        "09:05 The pager fires for @oncall.", // an ordinary entry after the key moment
        "09:07",                              // refused: no words after the time
        "08:59 Too early",                    // refused: before the entry above
        "09:10 The team rolls the deploy back.",
        "", // no more entries before the next key moment
        "", // detected: not known
        "", // mitigated: skipped
        "09:30",
        "Bookings work again.",
        "The on-call engineer", // refused: no id
        "oncall: The on-call engineer",
        "Sleep through the night",
        "Missing a page",
        "impact_start",
        "A wall of red on the dashboard",
        "",
        "A knot in the stomach",
        "",
        "",
        "I saw the queue depth climb and thought it was the deploy.",
        "",
    ]
    .join("\n");
    let out = pir()
        .arg("--root")
        .arg(root)
        .args(["new", "incident", "january-2021", "night", "--interactive"])
        .write_stdin(answers)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let prompts = String::from_utf8_lossy(&out.stderr);
    assert!(
        prompts.contains("[cast] Who is in the story?")
            && prompts.contains("give them an id first, the name the timeline uses after @: `the: The on-call engineer`")
            && prompts.contains("[first-person]"),
        "{prompts}"
    );
    let draft = std::fs::read_to_string(root.join("issues/january-2021/night.md")).unwrap();
    assert!(draft.contains("[[cast]]\nid = \"oncall\"\nname = \"The on-call engineer\"\ngoals = \"Sleep through the night\""), "{draft}");
    assert!(draft.contains("[cast.moments.impact_start]\nsaw = \"A wall of red on the dashboard\"\nfelt = \"A knot in the stomach\"\n"), "{draft}");
    assert!(
        draft.contains("## Summary\n\nWhat happened, to whom"),
        "{draft}"
    );
    assert!(
        draft.contains("## Investigation and analysis\n\nI saw the queue depth climb"),
        "{draft}"
    );
    assert!(
        draft.contains("- [09:00] Bookings fail.\n- [09:05] The pager fires for @oncall.\n- [09:10] The team rolls the deploy back.\n- [09:30] Bookings work again.\n\n"),
        "{draft}"
    );
    assert!(
        prompts.contains("[timeline] Anything else after 09:00?")
            && prompts.contains("say what happened at 09:07")
            && prompts.contains("08:59 is before the moment before it (2021-01-01 09:05)"),
        "{prompts}"
    );
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        !found.iter().any(|f| f.0 == "H701"),
        "a cast and a first-person paragraph give the story a point of view: {found:?}"
    );
}

#[test]
fn an_interactive_answer_that_starts_like_markdown_structure_stays_words() {
    let project = project("valid");
    let root = project.path();
    let answers = [
        "",
        "Northwind Freight",
        "",
        "",
        "Bookings failed for half an hour.",
        "# Root cause was a full disk", // a summary, not a heading
        "09:00",
        "Bookings fail.",
        "09:10 # Root cause guessed", // an entry, not a heading
        "",
        "",
        "",
        "09:30",
        "Bookings work again.",
        "",                               // no cast
        "- I thought it was the deploy.", // first person, not a list
        "1. alert on disk space",         // an action item, not a list inside a list
        "",
    ]
    .join("\n");
    let out = pir()
        .arg("--root")
        .arg(root)
        .args(["new", "incident", "january-2021", "disk", "--interactive"])
        .write_stdin(answers)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = std::fs::read_to_string(root.join("issues/january-2021/disk.md")).unwrap();
    for wanted in [
        "## Summary\n\n\\# Root cause was a full disk\n",
        "- [09:10] \\# Root cause guessed\n",
        "## Investigation and analysis\n\n\\- I thought it was the deploy.\n",
        "## Action items\n\n1. 1\\. alert on disk space\n",
    ] {
        assert!(draft.contains(wanted), "missing {wanted:?} in:\n{draft}");
    }
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
}

#[test]
fn new_incident_asks_nothing_without_interactive() {
    let project = project("valid");
    let out = pir()
        .arg("--root")
        .arg(project.path())
        .args(["new", "incident", "january-2021", "quiet"])
        .write_stdin("oncall: Someone\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("[cast]"));
    assert!(
        !std::fs::read_to_string(project.path().join("issues/january-2021/quiet.md"))
            .unwrap()
            .contains("[[cast]]")
    );
}

#[test]
fn new_incident_interactive_writes_nothing_when_the_answers_run_out() {
    let project = project("valid");
    let root = project.path();
    let out = pir()
        .arg("--root")
        .arg(root)
        .args(["new", "incident", "january-2021", "cut", "--interactive"])
        .write_stdin("A title\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the input ended at a question that needs an answer (Impact"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!root.join("issues/january-2021/cut.md").exists());
}
