//! Timeline entries in the document tree.
//!
//! Once the incident loader knows which paragraphs and list items are
//! entries, this moves them out of the ordinary blocks into
//! [`Block::Timeline`] runs, in the place they were written: prose and
//! headings between entries stay between them. Each entry keeps its own
//! parsed content, without the bracketed time.

use crate::model::doc::{self, Block, Inline, Item};
use crate::model::{Span, TimelineEntry};

/// Replaces the blocks of `entries` in `doc` with timeline runs and fills each entry's content.
pub fn place(doc: &mut doc::Doc, entries: &mut [TimelineEntry], body: &str) {
    if entries.is_empty() {
        return;
    }
    let index_of =
        |span: &Span, entries: &[TimelineEntry]| entries.iter().position(|e| &e.source == span);
    let old = std::mem::take(&mut doc.blocks);
    let mut out: Vec<Block> = Vec::new();
    // The run of entries being collected, as a range of entry indices.
    let mut run: Option<std::ops::Range<usize>> = None;
    let flush = |run: &mut Option<std::ops::Range<usize>>, out: &mut Vec<Block>| {
        if let Some(r) = run.take() {
            out.push(Block::Timeline { entries: r });
        }
    };
    let extend =
        |run: &mut Option<std::ops::Range<usize>>, out: &mut Vec<Block>, i: usize| match run {
            Some(r) if r.end == i => r.end = i + 1,
            _ => {
                flush(run, out);
                *run = Some(i..i + 1);
            }
        };
    for block in old {
        match block {
            Block::Paragraph {
                content,
                tight: false,
                span,
            } => match index_of(&span, entries) {
                Some(i) => {
                    let stamp_end = stamp_end(&entries[i], body);
                    entries[i].content = strip_stamp(content, stamp_end, body);
                    extend(&mut run, &mut out, i);
                }
                None => {
                    flush(&mut run, &mut out);
                    out.push(Block::Paragraph {
                        content,
                        tight: false,
                        span,
                    });
                }
            },
            Block::List { start, items } => {
                // Items that are entries join the run; the others stay a list, numbered as before.
                let mut rest: Vec<Item> = Vec::new();
                let mut rest_start = start;
                for (n, item) in items.into_iter().enumerate() {
                    match index_of(&item.span, entries) {
                        Some(i) => {
                            if !rest.is_empty() {
                                flush(&mut run, &mut out);
                                out.push(Block::List {
                                    start: rest_start,
                                    items: std::mem::take(&mut rest),
                                });
                            }
                            let mut blocks = item.blocks.into_iter();
                            let first = match blocks.next() {
                                Some(Block::Paragraph { content, .. }) => content,
                                Some(other) => {
                                    entries[i].more.push(other);
                                    Vec::new()
                                }
                                None => Vec::new(),
                            };
                            let stamp_end = stamp_end(&entries[i], body);
                            entries[i].content = strip_stamp(first, stamp_end, body);
                            entries[i].more.extend(blocks);
                            extend(&mut run, &mut out, i);
                        }
                        None => {
                            if rest.is_empty() {
                                rest_start = start.map(|s| s + n as u64);
                            }
                            rest.push(item);
                        }
                    }
                }
                if !rest.is_empty() {
                    flush(&mut run, &mut out);
                    out.push(Block::List {
                        start: rest_start,
                        items: rest,
                    });
                }
            }
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    doc.blocks = out;
    set_text(entries);
}

/// Sets each entry's plain text from its content (after mentions are resolved, with their names).
pub fn set_text(entries: &mut [TimelineEntry]) {
    for entry in entries.iter_mut() {
        let mut text = doc::plain(&entry.content).trim().to_string();
        if !entry.more.is_empty() {
            text.push('\n');
            doc::plain_blocks(&entry.more, &mut text);
        }
        entry.text = text.trim_end().to_string();
    }
}

/// The body offset just after the entry's closing bracket.
fn stamp_end(entry: &TimelineEntry, body: &str) -> usize {
    let from = entry.source.start;
    let block = &body[entry.source.clone()];
    block.find(']').map_or(from, |i| from + i + 1)
}

/// Drops the bracketed time (everything before `stamp_end`) from the front of an entry's content.
fn strip_stamp(mut content: Vec<Inline>, stamp_end: usize, body: &str) -> Vec<Inline> {
    while let Some(Inline::Text(text, span)) = content.first_mut() {
        if span.end <= stamp_end {
            content.remove(0);
            continue;
        }
        if span.start < stamp_end {
            let cut = if body.get(span.clone()) == Some(text.as_str()) {
                stamp_end - span.start
            } else {
                text.find(']').map_or(0, |i| i + 1)
            };
            let rest = text[cut.min(text.len())..].trim_start().to_string();
            let start = span.end - rest.len().min(span.end - span.start);
            *text = rest;
            *span = start..span.end;
            if text.is_empty() {
                content.remove(0);
            }
        } else if let Inline::Text(text, _) = &mut content[0] {
            *text = text.trim_start().to_string();
        }
        break;
    }
    while matches!(content.first(), Some(Inline::SoftBreak | Inline::HardBreak)) {
        content.remove(0);
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::parse;

    /// An entry for the block at `source`, as the incident loader makes it.
    fn entry(source: Span) -> TimelineEntry {
        let t = chrono::DateTime::parse_from_rfc3339("2020-03-16T14:18:00-07:00").unwrap();
        TimelineEntry::new(t, None, source)
    }

    #[test]
    fn prose_between_entries_stays_in_place() {
        let body =
            "- [14:18] One\n- [14:20] Two\n\n### After midnight\n\nA note.\n\n- [00:10] Three\n";
        let mut parsed = parse(body);
        let spans: Vec<Span> = match (&parsed.doc.blocks[0], &parsed.doc.blocks[3]) {
            (Block::List { items: a, .. }, Block::List { items: b, .. }) => {
                a.iter().chain(b).map(|i| i.span.clone()).collect()
            }
            other => panic!("{other:?}"),
        };
        let mut entries: Vec<TimelineEntry> = spans.into_iter().map(entry).collect();
        place(&mut parsed.doc, &mut entries, body);
        let kinds: Vec<&str> = parsed
            .doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Timeline { .. } => "timeline",
                Block::Heading(_) => "heading",
                Block::Paragraph { .. } => "paragraph",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["timeline", "heading", "paragraph", "timeline"]);
        assert!(matches!(&parsed.doc.blocks[3], Block::Timeline { entries } if *entries == (2..3)));
        assert_eq!(
            entries.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
            ["One", "Two", "Three"]
        );
    }

    #[test]
    fn the_stamp_leaves_the_content_and_markup_stays() {
        let body = "[14:18] The *watch* fired.[^1]\n\n[^1]: A note.\n";
        let mut parsed = parse(body);
        let Block::Paragraph { span, .. } = &parsed.doc.blocks[0] else {
            panic!()
        };
        let mut entries = vec![entry(span.clone())];
        place(&mut parsed.doc, &mut entries, body);
        assert!(
            matches!(&entries[0].content[..], [Inline::Text(t, _), Inline::Emph(_), Inline::Text(_, _), Inline::Note(0)] if t == "The ")
        );
        assert_eq!(entries[0].text, "The watch fired.");
    }
}
