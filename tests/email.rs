//! The newsletter edition: Issue 2's email files read back with a MIME
//! parser, the sign-up form, the `check` rule for a form that posts to the
//! site itself, the Atom feed's full content, and `pir email` sending to a
//! real SMTP conversation on loopback.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use mail_parser::{MessageParser, MimeHeaders};

/// Issue 2 built once for the whole file: the output folder.
fn issue_2() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let out = pir()
            .arg("--root")
            .arg(repo())
            .args(["build", "--quiet", "--output"])
            .arg(&public)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, public.join("issues/march-2020"))
    })
    .1
}

/// Every value of an attribute (`href`, `src`) in an HTML text, unescaped.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            unescape(&html[i + needle.len()..][..html[i + needle.len()..].find('"').unwrap()])
        })
        .collect()
}

/// Undoes the HTML escapes the templates write.
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn the_eml_parses_into_a_text_and_an_html_part_with_the_issues_text() {
    let eml = std::fs::read(issue_2().join("issue-2.eml")).unwrap();
    let message = MessageParser::default()
        .parse(&eml)
        .expect("a MIME message");
    assert_eq!(
        message.subject(),
        Some("Post-Incident Review, Issue 2: Learning at Home")
    );
    assert_eq!(
        message
            .from()
            .and_then(|f| f.first())
            .and_then(|a| a.address()),
        Some("zine@incidentlabs.io")
    );
    let ct = message.content_type().unwrap();
    assert_eq!(
        (ct.ctype(), ct.subtype()),
        ("multipart", Some("alternative"))
    );
    assert_eq!(
        (message.text_body_count(), message.html_body_count()),
        (1, 1)
    );
    let text = message.body_text(0).unwrap();
    let html = message.body_html(0).unwrap();
    for words in [
        "Learning at Home",
        "Server Outages and Increased API Errors",
        "Imagining Your Post-Incident Report",
    ] {
        assert!(text.contains(words), "text part lacks {words}");
        assert!(html.contains(words), "html part lacks {words}");
    }
    for part in message.text_bodies().chain(message.html_bodies()) {
        assert_eq!(
            part.content_type().and_then(|c| c.attribute("charset")),
            Some("utf-8")
        );
    }
    let unsubscribe = message.header_raw("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.contains("<mailto:zine@incidentlabs.io?subject=unsubscribe>"),
        "{unsubscribe}"
    );
    // Nothing from the clock: the issue's date and a Message-ID made from the issue.
    assert_eq!(message.date().unwrap().to_rfc3339(), "2020-03-01T00:00:00Z");
    assert_eq!(
        message.message_id(),
        Some("issue-2.march-2020@zine.incidentlabs.io")
    );
    assert_eq!(
        html.replace("\r\n", "\n"),
        std::fs::read_to_string(issue_2().join("email.html")).unwrap()
    );
}

