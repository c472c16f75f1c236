//! One pass over a piece's Markdown body, noting what later stages need.
//!
//! pulldown-cmark parses the body once; this records headings, images,
//! links, raw HTML and the top-level blocks (paragraphs and list items) with
//! their byte ranges, so the incident loader can find timeline entries and
//! the checker can point at an image without parsing the text again.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::model::{Heading, ImageRef, Span, Spanned};

/// The Markdown extensions pir enables everywhere (renderers use the same).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// A block at the top of the document, or an item of a top-level list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Item,
}

/// What one pass over a body found. Spans are byte ranges in the body.
#[derive(Debug, Default)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub images: Vec<ImageRef>,
    pub links: Vec<Spanned<String>>,
    /// Raw HTML, except comments (which writers use for notes).
    pub raw_html: Vec<Span>,
    pub blocks: Vec<(BlockKind, Span)>,
    /// Where nesting first went deeper than [`MAX_NESTING`].
    pub too_deep: Option<Span>,
}

/// How deep lists, quotes and emphasis may nest: far more than any zine needs,
/// far less than would exhaust a typesetter's stack.
pub const MAX_NESTING: usize = 32;

/// Walks `body` once.
pub fn outline(body: &str) -> Outline {
    let mut out = Outline::default();
    let mut stack: Vec<Tag> = Vec::new();
    // Text collected for the innermost heading or image.
    let mut text = String::new();
    let mut pending: Option<(Tag, Span)> = None;
    // Inside an HTML block that is a comment: writers' notes, not markup.
    let mut in_comment = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                match &tag {
                    Tag::Paragraph if stack.is_empty() => out.blocks.push((BlockKind::Paragraph, range.clone())),
                    Tag::Item if matches!(stack.as_slice(), [Tag::List(_)]) => out.blocks.push((BlockKind::Item, range.clone())),
                    Tag::Link { link_type, dest_url, .. } if *link_type != LinkType::Email => {
                        out.links.push(Spanned::new(dest_url.to_string(), range.clone()));
                    }
                    _ => {}
                }
                if tag == Tag::HtmlBlock {
                    in_comment = body[range.clone()].trim_start().starts_with("<!--");
                }
                if matches!(tag, Tag::Heading { .. } | Tag::Image { .. }) && pending.is_none() {
                    text.clear();
                    pending = Some((tag.clone(), range.clone()));
                }
                let nests = matches!(tag, Tag::List(_) | Tag::BlockQuote(_));
                stack.push(tag);
                if nests
                    && out.too_deep.is_none()
                    && stack.iter().filter(|t| matches!(t, Tag::List(_) | Tag::BlockQuote(_))).count() > MAX_NESTING
                {
                    out.too_deep = Some(range.start..range.start + 1);
                }
            }
            Event::End(end) => {
                stack.pop();
                if end == TagEnd::HtmlBlock {
                    in_comment = false;
                }
                if matches!(end, TagEnd::Heading(_) | TagEnd::Image) {
                    match pending.take() {
                        Some((Tag::Heading { level, .. }, span)) if matches!(end, TagEnd::Heading(_)) => {
                            let span = span.start..span.start + body[span.clone()].trim_end().len();
                            out.headings.push(Heading { level: level as u8, text: text.trim().to_string(), span });
                        }
                        Some((Tag::Image { dest_url, .. }, span)) if end == TagEnd::Image => {
                            out.images.push(ImageRef { path: dest_url.to_string(), alt: text.trim().to_string(), span });
                        }
                        other => pending = other,
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Html(html) | Event::InlineHtml(html) => {
                let trimmed = html.trim();
                if in_comment || trimmed.starts_with("<!--") || trimmed.is_empty() {
                    continue;
                }
                // An element's opening and closing tags on one line are one finding.
                match out.raw_html.last_mut() {
                    Some(last) if last.end <= range.start && !body[last.end..range.start].contains('\n') => last.end = range.end,
                    _ => out.raw_html.push(range),
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headings_images_links_and_blocks() {
        let body = "## Summary\n\nText with [a link](https://x.io).\n\n- one\n- two\n  - nested\n\n![A cat](cat.png)\n";
        let o = outline(body);
        assert_eq!(o.headings.len(), 1);
        assert_eq!(o.headings[0].text, "Summary");
        assert_eq!(o.headings[0].level, 2);
        assert_eq!(o.links[0].value, "https://x.io");
        assert_eq!(o.images[0].path, "cat.png");
        assert_eq!(o.images[0].alt, "A cat");
        let items: Vec<&str> = o.blocks.iter().filter(|b| b.0 == BlockKind::Item).map(|b| body[b.1.clone()].trim_end()).collect();
        assert_eq!(items, ["- one", "- two\n  - nested"]);
    }

    #[test]
    fn html_comments_are_notes_not_raw_html() {
        let body = "<!-- a note for the writer -->\n\n<!--\n- [cast] who?\n-->\n\nHello <b>there</b>.\n\n<div>\n</div>\n";
        let o = outline(body);
        let found: Vec<&str> = o.raw_html.iter().map(|s| body[s.clone()].trim()).collect();
        assert_eq!(found, ["<b>there</b>", "<div>\n</div>"]);
    }

    #[test]
    fn image_alt_keeps_code_and_emphasis_text() {
        let o = outline("![The `etcd` *watch*](w.svg)");
        assert_eq!(o.images[0].alt, "The etcd watch");
    }
}
