//! Unfinished work made visible: what `pir new` and `pir init` wrote as an
//! example and the writer has not replaced yet, and required sections that
//! are only a heading.
//!
//! The skeletons are the reference: a passage counts as unfinished when it
//! is, word for word, one that pir wrote (see [`crate::skeleton`]). These are
//! warnings, so a draft still builds; `pir check --deny-warnings` fails on
//! them before an issue goes out.

use crate::diagnostic::{Code, Diagnostic, Sources};
use crate::model::Piece;

/// Warns about the skeleton passages left in a piece's body: one warning at
/// the first, the others listed with it.
pub fn skeleton_passages(piece: &Piece, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let text = sources.text(piece.file);
    let body = &text[piece.body_offset.min(text.len())..];
    let mut found: Vec<(usize, &str)> = Vec::new();
    for passage in crate::skeleton::skeleton_passages() {
        found.extend(
            body.match_indices(passage)
                .map(|(at, p)| (piece.body_offset + at, p)),
        );
    }
    found.sort();
    let Some(&(first, passage)) = found.first() else {
        return;
    };
    let (message, which) = match found.len() {
        1 => (
            "this is the example text pir wrote, not yours yet".to_string(),
            "it",
        ),
        n => (
            format!("{n} passages are still the example text pir wrote, not yours yet"),
            "each",
        ),
    };
    let mut d = Diagnostic::new(
        Code::SkeletonText,
        piece.file,
        first..first + passage.len(),
        message,
    )
    .hint(format!(
        "replace {which} with your own words, or delete it; `pir prompts` helps with the story"
    ));
    for &(at, p) in &found[1..] {
        d = d.related(piece.file, at..at + p.len(), "also the example text");
    }
    diags.push(d);
}

/// Warns about an illustration whose drawing is still the example `pir new` wrote beside it.
pub fn example_drawing(root: &std::path::Path, piece: &Piece, diags: &mut Vec<Diagnostic>) {
    let Some(image) = &piece.image else {
        return;
    };
    let dir = piece.path.parent().unwrap_or(std::path::Path::new(""));
    let Some(rel) = crate::files::inside(dir, &image.path) else {
        return;
    };
    let example = crate::skeleton::ILLUSTRATION_SVG.as_bytes();
    if std::fs::read(root.join(rel)).is_ok_and(|bytes| bytes == example) {
        diags.push(
            Diagnostic::new(
                Code::SkeletonText,
                piece.file,
                image.span.clone(),
                format!("{} is still the example drawing pir wrote", image.path),
            )
            .hint(
                "replace the file with your own drawing (SVG, PNG or JPEG), or point `image` at it",
            ),
        );
    }
}

/// Warns about each required section of an incident that is only a heading
/// (comments do not count as content). An empty Timeline is E308 already.
pub fn empty_sections(piece: &Piece, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let text = sources.text(piece.file);
    for (i, h) in piece.headings.iter().enumerate() {
        let Some(name) =
            crate::load::incident::required_section(&h.text).filter(|n| *n != "Timeline")
        else {
            continue;
        };
        let end = piece.headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text.len(), |n| n.span.start);
        let start = h.span.end.min(end);
        if without_comments(&text[start..end]).trim().is_empty() {
            diags.push(
                Diagnostic::new(Code::EmptySection, piece.file, h.span.clone(), format!("the {name} section is empty"))
                    .hint(format!("write the {name} section, or say in a sentence why there is nothing to put in it yet")),
            );
        }
    }
}

/// A text with its HTML comments removed.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        rest = rest[open..]
            .find("-->")
            .map_or("", |close| &rest[open + close + 3..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_not_content() {
        assert_eq!(without_comments("a<!-- b -->c<!-- d"), "ac");
        assert!(
            without_comments("\n<!-- write here -->\n\n")
                .trim()
                .is_empty()
        );
    }
}
