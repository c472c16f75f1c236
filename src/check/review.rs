//! The review checklist: what a post-incident review looks for before a
//! write-up is final, asked of every incident whose `status` is `review`.
//!
//! After the criteria of Google's SRE book for a postmortem: the impact is
//! stated (the required `impact`, W801 while it is pir's example), when it
//! was detected and resolved (the key moments; `resolved` is required), the
//! contributing factors (an analysis of more than one paragraph, item or
//! subsection) and the action items (a list, one change per item, so that
//! each can have an owner). A review also needs someone to do it: the piece
//! names its `reviewers`. Each missing part is a warning, so `pir check
//! --deny-warnings` fails until the review has what it needs.

use crate::diagnostic::{Code, Diagnostic, Sources};
use crate::load::incident::required_section;
use crate::model::doc::{Block, plain};
use crate::model::{Incident, KeyMomentKind, Piece, PieceStatus, Span};

/// The checklist's warnings for one incident in review.
pub fn checklist(
    piece: &Piece,
    incident: &Incident,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    if piece.status != PieceStatus::Review {
        return;
    }
    // Hints in the front matter's own syntax.
    let yaml = sources.text(piece.file).starts_with("---");
    let key = |toml: &str| {
        if yaml {
            toml.replacen(" = ", ": ", 1)
        } else {
            toml.to_string()
        }
    };
    let status = piece.status_span.clone().unwrap_or(0..0);
    let warn = |span: Span, message: &str, hint: &str| {
        Diagnostic::new(
            Code::ReviewChecklist,
            piece.file,
            span,
            format!("review checklist: {message}"),
        )
        .hint(hint.to_string())
    };
    if piece.reviewers.is_empty() {
        diags.push(warn(
            status.clone(),
            "nobody is named to review this write-up",
            &format!(
                "name who reviews it: `{}`",
                key("reviewers = [\"A. Reviewer\"]")
            ),
        ));
    }
    if !incident
        .key_moments
        .iter()
        .any(|m| m.kind == KeyMomentKind::Detected)
    {
        diags.push(warn(
            status,
            "it does not say when the incident was detected",
            &format!(
                "add `{}` under key_moments, the time of the entry where someone noticed",
                key("detected = \"HH:MM\"")
            ),
        ));
    }
    let shift = |s: &Span| s.start + piece.body_offset..s.end + piece.body_offset;
    if let Some((heading, parts)) = section(piece, "Investigation and analysis")
        && parts.units == 1
    {
        diags.push(warn(
            shift(&heading),
            "the analysis is a single passage: which conditions together made the incident possible?",
            "name the contributing factors, one paragraph, list item or subsection each",
        ));
    }
    if let Some((heading, parts)) = section(piece, "Action items")
        && parts.units > 0
        && parts.list_items == 0
    {
        diags.push(warn(
            shift(&heading),
            "the action items are not a list",
            "write one change per list item (`1. ...`), so each can have an owner and be followed up",
        ));
    }
}

/// What a section holds: paragraphs, list items and subheadings, and how many list items.
struct Parts {
    units: usize,
    list_items: usize,
}

/// The heading of a required section (its span in the body) and what is under it.
fn section(piece: &Piece, name: &str) -> Option<(Span, Parts)> {
    let blocks = &piece.doc.blocks;
    let at = blocks.iter().position(
        |b| matches!(b, Block::Heading(h) if required_section(&plain(&h.content)) == Some(name)),
    )?;
    let Block::Heading(h) = &blocks[at] else {
        return None;
    };
    let mut parts = Parts {
        units: 0,
        list_items: 0,
    };
    for block in &blocks[at + 1..] {
        match block {
            Block::Heading(n) if n.level <= h.level => break,
            Block::Heading(_)
            | Block::Paragraph { .. }
            | Block::Quote(_)
            | Block::Code { .. }
            | Block::Table { .. } => parts.units += 1,
            Block::List { items, .. } => {
                parts.units += items.len();
                parts.list_items += items.len();
            }
            Block::Timeline { entries } => parts.units += entries.len(),
            Block::Html(_) | Block::Rule => {}
        }
    }
    // An empty section is W802 already.
    (parts.units > 0).then_some((h.span.clone(), parts))
}
