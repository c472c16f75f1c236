//! Limits on what Typst can lay out in reasonable time.
//!
//! Typst lays out a paragraph as one unit, and its line breaker costs time
//! in proportion to the paragraph's length for every line it commits: a
//! paragraph of 2 MB (a pasted log) took minutes and most of a gigabyte. A
//! real paragraph is a few kilobytes, so pir refuses one longer than
//! [`PARAGRAPH_LIMIT`] at `check`, with a hint: a log belongs in a code
//! block, which the templates lay out line by line, in linear time.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Piece;

/// The longest paragraph (or heading, table cell, tight list item) pir typesets, in bytes of Markdown.
pub const PARAGRAPH_LIMIT: usize = 64 * 1024;

/// Reports each block of running text in `piece` that is longer than [`PARAGRAPH_LIMIT`].
pub fn paragraphs(piece: &Piece, diags: &mut Vec<Diagnostic>) {
    if piece.body.len() <= PARAGRAPH_LIMIT {
        return;
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    // Open list items: where each starts, and whether it holds blocks (then those are measured instead).
    let mut items: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    let mut too_long = Vec::new();
    for (event, range) in Parser::new_ext(&piece.body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => items.push((range, false)),
            Event::Start(tag) => {
                if let Some(item) = items.last_mut()
                    && matches!(tag, Tag::Paragraph | Tag::List(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::Table(_))
                {
                    item.1 = true;
                }
                if matches!(tag, Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell) && range.len() > PARAGRAPH_LIMIT {
                    too_long.push(range);
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some((range, false)) = items.pop()
                    && range.len() > PARAGRAPH_LIMIT
                {
                    too_long.push(range);
                }
            }
            _ => {}
        }
    }
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
