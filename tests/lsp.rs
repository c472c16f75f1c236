//! `pir lsp` driven over stdio by a small test client, as an editor drives it:
//! diagnostics that follow the unsaved buffer, quick fixes that clear them,
//! completion, hover, the outline, protocol errors, shutdown and exit.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long a test waits for any one answer before it fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `pir lsp` and what it has said so far.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one `Content-Length` frame.
fn read_frame(out: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts `pir lsp` and reads its stdout on a thread.
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pir"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(msg) = read_frame(&mut out) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    /// Starts the server and goes through initialize / initialized.
    fn initialized() -> Client {
        let mut c = Client::start();
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(
            init["result"]["capabilities"]["positionEncoding"], "utf-16",
            "{init}"
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "pir");
        c.notify("initialized", json!({}));
        c
    }

    /// Sends raw bytes as one frame.
    fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// Sends a notification.
    fn notify(&mut self, method: &str, params: Value) {
        self.send_raw(&json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string());
    }

    /// Sends a request and waits for its response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send_raw(
            &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string(),
        );
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// Waits for a message that `pick` accepts, keeping the others for later.
    fn wait(&mut self, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pick) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(msg) if pick(&msg) => return msg,
                Ok(msg) => self.backlog.push(msg),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no answer in time; got meanwhile: {:#?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; got: {:#?}", self.backlog)
                }
            }
        }
    }

    /// Waits for the next diagnostics published for `uri`, dropping older ones for it.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.backlog.retain(|m| {
            !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        });
        let msg = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Waits for the process to end and returns its exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "pir lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A temp copy of the repository's own project (Issue 2 and its pocket zine).
fn issue_two() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    std::fs::copy(repo.join("zine.toml"), dir.path().join("zine.toml")).unwrap();
    for folder in ["issues", "pocket"] {
        common::copy_dir(&repo.join(folder), &dir.path().join(folder));
    }
    dir
}

/// The Discord write-up's path and URL in a project.
fn discord(root: &Path) -> (PathBuf, String) {
    let path = root.join("issues/march-2020/discord.md");
    let uri = url::Url::from_file_path(&path).unwrap().to_string();
    (path, uri)
}

/// Opens a file in the server with its text on disk.
fn open(c: &mut Client, path: &Path, uri: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }));
    text
}

/// The 0-based line and UTF-16 column of the first `needle` in `text`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    line_col(
        text,
        text.find(needle)
            .unwrap_or_else(|| panic!("`{needle}` is not in the text")),
    )
}

/// The 0-based line and UTF-16 column of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let line = text[..at].matches('\n').count();
    let col = text[..at]
        .rsplit('\n')
        .next()
        .unwrap()
        .encode_utf16()
        .count();
    (line, col)
}

/// An LSP range from line/column pairs.
fn range(start: (usize, usize), end: (usize, usize)) -> Value {
    json!({ "start": { "line": start.0, "character": start.1 }, "end": { "line": end.0, "character": end.1 } })
}

/// Replaces the first `old` in the buffer with `new`, as an incremental didChange.
fn replace(c: &mut Client, uri: &str, text: &mut String, version: i64, old: &str, new: &str) {
    let at = text
        .find(old)
        .unwrap_or_else(|| panic!("`{old}` is not in the text"));
    let r = range(pos(text, old), line_col(text, at + old.len()));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": r, "text": new }] }),
    );
    *text = text.replacen(old, new, 1);
}

