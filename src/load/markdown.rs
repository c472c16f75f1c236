//! One parse of a piece's Markdown body into the document tree.
//!
//! pulldown-cmark reads the body once; this module turns its events into
//! the typed tree of [`crate::model::doc`] and, on the way, notes what the
//! checks need: headings, images and links with their places, raw HTML,
//! fences never closed, footnotes never defined or never used, and nesting
//! deeper than pir typesets. Renderers only ever see the tree.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::model::doc::{self, Align, Block, Doc, Footnote, Inline, Item, Target};
use crate::model::{Heading, ImageRef, Span, Spanned};

/// The Markdown extensions pir enables everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// What the checks need to know about a body. Spans are byte ranges in the body.
#[derive(Debug, Default)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub images: Vec<ImageRef>,
    pub links: Vec<Spanned<String>>,
    /// Raw HTML, except comments (which writers use for notes).
    pub raw_html: Vec<Span>,
    /// Where nesting first went deeper than [`MAX_NESTING`].
    pub too_deep: Option<Span>,
    /// The opening line of each code fence that is never closed.
    pub unclosed_fences: Vec<Span>,
    /// Footnote references with no definition (`[^nope]`), with their labels.
    pub undefined_notes: Vec<(Span, String)>,
    /// Footnote definitions that nothing refers to.
    pub unused_notes: Vec<(Span, String)>,
}

/// A parsed body: the tree and what the checks need.
#[derive(Debug, Default)]
pub struct Parsed {
    pub doc: Doc,
    pub outline: Outline,
}

/// How deep blocks and inlines together may nest (lists, quotes, emphasis,
/// links): far more than any zine needs, far less than would exhaust a
/// typesetter's stack.
pub const MAX_NESTING: usize = 32;

/// Parses `body` once into its tree.
pub fn parse(body: &str) -> Parsed {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut b = Builder {
        body,
        events,
        pos: 0,
        depth: 0,
        outline: Outline::default(),
        notes: Vec::new(),
        refs: Vec::new(),
        anchors: HashSet::new(),
        task: None,
    };
    let blocks = b.blocks(false);
    let Builder {
        mut outline,
        notes,
        refs,
        ..
    } = b;
    // Footnotes in the order of their first reference; `Inline::Note` indexes this order.
    let mut footnotes: Vec<Footnote> = Vec::new();
    for label in &refs {
        let note = notes.iter().find(|n| &n.label == label).cloned();
        footnotes.push(note.unwrap_or(Footnote {
            label: label.clone(),
            blocks: Vec::new(),
            span: 0..0,
        }));
    }
    for note in &notes {
        if !refs.contains(&note.label) {
            outline
                .unused_notes
                .push((note.span.clone(), note.label.clone()));
        }
    }
    let doc = Doc { blocks, footnotes };
    let mut undefined = Vec::new();
    let mut scan = |inline: &Inline| {
        if let Inline::Text(t, span) = inline {
            undefined.extend(undefined_refs(body, t, span));
        }
    };
    doc::each_inline(&doc.blocks, &mut scan);
    for note in &doc.footnotes {
        doc::each_inline(&note.blocks, &mut scan);
    }
    outline.undefined_notes = undefined;
    Parsed { doc, outline }
}

/// `[^label]` left as text: a footnote reference whose definition is missing.
fn undefined_refs(body: &str, text: &str, span: &Span) -> Vec<(Span, String)> {
    let exact = body.get(span.clone()) == Some(text);
    let mut out = Vec::new();
    for (i, _) in text.match_indices("[^") {
        let rest = &text[i + 2..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let label = &rest[..close];
        if label.is_empty() || label.contains(char::is_whitespace) {
            continue;
        }
        let at = if exact {
            span.start + i..span.start + i + close + 3
        } else {
            span.clone()
        };
        if exact && i > 0 && text.as_bytes()[i - 1] == b'\\' {
            continue;
        }
        out.push((at, label.to_string()));
    }
    out
}

/// Whether a tag opens a block (as opposed to an inline element).
fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// Turns the event list into blocks and inlines.
struct Builder<'a> {
    body: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
    depth: usize,
    outline: Outline,
    notes: Vec<Footnote>,
    /// Footnote labels in the order of their first reference.
    refs: Vec<String>,
    anchors: HashSet<String>,
    /// The task marker of the list item being read.
    task: Option<bool>,
}

