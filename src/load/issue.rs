//! Issues (`issues/<slug>/issue.toml`) and the pieces a folder lists.

use std::collections::BTreeSet;
use std::path::Path;

use super::{is_slug, piece, read_text, settings, slugify};
use crate::diagnostic::{Code, Diagnostic, FileId, Sources, did_you_mean};
use crate::model::{Issue, Piece, PieceStatus, Span, Spanned};

/// Loads one issue folder and its pieces.
pub fn load_issue(
    root: &Path,
    slug: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Issue> {
    let dir = crate::edition::ids::issue_folder(slug);
    if !is_slug(slug) {
        diags.push(
            Diagnostic::at_path(
                Code::InvalidSlug,
                &dir,
                format!("the issue folder `{slug}` is not a URL-safe name"),
            )
            .hint(format!(
                "rename the folder to `{}` (lowercase letters, digits and hyphens)",
                slugify(slug)
            )),
        );
    }
    let toml_path = dir.join("issue.toml");
    if !root.join(&toml_path).exists() {
        diags.push(
            Diagnostic::at_path(
                Code::MissingIssueToml,
                &toml_path,
                format!("the issue folder `{slug}` has no issue.toml"),
            )
            .hint(format!(
                "create {} with number, title, date and pieces (`pir new issue {slug}` writes one)",
                toml_path.display()
            )),
        );
        return None;
    }
    let file = read_text(root, &toml_path, sources, diags)?;
    let node = settings::parse(file, sources.text(file), diags)?;
    let s = settings::issue(file, &node, diags);
    let pieces = load_pieces(
        root,
        &dir,
        file,
        &s.pieces,
        s.pieces_span.clone(),
        sources,
        diags,
    );
    if s.status == crate::model::Status::Published {
        unfinished_pieces(&pieces, file, &s.pieces, "its issue", diags);
    }
    Some(Issue {
        slug: slug.to_string(),
        file,
        number: s.number?,
        title: s.title?,
        date: s.date?,
        status: s.status,
        editors: s.editors,
        pages: s.pages,
        summary: s.summary,
        next_issue: s.next_issue,
        pieces,
    })
}

/// Loads the pieces a folder's settings list, in order, and reports the
/// listed files that are missing and the Markdown files nobody listed.
pub fn load_pieces(
    root: &Path,
    dir: &Path,
    file: FileId,
    entries: &[Spanned<String>],
    list_span: Option<Span>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Piece> {
    let on_disk = markdown_files(&root.join(dir));
    let mut pieces = Vec::new();
    for entry in entries {
        let name = &entry.value;
        let stem = name.strip_suffix(".md");
        if name.contains(['/', '\\']) || stem.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    file,
                    entry.span.clone(),
                    format!("`{name}` is not the name of a Markdown file in this folder"),
                )
                .hint("list file names such as \"discord.md\"; pieces live directly in the issue folder"),
            );
            continue;
        }
        let stem = stem.unwrap_or_default();
        if !on_disk.contains(name) {
            let best = did_you_mean(name, on_disk.iter().map(String::as_str));
            let hint = match best {
                Some(best) => format!("did you mean \"{best}\"?"),
                None => format!(
                    "create {} or remove it from `pieces`",
                    dir.join(name).display()
                ),
            };
            let mut d = Diagnostic::new(
                Code::PieceMissing,
                file,
                entry.span.clone(),
                format!("`{name}` does not exist in {}", dir.display()),
            )
            .hint(hint);
            if let Some(best) = best {
                d = d.suggest_value(entry.span.clone(), name, best);
            }
            diags.push(d);
            continue;
        }
        if !is_slug(stem) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidSlug,
                    file,
                    entry.span.clone(),
                    format!("`{name}` is not a URL-safe file name"),
                )
                .hint(format!(
                    "rename it to `{}.md` (lowercase letters, digits and hyphens)",
                    slugify(stem)
                )),
            );
        }
        let Some(piece_file) = read_text(root, &dir.join(name), sources, diags) else {
            continue;
        };
        let text = sources.text(piece_file).to_string();
        if let Some(mut piece) = piece::load(piece_file, stem, &text, diags) {
            piece.path = sources.path(piece_file).to_path_buf();
            pieces.push(piece);
        }
    }
    for name in on_disk.iter().filter(|_| list_span.is_some()) {
        if !entries.iter().any(|p| &p.value == name) {
            diags.push(
                Diagnostic::new(
                    Code::PieceUnlisted,
                    file,
                    list_span.clone().unwrap_or(0..0),
                    format!("`{name}` is in the folder but not in `pieces`, so it would not be published"),
                )
                .hint(format!("add \"{name}\" to `pieces` in reading order, or move it out of {}", dir.display())),
            );
        }
    }
    pieces
}

/// Reports each piece that is not final in a folder that is published
/// (`whose` says which: "its issue", "this pocket zine"), at its `status`,
/// with the line that lists it.
pub fn unfinished_pieces(
    pieces: &[Piece],
    list_file: FileId,
    entries: &[Spanned<String>],
    whose: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for piece in pieces {
        let (Some(span), Some(_)) = (&piece.status_span, piece.status.mark()) else {
            continue;
        };
        let name = format!("{}.md", piece.slug);
        let mut d = Diagnostic::new(
            Code::PieceNotFinal,
            piece.file,
            span.clone(),
            format!(
                "`{name}` is {} (status = \"{}\"), but {whose} is published",
                if piece.status == PieceStatus::Review { "in review" } else { "still a draft" },
                piece.status.name()
            ),
        )
        .label("not final")
        .hint("set `status = \"final\"` once its review is done, or keep the issue a draft (`status = \"draft\"` in issue.toml) until then")
        .suggest_value(span.clone(), piece.status.name(), "final");
        if let Some(entry) = entries.iter().find(|e| e.value == name) {
            d = d.related(list_file, entry.span.clone(), "listed here");
        }
        diags.push(d);
    }
}

/// The `.md` files directly in `dir`.
fn markdown_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect()
}
