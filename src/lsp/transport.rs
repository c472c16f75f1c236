//! JSON-RPC over stdio with `Content-Length` framing, which survives bad input.
//!
//! lsp-server's own stdio transport ends its reader thread on the first
//! message that is not valid JSON, and the server with it. An editor
//! plugin with a bug should get an error back, not lose its checks, so
//! this reader answers a broken frame with a JSON-RPC error (`-32700`
//! parse error, `-32600` invalid request) and reads on.

use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{Value, json};

/// The threads that move messages between stdio and the connection.
pub struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both threads; the writer ends when the server drops its sender.
    pub fn join(self) -> io::Result<()> {
        let _ = self.reader.join();
        self.writer
            .join()
            .map_err(|_| io::Error::other("the writer thread panicked"))?
    }
}

/// A connection on this process's stdin and stdout.
pub fn stdio() -> (Connection, Threads) {
    let (to_server, receiver) = bounded::<Message>(0);
    let (sender, from_server) = bounded::<Message>(0);
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_all(&from_server))
        .expect("spawning a thread");
    let reader = std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_all(&mut io::stdin().lock(), &to_server))
        .expect("spawning a thread");
    (Connection { sender, receiver }, Threads { reader, writer })
}

/// Writes each message the server sends, until it drops its sender.
fn write_all(from_server: &Receiver<Message>) -> io::Result<()> {
    for msg in from_server {
        let mut frame = Vec::new();
        msg.write(&mut frame)?;
        let mut out = io::stdout().lock();
        out.write_all(&frame)?;
        out.flush()?;
        drop(out);
        if is_exit(&msg) {
            break;
        }
    }
    Ok(())
}

/// Writes one framed message to stdout, whole, under stdout's lock.
fn write_frame(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

/// Whether a message is the `exit` notification.
fn is_exit(msg: &Message) -> bool {
    matches!(msg, Message::Notification(n) if n.method == "exit")
}

/// Reads frames until stdin ends or the client says `exit`, answering broken ones itself.
fn read_all(input: &mut dyn BufRead, to_server: &Sender<Message>) {
    loop {
        let frame = match read_frame(input) {
            Ok(Some(frame)) => frame,
            Ok(None) => return,
            Err(Broken::Io) => return,
            Err(Broken::Header(why)) => {
                reply_error(Value::Null, ErrorCode::ParseError, &why);
                continue;
            }
        };
        match parse(&frame) {
            Ok(msg) => {
                let exit = is_exit(&msg);
                if to_server.send(msg).is_err() || exit {
                    return;
                }
            }
            Err((id, code, why)) => reply_error(id, code, &why),
        }
    }
}

/// Why a frame could not be read.
enum Broken {
    /// stdin failed or ended inside a frame: nothing more can be read.
    Io,
    /// The headers were wrong; the next frame may still be fine.
    Header(String),
}

/// Reads the headers and body of one frame; `None` at the end of input.
fn read_frame(input: &mut dyn BufRead) -> Result<Option<String>, Broken> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut any = false;
    loop {
        line.clear();
        if input.read_line(&mut line).map_err(|_| Broken::Io)? == 0 {
            return if any { Err(Broken::Io) } else { Ok(None) };
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if !any {
                continue; // blank lines between frames
            }
            break;
        }
        any = true;
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{}` is not a Content-Length", value.trim())),
            );
        }
    }
    let length = match length {
        Some(Ok(n)) => n,
        Some(Err(why)) => return Err(Broken::Header(why)),
        None => {
            return Err(Broken::Header(
                "a message without a Content-Length header".into(),
            ));
        }
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).map_err(|_| Broken::Io)?;
    String::from_utf8(body)
        .map(Some)
        .map_err(|_| Broken::Header("the message is not UTF-8".into()))
}

/// Parses a frame into a message, or says which error to answer with (and to which id).
fn parse(frame: &str) -> Result<Message, (Value, ErrorCode, String)> {
    let value: Value = serde_json::from_str(frame)
        .map_err(|e| (Value::Null, ErrorCode::ParseError, format!("not JSON: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let invalid = |why: String| (id.clone(), ErrorCode::InvalidRequest, why);
    match value.get("method") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(invalid("`method` must be a string".into())),
        None if value.get("result").is_none() && value.get("error").is_none() => {
            return Err(invalid(
                "a message needs a `method` (or, as a response, a `result` or `error`)".into(),
            ));
        }
        None => {}
    }
    serde_json::from_value(value.clone()).map_err(|e| {
        invalid(format!(
            "not a JSON-RPC request, response or notification: {e}"
        ))
    })
}

/// Answers a message the server never saw with a JSON-RPC error.
fn reply_error(id: Value, code: ErrorCode, message: &str) {
    let response =
        json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } });
    let _ = write_frame(&response.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_by_their_length() {
        let mut input =
            io::Cursor::new(b"Content-Length: 2\r\n\r\n{}Content-Length: 3\r\n\r\n[1]".to_vec());
        assert_eq!(read_frame(&mut input).ok().flatten().as_deref(), Some("{}"));
        assert_eq!(
            read_frame(&mut input).ok().flatten().as_deref(),
            Some("[1]")
        );
        assert!(matches!(read_frame(&mut input), Ok(None)));
    }

    #[test]
    fn broken_headers_and_bodies_are_told_apart() {
        let mut input = io::Cursor::new(b"Content-Type: x\r\n\r\n".to_vec());
        assert!(matches!(read_frame(&mut input), Err(Broken::Header(_))));
        assert_eq!(
            parse("{\"id\": 3,").unwrap_err().1 as i32,
            ErrorCode::ParseError as i32
        );
        for broken in [
            "{\"id\": 3, \"jsonrpc\": \"2.0\"}",
            "{\"id\": 3, \"jsonrpc\": \"2.0\", \"method\": 5}",
        ] {
            let (id, code, _) = parse(broken).unwrap_err();
            assert_eq!(
                (id, code as i32),
                (json!(3), ErrorCode::InvalidRequest as i32),
                "{broken}"
            );
        }
        assert!(
            parse("{\"jsonrpc\": \"2.0\", \"method\": \"initialized\", \"params\": {}}").is_ok()
        );
    }
}
