//! `pir serve` over real TCP on 127.0.0.1: it serves, reloads after an edit,
//! shows a failed build as an error page, refuses paths that leave the site,
//! and answers malformed, incomplete and never-ending requests with errors.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A running `pir serve`, stopped when dropped.
struct Serve {
    child: Child,
    port: u16,
    /// The folder it builds into, as it announced.
    out: std::path::PathBuf,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pir serve` on a port the OS picks (`--port 0`), and reads the address it prints.
fn start(root: &std::path::Path) -> Serve {
    start_on(root, 0)
}

/// Starts `pir serve` asking for `port`, and reads the address it prints.
fn start_on(root: &std::path::Path, port: u16) -> Serve {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pir"))
        .arg("--root")
        .arg(root)
        .args([
            "serve",
            "--port",
            &port.to_string(),
            "--request-timeout",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines
        .find_map(|l| l.ok().filter(|l| l.contains("http://127.0.0.1:")))
        .expect("the server says where it listens");
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let out = line
        .split("(built into ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .into();
    Serve { child, port, out }
}

/// Sends raw bytes, returns the status code and body of the answer.
fn raw(port: u16, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// GET a path.
fn get(port: u16, path: &str) -> (u16, String) {
    raw(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Waits until the build number moves past `after`.
fn wait_for_build(port: u16, after: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, build) = get(port, "/__pir/build");
        if build != after {
            return build;
        }
        assert!(Instant::now() < deadline, "no rebuild after the edit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_reloads_shows_errors_and_recovers() {
    let project = project("valid");
    let root = project.path();
    let server = start(root);
    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("First light") && home.contains("/__pir/events"),
        "the page and its reload script"
    );
    let (status, pdf) = get(server.port, "/issues/january-2021/issue-1.pdf");
    assert!(
        status == 200 && pdf.contains("%PDF"),
        "the reading PDF is served too"
    );

    let build = get(server.port, "/__pir/build").1;
    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        note.replace("A short note to open the issue.", "An edited note."),
    );
    let build = wait_for_build(server.port, &build);
    assert!(
        get(server.port, "/issues/january-2021/")
            .1
            .contains("An edited note.")
    );

    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"note\"\ntitle = \"Hi\"\n+++\n",
    );
    let build = wait_for_build(server.port, &build);
    let (status, page) = get(server.port, "/issues/january-2021/");
    assert_eq!(status, 500);
    assert!(
        page.contains("The build failed")
            && page.contains("E204")
            && page.contains("issues/january-2021/note.md:2"),
        "{page}"
    );

    write(root, "issues/january-2021/note.md", note);
    wait_for_build(server.port, &build);
    let (status, page) = get(server.port, "/issues/january-2021/");
    assert!(status == 200 && page.contains("A short note to open the issue."));
}

#[test]
fn refuses_paths_that_leave_the_site_and_keeps_serving() {
    let project = project("valid");
    let server = start(project.path());
    for path in [
        "/../zine.toml",
        "/%2e%2e/zine.toml",
        "/%2E%2E%2Fzine.toml",
        "/..%2f..%2fetc%2fpasswd",
        "/a/..%5c..%5czine.toml",
        "/%252e%252e/zine.toml",
        "/%00",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("base_url"), "{path} leaked zine.toml");
    }
    assert_eq!(get(server.port, "/nope.html").0, 404);
    let (status, _) = raw(server.port, b"GARBAGE\r\n\r\n");
    assert_eq!(status, 400, "a malformed request line");
    // A header that never ends: others are served meanwhile, and it gets a 408.
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaa")
        .unwrap();
    let (status, _) = get(server.port, "/style.css");
    assert_eq!(status, 200, "others are still served");
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert_eq!(get(server.port, "/").0, 200);
}

#[test]
fn a_body_shorter_than_its_content_length_gets_an_error() {
    let project = project("valid");
    let server = start(project.path());
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        .unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 400") && answer.contains("incomplete"),
        "{answer:?}"
    );
    // Held open instead, it times out with a 408.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert_eq!(get(server.port, "/").0, 200, "and the server keeps serving");
}

#[test]
fn an_oversized_header_gets_431() {
    let project = project("valid");
    let server = start(project.path());
    let mut request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 1 << 20));
    request.extend(b"\r\n\r\n");
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(&request);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    assert!(
        answer.starts_with(b"HTTP/1.1 431"),
        "{:?}",
        String::from_utf8_lossy(&answer[..answer.len().min(60)])
    );
    assert_eq!(get(server.port, "/").0, 200);
}

#[test]
fn the_next_free_port_is_taken_when_the_first_is_busy() {
    // A port the OS gives us, held busy while pir asks for it.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = busy.local_addr().unwrap().port();
    let project = project("valid");
    let server = start_on(project.path(), taken);
    assert_ne!(server.port, taken);
    assert_eq!(get(server.port, "/").0, 200);
    drop(busy);
}

/// Reads one server-sent event's data from a stream.
fn next_event(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the event stream ended"
        );
        if let Some(data) = line.strip_prefix("data: ") {
            return data.trim().to_string();
        }
    }
}

#[test]
fn reloads_are_pushed_as_server_sent_events() {
    let project = project("valid");
    let root = project.path();
    let server = start(root);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(b"GET /__pir/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut reader = BufReader::new(s);
    let first = next_event(&mut reader);
    let page = get(server.port, "/").1;
    assert!(
        page.contains(&format!("var b=\"{first}\"")),
        "the page knows its build"
    );
    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        note.replace("A short note", "A pushed note"),
    );
    let second = next_event(&mut reader);
    assert_ne!(
        second, first,
        "the end of the rebuild is pushed, not polled"
    );
    assert!(
        get(server.port, "/issues/january-2021/")
            .1
            .contains("A pushed note")
    );
}

#[test]
fn only_inputs_trigger_a_rebuild() {
    let project = project("valid");
    let root = project.path();
    let server = start(root);
    let build = get(server.port, "/__pir/build").1;
    // A concurrent `pir build`'s staging folder, notes beside the project, tooling.
    write(
        root,
        ".public.pir-staging-4242/index.html",
        "<p>half a site</p>",
    );
    write(root, "notes/todo.txt", "call the editor");
    write(root, "node_modules/x/index.js", "");
    write(root, "README.txt", "about this zine");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        get(server.port, "/__pir/build").1,
        build,
        "none of these is an input"
    );
    write(
        root,
        "zine.toml",
        std::fs::read_to_string(root.join("zine.toml"))
            .unwrap()
            .replace("A small zine", "A smaller zine"),
    );
    wait_for_build(server.port, &build);
}

#[test]
fn a_folder_url_without_a_slash_redirects() {
    let project = project("valid");
    let server = start(project.path());
    let (status, _) = get(server.port, "/issues/january-2021");
    assert_eq!(status, 301);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET /issues/january-2021?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(
        answer
            .to_lowercase()
            .contains("location: /issues/january-2021/?x=1\r\n"),
        "{answer}"
    );
    assert_eq!(get(server.port, "/issues/january-2021/").0, 200);
}

#[test]
fn a_project_broken_at_start_shows_its_errors_at_the_root_errors_first_in_colour() {
    let project = project("valid");
    let root = project.path();
    // An error in one file, and a hint in another that sorts before it.
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"note\"\ntitle = \"Hi\"\n+++\n",
    );
    let server = start(root);
    let (status, page) = get(server.port, "/");
    assert_eq!(status, 500, "{page}");
    assert!(
        page.contains("The build failed") && page.contains("E204"),
        "{page}"
    );
    let error = page.find("E204").unwrap();
    assert!(
        page.find("H70").is_none_or(|hint| hint > error),
        "errors come first: {page}"
    );
    assert!(
        page.contains("<span style=\"color:#b00020"),
        "in colour: {page}"
    );
    assert_eq!(get(server.port, "/issues/january-2021/").0, 500);
}

#[test]
fn drafts_are_previewed_with_a_badge_and_build_says_it_left_them_out() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/february-2021/issue.toml",
        "number = 2\ntitle = \"Not yet\"\ndate = 2021-02-01\nstatus = \"draft\"\npieces = [\"note.md\"]\n",
    );
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Soon\"\n+++\n\nComing soon.\n",
    );
    let server = start(root);
    let (status, page) = get(server.port, "/issues/february-2021/");
    assert_eq!(status, 200, "the draft is in the preview");
    assert!(
        page.contains(">DRAFT</div>") && page.contains("Coming soon."),
        "{page}"
    );
    assert!(
        !get(server.port, "/issues/january-2021/")
            .1
            .contains(">DRAFT</div>"),
        "published issues have no badge"
    );
    let home = get(server.port, "/").1;
    assert!(
        home.contains(">DRAFT</div>") && home.contains("february-2021"),
        "the home page says the preview has drafts"
    );
    drop(server);
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("left out 1 draft issue") && stderr.contains("--drafts"),
        "{stderr}"
    );
    assert!(!root.join("public/issues/february-2021").exists());
}

#[cfg(unix)]
#[test]
fn its_output_is_private_and_removed_on_sigterm_and_ctrl_c() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let project = project("valid");
        let mut server = start(project.path());
        assert!(
            server.out.join("index.html").is_file(),
            "{}",
            server.out.display()
        );
        assert!(
            !server
                .out
                .to_string_lossy()
                .contains(&server.child.id().to_string()),
            "the name is not the pid"
        );
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(server.child.id() as i32, signal) }, 0);
        let status = server.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "signal {signal}");
        assert!(
            !server.out.exists(),
            "signal {signal}: the output is removed"
        );
        assert!(
            !server.out.parent().unwrap().exists(),
            "and its temporary folder"
        );
    }
}

#[test]
fn the_email_edition_is_previewed_at_two_widths_with_links_back_to_the_server() {
    let project = project("valid");
    let server = start(project.path());
    let (status, page) = get(server.port, "/__pir/email/january-2021/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<iframe src=\"email.html\" width=\"375\"")
            && page.contains("<iframe src=\"email.html\" width=\"600\""),
        "{page}"
    );
    let (status, email) = get(server.port, "/__pir/email/january-2021/email.html");
    assert_eq!(status, 200);
    assert!(
        !email.contains("https://zine.example.com/"),
        "links lead back to this server"
    );
    assert!(
        email.contains("src=\"/issues/january-2021/email/outage-timeline.png\""),
        "{email}"
    );
    let (status, png) = get(
        server.port,
        "/issues/january-2021/email/outage-timeline.png",
    );
    assert_eq!(status, 200);
    assert!(png.contains("PNG"));
    assert_eq!(get(server.port, "/__pir/email/no-such-issue/").0, 404);
    assert_eq!(get(server.port, "/__pir/email/..%2f..%2fetc/").0, 404);
}

#[test]
fn the_home_page_shows_where_the_draft_issues_pieces_stand() {
    let project = project("valid");
    let root = project.path();
    let server = start(root);
    let (_, home) = get(server.port, "/");
    assert!(!home.contains("id=\"pir-status\""), "no drafts, no panel");
    let build = get(server.port, "/__pir/build").1;
    write(
        root,
        "issues/february-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hello again\"\nstatus = \"review\"\nreviewers = [\"Ada <Reviewer>\"]\n+++\n\nAnother note, waiting for its reader.\n",
    );
    write(
        root,
        "issues/february-2021/issue.toml",
        "number = 2\ntitle = \"Second light\"\ndate = 2021-02-01\nstatus = \"draft\"\neditors = [\"A. Editor\"]\npieces = [\"note.md\"]\n",
    );
    wait_for_build(server.port, &build);
    let (_, home) = loop {
        let page = get(server.port, "/");
        if page.1.contains("pir-status") {
            break page;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let panel = &home[home.find("<section id=\"pir-status\"").unwrap()..];
    let panel = &panel[..panel.find("</section>").unwrap()];
    assert!(panel.contains("Issue 2: Second light (2 pages)"), "{panel}");
    assert!(
        panel.contains("<td>Hello again</td><td>review</td><td>Ada &lt;Reviewer&gt;</td><td>6</td><td>1 min</td><td>p.&nbsp;2</td><td>none</td>"),
        "{panel}"
    );
    // Only the home page carries it.
    let (_, issue) = get(server.port, "/issues/february-2021/");
    assert!(!issue.contains("pir-status"));
}
