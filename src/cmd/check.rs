//! `pir check`: load and check the project, print every diagnostic.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};
use pir::diagnostic::{self, Severity};
use pir::edition::words::plural;

use crate::cli::{CheckArgs, Format};
use crate::cmd::{PROBLEMS, find_root};

/// Checks the project and prints the report.
pub fn run(root: Option<&Path>, args: CheckArgs) -> Result<ExitCode> {
    let root = find_root(root)?;
    let report = pir::check::check(&root);
    match args.format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            diagnostic::emit_json(&mut out, &report.sources, &report.diags)?;
            out.flush()?;
        }
        Format::Human => {
            let mut err = BufferedStandardStream::stderr(color_choice());
            diagnostic::emit_human(&mut err, &report.sources, &report.diags)?;
            let pieces: usize = report.project.issues.iter().map(|i| i.pieces.len()).sum();
            writeln!(
                err,
                "{}",
                summary(
                    report.project.issues.len(),
                    pieces,
                    report.count(Severity::Error),
                    report.count(Severity::Warning),
                    report.count(Severity::Hint)
                )
            )?;
            err.flush()?;
        }
    }
    let failed = report.has_errors() || (args.deny_warnings && report.count(Severity::Warning) > 0);
    Ok(if failed {
        ExitCode::from(PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Colour on a terminal, unless NO_COLOR is set.
pub fn color_choice() -> ColorChoice {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

/// The closing line: what was checked and what was found.
fn summary(issues: usize, pieces: usize, errors: usize, warnings: usize, hints: usize) -> String {
    let checked = format!(
        "checked {}, {}",
        plural(issues, "issue"),
        plural(pieces, "piece")
    );
    let found: Vec<String> = [(errors, "error"), (warnings, "warning"), (hints, "hint")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| plural(n, w))
        .collect();
    match found.as_slice() {
        [] => format!("{checked}: no problems"),
        [one] => format!("{checked}: {one}"),
        [init @ .., last] => format!("{checked}: {} and {last}", init.join(", ")),
    }
}
