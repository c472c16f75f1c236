//! The plain-text email: the issue as text that reads well on its own.
//!
//! Its own walk of each piece's Markdown (pulldown-cmark events), because
//! plain text needs what HTML does not: paragraphs wrapped at 72 columns,
//! headings underlined, list markers and quote marks in the margin, and
//! links as numbered references listed at the end, so a URL never breaks a
//! sentence. An incident's timeline is set as aligned times and text. The
//! whole walk is in this file so that it can move onto a shared document
//! tree in one piece.

use std::fmt::Write;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::load::markdown::options;
use crate::model::{Edition, Incident, Issue, Piece, PieceKind, Project};
use crate::render::typst::data;

/// Text is wrapped at this many characters.
const WIDTH: usize = 72;

/// Renders the plain-text email of an issue.
pub fn render(project: &Project, issue: &Issue) -> String {
    let site = &project.site;
    let url = super::issue_url(project, issue);
    let n = issue.number.value;
    let mut w = Writer::default();
    let head = format!("{}, Issue {n}: {}", site.title, issue.title);
    w.line(&head);
    w.line(&"=".repeat(head.chars().count().min(WIDTH)));
    w.line(&issue.date.value.format("%B %Y").to_string());
    w.blank();
    if let Some(summary) = &issue.summary {
        w.para(summary, "", "");
    }
    if !issue.editors.is_empty() {
        w.para(&format!("Edited by {}.", issue.editors.join(" and ")), "", "");
    }
    w.line(&format!("Read it on the web:  {url}"));
    w.line(&format!("Reading PDF:         {url}issue-{n}.pdf"));
    w.line(&format!("Print PDF (booklet): {url}issue-{n}-print.pdf"));
    w.blank();
    w.line("In this issue:");
    for p in issue.pieces.iter().filter(|p| p.kind != PieceKind::BackCover) {
        let entry = if p.title == p.kind.kicker() { p.title.clone() } else { format!("{}: {}", p.kind.kicker(), p.title) };
        w.para_tight(&entry, "- ", "  ");
    }
    w.blank();
    let edition = site.newsletter.as_ref().map(|n| n.edition).unwrap_or_default();
    for piece in &issue.pieces {
        let full = edition == Edition::Full || piece.kind == PieceKind::EditorsNote;
        if !full && piece.kind == PieceKind::BackCover {
            continue;
        }
        w.line(&"-".repeat(WIDTH));
        w.blank();
        w.line(&piece.kind.kicker().to_uppercase());
        w.line(&piece.title);
        w.line(&"=".repeat(piece.title.chars().count().min(WIDTH)));
        for extra in [&piece.subtitle, &piece.byline, &piece.credit].into_iter().flatten() {
            w.para(extra, "", "");
        }
        w.blank_once();
        if full {
            piece_body(&mut w, piece, &url);
        } else {
            if let Some(summary) = &piece.summary {
                w.para(summary, "", "");
            }
            w.line(&format!("Read it on the web: {url}{}.html", piece.slug));
            w.blank();
        }
    }
    w.line(&"-".repeat(WIDTH));
    w.blank();
    w.para(&format!("You are reading Issue {n} of {}, published by {}.", site.title, site.publisher), "", "");
    w.para(&format!("Write to us: {}", site.email), "", "");
    if let Some(nl) = &site.newsletter {
        if let Some(archive) = &nl.archive_url {
            w.line(&format!("Past emails: {archive}"));
        }
        if let Some(unsubscribe) = &nl.unsubscribe {
            w.line(&format!("Unsubscribe: {unsubscribe}"));
        }
        w.blank_once();
    }
    if !w.links.is_empty() {
        w.line("Links");
        w.blank();
        let width = w.links.len().to_string().len() + 2;
        for (i, link) in w.links.clone().iter().enumerate() {
            w.line(&format!("{:<width$} {link}", format!("[{}]", i + 1)));
        }
    }
    w.out.trim_end().to_string() + "\n"
}

/// A piece's body: glance, cast, timeline and prose.
fn piece_body(w: &mut Writer, piece: &Piece, url: &str) {
    w.base = url.to_string();
    if let Some(incident) = &piece.incident {
        let rows = data::glance(incident);
        let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0) + 2;
        w.line("At a glance");
        w.blank();
        for (label, value) in rows {
            let first = format!("{:<width$}", format!("{label}:"));
            w.para_tight(&value, &first, &" ".repeat(width));
        }
        w.blank_once();
        for c in data::cast_data(incident) {
            let who = match &c.role {
                Some(role) => format!("{} ({role})", c.name),
                None => c.name.clone(),
            };
            w.para_tight(&who, "Cast: ", "      ");
            for (label, text) in &c.rows {
                w.para_tight(&format!("{label}: {text}"), "      ", "        ");
            }
            w.blank_once();
        }
    }
    match piece.incident.as_ref().and_then(|i| i.timeline_span.clone().map(|s| (i, s))) {
        Some((incident, span)) => {
            w.markdown(&piece.body[..span.start]);
            timeline(w, incident);
            w.markdown(&piece.body[span.end..]);
        }
        None => w.markdown(&piece.body),
    }
    if let Some(image) = &piece.image {
        w.para(&format!("[Drawing: {}]", image.alt), "", "");
    }
}

