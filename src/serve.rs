//! `pir serve`: build, serve on loopback, rebuild on every edit, reload the page.
//!
//! The site is built into a private folder (never the deployable `public/`)
//! and served by hyper, the maintained HTTP implementation under most of
//! Rust's web stack. A watcher
//! (notify) rebuilds after each edit; Typst's memoization stays warm in this
//! process, so a rebuild only re-lays out what changed. Pages get a small
//! script, in serve mode only, that polls the build number and reloads. A
//! failed build does not stop the server: every page shows the diagnostics
//! until the next good build.
//!
//! Requests are answered only with files under the output folder: paths
//! are percent-decoded once, and any `..`, backslash or NUL is refused
//! before the path touches the disk; symlinks leading out are refused too.
//! Broken requests get an error and cost only their own connection: a
//! malformed one a 400 (from hyper), a body shorter than its Content-Length
//! a 400, a header that never ends a 408 after the request timeout.

use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use codespan_reporting::term::termcolor::NoColor;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify::{RecursiveMode, Watcher};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::build::{self, Options};
use crate::diagnostic::{self, Severity};

/// The script injected into HTML pages in serve mode: reload when the build number changes.
const RELOAD: &str = r#"<script>(function(){var b=null;function poll(){fetch("/__pir/build",{cache:"no-store"}).then(function(r){return r.text()}).then(function(t){if(b!==null&&t!==b){location.reload()}b=t}).catch(function(){}).finally(function(){setTimeout(poll,500)})}poll()})();</script>"#;

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

/// What the server shows: the build number and, after a failed build, the error page.
#[derive(Default)]
struct State {
    build: u64,
    error: Option<String>,
    /// The site's `base_url`: the email preview points its absolute links back at this server.
    base_url: String,
}

/// Builds, then serves until the process is stopped. `ready` is told the address once listening.
pub fn serve(root: &Path, options: &ServeOptions, ready: impl FnOnce(SocketAddr, &Path)) -> Result<()> {
    let out = std::env::temp_dir().join(format!("pir-serve-{}", std::process::id()));
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(root, &out, &options.build, &state);
    let (listener, addr) = bind(options.interface, options.port)?;
    ready(addr, &out);

    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file is an event too (inotify reports opens); only changes count.
        if let Some(event) = event.ok().filter(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
            let _ = tx.send(event.paths);
        }
    })
    .context("cannot watch the project for changes")?;
    watcher.watch(root, RecursiveMode::Recursive).context("cannot watch the project for changes")?;
    let (watch_root, watch_out, watch_state, build_options) = (root.to_path_buf(), out.clone(), state.clone(), options.build.clone());
    std::thread::spawn(move || {
        let _watcher = watcher;
        loop {
            let Ok(paths) = rx.recv() else { return };
            let mut relevant = paths.iter().any(|p| matters(&watch_root, p));
            // Editors write in bursts: wait for a quiet moment, then build once.
            loop {
                match rx.recv_timeout(Duration::from_millis(120)) {
                    Ok(more) => relevant |= more.iter().any(|p| matters(&watch_root, p)),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            if relevant {
                rebuild(&watch_root, &watch_out, &build_options, &watch_state);
            }
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().context("cannot start the server")?;
    let timeout = options.request_timeout;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).context("cannot listen")?;
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let (out, state) = (out.clone(), state.clone());
            tokio::spawn(async move { connection(stream, out, state, timeout).await });
        }
    })
}

/// Serves one connection: waits (bounded) for a whole header, then lets hyper answer.
async fn connection(mut stream: TcpStream, out: PathBuf, state: Arc<Mutex<State>>, timeout: Duration) {
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
        let (out, state) = (out.clone(), state.clone());
        async move { Ok::<_, std::convert::Infallible>(handle(req, &out, &state, timeout).await) }
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
async fn handle(req: Request<Incoming>, out: &Path, state: &Mutex<State>, timeout: Duration) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let declared = req.headers().get(hyper::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > 0) || req.headers().contains_key(hyper::header::TRANSFER_ENCODING) {
        match tokio::time::timeout(timeout, http_body_util::Limited::new(req.into_body(), 1 << 20).collect()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "text/plain; charset=utf-8",
                    format!("400 bad request: the body is incomplete or too large ({e})\n").into_bytes(),
                );
            }
            Err(_) => {
                return text(StatusCode::REQUEST_TIMEOUT, "text/plain; charset=utf-8", b"408 the request body never ended\n".to_vec());
            }
        }
    }
    respond(out, &path, state)
}

