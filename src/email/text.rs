//! The plain-text email: the issue as text that reads well on its own.
//!
//! Its own walk of each piece's document tree (the one the PDF and the
//! site are made from), because plain text needs what HTML does not:
//! paragraphs wrapped at 72 columns, headings underlined, list markers and
//! quote marks in the margin, and links as numbered references listed at
//! the end, so a URL never breaks a sentence. Timeline runs are set as
//! aligned times and text, where the writer put them, with times worded by
//! the same view as the PDF and the site.

use std::fmt::Write;

use crate::edition::incident as view;
use crate::edition::{IssueId, ids, words};
use crate::model::doc::{Block, Doc, Inline, Target};
use crate::model::{Edition, Incident, Issue, Piece, PieceKind, Project};

/// Text is wrapped at this many characters.
const WIDTH: usize = 72;

/// Renders the plain-text email of an issue.
pub fn render(project: &Project, issue: &Issue) -> String {
    let site = &project.site;
    let id = IssueId::of(issue);
    let url = id.url(&site.base_url);
    let mut w = Writer::default();
    head(&mut w, project, issue, &id);
    let edition = site
        .newsletter
        .as_ref()
        .map(|n| n.edition)
        .unwrap_or_default();
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
        for extra in [&piece.subtitle, &piece.byline, &piece.credit]
            .into_iter()
            .flatten()
        {
            w.para(extra, "", "");
        }
        w.blank_once();
        if full {
            piece_body(&mut w, piece, &url);
        } else {
            if let Some(summary) = &piece.summary {
                w.para(summary, "", "");
            }
            let page = id.piece_page(&piece.slug).url(&site.base_url);
            w.line(&format!("Read it on the web: {page}"));
            w.blank();
        }
    }
    w.line(&"-".repeat(WIDTH));
    w.blank();
    foot(&mut w, site, issue.number.value);
    w.out.trim_end().to_string() + "\n"
}

/// The email's head: the issue, its editors, where to read and print it, what is in it.
fn head(w: &mut Writer, project: &Project, issue: &Issue, id: &IssueId) {
    let site = &project.site;
    let head = format!(
        "{}, {}",
        site.title,
        words::issue_heading(issue.number.value, &issue.title)
    );
    w.line(&head);
    w.line(&"=".repeat(head.chars().count().min(WIDTH)));
    w.line(&words::month(issue.date.value));
    w.blank();
    if let Some(summary) = &issue.summary {
        w.para(summary, "", "");
    }
    if !issue.editors.is_empty() {
        w.para(
            &format!("Edited by {}.", issue.editors.join(" and ")),
            "",
            "",
        );
    }
    let base = &site.base_url;
    let doc = id.doc();
    let print = doc.print_pdf(site.print.default_variant(false));
    w.line(&format!("Read it on the web:  {}", id.url(base)));
    w.line(&format!(
        "Reading PDF:         {}",
        ids::url(base, doc.reading_pdf())
    ));
    w.line(&format!("Print PDF (booklet): {}", ids::url(base, print)));
    w.blank();
    w.line("In this issue:");
    for p in issue
        .pieces
        .iter()
        .filter(|p| p.kind != PieceKind::BackCover)
    {
        let entry = if p.title == p.kind.kicker() {
            p.title.clone()
        } else {
            format!("{}: {}", p.kind.kicker(), p.title)
        };
        w.para_tight(&entry, "- ", "  ");
    }
    w.blank();
}

/// The email's foot: who publishes it, how to write, the newsletter's links, the list of links.
fn foot(w: &mut Writer, site: &crate::model::Site, n: u32) {
    w.para(
        &format!(
            "You are reading Issue {n} of {}, published by {}.",
            site.title, site.publisher
        ),
        "",
        "",
    );
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
}

