//! The document tree to HTML for the site.
//!
//! The same tree the PDF is typeset from is written here as HTML: headings
//! move down a level when a page nests them and take ids from the page's
//! allocator (unique on the page, never empty), footnotes are numbered per
//! piece and linked both ways, links to other pieces and headings resolve
//! to their pages, image paths are made relative to the page, and raw HTML
//! is escaped into text unless the project opts in (`raw_html = true`).
//! Read away from the site (the email, the feed), every address is made
//! absolute as it is written, and an image may be shown from another file
//! at a given size (the email's PNGs): hooks of [`HtmlCtx`], never a
//! rewrite of the HTML afterwards.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use crate::edition::incident as view;
use crate::model::doc::{self, Align, Block, Doc, Inline, Target};
use crate::model::{Incident, Piece};

/// The ids already taken on one page.
#[derive(Debug, Default)]
pub struct PageIds {
    used: HashSet<String>,
}

impl PageIds {
    /// An allocator with the ids the page's templates use already taken.
    pub fn new<I: IntoIterator<Item = String>>(reserved: I) -> PageIds {
        PageIds {
            used: reserved.into_iter().collect(),
        }
    }

    /// `base`, or `base-2`, `base-3`... whichever is free; never empty.
    pub fn claim(&mut self, base: &str) -> String {
        doc::unique(&mut self.used, base)
    }

    /// Allocates the ids of one piece's headings and footnotes, each starting with `prefix`.
    pub fn piece(&mut self, piece: &Piece, prefix: &str) -> PieceIds {
        let mut headings = HashMap::new();
        for anchor in doc::heading_anchors(&piece.doc) {
            let id = self.claim(&format!("{prefix}{anchor}"));
            headings.insert(anchor.to_string(), id);
        }
        let count = piece.doc.footnotes.len();
        let notes = (1..=count)
            .map(|n| self.claim(&format!("{prefix}fn-{n}")))
            .collect();
        let refs = (1..=count)
            .map(|n| self.claim(&format!("{prefix}fnref-{n}")))
            .collect();
        PieceIds {
            headings,
            notes,
            refs,
        }
    }
}

/// The ids one piece's content has on a page.
#[derive(Debug, Default)]
pub struct PieceIds {
    /// Heading anchor to id.
    pub headings: HashMap<String, String>,
    /// The id of each footnote, in number order.
    pub notes: Vec<String>,
    /// The id of each footnote's first reference.
    pub refs: Vec<String>,
}

/// Finds the address of another piece from a page: (issue folder, piece, heading anchor).
pub type Resolve<'a> = &'a dyn Fn(Option<&str>, &str, Option<&str>) -> Option<String>;

/// How a body is placed on a page.
pub struct HtmlCtx<'a> {
    /// Prepended to relative image paths (`../` when a page sits above the issue's folder).
    pub image_prefix: &'a str,
    /// Markdown `##` becomes `<h{2 + shift}>`.
    pub heading_shift: u8,
    /// Let raw HTML through (the project opted in).
    pub raw_html: bool,
    /// The ids of this piece's headings and notes on the page.
    pub ids: &'a PieceIds,
    /// The address of another piece (issue folder, piece, heading anchor) from this page.
    pub resolve: Resolve<'a>,
    /// HTML shown just before the timeline (the site's chart), or first when the body has none.
    pub figure: Option<&'a str>,
    /// Where the body is read from when it is not on the site's page (the
    /// issue's folder, for the email and the feed): every relative address
    /// is then written absolute against it.
    pub base: Option<&'a url::Url>,
    /// Another file and size to show a relative image at, by its path as
    /// written (the email's PNG of an SVG, or its pixel size).
    pub image: Option<ImageHook<'a>>,
}

/// Finds how an image of the body (its relative path as written) is shown instead, if at all.
pub type ImageHook<'a> = &'a dyn Fn(&str) -> Option<ShownImage>;

/// An image shown from another address at a size in CSS pixels.
pub struct ShownImage {
    /// The address to show (absolute, or as the page needs it).
    pub src: String,
    pub width: u32,
    pub height: u32,
}

