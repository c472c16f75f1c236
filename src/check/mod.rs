//! Rules across files and against the file system, after loading.
//!
//! Loading already reported what is wrong inside each file. What is left
//! needs the whole project (two issues with one number) or the disk (an
//! image that is missing, or leads out of the project through `..` or a
//! symlink). `pir build` runs exactly these checks first and stops on their
//! errors; what only typesetting can find (a Typst error in a template
//! override, a page count) it reports itself.

pub mod blameless;
pub mod glyphs;
pub mod limits;
pub mod links;
pub mod narrative;
pub mod review;
pub mod unfinished;
pub mod words;

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{self, Code, Diagnostic, Overlay, Severity, Sources};
use crate::edition::ids::Folder;
use crate::load::{self, Loaded};
use crate::model::{ImageRef, Piece, Project};

/// The outcome of checking a project: the model, its sources and every problem, sorted.
pub struct Report {
    pub project: Project,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
}

impl Report {
    /// How many diagnostics have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Loads and checks the project at `root`.
pub fn check(root: &Path) -> Report {
    check_with(root, Overlay::new())
}

/// Loads and checks the project, reading the files in `overlay` from there
/// instead of the disk: what an editor shows before it is saved.
pub fn check_with(root: &Path, overlay: Overlay) -> Report {
    check_all(root, overlay, true)
}

/// Loads and checks the project for `pir build`, which shows no hints: the
/// narrative hints (a fifth of a check) are not looked for.
pub fn check_for_build(root: &Path) -> Report {
    check_all(root, Overlay::new(), false)
}

/// Loads and checks the project, the narrative hints only if `hints`.
fn check_all(root: &Path, overlay: Overlay, hints: bool) -> Report {
    let Loaded {
        project,
        sources,
        mut diags,
    } = load::load_with(root, overlay);
    // A build shows no hints, except those the zine raised to warnings or errors.
    let raised = project
        .site
        .hints
        .iter()
        .any(|(_, l)| l.is_some_and(|l| l > Severity::Hint));
    let shown_hints = hints;
    let hints = hints || raised;
    cross_file(&project, &mut diags);
    reserved_names(&project, &sources, &mut diags);
    for piece in project.pockets.iter().flat_map(|p| &p.pieces) {
        limits::paragraphs(piece, &mut diags);
        if hints {
            blameless::hints(piece, &mut diags);
        }
    }
    for issue in &project.issues {
        for piece in &issue.pieces {
            files_and_links(&project.root, &sources, piece, &mut diags);
            links::check(
                &project,
                &Folder::Issue(issue.slug.clone()),
                &issue.pieces,
                piece,
                &mut diags,
            );
            limits::paragraphs(piece, &mut diags);
            unfinished::skeleton_passages(piece, &sources, &mut diags);
            unfinished::example_drawing(&project.root, piece, &mut diags);
            if hints {
                blameless::hints(piece, &mut diags);
            }
            if let Some(incident) = &piece.incident {
                if hints {
                    narrative::hints(piece, incident, &mut diags);
                }
                unfinished::empty_sections(piece, &sources, &mut diags);
                review::checklist(piece, incident, &sources, &mut diags);
            }
        }
    }
    for pocket in &project.pockets {
        for piece in &pocket.pieces {
            files_and_links(&project.root, &sources, piece, &mut diags);
            links::check(
                &project,
                &Folder::Pocket(pocket.slug.clone()),
                &pocket.pieces,
                piece,
                &mut diags,
            );
            pocket_kind(piece, &mut diags);
            unfinished::skeleton_passages(piece, &sources, &mut diags);
        }
    }
    template_files(&project, &mut diags);
    match crate::render::typst::world::Coverage::with_project(
        &project.root.join(crate::files::FONTS),
    ) {
        Ok(fonts) => glyphs::check(&project, &sources, &fonts, &mut diags),
        Err(e) => diags.push(Diagnostic::at_path(
            Code::Io,
            "fonts",
            format!("cannot read the fonts folder: {e}"),
        )),
    }
    hint_levels(&project, shown_hints, &mut diags);
    diagnostic::sort(&mut diags, &sources);
    Report {
        project,
        sources,
        diags,
    }
}

/// Gives each hint the level the zine set for it in `[hints]` (dropping those
/// switched off), and drops the hints left at their own level when `shown` is false.
fn hint_levels(project: &Project, shown: bool, diags: &mut Vec<Diagnostic>) {
    diags.retain_mut(|d| {
        if d.code.severity() != Severity::Hint {
            return true;
        }
        match project.site.hints.iter().find(|(c, _)| *c == d.code) {
            Some((_, None)) => false,
            Some((_, Some(level))) => {
                d.level = (*level != Severity::Hint).then_some(*level);
                shown || d.level.is_some()
            }
            None => shown,
        }
    });
}

/// Warns about files in `templates/` that nothing uses (a misspelled
/// override), and reports an `extra_css` or `extra_typst` that cannot be read.
fn template_files(project: &Project, diags: &mut Vec<Diagnostic>) {
    if let Some(extra) = &project.site.extra_typst
        && !project.root.join(&extra.value).is_file()
    {
        diags.push(
            Diagnostic::new(
                Code::Io,
                project.site.file,
                extra.span.clone(),
                format!("`extra_typst` names {}, which is not a file of the project", extra.value),
            )
            .hint("write the path from the project folder, such as extra_typst = \"templates/extra.typ\""),
        );
    }
    if let Some(extra) = &project.site.extra_css
        && !project.root.join(extra).is_file()
    {
        diags.push(
            Diagnostic::at_path(Code::Io, extra, format!("`extra_css` names {extra}, which is not a file of the project"))
                .hint("write the path from the project folder, such as extra_css = \"templates/extra.css\""),
        );
    }
    let Ok(dir) = std::fs::read_dir(project.root.join(crate::files::TEMPLATES)) else {
        return;
    };
    let mut names: Vec<String> = dir
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let texts: Vec<(&String, String)> = names
        .iter()
        .filter_map(|n| {
            std::fs::read_to_string(project.root.join(crate::files::TEMPLATES).join(n))
                .ok()
                .map(|t| (n, t))
        })
        .collect();
    let known: Vec<&str> = crate::templates::BUILT_IN.iter().map(|(n, _)| *n).collect();
    let extras: Vec<&str> = [
        project.site.extra_css.as_deref(),
        project.site.extra_typst.as_ref().map(|e| e.value.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter_map(|p| p.strip_prefix("templates/"))
    .collect();
    for name in &names {
        let template_like = [".html", ".xml", ".typ", ".css", ".md"]
            .iter()
            .any(|ext| name.ends_with(ext));
        // A partial that another template includes or imports is used.
        let mentioned = texts
            .iter()
            .any(|(other, t)| *other != name && t.contains(name.as_str()))
            || crate::templates::BUILT_IN
                .iter()
                .any(|(_, t)| t.contains(name.as_str()));
        let used = known.contains(&name.as_str()) || extras.contains(&name.as_str()) || mentioned;
        if !template_like || used {
            continue;
        }
        let hint = match diagnostic::did_you_mean(name, known.iter().copied()) {
            Some(best) => {
                format!("did you mean `{best}`? (`pir templates` lists the built-in templates)")
            }
            None => format!(
                "the built-in templates are {}; for a stylesheet of your own, set extra_css in zine.toml",
                known.join(", ")
            ),
        };
        diags.push(
            Diagnostic::at_path(
                Code::UnknownTemplate,
                Path::new(crate::files::TEMPLATES).join(name),
                format!("templates/{name} is not a template pir uses"),
            )
            .hint(hint),
        );
    }
}

/// Pocket zines hold pages of text; the kind table says which kinds need the room of an issue.
fn pocket_kind(piece: &Piece, diags: &mut Vec<Diagnostic>) {
    if !piece.kind.spec().in_pocket {
        let allowed: Vec<&str> = crate::model::KINDS
            .iter()
            .filter(|k| k.in_pocket)
            .map(|k| k.name)
            .collect();
        diags.push(
            Diagnostic::new(
                Code::KindNotAllowed,
                piece.file,
                0..3,
                format!(
                    "a pocket zine cannot hold a piece of kind `{}`",
                    piece.kind.name()
                ),
            )
            .hint(format!(
                "a pocket page is one of: {}; put this piece in an issue",
                allowed.join(", ")
            )),
        );
    }
}

/// Issue numbers and slugs unique; each next issue after its issue.
fn cross_file(project: &Project, diags: &mut Vec<Diagnostic>) {
    let mut numbers = HashMap::new();
    let mut slugs: HashMap<String, &str> = HashMap::new();
    for issue in &project.issues {
        if let Some(first) = numbers.insert(issue.number.value, issue) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateNumber,
                    issue.file,
                    issue.number.span.clone(),
                    format!(
                        "issue {} is also the number of `{}`",
                        issue.number.value, first.slug
                    ),
                )
                .related(
                    first.file,
                    first.number.span.clone(),
                    "the same number here",
                )
                .hint("give each issue its own number"),
            );
        }
        if let Some(first) = slugs.insert(issue.slug.to_lowercase(), &issue.slug) {
            diags.push(
                Diagnostic::at_path(
                    Code::DuplicateSlug,
                    crate::edition::ids::issue_folder(&issue.slug),
                    format!(
                        "the folders `{first}` and `{}` differ only in case and would share a URL",
                        issue.slug
                    ),
                )
                .hint("rename one of them"),
            );
        }
        if let Some(next) = &issue.next_issue {
            if next.number.value <= issue.number.value {
                diags.push(
                    Diagnostic::new(
                        Code::NextIssueOrder,
                        issue.file,
                        next.number.span.clone(),
                        format!(
                            "the next issue is numbered {}, not above this issue's {}",
                            next.number.value, issue.number.value
                        ),
                    )
                    .hint(format!(
                        "the next issue is probably number {}",
                        issue.number.value + 1
                    )),
                );
            }
            if next.date.value <= issue.date.value {
                diags.push(
                    Diagnostic::new(
                        Code::NextIssueOrder,
                        issue.file,
                        next.date.span.clone(),
                        format!(
                            "the next issue is dated {}, not after this issue ({})",
                            next.date.value, issue.date.value
                        ),
                    )
                    .hint("date the next issue after this one"),
                );
            }
        }
    }
}