impl<'a> Builder<'a> {
    /// The next event, consumed.
    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let ev = self.events.get(self.pos).cloned();
        self.pos += 1;
        ev
    }

    /// The next event, not consumed.
    fn peek(&self) -> Option<&(Event<'a>, Range<usize>)> {
        self.events.get(self.pos)
    }

    /// Whether one more level of nesting is allowed; records the first place it is not.
    fn enter(&mut self, at: &Range<usize>) -> bool {
        if self.depth >= MAX_NESTING {
            if self.outline.too_deep.is_none() {
                self.outline.too_deep = Some(at.start..at.start + 1);
            }
            return false;
        }
        self.depth += 1;
        true
    }

    /// Reads blocks up to the end of the enclosing container (consumed when `closing`).
    fn blocks(&mut self, closing: bool) -> Vec<Block> {
        let mut out = Vec::new();
        // Containers too deep to keep: their content joins this level.
        let mut flattened = 0usize;
        while let Some((ev, range)) = self.peek().cloned() {
            match ev {
                Event::End(_) => {
                    self.pos += 1;
                    if flattened > 0 {
                        flattened -= 1;
                        continue;
                    }
                    if closing {
                        break;
                    }
                }
                Event::Start(tag) if is_block(&tag) => {
                    self.pos += 1;
                    match self.block(tag, range) {
                        Ok(Some(block)) => out.push(block),
                        Ok(None) => {}
                        Err(()) => flattened += 1,
                    }
                }
                Event::Rule => {
                    self.pos += 1;
                    out.push(Block::Rule);
                }
                _ => {
                    // Inline content straight in a container: the text of a tight list item.
                    let start = range.start;
                    let content = self.inlines(false);
                    let end = self
                        .events
                        .get(self.pos.saturating_sub(1))
                        .map_or(start, |e| e.1.end);
                    if !content.is_empty() {
                        out.push(Block::Paragraph {
                            content,
                            tight: true,
                            span: start..end.max(start),
                        });
                    }
                }
            }
        }
        out.shrink_to_fit();
        out
    }

    /// Reads one block whose start tag was just consumed. `Err` means it was too
    /// deep to keep as a container: its content continues at the caller's level.
    fn block(&mut self, tag: Tag<'a>, range: Range<usize>) -> Result<Option<Block>, ()> {
        Ok(Some(match tag {
            Tag::Paragraph => Block::Paragraph {
                content: self.inlines(true),
                tight: false,
                span: range,
            },
            Tag::Heading { level, .. } => {
                let content = self.inlines(true);
                let text = doc::plain(&content).trim().to_string();
                let anchor = self.unique_anchor(&text);
                let span = range.start..range.start + self.body[range.clone()].trim_end().len();
                let heading = Heading {
                    level: level as u8,
                    text,
                    span: span.clone(),
                };
                self.outline.headings.push(heading);
                Block::Heading(doc::Heading {
                    level: level as u8,
                    content,
                    anchor,
                    span,
                })
            }
            Tag::BlockQuote(_) => {
                if !self.enter(&range) {
                    return Err(());
                }
                let blocks = self.blocks(true);
                self.depth -= 1;
                Block::Quote(blocks)
            }
            Tag::CodeBlock(kind) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                let mut text = String::new();
                while let Some((ev, _)) = self.next() {
                    match ev {
                        Event::Text(t) => text.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                if matches!(kind, CodeBlockKind::Fenced(_))
                    && !fence_closed(&self.body[range.clone()])
                {
                    let line = self.body[range.start..]
                        .find('\n')
                        .map_or(range.end, |i| range.start + i);
                    self.outline.unclosed_fences.push(range.start..line);
                }
                Block::Code {
                    lang: lang.filter(|l| !l.is_empty()),
                    text,
                }
            }
            Tag::List(start) => {
                if !self.enter(&range) {
                    return Err(());
                }
                let mut items = Vec::new();
                while let Some((ev, r)) = self.next() {
                    match ev {
                        Event::Start(Tag::Item) => {
                            self.task = None;
                            let blocks = self.blocks(true);
                            items.push(Item {
                                task: self.task.take(),
                                blocks,
                                span: r,
                            });
                        }
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                self.depth -= 1;
                Block::List { start, items }
            }
            // An item outside a list: its list was too deep to keep, so its content joins this level.
            Tag::Item => return Err(()),
            Tag::FootnoteDefinition(label) => {
                let blocks = self.blocks(true);
                self.notes.push(Footnote {
                    label: label.to_string(),
                    blocks,
                    span: range,
                });
                return Ok(None);
            }
            Tag::Table(aligns) => self.table(aligns),
            Tag::HtmlBlock => {
                let mut text = String::new();
                while let Some((ev, _)) = self.next() {
                    match ev {
                        Event::Html(h) | Event::Text(h) => text.push_str(&h),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                if text.trim_start().starts_with("<!--") || text.trim().is_empty() {
                    return Ok(None);
                }
                self.outline
                    .raw_html
                    .push(range.start..range.start + self.body[range.clone()].trim_end().len());
                Block::Html(text)
            }
            // Other containers (table parts out of place, metadata): keep their text.
            _ => return Ok(Some(Block::Quote(self.blocks(true)))),
        }))
    }

    /// Reads a table whose start tag was just consumed.
    fn table(&mut self, aligns: Vec<pulldown_cmark::Alignment>) -> Block {
        use pulldown_cmark::Alignment;
        let align = aligns
            .iter()
            .map(|a| match a {
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
                _ => Align::Left,
            })
            .collect();
        let mut head = Vec::new();
        let mut rows = Vec::new();
        let mut row: Option<Vec<Vec<Inline>>> = None;
        while let Some((ev, _)) = self.next() {
            match ev {
                Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                    row = Some(Vec::new())
                }
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines(true);
                    row.get_or_insert_with(Vec::new).push(cell);
                }
                Event::End(TagEnd::TableHead) => head = row.take().unwrap_or_default(),
                Event::End(TagEnd::TableRow) => rows.push(row.take().unwrap_or_default()),
                Event::End(_) => break,
                _ => {}
            }
        }
        Block::Table { align, head, rows }
    }

    /// Reads inline content. With `closing`, up to and including the end of the
    /// enclosing element; without, up to (not including) the next block or end.
    fn inlines(&mut self, closing: bool) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        let mut flattened = 0usize;
        while let Some((ev, range)) = self.peek().cloned() {
            match ev {
                Event::End(_) => {
                    if flattened > 0 {
                        self.pos += 1;
                        flattened -= 1;
                        continue;
                    }
                    if closing {
                        self.pos += 1;
                    }
                    break;
                }
                Event::Start(tag) if is_block(&tag) => {
                    if closing {
                        // Not produced by pulldown-cmark; read it as a block's text rather than lose it.
                        self.pos += 1;
                        if let Ok(Some(block)) = self.block(tag, range) {
                            let mut text = String::new();
                            doc::plain_blocks(&[block], &mut text);
                            push_text(&mut out, text.trim_end().to_string(), 0..0);
                        }
                        continue;
                    }
                    break;
                }
                Event::Rule if !closing => break,
                _ => {}
            }
            self.pos += 1;
            match ev {
                Event::Text(t) => push_text(&mut out, t.to_string(), range),
                Event::Code(t) => out.push(Inline::Code(t.to_string())),
                Event::InlineMath(t) | Event::DisplayMath(t) => {
                    push_text(&mut out, t.to_string(), range)
                }
                Event::SoftBreak => out.push(Inline::SoftBreak),
                Event::HardBreak => out.push(Inline::HardBreak),
                Event::FootnoteReference(label) => {
                    let i = match self.refs.iter().position(|l| l.as_str() == label.as_ref()) {
                        Some(i) => i,
                        None => {
                            self.refs.push(label.to_string());
                            self.refs.len() - 1
                        }
                    };
                    out.push(Inline::Note(i));
                }
                Event::Html(h) | Event::InlineHtml(h) => {
                    let trimmed = h.trim();
                    if trimmed.starts_with("<!--") || trimmed.is_empty() {
                        continue;
                    }
                    // An element's opening and closing tags on one line are one finding.
                    match self.outline.raw_html.last_mut() {
                        Some(last)
                            if last.end <= range.start
                                && !self.body[last.end..range.start].contains('\n') =>
                        {
                            last.end = range.end
                        }
                        _ => self.outline.raw_html.push(range),
                    }
                    out.push(Inline::Html(h.to_string()));
                }
                Event::TaskListMarker(done) => self.task = Some(done),
                Event::Rule => {}
                Event::Start(tag) => {
                    if !self.enter(&range) {
                        flattened += 1;
                        continue;
                    }
                    let content = self.inlines(true);
                    self.depth -= 1;
                    out.push(self.element(tag, content, range));
                }
                Event::End(_) => {}
            }
        }
        // The tree lives through a whole build: drop the room that joining text runs left over.
        for inline in &mut out {
            if let Inline::Text(text, _) = inline {
                text.shrink_to_fit();
            }
        }
        out.shrink_to_fit();
        out
    }

    /// Builds an inline element from its start tag and content.
    fn element(&mut self, tag: Tag<'a>, content: Vec<Inline>, range: Range<usize>) -> Inline {
        match tag {
            Tag::Emphasis => Inline::Emph(content),
            Tag::Strong => Inline::Strong(content),
            Tag::Strikethrough => Inline::Strike(content),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                if link_type != LinkType::Email {
                    self.outline
                        .links
                        .push(Spanned::new(dest_url.to_string(), range.clone()));
                }
                let dest = if link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                };
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                Inline::Link {
                    target: target(&dest),
                    dest,
                    content,
                    autolink,
                    span: range,
                }
            }
            Tag::Image { dest_url, .. } => {
                let alt = doc::plain(&content).trim().to_string();
                self.outline.images.push(ImageRef {
                    path: dest_url.to_string(),
                    alt: alt.clone(),
                    span: range.clone(),
                });
                Inline::Image {
                    src: dest_url.to_string(),
                    alt,
                    span: range,
                }
            }
            // Superscript and subscript are not enabled; keep the text.
            _ => Inline::Emph(content),
        }
    }

    /// A heading anchor unique within the piece, never empty.
    fn unique_anchor(&mut self, text: &str) -> String {
        doc::unique(&mut self.anchors, &doc::anchor(text))
    }
}

