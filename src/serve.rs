//! `pir serve`: build, serve on loopback, rebuild on every edit, reload the page.
//!
//! The site is built into a private temporary folder (never the deployable
//! `public/`; its name is random, and it is removed when the server stops
//! on Ctrl-C or SIGTERM) and served by hyper, the maintained HTTP
//! implementation under most of Rust's web stack. A watcher (notify) on the
//! project's inputs only (zine.toml, issues/, pocket/, templates/, fonts/,
//! and the folders of images) is installed before the first build and
//! before the address is announced, so no edit is missed; edits in a burst
//! are debounced into one rebuild. Typst's memoization stays warm in this
//! process, so a rebuild only re-lays out what changed. Pages get a small
//! script, in serve mode only, that listens for server-sent events and
//! reloads when a build ends: no polling. A failed build does not stop the
//! server: every page (and `/` before the first good build) shows the
//! diagnostics, errors first, in colour, until the next good build. Drafts
//! are built too, with a DRAFT badge on their pages.
//!
//! Requests are answered only with files under the output folder: paths
//! are percent-decoded once, and any `..`, backslash or NUL is refused
//! before the path touches the disk; symlinks leading out are refused too.
//! File reads run on tokio's blocking pool, never on the async workers.
//! Broken requests get an error and cost only their own connection: a
//! malformed one a 400 (from hyper), a body shorter than its Content-Length
//! a 400, a header that never ends a 408 after the request timeout.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify::{RecursiveMode, Watcher};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::build::{self, Options};
use crate::diagnostic::{self, Severity};

/// The script injected into HTML pages in serve mode: reload when a build
/// other than the page's own (`BUILD`) is announced.
const RELOAD: &str = r#"<script>(function(){var b="BUILD";var s=new EventSource("/__pir/events");s.onmessage=function(e){if(e.data!==b){s.close();location.reload()}}})();</script>"#;

/// How long the project must be quiet after an edit before it is rebuilt.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// A response body: a whole file, or the stream of build events.
type Body = UnsyncBoxBody<Bytes, Infallible>;

/// A step of serving that failed, and why (the cause is kept as the error's source).
#[derive(Debug)]
pub struct ServeError {
    /// What pir was doing: "watch the project for changes", ...
    pub step: String,
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot {}", self.step)
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Names the step a fallible call belongs to.
trait Step<T> {
    /// The result, its error wrapped as a [`ServeError`] of `step`.
    fn step(self, step: &str) -> Result<T, ServeError>;
}

impl<T, E: Into<Box<dyn std::error::Error + Send + Sync>>> Step<T> for Result<T, E> {
    fn step(self, step: &str) -> Result<T, ServeError> {
        self.map_err(|e| ServeError {
            step: step.to_string(),
            source: e.into(),
        })
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub interface: IpAddr,
    /// The port to try first; the next free one is taken if it is busy.
    pub port: u16,
    pub build: Options,
    /// How long a client may take to send a request's header (and body).
    pub request_timeout: Duration,
}

/// What the server shows: the last build's error page, and the draft issues.
#[derive(Default)]
struct State {
    error: Option<String>,
    /// Folder names of the draft issues in the preview.
    drafts: Vec<String>,
    /// The site's `base_url`: the email preview points its absolute links back at this server.
    base_url: String,
    /// Where the draft issues' pieces stand (`pir status`), for the home page; `None` without drafts.
    status: Option<String>,
}

/// What the server and the builder share.
struct Shared {
    state: Mutex<State>,
    /// The number of the last finished build; pages listen to it.
    build: tokio::sync::watch::Sender<u64>,
    /// Held while building, so that stopping never races a build's writes.
    building: Mutex<()>,
    stopping: AtomicBool,
}

/// Builds, then serves until Ctrl-C or SIGTERM, and removes its output.
/// `ready` is told the address once listening.
pub fn serve(
    root: &Path,
    options: &ServeOptions,
    ready: impl FnOnce(SocketAddr, &Path),
) -> Result<(), ServeError> {
    let tmp = tempfile::Builder::new()
        .prefix("pir-serve-")
        .tempdir()
        .step("create a folder for the preview")?;
    let out = tmp.path().join("site");
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        build: tokio::sync::watch::Sender::new(0),
        building: Mutex::new(()),
        stopping: AtomicBool::new(false),
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .step("start the server")?;
    // Listen for Ctrl-C and SIGTERM from the start, so the output is always removed.
    let stop = {
        let _inside = runtime.enter();
        Stop::listen()?
    };

    // Watch first: an edit made while the first build runs starts another.
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file is an event too (inotify reports opens); only changes count.
        if let Some(event) = event
            .ok()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
        {
            let _ = tx.send(event.paths);
        }
    })
    .step("watch the project for changes")?;
    let mut watched = BTreeSet::new();
    watch_inputs(&mut watcher, root, &mut watched).step("watch the project for changes")?;
    let images = rebuild(root, &out, &options.build, &shared);
    watch_more(&mut watcher, root, images, &mut watched);
    let (listener, addr) = bind(options.interface, options.port)?;
    ready(addr, &out);