/// The timeline as aligned times and text.
fn timeline(w: &mut Writer, incident: &Incident) {
    let when: Vec<String> = incident
        .timeline
        .iter()
        .map(|e| {
            let day = if e.start.date_naive() != incident.date { e.start.format("%b %-d ").to_string() } else { String::new() };
            match e.end {
                Some(end) => format!("{day}{}-{}", e.start.format("%H:%M"), end.format("%H:%M")),
                None => format!("{day}{}", e.start.format("%H:%M")),
            }
        })
        .collect();
    let width = when.iter().map(|s| s.chars().count()).max().unwrap_or(0) + 2;
    for (entry, when) in incident.timeline.iter().zip(when) {
        let text = w.inline(&entry.text);
        w.para_tight(&text, &format!("{when:<width$}"), &" ".repeat(width));
    }
    w.blank_once();
}

/// Plain text being written, with the links found so far.
#[derive(Default)]
struct Writer {
    out: String,
    /// Every link target, numbered from 1 in order of first use.
    links: Vec<String>,
    /// Relative links are resolved against this URL.
    base: String,
}

/// The state of one Markdown walk: open blocks and the text of the current one.
#[derive(Default)]
struct Walk {
    text: String,
    /// Margins of the open blocks: list items and quotes.
    margins: Vec<String>,
    /// The marker the next line starts with (`- `, `2. `), once.
    marker: Option<String>,
    lists: Vec<Option<u64>>,
    links: Vec<String>,
    image: Option<String>,
    code: Option<String>,
    heading: Option<usize>,
    comment: bool,
}

impl Writer {
    /// Writes one line.
    fn line(&mut self, text: &str) {
        self.out.push_str(text.trim_end());
        self.out.push('\n');
    }

    /// Writes an empty line.
    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// Writes an empty line unless the text already ends with one.
    fn blank_once(&mut self) {
        if !self.out.ends_with("\n\n") && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// Writes wrapped text, then an empty line.
    fn para(&mut self, text: &str, first: &str, rest: &str) {
        self.para_tight(text, first, rest);
        self.blank();
    }

    /// Writes wrapped text: `first` before its first line, `rest` before the others.
    fn para_tight(&mut self, text: &str, first: &str, rest: &str) {
        for line in wrap(text, first, rest) {
            self.line(&line);
        }
    }

    /// The number of a link, adding it to the list if it is new.
    fn reference(&mut self, url: &str) -> usize {
        let url = match url::Url::parse(url) {
            Ok(_) => url.to_string(),
            Err(_) => url::Url::parse(&self.base).and_then(|b| b.join(url)).map(|u| u.to_string()).unwrap_or_else(|_| url.to_string()),
        };
        match self.links.iter().position(|l| *l == url) {
            Some(i) => i + 1,
            None => {
                self.links.push(url);
                self.links.len()
            }
        }
    }

    /// Inline Markdown (a timeline entry) as one line of text.
    fn inline(&mut self, markdown: &str) -> String {
        let mut walk = Walk::default();
        // Only the inline events: a paragraph's end would write the text out.
        for event in
            Parser::new_ext(markdown, options()).filter(|e| !matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)))
        {
            self.event(&mut walk, event);
        }
        let text = std::mem::take(&mut walk.text);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Writes a Markdown document (or part of one) as text.
    fn markdown(&mut self, markdown: &str) {
        let mut walk = Walk::default();
        for event in Parser::new_ext(markdown, options()) {
            self.event(&mut walk, event);
        }
        self.flush(&mut walk);
    }

    /// Writes the current block's text with its margins.
    fn flush(&mut self, walk: &mut Walk) {
        let text = std::mem::take(&mut walk.text);
        if text.trim().is_empty() {
            return;
        }
        let margin: String = walk.margins.concat();
        let first = match walk.marker.take() {
            Some(marker) => format!("{}{marker}", &margin[..margin.len().saturating_sub(marker.len())]),
            None => margin.clone(),
        };
        let mut lead = first;
        for hard in text.split('\n') {
            self.para_tight(hard, &lead, &margin);
            lead = margin.clone();
        }
        if walk.lists.is_empty() || walk.margins.is_empty() {
            self.blank_once();
        }
    }