/// Appends text, joining it to the text before it when the two touch.
fn push_text(out: &mut Vec<Inline>, text: String, range: Range<usize>) {
    if let Some(Inline::Text(prev, span)) = out.last_mut()
        && span.end == range.start
    {
        prev.push_str(&text);
        span.end = range.end;
        return;
    }
    out.push(Inline::Text(text, range));
}

/// Whether a fenced code block's source ends with a closing fence.
fn fence_closed(source: &str) -> bool {
    let first = source.trim_start();
    let fence_char = match first.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return true,
    };
    let open_len = first.chars().take_while(|&c| c == fence_char).count();
    let mut lines = source.trim_end_matches(['\n', '\r']).lines();
    lines.next();
    lines.last().is_some_and(|last| {
        let last = last.trim();
        last.chars().take_while(|&c| c == fence_char).count() >= open_len
            && last.chars().all(|c| c == fence_char)
    })
}

/// Where a link's destination leads, as far as the text alone tells.
pub fn target(dest: &str) -> Target {
    let dest = dest.trim();
    if let Some((scheme, _)) = dest.split_once(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" | "mailto" => Target::Web(dest.to_string()),
            _ => Target::Unusable(dest.to_string()),
        };
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return if anchor.is_empty() {
            Target::Unusable(dest.to_string())
        } else {
            Target::Anchor(anchor.to_string())
        };
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (dest, None),
    };
    let path = path.strip_prefix("./").unwrap_or(path);
    let Some(stem) = path.strip_suffix(".md") else {
        return Target::Unusable(dest.to_string());
    };
    let parts: Vec<&str> = stem.split('/').collect();
    match parts.as_slice() {
        [piece] if !piece.is_empty() => Target::Piece {
            issue: None,
            piece: piece.to_string(),
            anchor,
        },
        ["..", issue, piece] if !issue.is_empty() && !piece.is_empty() => Target::Piece {
            issue: Some(issue.to_string()),
            piece: piece.to_string(),
            anchor,
        },
        _ => Target::Unusable(dest.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<Block> {
        parse(md).doc.blocks
    }

    #[test]
    fn finds_headings_images_and_links() {
        let body = "## Summary\n\nText with [a link](https://x.io).\n\n- one\n- two\n  - nested\n\n![A cat](cat.png)\n";
        let o = parse(body).outline;
        assert_eq!(o.headings.len(), 1);
        assert_eq!(o.headings[0].text, "Summary");
        assert_eq!(o.headings[0].level, 2);
        assert_eq!(o.links[0].value, "https://x.io");
        assert_eq!(o.images[0].path, "cat.png");
        assert_eq!(o.images[0].alt, "A cat");
    }

    #[test]
    fn tight_items_hold_their_text_and_nested_lists() {
        let b = blocks("- one\n- two\n  - nested\n");
        let Block::List { items, .. } = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(items.len(), 2);
        assert!(
            matches!(
                &items[1].blocks[..],
                [Block::Paragraph { tight: true, .. }, Block::List { .. }]
            ),
            "{:?}",
            items[1]
        );
        assert_eq!(
            &"- one\n- two\n  - nested\n"[items[1].span.clone()].trim_end(),
            &"- two\n  - nested"
        );
    }

    #[test]
    fn html_comments_are_notes_not_raw_html() {
        let body = "<!-- a note for the writer -->\n\n<!--\n- [cast] who?\n-->\n\nHello <b>there</b>.\n\n<div>\n</div>\n";
        let o = parse(body).outline;
        let found: Vec<&str> = o.raw_html.iter().map(|s| body[s.clone()].trim()).collect();
        assert_eq!(found, ["<b>there</b>", "<div>\n</div>"]);
    }

    #[test]
    fn image_alt_keeps_code_and_emphasis_text() {
        let o = parse("![The `etcd` *watch*](w.svg)").outline;
        assert_eq!(o.images[0].alt, "The etcd watch");
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_and_checked() {
        let p =
            parse("B[^b] and A[^a] and [^nope].\n\n[^a]: Note A.\n[^b]: Note B.\n[^c]: Unused.\n");
        let labels: Vec<&str> = p.doc.footnotes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["b", "a"]);
        assert_eq!(
            p.outline
                .undefined_notes
                .iter()
                .map(|u| u.1.as_str())
                .collect::<Vec<_>>(),
            ["nope"]
        );
        assert_eq!(
            p.outline
                .unused_notes
                .iter()
                .map(|u| u.1.as_str())
                .collect::<Vec<_>>(),
            ["c"]
        );
    }

    #[test]
    fn repeated_and_empty_headings_get_unique_anchors() {
        let b = blocks("## Notes\n\n## Notes\n\n## 🔥\n");
        let anchors: Vec<&str> = b
            .iter()
            .filter_map(|b| {
                if let Block::Heading(h) = b {
                    Some(h.anchor.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(anchors, ["notes", "notes-2", "section"]);
    }

    #[test]
    fn unclosed_fences_are_found() {
        let body = "Text\n\n```sh\nrm -rf\n\nmore text\n";
        let o = parse(body).outline;
        assert_eq!(
            o.unclosed_fences
                .iter()
                .map(|s| &body[s.clone()])
                .collect::<Vec<_>>(),
            ["```sh"]
        );
        assert!(parse("```\ncode\n```\n").outline.unclosed_fences.is_empty());
    }

    #[test]
    fn all_nesting_counts_against_one_budget() {
        let deep_emphasis = format!("{}x{}", "*".repeat(256), "*".repeat(256));
        assert!(parse(&deep_emphasis).outline.too_deep.is_some());
        let deep_list: String = (0..40)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        assert!(parse(&deep_list).outline.too_deep.is_some());
        assert!(parse("*a **b** c*").outline.too_deep.is_none());
    }

    #[test]
    fn ten_thousand_levels_never_overflow_the_stack() {
        let quotes = format!("{}deep", "> ".repeat(10_000));
        assert!(parse(&quotes).outline.too_deep.is_some());
        let lists = format!("{}deep", "- ".repeat(10_000));
        assert!(parse(&lists).outline.too_deep.is_some());
    }

    #[test]
    fn link_targets() {
        assert_eq!(target("https://x.io"), Target::Web("https://x.io".into()));
        assert_eq!(
            target("javascript:alert(1)"),
            Target::Unusable("javascript:alert(1)".into())
        );
        assert_eq!(target("#summary"), Target::Anchor("summary".into()));
        assert_eq!(
            target("essay.md"),
            Target::Piece {
                issue: None,
                piece: "essay".into(),
                anchor: None
            }
        );
        assert_eq!(
            target("../april-2020/x.md#a"),
            Target::Piece {
                issue: Some("april-2020".into()),
                piece: "x".into(),
                anchor: Some("a".into())
            }
        );
        for bad in ["", "#", "other.html", "../../zine.toml", "/abs.md"] {
            assert!(matches!(target(bad), Target::Unusable(_)), "{bad}");
        }
    }
}
