//! The document tree to Typst markup.
//!
//! Everything a writer types arrives in Typst as escaped text or as a string
//! literal, never as markup: every ASCII punctuation character in text gets
//! a backslash, and code, URLs and paths go through `string_literal`. Block
//! structure is emitted as function calls (`#list(..)`, `#heading(..)`)
//! rather than Typst's whitespace-sensitive shorthand, so no line a writer
//! wrote can start a list or a heading by accident. The writer keeps a map
//! from the markup it wrote back to the Markdown, so that a Typst error in a
//! piece points at the writer's line.

use std::fmt::Write;

use crate::model::doc::{self, Align, Block, Doc, Inline, Target};
use crate::model::{Piece, Span};

/// What the writer needs to know about the document a piece is typeset in.
pub struct Ctx<'a> {
    /// Where relative image paths start, in the Typst world (`/issues/march-2020`).
    pub dir: &'a str,
    /// The issue folder of the document, for links to other issues' pages (`march-2020`).
    pub folder: &'a str,
    /// The pieces typeset in the same document: links to them become page references.
    pub pieces: &'a [Piece],
    /// The site's address, for links to pages outside the document.
    pub base_url: &'a str,
    /// Raw HTML is rendered on the site (so print leaves its tags out).
    pub raw_html: bool,
}

impl<'a> Ctx<'a> {
    /// A context for a body on its own (tests and tools): no other pieces, no site.
    pub fn standalone(dir: &'a str) -> Ctx<'a> {
        Ctx {
            dir,
            folder: "",
            pieces: &[],
            base_url: "",
            raw_html: false,
        }
    }
}

/// A piece's markup and where each part of it came from.
pub struct Markup {
    pub text: String,
    /// (offset in `text`, span in the piece's body), in order of offset.
    pub map: Vec<(usize, Span)>,
}

impl Markup {
    /// The body span the markup at `offset` was written for.
    pub fn source_at(&self, offset: usize) -> Option<Span> {
        let i = self.map.partition_point(|(at, _)| *at <= offset);
        i.checked_sub(1).map(|i| self.map[i].1.clone())
    }
}

/// Escapes text for Typst markup: a backslash before every ASCII punctuation character.
pub fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A Typst string literal (`"..."`) holding `s` exactly.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The label of a piece's start in the document.
pub fn piece_label(slug: &str) -> String {
    format!("<piece:{slug}>")
}

/// Writes the markup of one piece's body; `index` is its place in `/data.json`.
pub fn piece(piece: &Piece, index: usize, ctx: &Ctx<'_>, template: &str) -> Markup {
    let mut w = Writer::new(ctx, &piece.slug, &piece.doc);
    if piece
        .doc
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Timeline { .. }))
    {
        let _ = writeln!(w.out, "#import \"{template}\": timeline\n");
    }
    let _ = writeln!(w.out, "#metadata(none){}\n", piece_label(&piece.slug));
    w.incident = piece.incident.as_ref().map(|i| (index, i));
    w.blocks(&piece.doc.blocks);
    Markup {
        text: w.out.trim_end().to_string() + "\n",
        map: w.map,
    }
}

/// Converts a document tree on its own, without a piece (for tests and tools).
pub fn convert(doc: &Doc, ctx: &Ctx<'_>) -> String {
    let mut w = Writer::new(ctx, "", doc);
    w.blocks(&doc.blocks);
    w.out.trim_end().to_string() + "\n"
}

/// Emits markup for a document tree.
struct Writer<'a> {
    ctx: &'a Ctx<'a>,
    slug: &'a str,
    doc: &'a Doc,
    incident: Option<(usize, &'a crate::model::Incident)>,
    out: String,
    map: Vec<(usize, Span)>,
    /// Inside a footnote: a reference there is written in parentheses.
    in_note: bool,
}