/// The codes of a list of LSP diagnostics.
fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn a_backwards_time_in_the_buffer_is_reported_and_its_quick_fix_clears_it() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    let clean = c.diagnostics(&uri);
    assert_eq!(
        codes(&clean),
        ["H702"],
        "Issue 2 has no errors or warnings, one hint"
    );

    // A typo: 14:31 becomes 14:13, earlier than 14:24 before it. Nothing is saved.
    replace(&mut c, &uri, &mut text, 2, "[14:31]", "[14:13]");
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["H702", "E304"], "{diags:#?}");
    let e304 = &diags[1];
    let (line, col) = pos(&text, "14:13");
    assert_eq!(e304["range"], range((line, col), (line, col + 5)));
    assert_eq!(e304["severity"], 1);
    assert_eq!(e304["source"], "pir");
    assert!(
        e304["message"]
            .as_str()
            .unwrap()
            .starts_with("this entry (14:13) is earlier than the one before it (14:24)")
    );
    let related = &e304["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert_eq!(
        related["location"]["range"]["start"]["line"],
        pos(&text, "[14:24]").0
    );
    assert!(
        std::fs::read_to_string(&path).unwrap().contains("[14:31]"),
        "the file on disk is untouched"
    );
    // 14:13 is no time after midnight: no quick fix guesses a date for it.
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diags[1]["range"], "context": { "diagnostics": diags } }),
    );
    assert_eq!(actions["result"], json!([]), "{actions}");
    replace(&mut c, &uri, &mut text, 3, "[14:13]", "[14:31]");
    assert_eq!(c.diagnostics(&uri), clean, "fixed, so cleared");

    // The mitigation at 23:00 moves past midnight, to 01:00: earlier than 15:32 unless it has a date.
    replace(&mut c, &uri, &mut text, 4, "[23:00]", "[01:00]");
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["H702", "E304"], "{diags:#?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diags[1]["range"], "context": { "diagnostics": diags } }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][uri.as_str()][0];
    assert_eq!(edit["newText"], "2020-03-17 01:00");
    // Apply it as an editor does: the edit comes back as a change of the buffer.
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [{ "range": edit["range"], "text": edit["newText"] }] }),
    );
    assert_eq!(c.diagnostics(&uri), clean, "the quick fix clears it");
    let out = c.request("shutdown", Value::Null);
    assert_eq!(out["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn quick_fixes_replace_typos_of_mentions_and_headings() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    let clean = c.diagnostics(&uri);
    replace(&mut c, &uri, &mut text, 2, "@elixir,", "@elixr,");
    replace(
        &mut c,
        &uri,
        &mut text,
        3,
        "## Action items",
        "## Acton items",
    );
    let diags = loop {
        // The changes may be checked together or one by one; wait until both show.
        let diags = c.diagnostics(&uri);
        if diags.len() >= 3 {
            break diags;
        }
    };
    assert_eq!(codes(&diags), ["H702", "E309", "E301"], "{diags:#?}");
    let (line, col) = pos(&text, "Acton items");
    assert_eq!(
        diags[2]["range"],
        range((line, col), (line, col + "Acton items".len())),
        "the heading's text is underlined"
    );
    let whole = range((0, 0), (text.lines().count() + 1, 0));
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [] } }),
    );
    let mut edits: Vec<Value> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["edit"]["changes"][uri.as_str()][0].clone())
        .collect();
    let new_texts: Vec<&str> = edits
        .iter()
        .map(|e| e["newText"].as_str().unwrap())
        .collect();
    assert_eq!(new_texts, ["@elixir", "Action items"], "{actions:#}");
    // Apply from the end of the file backwards, so earlier ranges stay valid.
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let changes: Vec<Value> = edits
        .iter()
        .map(|e| json!({ "range": e["range"], "text": e["newText"] }))
        .collect();
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": changes }),
    );
    assert_eq!(c.diagnostics(&uri), clean);
}

#[test]
fn a_blameless_hint_offers_its_rewording_as_a_quick_fix() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    let clean = c.diagnostics(&uri);
    replace(
        &mut c,
        &uri,
        &mut text,
        2,
        "They brought\ncapacity back by hand",
        "They simply brought\ncapacity back by hand, and the on-call engineer failed to page the database team",
    );
    let diags = loop {
        let diags = c.diagnostics(&uri);
        if diags.len() >= clean.len() + 2 {
            break diags;
        }
    };
    let (line, col) = pos(&text, "simply");
    let minimiser = diags.iter().find(|d| d["code"] == "H706").expect("H706");
    assert_eq!(minimiser["severity"], 4, "a hint");
    assert_eq!(
        minimiser["range"],
        range((line, col), (line, col + "simply".len()))
    );
    let whole = range((0, 0), (text.lines().count() + 1, 0));
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [] } }),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "H706: remove `simply`",
            "H704: change `failed to page` to `did not page`"
        ],
        "{actions:#}"
    );
}