/// Piece names that pir's own pages use in an issue's folder.
const RESERVED: &[&str] = &["index"];

/// No piece is named like a page pir makes beside it (`index.md` would be the issue's `index.html`).
fn reserved_names(project: &Project, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    for issue in &project.issues {
        for piece in issue
            .pieces
            .iter()
            .filter(|p| RESERVED.contains(&p.slug.as_str()))
        {
            let name = format!("{}.md", piece.slug);
            let text = sources.text(issue.file);
            let span = text
                .find(&format!("\"{name}\""))
                .map_or(0..0, |at| at + 1..at + 1 + name.len());
            diags.push(
                Diagnostic::new(
                    Code::ReservedName,
                    issue.file,
                    span,
                    format!(
                        "a piece called `{name}` would be published as issues/{}/{}.html, the issue's own page",
                        issue.slug, piece.slug
                    ),
                )
                .hint("rename the piece (for example to introduction.md) and its entry in `pieces`"),
            );
        }
    }
}

/// Images exist inside the project and have alt text; links use allowed schemes.
fn files_and_links(root: &Path, sources: &Sources, piece: &Piece, diags: &mut Vec<Diagnostic>) {
    let dir = sources
        .path(piece.file)
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    for image in piece.images.iter().chain(piece.image.iter()) {
        check_image(root, &dir, piece, image, diags);
    }
    for link in &piece.links {
        if let Ok(url) = url::Url::parse(&link.value) {
            if !matches!(url.scheme(), "http" | "https" | "mailto") {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidUrl,
                        piece.file,
                        link.span.clone(),
                        format!("links with the `{}:` scheme are not allowed", url.scheme()),
                    )
                    .hint("link to an http, https or mailto address"),
                );
            } else if let Err(why) = load::fields::check_url(&link.value) {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidUrl,
                        piece.file,
                        link.span.clone(),
                        format!("this link is not a usable URL: {why}"),
                    )
                    .hint("write a full URL such as https://example.com/page"),
                );
            }
        }
    }
}

