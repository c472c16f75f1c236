//! `pir import statuspage`: a Statuspage incident becomes a draft write-up in an issue.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use pir::import::{Request, draft};

use crate::cli::{ImportCommand, StatuspageArgs};
use crate::cmd::files::{create, replace, require_slug};
use crate::cmd::{UsageError, find_root};

/// Imports what was asked for.
pub fn run(root: Option<&Path>, args: ImportCommand) -> Result<ExitCode> {
    let root = find_root(root)?;
    match args {
        ImportCommand::Statuspage(a) => statuspage(&root, a),
    }
}

/// Writes the draft and lists it in the issue; leaves nothing behind on failure.
fn statuspage(root: &Path, args: StatuspageArgs) -> Result<ExitCode> {
    let timezone = match &args.timezone {
        Some(tz) => Some(tz.parse::<chrono_tz::Tz>().map_err(|_| {
            UsageError(format!(
                "`{tz}` is not an IANA time zone name such as America/Los_Angeles"
            ))
        })?),
        None => None,
    };
    let dir = root.join("issues").join(&args.issue);
    let toml_path = dir.join("issue.toml");
    let toml_text = std::fs::read_to_string(&toml_path).map_err(|_| {
        UsageError(format!(
            "there is no issue `{}` (no {})",
            args.issue,
            toml_path.display()
        ))
    })?;
    let mut json = String::new();
    if args.file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut json)
            .context("cannot read standard input")?;
    } else {
        json = std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
    }
    let request = Request {
        json: &json,
        id: args.id.as_deref(),
        timezone,
        organization: args.organization.as_deref(),
        allow_unresolved: args.allow_unresolved,
    };
    let draft = draft(&request).map_err(|why| anyhow::anyhow!("{}: {why}", args.file.display()))?;
    let slug = args.slug.unwrap_or(draft.slug);
    require_slug(&slug, "piece file")?;
    let name = format!("{slug}.md");
    let piece = dir.join(&name);
    if piece.exists() {
        if !args.force {
            anyhow::bail!(
                "issues/{}/{name} already exists (imported before?); pass --force to replace it, or --slug to import beside it",
                args.issue
            );
        }
        std::fs::write(&piece, &draft.text)
            .with_context(|| format!("cannot write {}", piece.display()))?;
        let listed = pir::scaffold::add_piece(&toml_text, &name).map_err(anyhow::Error::msg)?;
        if !toml_text.contains(&pir::scaffold::toml_str(&name)) {
            replace(&toml_path, &listed)?;
        }
        println!(
            "replaced issues/{}/{name} with a new import; `pir check` says what is left to write",
            args.issue
        );
        return Ok(ExitCode::SUCCESS);
    }
    let updated = pir::scaffold::add_piece(&toml_text, &name).map_err(anyhow::Error::msg)?;
    create(&piece, &draft.text)?;
    if let Err(e) = replace(&toml_path, &updated) {
        let _ = std::fs::remove_file(&piece);
        return Err(e);
    }
    println!(
        "imported a draft into issues/{}/{name} and listed it in issue.toml; `pir check` says what is left to write",
        args.issue
    );
    Ok(ExitCode::SUCCESS)
}