impl<'a> Writer<'a> {
    /// A writer for one body.
    fn new(ctx: &'a Ctx<'a>, slug: &'a str, doc: &'a Doc) -> Self {
        Writer {
            ctx,
            slug,
            doc,
            incident: None,
            out: String::new(),
            map: Vec::new(),
            in_note: false,
        }
    }

    /// Notes that what follows was written for `span` of the body.
    fn mark(&mut self, span: &Span) {
        if !span.is_empty() {
            self.map.push((self.out.len(), span.clone()));
        }
    }

    /// Emits blocks, each ending in a paragraph break.
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Emits the blocks of a list item or a note, without a trailing break.
    fn inner(&mut self, blocks: &[Block]) {
        self.blocks(blocks);
        let len = self.out.trim_end().len();
        self.out.truncate(len);
    }

    /// Emits one block.
    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph { content, span, .. } => {
                self.mark(span);
                self.inlines(content);
                self.out.push_str("\n\n");
            }
            Block::Heading(h) => {
                self.mark(&h.span);
                let _ = write!(self.out, "#heading(level: {})[", h.level.max(2));
                self.inlines(&h.content);
                let label = self.heading_label(self.slug, &h.anchor, self.doc);
                let _ = write!(self.out, "]{}\n\n", label.unwrap_or_default());
            }
            Block::Quote(blocks) => {
                self.out.push_str("#quote(block: true)[");
                self.inner(blocks);
                self.out.push_str("]\n\n");
            }
            Block::Code { lang, text } => {
                let code = text.strip_suffix('\n').unwrap_or(text);
                match lang {
                    Some(lang) => {
                        let _ = write!(
                            self.out,
                            "#raw(block: true, lang: {}, {})\n\n",
                            string_literal(lang),
                            string_literal(code)
                        );
                    }
                    None => {
                        let _ = write!(self.out, "#raw(block: true, {})\n\n", string_literal(code));
                    }
                }
            }
            Block::List { start, items } => {
                match start {
                    Some(n) => {
                        let _ = write!(self.out, "#enum(start: {n}, ");
                    }
                    None => self.out.push_str("#list("),
                }
                for item in items {
                    self.mark(&item.span);
                    self.out.push('[');
                    match item.task {
                        Some(true) => self.out.push_str("☒ "),
                        Some(false) => self.out.push_str("☐ "),
                        None => {}
                    }
                    self.inner(&item.blocks);
                    self.out.push_str("], ");
                }
                self.out.push_str(")\n\n");
            }
            Block::Table { align, head, rows } => {
                let aligns: Vec<&str> = align
                    .iter()
                    .map(|a| match a {
                        Align::Left => "left",
                        Align::Center => "center",
                        Align::Right => "right",
                    })
                    .collect();
                let _ = write!(
                    self.out,
                    "#table(columns: {}, align: ({},), ",
                    align.len().max(1),
                    aligns.join(", ")
                );
                if !head.is_empty() {
                    self.out.push_str("table.header(");
                    self.cells(head);
                    self.out.push_str("), ");
                }
                for row in rows {
                    self.cells(row);
                }
                self.out.push_str(")\n\n");
            }
            Block::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Block::Html(html) => {
                self.html(html);
                self.out.push_str("\n\n");
            }
            Block::Timeline { entries } => self.timeline(entries.clone()),
        }
    }

    /// Emits table cells as content arguments.
    fn cells(&mut self, cells: &[Vec<Inline>]) {
        for cell in cells {
            self.out.push('[');
            self.inlines(cell);
            self.out.push_str("], ");
        }
    }

    /// Emits a run of timeline entries through the template's `timeline`.
    fn timeline(&mut self, range: std::ops::Range<usize>) {
        let Some((index, incident)) = self.incident else {
            return;
        };
        let _ = writeln!(
            self.out,
            "#timeline(json(\"/data.json\").pieces.at({index}).incident, ("
        );
        for entry in &incident.timeline[range.clone()] {
            self.mark(&entry.source);
            self.out.push_str("  [");
            self.inlines(&entry.content);
            if !entry.more.is_empty() {
                self.out.push_str("#parbreak()");
                self.inner(&entry.more);
            }
            self.out.push_str("],\n");
        }
        let _ = write!(
            self.out,
            "), from: {}, chart: {})\n\n",
            range.start,
            range.start == 0
        );
    }

    /// Emits inline content.
    fn inlines(&mut self, list: &[Inline]) {
        for inline in list {
            self.inline(inline);
        }
    }

    /// Emits one inline element.
    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text, _) => text_with_breaks(text, &mut self.out),
            Inline::Code(code) => code_markup(code, &mut self.out),
            Inline::Emph(c) => self.wrap("#emph[", c),
            Inline::Strong(c) => self.wrap("#strong[", c),
            Inline::Strike(c) => self.wrap("#strike[", c),
            Inline::Link {
                target,
                dest,
                content,
                autolink,
                ..
            } => self.link(target, dest, content, *autolink),
            Inline::Image { src, alt, .. } => self.image(src, alt),
            Inline::Note(i) => self.note(*i),
            Inline::Mention { name, .. } => {
                self.out.push_str("#strong[");
                escape_text(name, &mut self.out);
                self.out.push(']');
            }
            Inline::SoftBreak => self.out.push(' '),
            Inline::HardBreak => self.out.push_str("#linebreak()"),
            Inline::Html(html) => self.html(html),
        }
    }

    /// Emits `open`, the content, and a closing bracket.
    fn wrap(&mut self, open: &str, content: &[Inline]) {
        self.out.push_str(open);
        self.inlines(content);
        self.out.push(']');
    }

    /// Raw HTML: the site shows it as text unless the project lets it through; print does the same.
    fn html(&mut self, html: &str) {
        if self.ctx.raw_html {
            // The site renders the tags; print keeps the words between them.
            let mut inside = false;
            let text: String = html
                .chars()
                .filter(|&c| {
                    match c {
                        '<' => inside = true,
                        '>' if inside => {
                            inside = false;
                            return false;
                        }
                        _ => {}
                    }
                    !inside
                })
                .collect();
            escape_text(&text, &mut self.out);
        } else {
            escape_text(html, &mut self.out);
        }
    }

    /// Emits a footnote; inside a footnote, a reference is written in parentheses.
    fn note(&mut self, i: usize) {
        let Some(note) = self.doc.footnotes.get(i) else {
            return;
        };
        if self.in_note {
            self.out.push_str(" \\(");
            let mut text = String::new();
            doc::plain_blocks(&note.blocks, &mut text);
            escape_text(text.trim(), &mut self.out);
            self.out.push_str("\\)");
            return;
        }
        self.in_note = true;
        self.out.push_str("#footnote[");
        self.inner(&note.blocks);
        self.out.push(']');
        self.in_note = false;
    }

    /// Emits a link: web and mail links print their address as a footnote;
    /// links to pieces and headings in the document give their page.
    fn link(&mut self, target: &Target, dest: &str, content: &[Inline], autolink: bool) {
        match target {
            Target::Web(url) => self.web_link(url, content, autolink),
            Target::Anchor(anchor) => match self.heading_label(self.slug, anchor, self.doc) {
                Some(label) => self.internal_link(&label, content),
                None => self.inlines(content),
            },
            Target::Piece {
                issue,
                piece,
                anchor,
            } => {
                let here = issue.as_deref().is_none_or(|i| i == self.ctx.folder);
                let found = self
                    .ctx
                    .pieces
                    .iter()
                    .find(|p| &p.slug == piece)
                    .filter(|_| here);
                match found {
                    Some(p) => {
                        let label = match anchor {
                            Some(a) => self
                                .heading_label(&p.slug, a, &p.doc)
                                .unwrap_or_else(|| piece_label(&p.slug)),
                            None => piece_label(&p.slug),
                        };
                        self.internal_link(&label, content);
                    }
                    None if !self.ctx.base_url.is_empty() => {
                        let issue = issue.as_deref().unwrap_or(self.ctx.folder);
                        let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                        let page = crate::edition::Page::piece(issue, piece);
                        let url = format!("{}{fragment}", page.url(self.ctx.base_url));
                        self.web_link(&url, content, false);
                    }
                    None => self.inlines(content),
                }
            }
            Target::Unusable(_) => {
                let _ = dest;
                self.inlines(content);
            }
        }
    }

    /// A link within the document, with the page it leads to.
    fn internal_link(&mut self, label: &str, content: &[Inline]) {
        let _ = write!(self.out, "#link({label})[");
        self.inlines(content);
        let _ = write!(
            self.out,
            "] \\(see page #context counter(page).at({label}).first()\\)"
        );
    }

    /// A link to a web or mail address.
    fn web_link(&mut self, url: &str, content: &[Inline], autolink: bool) {
        let _ = write!(self.out, "#link({})[", string_literal(url));
        self.inlines(content);
        self.out.push(']');
        let text = doc::plain(content);
        if autolink || shows_url(&text, url) {
            return;
        }
        match url.strip_prefix("mailto:") {
            Some(address) => {
                let _ = write!(self.out, "#footnote(link({})[", string_literal(url));
                escape_text(address, &mut self.out);
                self.out.push_str("])");
            }
            None => {
                let _ = write!(self.out, "#footnote(link({}))", string_literal(url));
            }
        }
    }

    /// The label of a heading (by anchor) in a piece, if the piece has it.
    fn heading_label(&self, slug: &str, anchor: &str, doc: &Doc) -> Option<String> {
        let n = doc::heading_anchors(doc)
            .iter()
            .position(|a| *a == anchor)?;
        Some(format!(
            "<h:{}:{n}>",
            if slug.is_empty() { "body" } else { slug }
        ))
    }

    /// Emits an image as a figure, or its alt text when the path is unusable.
    fn image(&mut self, src: &str, alt: &str) {
        match crate::files::inside(
            std::path::Path::new(self.ctx.dir.trim_start_matches('/')),
            src,
        ) {
            Some(path) if !src.contains(':') => {
                let vpath = format!("/{}", path.to_string_lossy().replace('\\', "/"));
                let _ = write!(
                    self.out,
                    "#figure(image({}, alt: {}, width: 100%))",
                    string_literal(&vpath),
                    string_literal(alt.trim())
                );
            }
            _ => escape_text(alt, &mut self.out),
        }
    }
}

