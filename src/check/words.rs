//! A piece's prose as runs of words, for the hints that read sentences.
//!
//! Each paragraph, list item text, table cell, timeline entry and footnote
//! paragraph becomes one [`Run`]: its plain text as a reader reads it (the
//! cast's `@mentions` kept as `@id`, code replaced by a placeholder), split
//! into words that know whether they are inside quoted speech and whether a
//! clause break comes before them. A run maps a range of its text back to
//! the writer's Markdown, so a hint points at the exact words. Headings,
//! code blocks, block quotes and raw HTML are not prose a hint reads.

use std::ops::Range;

use crate::model::doc::{Block, Inline};
use crate::model::{Piece, Span, TimelineEntry};

/// What a part of a run's text came from.
#[derive(Debug, Clone)]
enum Origin {
    /// A text node and its span in the body.
    Text(Span),
    /// A cast member's `@mention`.
    Mention,
    /// Code, an image or raw HTML: not words.
    Opaque,
}

/// A part of a run's text and where it came from.
#[derive(Debug, Clone)]
struct Seg {
    at: Range<usize>,
    origin: Origin,
}

/// One word of a run.
#[derive(Debug, Clone)]
pub struct Tok {
    /// Lowercase, with typographic apostrophes made plain (`it's`).
    pub lower: String,
    /// Where it is in the run's text.
    pub at: Range<usize>,
    /// Inside quoted speech (“...”).
    pub quoted: bool,
    /// A clause break (punctuation, the start of the run) comes before it.
    pub brk: bool,
    /// A cast member's `@mention`.
    pub mention: bool,
}

/// A paragraph's words and the way back to the body.
pub struct Run<'a> {
    body: &'a str,
    pub text: String,
    segs: Vec<Seg>,
    pub toks: Vec<Tok>,
}

/// Placeholder for code in a run's text: a word that is no English word.
const CODE: char = '\u{FFFC}';

impl Run<'_> {
    /// The exact body span of a range of the run's text, when it lies in one text node.
    pub fn span(&self, range: Range<usize>) -> Option<Span> {
        let seg = self
            .segs
            .iter()
            .find(|s| s.at.start <= range.start && range.end <= s.at.end)?;
        let Origin::Text(source) = &seg.origin else {
            return None;
        };
        let node = &self.text[seg.at.clone()];
        let local = range.start - seg.at.start..range.end - seg.at.start;
        let written = self.body.get(source.clone())?;
        if written == node {
            return Some(source.start + local.start..source.start + local.end);
        }
        // Typographic quotes and escapes change the bytes: find the same occurrence in the source.
        let plain = |s: &str| s.replace(['\u{2019}', '\u{2018}'], "'");
        let words = plain(&node[local.clone()]);
        let nth = plain(&node[..local.start])
            .to_lowercase()
            .matches(&words.to_lowercase())
            .count();
        let at = find_nth(written, &words, nth)?;
        Some(source.start + at..source.start + at + words.len())
    }

    /// The words of a range as the writer wrote them (the source, when `span` is exactly theirs).
    pub fn written(&self, range: Range<usize>, span: &Span, exact: bool) -> String {
        match self.body.get(span.clone()) {
            Some(source) if exact => source.to_string(),
            _ => self.text[range].to_string(),
        }
    }

    /// The body span that covers a range of the run's text, exact or not (for pointing, never for editing).
    pub fn near(&self, range: Range<usize>) -> Option<Span> {
        let spans: Vec<&Span> = self
            .segs
            .iter()
            .filter(|s| s.at.start < range.end && range.start < s.at.end)
            .filter_map(|s| match &s.origin {
                Origin::Text(span) => Some(span),
                _ => None,
            })
            .collect();
        Some(spans.first()?.start..spans.last()?.end)
    }
}

/// The byte offset of the `nth` (0-based) ASCII-case-insensitive occurrence of `needle` in `hay`.
fn find_nth(hay: &str, needle: &str, nth: usize) -> Option<usize> {
    let n = needle.len();
    if n == 0 {
        return None;
    }
    (0..=hay.len().saturating_sub(n))
        .filter(|&i| hay.is_char_boundary(i) && hay.is_char_boundary(i + n))
        .filter(|&i| hay.as_bytes()[i..i + n].eq_ignore_ascii_case(needle.as_bytes()))
        .nth(nth)
}

/// Every run of prose in a piece, in reading order.
pub fn runs(piece: &Piece) -> Vec<Run<'_>> {
    let timeline: &[TimelineEntry] = piece.incident.as_ref().map_or(&[], |i| &i.timeline);
    let mut out = Vec::new();
    blocks(&piece.body, &piece.doc.blocks, timeline, &mut out);
    for note in &piece.doc.footnotes {
        blocks(&piece.body, &note.blocks, timeline, &mut out);
    }
    out
}

