//! `pir import statuspage` on JSON in the shapes the public API returns.

mod common;

use common::*;

fn fixture_json(name: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures/statuspage").join(name)
}

#[test]
fn a_single_incident_becomes_a_draft_that_passes_check() {
    let project = project("valid");
    let root = project.path();
    let out = run(
        root,
        &[
            "import",
            "statuspage",
            fixture_json("single.json").to_str().unwrap(),
            "--issue",
            "january-2021",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = std::fs::read_to_string(
        root.join("issues/january-2021/server-outages-and-increased-api-errors.md"),
    )
    .unwrap();
    // Z times, shown in the page's own zone (America/Los_Angeles, PDT in March 2020).
    assert!(draft.contains("timezone = \"America/Los_Angeles\""));
    assert!(
        draft.contains("- [14:24] **Investigating**:") && draft.contains("- [15:32] **Resolved**:"),
        "{draft}"
    );
    assert!(
        draft.contains("impact_start = \"14:19\"\ndetected = \"14:24\"")
            && draft.contains("mitigated = \"15:07\"")
            && draft.contains("resolved = \"15:32\"")
    );
    assert!(
        draft.contains("sources = [\"https://stspg.io/abc123\"]")
            && draft.contains(
                "impact = \"Seriously disrupted for 1 hour 13 minutes: API and Gateway.\""
            )
    );
    assert!(
        draft.contains("\\<b\\>API errors\\</b\\>"),
        "HTML in an update is text"
    );
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    assert!(toml.contains("\"server-outages-and-increased-api-errors.md\"]"));
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
    // What the writer still has to write is visible: the two sections an import cannot fill.
    let warnings: Vec<_> = found
        .iter()
        .filter(|f| !f.0.starts_with('H'))
        .map(|f| (f.0.as_str(), f.2))
        .collect();
    assert_eq!(
        warnings,
        [("W802", Some(38)), ("W802", Some(42))],
        "{found:?}"
    );
}

#[test]
fn one_incident_of_a_list_with_offsets_converted_to_the_chosen_zone() {
    let project = project("valid");
    let root = project.path();
    let file = fixture_json("incidents.json");
    let out = run(
        root,
        &[
            "import",
            "statuspage",
            file.to_str().unwrap(),
            "--issue",
            "january-2021",
            "--id",
            "aaa111",
            "--timezone",
            "UTC",
            "--slug",
            "declines",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = std::fs::read_to_string(root.join("issues/january-2021/declines.md")).unwrap();
    // -06:00 times in UTC: 23:40 on Feb 1 is 05:40 on Feb 2.
    assert!(
        draft.contains("date = 2021-02-02")
            && draft.contains("- [05:40] **Investigating**:")
            && draft.contains("- [07:15] **Resolved**:"),
        "{draft}"
    );
    assert!(
        draft.contains("## Summary\n\nA certificate on one of our card network links expired")
            && !draft.contains("# What happened"),
        "a postmortem section that names one of the write-up's gives it its text: {draft}"
    );
    assert_eq!(check_json(root).1, 0);
}

#[test]
fn a_list_without_an_id_names_the_choices_and_writes_nothing() {
    let project = project("valid");
    let root = project.path();
    let before = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    let out = run(
        root,
        &[
            "import",
            "statuspage",
            fixture_json("incidents.json").to_str().unwrap(),
            "--issue",
            "january-2021",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("choose one with --id")
            && stderr.contains("aaa111 (Elevated card declines)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read_dir(root.join("issues/january-2021"))
            .unwrap()
            .count(),
        3,
        "no partial file"
    );
}

#[test]
fn bad_json_a_missing_field_or_an_unknown_status_is_named() {
    let project = project("valid");
    let root = project.path();
    let single = std::fs::read_to_string(fixture_json("single.json")).unwrap();
    let cases = [
        ("{\"incident\": ", "the JSON cannot be read"),
        (
            &single.replace("\"name\": \"Server Outages and Increased API Errors\",", "") as &str,
            "`incident`: missing field `name`",
        ),
        (
            &single.replace("\"status\": \"monitoring\"", "\"status\": \"panicking\""),
            "`incident.incident_updates[1].status`: unknown variant `panicking`",
        ),
        (
            &single.replace(
                "\"created_at\": \"2020-03-20T21:24:11.012Z\",\n    \"updated_at\"",
                "\"created_at\": \"yesterday\",\n    \"updated_at\"",
            ),
            "`incident.created_at`",
        ),
    ];
    for (json, expected) in cases {
        let path = root.join("bad.json");
        std::fs::write(&path, json).unwrap();
        let out = run(
            root,
            &[
                "import",
                "statuspage",
                path.to_str().unwrap(),
                "--issue",
                "january-2021",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(root.join("issues/january-2021"))
                .unwrap()
                .count(),
            3,
            "no partial file"
        );
    }
}

#[test]
fn json_can_come_from_standard_input() {
    let project = project("valid");
    let root = project.path();
    let out = pir()
        .arg("--root")
        .arg(root)
        .args([
            "import",
            "statuspage",
            "-",
            "--issue",
            "january-2021",
            "--slug",
            "piped",
        ])
        .write_stdin(std::fs::read(fixture_json("single.json")).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root.join("issues/january-2021/piped.md").is_file());
}

#[test]
fn a_bare_incident_imports_and_a_second_import_needs_force() {
    let project = project("valid");
    let root = project.path();
    // The single-incident endpoint's body without its {"incident": ...} wrapper.
    let wrapped: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_json("single.json")).unwrap())
            .unwrap();
    let bare = root.join("bare.json");
    std::fs::write(&bare, wrapped["incident"].to_string()).unwrap();
    let args = [
        "import",
        "statuspage",
        bare.to_str().unwrap(),
        "--issue",
        "january-2021",
        "--organization",
        "Discord",
        "--timezone",
        "UTC",
    ];
    let out = run(root, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = root.join("issues/january-2021/server-outages-and-increased-api-errors.md");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("timezone = \"UTC\"")
    );

    std::fs::write(&path, "edited").unwrap();
    let out = run(root, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already exists") && err.contains("--force") && !err.contains("os error"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "edited",
        "never replaced without --force"
    );
    let out = run(root, &[&args[..], &["--force"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("kind = \"incident\"")
    );
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    assert_eq!(
        toml.matches("server-outages-and-increased-api-errors.md")
            .count(),
        1,
        "listed once: {toml}"
    );
    assert_eq!(check_json(root).1, 0);
}

#[test]
fn an_unknown_page_zone_is_an_error_not_utc() {
    let project = project("valid");
    let root = project.path();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_json("single.json")).unwrap())
            .unwrap();
    json["page"]["time_zone"] = "Pacific Time (US & Canada)".into();
    let file = root.join("odd-zone.json");
    std::fs::write(&file, json.to_string()).unwrap();
    let out = run(
        root,
        &[
            "import",
            "statuspage",
            file.to_str().unwrap(),
            "--issue",
            "january-2021",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Pacific Time (US & Canada)") && err.contains("--timezone"),
        "{err}"
    );
    assert!(
        !root
            .join("issues/january-2021/server-outages-and-increased-api-errors.md")
            .exists()
    );
}

#[test]
fn a_postmortem_lands_in_the_write_ups_sections_with_its_heading_levels() {
    let project = project("valid");
    let root = project.path();
    let json = fixture_json("postmortem.json");
    let args = [
        "import",
        "statuspage",
        json.to_str().unwrap(),
        "--issue",
        "january-2021",
    ];
    let out = run(root, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft =
        std::fs::read_to_string(root.join("issues/january-2021/map-tiles-failed-to-load.md"))
            .unwrap();
    // started_at is the impact start, with its own entry; the first update is the detection.
    assert!(
        draft.contains("impact_start = \"23:41\"\ndetected = \"23:52\"")
            && draft.contains("- [23:41] The impact begins"),
        "{draft}"
    );
    // The incident's date is the impact's; published is the postmortem's, never before it.
    assert!(
        draft.contains("published = 2022-05-06\ndate = 2022-05-03\n"),
        "{draft}"
    );
    assert!(
        draft.contains(
            "impact = \"Down or unusable for 1 hour 6 minutes: Tile server and Web maps.\""
        ),
        "{draft}"
    );
    assert!(!draft.contains("impact on Statuspage"));
    assert!(
        !draft.contains("published a postmortem"),
        "the postmortem update is not a moment of the incident: {draft}"
    );
    assert!(
        draft.contains("## Summary\n\nA change to the tile cache sent every request to the origin")
    );
    assert!(
        draft.contains(
            "## Investigation and analysis\n\n### Why it spread\n\nClients retried at once"
        ) && draft.contains("#### The retry storm\n"),
        "one level below the section, subheadings below that: {draft}"
    );
    assert!(
        draft.contains("## Action items\n\n- Retries back off and spread out.\n- Cache changes roll out to one region first.\n"),
        "{draft}"
    );
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        !found.iter().any(|f| f.0 == "W802"),
        "nothing left empty: {found:?}"
    );
    // The reading PDF stays PDF/UA: headings go down one level at a time.
    let out = run(
        root,
        &["build", "--output", root.join("public").to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_open_incident_needs_allow_unresolved() {
    let project = project("valid");
    let root = project.path();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_json("postmortem.json")).unwrap())
            .unwrap();
    let updates = json["incident"]["incident_updates"].as_array_mut().unwrap();
    updates.retain(|u| u["status"] == "investigating" || u["status"] == "monitoring");
    json["incident"]["status"] = "monitoring".into();
    let file = root.join("open.json");
    std::fs::write(&file, json.to_string()).unwrap();
    let args = [
        "import",
        "statuspage",
        file.to_str().unwrap(),
        "--issue",
        "january-2021",
    ];
    let out = run(root, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("still \"monitoring\"") && err.contains("--allow-unresolved"),
        "{err}"
    );
    assert!(
        !root
            .join("issues/january-2021/map-tiles-failed-to-load.md")
            .exists()
    );

    let out = run(root, &[&args[..], &["--allow-unresolved"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft =
        std::fs::read_to_string(root.join("issues/january-2021/map-tiles-failed-to-load.md"))
            .unwrap();
    assert!(
        draft.contains("# Still open when imported")
            && draft.contains("resolved = \"2022-05-04 00:31\"")
            && draft.contains("still open when imported."),
        "{draft}"
    );
    assert_eq!(check_json(root).1, 0);
}

#[test]
fn a_markdown_postmortem_becomes_a_draft_that_says_what_is_left_to_write() {
    let project = project("valid");
    let root = project.path();
    let file = repo().join("tests/fixtures/postmortem/calendar-sync.md");
    let args = [
        "import",
        "markdown",
        file.to_str().unwrap(),
        "--issue",
        "january-2021",
    ];
    // The layout has no date: pir asks for one, and writes nothing.
    let out = run(root, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("calendar-sync.md") && err.contains("--date YYYY-MM-DD"),
        "{err}"
    );

    let out = run(
        root,
        &[
            &args[..],
            &["--date", "2021-01-12", "--timezone", "Europe/Paris"],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = root.join("issues/january-2021/calendar-sync-stopped-after-a-certificate-rotati.md");
    let draft = std::fs::read_to_string(&path).unwrap();
    for wanted in [
        "title = \"Calendar sync stopped after a certificate rotation\"",
        "organization = \"Example Calendar\"",
        "date = 2021-01-12",
        "timezone = \"Europe/Paris\"",
        "impact = \"Calendar Sync: For about three hours, calendars on phones stopped syncing after we rotated a certificate that an older client pinned.\"",
        "summary = \"For about three hours",
        "# Its categories: config-change, security\n# Its keywords: tls, certificates, sync\n",
        "sources = [\"https://engineering.example.org/posts/calendar-sync-outage\"]",
        "## Summary\n\nFor about three hours, calendars on phones stopped syncing",
        "## Investigation and analysis\n\n### Background\n\nOur phone apps",
        "### What went wrong\n",
        "#### Why it took three hours\n",
        "## Action items\n\n- Keep a pinned-client test in the rotation checklist.\n",
    ] {
        assert!(draft.contains(wanted), "missing {wanted:?} in:\n{draft}");
    }
    assert!(
        !draft.contains("# Calendar sync stopped"),
        "the body's title is not repeated"
    );
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    assert!(toml.contains("calendar-sync-stopped-after-a-certificate-rotati.md"));
    // check accepts it; what is still pir's example (the timeline) is a W801 warning.
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
    let warnings: Vec<&str> = found
        .iter()
        .filter(|f| f.0.starts_with('W') || f.0.starts_with('E'))
        .map(|f| f.0.as_str())
        .collect();
    assert_eq!(warnings, ["W801"], "{found:?}");
}

/// The Slack export fixture (written by tests/fixtures/slack/make-export.py).
fn slack_export() -> std::path::PathBuf {
    repo().join("tests/fixtures/slack/export")
}

/// Imports #inc-checkout of an export into the valid fixture with `extra` options; the output.
fn import_slack(
    root: &std::path::Path,
    export: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "import",
        "slack",
        export.to_str().unwrap(),
        "--channel",
        "inc-checkout",
        "--issue",
        "january-2021",
        "--organization",
        "Example Co",
    ];
    args.extend(extra);
    run(root, &args)
}

#[test]
fn a_slack_channel_becomes_a_draft_whose_timeline_is_what_the_responders_marked() {
    let project = project("valid");
    let root = project.path();
    let out = import_slack(root, &slack_export(), &["--timezone", "Europe/Berlin"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = std::fs::read_to_string(root.join("issues/january-2021/inc-checkout.md")).unwrap();
    // The marked messages (pinned_to, a :pushpin:, or channels.json's pins), in the chosen zone, from two UTC days.
    let timeline: Vec<&str> = draft
        .lines()
        .filter(|l| l.starts_with("- [") && l.as_bytes()[3].is_ascii_digit())
        .collect();
    assert_eq!(
        timeline,
        [
            "- [00:41] @priya: Opening this channel for the checkout errors. @sam-o can you look at the payment gateway?",
            "- [00:46] @lena-fischer: The payments service restarted at 23:38, **every** pod at once. Looking at why",
            "- [00:52] @dsokolov: Connection pool on the orders database is full: 500/500. Что-то держит соединения",
            "- [00:58] @priya: Decision: pause the export job, then restart payments in two batches. See [the restart runbook](https://runbooks.example.com/payments#restart)",
            "- [01:19] @sam-o: Checkout error rate back under 0.1%, watching for 10 more minutes. Status page: [incident 42](https://status.example.com/incidents/42)",
            "- [01:31] @priya: Resolved. Thank you all, `@here`: write-up on Thursday in \\#general",
        ],
        "{draft}"
    );
    // A thread stays under its parent.
    assert!(draft.contains("Что-то держит соединения\n  - 00:53, @sam-o: Is that the new batch job? It started at 23:35\n  - 00:54, @dsokolov: Yes, the nightly export holds a connection per shard \\& never lets go\n"), "{draft}");
    // The rest is a log in a comment, threads indented; joins, bots and edit events are left out.
    let log = &draft[draft.find("The rest of the channel").unwrap()
        ..draft.find("\n-->\n\n## Investigation").unwrap()];
    assert!(
        log.contains("Left out: 1 join, 2 bot messages, 1 edit event, 0 other events."),
        "{log}"
    );
    assert!(
        log.contains("\n00:43 @sam-o: On it.")
            && log.contains("\n    01:06 @lena-fischer: Thanks Ελένη, that matches"),
        "{log}"
    );
    for gone in [
        "Triggered:",
        "Resolved: checkout",
        "has joined",
        "every pod at once.\"",
        "Lunch at noon",
    ] {
        assert!(!draft.contains(gone), "{gone} is in the draft:\n{draft}");
    }
    // The cast: one member per person, by the export's current names and titles (Sam was "sammy" before).
    assert!(
        draft.contains(
            "[[cast]]\nid = \"sam-o\"\nname = \"Sam O.\"\nrole = \"Site reliability engineer\"\n"
        ),
        "{draft}"
    );
    assert!(
        draft.contains(
            "[[cast]]\nid = \"dsokolov\"\nname = \"Дима\"\nrole = \"Database engineer\"\n"
        ),
        "{draft}"
    );
    assert!(
        !draft.contains("sammy") && draft.matches("[[cast]]").count() == 5,
        "{draft}"
    );
    assert!(
        draft.contains("ask them before you publish"),
        "the names are a choice: {draft}"
    );
    // Key moments are the first and last marked messages; the impact and title are the channel's purpose and topic.
    assert!(
        draft.contains("impact_start = \"00:41\"\nresolved = \"01:31\"\n"),
        "{draft}"
    );
    assert!(
        draft.contains("title = \"Checkout failing with 502s\"")
            && draft
                .contains("impact = \"Customers could not pay at checkout for about 40 minutes.\"")
    );
    assert!(draft.contains("1. Give the nightly export its own connection pool, capped at 50 (raised by Priya at 01:33)\n2. Alert when the orders pool is above 80% for five minutes (raised by Дима at 01:34)\n"), "{draft}");
    // It passes check with hints only, and builds: its words reach the PDF.
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
    assert!(found.iter().all(|f| f.0.starts_with('H')), "{found:?}");
    let (_dir, public) = build_to_temp(root);
    let pdf = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(public.join("issues/january-2021/issue-1.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&pdf.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Что-то держит соединения") && text.contains("Дима · Database engineer"),
        "{text}"
    );
}

#[test]
fn a_slack_export_zip_gives_the_same_draft_as_its_folder() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("Example Slack export Mar 5 2024.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for rel in [
        "users.json",
        "channels.json",
        "inc-checkout/2024-03-05.json",
        "inc-checkout/2024-03-06.json",
        "general/2024-03-05.json",
    ] {
        zip.start_file(format!("Example Slack export Mar 5 2024/{rel}"), options)
            .unwrap();
        zip.write_all(&std::fs::read(slack_export().join(rel)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let (a, b) = (project("valid"), project("valid"));
    assert!(
        import_slack(a.path(), &slack_export(), &[])
            .status
            .success()
    );
    let out = import_slack(b.path(), &zip_path, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |p: &tempfile::TempDir| {
        std::fs::read_to_string(p.path().join("issues/january-2021/inc-checkout.md")).unwrap()
    };
    let draft = read(&a);
    assert_eq!(draft, read(&b));
    // In UTC the incident crosses midnight: the entries after it carry their date.
    assert!(
        draft.contains("- [23:58] @priya: Decision")
            && draft.contains("- [2024-03-06 00:19] @sam-o:"),
        "{draft}"
    );
    assert!(draft.contains("resolved = \"2024-03-06 00:31\""), "{draft}");
    assert_eq!(check_json(b.path()).1, 0);
}

#[test]
fn anonymise_names_people_by_their_roles_everywhere() {
    let project = project("valid");
    let root = project.path();
    let out = import_slack(root, &slack_export(), &["--anonymise"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = std::fs::read_to_string(root.join("issues/january-2021/inc-checkout.md")).unwrap();
    for name in [
        "Priya",
        "priya",
        "Raman",
        "Sam O",
        "Okafor",
        "sokafor",
        "Lena",
        "Fischer",
        "Дима",
        "Дмитрий",
        "Соколов",
        "dsokolov",
        "Ελένη",
        "Παππά",
        "eleni",
        "sammy",
    ] {
        assert!(
            !draft.contains(name),
            "{name} is in the anonymised draft:\n{draft}"
        );
    }
    assert!(
        draft.contains("[[cast]]\nid = \"incident-commander\"\nname = \"Incident commander\"\n")
    );
    assert!(
        draft.contains("id = \"responder\"\nname = \"Responder\"\n"),
        "no title, no name: {draft}"
    );
    assert!(
        draft.contains("@payments-engineer: Incident commander, export job paused."),
        "a name in the text is replaced: {draft}"
    );
    assert!(!draft.contains("ask them before you publish"));
    assert_eq!(check_json(root).1, 0);
}

#[test]
fn since_and_until_choose_the_days_and_bad_input_is_named() {
    let project = project("valid");
    let root = project.path();
    assert!(
        import_slack(
            root,
            &slack_export(),
            &["--until", "2024-03-05", "--slug", "first-day"]
        )
        .status
        .success()
    );
    let draft = std::fs::read_to_string(root.join("issues/january-2021/first-day.md")).unwrap();
    assert!(
        draft.contains("resolved = \"23:58\"") && !draft.contains("00:19"),
        "{draft}"
    );
    // A channel that is not there gets the closest name.
    let out = run(
        root,
        &[
            "import",
            "slack",
            slack_export().to_str().unwrap(),
            "--channel",
            "inc-chekout",
            "--issue",
            "january-2021",
        ],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the export has no channel `inc-chekout`: did you mean `inc-checkout`?")
    );
    // Fewer than two marked messages is no timeline: it says how to mark them.
    let out = run(
        root,
        &[
            "import",
            "slack",
            slack_export().to_str().unwrap(),
            "--channel",
            "general",
            "--issue",
            "january-2021",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("1 message of #general is pinned or carries :pushpin:"),
        "{err}"
    );
    // A field of the wrong shape names the file and the field.
    let broken = tempfile::tempdir().unwrap();
    copy_dir(&slack_export(), broken.path());
    let day = broken.path().join("inc-checkout/2024-03-06.json");
    let text = std::fs::read_to_string(&day).unwrap();
    std::fs::write(
        &day,
        text.replacen("\"ts\": \"", "\"ts\": 17, \"was\": \"", 1),
    )
    .unwrap();
    let out = import_slack(root, broken.path(), &["--slug", "broken"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "inc-checkout/2024-03-06.json: `[0].ts`: invalid type: integer `17`, expected a string"
        ),
        "{err}"
    );
    assert!(!root.join("issues/january-2021/broken.md").exists());
}