/// Escapes prose; words that are identifiers (`api-prd-main-m1ds`) are kept
/// whole rather than broken at their own hyphens.
fn text_with_breaks(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        escape_text(&rest[..start], out);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        if identifier(word) {
            out.push_str("#box[");
            escape_text(word, out);
            out.push(']');
        } else if word.chars().count() > 30 {
            // A long token (a URL, a path): boxes between which the line may break.
            for run in joints(word) {
                out.push_str("#box[");
                escape_text(run, out);
                out.push(']');
            }
        } else {
            escape_text(word, out);
        }
        rest = &rest[end..];
    }
}

/// Whether a word is a machine name that must not break at its hyphens:
/// hyphenated, with digits or underscores or dots, and short enough to fit a line.
fn identifier(word: &str) -> bool {
    let word = word.trim_matches(|c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '"' | '\'' | '“' | '”' | '’'
        )
    });
    word.contains('-')
        && word
            .chars()
            .any(|c| c.is_ascii_digit() || c == '_' || c == '.')
        && word.chars().count() <= 28
        && !word.contains(['/', '#', '*', '['])
}

/// The longest run of a token that is set without a chance to break.
const MAX_RUN: usize = 20;

/// Splits a long token into runs that may each start a new line: after
/// `/ . _ - , : = & ?`, before a capital that follows a small letter, and
/// every [`MAX_RUN`] characters at most.
fn joints(token: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut len = 0;
    for (i, c) in token.char_indices() {
        let joint = prev.is_some_and(|p| {
            matches!(p, '/' | '.' | '_' | '-' | ',' | ':' | '=' | '&' | '?')
                || (p.is_lowercase() && c.is_uppercase())
        });
        if i > start && (joint || len >= MAX_RUN) {
            out.push(&token[start..i]);
            start = i;
            len = 0;
        }
        len += 1;
        prev = Some(c);
    }
    if start < token.len() {
        out.push(&token[start..]);
    }
    out
}