/// The runs of some blocks.
fn blocks<'a>(body: &'a str, list: &[Block], timeline: &[TimelineEntry], out: &mut Vec<Run<'a>>) {
    for block in list {
        match block {
            Block::Paragraph { content, .. } => out.push(run(body, content)),
            Block::List { items, .. } => {
                for item in items {
                    blocks(body, &item.blocks, timeline, out);
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    out.push(run(body, cell));
                }
            }
            Block::Timeline { entries } => {
                for entry in timeline.get(entries.clone()).unwrap_or(&[]) {
                    out.push(run(body, &entry.content));
                    blocks(body, &entry.more, timeline, out);
                }
            }
            // Headings, quotes, code and raw HTML are not the writer's own prose to judge.
            Block::Heading(_)
            | Block::Quote(_)
            | Block::Code { .. }
            | Block::Html(_)
            | Block::Rule => {}
        }
    }
}

/// One run from inline content.
fn run<'a>(body: &'a str, content: &[Inline]) -> Run<'a> {
    let mut r = Run {
        body,
        text: String::new(),
        segs: Vec::new(),
        toks: Vec::new(),
    };
    inlines(content, &mut r);
    r.toks = tokens(&r.text, &r.segs);
    r
}

/// Appends inline content to a run's text.
fn inlines(content: &[Inline], r: &mut Run<'_>) {
    let push = |r: &mut Run<'_>, text: &str, origin: Origin| {
        let start = r.text.len();
        r.text.push_str(text);
        r.segs.push(Seg {
            at: start..r.text.len(),
            origin,
        });
    };
    for inline in content {
        match inline {
            Inline::Text(t, span) => push(r, t, Origin::Text(span.clone())),
            Inline::Code(_) => push(r, &CODE.to_string(), Origin::Opaque),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inlines(c, r),
            Inline::Link { content, .. } => inlines(content, r),
            Inline::Mention { id, .. } => push(r, &format!("@{id}"), Origin::Mention),
            Inline::Image { .. } | Inline::Html(_) => push(r, " ", Origin::Opaque),
            Inline::SoftBreak | Inline::HardBreak => push(r, " ", Origin::Opaque),
            Inline::Note(_) => {}
        }
    }
}

/// Whether a character belongs to a word.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '-' | '@' | '_' | CODE)
}

/// The words of a run's text.
fn tokens(text: &str, segs: &[Seg]) -> Vec<Tok> {
    let mentions: Vec<&Range<usize>> = segs
        .iter()
        .filter(|s| matches!(s.origin, Origin::Mention))
        .map(|s| &s.at)
        .collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut quoted = false;
    let mut brk = true;
    let mut start: Option<usize> = None;
    let finish = |from: usize, to: usize, quoted: bool, brk: &mut bool, out: &mut Vec<Tok>| {
        let word = &text[from..to];
        let trimmed = word.trim_start_matches(['\'', '\u{2019}', '-']);
        let from = from + (word.len() - trimmed.len());
        let trimmed = trimmed.trim_end_matches(['\'', '\u{2019}', '-']);
        let to = from + trimmed.len();
        if trimmed.is_empty() {
            return;
        }
        out.push(Tok {
            lower: trimmed.to_lowercase().replace('\u{2019}', "'"),
            at: from..to,
            quoted,
            brk: *brk,
            mention: mentions.iter().any(|m| m.start <= from && to <= m.end),
        });
        *brk = false;
    };
    for (i, c) in text.char_indices() {
        if word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            finish(s, i, quoted, &mut brk, &mut out);
        }
        match c {
            '\u{201C}' => quoted = true,
            '\u{201D}' => quoted = false,
            '"' => quoted = !quoted,
            _ => {}
        }
        if !c.is_whitespace() {
            brk = true;
        }
    }
    if let Some(s) = start {
        finish(s, text.len(), quoted, &mut brk, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(body: &str) -> Vec<(String, bool, bool)> {
        let parsed = crate::load::markdown::parse(body);
        let mut out = Vec::new();
        blocks(body, &parsed.doc.blocks, &[], &mut out);
        out.iter()
            .flat_map(|r| r.toks.iter().map(|t| (t.lower.clone(), t.quoted, t.brk)))
            .collect()
    }

    #[test]
    fn words_know_quotes_and_clause_breaks() {
        let found = words(
            "He said \"we *should* have\", then `x` it's.\n\n# Heading words\n\n> quoted block\n",
        );
        let plain: Vec<&str> = found.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(
            plain,
            [
                "he", "said", "we", "should", "have", "then", "\u{FFFC}", "it's"
            ]
        );
        assert!(found[2].1 && found[4].1 && !found[5].1, "{found:?}");
        assert!(
            found[5].2 && !found[4].2,
            "a comma breaks the clause: {found:?}"
        );
    }

    #[test]
    fn a_range_maps_back_to_the_source_through_smart_quotes() {
        let body = "It's the team's call: we should have waited.\n";
        let parsed = crate::load::markdown::parse(body);
        let mut out = Vec::new();
        blocks(body, &parsed.doc.blocks, &[], &mut out);
        let r = &out[0];
        let at = r.text.find("should have").unwrap();
        let span = r.span(at..at + "should have".len()).unwrap();
        assert_eq!(&body[span], "should have");
        let at = r.text.find("team\u{2019}s").unwrap();
        let span = r.span(at..at + "team\u{2019}s".len()).unwrap();
        assert_eq!(&body[span], "team's");
    }
}