impl HtmlCtx<'_> {
    /// An address as this page writes it: absolute against [`HtmlCtx::base`] if there is one.
    fn address(&self, value: &str) -> String {
        match self.base {
            Some(base) if url::Url::parse(value).is_err() => base
                .join(value)
                .map_or_else(|_| value.to_string(), String::from),
            _ => value.to_string(),
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Renders a piece's body, its timeline runs and its footnotes.
pub fn piece(piece: &Piece, ctx: &HtmlCtx<'_>) -> String {
    let mut w = Writer {
        ctx,
        doc: &piece.doc,
        incident: piece.incident.as_ref(),
        out: String::new(),
        referenced: HashSet::new(),
    };
    w.blocks(&piece.doc.blocks);
    w.footnotes();
    match ctx.figure {
        Some(figure) if !w.out.contains(figure) => format!("{figure}\n{}", w.out),
        _ => w.out,
    }
}

/// Renders inline content of a piece (a timeline entry's text) as HTML.
pub fn inlines(piece: &Piece, content: &[Inline], ctx: &HtmlCtx<'_>) -> String {
    let mut w = Writer {
        ctx,
        doc: &piece.doc,
        incident: piece.incident.as_ref(),
        out: String::new(),
        referenced: HashSet::new(),
    };
    w.inlines(content);
    w.out
}

/// A piece's body read away from the site (the email, the feed): headings
/// moved down by `shift` (their ids then start with the piece's slug, as on
/// the issue page), links to other pieces found from the issue's folder,
/// every address absolute against `base` (that folder's URL), raw HTML
/// always escaped (a script must never reach an inbox), and images shown as
/// `image` says.
pub fn absolute_piece(
    piece: &Piece,
    base: &url::Url,
    shift: u8,
    image: Option<ImageHook<'_>>,
) -> String {
    let id_prefix = if shift > 0 {
        format!("{}-", piece.slug)
    } else {
        String::new()
    };
    let ids = PageIds::default().piece(piece, &id_prefix);
    let resolve = |i: Option<&str>, p: &str, a: Option<&str>| {
        let folder = i.map(|i| format!("../{i}/")).unwrap_or_default();
        let anchor = a.map(|a| format!("#{a}")).unwrap_or_default();
        Some(format!("{folder}{p}.html{anchor}"))
    };
    let ctx = HtmlCtx {
        image_prefix: "",
        heading_shift: shift,
        raw_html: false,
        ids: &ids,
        resolve: &resolve,
        figure: None,
        base: Some(base),
        image,
    };
    self::piece(piece, &ctx)
}

/// Renders a document tree on its own, without a piece (for tests and tools).
pub fn render(doc: &Doc, ctx: &HtmlCtx<'_>) -> String {
    let mut w = Writer {
        ctx,
        doc,
        incident: None,
        out: String::new(),
        referenced: HashSet::new(),
    };
    w.blocks(&doc.blocks);
    w.footnotes();
    w.out
}

/// Writes HTML for one document tree.
struct Writer<'a> {
    ctx: &'a HtmlCtx<'a>,
    doc: &'a Doc,
    incident: Option<&'a Incident>,
    out: String,
    /// Footnotes whose first reference has been written (and given its id).
    referenced: HashSet<usize>,
}

impl Writer<'_> {
    /// Writes blocks.
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Writes one block.
    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph {
                content,
                tight: true,
                ..
            } => {
                self.inlines(content);
                self.out.push('\n');
            }
            Block::Paragraph { content, .. } => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Heading(h) => {
                let level = (h.level.max(2) + self.ctx.heading_shift).min(6);
                let id = self
                    .ctx
                    .ids
                    .headings
                    .get(&h.anchor)
                    .cloned()
                    .unwrap_or_else(|| h.anchor.clone());
                let _ = write!(self.out, "<h{level} id=\"");
                escape(&id, &mut self.out);
                self.out.push_str("\">");
                self.inlines(&h.content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::Code { lang, text } => {
                match lang {
                    Some(lang) => {
                        self.out.push_str("<pre><code class=\"language-");
                        escape(lang, &mut self.out);
                        self.out.push_str("\">");
                    }
                    None => self.out.push_str("<pre><code>"),
                }
                escape(text, &mut self.out);
                self.out.push_str("</code></pre>\n");
            }
            Block::List { start, items } => {
                match start {
                    Some(1) => self.out.push_str("<ol>\n"),
                    Some(n) => {
                        let _ = writeln!(self.out, "<ol start=\"{n}\">");
                    }
                    None => self.out.push_str("<ul>\n"),
                }
                for item in items {
                    self.out.push_str("<li>");
                    match item.task {
                        Some(true) => self
                            .out
                            .push_str("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n"),
                        Some(false) => self
                            .out
                            .push_str("<input disabled=\"\" type=\"checkbox\"/>\n"),
                        None => {}
                    }
                    self.blocks(&item.blocks);
                    trim_newline(&mut self.out);
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::Table { align, head, rows } => {
                self.out.push_str("<table>");
                if !head.is_empty() {
                    self.out.push_str("<thead><tr>");
                    for (i, cell) in head.iter().enumerate() {
                        self.cell("th", align.get(i), cell);
                    }
                    self.out.push_str("</tr></thead>");
                }
                self.out.push_str("<tbody>\n");
                for row in rows {
                    self.out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        self.cell("td", align.get(i), cell);
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody></table>\n");
            }
            Block::Rule => self.out.push_str("<hr />\n"),
            Block::Html(html) if self.ctx.raw_html => self.out.push_str(html),
            Block::Html(html) => {
                self.out.push_str("<p>");
                escape(html.trim_end(), &mut self.out);
                self.out.push_str("</p>\n");
            }
            Block::Timeline { entries } => self.timeline(entries.clone()),
        }
    }

    /// Writes one table cell.
    fn cell(&mut self, tag: &str, align: Option<&Align>, content: &[Inline]) {
        match align {
            Some(Align::Center) => {
                let _ = write!(self.out, "<{tag} style=\"text-align: center\">");
            }
            Some(Align::Right) => {
                let _ = write!(self.out, "<{tag} style=\"text-align: right\">");
            }
            _ => {
                let _ = write!(self.out, "<{tag}>");
            }
        }
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// A run of timeline entries as an ordered list with machine-readable times.
    fn timeline(&mut self, range: std::ops::Range<usize>) {
        let Some(incident) = self.incident else {
            return;
        };
        match range.start {
            0 => {
                if let Some(figure) = self.ctx.figure {
                    let _ = writeln!(self.out, "{figure}");
                }
                self.out.push_str("<ol class=\"timeline\">\n")
            }
            n => {
                let _ = writeln!(self.out, "<ol class=\"timeline\" start=\"{}\">", n + 1);
            }
        }
        for entry in &incident.timeline[range] {
            let times = view::entry_times(incident, entry);
            let key = view::key_moments_at(incident, entry);
            if key.is_empty() {
                self.out.push_str("<li>");
            } else {
                self.out.push_str("<li class=\"key-moment\">");
            }
            let _ = write!(
                self.out,
                "<span class=\"when\"><time datetime=\"{}\">",
                entry.start.to_rfc3339()
            );
            if let Some(day) = &times.day {
                escape(day, &mut self.out);
                self.out.push(' ');
            }
            escape(&times.start, &mut self.out);
            self.out.push_str("</time>");
            if let (Some(end), Some(end_at)) = (&times.end, entry.end) {
                let _ = write!(self.out, "–<time datetime=\"{}\">", end_at.to_rfc3339());
                escape(end, &mut self.out);
                self.out.push_str("</time>");
            }
            if let Some(written) = &times.written {
                self.out.push_str(" <span class=\"as-written\">(");
                escape(written, &mut self.out);
                self.out.push_str(")</span>");
            }
            self.out.push_str("</span> <span class=\"what\">");
            if !key.is_empty() {
                self.out.push_str("<strong class=\"moment\">");
                escape(&key.join(", "), &mut self.out);
                self.out.push_str(":</strong> ");
            }
            self.inlines(&entry.content);
            self.out.push_str("</span>");
            if !entry.more.is_empty() {
                self.out.push_str("<div class=\"more\">");
                self.blocks(&entry.more);
                self.out.push_str("</div>");
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol>\n");
    }

    /// Writes inline content.
    fn inlines(&mut self, list: &[Inline]) {
        for inline in list {
            self.inline(inline);
        }
    }

    /// Writes one inline element.
    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text, _) => escape(text, &mut self.out),
            Inline::Code(code) => {
                self.out.push_str("<code>");
                escape(code, &mut self.out);
                self.out.push_str("</code>");
            }
            Inline::Emph(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strike(c) => self.wrap("del", c),
            Inline::Link {
                target, content, ..
            } => {
                let href = match target {
                    Target::Web(url) => Some(url.clone()),
                    Target::Anchor(a) => self.ctx.ids.headings.get(a).map(|id| format!("#{id}")),
                    Target::Piece {
                        issue,
                        piece,
                        anchor,
                    } => (self.ctx.resolve)(issue.as_deref(), piece, anchor.as_deref()),
                    Target::Unusable(_) => None,
                };
                match href {
                    Some(href) => {
                        self.out.push_str("<a href=\"");
                        escape(&self.ctx.address(&href), &mut self.out);
                        self.out.push_str("\">");
                        self.inlines(content);
                        self.out.push_str("</a>");
                    }
                    None => self.inlines(content),
                }
            }
            Inline::Image { src, alt, .. } => {
                let relative = !src.contains(':') && !src.starts_with('/') && !src.starts_with('#');
                let shown = relative
                    .then_some(self.ctx.image)
                    .flatten()
                    .and_then(|hook| hook(src));
                self.out.push_str("<img src=\"");
                match shown {
                    Some(s) => {
                        escape(&s.src, &mut self.out);
                        let (w, h) = (s.width, s.height);
                        let _ = write!(
                            self.out,
                            "\" width=\"{w}\" height=\"{h}\" style=\"width: 100%; max-width: {w}px; height: auto;"
                        );
                    }
                    None if relative => {
                        let path = format!("{}{src}", self.ctx.image_prefix);
                        escape(&self.ctx.address(&path), &mut self.out);
                    }
                    None => escape(src, &mut self.out),
                }
                self.out.push_str("\" alt=\"");
                escape(alt, &mut self.out);
                self.out.push_str("\" loading=\"lazy\" />");
            }
            Inline::Note(i) => {
                let n = i + 1;
                let note_id = self.ctx.ids.notes.get(*i).cloned().unwrap_or_default();
                let first = self.referenced.insert(*i);
                self.out.push_str("<sup class=\"footnote-ref\"><a href=\"");
                escape(&self.ctx.address(&format!("#{note_id}")), &mut self.out);
                self.out.push('"');
                if first && let Some(ref_id) = self.ctx.ids.refs.get(*i) {
                    self.out.push_str(" id=\"");
                    escape(ref_id, &mut self.out);
                    self.out.push('"');
                }
                let _ = write!(self.out, ">{n}</a></sup>");
            }
            Inline::Mention { name, .. } => {
                self.out.push_str("<strong class=\"mention\">");
                escape(name, &mut self.out);
                self.out.push_str("</strong>");
            }
            Inline::SoftBreak => self.out.push('\n'),
            Inline::HardBreak => self.out.push_str("<br />\n"),
            Inline::Html(html) if self.ctx.raw_html => self.out.push_str(html),
            Inline::Html(html) => escape(html, &mut self.out),
        }
    }

    /// Writes `<tag>`, the content and `</tag>`.
    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// The piece's footnotes, numbered, each linked back to where it is referenced.
    fn footnotes(&mut self) {
        if self.doc.footnotes.is_empty() {
            return;
        }
        self.out
            .push_str("<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n");
        for (i, note) in self.doc.footnotes.iter().enumerate() {
            let id = self.ctx.ids.notes.get(i).cloned().unwrap_or_default();
            self.out.push_str("<li id=\"");
            escape(&id, &mut self.out);
            self.out.push_str("\">");
            self.blocks(&note.blocks);
            trim_newline(&mut self.out);
            if let Some(back) = self.ctx.ids.refs.get(i) {
                self.out.push_str(" <a class=\"footnote-back\" href=\"");
                escape(&self.ctx.address(&format!("#{back}")), &mut self.out);
                let _ = write!(
                    self.out,
                    "\" aria-label=\"Back to note {} in the text\">↩</a>",
                    i + 1
                );
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol>\n</section>\n");
    }
}

/// Drops one trailing newline, so a closing tag hugs its content.
fn trim_newline(s: &mut String) {
    if s.ends_with('\n') {
        s.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_with(md: &str, shift: u8, prefix: &str, raw_html: bool) -> String {
        let parsed = crate::load::markdown::parse(md);
        let piece = test_piece(parsed.doc);
        let ids = PageIds::default().piece(&piece, prefix);
        let resolve = |issue: Option<&str>, p: &str, a: Option<&str>| {
            Some(format!(
                "{}{p}.html{}",
                issue.map(|i| format!("../{i}/")).unwrap_or_default(),
                a.map(|a| format!("#{a}")).unwrap_or_default()
            ))
        };
        let ctx = HtmlCtx {
            image_prefix: "../",
            heading_shift: shift,
            raw_html,
            ids: &ids,
            resolve: &resolve,
            figure: None,
            base: None,
            image: None,
        };
        self::piece(&piece, &ctx)
    }

    fn test_piece(doc: Doc) -> Piece {
        Piece {
            slug: "t".into(),
            file: crate::diagnostic::FileId::default(),
            path: Default::default(),
            kind: crate::model::PieceKind::Feature,
            title: "T".into(),
            subtitle: None,
            byline: None,
            credit: None,
            summary: None,
            corrected: None,
            status: Default::default(),
            status_span: None,
            reviewers: Vec::new(),
            questions: Vec::new(),
            body: String::new(),
            body_offset: 0,
            doc,
            image: None,
            images: Vec::new(),
            links: Vec::new(),
            headings: Vec::new(),
            incident: None,
        }
    }

    #[test]
    fn headings_get_ids_and_nest_under_the_page() {
        assert_eq!(
            render_with("## Investigation & analysis", 1, "discord-", false),
            "<h3 id=\"discord-investigation-analysis\">Investigation &amp; analysis</h3>\n"
        );
        assert_eq!(
            render_with("# Top `code`", 1, "discord-", false),
            "<h3 id=\"discord-top-code\">Top <code>code</code></h3>\n"
        );
    }

    #[test]
    fn raw_html_is_text_unless_allowed_and_comments_vanish() {
        let md = "<!-- note\nmore -->\n\nA <b>bold</b> <script>alert(1)</script> move.\n";
        assert_eq!(
            render_with(md, 1, "", false),
            "<p>A &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; move.</p>\n"
        );
        assert!(render_with(md, 1, "", true).contains("<b>bold</b>"));
    }

    #[test]
    fn image_paths_are_relative_to_the_page() {
        assert_eq!(
            render_with("![A cat](cat.png)", 1, "", false),
            "<p><img src=\"../cat.png\" alt=\"A cat\" loading=\"lazy\" /></p>\n"
        );
        assert!(
            render_with("![A cat](https://x.io/cat.png)", 1, "", false)
                .contains("src=\"https://x.io/cat.png\"")
        );
    }

    #[test]
    fn links_with_other_schemes_become_text_and_pieces_resolve() {
        assert_eq!(
            render_with(
                "[x](javascript:alert(1)) <data:text/html,hi> [ok](https://x.io)",
                1,
                "",
                false
            ),
            "<p>x data:text/html,hi <a href=\"https://x.io\">ok</a></p>\n"
        );
        assert_eq!(
            render_with(
                "[essay](essay.md) [there](../april-2020/x.md#a)",
                1,
                "",
                false
            ),
            "<p><a href=\"essay.html\">essay</a> <a href=\"../april-2020/x.html#a\">there</a></p>\n"
        );
    }

    #[test]
    fn footnotes_link_both_ways_with_the_piece_prefix() {
        let out = render_with("Said.[^n]\n\n[^n]: A note.\n", 1, "discord-", false);
        assert!(
            out.contains("<a href=\"#discord-fn-1\" id=\"discord-fnref-1\">1</a>"),
            "{out}"
        );
        assert!(out.contains("<li id=\"discord-fn-1\"><p>A note.</p> <a class=\"footnote-back\" href=\"#discord-fnref-1\""), "{out}");
    }

    #[test]
    fn ids_are_unique_on_a_page_and_never_empty() {
        let mut page = PageIds::new(["discord-title".to_string()]);
        assert_eq!(page.claim("discord-title"), "discord-title-2");
        assert_eq!(page.claim(""), "section");
        assert_eq!(page.claim(""), "section-2");
    }
}
