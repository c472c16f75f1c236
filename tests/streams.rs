//! Exit codes and output streams: a crash is a short message and a documented
//! code, a reader that closes the pipe early is not an error, and long
//! diagnostics reach the terminal in few writes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

#[test]
fn a_crash_is_a_short_message_and_exit_code_3() {
    let out = pir()
        .env("PIR_TEST_PANIC", "1")
        .arg("prompts")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with("error: pir crashed, which is a bug in pir"),
        "{stderr}"
    );
    assert!(stderr.contains("please report it"), "{stderr}");
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "no raw backtrace advice: {stderr}"
    );
}

#[test]
fn a_closed_stdout_ends_quietly_with_0() {
    let project = project("valid");
    let root = project.path();
    // Thousands of warnings: far more JSON than a pipe holds, so pir must see the pipe close.
    let html = "Text with <b>raw</b> HTML.\n\n".repeat(4000);
    write(
        root,
        "issues/january-2021/note.md",
        format!("+++\nkind = \"editors-note\"\ntitle = \"Note\"\n+++\n\n{html}"),
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pir"))
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(root)
        .args(["check", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("W501"), "{first}");
    // The reader is dropped here, as `| head -1` would.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "nothing said about the pipe");
}

#[test]
fn a_long_line_in_a_diagnostic_is_written_in_few_system_calls() {
    if std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("PIR_REQUIRE_BROWSER").is_none(),
            "strace is missing; .ci/run installs it"
        );
        eprintln!("skipped: strace is not installed");
        return;
    }
    let project = project("valid");
    let root = project.path();
    let line = format!(
        "A <b>raw</b> tag on a long line: {}\n",
        "words and more words ".repeat(2500)
    );
    write(
        root,
        "issues/january-2021/note.md",
        format!("+++\nkind = \"editors-note\"\ntitle = \"Note\"\n+++\n\n{line}"),
    );
    let trace = root.join("trace.txt");
    let out = std::process::Command::new("strace")
        .args(["-f", "-e", "trace=write", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_pir"))
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(root)
        .arg("check")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("W501") && stderr.len() > 50_000,
        "the whole line is quoted"
    );
    let writes = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter(|l| l.contains("write(2,"))
        .count();
    assert!(
        writes < 100,
        "{writes} writes to stderr for {} bytes",
        stderr.len()
    );
}
