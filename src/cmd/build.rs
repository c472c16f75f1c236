//! `pir build`: check, typeset every issue, impose it for print, publish `public/` atomically.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use codespan_reporting::term::termcolor::StandardStream;
use pir::build::{Options, PrintOverrides};
use pir::diagnostic::{self, Severity};

use crate::cli::{BuildArgs, DuplexArg};
use crate::cmd::check::color_choice;
use crate::cmd::{PROBLEMS, find_root};

/// Builds the project into the output folder.
pub fn run(root: Option<&Path>, args: BuildArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = find_root(root)?;
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    let mut report = pir::check::check(&root);
    let print = PrintOverrides {
        a4: args.a4,
        long_edge: args.duplex.map(|d| d == DuplexArg::LongEdge),
        creep: args.creep,
        crop_marks: args.crop_marks,
    };
    let options = Options { drafts: args.drafts, emit_typst: args.emit_typst, print };
    let built = pir::build::build(&mut report, &options);
    let mut err = StandardStream::stderr(color_choice());
    diagnostic::emit_human(&mut err, &report.sources, &report.diags)?;
    let Some(built) = built else {
        let errors = count(report.count(Severity::Error), "error");
        writeln!(err, "build failed: {errors} (public/ was not touched)")?;
        return Ok(ExitCode::from(PROBLEMS));
    };
    pir::publish::publish(&out, &built.files).with_context(|| format!("cannot publish to {}", out.display()))?;
    for i in &built.docs {
        writeln!(
            err,
            "{} ({}): {} pages; reading PDF {} KB; print PDF {} KB on {}",
            i.title,
            i.dir.display(),
            i.pages,
            i.pdf_bytes / 1024,
            i.print_bytes / 1024,
            count(i.sheets, "sheet")
        )?;
    }
    let files = count(built.files.len(), "file");
    let secs = started.elapsed().as_secs_f64();
    writeln!(err, "built {files} into {} in {secs:.2} s", out.display())?;
    Ok(ExitCode::SUCCESS)
}

/// "1 file", "3 files".
fn count(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}