    let (watch_root, watch_out, watch_shared, build_options) = (
        root.to_path_buf(),
        out.clone(),
        shared.clone(),
        options.build.clone(),
    );
    std::thread::spawn(move || {
        loop {
            let Ok(paths) = rx.recv() else { return };
            let mut relevant = paths.iter().any(|p| matters(&watch_root, p));
            // Editors write in bursts: wait for a quiet moment, then build once.
            loop {
                match rx.recv_timeout(DEBOUNCE) {
                    Ok(more) => relevant |= more.iter().any(|p| matters(&watch_root, p)),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            if relevant {
                // A new input folder (issues/ made after the start) is watched from now on.
                let _ = watch_inputs(&mut watcher, &watch_root, &mut watched);
                let images = rebuild(&watch_root, &watch_out, &build_options, &watch_shared);
                watch_more(&mut watcher, &watch_root, images, &mut watched);
            }
        }
    });

    let timeout = options.request_timeout;
    let server = shared.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).step("listen")?;
        let mut stop = stop;
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let (out, shared) = (out.clone(), server.clone());
                    tokio::spawn(async move { connection(stream, out, shared, timeout).await });
                }
                _ = stop.wait() => break,
            }
        }
        Ok::<(), ServeError>(())
    })?;
    runtime.shutdown_timeout(Duration::from_millis(200));
    // Wait for a build in progress, and let none start, before the output goes.
    shared.stopping.store(true, Ordering::SeqCst);
    let _building = shared.building.lock().unwrap_or_else(|p| p.into_inner());
    tmp.close().step("remove the preview's folder")?;
    Ok(())
}

