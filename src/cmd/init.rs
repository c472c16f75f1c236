//! `pir init [DIR]`: a new zine project from nothing, which passes `pir check`.
//!
//! It writes `zine.toml` (every key explained), a first draft issue with an
//! editors' note, and a `.gitignore` for what `pir build` writes. It refuses
//! a folder that is not empty unless `--force`, and even then never
//! overwrites a file: an existing `.gitignore` only gains the missing lines.
//! `--deploy github-pages|netlify` adds the host's configuration, which runs
//! `pir build` and publishes `public/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use pir::scaffold;

use crate::cli::{Deploy, InitArgs};
use crate::cmd::UsageError;
use crate::cmd::files::{create, require_slug};

/// Creates the project.
pub fn run(root: Option<&Path>, args: InitArgs) -> Result<ExitCode> {
    let dir = args
        .dir
        .clone()
        .or_else(|| root.map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    require_slug(&args.issue, "issue folder")?;
    if dir.exists() && !dir.is_dir() {
        return Err(UsageError(format!(
            "{} is a file, not a folder; pir init needs a folder to start the zine in",
            dir.display()
        ))
        .into());
    }
    if dir.join("zine.toml").exists() {
        bail!(
            "{} is already a zine project (it has a zine.toml); pir init never overwrites a file",
            dir.display()
        );
    }
    let present = entries(&dir)?;
    if !present.is_empty() && !args.force {
        return Err(UsageError(format!(
            "{} is not empty (it holds {}); start the zine in a new folder (`pir init my-zine`), \
             or pass --force to add it here without touching what is already there",
            dir.display(),
            list(&present)
        ))
        .into());
    }
    if let Some((file, _)) = args.deploy.map(|d| d.file())
        && dir.join(file).exists()
    {
        bail!(
            "{} already exists; pir init never overwrites (leave out --deploy, or move it away first)",
            dir.join(file).display()
        );
    }
    let issue_dir = dir.join("issues").join(&args.issue);
    if issue_dir.exists() {
        bail!(
            "{} already exists; pir init never overwrites",
            issue_dir.display()
        );
    }
    let date = args.date.unwrap_or_else(|| {
        let today = chrono::Local::now().date_naive();
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("first of the month exists")
    });
    std::fs::create_dir_all(&issue_dir)
        .with_context(|| format!("cannot create {}", issue_dir.display()))?;
    let written = create(
        &dir.join("zine.toml"),
        &scaffold::zine_toml(&args.title, &args.publisher),
    )
    .and_then(|_| {
        create(
            &issue_dir.join("issue.toml"),
            &scaffold::issue_toml(1, "Issue 1", date),
        )
    })
    .and_then(|_| {
        create(
            &issue_dir.join("editors-note.md"),
            pir::skeleton::EDITORS_NOTE,
        )
    })
    .and_then(|_| gitignore(&dir.join(".gitignore")))
    .and_then(|_| deploy(&dir, args.deploy));
    if let Err(e) = written {
        let _ = std::fs::remove_file(dir.join("zine.toml"));
        let _ = std::fs::remove_dir_all(&issue_dir);
        return Err(e);
    }
    let deploy_note = match args.deploy {
        Some(d) => format!(
            ", {}\n  (set PIR_INSTALL on the host to the command that installs pir: see the top of that file)",
            d.file().0
        ),
        None => String::new(),
    };
    let slug = &args.issue;
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("  cd {}\n", dir.display())
    };
    println!(
        "created a zine in {}: zine.toml, issues/{slug}/ (issue 1, {date}, status draft), .gitignore{deploy_note}\n\
         next:\n{cd}  \
         edit zine.toml: base_url, email and description\n  \
         pir new incident {slug} <name>   a write-up to fill in (`pir prompts` helps with the story)\n  \
         pir serve                        see it as you write; drafts are shown\n  \
         set status = \"published\" in issues/{slug}/issue.toml, then run pir build",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the static host's configuration, if one was asked for.
fn deploy(dir: &Path, host: Option<Deploy>) -> Result<()> {
    let Some((file, text)) = host.map(Deploy::file) else {
        return Ok(());
    };
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    create(&path, text)
}

/// The names in a folder (none if it does not exist yet), sorted.
fn entries(dir: &Path) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        names.push(
            entry
                .with_context(|| format!("cannot read {}", dir.display()))?
                .file_name()
                .to_string_lossy()
                .into_owned(),
        );
    }
    names.sort();
    Ok(names)
}

/// A short list of names for a message: the first three, then a count.
fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    match names.len() - shown.len() {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Writes `.gitignore`, or adds to an existing one the lines it lacks.
fn gitignore(path: &Path) -> Result<()> {
    let Ok(old) = std::fs::read_to_string(path) else {
        return create(path, pir::skeleton::GITIGNORE);
    };
    let have: Vec<&str> = old.lines().map(str::trim).collect();
    let missing: Vec<&str> = pir::skeleton::GITIGNORE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty() && !have.contains(&l.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let sep = if old.is_empty() || old.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let text = format!(
        "{old}{sep}# What `pir build` writes.\n{}\n",
        missing.join("\n")
    );
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
