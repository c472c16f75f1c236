//! Every case of `tests/invalid/` as a test of its own: `pir check` on the
//! valid fixture with the case's files written over it must report exactly
//! the case's diagnostics (code, file, line), exit as they say, and print
//! the human output of its snapshot. A data-driven harness (libtest-mimic),
//! so one failing case never hides the others and `cargo test E304` runs one.

mod common;

use common::*;
use libtest_mimic::{Arguments, Failed, Trial};

/// A case file: `# expect: CODE file[:line]` lines, then `=== path` sections.
struct Case {
    expect: Vec<Found>,
    files: Vec<(String, String)>,
}

/// Reads a case file.
fn parse_case(text: &str) -> Case {
    let mut expect = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("=== ") {
            files.push((path.to_string(), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
            body.push('\n');
        } else if let Some(e) = line.strip_prefix("# expect: ") {
            let (code, place) = e.split_once(' ').expect("`# expect: CODE file[:line]`");
            let (file, line) = match place.rsplit_once(':') {
                Some((f, l)) => (f.to_string(), Some(l.parse().expect("a line number"))),
                None => (place.to_string(), None),
            };
            expect.push((code.to_string(), file, line));
        }
    }
    Case { expect, files }
}

/// Runs one case; the error says what differs.
fn run_case(name: &str, text: &str) -> Result<(), Failed> {
    let case = parse_case(text);
    if case.expect.is_empty() {
        return Err(format!("{name} expects nothing").into());
    }
    let project = project("valid");
    for (rel, body) in &case.files {
        write(project.path(), rel, body);
    }
    let (mut found, code) = check_json(project.path());
    let mut expect = case.expect.clone();
    // Hints are advice: a case that expects none ignores them.
    if !expect.iter().any(|e| e.0.starts_with('H')) {
        found.retain(|f| !f.0.starts_with('H'));
    }
    found.sort();
    expect.sort();
    if found != expect {
        return Err(format!("expected {expect:?}\nfound    {found:?}").into());
    }
    let errors = expect.iter().any(|e| e.0.starts_with('E'));
    let want = if errors { 1 } else { 0 };
    if code != want {
        return Err(format!("exit code {code}, expected {want}").into());
    }
    let human = String::from_utf8(run(project.path(), &["check"]).stderr).expect("UTF-8 output");
    let snapshot = std::panic::catch_unwind(|| {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(repo().join("tests/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("invalid-{name}"), human));
    });
    snapshot.map_err(|_| {
        Failed::from(format!(
            "the human output differs from tests/snapshots/invalid-{name}.snap (cargo insta review)"
        ))
    })
}

fn main() {
    let args = Arguments::from_args();
    let dir = repo().join("tests/invalid");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/invalid")
        .map(|e| e.expect("an entry").path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "the invalid set shrank");
    let trials = paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .expect("a name")
                .to_string_lossy()
                .to_string();
            let text = std::fs::read_to_string(&path).expect("a readable case");
            Trial::test(name.clone(), move || run_case(&name, &text))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