/// Listens on `port`, or the next free port after it.
fn bind(interface: IpAddr, port: u16) -> Result<(std::net::TcpListener, SocketAddr)> {
    let mut last = None;
    for p in port..=port.saturating_add(20) {
        match std::net::TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(listener) => {
                listener.set_nonblocking(true)?;
                let addr = listener.local_addr()?;
                return Ok((listener, addr));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(anyhow::anyhow!("no free port from {port} to {}: {}", port.saturating_add(20), last.map(|e| e.to_string()).unwrap_or_default()))
}

/// Whether a changed path is part of the project's input (not output, not tooling).
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let first = rel.components().next().and_then(|c| c.as_os_str().to_str()).unwrap_or("");
    !matches!(first, "public" | "target" | ".git" | "node_modules") && !rel.to_string_lossy().ends_with(".pir-tmp")
}

/// Builds into `out`, recording success or the diagnostics page.
fn rebuild(root: &Path, out: &Path, options: &Options, state: &Mutex<State>) {
    let started = std::time::Instant::now();
    let mut report = crate::check::check(root);
    let options = Options { previous: Some(out.to_path_buf()), ..options.clone() };
    let built = build::build(&mut report, &options);
    let result = match built {
        Some(built) => crate::publish::publish(out, &built.files).map_err(|e| e.to_string()),
        None => Err(String::new()),
    };
    let mut text = NoColor::new(Vec::new());
    let _ = diagnostic::emit_human(&mut text, &report.sources, &report.diags);
    let text = String::from_utf8_lossy(&text.into_inner()).into_owned();
    let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
    state.build += 1;
    state.base_url = report.project.site.base_url.clone();
    let errors = report.count(Severity::Error);
    match result {
        Ok(()) => {
            state.error = None;
            eprintln!(
                "rebuilt in {} ms{}",
                started.elapsed().as_millis(),
                if text.is_empty() { String::new() } else { format!("\n{text}") }
            );
        }
        Err(why) => {
            eprintln!("build failed ({errors} errors); the browser shows them\n{text}{why}");
            state.error = Some(error_page(&text, &why));
        }
    }
}

/// The page shown instead of the site while the last build failed.
fn error_page(diagnostics: &str, why: &str) -> String {
    let body = escape(&format!("{diagnostics}{why}"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>Build failed · pir serve</title>\n<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#111;background:#fff}}pre{{background:#f4f1ea;padding:1rem;overflow-x:auto;border-left:4px solid #b00020;font:13px/1.45 ui-monospace,monospace}}</style>\n</head>\n<body>\n<main>\n<h1>The build failed</h1>\n<p>Fix the problems below and save: this page turns back into your zine by itself.</p>\n<pre>{body}</pre>\n</main>\n</body>\n</html>\n"
    )
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Answers one request.
fn respond(out: &Path, url: &str, state: &Mutex<State>) -> Response<Full<Bytes>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/__pir/build" {
        let build = state.lock().map(|s| s.build).unwrap_or(0);
        return text(StatusCode::OK, "text/plain; charset=utf-8", build.to_string().into_bytes());
    }
    if let Some(rest) = path.strip_prefix("/__pir/email/") {
        return email_preview(out, rest, state);
    }
    let Some(rel) = safe_path(path) else {
        return text(StatusCode::BAD_REQUEST, "text/plain; charset=utf-8", b"400 bad request: the path leaves the site\n".to_vec());
    };
    let mut file = out.join(&rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let html = file.extension().is_some_and(|e| e == "html");
    if html && let Some(page) = state.lock().ok().and_then(|s| s.error.clone()) {
        return text(StatusCode::INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", inject(page.into_bytes()));
    }
    let inside = match (file.canonicalize(), out.canonicalize()) {
        (Ok(f), Ok(o)) => f.starts_with(o),
        _ => false,
    };
    match std::fs::read(&file) {
        Ok(bytes) if inside => {
            let body = if html { inject(bytes) } else { bytes };
            text(StatusCode::OK, content_type(&file), body)
        }
        _ => {
            let page = std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"404 not found\n".to_vec());
            text(StatusCode::NOT_FOUND, "text/html; charset=utf-8", inject(page))
        }
    }
}

/// The email edition of an issue in serve mode: `<slug>/` shows it at a
/// phone's width and at the email column's, side by side; `<slug>/email.html`
/// is the email with its absolute links turned back to this server.
fn email_preview(out: &Path, rest: &str, state: &Mutex<State>) -> Response<Full<Bytes>> {
    let (slug, file) = rest.split_once('/').unwrap_or((rest, ""));
    let email = safe_path(slug).filter(|s| s.components().count() == 1).map(|s| out.join("issues").join(s).join("email.html"));
    let Some(email) = email.filter(|e| e.is_file()) else {
        let page = std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"404 not found\n".to_vec());
        return text(StatusCode::NOT_FOUND, "text/html; charset=utf-8", inject(page));
    };
    if let Some(page) = state.lock().ok().and_then(|s| s.error.clone()) {
        return text(StatusCode::INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", inject(page.into_bytes()));
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
            text(StatusCode::OK, "text/html; charset=utf-8", inject(page.into_bytes()))
        }
        "email.html" => {
            let base = state.lock().map(|s| s.base_url.clone()).unwrap_or_default();
            let html = std::fs::read_to_string(&email).unwrap_or_default();
            let local = if base.is_empty() { html } else { html.replace(&format!("\"{base}/"), "\"/") };
            text(StatusCode::OK, "text/html; charset=utf-8", inject(local.into_bytes()))
        }
        _ => text(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"404 not found\n".to_vec()),
    }
}

/// Decodes a URL path into a relative path, or `None` if it could leave the folder.
pub fn safe_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
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

/// Adds the reload script to an HTML page.
fn inject(mut page: Vec<u8>) -> Vec<u8> {
    match page.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => {
            page.splice(at..at, RELOAD.bytes());
        }
        None => {
            page.extend_from_slice(RELOAD.as_bytes());
        }
    }
    page
}

/// A response with a content type, never cached.
fn text(status: StatusCode, kind: &str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_str(kind).expect("a valid header"));
    headers.insert(hyper::header::CACHE_CONTROL, hyper::header::HeaderValue::from_static("no-store"));
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
        assert_eq!(safe_path("/issues/march-2020/"), Some(PathBuf::from("issues/march-2020")));
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
        let page = String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert!(page.ends_with("</script></body></html>"));
    }
}