    /// Handles one event of the walk.
    fn event(&mut self, walk: &mut Walk, event: Event<'_>) {
        if let Some(code) = &mut walk.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = walk.code.take().unwrap_or_default();
                    let margin = walk.margins.concat();
                    for line in code.trim_end().lines() {
                        self.line(&format!("{margin}    {line}"));
                    }
                    self.blank_once();
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => self.flush(walk),
            Event::Start(Tag::Heading { .. }) => {
                self.flush(walk);
                walk.heading = Some(walk.text.len());
            }
            Event::End(TagEnd::Heading(level)) => {
                walk.heading = None;
                let text = std::mem::take(&mut walk.text);
                let text = text.trim();
                self.blank_once();
                self.line(text);
                let rule = if (level as usize) <= 2 { '-' } else { '.' };
                self.line(&rule.to_string().repeat(text.chars().count().min(WIDTH)));
                self.blank();
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush(walk);
                walk.margins.push("> ".into());
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush(walk);
                walk.margins.pop();
                self.blank_once();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush(walk);
                walk.code = Some(String::new());
            }
            Event::Start(Tag::List(start)) => {
                self.flush(walk);
                walk.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush(walk);
                walk.lists.pop();
                if walk.lists.is_empty() {
                    self.blank_once();
                }
            }
            Event::Start(Tag::Item) => {
                self.flush(walk);
                let marker = match walk.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                walk.margins.push(" ".repeat(marker.len()));
                walk.marker = Some(marker);
            }
            Event::End(TagEnd::Item) => {
                self.flush(walk);
                walk.margins.pop();
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.flush(walk);
                let marker = format!("[^{label}] ");
                walk.margins.push(" ".repeat(marker.len()));
                walk.marker = Some(marker);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.flush(walk);
                walk.margins.pop();
            }
            Event::FootnoteReference(label) => {
                let _ = write!(walk.text, "[^{label}]");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                walk.links.push(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => {
                if let Some(url) = walk.links.pop() {
                    // A link that shows its own address needs no reference.
                    if !walk.text.ends_with(url.strip_prefix("mailto:").unwrap_or(&url)) {
                        let n = self.reference(&url);
                        let _ = write!(walk.text, " [{n}]");
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => walk.image = Some(String::new()),
            Event::End(TagEnd::Image) => {
                let alt = walk.image.take().unwrap_or_default();
                let _ = write!(walk.text, "[Image: {alt}]");
            }
            Event::Text(t) | Event::Code(t) => match &mut walk.image {
                Some(alt) => alt.push_str(&t),
                None => walk.text.push_str(&t),
            },
            Event::SoftBreak => walk.text.push(' '),
            Event::HardBreak => walk.text.push('\n'),
            Event::Rule => {
                self.flush(walk);
                self.line("* * *");
                self.blank();
            }
            Event::TaskListMarker(done) => walk.text.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Html(h) | Event::InlineHtml(h) => {
                let comment = walk.comment || h.trim_start().starts_with("<!--");
                walk.comment = comment && !h.contains("-->");
                if !comment {
                    walk.text.push_str(&h);
                }
            }
            Event::End(TagEnd::TableCell) => walk.text.push_str(" | "),
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => {
                let row = std::mem::take(&mut walk.text);
                self.line(row.trim_end().trim_end_matches('|').trim_end());
            }
            Event::End(TagEnd::Table) => self.blank_once(),
            _ => {}
        }
    }
}

/// Wraps text at [`WIDTH`]: `first` leads the first line, `rest` the others; words are never split.
fn wrap(text: &str, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(md: &str) -> (String, Vec<String>) {
        let mut w = Writer { base: "https://z.io/issues/a/".into(), ..Writer::default() };
        w.markdown(md);
        (w.out, w.links)
    }

    #[test]
    fn paragraphs_wrap_and_links_become_numbered_references() {
        let md = "A long sentence that goes on and on about a [status page](https://status.example.com) and \
                  [the same page](https://status.example.com) and [a piece](discord.html), well past the margin.";
        let (out, links) = text(md);
        assert_eq!(
            out,
            "A long sentence that goes on and on about a status page [1] and the same\npage [1] and a piece [2], well past the margin.\n\n"
        );
        assert_eq!(links, ["https://status.example.com", "https://z.io/issues/a/discord.html"]);
    }

    #[test]
    fn headings_lists_and_quotes_keep_their_shape() {
        let (out, _) = text("## Action items\n\n- Fix the lock\n- Add an alert\n  1. nested\n\n> Quoted *words*.\n");
        assert_eq!(out, "Action items\n------------\n\n- Fix the lock\n- Add an alert\n  1. nested\n\n> Quoted words.\n\n");
    }

    #[test]
    fn a_link_that_shows_its_own_address_gets_no_reference() {
        let (out, links) = text("Write to [zine@x.io](mailto:zine@x.io) or see <https://x.io>.");
        assert_eq!(out, "Write to zine@x.io or see https://x.io.\n\n");
        assert!(links.is_empty());
    }

    #[test]
    fn comments_vanish_and_words_are_never_split() {
        let long = "x".repeat(80);
        let (out, _) = text(&format!("<!-- a note -->\n\nshort {long} end"));
        assert_eq!(out, format!("short\n{long}\nend\n\n"));
    }
}
