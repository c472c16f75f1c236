//! Limits on what Typst can lay out in reasonable time.
//!
//! Typst lays out a paragraph as one unit, and its line breaker costs time
//! in proportion to the paragraph's length for every line it commits: a
//! paragraph of 2 MB (a pasted log) took minutes and most of a gigabyte. A
//! real paragraph is a few kilobytes, so pir refuses one longer than
//! [`PARAGRAPH_LIMIT`] at `check`, with a hint: a log belongs in a code
//! block, which the templates lay out line by line, in linear time.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Piece;
use crate::model::doc::Block;

/// The longest paragraph (or heading, table cell, tight list item) pir typesets, in bytes of Markdown.
pub const PARAGRAPH_LIMIT: usize = 64 * 1024;

/// Collects the spans of running text longer than the limit, from the piece's tree.
fn walk(blocks: &[Block], out: &mut Vec<std::ops::Range<usize>>) {
    for block in blocks {
        match block {
            Block::Paragraph { span, .. } if span.len() > PARAGRAPH_LIMIT => out.push(span.clone()),
            Block::Heading(h) if h.span.len() > PARAGRAPH_LIMIT => out.push(h.span.clone()),
            Block::Quote(b) => walk(b, out),
            Block::List { items, .. } => items.iter().for_each(|i| walk(&i.blocks, out)),
            _ => {}
        }
    }
}

/// Reports each block of running text in `piece` that is longer than [`PARAGRAPH_LIMIT`].
pub fn paragraphs(piece: &Piece, diags: &mut Vec<Diagnostic>) {
    if piece.body.len() <= PARAGRAPH_LIMIT {
        return;
    }
    let mut too_long = Vec::new();
    walk(&piece.doc.blocks, &mut too_long);
    piece
        .doc
        .footnotes
        .iter()
        .for_each(|n| walk(&n.blocks, &mut too_long));
    for entry in piece.incident.iter().flat_map(|i| &i.timeline) {
        if entry.source.len() > PARAGRAPH_LIMIT {
            too_long.push(entry.source.clone());
        }
        walk(&entry.more, &mut too_long);
    }
    too_long.sort_by_key(|r| r.start);
    for range in too_long {
        let start = piece.body_offset + range.start;
        let kib = range.len() as f64 / 1024.0;
        diags.push(
            Diagnostic::new(
                Code::ParagraphTooLong,
                piece.file,
                start..start + 1,
                format!("this paragraph is {kib:.0} KiB long; pir typesets paragraphs of up to {} KiB", PARAGRAPH_LIMIT / 1024),
            )
            .label("the paragraph starts here")
            .hint("if it is a pasted log or output, put it in a code block (a line of ``` before and after it); if it is prose, split it into paragraphs"),
        );
    }
}
