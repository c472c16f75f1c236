//! `pir build`: check, typeset every issue, impose it for print, publish `public/` atomically.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use codespan_reporting::term::termcolor::BufferedStandardStream;
use indicatif::{ProgressBar, ProgressStyle};
use pir::build::{
    Built, Driver, Failure, Options, Outcome, PrintOverrides, Progress, Ran, Refused,
};
use pir::diagnostic::{self, Severity};
use pir::edition::words::plural;
use pir::model::Duplex;

use crate::cli::{BuildArgs, DuplexArg};
use crate::cmd::check::color_choice;
use crate::cmd::{PROBLEMS, UsageError, find_root};

/// Builds the project into the output folder.
pub fn run(root: Option<&Path>, args: BuildArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = find_root(root)?;
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    let driver = Driver::new(&root, &out, options(&args)).map_err(refused)?;
    let bar = Bar::new(args.quiet);
    let outcome = driver.run(&|p| bar.show(p)).map_err(refused)?;
    bar.finish();
    let ran = match outcome {
        Outcome::UpToDate(same) => return up_to_date(&args, &out, same, started),
        Outcome::Ran(ran) => ran,
    };
    let Ran {
        report,
        built,
        drafts_left_out,
    } = *ran;
    let quiet = args.quiet;
    let mut err = BufferedStandardStream::stderr(color_choice());
    // Hints are for writing (pir check, pir serve); a build shows what can break it.
    let shown: Vec<_> = report
        .diags
        .iter()
        .filter(|d| {
            if quiet {
                d.severity() == Severity::Error
            } else {
                d.severity() != Severity::Hint
            }
        })
        .cloned()
        .collect();
    diagnostic::emit_human(&mut err, &report.sources, &shown)?;
    err.flush()?;
    let built = match built {
        Ok(built) => built,
        Err(Failure::Errors) => {
            let errors = plural(report.count(Severity::Error), "error");
            writeln!(
                err,
                "build failed: {errors} ({} was not touched)",
                out.display()
            )?;
            err.flush()?;
            return Ok(ExitCode::from(PROBLEMS));
        }
        Err(Failure::Publish(e)) => {
            return Err(
                anyhow::Error::new(e).context(format!("cannot publish to {}", out.display()))
            );
        }
    };
    let status = if report.has_errors() {
        ExitCode::from(PROBLEMS)
    } else {
        ExitCode::SUCCESS
    };
    if !quiet {
        left_out(&mut err, drafts_left_out)?;
    }
    for skipped in &built.skipped {
        writeln!(
            err,
            "skipped {skipped}: it has errors, and --keep-going never publishes a broken issue"
        )?;
    }
    if !quiet {
        summary(&mut err, &built, &out, started)?;
    }
    err.flush()?;
    Ok(status)
}

/// A refused build is a usage error: the arguments asked for it.
fn refused(why: Refused) -> anyhow::Error {
    UsageError(why.to_string()).into()
}

/// The progress bar on a terminal, or a line per document otherwise (nothing with --quiet).
struct Bar {
    bar: std::sync::OnceLock<ProgressBar>,
    quiet: bool,
    terminal: bool,
}

impl Bar {
    /// A bar that appears once the build knows how many documents it has.
    fn new(quiet: bool) -> Bar {
        Bar {
            bar: std::sync::OnceLock::new(),
            quiet,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Shows one step of the build.
    fn show(&self, progress: Progress<'_>) {
        match progress {
            Progress::Checked { documents } if !self.quiet && self.terminal => {
                let bar = ProgressBar::new(documents as u64);
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}")
                        .expect("a valid template"),
                );
                bar.enable_steady_tick(Duration::from_millis(120));
                let _ = self.bar.set(bar);
            }
            Progress::Checked { .. } => {}
            Progress::Done(name) => match self.bar.get() {
                Some(bar) => {
                    bar.set_message(name.to_string());
                    bar.inc(1);
                }
                None if !self.quiet => eprintln!("built {name}"),
                None => {}
            },
        }
    }

    /// Clears the bar.
    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// Says what was typeset and what the output holds.
fn summary(
    err: &mut dyn Write,
    built: &Built,
    out: &Path,
    started: Instant,
) -> std::io::Result<()> {
    for i in built
        .docs
        .iter()
        .filter(|d| built.typeset.iter().any(|t| *t == d.doc.name()))
    {
        writeln!(
            err,
            "{} ({}): {} pages; reading PDF {} KB; print PDF {} KB on {}",
            i.title,
            i.doc.name(),
            i.pages,
            i.pdf_bytes / 1024,
            i.print_bytes / 1024,
            plural(i.sheets, "sheet")
        )?;
    }
    let pages: usize = built.docs.iter().map(|d| d.pages).sum();
    let files = plural(built.files, "file");
    let secs = started.elapsed().as_secs_f64();
    let fresh = if built.reused.is_empty() {
        String::new()
    } else {
        format!(", {} unchanged", built.reused.len())
    };
    writeln!(
        err,
        "built {files} ({pages} pages; typeset {}{fresh}) into {} in {secs:.2} s",
        built.typeset.len(),
        out.display()
    )
}

/// The build's options from its arguments.
fn options(args: &BuildArgs) -> Options {
    Options {
        drafts: args.drafts,
        emit_typst: args.emit_typst,
        print: PrintOverrides {
            duplex: args.duplex.map(|d| match d {
                DuplexArg::ShortEdge => Duplex::ShortEdge,
                DuplexArg::LongEdge => Duplex::LongEdge,
            }),
            creep: args.creep,
            crop_marks: args.crop_marks,
        },
        previous: None,
        force: args.force,
        keep_going: args.keep_going,
        same_issues: Default::default(),
    }
}

/// Says how many draft issues the build left out, if any.
fn left_out(err: &mut dyn Write, drafts: usize) -> std::io::Result<()> {
    if drafts > 0 {
        let names = plural(drafts, "draft issue");
        writeln!(
            err,
            "left out {names} (status = \"draft\" in issue.toml); `pir build --drafts` includes them, `pir serve` shows them"
        )?;
    }
    Ok(())
}

/// Reports a build that found nothing changed: the last build's warnings again, and a summary.
fn up_to_date(
    args: &BuildArgs,
    out: &Path,
    same: pir::build::UpToDate,
    started: Instant,
) -> Result<ExitCode> {
    let mut err = BufferedStandardStream::stderr(color_choice());
    if !args.quiet {
        diagnostic::emit_human(&mut err, &same.sources, &same.diags)?;
        left_out(&mut err, same.drafts)?;
        writeln!(
            err,
            "nothing changed since the last build: {} ({} pages; typeset 0, {} unchanged) in {} checked in {:.2} s",
            plural(same.files, "file"),
            same.pages,
            same.documents,
            out.display(),
            started.elapsed().as_secs_f64()
        )?;
    }
    err.flush()?;
    Ok(ExitCode::SUCCESS)
}