#[test]
fn check_json_carries_the_suggested_replacement() {
    let dir = issue_two();
    let path = dir.path().join("issues/march-2020/discord.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("America/Los_Angeles", "America/Los_Angels"),
    )
    .unwrap();
    let essay = dir.path().join("issues/march-2020/documentary.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    std::fs::write(&essay, text.replace("kind: feature", "kind: featur")).unwrap();
    let out = common::run(dir.path(), &["check", "--format", "json"]);
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fix = |code: &str| {
        lines
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {lines:#?}"))["suggestion"]
            .clone()
    };
    assert_eq!(
        fix("E204"),
        json!({ "line": 2, "column": 7, "end_line": 2, "end_column": 13, "replacement": "feature" })
    );
    let (line, col) = pos(
        &std::fs::read_to_string(&path).unwrap(),
        "America/Los_Angels",
    );
    let zone = fix("E010");
    assert_eq!(
        (zone["line"].as_u64(), zone["column"].as_u64()),
        (Some(line as u64 + 1), Some(col as u64 + 1))
    );
    assert_eq!(zone["replacement"], "America/Los_Angeles");
}

#[test]
fn completion_hover_and_outline_answer_from_the_model() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    let text = open(&mut c, &path, &uri);
    c.diagnostics(&uri);
    let at = |needle: &str, plus: usize| {
        let (line, col) = pos(&text, needle);
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col + plus } })
    };

    // `@` completes the cast, with names and roles.
    let items =
        c.request("textDocument/completion", at("@responders declare", 1))["result"].clone();
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["responders", "elixir"], "{items:#}");
    assert_eq!(items[0]["detail"], "Discord's responders");
    assert_eq!(
        items[0]["documentation"],
        "The engineers who joined the SEV1 phone bridge"
    );

    // The front matter's values by kind: time zones for `timezone`.
    let items =
        c.request("textDocument/completion", at("America/Los_Angeles", 0))["result"].clone();
    let zones: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        zones.contains(&"America/Los_Angeles") && zones.contains(&"Europe/Berlin"),
        "{} zones",
        zones.len()
    );

    // A timeline entry: its absolute time, zone, offset, and distance from impact start.
    let hover = c.request("textDocument/hover", at("[14:21]", 2))["result"].clone();
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(
        card.contains("Monday 16 March 2020, 14:21 PDT (UTC-07:00)"),
        "{card}"
    );
    assert!(
        card.contains("America/Los_Angeles; 2 min after impact start (14:19)"),
        "{card}"
    );
    let range_card =
        c.request("textDocument/hover", at("[14:23 to 14:43]", 2))["result"]["contents"]["value"]
            .clone();
    assert!(
        range_card
            .as_str()
            .unwrap()
            .contains("to **14:43 PDT (UTC-07:00)** (20 min)"),
        "{range_card}"
    );
    // A mention: the cast member's card.
    let card = c.request("textDocument/hover", at("@responders declare", 3))["result"]["contents"]
        ["value"]
        .clone();
    assert!(
        card.as_str()
            .unwrap()
            .starts_with("**Discord's responders** (@responders)"),
        "{card}"
    );
    // A key moment: the metric it ends.
    let card =
        c.request("textDocument/hover", at("\"14:21\"", 2))["result"]["contents"]["value"].clone();
    assert!(
        card.as_str().unwrap().contains("time to detect: 2 min"),
        "{card}"
    );
    // Prose has no hover.
    assert_eq!(
        c.request("textDocument/hover", at("On the afternoon", 3))["result"],
        Value::Null
    );

    // The outline: sections, with the timeline's entries under Timeline.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    )["result"]
        .clone();
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Summary",
            "Timeline",
            "Investigation and analysis",
            "Action items"
        ]
    );
    let entries = symbols[1]["children"].as_array().unwrap();
    assert_eq!(entries.len(), 10);
    assert!(
        entries[0]["name"]
            .as_str()
            .unwrap()
            .starts_with("[14:18] The API cluster adds nodes"),
        "{:#}",
        entries[0]
    );
    assert_eq!(entries[0]["detail"], "2020-03-16, 14:18 PDT (UTC-07:00)");
    assert_eq!(
        symbols[2]["children"].as_array().unwrap().len(),
        4,
        "its four subsections"
    );
}