/// A piece's body: glance, cast, timeline and prose.
fn piece_body(w: &mut Writer, piece: &Piece, url: &str) {
    w.base = url.to_string();
    if let Some(incident) = &piece.incident {
        let rows = view::glance(incident);
        let width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0)
            + 2;
        w.line("At a glance");
        w.blank();
        for (label, value) in rows {
            let first = format!("{:<width$}", format!("{label}:"));
            w.para_tight(&value, &first, &" ".repeat(width));
        }
        w.blank_once();
        for c in view::cast_data(incident) {
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
    w.doc(&piece.doc, piece.incident.as_ref());
    if let Some(image) = &piece.image {
        w.para(&format!("[Drawing: {}]", image.alt), "", "");
    }
    if !piece.questions.is_empty() {
        w.blank_once();
        w.line("Questions to discuss");
        w.blank();
        for (i, q) in piece.questions.iter().enumerate() {
            w.para_tight(q, &format!("{}. ", i + 1), "   ");
        }
        w.blank_once();
    }
}

/// A run of timeline entries as aligned times and text, worded as on the site and in print.
fn timeline(w: &mut Writer, doc: &Doc, incident: &Incident, range: std::ops::Range<usize>) {
    let entries = &incident.timeline[range];
    let when: Vec<String> = entries
        .iter()
        .map(|e| {
            let t = view::entry_times(incident, e);
            let day = t.day.map(|d| format!("{d} ")).unwrap_or_default();
            match t.end {
                Some(end) => format!("{day}{}-{end}", t.start),
                None => format!("{day}{}", t.start),
            }
        })
        .collect();
    let width = when.iter().map(|s| s.chars().count()).max().unwrap_or(0) + 2;
    for (entry, when) in entries.iter().zip(when) {
        let text = w.inlines(doc, &entry.content);
        w.para_tight(&text, &format!("{when:<width$}"), &" ".repeat(width));
        if !entry.more.is_empty() {
            w.blocks(doc, None, &entry.more, &" ".repeat(width));
        }
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
            Err(_) => url::Url::parse(&self.base)
                .and_then(|b| b.join(url))
                .map(|u| u.to_string())
                .unwrap_or_else(|_| url.to_string()),
        };
        match self.links.iter().position(|l| *l == url) {
            Some(i) => i + 1,
            None => {
                self.links.push(url);
                self.links.len()
            }
        }
    }

    /// Writes a piece's body and then its footnotes.
    fn doc(&mut self, doc: &Doc, incident: Option<&Incident>) {
        self.blocks(doc, incident, &doc.blocks, "");
        for (i, note) in doc.footnotes.iter().enumerate() {
            let marker = format!("[^{}] ", i + 1);
            let mut text = String::new();
            for block in &note.blocks {
                if let Block::Paragraph { content, .. } = block {
                    text.push_str(&self.inlines(doc, content));
                    text.push(' ');
                }
            }
            self.para_tight(text.trim(), &marker, &" ".repeat(marker.len()));
        }
        self.blank_once();
    }

    /// Writes blocks, each line led by `margin`.
    fn blocks(&mut self, doc: &Doc, incident: Option<&Incident>, blocks: &[Block], margin: &str) {
        for block in blocks {
            self.block(doc, incident, block, margin, margin);
        }
    }

    /// Writes one block: `lead` before its first line, `margin` before the rest.
    fn block(
        &mut self,
        doc: &Doc,
        incident: Option<&Incident>,
        block: &Block,
        lead: &str,
        margin: &str,
    ) {
        match block {
            Block::Paragraph { content, tight, .. } => {
                let text = self.inlines(doc, content);
                let mut first = lead.to_string();
                for hard in text.split('\n') {
                    self.para_tight(hard, &first, margin);
                    first = margin.to_string();
                }
                if !tight {
                    self.blank_once();
                }
            }
            Block::Heading(h) => {
                let text = self.inlines(doc, &h.content);
                let text = text.trim();
                self.blank_once();
                self.line(text);
                let rule = if h.level <= 2 { '-' } else { '.' };
                self.line(&rule.to_string().repeat(text.chars().count().min(WIDTH)));
                self.blank();
            }
            Block::Quote(inner) => {
                let m = format!("{margin}> ");
                self.blocks(doc, incident, inner, &m);
                self.blank_once();
            }
            Block::Code { text, .. } => {
                for line in text.trim_end().lines() {
                    self.line(&format!("{margin}    {line}"));
                }
                self.blank_once();
            }
            Block::List { start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let task = match item.task {
                        Some(true) => "[x] ",
                        Some(false) => "[ ] ",
                        None => "",
                    };
                    let marker = match start {
                        Some(n) => format!("{}. {task}", n + i as u64),
                        None => format!("- {task}"),
                    };
                    let inner = format!("{margin}{}", " ".repeat(marker.chars().count()));
                    let mut first = Some(format!("{lead}{marker}"));
                    for block in &item.blocks {
                        let l = first.take().unwrap_or_else(|| inner.clone());
                        self.block(doc, incident, block, &l, &inner);
                    }
                }
                if margin.is_empty() {
                    self.blank_once();
                }
            }
            Block::Table { head, rows, .. } => {
                for row in std::iter::once(head).chain(rows).filter(|r| !r.is_empty()) {
                    let cells: Vec<String> = row.iter().map(|c| self.inlines(doc, c)).collect();
                    self.line(&format!("{margin}{}", cells.join(" | ")));
                }
                self.blank_once();
            }
            Block::Rule => {
                self.line("* * *");
                self.blank();
            }
            Block::Html(html) => {
                self.para(html.trim(), lead, margin);
            }
            Block::Timeline { entries } => {
                if let Some(incident) = incident {
                    timeline(self, doc, incident, entries.clone());
                }
            }
        }
    }

    /// Inline content as text: links become numbered references, notes `[^n]`.
    fn inlines(&mut self, doc: &Doc, list: &[Inline]) -> String {
        let mut out = String::new();
        for inline in list {
            match inline {
                Inline::Text(t, _) | Inline::Code(t) | Inline::Html(t) => out.push_str(t),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => {
                    out.push_str(&self.inlines(doc, c))
                }
                Inline::Link {
                    target, content, ..
                } => {
                    let text = self.inlines(doc, content);
                    out.push_str(&text);
                    let url = match target {
                        Target::Web(url) => Some(url.clone()),
                        Target::Piece {
                            issue,
                            piece,
                            anchor,
                        } => Some(format!(
                            "{}{piece}.html{}",
                            issue
                                .as_ref()
                                .map(|i| format!("../{i}/"))
                                .unwrap_or_default(),
                            anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()
                        )),
                        Target::Anchor(_) | Target::Unusable(_) => None,
                    };
                    // A link that shows its own address needs no reference.
                    if let Some(url) = url
                        && !text.ends_with(url.strip_prefix("mailto:").unwrap_or(&url))
                    {
                        let n = self.reference(&url);
                        let _ = write!(out, " [{n}]");
                    }
                }
                Inline::Image { alt, .. } => {
                    let _ = write!(out, "[Image: {alt}]");
                }
                Inline::Note(i) => {
                    let _ = write!(out, "[^{}]", i + 1);
                    let _ = doc;
                }
                Inline::Mention { name, .. } => out.push_str(name),
                Inline::SoftBreak => out.push(' '),
                Inline::HardBreak => out.push('\n'),
            }
        }
        out
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

    impl Writer {
        /// Writes a Markdown document on its own (pieces are parsed at load time).
        fn markdown(&mut self, markdown: &str) {
            let parsed = crate::load::markdown::parse(markdown);
            self.doc(&parsed.doc, None);
        }
    }

    fn text(md: &str) -> (String, Vec<String>) {
        let mut w = Writer {
            base: "https://z.io/issues/a/".into(),
            ..Writer::default()
        };
        w.markdown(md);
        (w.out, w.links)
    }

    #[test]
    fn paragraphs_wrap_and_links_become_numbered_references() {
        let md = "A long sentence that goes on and on about a [status page](https://status.example.com) and \
                  [the same page](https://status.example.com) and [a piece](discord.md), well past the margin.";
        let (out, links) = text(md);
        assert_eq!(
            out,
            "A long sentence that goes on and on about a status page [1] and the same\npage [1] and a piece [2], well past the margin.\n\n"
        );
        assert_eq!(
            links,
            [
                "https://status.example.com",
                "https://z.io/issues/a/discord.html"
            ]
        );
    }

    #[test]
    fn headings_lists_and_quotes_keep_their_shape() {
        let (out, _) = text(
            "## Action items\n\n- Fix the lock\n- Add an alert\n  1. nested\n\n> Quoted *words*.\n",
        );
        assert_eq!(
            out,
            "Action items\n------------\n\n- Fix the lock\n- Add an alert\n  1. nested\n\n> Quoted words.\n\n"
        );
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
