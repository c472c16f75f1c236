//! `pir check` on real projects: the valid fixture, Issue 2, byte-level
//! input and the coverage of the rules (tests/invalid.rs runs each case of
//! `tests/invalid/` as a test of its own).

mod common;

use std::path::Path;

use common::*;

#[test]
fn every_code_has_an_invalid_case_or_a_byte_level_test() {
    let dir = repo().join("tests/invalid");
    let covered: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy()[..4].to_string())
        .collect();
    // These need bytes or file types a text case cannot hold; tests below cover them.
    let byte_level = ["E001", "E002", "E012", "E015"];
    // Typesetting codes come from `pir build`; tests/build.rs covers them.
    let build_time = ["E601", "E602", "E603", "W601", "W602", "W603"];
    for code in pir::diagnostic::Code::ALL {
        let c = code.code();
        assert!(
            covered.iter().any(|x| x == c) || byte_level.contains(&c) || build_time.contains(&c),
            "no invalid case for {c}"
        );
    }
}

#[test]
fn the_valid_fixture_is_clean() {
    let project = project("valid");
    let out = run(project.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 1 issue, 2 pieces: no problems\n"
    );
}

#[test]
fn issue_2_passes_with_no_warnings() {
    let (found, code) = check_json(&repo());
    // Only the documentary hint: half the timeline's entries name nobody's view.
    assert_eq!(
        found,
        vec![(
            "H702".to_string(),
            "issues/march-2020/discord.md".to_string(),
            Some(83)
        )],
        "Issue 2 must check clean"
    );
    assert_eq!(code, 0);
}

#[test]
fn invalid_utf8_is_reported_at_its_line() {
    let project = project("valid");
    write(
        project.path(),
        "issues/january-2021/note.md",
        b"+++\nkind = \"editors-note\"\ntitle = \"Caf\xe9\"\n+++\n",
    );
    let (found, code) = check_json(project.path());
    assert_eq!(
        found,
        vec![("E002".into(), "issues/january-2021/note.md".into(), Some(3))]
    );
    assert_eq!(code, 1);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let project = project("valid");
    let note =
        "\u{feff}+++\r\nkind = \"editors-note\"\r\ntitle = \"Hello\"\r\n+++\r\n\r\nA note.\r\n";
    write(project.path(), "issues/january-2021/note.md", note);
    let outage =
        std::fs::read_to_string(project.path().join("issues/january-2021/outage.md")).unwrap();
    write(
        project.path(),
        "issues/january-2021/outage.md",
        outage.replace('\n', "\r\n"),
    );
    let (found, code) = check_json(project.path());
    assert_eq!((found, code), (vec![], 0));
}

#[test]
fn binary_junk_and_empty_files_get_diagnostics_not_panics() {
    let project = project("valid");
    write(
        project.path(),
        "issues/january-2021/note.md",
        b"\x00\x01\x02PK\x03\x04\x00\x00junk",
    );
    write(project.path(), "issues/january-2021/outage.md", b"");
    let (found, code) = check_json(project.path());
    assert_eq!(
        found,
        vec![
            ("E201".into(), "issues/january-2021/note.md".into(), Some(1)),
            (
                "E201".into(),
                "issues/january-2021/outage.md".into(),
                Some(1)
            )
        ]
    );
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_piece_is_an_io_error() {
    let project = project("valid");
    let note = project.path().join("issues/january-2021/note.md");
    std::fs::remove_file(&note).unwrap();
    std::os::unix::fs::symlink(Path::new("/nonexistent/pir-test"), &note).unwrap();
    let (found, code) = check_json(project.path());
    assert_eq!(
        found,
        vec![("E001".into(), "issues/january-2021/note.md".into(), None)]
    );
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn an_image_symlinked_out_of_the_project_is_outside() {
    let project = project("valid");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.svg"), "<svg/>").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.svg"),
        project.path().join("issues/january-2021/x.svg"),
    )
    .unwrap();
    write(
        project.path(),
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hi\"\n+++\n\n![A picture](x.svg)\n",
    );
    let (found, _) = check_json(project.path());
    assert_eq!(
        found,
        vec![("E402".into(), "issues/january-2021/note.md".into(), Some(6))]
    );
}

