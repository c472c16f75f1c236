//! `pir build`: check, typeset every issue, impose it for print, publish `public/` atomically.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use codespan_reporting::term::termcolor::BufferedStandardStream;
use indicatif::{ProgressBar, ProgressStyle};
use pir::build::{Options, PrintOverrides};
use pir::diagnostic::{self, Severity};
use pir::edition::words::plural;
use pir::model::Duplex;
use pir::model::print::CROP_MARKS_NEED_SCALING;

use crate::cli::{BuildArgs, DuplexArg};
use crate::cmd::check::color_choice;
use crate::cmd::{PROBLEMS, UsageError, find_root};

/// Builds the project into the output folder.
pub fn run(root: Option<&Path>, args: BuildArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = find_root(root)?;
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    if let Err(why) =
        pir::publish::may_replace(&out, &root, &pir::build::record_path(&out), args.force)
    {
        return Err(UsageError(format!("will not build into {}: {why}", out.display())).into());
    }
    let mut options = options(&args, &out);
    // Stamped before anything is read: a file edited during the build is seen as changed next time.
    let inputs = pir::build::inputs(&root, &out, &options);
    if !args.force {
        if let Some(same) = pir::build::up_to_date(&out, &inputs) {
            return up_to_date(&args, &out, same, started);
        }
        options.same_issues = inputs.same_issues();
    }
    let mut report = pir::check::check_for_build(&root);
    if args.crop_marks && !report.project.site.print.trims() {
        return Err(UsageError(format!(
            "--crop-marks has nothing to mark: {CROP_MARKS_NEED_SCALING}, and zine.toml switches A4 off"
        ))
        .into());
    }
    let documents = pir::build::published(&report.project.issues, &options).count()
        + report.project.pockets.len()
        + 1;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(documents as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}")
                .expect("a valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let quiet = args.quiet;
    let progress = |name: &str| match &bar {
        Some(bar) => {
            bar.set_message(name.to_string());
            bar.inc(1);
        }
        None if !quiet => eprintln!("built {name}"),
        None => {}
    };
    let built = pir::build::build_with_progress(&mut report, &options, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
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
    let Some(mut built) = built else {
        let errors = plural(report.count(Severity::Error), "error");
        writeln!(
            err,
            "build failed: {errors} ({} was not touched)",
            out.display()
        )?;
        err.flush()?;
        return Ok(ExitCode::from(PROBLEMS));
    };
    let drafts = report
        .project
        .issues
        .iter()
        .filter(|i| i.status == pir::model::Status::Draft)
        .count();
    let drafts = if args.drafts { 0 } else { drafts };
    built.remember(inputs, &report, drafts);
    pir::build::publish(&out, &mut built)
        .with_context(|| format!("cannot publish to {}", out.display()))?;
    let status = if report.has_errors() {
        ExitCode::from(PROBLEMS)
    } else {
        ExitCode::SUCCESS
    };
    if !quiet {
        left_out(&mut err, drafts)?;
    }
    for skipped in &built.skipped {
        writeln!(
            err,
            "skipped {skipped}: it has errors, and --keep-going never publishes a broken issue"
        )?;
    }
    if quiet {
        err.flush()?;
        return Ok(status);
    }
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
    )?;
    err.flush()?;
    Ok(status)
}

/// The build's options from its arguments.
fn options(args: &BuildArgs, out: &Path) -> Options {
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
        previous: Some(out.to_path_buf()),
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
