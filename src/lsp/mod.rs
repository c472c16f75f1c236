//! `pir lsp`: the checks of `pir check` in the writer's editor, as they type.
//!
//! A Language Server Protocol server on lsp-server (synchronous, one
//! thread: a check of a whole zine takes a few milliseconds, less than a
//! keystroke). Every open buffer is an overlay over the disk; a change
//! marks its project dirty, and once no message has come for the debounce
//! time the project is checked exactly as `pir check` checks it, and the
//! diagnostics are published per file (an empty list clears a file that
//! is fixed). Requests (hover, completion, quick fixes, the outline) first
//! check what is still dirty, so they always answer about the text shown.

pub mod features;
pub mod text;
pub mod transport;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, DiagnosticRelatedInformation,
    DiagnosticSeverity, HoverProviderCapability, InitializeParams, InitializeResult, Location,
    NumberOrString, OneOf, PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Url, notification as note,
};
use serde::de::DeserializeOwned;

use crate::check::Report;
use crate::diagnostic::{self, Diagnostic, Overlay, Severity, Sources};
use text::Encoding;

/// How long the server waits after the last change before it checks, unless the client says otherwise.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// An open document: the editor's text of a file.
struct Doc {
    text: String,
    version: i32,
    /// The project root and the file's path in it, when it is in a zine project.
    place: Option<(PathBuf, PathBuf)>,
}

/// What the server knows about one project: its last check and where it published.
#[derive(Default)]
struct Checked {
    report: Option<Report>,
    published: HashSet<Url>,
    /// Each piece as it last loaded, by path: completion still knows the
    /// cast and the timeline while a line of front matter is half typed.
    last_pieces: HashMap<PathBuf, crate::model::Piece>,
}

/// The server's state between messages.
struct Server {
    conn: Connection,
    enc: Encoding,
    debounce: Duration,
    docs: HashMap<Url, Doc>,
    projects: HashMap<PathBuf, Checked>,
    dirty: BTreeSet<PathBuf>,
    shut_down: bool,
}

/// Runs the protocol on `conn` until `exit`; `Ok(true)` when the client shut down first, as it should.
pub fn serve(conn: Connection) -> Result<bool> {
    let (id, params) = conn.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = negotiate(&params);
    let debounce = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("debounceMs"))
        .and_then(serde_json::Value::as_u64)
        .map_or(DEBOUNCE, Duration::from_millis);
    let result = InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(server_info()),
    };
    conn.sender.send(Response::new_ok(id, result).into())?;
    let mut server = Server {
        conn,
        enc,
        debounce,
        docs: HashMap::new(),
        projects: HashMap::new(),
        dirty: BTreeSet::new(),
        shut_down: false,
    };
    server.run()
}