#[test]
fn json_lines_carry_every_field() {
    let project = project("valid");
    write(
        project.path(),
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitel = \"Hello\"\n+++\n",
    );
    let out = run(project.path(), &["check", "--format", "json"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "the unknown `titel` carries the missing `title`: one mistake, one error"
    );
    let first = lines.iter().find(|l| l["code"] == "E004").unwrap();
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "E004");
    assert_eq!(first["name"], "unknown-key");
    assert_eq!(first["file"], "issues/january-2021/note.md");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(3), Some(6))
    );
    assert_eq!(first["hint"], "did you mean `title`?");
    assert_eq!(
        first["message"],
        "unknown key `titel` in the front matter: did you mean `title`, which is required?"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let project = project("valid");
    write(
        project.path(),
        "zine.toml",
        "title = 1\nlanguage = \"english\"\n",
    );
    write(
        project.path(),
        "issues/january-2021/note.md",
        "+++\nkind = \"note\"\n+++\n",
    );
    let (found, code) = check_json(project.path());
    let codes: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    // Sorted by file, then position: the note (missing title, unknown kind), then zine.toml.
    assert_eq!(
        codes,
        [
            "E005", "E204", "E005", "E005", "E005", "E005", "E006", "E007"
        ],
        "{found:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn warnings_pass_unless_denied() {
    let project = project("valid");
    write(
        project.path(),
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hi\"\n+++\n\nA <b>bold</b> move.\n",
    );
    assert_eq!(run(project.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        run(project.path(), &["check", "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_errors_exit_2() {
    let empty = tempfile::tempdir().unwrap();
    let out = run(empty.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no zine.toml"));
    assert_eq!(
        pir()
            .args(["check", "--format", "xml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        pir().arg("frobnicate").output().unwrap().status.code(),
        Some(2)
    );
}

#[test]
fn check_finds_the_project_from_a_subfolder() {
    let project = project("valid");
    let out = pir()
        .current_dir(project.path().join("issues/january-2021"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_readme_documents_every_rule() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for code in pir::diagnostic::Code::ALL {
        let row = format!("| {} | `{}` |", code.code(), code.name());
        assert!(
            readme.contains(&row),
            "README lacks the row for {} {}",
            code.code(),
            code.name()
        );
    }
}

#[test]
fn a_50_mb_piece_is_refused_with_its_size() {
    let project = project("valid");
    let mut big = b"+++\nkind = \"editors-note\"\ntitle = \"Big\"\n+++\n\n".to_vec();
    big.resize(50 << 20, b'a');
    write(project.path(), "issues/january-2021/note.md", &big);
    let out = run(project.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E012 file-too-large") && stderr.contains("note.md is 50.0 MiB"),
        "{stderr}"
    );
}

#[test]
fn a_pasted_log_as_one_paragraph_is_refused_with_a_hint_and_as_code_it_passes() {
    let project = project("valid");
    let root = project.path();
    let log = "GET /api/v9/gateway 200 latency=12ms node-17 ".repeat(2000);
    write(
        root,
        "issues/january-2021/note.md",
        format!(
            "+++\nkind = \"editors-note\"\ntitle = \"Log\"\n+++\n\nA short paragraph.\n\n{log}\n"
        ),
    );
    let out = run(root, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let head: String = stderr.chars().take(300).collect();
    assert!(
        stderr.contains("E015 paragraph-too-long")
            && stderr.contains("note.md:8:1")
            && stderr.contains("code block"),
        "{head}"
    );
    let lines = log.replace("node-17 ", "node-17\n");
    write(
        root,
        "issues/january-2021/note.md",
        format!("+++\nkind = \"editors-note\"\ntitle = \"Log\"\n+++\n\n```\n{lines}```\n"),
    );
    assert_eq!(run(root, &["check"]).status.code(), Some(0));
}

#[test]
fn zone_hints_never_change_what_the_times_mean() {
    let project = project("valid");
    let path = project.path().join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let fix_for = |zone: &str| {
        std::fs::write(
            &path,
            text.replace("timezone: Europe/Berlin", &format!("timezone: \"{zone}\"")),
        )
        .unwrap();
        let out = run(project.path(), &["check", "--format", "json"]);
        let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 1, "{lines:#?}");
        (
            lines[0]["suggestion"]["replacement"]
                .as_str()
                .map(str::to_string),
            lines[0]["hint"].as_str().unwrap().to_string(),
        )
    };
    // An offset's exact equivalent, never `UTC`, which would shift every time by six hours.
    let (fix, hint) = fix_for("UTC-6");
    assert_eq!(fix.as_deref(), Some("Etc/GMT+6"), "{hint}");
    assert!(hint.contains("America/Chicago"));
    // The place's zone, never the POSIX-style CST6CDT.
    assert_eq!(fix_for("CST").0.as_deref(), Some("America/Chicago"));
    assert_eq!(fix_for("PDT").0.as_deref(), Some("America/Los_Angeles"));
    // Ambiguous: three countries use IST, so there is no one fix.
    let (fix, hint) = fix_for("IST");
    assert_eq!(fix, None);
    assert!(
        hint.contains("Asia/Kolkata") && hint.contains("Europe/Dublin"),
        "{hint}"
    );
}

/// Checks `value` against the parts of JSON Schema that schemas/diagnostic-v1.schema.json uses.
fn conforms(schema: &serde_json::Value, value: &serde_json::Value, at: &str) -> Result<(), String> {
    use serde_json::Value;
    let type_name = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if let Some(t) = schema.get("type") {
        let allowed: Vec<&str> = t.as_array().map_or_else(
            || vec![t.as_str().unwrap()],
            |a| a.iter().map(|x| x.as_str().unwrap()).collect(),
        );
        if !allowed.contains(&type_name(value)) {
            return Err(format!("{at}: {} is not {allowed:?}", type_name(value)));
        }
    }
    if let Some(c) = schema.get("const").filter(|c| *c != value) {
        return Err(format!("{at}: {value} is not {c}"));
    }
    if let Some(list) = schema
        .get("enum")
        .and_then(Value::as_array)
        .filter(|l| !l.contains(value))
    {
        return Err(format!("{at}: {value} is not one of {list:?}"));
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_i64),
        value.as_i64(),
    ) && n < min
    {
        return Err(format!("{at}: {n} < {min}"));
    }
    if let Value::Object(map) = value {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !map.contains_key(key.as_str().unwrap()) {
                return Err(format!("{at}: missing {key}"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in map {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => conforms(sub, v, &format!("{at}.{k}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{at}: unexpected {k}"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(sub)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(sub, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn json_lines_follow_the_published_schema_with_end_positions_everywhere() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/diagnostic-v1.schema.json")).unwrap(),
    )
    .unwrap();
    let project = project("valid");
    let root = project.path();
    // An out-of-order entry (related place and a suggested fix) and a folder with no issue.toml (no text to point into).
    let path = root.join("issues/january-2021/outage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("- [23:55 to 2021-01-10 00:30]", "- [23:55]")
            .replace("- [00:45]", "- [00:30] Back.\n- [00:45]"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("issues/february-2021")).unwrap();
    let out = run(root, &["check", "--format", "json"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 2, "{lines:#?}");
    for line in &lines {
        conforms(&schema, line, "$").unwrap_or_else(|e| panic!("{e}\n{line:#}"));
    }
    let order = lines
        .iter()
        .find(|l| l["code"] == "E304")
        .expect("the out-of-order entry");
    let related = &order["related"][0];
    assert_eq!(
        (related["line"].as_u64(), related["column"].as_u64()),
        (Some(28), Some(4))
    );
    assert_eq!(
        (related["end_line"].as_u64(), related["end_column"].as_u64()),
        (Some(28), Some(9)),
        "the end of `23:55`"
    );
    assert_eq!(order["suggestion"]["replacement"], "2021-01-10 00:30");
    assert_eq!(order["label"], "out of order");
    let folder = lines
        .iter()
        .find(|l| l["code"] == "E101")
        .expect("the folder without issue.toml");
    assert_eq!(folder["line"], serde_json::Value::Null);
    // The schema's version is the one pir writes.
    assert_eq!(
        schema["properties"]["version"]["const"],
        pir::diagnostic::JSON_SCHEMA_VERSION
    );
}
