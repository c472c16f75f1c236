//! Loading a zine project from disk into the model, file by file.
//!
//! Everything that can be said about one file on its own (syntax, schema,
//! the timeline notation) is reported here, and loading goes on past every
//! problem so that `pir check` can list them all. Rules that compare files
//! or look at the file system live in `check`.

pub mod fields;
pub mod incident;
pub mod markdown;
pub mod piece;
pub mod settings;
pub mod timeline;
pub mod value;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, FileId, Sources, did_you_mean};
use crate::model::{Issue, Project};

/// A loaded project with the text of its files and what loading found.
pub struct Loaded {
    pub project: Project,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
}

/// Reads a project rooted at `root` (the folder holding `zine.toml`).
pub fn load(root: &Path) -> Loaded {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let site_file = read_text(root, Path::new("zine.toml"), &mut sources, &mut diags);
    let site = match site_file
        .and_then(|id| settings::parse(id, sources.text(id), &mut diags).map(|n| (id, n)))
    {
        Some((id, node)) => settings::site(id, &node, &mut diags),
        None => settings::site(
            usize::MAX,
            &value::Node {
                value: value::Value::Table(Vec::new()),
                span: 0..0,
            },
            &mut Vec::new(),
        ),
    };
    let mut issues = Vec::new();
    for slug in issue_folders(root, &mut diags) {
        if let Some(issue) = load_issue(root, &slug, &mut sources, &mut diags) {
            issues.push(issue);
        }
    }
    issues.sort_by_key(|i| (i.date.value, i.number.value));
    Loaded {
        project: Project {
            root: root.to_path_buf(),
            site,
            issues,
        },
        sources,
        diags,
    }
}

/// The folder names under `issues/`, sorted; hidden folders are skipped.
fn issue_folders(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let dir = root.join("issues");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            diags.push(Diagnostic::at_path(
                Code::Io,
                "issues",
                format!("cannot read the issues folder: {e}"),
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

/// Loads one issue folder and its pieces.
fn load_issue(
    root: &Path,
    slug: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Issue> {
    let dir = PathBuf::from("issues").join(slug);
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
    let on_disk = markdown_files(&root.join(&dir));
    let mut pieces = Vec::new();
    for entry in &s.pieces {
        let name = &entry.value;
        let stem = name.strip_suffix(".md");
        if name.contains(['/', '\\']) || stem.is_none() {
            diags.push(
                Diagnostic::new(Code::InvalidValue, file, entry.span.clone(), format!("`{name}` is not the name of a Markdown file in this folder"))
                    .hint("list file names such as \"discord.md\"; pieces live directly in the issue folder"),
            );
            continue;
        }
        let stem = stem.unwrap_or_default();
        if !on_disk.contains(name) {
            let hint = match did_you_mean(name, on_disk.iter().map(String::as_str)) {
                Some(best) => format!("did you mean \"{best}\"?"),
                None => format!(
                    "create {} or remove it from `pieces`",
                    dir.join(name).display()
                ),
            };
            diags.push(
                Diagnostic::new(
                    Code::PieceMissing,
                    file,
                    entry.span.clone(),
                    format!("`{name}` does not exist in {}", dir.display()),
                )
                .hint(hint),
            );
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
        if let Some(piece) = piece::load(piece_file, stem, &text, diags) {
            pieces.push(piece);
        }
    }
    for name in &on_disk {
        if !s.pieces.iter().any(|p| &p.value == name) {
            diags.push(
                Diagnostic::new(Code::PieceUnlisted, file, s.pieces_span.clone().unwrap_or(0..0), format!("`{name}` is in the issue folder but not in `pieces`, so it would not be published"))
                    .hint(format!("add \"{name}\" to `pieces` in reading order, or move it out of {}", dir.display())),
            );
        }
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

/// Reads a file as UTF-8 text, dropping a byte-order mark; reports what fails.
pub fn read_text(
    root: &Path,
    rel: &Path,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
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