#[test]
fn the_html_email_keeps_to_what_mail_clients_render() {
    let html = std::fs::read_to_string(issue_2().join("email.html")).unwrap();
    assert!(
        html.len() < pir::email::GMAIL_CLIP_BYTES,
        "{} bytes: Gmail would clip it",
        html.len()
    );
    let lower = html.to_lowercase();
    for banned in ["<script", "<svg", "<link", "@import", "javascript:"] {
        assert!(!lower.contains(banned), "the email contains {banned}");
    }
    assert_eq!(
        lower.matches("<style").count(),
        1,
        "only the dark-mode block stays a style sheet"
    );
    for url in attributes(&html, "href")
        .into_iter()
        .chain(attributes(&html, "src"))
    {
        assert!(
            url.starts_with("https://") || url.starts_with("mailto:"),
            "not an absolute URL: {url}"
        );
    }
    let images: Vec<&str> = html
        .match_indices("<img ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect();
    assert!(
        images.len() >= 2,
        "the timeline chart and the drawing: {images:?}"
    );
    for img in &images {
        for attr in [" alt=\"", " width=\"", " height=\""] {
            assert!(img.contains(attr), "{img} lacks{attr}");
        }
        assert!(img.contains(".png\""), "{img} is not a PNG");
        assert!(!img.contains("alt=\"\""), "{img} has empty alt text");
    }
    // The drawings are published where the email links them, at twice their shown size.
    for png in ["discord-timeline.png", "illustration-three-am-page.png"] {
        let path = issue_2().join("email").join(png);
        let size = imagesize::size(&path).unwrap_or_else(|e| panic!("{png}: {e}"));
        let tag = images.iter().find(|i| i.contains(png)).unwrap();
        let width: usize = attributes(tag, "width")[0].parse().unwrap();
        assert_eq!(size.width, width * 2, "{png}");
    }
    for must in [
        "class=\"preheader\"",
        "Read it on the web",
        "https://zine.incidentlabs.io/issues/march-2020/issue-2.pdf",
        "https://zine.incidentlabs.io/newsletter/unsubscribe",
        "prefers-color-scheme: dark",
        "max-width: 600px",
        "Georgia",
    ] {
        assert!(html.contains(must), "the email lacks {must}");
    }
}

#[test]
fn the_text_email_reads_on_its_own() {
    let text = std::fs::read_to_string(issue_2().join("email.txt")).unwrap();
    for line in text.lines().filter(|l| l.chars().count() > 72) {
        assert!(
            line.rsplit(' ').next().unwrap().starts_with("https://"),
            "only a long URL may pass 72 columns: {line}"
        );
    }
    assert!(
        text.contains("Server Outages and Increased API Errors\n======"),
        "headings are underlined"
    );
    // The timeline as aligned times and text.
    let entries: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.len() > 13
                && l.as_bytes()[2] == b':'
                && l[..2].parse::<u8>().is_ok()
                && matches!(l.as_bytes()[5], b' ' | b'-')
        })
        .collect();
    assert!(entries.len() >= 8, "{entries:?}");
    let column = |l: &str| l.find(|c: char| c.is_alphabetic()).unwrap();
    assert!(
        entries.iter().all(|l| column(l) == column(entries[0])),
        "entries are not aligned: {entries:?}"
    );
    // Links as numbered references, listed at the end.
    let (_, links) = text.split_once("\nLinks\n").expect("a list of links");
    assert!(links.contains("[1] https://"), "{links}");
    assert!(text.contains("Unsubscribe: https://zine.incidentlabs.io/newsletter/unsubscribe"));
    assert!(!text.contains("](http"), "no Markdown link syntax is left");
}

#[test]
fn the_feed_carries_every_piece_in_full_with_absolute_urls() {
    let feed = std::fs::read_to_string(issue_2().join("../../feed.xml")).unwrap();
    let feed: atom_syndication::Feed = feed.parse().unwrap();
    let discord = feed
        .entries()
        .iter()
        .find(|e| e.title().as_str().starts_with("Server Outages"))
        .unwrap();
    let content = discord
        .content()
        .and_then(|c| c.value())
        .expect("full content");
    assert!(
        content.contains("<h3") && content.contains("etcd"),
        "{content}"
    );
    assert!(
        content
            .contains("https://zine.incidentlabs.io/issues/march-2020/email/discord-timeline.png")
    );
    for url in attributes(content, "href")
        .into_iter()
        .chain(attributes(content, "src"))
    {
        assert!(
            url.starts_with("https://") || url.starts_with("mailto:"),
            "not an absolute URL: {url}"
        );
    }
}

#[test]
fn issue_2_signs_up_on_its_own_domain_and_the_back_cover_says_so() {
    let home = std::fs::read_to_string(issue_2().join("../../index.html")).unwrap();
    let form = &home[home.find("<form").expect("a sign-up form")..];
    assert_eq!(
        attributes(&form[..form.find('>').unwrap()], "action"),
        ["https://zine.incidentlabs.io/newsletter/subscribe"]
    );
    assert!(
        form.starts_with("<form class=\"signup\" method=\"post\""),
        "{form}"
    );
    let pdf = issue_2().join("issue-2.pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Get each issue by email: sign up at zine.incidentlabs.io/subscribe/"),
        "{text}"
    );
}