#[test]
fn the_pieces_list_completes_file_names() {
    let dir = issue_two();
    common::write(
        dir.path(),
        "issues/march-2020/letters.md",
        "+++\nkind = \"feature\"\ntitle = \"Letters\"\n+++\nHi.\n",
    );
    let path = dir.path().join("issues/march-2020/issue.toml");
    let uri = url::Url::from_file_path(&path).unwrap().to_string();
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["E103"], "letters.md is not listed yet");
    // The writer types a comma and a space after the last piece, and asks.
    replace(
        &mut c,
        &uri,
        &mut text,
        2,
        "\"back-cover.md\"]",
        "\"back-cover.md\", ]",
    );
    let (line, col) = pos(&text, ", ]");
    let col = col + 2;
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col } }),
    );
    assert_eq!(items["result"][0]["label"], "letters.md", "{items:#}");
    assert_eq!(items["result"][0]["textEdit"]["newText"], "\"letters.md\"");
}

#[test]
fn broken_messages_get_protocol_errors_and_the_server_goes_on() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    open(&mut c, &path, &uri);
    c.diagnostics(&uri);

    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    let err = c.wait(|m| m.get("error").is_some() && m["id"].is_null());
    assert_eq!(err["error"]["code"], -32700, "parse error: {err}");

    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 98, \"method\": 7}");
    let err = c.wait(|m| m["id"] == 98);
    assert_eq!(err["error"]["code"], -32600, "invalid request: {err}");

    let err = c.request("workspace/executeCommand", json!({ "command": "launch" }));
    assert_eq!(err["error"]["code"], -32601, "method not found: {err}");
    let err = c.request("textDocument/hover", json!({ "position": "here" }));
    assert_eq!(err["error"]["code"], -32602, "invalid params: {err}");
    c.notify("pir/somethingNew", json!({}));

    // Still alive, still answering.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 71, "character": 4 } }),
    );
    assert!(hover.get("error").is_none(), "{hover}");

    // After shutdown only exit is accepted; exit then ends the process with success.
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    let late = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 1 } }),
    );
    assert_eq!(late["error"]["code"], -32600, "{late}");
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn exit_without_shutdown_is_an_error_and_so_is_a_closed_stdin() {
    let mut c = Client::initialized();
    c.notify("exit", Value::Null);
    assert_eq!(
        c.exit_code(),
        1,
        "the protocol: exit before shutdown exits with 1"
    );

    let mut c = Client::initialized();
    c.stdin = None;
    assert_eq!(c.exit_code(), 1);
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut c = Client::start();
    let early = c.request("textDocument/hover", json!({}));
    assert_eq!(
        early["error"]["code"], -32002,
        "server not initialized: {early}"
    );
    let init = c.request(
        "initialize",
        json!({ "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } } }),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
}

#[test]
fn a_real_neovim_session_sees_the_checks_the_fix_hover_completion_and_outline() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("PIR_REQUIRE_EDITOR").is_none(),
            "nvim is missing: install neovim (.ci/run does)"
        );
        eprintln!("skipped: nvim is missing (install neovim to run this test)");
        return;
    }
    let dir = issue_two();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut nvim = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            common::repo().join("tests/editors/neovim.lua").display()
        ))
        .env("PIR_ROOT", dir.path())
        .env("PIR_BIN", env!("CARGO_BIN_EXE_pir"))
        .env("PIR_LOG", log.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while nvim.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!(
                "nvim did not finish: {}",
                std::fs::read_to_string(log.path()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let session = std::fs::read_to_string(log.path()).unwrap();
    for step in [
        "opened discord.md: 1 diagnostic(s)",
        "92:4-92:9 E304 this entry (01:00) is earlier than the one before it (15:32)",
        "code action: E304: change `01:00` to `2020-03-17 01:00`",
        "applied: line 92 is now: - [2020-03-17 01:00] With the root cause",
        "after the quick fix: 1 diagnostic(s)",
        "hover on [14:21]: **Monday 16 March 2020, 14:21 PDT (UTC-07:00)**",
        "completion after @: responders (Discord's responders)",
        "outline: Timeline (10 children)",
        "client stopped: true",
    ] {
        assert!(
            session.contains(step),
            "missing `{step}` in the session:\n{session}"
        );
    }
    assert!(
        std::fs::read_to_string(dir.path().join("issues/march-2020/discord.md"))
            .unwrap()
            .contains("[23:00]"),
        "nothing was saved"
    );
}

#[test]
fn a_missing_key_is_added_in_the_front_matter_s_own_syntax() {
    let dir = issue_two();
    let path = dir.path().join("issues/march-2020/documentary.md");
    let uri = url::Url::from_file_path(&path).unwrap().to_string();
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    let clean = c.diagnostics(&uri);
    let title = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .unwrap()
        .to_string()
        + "\n";
    replace(&mut c, &uri, &mut text, 2, &title, "");
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["E005"], "{diags:#?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diags[0]["range"], "context": { "diagnostics": diags } }),
    );
    let edit = &actions["result"][0]["edit"]["changes"][uri.as_str()][0];
    assert_eq!(
        edit["newText"], "title: \"A title for this piece\"\n",
        "YAML, because this front matter is YAML"
    );
    assert_eq!(
        edit["range"],
        range((1, 0), (1, 0)),
        "right after the opening ---"
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "range": edit["range"], "text": edit["newText"] }] }),
    );
    assert_eq!(c.diagnostics(&uri), clean);
}

