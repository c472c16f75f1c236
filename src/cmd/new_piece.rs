//! `pir new feature|etcetera|illustration|back-cover|cover|worksheet|editors-note`
//! and `pir new pocket`: a skeleton of every kind, listed in its issue or
//! pocket zine, that passes `pir check` with its example text reported (W801).
//!
//! Like `pir new issue`, it never overwrites, and a failed step removes what
//! the earlier steps wrote.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use pir::model::{PieceKind, Project};
use pir::scaffold;

use crate::cli::{NewPieceArgs, NewPocketArgs};
use crate::cmd::UsageError;
use crate::cmd::files::{create, replace, require_slug};

/// Where a new piece goes: an issue's or a pocket zine's folder and its settings file.
struct Folder {
    /// Relative to the project (`issues/march-2020`, `pocket/prompts`).
    dir: PathBuf,
    settings: &'static str,
    pocket: bool,
}

/// Finds the issue or pocket zine a writer named: `march-2020`, `issues/march-2020` or `pocket/prompts`.
fn folder(root: &Path, name: &str) -> Result<Folder> {
    let name = name.trim_end_matches('/');
    let issue = |slug: &str| Folder {
        dir: Path::new("issues").join(slug),
        settings: "issue.toml",
        pocket: false,
    };
    let pocket = |slug: &str| Folder {
        dir: Path::new("pocket").join(slug),
        settings: "pocket.toml",
        pocket: true,
    };
    let exists = |f: &Folder| root.join(&f.dir).join(f.settings).is_file();
    let candidates: Vec<Folder> = match name.split_once('/') {
        Some(("issues", slug)) => vec![issue(slug)],
        Some(("pocket", slug)) => vec![pocket(slug)],
        _ => vec![issue(name), pocket(name)],
    };
    let mut found: Vec<Folder> = candidates.into_iter().filter(exists).collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(UsageError(format!(
            "there is no issue or pocket zine `{name}` (no issues/{name}/issue.toml or pocket/{name}/pocket.toml); \
             `pir new issue {name}` or `pir new pocket {name}` starts one"
        ))
        .into()),
        _ => Err(UsageError(format!(
            "both an issue and a pocket zine are called `{name}`: write issues/{name} or pocket/{name}"
        ))
        .into()),
    }
}

/// The pieces already listed where the new one goes, as loaded.
fn listed<'a>(project: &'a Project, folder: &Folder) -> &'a [pir::model::Piece] {
    let slug = folder
        .dir
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if folder.pocket {
        project
            .pockets
            .iter()
            .find(|p| p.slug == slug)
            .map_or(&[], |p| &p.pieces)
    } else {
        project
            .issues
            .iter()
            .find(|i| i.slug == slug)
            .map_or(&[], |i| &i.pieces)
    }
}

/// `pir new <kind> FOLDER SLUG`.
pub fn new_piece(root: &Path, kind: PieceKind, args: NewPieceArgs) -> Result<ExitCode> {
    require_slug(&args.slug, "piece file")?;
    let folder = folder(root, &args.folder)?;
    let spec = kind.spec();
    let allowed = if folder.pocket {
        spec.in_pocket
    } else {
        spec.in_issue
    };
    if !allowed {
        let why = if folder.pocket {
            "a pocket zine's small pages have no room for it; add it to an issue"
        } else {
            "it belongs in a pocket zine"
        };
        let article = if kind.name().starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        return Err(UsageError(format!(
            "{article} {} cannot go in {}: {why}",
            kind.name(),
            folder.dir.display()
        ))
        .into());
    }
    let settings_path = root.join(&folder.dir).join(folder.settings);
    let settings = std::fs::read_to_string(&settings_path)?;
    let project = pir::load::load(root).project;
    let pieces = listed(&project, &folder);
    if folder.pocket && pieces.len() >= pir::load::pocket::MAX_PAGES {
        bail!(
            "{} already has {} pages, all one sheet holds; remove one before adding another",
            folder.dir.display(),
            pieces.len()
        );
    }
    // A back cover stays last: a new page goes before it.
    let before = pieces
        .last()
        .filter(|p| p.kind == PieceKind::BackCover && kind != PieceKind::BackCover)
        .map(|p| format!("{}.md", p.slug));
    let name = format!("{}.md", args.slug);
    let updated =
        scaffold::insert_piece(&settings, &name, before.as_deref()).map_err(anyhow::Error::msg)?;
    let dir = root.join(&folder.dir);
    let piece = dir.join(&name);
    let image = format!("{}.svg", args.slug);
    let title = args
        .title
        .unwrap_or_else(|| pir::skeleton::piece_skeleton(kind).1.to_string());
    let mut written: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<()> {
        if kind == PieceKind::Illustration {
            create(&dir.join(&image), pir::skeleton::ILLUSTRATION_SVG)?;
            written.push(dir.join(&image));
        }
        create(&piece, &scaffold::piece(kind, &title, &image))?;
        written.push(piece.clone());
        replace(&settings_path, &updated)
    })();
    if let Err(e) = result {
        for file in written {
            let _ = std::fs::remove_file(file);
        }
        return Err(e);
    }
    let drawing = if kind == PieceKind::Illustration {
        format!(" with an example drawing, {image}, to replace")
    } else {
        String::new()
    };
    println!(
        "created {}/{name}{drawing} and listed it in {}; `pir check` shows the example text left to replace",
        folder.dir.display(),
        folder.settings
    );
    Ok(ExitCode::SUCCESS)
}

/// `pir new pocket SLUG`.
pub fn new_pocket(root: &Path, args: NewPocketArgs) -> Result<ExitCode> {
    require_slug(&args.slug, "pocket zine folder")?;
    let dir = root.join("pocket").join(&args.slug);
    if dir.exists() {
        bail!("{} already exists; pir new never overwrites", dir.display());
    }
    let date = args.date.unwrap_or_else(|| {
        let today = chrono::Local::now().date_naive();
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("first of the month exists")
    });
    std::fs::create_dir_all(&dir)?;
    let pages = scaffold::pocket_pages(&args.title);
    let written = create(
        &dir.join("pocket.toml"),
        &scaffold::pocket_toml(&args.title, date),
    )
    .and_then(|_| {
        pages.iter().try_for_each(|(file, kind, title)| {
            create(&dir.join(file), &scaffold::piece(*kind, title, ""))
        })
    });
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    let files: Vec<&str> = pages.iter().map(|(f, _, _)| *f).collect();
    println!(
        "created pocket/{}/ ({date}): pocket.toml, {}; `pir check` shows the example text left to replace",
        args.slug,
        files.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
