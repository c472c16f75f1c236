//! Positions: pir counts bytes, LSP counts lines and UTF-16 code units.
//!
//! Editors that offer UTF-8 positions (`general.positionEncodings`) get
//! them; everyone else gets UTF-16, the protocol's default. A position past
//! the end of a line or of the text is clamped, as the protocol asks.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// How a client counts characters within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// How many units `c` takes in this encoding.
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The line and column of a byte offset.
pub fn position(text: &str, offset: usize, enc: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = before[start..].chars().map(|c| enc.width(c)).sum();
    Position::new(line as u32, column as u32)
}

/// The byte offset of a line and column.
pub fn offset(text: &str, pos: Position, enc: Encoding) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= pos.character as usize {
            return line_start + i;
        }
        units += enc.width(c);
    }
    line_end
}

/// The LSP range of a byte range.
pub fn range(text: &str, span: std::ops::Range<usize>, enc: Encoding) -> Range {
    Range::new(
        position(text, span.start, enc),
        position(text, span.end, enc),
    )
}

/// The byte range of an LSP range.
pub fn span(text: &str, range: Range, enc: Encoding) -> std::ops::Range<usize> {
    let start = offset(text, range.start, enc);
    start..offset(text, range.end, enc).max(start)
}

/// Applies one change from `didChange`: a range replaced, or the whole text.
pub fn apply(text: &mut String, change: &TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        Some(r) => {
            let at = span(text, r, enc);
            text.replace_range(at, &change.text);
        }
        None => text.clone_from(&change.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_twice() {
        let text = "a\n😀é x\n";
        let x = text.find('x').unwrap();
        assert_eq!(position(text, x, Encoding::Utf16), Position::new(1, 4));
        assert_eq!(position(text, x, Encoding::Utf8), Position::new(1, 7));
        assert_eq!(offset(text, Position::new(1, 4), Encoding::Utf16), x);
        assert_eq!(
            offset(text, Position::new(1, 99), Encoding::Utf16),
            text.len() - 1
        );
        assert_eq!(
            offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn changes_replace_ranges() {
        let mut text = "- [14:21] x\n".to_string();
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 3), Position::new(0, 8))),
            range_length: None,
            text: "14:17".into(),
        };
        apply(&mut text, &change, Encoding::Utf16);
        assert_eq!(text, "- [14:17] x\n");
    }
}