/// UTF-8 positions when the client offers them, else the protocol's UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// What pir's server can do.
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(if enc == Encoding::Utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["@".into(), "\"".into(), "#".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// The server's name and version, for the client's logs.
fn server_info() -> ServerInfo {
    ServerInfo {
        name: "pir".into(),
        version: Some(env!("CARGO_PKG_VERSION").into()),
    }
}

impl Server {
    /// The message loop: handle each message; check dirty projects once the client is quiet.
    fn run(&mut self) -> Result<bool> {
        loop {
            let msg = if self.dirty.is_empty() {
                match self.conn.receiver.recv() {
                    Ok(msg) => msg,
                    Err(_) => return Ok(false),
                }
            } else {
                match self.conn.receiver.recv_timeout(self.debounce) {
                    Ok(msg) => msg,
                    Err(RecvTimeoutError::Timeout) => {
                        self.check_dirty()?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(false),
                }
            };
            match msg {
                Message::Request(req) => self.request(req)?,
                Message::Notification(n) if n.method == note::Exit::METHOD => {
                    return Ok(self.shut_down);
                }
                Message::Notification(n) => self.notification(n)?,
                Message::Response(_) => {} // pir sends no requests, so there is nothing to match
            }
        }
    }

    /// Answers a request: an error after shutdown or for an unknown method, else the feature's result.
    fn request(&mut self, req: Request) -> Result<()> {
        if self.shut_down {
            return self.reply_err(
                req.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down; only `exit` is accepted now",
            );
        }
        if req.method == "shutdown" {
            self.shut_down = true;
            return self.send(Response::new_ok(req.id, ()).into());
        }
        self.check_dirty()?;
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/hover" => self.with_doc(req, |s, doc, at: lsp_types::HoverParams| {
                let pos = at.text_document_position_params.position;
                features::hover(
                    s.place_of(doc)?,
                    &doc.text,
                    text::offset(&doc.text, pos, s.enc),
                    s.enc,
                )
            }),
            "textDocument/completion" => {
                self.with_doc(req, |s, doc, at: lsp_types::CompletionParams| {
                    let pos = at.text_document_position.position;
                    let last = doc
                        .place
                        .as_ref()
                        .and_then(|(root, rel)| s.projects.get(root)?.last_pieces.get(rel));
                    features::complete(
                        s.place_of(doc),
                        last,
                        &doc.text,
                        text::offset(&doc.text, pos, s.enc),
                        s.enc,
                    )
                })
            }
            "textDocument/codeAction" => {
                self.with_doc(req, |s, doc, at: lsp_types::CodeActionParams| {
                    let (root, report, file) = s.place_of(doc)?;
                    let span = text::span(&doc.text, at.range, s.enc);
                    let uri = at.text_document.uri;
                    Some(features::quick_fixes(
                        report,
                        file,
                        span,
                        |d| s.to_lsp(root, &report.sources, d),
                        &uri,
                        s.enc,
                    ))
                })
            }
            "textDocument/documentSymbol" => {
                self.with_doc(req, |s, doc, _: lsp_types::DocumentSymbolParams| {
                    features::symbols(s.place_of(doc)?, &doc.text, s.enc)
                })
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("pir lsp does not implement `{}`", req.method),
            )),
        };
        match result {
            Ok(value) => self.send(Response::new_ok(id, value).into()),
            Err((code, message)) => self.reply_err(id, code, &message),
        }
    }

    /// Parses a request's params, finds its document and runs `f`; `null` when the document is unknown.
    fn with_doc<P, R>(
        &self,
        req: Request,
        f: impl FnOnce(&Self, &Doc, P) -> Option<R>,
    ) -> Result<serde_json::Value, (ErrorCode, String)>
    where
        P: DeserializeOwned + HasDocument,
        R: serde::Serialize,
    {
        let params: P = parse_params(req.params)?;
        let answer = self
            .docs
            .get(params.uri())
            .and_then(|doc| f(self, doc, params));
        Ok(serde_json::to_value(answer).unwrap_or_default())
    }

    /// The project, its last report and the document's file in it.
    fn place_of<'a>(&'a self, doc: &'a Doc) -> Option<features::Place<'a>> {
        let (root, rel) = doc.place.as_ref()?;
        let report = self.projects.get(root)?.report.as_ref()?;
        Some((root.as_path(), report, report.sources.find(rel)?))
    }

    /// Handles a notification; unknown ones are ignored, as the protocol asks.
    fn notification(&mut self, n: Notification) -> Result<()> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return Ok(());
                };
                let doc = p.text_document;
                let place = place(&doc.uri);
                self.mark(&place);
                self.docs.insert(
                    doc.uri,
                    Doc {
                        text: doc.text,
                        version: doc.version,
                        place,
                    },
                );
            }
            "textDocument/didChange" => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return Ok(());
                };
                let Some(doc) = self.docs.get_mut(&p.text_document.uri) else {
                    return Ok(());
                };
                for change in &p.content_changes {
                    text::apply(&mut doc.text, change, self.enc);
                }
                doc.version = p.text_document.version;
                let place = doc.place.clone();
                self.mark(&place);
            }
            "textDocument/didClose" => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return Ok(());
                };
                if let Some(doc) = self.docs.remove(&p.text_document.uri) {
                    self.mark(&doc.place);
                }
            }
            "textDocument/didSave" => {
                // Other files may have changed on disk too: check again from what is there now.
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                else {
                    return Ok(());
                };
                let place = self
                    .docs
                    .get(&p.text_document.uri)
                    .and_then(|d| d.place.clone());
                self.mark(&place);
            }
            _ => {}
        }
        Ok(())
    }

    /// Marks a document's project to be checked once the client is quiet.
    fn mark(&mut self, place: &Option<(PathBuf, PathBuf)>) {
        if let Some((root, _)) = place {
            self.dirty.insert(root.clone());
        }
    }

    /// Checks every dirty project and publishes what changed.
    fn check_dirty(&mut self) -> Result<()> {
        while let Some(root) = self.dirty.pop_first() {
            self.check(&root)?;
        }
        Ok(())
    }

    /// Checks one project with the open buffers over the disk, and publishes per file.
    fn check(&mut self, root: &Path) -> Result<()> {
        let overlay: Overlay = self
            .docs
            .values()
            .filter_map(|d| match &d.place {
                Some((r, rel)) if r == root => Some((rel.clone(), d.text.clone())),
                _ => None,
            })
            .collect();
        // A bug in a rule must not take the writer's editor support down with it.
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::check::check_with(root, overlay)
        }));
        let Ok(report) = checked else {
            let message = format!(
                "pir could not check {}: an internal error; please report it with the file you were editing",
                root.display()
            );
            let params = lsp_types::ShowMessageParams {
                typ: lsp_types::MessageType::ERROR,
                message,
            };
            return self.send(Notification::new(note::ShowMessage::METHOD.into(), params).into());
        };
        // Every open file of the project gets a list, even an empty one, so that nothing stale stays shown.
        let mut by_file: HashMap<Url, Vec<lsp_types::Diagnostic>> = self
            .docs
            .iter()
            .filter(|(_, d)| d.place.as_ref().is_some_and(|(r, _)| r == root))
            .map(|(u, _)| (u.clone(), Vec::new()))
            .collect();
        for d in &report.diags {
            if let Some(uri) = self.url_for(root, &where_is(d, &report.sources)) {
                by_file
                    .entry(uri)
                    .or_default()
                    .push(self.to_lsp(root, &report.sources, d));
            }
        }
        let checked = self.projects.entry(root.to_path_buf()).or_default();
        let stale: Vec<Url> = checked
            .published
            .iter()
            .filter(|u| !by_file.contains_key(*u))
            .cloned()
            .collect();
        checked.published = by_file.keys().cloned().collect();
        let project = &report.project;
        for piece in project
            .issues
            .iter()
            .flat_map(|i| &i.pieces)
            .chain(project.pockets.iter().flat_map(|p| &p.pieces))
        {
            checked
                .last_pieces
                .insert(report.sources.path(piece.file).to_path_buf(), piece.clone());
        }
        checked.report = Some(report);
        for uri in stale {
            self.publish(uri, Vec::new())?;
        }
        for (uri, diagnostics) in by_file {
            self.publish(uri, diagnostics)?;
        }
        Ok(())
    }

    /// Sends one file's diagnostics, with the version of the text they are about.
    fn publish(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) -> Result<()> {
        let version = self.docs.get(&uri).map(|d| d.version);
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(note::PublishDiagnostics::METHOD.into(), params).into())
    }

    /// The LSP form of a diagnostic: the same code, message, range and related places as `pir check`.
    fn to_lsp(&self, root: &Path, sources: &Sources, d: &Diagnostic) -> lsp_types::Diagnostic {
        let range = match d.file {
            Some(f) => text::range(
                sources.text(f),
                diagnostic::clamp(sources.text(f), d.span.clone()),
                self.enc,
            ),
            None => lsp_types::Range::default(),
        };
        let mut message = d.message.clone();
        if d.file.is_none()
            && let Some(path) = &d.path
            && path.extension().is_none()
        {
            message = format!("{}: {message}", diagnostic::display_path(path));
        }
        if let Some(hint) = &d.hint {
            message = format!("{message}\nhint: {hint}");
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                let uri = self.url_for(root, sources.path(r.file))?;
                let text = sources.text(r.file);
                let range = text::range(text, diagnostic::clamp(text, r.span.clone()), self.enc);
                Some(DiagnosticRelatedInformation {
                    location: Location { uri, range },
                    message: r.message.clone(),
                })
            })
            .collect();
        lsp_types::Diagnostic {
            range,
            severity: Some(match d.severity() {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Hint => DiagnosticSeverity::HINT,
            }),
            code: Some(NumberOrString::String(d.code.code().into())),
            source: Some("pir".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp_types::Diagnostic::default()
        }
    }

    /// The URL of a project file: the one the editor opened it under, else its `file://` URL.
    fn url_for(&self, root: &Path, rel: &Path) -> Option<Url> {
        let open = self
            .docs
            .iter()
            .find(|(_, d)| d.place.as_ref().is_some_and(|(r, p)| r == root && p == rel));
        open.map(|(u, _)| u.clone()).or_else(|| file_url(root, rel))
    }

    /// Sends a JSON-RPC error response.
    fn reply_err(&self, id: RequestId, code: ErrorCode, message: &str) -> Result<()> {
        self.send(Response::new_err(id, code as i32, message.into()).into())
    }

    /// Sends a message to the client.
    fn send(&self, msg: Message) -> Result<()> {
        self.conn
            .sender
            .send(msg)
            .map_err(|_| anyhow::anyhow!("the editor closed the connection"))
    }
}