/// The signals that stop the server: Ctrl-C (SIGINT) and SIGTERM.
struct Stop {
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl Stop {
    /// Installs the handlers now (inside a runtime), not when first awaited.
    fn listen() -> Result<Stop, ServeError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let interrupt = signal(SignalKind::interrupt()).step("listen for Ctrl-C")?;
            let terminate = signal(SignalKind::terminate()).step("listen for SIGTERM")?;
            Ok(Stop {
                signals: (interrupt, terminate),
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    /// Resolves when one of the signals arrives.
    async fn wait(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.signals.0.recv() => {}
            _ = self.signals.1.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Watches zine.toml (through the root, not recursively) and each input folder that exists.
fn watch_inputs(
    watcher: &mut impl Watcher,
    root: &Path,
    watched: &mut BTreeSet<PathBuf>,
) -> notify::Result<()> {
    if watched.insert(root.to_path_buf()) {
        watcher.watch(root, RecursiveMode::NonRecursive)?;
    }
    for dir in crate::files::INPUT_DIRS
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
    {
        if !watched.contains(&dir) {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
            watched.insert(dir);
        }
    }
    Ok(())
}

/// Also watches the folders of images that live outside the input folders.
fn watch_more(
    watcher: &mut impl Watcher,
    root: &Path,
    dirs: BTreeSet<PathBuf>,
    watched: &mut BTreeSet<PathBuf>,
) {
    for dir in dirs {
        let inside = crate::files::INPUT_DIRS
            .iter()
            .any(|d| dir.starts_with(root.join(d)));
        if !inside
            && dir.is_dir()
            && !watched.contains(&dir)
            && watcher.watch(&dir, RecursiveMode::NonRecursive).is_ok()
        {
            watched.insert(dir);
        }
    }
}

/// Serves one connection: waits (bounded) for a whole header, then lets hyper answer.
async fn connection(mut stream: TcpStream, out: PathBuf, shared: Arc<Shared>, timeout: Duration) {
    match tokio::time::timeout(timeout, header_arrives(&stream)).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(_) => {
            let _ = stream.write_all(b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 37\r\n\r\n408 the request header never ended.\r\n").await;
            let _ = stream.shutdown().await;
            return;
        }
    }
    let service = service_fn(move |req| {
        let (out, shared) = (out.clone(), shared.clone());
        async move { Ok::<_, Infallible>(handle(req, out, shared, timeout).await) }
    });
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .half_close(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Peeks until the first request's header is complete; `false` if the client left first.
async fn header_arrives(stream: &TcpStream) -> bool {
    let mut buf = vec![0u8; 16 * 1024];
    let mut seen = 0;
    loop {
        if stream.readable().await.is_err() {
            return false;
        }
        let n = match stream.peek(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        // A full buffer without an end is hyper's to refuse (431).
        if n == buf.len() || buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
            return true;
        }
        if n == seen {
            // Nothing new: do not spin on a half-sent header.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        seen = n;
    }
}

/// Answers one request; the body, if any, must be as long as it says.
async fn handle(
    req: Request<Incoming>,
    out: PathBuf,
    shared: Arc<Shared>,
    timeout: Duration,
) -> Response<Body> {
    let path = req.uri().path().to_string();
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let declared = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > 0)
        || req.headers().contains_key(hyper::header::TRANSFER_ENCODING)
    {
        match tokio::time::timeout(
            timeout,
            http_body_util::Limited::new(req.into_body(), 1 << 20).collect(),
        )
        .await
        {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "text/plain; charset=utf-8",
                    format!("400 bad request: the body is incomplete or too large ({e})\n")
                        .into_bytes(),
                );
            }
            Err(_) => {
                return text(
                    StatusCode::REQUEST_TIMEOUT,
                    "text/plain; charset=utf-8",
                    b"408 the request body never ended\n".to_vec(),
                );
            }
        }
    }
    match path.as_str() {
        "/__pir/events" => events(&shared),
        "/__pir/build" => text(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            shared.build.borrow().to_string().into_bytes(),
        ),
        // Reading files blocks: it runs on tokio's blocking pool.
        _ => tokio::task::spawn_blocking(move || respond(&out, &path, &query, &shared))
            .await
            .unwrap_or_else(|_| {
                text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    b"500 the request could not be answered\n".to_vec(),
                )
            }),
    }
}

/// The stream of build numbers (server-sent events): the current one at once, then each new one.
fn events(shared: &Shared) -> Response<Body> {
    let receiver = shared.build.subscribe();
    let stream =
        futures_util::stream::unfold((receiver, true), |(mut receiver, first)| async move {
            if !first && receiver.changed().await.is_err() {
                return None;
            }
            let build = *receiver.borrow_and_update();
            let frame = Frame::data(Bytes::from(format!("data: {build}\n\n")));
            Some((Ok::<_, Infallible>(frame), (receiver, false)))
        });
    let mut response = Response::new(StreamBody::new(stream).boxed_unsync());
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Listens on `port`, or the next free port after it.
fn bind(interface: IpAddr, port: u16) -> Result<(std::net::TcpListener, SocketAddr), ServeError> {
    let last = port.saturating_add(20);
    let mut why = None;
    for p in port..=last {
        match std::net::TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(listener) => {
                listener.set_nonblocking(true).step("listen")?;
                let addr = listener.local_addr().step("listen")?;
                return Ok((listener, addr));
            }
            Err(e) => why = Some(e),
        }
    }
    Err(why.unwrap_or_else(|| std::io::Error::other("no port to try")))
        .step(&format!("listen on any port from {port} to {last}"))
}

/// Whether a changed path is an input: zine.toml, or a file in an input
/// folder or an image's folder (never output, staging or tooling).
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let first = parts
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    let at_root = parts.next().is_none();
    if rel.to_string_lossy().ends_with(".pir-tmp") {
        return false;
    }
    if at_root {
        // At the root only zine.toml is an input, an input folder appearing, and an image a piece may show.
        let image = Path::new(first)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp"
                )
            });
        return first == crate::files::SETTINGS
            || crate::files::INPUT_DIRS.contains(&first)
            || image;
    }
    !matches!(first, "public" | "target" | ".git" | "node_modules") && !first.starts_with('.')
}

