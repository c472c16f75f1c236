//! `pir status`: the board of where each issue and piece stands, for people
//! or as JSON for a dashboard.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use pir::edition::DocId;
use pir::status::{Board, board, human, typeset_all};

use crate::cli::{Format, StatusArgs};
use crate::cmd::{UsageError, find_root};

/// Checks the project, lays out its issues and prints the board; exits 1 when any piece has errors.
pub fn run(root: Option<&Path>, args: StatusArgs) -> Result<ExitCode> {
    let root = find_root(root)?;
    let mut report = pir::check::check(&root);
    let wanted: Vec<String> = args.issues.clone();
    if !wanted.is_empty() {
        for w in &wanted {
            let known = report.project.issues.iter().any(|i| names(i, w));
            if !known {
                return Err(UsageError(format!(
                    "there is no issue `{w}`: name one by its number or its folder"
                ))
                .into());
            }
        }
        report
            .project
            .issues
            .retain(|i| wanted.iter().any(|w| names(i, w)));
        report.project.pockets.clear();
    }
    let layouts = typeset_all(&report);
    let find = |doc: &DocId| {
        layouts
            .iter()
            .find(|(d, _)| d == doc)
            .map(|(_, l)| l.clone())
    };
    let board: Board = board(&report, &find);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Human => out.write_all(human(&board).as_bytes())?,
        Format::Json => {
            let json = serde_json::to_string_pretty(&board)?;
            writeln!(out, "{json}")?;
        }
    }
    let errors = board
        .issues
        .iter()
        .chain(&board.pockets)
        .any(|r| r.errors > 0 || r.pieces.iter().any(|p| p.errors > 0));
    Ok(if errors {
        ExitCode::from(crate::cmd::PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether `name` is an issue's number or its folder name.
fn names(issue: &pir::model::Issue, name: &str) -> bool {
    issue.slug == name || issue.number.value.to_string() == name
}
