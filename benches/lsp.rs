//! Benchmark: from a keystroke in Issue 2's Discord write-up to its diagnostics.
//!
//! Drives the real `pir lsp` over stdio, as an editor does: each round sends
//! a `didChange` that makes a time run backwards (or mends it) and waits for
//! the `publishDiagnostics` of that version. The time includes the server's
//! debounce (10 ms by default; also measured with 0), the JSON-RPC round
//! trip and the check. Baseline, measured in the same run: `pir check` of
//! the same project in process. Run with `cargo bench --bench lsp`.

#[path = "support/measure.rs"]
mod measure;
use measure::{median, ms, ratio};

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// Timed keystrokes per measurement (after one warm-up).
const RUNS: usize = 41;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("zine.toml"), dir.path().join("zine.toml")).expect("copy zine.toml");
    for folder in ["issues", "pocket"] {
        copy_dir(&repo.join(folder), &dir.path().join(folder));
    }
    let baseline = median(RUNS, || {
        let report = pir::check::check(dir.path());
        assert!(!report.has_errors());
    });
    let debounced = keystrokes(dir.path(), None);
    let immediate = keystrokes(dir.path(), Some(0));
    println!("Issue 2: a keystroke in discord.md to its published diagnostics, median of {RUNS}");
    println!(
        "  baseline: pir::check::check (in process)   {:>8.2} ms",
        ms(baseline)
    );
    println!(
        "  pir lsp, default 10 ms debounce            {:>8.2} ms   {:.1}x baseline",
        ms(debounced),
        ratio(debounced, baseline)
    );
    println!(
        "  pir lsp, debounceMs = 0                    {:>8.2} ms   {:.1}x baseline",
        ms(immediate),
        ratio(immediate, baseline)
    );
}

/// Starts `pir lsp`, opens discord.md and times didChange -> publishDiagnostics.
fn keystrokes(root: &Path, debounce_ms: Option<u64>) -> Duration {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pir"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pir lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let incoming = reader(BufReader::new(child.stdout.take().expect("stdout")));
    let options = debounce_ms.map_or(Value::Null, |ms| json!({ "debounceMs": ms }));
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "initializationOptions": options } }),
    );
    wait(&incoming, |m| m["id"] == 1);
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    );
    let path = root.join("issues/march-2020/discord.md");
    let uri = url::Url::from_file_path(&path)
        .expect("absolute path")
        .to_string();
    let text = std::fs::read_to_string(&path).expect("read discord.md");
    let open = json!({ "uri": uri, "languageId": "markdown", "version": 0, "text": text });
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": open } }),
    );
    wait(&incoming, |m| m["params"]["version"] == 0);
    let before = &text[..text.find("[14:31]").expect("the 14:31 entry") + 1];
    let line = before.matches('\n').count();
    let col = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    let mut version = 0;
    let took = median(RUNS, || {
        version += 1;
        let new = if version % 2 == 1 { "14:13" } else { "14:31" };
        let range = json!({ "start": { "line": line, "character": col }, "end": { "line": line, "character": col + 5 } });
        let change = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": range, "text": new }] });
        send(
            &mut stdin,
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": change }),
        );
        let published = wait(&incoming, |m| m["params"]["version"] == version);
        let errors = published["params"]["diagnostics"]
            .as_array()
            .map_or(0, |d| d.iter().filter(|d| d["code"] == "E304").count());
        assert_eq!(
            errors,
            usize::from(version % 2 == 1),
            "the backwards time is reported, the mended one is not"
        );
    });
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
    );
    wait(&incoming, |m| m["id"] == 2);
    send(&mut stdin, &json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert!(child.wait().expect("pir lsp ends").success());
    took
}

/// Reads the server's frames on a thread.
fn reader(mut out: BufReader<std::process::ChildStdout>) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if out.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                match line.trim_end() {
                    "" => break,
                    h => {
                        length = h
                            .strip_prefix("Content-Length: ")
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(length)
                    }
                }
            }
            let mut body = vec![0; length];
            if out.read_exact(&mut body).is_err()
                || tx
                    .send(serde_json::from_slice(&body).unwrap_or(Value::Null))
                    .is_err()
            {
                return;
            }
        }
    });
    rx
}

/// Sends one message.
fn send(stdin: &mut ChildStdin, msg: &Value) {
    let body = msg.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to pir lsp");
    stdin.flush().expect("flush");
}

/// The next message `pick` accepts.
fn wait(incoming: &Receiver<Value>, pick: impl Fn(&Value) -> bool) -> Value {
    loop {
        let msg = incoming
            .recv_timeout(Duration::from_secs(20))
            .expect("pir lsp answers");
        if pick(&msg) {
            return msg;
        }
    }
}

/// Copies a folder tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