/// Builds into `out`, recording success or the diagnostics page; returns the
/// folders of the images the project shows, to watch them.
fn rebuild(root: &Path, out: &Path, options: &Options, shared: &Shared) -> BTreeSet<PathBuf> {
    let _building = shared.building.lock().unwrap_or_else(|p| p.into_inner());
    if shared.stopping.load(Ordering::SeqCst) {
        return BTreeSet::new();
    }
    let started = std::time::Instant::now();
    // The same build as `pir build`, with the hints a writer wants and never the no-change path.
    let ran = build::Driver::new(root, out, options.clone())
        .and_then(|d| d.preview())
        .map_err(|e| e.to_string());
    let (report, result, status) = match ran {
        Ok(ran) => {
            // Where the draft issues' pieces stand, their pages from this build's layouts.
            let status = crate::status::draft_panel(&crate::status::board(&ran.report, &|doc| {
                let d = ran
                    .built
                    .as_ref()
                    .ok()?
                    .docs
                    .iter()
                    .find(|d| &d.doc == doc)?;
                Some(crate::status::Layout {
                    pages: d.pages,
                    starts: d.starts.clone(),
                })
            }));
            let result = match ran.built {
                Ok(_) => Ok(()),
                Err(build::Failure::Errors) => Err(String::new()),
                Err(build::Failure::Publish(e)) => Err(e.to_string()),
            };
            (ran.report, result, status)
        }
        Err(why) => (crate::check::check(root), Err(why), None),
    };
    let images: BTreeSet<PathBuf> = report
        .project
        .issues
        .iter()
        .flat_map(|i| i.pieces.iter().map(move |p| (i, p)))
        .flat_map(|(i, p)| {
            p.images
                .iter()
                .chain(p.image.iter())
                .map(move |image| (i, image))
        })
        .filter_map(|(i, image)| {
            crate::files::inside(&crate::edition::ids::issue_folder(&i.slug), &image.path)
        })
        .filter_map(|rel| rel.parent().map(|d| root.join(d)))
        .collect();
    let drafts = report
        .project
        .issues
        .iter()
        .filter(|i| i.status == crate::model::Status::Draft)
        .map(|i| i.slug.clone())
        .collect();
    // Errors first: the page and the terminal lead with what stops the build.
    let mut shown = report.diags.clone();
    shown.sort_by_key(|d| std::cmp::Reverse(d.severity()));
    let mut plain = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    let _ = diagnostic::emit_human(&mut plain, &report.sources, &shown);
    let plain = String::from_utf8_lossy(&plain.into_inner()).into_owned();
    let errors = report.count(Severity::Error);
    {
        let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
        state.drafts = drafts;
        state.status = status;
        state.base_url = report.project.site.base_url.clone();
        match &result {
            Ok(()) => {
                state.error = None;
                let said = if plain.is_empty() {
                    String::new()
                } else {
                    format!("\n{plain}")
                };
                eprintln!("rebuilt in {} ms{said}", started.elapsed().as_millis());
            }
            Err(why) => {
                eprintln!(
                    "build failed ({}); the browser shows them\n{plain}{why}",
                    crate::edition::words::plural(errors, "error")
                );
                let mut html = HtmlColor::default();
                let _ = diagnostic::emit_human(&mut html, &report.sources, &shown);
                state.error = Some(error_page(&html.finish(), why));
            }
        }
    }
    shared.build.send_modify(|b| *b += 1);
    images
}

