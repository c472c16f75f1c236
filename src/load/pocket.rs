//! Pocket zines (`pocket/<slug>/pocket.toml`): eight small pages on one sheet.

use std::path::Path;

use super::issue::load_pieces;
use super::{is_slug, read_text, settings, slugify};
use crate::diagnostic::{Code, Diagnostic, Sources};
use crate::load::fields::Fields;
use crate::model::Pocket;

/// Keys of `pocket.toml`.
pub const POCKET_KEYS: &[&str] = &["title", "date", "summary", "pieces"];

/// The most pages one sheet holds.
pub const MAX_PAGES: usize = 8;

/// Loads one pocket zine folder.
pub fn load_pocket(
    root: &Path,
    slug: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pocket> {
    let dir = crate::edition::ids::pocket_folder(slug);
    if !is_slug(slug) {
        let hint = format!(
            "rename the folder to `{}` (lowercase letters, digits and hyphens)",
            slugify(slug)
        );
        diags.push(
            Diagnostic::at_path(
                Code::InvalidSlug,
                &dir,
                format!("the pocket zine folder `{slug}` is not a URL-safe name"),
            )
            .hint(hint),
        );
    }
    let toml_path = dir.join("pocket.toml");
    if !root.join(&toml_path).exists() {
        let hint = format!("create {} with title, date and pieces", toml_path.display());
        diags.push(
            Diagnostic::at_path(
                Code::MissingIssueToml,
                &toml_path,
                format!("the pocket zine folder `{slug}` has no pocket.toml"),
            )
            .hint(hint),
        );
        return None;
    }
    let file = read_text(root, &toml_path, sources, diags)?;
    let node = settings::parse(file, sources.text(file), diags)?;
    let mut f = Fields::new(file, &node, "pocket.toml", diags).insert_missing_at(0, false);
    let title = f.str("title", "title = \"A title for the pocket zine\"");
    let date = f.date("date", "date = 2020-03-01");
    let summary = f.opt_str("summary");
    let example = crate::skeleton::pocket_summary_placeholder();
    f.placeholder(
        "summary",
        summary.as_ref(),
        example,
        "one sentence on this pocket zine",
    );
    let summary = summary.map(|s| s.value);
    let pieces_span = f.key_span("pieces");
    let entries = match f.opt_str_list("pieces") {
        Some(list) => list,
        None => {
            if pieces_span.is_none() {
                f.missing(
                    "pieces",
                    "pieces = [\"cover.md\", ...] (one file per page, in order)",
                );
            }
            Vec::new()
        }
    };
    f.finish(POCKET_KEYS, &[]);
    if entries.len() > MAX_PAGES {
        let span = pieces_span.clone().unwrap_or(0..0);
        let message = format!(
            "a pocket zine holds {MAX_PAGES} pages, and this one lists {}",
            entries.len()
        );
        diags.push(
            Diagnostic::new(Code::InvalidValue, file, span, message)
                .hint("cut it down to 8 pages, or make it an issue (a booklet of any length)"),
        );
    }
    let pieces = load_pieces(root, &dir, file, &entries, pieces_span, sources, diags);
    super::issue::unfinished_pieces(&pieces, file, &entries, "this pocket zine", diags);
    Some(Pocket {
        slug: slug.to_string(),
        file,
        title: title?.value,
        date: date?,
        summary,
        pieces,
    })
}
