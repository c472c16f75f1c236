//! `pir new incident --interactive` driven in a real pseudo-terminal, as a
//! writer types: arrow-key edits, a refused answer asked again, and Ctrl-C.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{check_json, project};
use expectrl::{Expect, Session};

/// Left and Right arrow keys, as a terminal sends them.
const LEFT: &str = "\x1b[D";
const RIGHT: &str = "\x1b[C";

/// Starts `pir new incident january-2021 night --interactive` in a pty.
fn start(root: &Path) -> expectrl::session::OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pir"));
    cmd.arg("--root")
        .arg(root)
        .args(["new", "incident", "january-2021", "night", "--interactive"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut session = Session::spawn(cmd).expect("spawn pir in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    session
}

/// Waits for `prompt`, then types `keys` and Enter.
fn answer(s: &mut expectrl::session::OsSession, prompt: &str, keys: &str) {
    s.expect(prompt)
        .unwrap_or_else(|e| panic!("no prompt `{prompt}`: {e}"));
    s.send(keys).unwrap();
    s.send("\r").unwrap();
}

#[test]
fn a_writer_answers_in_a_terminal_and_each_answer_lands_in_its_place() {
    let project = project("valid");
    let root = project.path();
    let mut s = start(root);
    // "The nigt", Left, "h", Right, " the queue stopped": an edit inside the line.
    answer(
        &mut s,
        "Title of the write-up",
        &format!("The nigt{LEFT}h{RIGHT} the queue stopped"),
    );
    answer(&mut s, "Organization", "Northwind Freight");
    answer(&mut s, "Time zone", "CST");
    s.expect("not a time zone pir knows").unwrap();
    answer(&mut s, "Time zone", "America/Chicago");
    answer(&mut s, "Date the incident started", "2021-01-14");
    answer(
        &mut s,
        "Impact in one sentence",
        "Shipments could not be booked for 40 minutes.",
    );
    answer(
        &mut s,
        "Summary",
        "A full queue stopped every booking until we drained it.",
    );
    answer(&mut s, "[impact_start]", "23:50");
    answer(&mut s, "What happened at 23:50?", "Bookings start to fail.");
    answer(
        &mut s,
        "[timeline] Anything else after 23:50?",
        "23:52 The queue depth alarm stays quiet.",
    );
    answer(&mut s, "[timeline] And after 23:52?", "");
    answer(&mut s, "[detected]", "23:55");
    answer(&mut s, "What happened at 23:55?", "@priya is paged.");
    answer(&mut s, "[timeline] Anything else after 23:55?", "");
    answer(&mut s, "[mitigated]", "00:10");
    s.expect("write the date too: 2021-01-15 00:10").unwrap();
    answer(&mut s, "[mitigated]", "");
    answer(&mut s, "[resolved]", "2021-01-15 00:30");
    answer(
        &mut s,
        "What happened at 2021-01-15 00:30?",
        "The queue is empty again.",
    );
    answer(&mut s, "[cast]", "Priya Raman, incident commander");
    s.expect("priya: Priya Raman, incident commander").unwrap();
    answer(&mut s, "[cast]", "priya: Priya Raman, incident commander");
    answer(
        &mut s,
        "What was Priya Raman trying to do?",
        "Get bookings moving",
    );
    answer(&mut s, "What worried Priya Raman?", "Losing orders");
    answer(&mut s, "A key moment Priya Raman remembers", "detected");
    answer(
        &mut s,
        "what did Priya Raman see?",
        "A wall of red on the dashboard",
    );
    answer(&mut s, "what did Priya Raman hear?", "The pager, twice");
    answer(&mut s, "how did Priya Raman feel?", "Wide awake at once");
    answer(&mut s, "A key moment Priya Raman remembers", "");
    answer(&mut s, "[cast]", "priya: Someone else");
    s.expect("already in the cast").unwrap();
    answer(&mut s, "[cast]", "");
    answer(
        &mut s,
        "[first-person]",
        "I saw the queue depth climb and thought of the deploy we had just made.",
    );
    answer(
        &mut s,
        "Action item 1",
        "Alert on queue depth, not only on errors.",
    );
    answer(&mut s, "Action item 2", "");
    s.expect("created issues/january-2021/night.md").unwrap();

    let draft = std::fs::read_to_string(root.join("issues/january-2021/night.md")).unwrap();
    for wanted in [
        "title = \"The night the queue stopped\"",
        "organization = \"Northwind Freight\"",
        "timezone = \"America/Chicago\"",
        "date = 2021-01-14",
        "impact = \"Shipments could not be booked for 40 minutes.\"",
        "impact_start = \"23:50\"\ndetected = \"23:55\"\nresolved = \"2021-01-15 00:30\"\n",
        "[[cast]]\nid = \"priya\"\nname = \"Priya Raman\"\nrole = \"incident commander\"\ngoals = \"Get bookings moving\"\nworries = \"Losing orders\"\n",
        "[cast.moments.detected]\nsaw = \"A wall of red on the dashboard\"\nheard = \"The pager, twice\"\nfelt = \"Wide awake at once\"\n",
        "## Summary\n\nA full queue stopped every booking until we drained it.\n\n## Timeline",
        "- [23:50] Bookings start to fail.\n- [23:52] The queue depth alarm stays quiet.\n- [23:55] @priya is paged.\n- [2021-01-15 00:30] The queue is empty again.\n\n",
        "## Investigation and analysis\n\nI saw the queue depth climb",
        "## Action items\n\n1. Alert on queue depth, not only on errors.\n",
    ] {
        assert!(draft.contains(wanted), "missing {wanted:?} in:\n{draft}");
    }
    assert!(
        !draft.contains('\x1b'),
        "an escape code reached the file:\n{draft}"
    );
    assert!(!draft.contains("Someone else"));
    let (found, code) = check_json(root);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        !found.iter().any(|f| f.0 == "W801" || f.0.starts_with('E')),
        "every example the skeleton had is answered: {found:?}"
    );
}

#[test]
fn ctrl_c_in_the_middle_writes_nothing() {
    let project = project("valid");
    let root = project.path();
    let listed = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    let mut s = start(root);
    answer(&mut s, "Title of the write-up", "Half a story");
    answer(&mut s, "Organization", "Northwind Freight");
    s.expect("Time zone").unwrap();
    s.send("Europe/Be").unwrap();
    s.send("\x03").unwrap();
    let status = s.get_process().wait().unwrap();
    assert!(
        format!("{status:?}").contains("SIGINT"),
        "pir ends as Ctrl-C ends a program: {status:?}"
    );
    assert!(!root.join("issues/january-2021/night.md").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap(),
        listed
    );
}
