//! Loading a zine project from disk into the model, file by file.
//!
//! Everything that can be said about one file on its own (syntax, schema,
//! the timeline notation) is reported here, and loading goes on past every
//! problem so that `pir check` can list them all. Rules that compare files
//! or look at the file system live in `check`.

pub mod cast;
pub mod entries;
pub mod fields;
pub mod incident;
pub mod issue;
pub mod markdown;
pub mod piece;
pub mod pocket;
pub mod settings;
pub mod timeline;
pub mod value;
pub mod zones;

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, FileId, Overlay, Sources};
use crate::model::Project;

/// A loaded project with the text of its files and what loading found.
pub struct Loaded {
    pub project: Project,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
}

/// Reads a project rooted at `root` (the folder holding `zine.toml`).
pub fn load(root: &Path) -> Loaded {
    load_with(root, Overlay::new())
}

/// Reads a project, taking the text of the files in `overlay` (an editor's
/// unsaved buffers, by project-relative path) from there instead of the disk.
pub fn load_with(root: &Path, overlay: Overlay) -> Loaded {
    let mut sources = Sources::with_overlay(overlay);
    let mut diags = Vec::new();
    let site_file = read_text(root, Path::new("zine.toml"), &mut sources, &mut diags);
    let site = match site_file
        .and_then(|id| settings::parse(id, sources.text(id), &mut diags).map(|n| (id, n)))
    {
        Some((id, node)) => settings::site(id, &node, &mut diags),
        None => crate::model::Site::default(),
    };
    let mut issues = Vec::new();
    for (issue, folder, said) in issue_folders(root, &sources, &mut diags) {
        let base = sources.append(folder);
        diags.extend(said.into_iter().map(|d| d.shifted(base)));
        if let Some(mut issue) = issue {
            issue.file += base;
            for piece in &mut issue.pieces {
                piece.file += base;
            }
            issues.push(issue);
        }
    }
    issues.sort_by_key(|i| (i.date.value, i.number.value));
    let mut pockets = Vec::new();
    for slug in folders(root, crate::files::POCKETS, &mut diags) {
        if let Some(p) = pocket::load_pocket(root, &slug, &mut sources, &mut diags) {
            pockets.push(p);
        }
    }
    Loaded {
        project: Project {
            root: root.to_path_buf(),
            site,
            issues,
            pockets,
        },
        sources,
        diags,
    }
}

/// Loads every issue folder, each into its own store, in parallel (the
/// largest part of a check); the caller appends them in the folders' order,
/// so file ids and diagnostics come out as from one loop.
fn issue_folders(
    root: &Path,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Option<crate::model::Issue>, Sources, Vec<Diagnostic>)> {
    use rayon::prelude::*;
    let slugs = folders(root, crate::files::ISSUES, diags);
    slugs
        .par_iter()
        .map(|slug| {
            let mut folder = sources.sibling();
            let mut said = Vec::new();
            let issue = issue::load_issue(root, slug, &mut folder, &mut said);
            (issue, folder, said)
        })
        .collect()
}

/// The folder names under `issues/` (or `pocket/`), sorted; hidden folders are skipped.
fn folders(root: &Path, parent: &str, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let dir = root.join(parent);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            diags.push(Diagnostic::at_path(
                Code::Io,
                parent,
                format!("cannot read the {parent} folder: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Whether a name is a URL-safe slug: lowercase letters and digits joined by single hyphens.
pub fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Turns any text into a slug suggestion ("March 2020" -> "march-2020").
pub fn slugify(name: &str) -> String {
    let lowered: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("-")
}

/// The largest text file pir reads: far above any piece, far below what would stall it.
pub const MAX_TEXT: u64 = 2 << 20;

/// Reads a file as UTF-8 text (its unsaved text if `sources` has one), dropping a byte-order mark; reports what fails.
pub fn read_text(
    root: &Path,
    rel: &Path,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    if let Some(text) = sources.unsaved(rel) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
        return Some(sources.add(rel, text));
    }
    if let Ok(meta) = std::fs::metadata(root.join(rel))
        && meta.len() > MAX_TEXT
    {
        let message = format!(
            "{} is {:.1} MiB; pir reads text files up to {} MiB",
            rel.display(),
            meta.len() as f64 / (1024.0 * 1024.0),
            MAX_TEXT >> 20
        );
        diags.push(
            Diagnostic::at_path(Code::FileTooLarge, rel, message)
                .hint("split it into pieces, or check that it is the file you meant"),
        );
        return None;
    }
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::at_path(
                Code::Io,
                rel,
                format!("cannot read {}: {e}", rel.display()),
            ));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(sources.add(rel, text.to_string())),
        Err(e) => {
            let at = e.valid_up_to();
            let id = sources.add(rel, String::from_utf8_lossy(bytes).into_owned());
            diags.push(
                Diagnostic::new(
                    Code::NotUtf8,
                    id,
                    at..at + 1,
                    format!("{} is not valid UTF-8 (byte {at})", rel.display()),
                )
                .label("invalid byte here")
                .hint("save the file as UTF-8 in your editor"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("march-2020"));
        assert!(is_slug("discord"));
        for bad in ["", "March-2020", "march_2020", "-a", "a-", "a--b", "été"] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert_eq!(slugify("March 2020"), "march-2020");
        assert_eq!(slugify("editors_note"), "editors-note");
    }
}