/// Checks one image reference.
fn check_image(
    root: &Path,
    dir: &Path,
    piece: &Piece,
    image: &ImageRef,
    diags: &mut Vec<Diagnostic>,
) {
    let file = piece.file;
    let span = image.span.clone();
    let path = image.path.as_str();
    if image.alt.trim().is_empty() && piece.image.as_ref().is_none_or(|i| i.span != image.span) {
        diags.push(
            Diagnostic::new(Code::ImageNoAlt, file, span.clone(), "this image has no alt text")
                .hint("describe the image between the brackets: ![A dashboard with error rates climbing](chart.png)"),
        );
    }
    if path.contains("://") || path.starts_with("data:") || path.starts_with("//") {
        diags.push(
            Diagnostic::new(
                Code::ImageRemote,
                file,
                span,
                "images must be files in the project, not URLs",
            )
            .hint(format!(
                "download the image into {} and refer to it by name",
                dir.display()
            )),
        );
        return;
    }
    let Some(rel) = crate::files::inside(dir, path) else {
        diags.push(
            Diagnostic::new(
                Code::ImageOutside,
                file,
                span,
                format!("`{path}` leads outside the project"),
            )
            .hint(format!(
                "copy the image into {} and refer to it by a relative path",
                dir.display()
            )),
        );
        return;
    };
    let full = root.join(&rel);
    if !full.exists() {
        diags.push(
            Diagnostic::new(
                Code::ImageMissing,
                file,
                span,
                format!("`{path}` does not exist"),
            )
            .hint(format!("add the file at {}", rel.display())),
        );
        return;
    }
    let escapes = match (full.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => !f.starts_with(r),
        _ => true,
    };
    if escapes {
        diags.push(
            Diagnostic::new(
                Code::ImageOutside,
                file,
                span,
                format!("`{path}` is a link that leads outside the project"),
            )
            .hint("copy the image itself into the project instead of linking to it"),
        );
    }
}