#[test]
fn headings_complete_the_sections_an_incident_still_lacks() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    c.diagnostics(&uri);
    replace(&mut c, &uri, &mut text, 2, "## Action items", "## Act");
    let (line, col) = pos(&text, "## Act");
    let items =
        c.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col + 6 } }));
    assert_eq!(
        items["result"].as_array().unwrap().len(),
        1,
        "only the missing section: {items:#}"
    );
    assert_eq!(items["result"][0]["label"], "Action items");
    assert_eq!(
        items["result"][0]["textEdit"]["range"],
        range((line, col + 3), (line, col + 6))
    );
}

#[test]
fn front_matter_completes_keys_of_the_table_and_times_of_key_moments() {
    let dir = issue_two();
    let (path, uri) = discord(dir.path());
    let mut c = Client::initialized();
    let mut text = open(&mut c, &path, &uri);
    c.diagnostics(&uri);
    // The writer starts a new line in [key_moments]...
    replace(
        &mut c,
        &uri,
        &mut text,
        2,
        "resolved = \"15:32\"\n",
        "resolved = \"15:32\"\nmi\n",
    );
    let (line, _) = pos(&text, "\nmi\n");
    let ask = |c: &mut Client, line: usize, character: usize| {
        let r = c.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        r["result"]
            .as_array()
            .unwrap_or_else(|| panic!("no completions at {line}:{character}: {r}"))
            .iter()
            .map(|i| {
                (
                    i["label"].as_str().unwrap().to_string(),
                    i["textEdit"]["newText"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let keys: Vec<String> = ask(&mut c, line + 1, 2)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(keys, ["impact_start", "detected", "mitigated", "resolved"]);
    // ...and a value: the times of the timeline's entries, quoted.
    replace(&mut c, &uri, &mut text, 3, "\nmi\n", "\nmitigated = \n");
    let times = ask(&mut c, line + 1, "mitigated = ".len());
    assert!(
        times.contains(&("15:26".to_string(), json!("\"15:26\""))),
        "{times:?}"
    );
    assert!(
        times.contains(&("14:18".to_string(), json!("\"14:18\""))),
        "{times:?}"
    );
    // At the top level, `kind` takes the kinds of piece.
    let (line, col) = pos(&text, "\"incident\"");
    let kinds: Vec<String> = ask(&mut c, line, col + 1)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert!(
        kinds.contains(&"incident".to_string()) && kinds.contains(&"back-cover".to_string()),
        "{kinds:?}"
    );
}
