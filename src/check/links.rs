//! Links inside the zine: to another piece, to a heading, or nowhere.
//!
//! Loading resolved each link's destination from its text; this checks it
//! against the project: the piece a link names exists (in this issue, or in
//! the issue it climbs to), the heading it names is in that piece, and a
//! relative link that is neither leads nowhere and is an error rather than
//! a dead link on the site and plain text on paper.

use crate::diagnostic::{Code, Diagnostic};
use crate::edition::ids::Folder;
use crate::model::doc::{self, Inline, Target};
use crate::model::{Piece, Project, Span};

/// Reports every link of `piece` that leads nowhere; `folder` is where it lives
/// (an issue's or a pocket zine's) and `siblings` the pieces beside it.
pub fn check(
    project: &Project,
    folder: &Folder,
    siblings: &[Piece],
    piece: &Piece,
    diags: &mut Vec<Diagnostic>,
) {
    let mut found: Vec<(Target, Span, String)> = Vec::new();
    let mut collect = |i: &Inline| {
        if let Inline::Link {
            target, span, dest, ..
        } = i
        {
            found.push((target.clone(), span.clone(), dest.clone()));
        }
    };
    doc::each_inline(&piece.doc.blocks, &mut collect);
    for note in &piece.doc.footnotes {
        doc::each_inline(&note.blocks, &mut collect);
    }
    for entry in piece.incident.iter().flat_map(|i| &i.timeline) {
        doc::each_inline_of(&entry.content, &mut collect);
        doc::each_inline(&entry.more, &mut collect);
    }
    for (target, span, dest) in found {
        one(
            project,
            folder,
            siblings,
            piece,
            (&target, &span, &dest),
            diags,
        );
    }
}

/// Checks one link.
fn one(
    project: &Project,
    folder: &Folder,
    siblings: &[Piece],
    piece: &Piece,
    (target, span, dest): (&Target, &std::ops::Range<usize>, &str),
    diags: &mut Vec<Diagnostic>,
) {
    let at = span.start + piece.body_offset..span.end + piece.body_offset;
    let broken = |message: String, hint: String| {
        Diagnostic::new(Code::LinkBroken, piece.file, at.clone(), message).hint(hint)
    };
    match target {
        Target::Web(_) => {}
        Target::Unusable(d) if d.contains(':') && !d.starts_with(['.', '/', '#']) => {} // a scheme: reported with the URLs
        Target::Unusable(_) => diags.push(broken(
            format!("the link `{dest}` leads nowhere"),
            "link to a piece by its file (`essay.md`, `../april-2020/essay.md`), to a heading (`#summary`), or to a full URL".into(),
        )),
        Target::Anchor(anchor) => {
            if let Some(d) = missing_anchor(piece, anchor, &at) {
                diags.push(d);
            }
        }
        Target::Piece { issue, piece: name, anchor } => {
            let pieces: Option<&[Piece]> = match issue {
                None => Some(siblings),
                Some(other) if *folder == Folder::Issue(other.clone()) => Some(siblings),
                Some(other) => project.issues.iter().find(|i| &i.slug == other).map(|i| i.pieces.as_slice()),
            };
            let Some(pieces) = pieces else {
                let names: Vec<&str> = project.issues.iter().map(|i| i.slug.as_str()).collect();
                diags.push(broken(
                    format!("the link `{dest}` names an issue that does not exist"),
                    format!("the issues are: {}", names.join(", ")),
                ));
                return;
            };
            let Some(target) = pieces.iter().find(|p| &p.slug == name) else {
                let names: Vec<String> = pieces.iter().map(|p| format!("{}.md", p.slug)).collect();
                diags.push(broken(
                    format!("the link `{dest}` names a piece that is not in that issue"),
                    format!("link to one of: {}", names.join(", ")),
                ));
                return;
            };
            if let Some(anchor) = anchor
                && let Some(d) = missing_anchor(target, anchor, &at)
            {
                diags.push(Diagnostic { file: Some(piece.file), ..d });
            }
        }
    }
}

/// An error when `piece` has no heading with this anchor.
fn missing_anchor(piece: &Piece, anchor: &str, at: &std::ops::Range<usize>) -> Option<Diagnostic> {
    let anchors = doc::heading_anchors(&piece.doc);
    if anchors.contains(&anchor) {
        return None;
    }
    let hint = match crate::diagnostic::did_you_mean(anchor, anchors.iter().copied()) {
        Some(best) => format!("did you mean `#{best}`?"),
        None if anchors.is_empty() => format!("{} has no headings to link to", piece.slug),
        None => format!(
            "its headings are: {}",
            anchors
                .iter()
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(
        Diagnostic::new(
            Code::LinkBroken,
            piece.file,
            at.clone(),
            format!("no heading of `{}` has the anchor `#{anchor}`", piece.slug),
        )
        .hint(hint),
    )
}
