//! `pir import statuspage|markdown|slack`: an incident from another tool becomes a
//! draft write-up in an issue.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use pir::import::{Draft, Request, draft};

use crate::cli::{ImportCommand, MarkdownArgs, SlackArgs, StatuspageArgs};
use crate::cmd::files::{create, replace, require_slug};
use crate::cmd::{UsageError, find_root};

/// Imports what was asked for.
pub fn run(root: Option<&Path>, args: ImportCommand) -> Result<ExitCode> {
    let root = find_root(root)?;
    match args {
        ImportCommand::Statuspage(a) => statuspage(&root, a),
        ImportCommand::Markdown(a) => markdown(&root, a),
        ImportCommand::Slack(a) => slack(&root, a),
    }
}

/// Reads `--timezone`, if given.
fn timezone(tz: Option<&str>) -> Result<Option<chrono_tz::Tz>> {
    match tz {
        Some(tz) => Ok(Some(tz.parse::<chrono_tz::Tz>().map_err(|_| {
            UsageError(format!(
                "`{tz}` is not an IANA time zone name such as America/Los_Angeles"
            ))
        })?)),
        None => Ok(None),
    }
}

/// Reads the input file, or standard input for `-`.
fn read_input(file: &Path) -> Result<String> {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
    } else {
        text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
    }
    Ok(text)
}

/// The issue's folder and issue.toml text, or a usage error if there is no such issue.
fn issue(root: &Path, slug: &str) -> Result<(std::path::PathBuf, String)> {
    let dir = root.join("issues").join(slug);
    let toml_path = dir.join("issue.toml");
    let text = std::fs::read_to_string(&toml_path).map_err(|_| {
        UsageError(format!(
            "there is no issue `{slug}` (no {})",
            toml_path.display()
        ))
    })?;
    Ok((dir, text))
}

/// `pir import statuspage`.
fn statuspage(root: &Path, args: StatuspageArgs) -> Result<ExitCode> {
    let timezone = timezone(args.timezone.as_deref())?;
    let (dir, toml_text) = issue(root, &args.issue)?;
    let json = read_input(&args.file)?;
    let request = Request {
        json: &json,
        id: args.id.as_deref(),
        timezone,
        organization: args.organization.as_deref(),
        allow_unresolved: args.allow_unresolved,
    };
    let draft = draft(&request).map_err(|why| anyhow::anyhow!("{}: {why}", args.file.display()))?;
    write(&dir, &args.issue, &toml_text, draft, args.slug, args.force)
}

/// `pir import markdown`.
fn markdown(root: &Path, args: MarkdownArgs) -> Result<ExitCode> {
    let timezone = timezone(args.timezone.as_deref())?;
    let (dir, toml_text) = issue(root, &args.issue)?;
    let text = read_input(&args.file)?;
    let request = pir::import::markdown::Request {
        text: &text,
        timezone,
        date: args.date,
    };
    let draft = pir::import::markdown::draft(&request)
        .map_err(|why| anyhow::anyhow!("{}: {why}", args.file.display()))?;
    write(&dir, &args.issue, &toml_text, draft, args.slug, args.force)
}

/// `pir import slack`.
fn slack(root: &Path, args: SlackArgs) -> Result<ExitCode> {
    let timezone = timezone(args.timezone.as_deref())?;
    let (dir, toml_text) = issue(root, &args.issue)?;
    if let (Some(since), Some(until)) = (args.since, args.until)
        && until < since
    {
        return Err(UsageError(format!("--until {until} is before --since {since}")).into());
    }
    let request = pir::import::slack::Request {
        export: &args.export,
        channel: &args.channel,
        timezone,
        since: args.since,
        until: args.until,
        marker: args.marker.trim_matches(':'),
        anonymise: args.anonymise,
        title: args.title.as_deref(),
        organization: args.organization.as_deref(),
    };
    let draft = pir::import::slack::draft(&request)
        .map_err(|why| anyhow::anyhow!("{}: {why}", args.export.display()))?;
    write(&dir, &args.issue, &toml_text, draft, args.slug, args.force)
}

/// Writes the draft and lists it in the issue; leaves nothing behind on failure.
fn write(
    dir: &Path,
    issue: &str,
    toml_text: &str,
    draft: Draft,
    slug: Option<String>,
    force: bool,
) -> Result<ExitCode> {
    let toml_path = dir.join("issue.toml");
    let slug = slug.unwrap_or(draft.slug);
    require_slug(&slug, "piece file")?;
    let name = format!("{slug}.md");
    let piece = dir.join(&name);
    if piece.exists() {
        if !force {
            anyhow::bail!(
                "issues/{issue}/{name} already exists (imported before?); pass --force to replace it, or --slug to import beside it"
            );
        }
        std::fs::write(&piece, &draft.text)
            .with_context(|| format!("cannot write {}", piece.display()))?;
        let listed = pir::scaffold::add_piece(toml_text, &name).map_err(anyhow::Error::msg)?;
        if !toml_text.contains(&pir::scaffold::toml_str(&name)) {
            replace(&toml_path, &listed)?;
        }
        println!(
            "replaced issues/{issue}/{name} with a new import; `pir check` says what is left to write"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let updated = pir::scaffold::add_piece(toml_text, &name).map_err(anyhow::Error::msg)?;
    create(&piece, &draft.text)?;
    if let Err(e) = replace(&toml_path, &updated) {
        let _ = std::fs::remove_file(&piece);
        return Err(e);
    }
    println!(
        "imported a draft into issues/{issue}/{name} and listed it in issue.toml; `pir check` says what is left to write"
    );
    Ok(ExitCode::SUCCESS)
}