/// codespan-reporting's coloured output as HTML: text escaped, colours as spans.
#[derive(Default)]
struct HtmlColor {
    html: String,
    pending: Vec<u8>,
    open: bool,
}

impl HtmlColor {
    /// Escapes what was written since the last colour change.
    fn settle(&mut self) {
        self.html
            .push_str(&escape(&String::from_utf8_lossy(&self.pending)));
        self.pending.clear();
    }

    /// The HTML, every span closed.
    fn finish(mut self) -> String {
        let _ = self.reset();
        self.html
    }
}

impl std::io::Write for HtmlColor {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl WriteColor for HtmlColor {
    fn supports_color(&self) -> bool {
        true
    }

    fn set_color(&mut self, spec: &ColorSpec) -> std::io::Result<()> {
        self.reset()?;
        let colour = match spec.fg() {
            Some(Color::Red) => Some("#b00020"),
            Some(Color::Yellow) => Some("#8a5a00"),
            Some(Color::Green) => Some("#2e7d32"),
            Some(Color::Cyan) => Some("#00707a"),
            Some(Color::Blue) => Some("#1f4fbf"),
            Some(Color::Magenta) => Some("#8e24aa"),
            _ => None,
        };
        let mut style = colour.map(|c| format!("color:{c};")).unwrap_or_default();
        if spec.bold() {
            style.push_str("font-weight:bold;");
        }
        if !style.is_empty() {
            self.html.push_str(&format!("<span style=\"{style}\">"));
            self.open = true;
        }
        Ok(())
    }

    fn reset(&mut self) -> std::io::Result<()> {
        self.settle();
        if self.open {
            self.html.push_str("</span>");
            self.open = false;
        }
        Ok(())
    }
}

/// The page shown instead of the site while the last build failed (the diagnostics already HTML).
fn error_page(diagnostics: &str, why: &str) -> String {
    let why = escape(why);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>Build failed · pir serve</title>\n<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#111;background:#fff}}pre{{background:#f4f1ea;padding:1rem;overflow-x:auto;border-left:4px solid #b00020;font:13px/1.45 ui-monospace,monospace}}</style>\n</head>\n<body>\n<main>\n<h1>The build failed</h1>\n<p>Fix the problems below and save: this page turns back into your zine by itself.</p>\n<pre>{diagnostics}{why}</pre>\n</main>\n</body>\n</html>\n"
    )
}

/// Text escaped for HTML, by the one escaper of [`crate::render::html::escape`].
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::render::html::escape(text, &mut out);
    out
}