/// Inline code; a long one is set as runs in boxes, between which a line may
/// break, so that it never runs off the page and its text stays as written.
fn code_markup(code: &str, out: &mut String) {
    let long = |t: &str| t.chars().count() > 24;
    if !code.split_whitespace().any(long) {
        let _ = write!(out, "#raw({})", string_literal(code));
        return;
    }
    // Spaces already let a line break; only long tokens are cut into runs.
    let mut plain = String::new();
    let mut rest = code;
    while !rest.is_empty() {
        let space = rest.starts_with(char::is_whitespace);
        let end = rest
            .find(|c: char| c.is_whitespace() != space)
            .unwrap_or(rest.len());
        let (token, after) = rest.split_at(end);
        if long(token) {
            if !plain.is_empty() {
                let _ = write!(out, "#raw({})", string_literal(&std::mem::take(&mut plain)));
            }
            for run in joints(token) {
                let _ = write!(out, "#box(raw({}))", string_literal(run));
            }
        } else {
            plain.push_str(token);
        }
        rest = after;
    }
    if !plain.is_empty() {
        let _ = write!(out, "#raw({})", string_literal(&plain));
    }
}

/// Whether a link's text already shows its URL (give or take the scheme, `www.`
/// and a trailing slash), so printing it again in a footnote would be noise.
fn shows_url(text: &str, url: &str) -> bool {
    let bare = |s: &str| {
        let s = s
            .trim()
            .trim_start_matches("mailto:")
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        s.trim_start_matches("www.")
            .trim_end_matches('/')
            .to_lowercase()
    };
    bare(text) == bare(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        convert(
            &crate::load::markdown::parse(s).doc,
            &Ctx::standalone("/issues/x"),
        )
    }

    #[test]
    fn escapes_every_markup_character() {
        let out = md("Costs $5 #1 *not* a_b @ref `x` [a] / ~ = - + 'q' \"q\" 1. = \\ ");
        // Only what Markdown itself marked up becomes a call.
        assert!(out.contains("\\$5 \\#1 #emph[not] a\\_b \\@ref"), "{out}");
        assert!(out.contains("#raw(\"x\")"), "{out}");
        assert!(out.contains("\\[a\\] \\/ \\~ \\= \\- \\+"), "{out}");
    }

    #[test]
    fn a_line_that_looks_like_typst_structure_stays_text() {
        let out = md("1\\. not a list\n\n\\= not a heading\n");
        assert_eq!(out, "1\\. not a list\n\n\\= not a heading\n");
    }

    #[test]
    fn structure_becomes_calls() {
        assert_eq!(
            md("## Timeline"),
            "#heading(level: 2)[Timeline]<h:body:0>\n"
        );
        assert_eq!(md("# Top"), "#heading(level: 2)[Top]<h:body:0>\n");
        assert_eq!(md("- a\n- b\n"), "#list([a], [b], )\n");
        assert_eq!(md("3. a\n4. b\n"), "#enum(start: 3, [a], [b], )\n");
        assert_eq!(md("> quoted"), "#quote(block: true)[quoted]\n");
        assert_eq!(md("a  \nb"), "a#linebreak()b\n");
        assert_eq!(md("~~gone~~ **bold**"), "#strike[gone] #strong[bold]\n");
        assert_eq!(md("---"), "#line(length: 100%)\n");
    }

    #[test]
    fn links_print_their_url_for_paper_readers() {
        assert_eq!(
            md("[etcd](https://github.com/etcd-io/etcd)"),
            "#link(\"https://github.com/etcd-io/etcd\")[etcd]#footnote(link(\"https://github.com/etcd-io/etcd\"))\n"
        );
        assert_eq!(
            md("<https://x.io>"),
            "#link(\"https://x.io\")[https\\:\\/\\/x\\.io]\n"
        );
        assert_eq!(
            md("[https://x.io](https://x.io)"),
            "#link(\"https://x.io\")[https\\:\\/\\/x\\.io]\n"
        );
        assert_eq!(
            md("[write](mailto:zine@x.io)"),
            "#link(\"mailto:zine@x.io\")[write]#footnote(link(\"mailto:zine@x.io\")[zine\\@x\\.io])\n"
        );
        assert_eq!(md("[other piece](other.md)"), "other piece\n");
    }

    #[test]
    fn a_link_that_shows_its_address_gets_no_footnote() {
        assert_eq!(
            md("[zine.incidentlabs.io](https://zine.incidentlabs.io/)"),
            "#link(\"https://zine.incidentlabs.io/\")[zine\\.incidentlabs\\.io]\n"
        );
        assert_eq!(
            md("[zine@x.io](mailto:zine@x.io)"),
            "#link(\"mailto:zine@x.io\")[zine\\@x\\.io]\n"
        );
    }

    #[test]
    fn links_to_headings_give_their_page() {
        assert_eq!(
            md("See [the cause](#cause).\n\n## Cause\n"),
            "See #link(<h:body:0>)[the cause] \\(see page #context counter(page).at(<h:body:0>).first()\\)\\.\n\n#heading(level: 2)[Cause]<h:body:0>\n"
        );
    }

    #[test]
    fn code_is_a_string_literal() {
        assert_eq!(
            md("```text\na \"b\" \\ #c\n```"),
            "#raw(block: true, lang: \"text\", \"a \\\"b\\\" \\\\ #c\")\n"
        );
    }

    #[test]
    fn long_code_breaks_at_its_joints_and_identifiers_stay_whole() {
        let out =
            md("`com.example.payments.RetryingHttpClientFactoryImpl` on api-prd-main-m1ds now");
        assert!(out.starts_with("#box(raw(\"com.\"))#box(raw(\"example.\"))#box(raw(\"payments.\"))#box(raw(\"Retrying\"))"), "{out}");
        assert!(out.contains("#box[api\\-prd\\-main\\-m1ds]"), "{out}");
        assert!(md("a well-known fact").contains("well\\-known"));
        assert_eq!(
            joints("aaaaaaaaaaaaaaaaaaaaaaaaa"),
            ["aaaaaaaaaaaaaaaaaaaa", "aaaaa"]
        );
    }

    #[test]
    fn tables_and_footnotes() {
        assert_eq!(
            md("| a | b |\n| :-: | --: |\n| 1 | 2 |\n"),
            "#table(columns: 2, align: (center, right,), table.header([a], [b], ), [1], [2], )\n"
        );
        assert_eq!(
            md("Said.[^1]\n\n[^1]: A *note*.\n"),
            "Said\\.#footnote[A #emph[note]\\.]\n"
        );
        assert_eq!(
            md("One[^a], [ref][r].\n\n[^a]: Note.\n\n[r]: https://x.io\n"),
            "One#footnote[Note\\.]\\, #link(\"https://x.io\")[ref]#footnote(link(\"https://x.io\"))\\.\n"
        );
    }

    #[test]
    fn images_resolve_inside_the_project() {
        assert_eq!(
            md("![A cat](cat.png)"),
            "#figure(image(\"/issues/x/cat.png\", alt: \"A cat\", width: 100%))\n"
        );
        assert_eq!(md("![A cat](../../../cat.png)"), "A cat\n");
    }

    #[test]
    fn raw_html_prints_as_the_site_shows_it() {
        assert_eq!(md("a <b>c</b>"), "a \\<b\\>c\\<\\/b\\>\n");
    }
}
