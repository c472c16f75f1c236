//! `pir new issue|incident`: write a skeleton that passes `pir check`
//! (the other kinds and pocket zines are in [`super::new_piece`]).
//!
//! It never overwrites: an existing file is an error, and a failed step
//! removes what the earlier steps wrote.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Months, NaiveDate};
use pir::model::PieceKind;
use pir::scaffold;

use crate::cli::{NewCommand, NewIncidentArgs, NewIssueArgs};
use crate::cmd::files::{create, replace, require_slug};
use crate::cmd::interview::{Lines, Start, Terminal, interview};
use crate::cmd::{UsageError, find_root};

/// Creates what was asked for.
pub fn run(root: Option<&Path>, args: NewCommand) -> Result<ExitCode> {
    let root = find_root(root)?;
    match args {
        NewCommand::Issue(a) => new_issue(&root, a),
        NewCommand::Incident(a) => new_incident(&root, a),
        NewCommand::Pocket(a) => super::new_piece::new_pocket(&root, a),
        NewCommand::Feature(a) => super::new_piece::new_piece(&root, PieceKind::Feature, a),
        NewCommand::Etcetera(a) => super::new_piece::new_piece(&root, PieceKind::Etcetera, a),
        NewCommand::Illustration(a) => {
            super::new_piece::new_piece(&root, PieceKind::Illustration, a)
        }
        NewCommand::BackCover(a) => super::new_piece::new_piece(&root, PieceKind::BackCover, a),
        NewCommand::Cover(a) => super::new_piece::new_piece(&root, PieceKind::Cover, a),
        NewCommand::Worksheet(a) => super::new_piece::new_piece(&root, PieceKind::Worksheet, a),
        NewCommand::EditorsNote(a) => super::new_piece::new_piece(&root, PieceKind::EditorsNote, a),
    }
}

/// `pir new issue <slug>`.
fn new_issue(root: &Path, args: NewIssueArgs) -> Result<ExitCode> {
    require_slug(&args.slug, "issue folder")?;
    let dir = root.join("issues").join(&args.slug);
    if dir.exists() {
        bail!("{} already exists; pir new never overwrites", dir.display());
    }
    let project = pir::load::load(root).project;
    let latest = project.issues.iter().max_by_key(|i| i.number.value);
    let number = args
        .number
        .or_else(|| {
            latest.map(|l| {
                l.next_issue
                    .as_ref()
                    .map_or(l.number.value + 1, |n| n.number.value)
            })
        })
        .unwrap_or(1);
    let date = args.date.unwrap_or_else(|| match latest {
        Some(l) => l
            .next_issue
            .as_ref()
            .map_or_else(|| l.date.value + Months::new(1), |n| n.date.value),
        None => {
            let today = chrono::Local::now().date_naive();
            NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
                .expect("first of the month exists")
        }
    });
    let title = args.title.unwrap_or_else(|| format!("Issue {number}"));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let written = create(
        &dir.join("issue.toml"),
        &scaffold::issue_toml(number, &title, date),
    )
    .and_then(|_| create(&dir.join("editors-note.md"), pir::skeleton::EDITORS_NOTE));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    println!(
        "created issues/{}/ (issue {number}, {date}, status draft): issue.toml, editors-note.md",
        args.slug
    );
    Ok(ExitCode::SUCCESS)
}

/// `pir new incident <issue> <slug>`.
fn new_incident(root: &Path, args: NewIncidentArgs) -> Result<ExitCode> {
    require_slug(&args.slug, "piece file")?;
    if args.timezone.parse::<chrono_tz::Tz>().is_err() {
        let why = match pir::load::zones::explain(&args.timezone, args.date) {
            Some((hint, _)) => hint,
            None => "write an IANA time zone name such as America/Los_Angeles".to_string(),
        };
        return Err(UsageError(format!(
            "`{}` is not a time zone pir knows: {why}",
            args.timezone
        ))
        .into());
    }
    let dir = root.join("issues").join(&args.issue);
    let toml_path = dir.join("issue.toml");
    let toml_text = std::fs::read_to_string(&toml_path).map_err(|_| {
        UsageError(format!(
            "there is no issue `{}` (no {})",
            args.issue,
            toml_path.display()
        ))
    })?;
    let date = match args.date {
        Some(d) => d,
        None => issue_date(&toml_text)
            .with_context(|| format!("{} has no valid `date`; pass --date", toml_path.display()))?,
    };
    let name = format!("{}.md", args.slug);
    let updated = scaffold::add_piece(&toml_text, &name)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("cannot add {name} to {}", toml_path.display()))?;
    let piece: PathBuf = dir.join(&name);
    if piece.exists() {
        anyhow::bail!(
            "cannot create {}: it already exists, and pir new never overwrites",
            piece.display()
        );
    }
    let mut start = Start {
        title: args.title,
        organization: args.organization,
        timezone: args.timezone,
        date,
    };
    let answers = if args.interactive {
        Some(match Terminal::open() {
            Some(mut term) => interview(&mut term, &mut start)?,
            None => interview(
                &mut Lines::new(&mut std::io::stdin().lock(), &mut std::io::stderr()),
                &mut start,
            )?,
        })
    } else {
        None
    };
    let mut text = scaffold::incident(
        &start.title,
        &start.organization,
        &start.timezone,
        start.date,
    );
    if let Some(answers) = &answers {
        text = scaffold::with_answers(&text, answers);
    }
    create(&piece, &text)?;
    if let Err(e) = replace(&toml_path, &updated) {
        let _ = std::fs::remove_file(&piece);
        return Err(e);
    }
    println!(
        "created issues/{}/{name} and listed it in issue.toml; run `pir prompts` for help with the story",
        args.issue
    );
    Ok(ExitCode::SUCCESS)
}

/// The `date` of an issue.toml.
fn issue_date(text: &str) -> Option<NaiveDate> {
    let value: toml::Table = toml::from_str(text).ok()?;
    let date = value.get("date")?;
    pir::load::fields::parse_date(
        date.as_datetime()
            .map(|d| d.to_string())
            .as_deref()
            .or(date.as_str())?,
    )
    .ok()
}