/// The file a diagnostic belongs to: its file, else its path; a folder's
/// diagnostics go to the project's zine.toml (prefixed with the folder).
fn where_is(d: &Diagnostic, sources: &Sources) -> PathBuf {
    match (d.file, &d.path) {
        (Some(f), _) => sources.path(f).to_path_buf(),
        (None, Some(p)) if p.extension().is_some() => p.clone(),
        _ => PathBuf::from("zine.toml"),
    }
}

/// The `file://` URL of a project-relative path.
fn file_url(root: &Path, rel: &Path) -> Option<Url> {
    Url::from_file_path(root.join(rel)).ok()
}

/// The project root (nearest folder upwards with a zine.toml) and the file's path in it.
fn place(uri: &Url) -> Option<(PathBuf, PathBuf)> {
    let path = uri.to_file_path().ok()?;
    let root = path
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("zine.toml").is_file())?;
    let rel = path.strip_prefix(root).ok()?.to_path_buf();
    Some((root.to_path_buf(), rel))
}

/// Request params that name a document.
trait HasDocument {
    /// The document's URI.
    fn uri(&self) -> &Url;
}

impl HasDocument for lsp_types::HoverParams {
    fn uri(&self) -> &Url {
        &self.text_document_position_params.text_document.uri
    }
}

impl HasDocument for lsp_types::CompletionParams {
    fn uri(&self) -> &Url {
        &self.text_document_position.text_document.uri
    }
}

impl HasDocument for lsp_types::CodeActionParams {
    fn uri(&self) -> &Url {
        &self.text_document.uri
    }
}

impl HasDocument for lsp_types::DocumentSymbolParams {
    fn uri(&self) -> &Url {
        &self.text_document.uri
    }
}

/// Parses params, or says why they are invalid (`-32602`).
fn parse_params<P: DeserializeOwned>(params: serde_json::Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}