/// The valid fixture with a `[newsletter]` table added to its zine.toml.
fn with_newsletter(table: &str) -> tempfile::TempDir {
    let project = project("valid");
    let zine = std::fs::read_to_string(project.path().join("zine.toml")).unwrap();
    write(project.path(), "zine.toml", format!("{zine}\n{table}"));
    project
}

/// Adds a back cover to the fixture's issue.
fn add_back_cover(root: &Path) {
    write(
        root,
        "issues/january-2021/back-cover.md",
        "+++\nkind = \"back-cover\"\ntitle = \"Until next time\"\n+++\n\nThanks for reading.\n",
    );
    let toml = root.join("issues/january-2021/issue.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("\"outage.md\"]", "\"outage.md\", \"back-cover.md\"]");
    std::fs::write(toml, text).unwrap();
}

/// The text of a PDF the build wrote.
fn pdf_text(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_subscribe_form_posts_to_the_configured_url() {
    let project = with_newsletter(
        "[newsletter]\naction = \"https://example.us1.list-manage.com/subscribe/post?u=abc&id=123\"\nemail_field = \"EMAIL\"\n\
         unsubscribe = \"*|UNSUB|*\"\narchive_url = \"https://us1.campaign-archive.com/home/?u=abc&id=123\"\n\
         [newsletter.hidden]\nb_abc_123 = \"\"\n",
    );
    add_back_cover(project.path());
    let out = run(project.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = project.path().join("public");
    for page in ["subscribe/index.html", "index.html"] {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let form = &html[html
            .find("<form")
            .unwrap_or_else(|| panic!("{page} has no form"))
            ..html.find("</form>").unwrap()];
        assert!(
            form.starts_with("<form class=\"signup\" method=\"post\" action=\""),
            "{form}"
        );
        let action = &attributes(&form[..form.find('>').unwrap()], "action")[0];
        assert_eq!(
            action, "https://example.us1.list-manage.com/subscribe/post?u=abc&id=123",
            "{form}"
        );
        let id = &attributes(form, "for")[0];
        assert!(
            form.contains(&format!("type=\"email\" id=\"{id}\" name=\"EMAIL\"")),
            "the field has its label: {form}"
        );
        assert!(
            form.contains("<input type=\"hidden\" name=\"b_abc_123\" value=\"\" />"),
            "{form}"
        );
        assert!(form.contains("<button type=\"submit\">"), "{form}");
        assert!(!html.contains("<script"), "{page} needs no JavaScript");
    }
    let email = std::fs::read_to_string(public.join("issues/january-2021/email.html")).unwrap();
    assert!(
        email.contains("href=\"*|UNSUB|*\""),
        "the provider's placeholder is in the footer"
    );
    assert!(
        email.contains("campaign-archive.com"),
        "the archive is linked"
    );
    let text = std::fs::read_to_string(public.join("issues/january-2021/email.txt")).unwrap();
    assert!(text.contains("Unsubscribe: *|UNSUB|*"), "{text}");
    let back_cover = pdf_text(&public.join("issues/january-2021/issue-1.pdf"));
    assert!(
        back_cover.contains("Get each issue by email: sign up at zine.example.com/subscribe/"),
        "{back_cover}"
    );
}

#[test]
fn without_a_newsletter_the_site_promises_no_email() {
    let project = project("valid");
    add_back_cover(project.path());
    let out = run(project.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = project.path().join("public");
    for page in [
        "index.html",
        "subscribe/index.html",
        "issues/january-2021/index.html",
    ] {
        let html = std::fs::read_to_string(public.join(page))
            .unwrap()
            .to_lowercase();
        for promise in ["<form", "by email", "sign up", "newsletter"] {
            assert!(
                !html.contains(promise),
                "{page} says {promise:?} without a [newsletter] table"
            );
        }
    }
    let email = std::fs::read_to_string(public.join("issues/january-2021/email.html")).unwrap();
    assert!(
        !email.to_lowercase().contains("unsubscribe"),
        "no unsubscribe line without a provider"
    );
    let pdf = pdf_text(&public.join("issues/january-2021/issue-1.pdf"));
    assert!(
        pdf.contains("Thanks for reading.") && !pdf.contains("by email"),
        "the back cover promises nothing: {pdf}"
    );
}

#[test]
fn the_email_edition_is_the_same_bytes_on_every_build() {
    let project = project("valid");
    let mut editions = Vec::new();
    for out in ["one", "two"] {
        let public = project.path().join(out);
        let run = pir()
            .arg("--root")
            .arg(project.path())
            .args(["build", "--force", "--output"])
            .arg(&public)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let dir = public.join("issues/january-2021");
        editions.push(
            [
                "email.html",
                "email.txt",
                "issue-1.eml",
                "email/outage-timeline.png",
            ]
            .map(|f| std::fs::read(dir.join(f)).unwrap()),
        );
    }
    assert!(
        editions[0] == editions[1],
        "two builds gave different email files"
    );
}

#[test]
fn the_summary_edition_sends_the_note_and_links_to_the_rest() {
    let project = with_newsletter(
        "[newsletter]\naction = \"https://buttondown.com/api/emails/embed-subscribe/example\"\nedition = \"summary\"\n",
    );
    let out = run(project.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let issue = project.path().join("public/issues/january-2021");
    let email = std::fs::read_to_string(issue.join("email.html")).unwrap();
    assert!(
        email.contains("A short note to open the issue."),
        "the editors' note is in full"
    );
    assert!(email.contains("outage.html\" style=\"color: #0b4f8a;\">Read “The night the queue stood still” on the web"), "{email}");
    assert!(
        !email.contains("A consumer held a lock"),
        "the incident is not in full"
    );
    assert!(
        !email.contains("-timeline.png"),
        "so it has no chart either"
    );
    let text = std::fs::read_to_string(issue.join("email.txt")).unwrap();
    assert!(
        text.contains("A short note to open the issue.")
            && !text.contains("A consumer held a lock"),
        "{text}"
    );
    assert!(
        text.contains(
            "Read it on the web: https://zine.example.com/issues/january-2021/outage.html"
        ),
        "{text}"
    );
}

#[test]
fn check_reports_a_sign_up_form_that_posts_to_the_site_itself() {
    let project =
        with_newsletter("[newsletter]\naction = \"https://zine.example.com/#subscribe\"\n");
    let out = run(project.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("W503 signup-to-self") && stderr.contains("the home page"),
        "{stderr}"
    );
    let project = with_newsletter(
        "[newsletter]\naction = \"https://zine.example.com/newsletter/subscribe\"\n",
    );
    let out = run(project.path(), &["check"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("W503"),
        "an endpoint on the same domain is fine"
    );
    let project = project_with_old_key();
    let out = run(project.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown key `newsletter_url`") && stderr.contains("[newsletter] table"),
        "{stderr}"
    );
}

/// The valid fixture with the old `newsletter_url` key.
fn project_with_old_key() -> tempfile::TempDir {
    let project = project("valid");
    let zine = std::fs::read_to_string(project.path().join("zine.toml")).unwrap();
    write(
        project.path(),
        "zine.toml",
        zine.replace(
            "language = \"en\"",
            "language = \"en\"\nnewsletter_url = \"https://zine.example.com/#subscribe\"",
        ),
    );
    project
}

/// A message as the SMTP sink received it: envelope and data.
struct Received {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

/// A minimal SMTP server on one connection (RFC 5321's happy path), enough
/// to take one test message; returns every message it took.
fn smtp_sink(listener: TcpListener) -> std::thread::JoinHandle<Vec<Received>> {
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let mut out = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let say =
            |s: &str, out: &mut TcpStream| out.write_all(format!("{s}\r\n").as_bytes()).unwrap();
        say("220 sink ESMTP ready", &mut out);
        let mut messages = Vec::new();
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            let command = line.trim_end().to_string();
            line.clear();
            let upper = command.to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                say("250-sink", &mut out);
                say("250 8BITMIME", &mut out);
            } else if upper.starts_with("MAIL FROM:") {
                from = command[10..].trim().to_string();
                say("250 OK", &mut out);
            } else if upper.starts_with("RCPT TO:") {
                to.push(command[8..].trim().to_string());
                say("250 OK", &mut out);
            } else if upper == "DATA" {
                say("354 go on", &mut out);
                let mut data = Vec::new();
                loop {
                    let mut l = Vec::new();
                    reader.read_until(b'\n', &mut l).unwrap();
                    if l == b".\r\n" || l.is_empty() {
                        break;
                    }
                    // Undo dot-stuffing.
                    data.extend_from_slice(if l.starts_with(b"..") { &l[1..] } else { &l });
                }
                messages.push(Received {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                });
                say("250 queued", &mut out);
            } else if upper == "QUIT" {
                say("221 bye", &mut out);
                break;
            } else if upper == "RSET" || upper == "NOOP" {
                say("250 OK", &mut out);
            } else {
                say("502 not implemented", &mut out);
            }
        }
        messages
    })
}

#[test]
fn pir_email_sends_one_message_with_both_parts_over_smtp() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = smtp_sink(listener);
    let out = pir()
        .arg("--root")
        .arg(repo())
        .args(["email", "2", "--to", "reader@example.com"])
        .env("PIR_SMTP_HOST", "127.0.0.1")
        .env("PIR_SMTP_PORT", port.to_string())
        .env("PIR_SMTP_TLS", "none")
        .env_remove("PIR_SMTP_USER")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("sent Issue 2"), "{stderr}");
    let messages = sink.join().unwrap();
    assert_eq!(messages.len(), 1, "exactly one message");
    let m = &messages[0];
    assert_eq!(m.from, "<zine@incidentlabs.io>");
    assert_eq!(m.to, ["<reader@example.com>"]);
    let message = MessageParser::default()
        .parse(&m.data)
        .expect("a MIME message");
    assert_eq!(
        message
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address()),
        Some("reader@example.com")
    );
    assert_eq!(
        (message.text_body_count(), message.html_body_count()),
        (1, 1)
    );
    assert!(message.body_text(0).unwrap().contains("Learning at Home"));
    assert!(
        message
            .body_html(0)
            .unwrap()
            .contains("Server Outages and Increased API Errors")
    );
}