/// Answers one request for a file (blocking: it reads the disk).
fn respond(out: &Path, path: &str, query: &str, shared: &Shared) -> Response<Body> {
    if let Some(rest) = path.strip_prefix("/__pir/email/") {
        return email_preview(out, rest, shared);
    }
    let Some(rel) = safe_path(path) else {
        return text(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"400 bad request: the path leaves the site\n".to_vec(),
        );
    };
    let build = *shared.build.borrow();
    let (error, drafts, status) = {
        let state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
        (
            state.error.clone(),
            state.drafts.clone(),
            state.status.clone(),
        )
    };
    let mut file = out.join(&rel);
    let dir = file.is_dir();
    if dir && !path.ends_with('/') {
        // Relative links in an index page resolve against its folder: the URL must end in a slash.
        let mut response = text(
            StatusCode::MOVED_PERMANENTLY,
            "text/plain; charset=utf-8",
            b"301 moved\n".to_vec(),
        );
        let location = hyper::header::HeaderValue::from_str(&format!("{path}/{query}"));
        if let Ok(location) = location {
            response
                .headers_mut()
                .insert(hyper::header::LOCATION, location);
        }
        return response;
    }
    if dir {
        file = file.join("index.html");
    }
    // A page is an HTML file, a folder, or a path with no extension (`/` before any good build).
    let page = file.extension().is_none_or(|e| e == "html");
    if page && let Some(error) = error {
        return text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            inject(error.into_bytes(), build, None),
        );
    }
    // A draft's pages carry the badge; so does the home page, which may lead with a draft.
    let draft = match drafts
        .iter()
        .find(|d| rel.starts_with(crate::edition::ids::issue_folder(d)))
    {
        Some(slug) => Some(format!(
            "issues/{slug} has status = &quot;draft&quot;: pir build leaves it out"
        )),
        None if !drafts.is_empty()
            && (rel.as_os_str().is_empty() || rel == Path::new("index.html")) =>
        {
            Some(format!(
                "this preview includes draft issues that pir build leaves out: {}",
                drafts.join(", ")
            ))
        }
        None => None,
    };
    let inside = match (file.canonicalize(), out.canonicalize()) {
        (Ok(f), Ok(o)) => f.starts_with(o),
        _ => false,
    };
    match std::fs::read(&file) {
        Ok(bytes) if inside => {
            let html = file.extension().is_some_and(|e| e == "html");
            let home = rel.as_os_str().is_empty() || rel == Path::new("index.html");
            let body = if html {
                let bytes = match status.as_deref().filter(|_| home) {
                    Some(panel) => with_panel(bytes, panel),
                    None => bytes,
                };
                inject(bytes, build, draft.as_deref())
            } else {
                bytes
            };
            text(StatusCode::OK, content_type(&file), body)
        }
        _ => {
            let page =
                std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"404 not found\n".to_vec());
            text(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                inject(page, build, None),
            )
        }
    }
}

/// The email edition of an issue in serve mode: `<slug>/` shows it at a
/// phone's width and at the email column's, side by side; `<slug>/email.html`
/// is the email with its absolute links turned back to this server.
fn email_preview(out: &Path, rest: &str, shared: &Shared) -> Response<Body> {
    let build = *shared.build.borrow();
    let state = &shared.state;
    let (slug, file) = rest.split_once('/').unwrap_or((rest, ""));
    let email = safe_path(slug)
        .filter(|s| s.components().count() == 1)
        .map(|s| out.join(crate::files::ISSUES).join(s).join("email.html"));
    let Some(email) = email.filter(|e| e.is_file()) else {
        let page =
            std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"404 not found\n".to_vec());
        return text(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            inject(page, build, None),
        );
    };
    if let Some(page) = state.lock().ok().and_then(|s| s.error.clone()) {
        return text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            inject(page.into_bytes(), build, None),
        );
    }
    match file {
        "" => {
            let frames: String = [375, 600]
                .iter()
                .map(|w| format!("<figure><figcaption>{w} px</figcaption><iframe src=\"email.html\" width=\"{w}\" height=\"900\" title=\"The email at {w} px\"></iframe></figure>"))
                .collect();
            let page = format!(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>Email preview · {}</title>\n<style>body{{font:15px/1.5 system-ui,sans-serif;margin:1rem;background:#ddd}}main{{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}}figure{{margin:0}}iframe{{border:1px solid #888;background:#fff}}</style>\n</head>\n<body>\n<h1>Email preview: {}</h1>\n<main>{frames}</main>\n</body>\n</html>\n",
                escape(slug),
                escape(slug)
            );
            text(
                StatusCode::OK,
                "text/html; charset=utf-8",
                inject(page.into_bytes(), build, None),
            )
        }
        "email.html" => {
            let base = state.lock().map(|s| s.base_url.clone()).unwrap_or_default();
            let html = std::fs::read_to_string(&email).unwrap_or_default();
            let local = if base.is_empty() {
                html
            } else {
                html.replace(&format!("\"{base}/"), "\"/")
            };
            text(
                StatusCode::OK,
                "text/html; charset=utf-8",
                inject(local.into_bytes(), build, None),
            )
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            b"404 not found\n".to_vec(),
        ),
    }
}

/// Decodes a URL path into a relative path, or `None` if it could leave the folder.
pub fn safe_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    // pir never writes names with these; a `%` left after one decoding is a second layer (%252e).
    if decoded.contains(['\\', '\0', '%']) {
        return None;
    }
    let mut out = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => {
                let c = Path::new(p).components().next()?;
                if !matches!(c, Component::Normal(_)) || p.contains(':') {
                    return None;
                }
                out.push(p);
            }
        }
    }
    Some(out)
}

