//! A piece's body as a typed document tree, parsed once at load time.
//!
//! Every renderer (Typst, HTML, and any later output) walks this tree; none
//! of them parses Markdown again or splices text by byte offsets. Blocks
//! and inlines keep the spans of their source, so a later stage can still
//! point a diagnostic at the writer's Markdown. An incident's timeline is a
//! block among the others ([`Block::Timeline`]), in the place its entries
//! were written, so prose and headings between entries stay where they are.

use std::ops::Range;

use serde::Serialize;

use crate::model::Span;

/// A parsed body: its blocks and its footnote definitions.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Doc {
    pub blocks: Vec<Block>,
    /// Footnote definitions in the order they are first referenced (then the rest).
    pub footnotes: Vec<Footnote>,
}

/// A footnote definition (`[^label]: text`).
#[derive(Debug, Clone, Serialize)]
pub struct Footnote {
    pub label: String,
    pub blocks: Vec<Block>,
    #[serde(skip)]
    pub span: Span,
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A block-level element.
#[derive(Debug, Clone, Serialize)]
pub enum Block {
    /// A paragraph; `tight` paragraphs are the text of a tight list item.
    Paragraph {
        content: Vec<Inline>,
        tight: bool,
        span: Span,
    },
    Heading(Heading),
    Quote(Vec<Block>),
    Code {
        lang: Option<String>,
        text: String,
    },
    List {
        start: Option<u64>,
        items: Vec<Item>,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Rule,
    /// Raw HTML the writer typed (comments are dropped at load time).
    Html(String),
    /// A run of an incident's timeline entries: indices into `Incident::timeline`.
    Timeline {
        entries: Range<usize>,
    },
}

/// A heading in a body.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub content: Vec<Inline>,
    /// Its anchor, unique within the piece and never empty (`investigation-analysis`).
    pub anchor: String,
    #[serde(skip)]
    pub span: Span,
}

/// One item of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// A task list item's box: checked or not.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
    #[serde(skip)]
    pub span: Span,
}

/// Where a link leads, resolved at load time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Target {
    /// A web or mail address (`https:`, `http:`, `mailto:`).
    Web(String),
    /// Another piece of the zine: its issue folder (`None`: the same folder), its
    /// file stem, and an optional heading anchor in it.
    Piece {
        issue: Option<String>,
        piece: String,
        anchor: Option<String>,
    },
    /// A heading of the same piece.
    Anchor(String),
    /// Anything else: a scheme that is not allowed, or a relative path that
    /// leads nowhere. Rendered as plain text; `pir check` reports it.
    Unusable(String),
}

/// An inline element.
#[derive(Debug, Clone, Serialize)]
pub enum Inline {
    Text(String, #[serde(skip)] Span),
    Code(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Link {
        target: Target,
        /// The destination as written.
        dest: String,
        content: Vec<Inline>,
        /// An autolink (`<https://x.io>`), whose text is its address.
        autolink: bool,
        #[serde(skip)]
        span: Span,
    },
    Image {
        src: String,
        alt: String,
        #[serde(skip)]
        span: Span,
    },
    /// A footnote reference: an index into `Doc::footnotes`.
    Note(usize),
    /// A cast member named in a timeline entry (`@oncall`), resolved.
    Mention {
        id: String,
        name: String,
        #[serde(skip)]
        span: Span,
    },
    SoftBreak,
    HardBreak,
    /// Inline raw HTML, as written.
    Html(String),
}

/// The plain text of inlines: what a reader reads, without markup.
pub fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

/// Appends the plain text of inlines to `out`.
pub fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t, _) | Inline::Code(t) | Inline::Html(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => push_plain(c, out),
            Inline::Link { content, .. } => push_plain(content, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Mention { name, .. } => out.push_str(name),
            Inline::Note(_) => {}
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// The plain text of blocks, one line per paragraph. Timeline runs and
/// footnotes are not in `blocks`: a caller that needs every word walks
/// `entry.content`/`entry.more` and `doc.footnotes` too.
pub fn plain_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { content, .. } => push_plain(content, out),
            Block::Heading(h) => push_plain(&h.content, out),
            Block::Quote(b) => plain_blocks(b, out),
            Block::Code { text, .. } | Block::Html(text) => out.push_str(text),
            Block::List { items, .. } => items.iter().for_each(|i| plain_blocks(&i.blocks, out)),
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    push_plain(cell, out);
                    out.push(' ');
                }
            }
            Block::Rule | Block::Timeline { .. } => {}
        }
        out.push('\n');
    }
}

/// Visits every inline of a list, depth first.
pub fn each_inline_of<'a>(list: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for inline in list {
        f(inline);
        match inline {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => each_inline_of(c, f),
            Inline::Link { content, .. } => each_inline_of(content, f),
            _ => {}
        }
    }
}

/// Visits every inline of the blocks, depth first (footnotes are not visited).
pub fn each_inline<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Inline)) {
    let inlines = each_inline_of;
    for block in blocks {
        match block {
            Block::Paragraph { content, .. } => inlines(content, f),
            Block::Heading(h) => inlines(&h.content, f),
            Block::Quote(b) => each_inline(b, f),
            Block::List { items, .. } => items.iter().for_each(|i| each_inline(&i.blocks, f)),
            Block::Table { head, rows, .. } => head
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|c| inlines(c, f)),
            Block::Code { .. } | Block::Html(_) | Block::Rule | Block::Timeline { .. } => {}
        }
    }
}

/// The anchors of every heading of a document, in the order they appear.
pub fn heading_anchors(doc: &Doc) -> Vec<&str> {
    fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
        for block in blocks {
            match block {
                Block::Heading(h) => out.push(&h.anchor),
                Block::Quote(b) => walk(b, out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(&i.blocks, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.blocks, &mut out);
    doc.footnotes.iter().for_each(|n| walk(&n.blocks, &mut out));
    out
}

/// `base`, or `base-2`, `base-3`... whichever `used` does not hold yet (then it does); never empty.
pub fn unique(used: &mut std::collections::HashSet<String>, base: &str) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut candidate = base.to_string();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A URL-safe anchor from heading text ("Investigation & analysis" -> "investigation-analysis").
pub fn anchor(text: &str) -> String {
    let lowered: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_keep_letters_and_digits() {
        assert_eq!(anchor("Action items"), "action-items");
        assert_eq!(anchor("TL;DR: what happened?"), "tl-dr-what-happened");
        assert_eq!(anchor("🔥"), "");
    }

    #[test]
    fn plain_text_spells_out_mentions_and_drops_markup() {
        let inlines = vec![
            Inline::Strong(vec![Inline::Text("Hi".into(), 0..2)]),
            Inline::SoftBreak,
            Inline::Mention {
                id: "db".into(),
                name: "The database".into(),
                span: 0..0,
            },
            Inline::Code("x".into()),
        ];
        assert_eq!(plain(&inlines), "Hi The databasex");
    }
}