#[test]
fn pir_email_without_a_server_says_which_variable_to_set() {
    let out = pir()
        .arg("--root")
        .arg(repo())
        .args(["email", "2", "--to", "reader@example.com"])
        .env_remove("PIR_SMTP_HOST")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PIR_SMTP_HOST is not set"));
    let out = pir()
        .arg("--root")
        .arg(repo())
        .args(["email", "7", "--to", "reader@example.com"])
        .env("PIR_SMTP_HOST", "127.0.0.1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("there is no issue `7`; the issues are: 2 (march-2020)")
    );
}

#[test]
fn raw_html_never_reaches_the_email_even_when_the_site_allows_it() {
    let project = project("valid");
    let root = project.path();
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(root, "zine.toml", format!("{zine}raw_html = true\n"));
    let note = std::fs::read_to_string(root.join("issues/january-2021/note.md")).unwrap();
    write(
        root,
        "issues/january-2021/note.md",
        format!("{note}\n<script>alert(1)</script> and <b>bold</b>\n"),
    );
    let out = run(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = std::fs::read_to_string(root.join("public/issues/january-2021/note.html")).unwrap();
    assert!(
        site.contains("<b>bold</b>"),
        "the site lets it through, as asked"
    );
    let email =
        std::fs::read_to_string(root.join("public/issues/january-2021/email.html")).unwrap();
    assert!(
        !email.contains("<script") && !email.contains("<b>bold</b>"),
        "the email escapes it"
    );
    assert!(email.contains("&lt;b&gt;bold&lt;"), "as text");
}