/// Adds the reload script (knowing the page's build) to an HTML page, and
/// the DRAFT badge (`draft` says why, as escaped HTML) to the pages of a draft issue.
fn inject(mut page: Vec<u8>, build: u64, draft: Option<&str>) -> Vec<u8> {
    let script = RELOAD.replace("BUILD", &build.to_string());
    let mut tail = String::new();
    if let Some(why) = draft {
        tail.push_str(&format!(
            "<div role=\"status\" style=\"position:fixed;top:.5rem;right:.5rem;z-index:9999;background:#b00020;color:#fff;font:bold 14px/1 system-ui,sans-serif;letter-spacing:.08em;padding:.45rem .7rem;border-radius:3px\" title=\"{why}\">DRAFT</div>"
        ));
    }
    tail.push_str(&script);
    match page.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => {
            page.splice(at..at, tail.bytes());
        }
        None => page.extend_from_slice(tail.as_bytes()),
    }
    page
}

/// Puts the drafts' status panel at the top of a page's `<main>` (or its body).
fn with_panel(mut page: Vec<u8>, panel: &str) -> Vec<u8> {
    let at = ["<main", "<body"].iter().find_map(|tag| {
        let start = page.windows(tag.len()).position(|w| w == tag.as_bytes())?;
        page[start..]
            .iter()
            .position(|b| *b == b'>')
            .map(|end| start + end + 1)
    });
    match at {
        Some(at) => {
            page.splice(at..at, panel.bytes());
        }
        None => page.extend_from_slice(panel.as_bytes()),
    }
    page
}

/// A response with a content type, never cached.
fn text(status: StatusCode, kind: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(body)).boxed_unsync());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_str(kind).expect("a valid header"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// The content type of a file, by extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_site() {
        assert_eq!(
            safe_path("/issues/march-2020/"),
            Some(PathBuf::from("issues/march-2020"))
        );
        assert_eq!(safe_path("/"), Some(PathBuf::new()));
        assert_eq!(safe_path("/a%20b.html"), Some(PathBuf::from("a b.html")));
        for bad in [
            "/../zine.toml",
            "/%2e%2e/zine.toml",
            "/%2E%2E%2Fzine.toml",
            "/..%2fzine.toml",
            "/a/..%5c..%5czine.toml",
            "/%252e%252e/zine.toml",
            "/a\\..\\b",
            "/%00",
            "/C:/x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let page = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            7,
            None,
        ))
        .unwrap();
        assert!(
            page.ends_with("</script></body></html>") && page.contains("var b=\"7\""),
            "{page}"
        );
        let draft = String::from_utf8(inject(
            b"<html><body></body></html>".to_vec(),
            7,
            Some("april-2021"),
        ))
        .unwrap();
        assert!(draft.contains(">DRAFT</div>"), "{draft}");
    }

    #[test]
    fn only_inputs_matter() {
        let root = Path::new("/zine");
        for input in [
            "zine.toml",
            "issues/march-2020/discord.md",
            "templates/zine.typ",
            "fonts/a.ttf",
            "logo.png",
            "art/cover.svg",
        ] {
            assert!(matters(root, &root.join(input)), "{input}");
        }
        for other in [
            "public/index.html",
            ".public.pir-staging-42/index.html",
            "notes.txt",
            "target/x",
            "node_modules/x/y.js",
            ".git/HEAD",
        ] {
            assert!(!matters(root, &root.join(other)), "{other}");
        }
    }
}
