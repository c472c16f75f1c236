//! `pir build`: check, typeset every issue, publish `public/` atomically.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use codespan_reporting::term::termcolor::StandardStream;
use pir::diagnostic::{self, Severity};

use crate::cli::BuildArgs;
use crate::cmd::check::color_choice;
use crate::cmd::{PROBLEMS, find_root};

/// Builds the project into the output folder.
pub fn run(root: Option<&Path>, args: BuildArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = find_root(root)?;
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    let mut report = pir::check::check(&root);
    let options = pir::build::Options {
        drafts: args.drafts,
        emit_typst: args.emit_typst,
    };
    let built = pir::build::build(&mut report, &options);
    let mut err = StandardStream::stderr(color_choice());
    diagnostic::emit_human(&mut err, &report.sources, &report.diags)?;
    let Some(built) = built else {
        writeln!(
            err,
            "build failed: {} (public/ was not touched)",
            count(report.count(Severity::Error), "error")
        )?;
        return Ok(ExitCode::from(PROBLEMS));
    };
    pir::publish::publish(&out, &built.files)
        .with_context(|| format!("cannot publish to {}", out.display()))?;
    for issue in &built.issues {
        writeln!(
            err,
            "issue {} ({}): {} pages, reading PDF {} KB",
            issue.number,
            issue.slug,
            issue.pages,
            issue.pdf_bytes / 1024
        )?;
    }
    writeln!(
        err,
        "built {} into {} in {:.2} s",
        count(built.files.len(), "file"),
        out.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// "1 file", "3 files".
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
