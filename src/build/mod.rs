//! `pir build` as a library function: check, typeset, impose, collect the files of `public/`.
//!
//! Building never starts from a project with errors: the check runs first,
//! and its errors stop the build before anything is published. Every output
//! (see `output.rs`, one table) writes its files into a staging folder as it
//! makes them, so memory does not grow with the archive; `publish` swaps the
//! folder in whole, and a failed build removes it.
//!
//! Typesetting is the expensive part, so it is incremental and parallel.
//! Each document (an issue, a pocket zine, the printing page) is keyed by a
//! hash of everything Typst and the imposition see: the generated sources
//! (template, data, markup, drawings, images), the project's fonts, the
//! print settings and pir's version, and by every project file its Typst
//! world read, with a fingerprint of what it read (a template override can
//! read any file). A record of those keys is kept beside the output folder
//! (`.public.pir-build.json` beside `public/`, never deployed); a document
//! whose key and reads are unchanged, and whose files in the previous output
//! are still the ones recorded, is taken from there instead of being typeset
//! again, and the warnings typesetting gave are shown again. The site's
//! pages are cheap and are always rendered anew, but a page that comes out
//! the same is linked from the previous output, not written again. Dirty
//! documents are typeset in parallel, one per core at a time (never more in
//! flight, so memory stays flat); Typst's memoization is shared across them.
//!
//! Every output goes through one manifest: a path is written once, and two
//! different files claiming one path are an error naming both.
//!
//! This file runs the outputs in order and hands back what they made;
//! `output.rs` is the table of outputs, `documents.rs` plans and runs the
//! typeset documents, `record.rs` is the cache (keys, the record, what may be
//! reused) and `produce.rs` typesets and imposes one document.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::check::Report;
use crate::diagnostic::{self, Code, Diagnostic, Sources, display_path};
use crate::edition::ids::Folder;
use crate::impose;
use crate::model::{Issue, Status};
use crate::publish::{PlaceError, PublishError, Staging};
use crate::render::typst::world::{self, Fonts};
use crate::render::typst::{self as typeset, Job};

mod documents;
mod driver;
mod fresh;
mod output;
mod produce;
mod record;
mod workers;

pub use driver::{Driver, Failure, Outcome, Progress, Ran, Refused};
pub use fresh::{Inputs, UpToDate, inputs, up_to_date};
use output::{OUTPUTS, State};
use produce::{PrintPlan, ends_with_back_cover};
use record::{Entry, Record, Stored, entry, fonts_key, key, previous_record, reusable};

pub use crate::publish::{LEGACY_RECORD, record_path};

/// What the user asked of the build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include issues whose status is draft.
    pub drafts: bool,
    /// Write the generated Typst sources beside each PDF.
    pub emit_typst: bool,
    /// Print settings that override `[print]` in zine.toml.
    pub print: PrintOverrides,
    /// The output folder: the new output is staged beside it, and its
    /// previous contents' unchanged documents and files are reused. Without
    /// it, the build is staged in a temporary folder and cannot be published.
    pub previous: Option<PathBuf>,
    /// Typeset every document, whatever the record says.
    pub force: bool,
    /// Publish the clean issues when others have errors (never a broken one).
    pub keep_going: bool,
    /// The issues (by folder name) none of whose inputs changed since the
    /// last clean build, nor any input outside `issues/` (see
    /// [`Inputs::same_issues`]): their email editions are linked, not made again.
    pub same_issues: BTreeSet<String>,
}

/// Command-line overrides of `[print]`.
#[derive(Debug, Clone, Default)]
pub struct PrintOverrides {
    /// The flip edge whose booklet is listed first.
    pub duplex: Option<crate::model::Duplex>,
    pub creep: Option<f64>,
    pub crop_marks: bool,
}

pub use crate::edition::DocOutput;

/// Everything a build produced: the staged output folder and what is in it.
pub struct Built {
    /// The staged files, swapped in by [`publish`] (removed if never published).
    staging: Option<Staging>,
    /// The build record to keep beside the output (see [`record_path`]).
    record: Record,
    /// How many files the output holds.
    pub files: usize,
    pub docs: Vec<DocOutput>,
    /// Documents typeset in this build, by folder (`issues/march-2020`).
    pub typeset: Vec<String>,
    /// Documents taken unchanged from the previous output.
    pub reused: Vec<String>,
    /// Issue and pocket folders left out because they have errors (with --keep-going).
    pub skipped: Vec<String>,
    /// The issues whose email edition was linked from the previous output, not made again.
    pub editions_kept: Vec<String>,
    /// The temporary folder a build without an output folder is staged in.
    _scratch: Option<tempfile::TempDir>,
}

impl Built {
    /// The staged output folder's files and their sizes, by path.
    pub fn sizes(&self) -> BTreeMap<PathBuf, u64> {
        self.staging
            .as_ref()
            .map(Staging::sizes)
            .unwrap_or_default()
    }
}

/// The issues a build publishes.
pub fn published<'a>(issues: &'a [Issue], options: &Options) -> impl Iterator<Item = &'a Issue> {
    let drafts = options.drafts;
    issues
        .iter()
        .filter(move |i| drafts || i.status == Status::Published)
}

/// Places one file in the staging folder; a clash with another output's file
/// for the same path, or a failed write, becomes a diagnostic.
fn place(staging: &Staging, origin: &str, path: &Path, bytes: &[u8]) -> Option<Diagnostic> {
    match staging.put(origin, path, bytes) {
        Ok(()) => None,
        Err(e) => Some(place_error(origin, e)),
    }
}

/// The diagnostic for a file that could not be placed.
fn place_error(origin: &str, e: PlaceError) -> Diagnostic {
    match e {
        PlaceError::Clash(c) => {
            let whose = if c.first == origin {
                format!("{origin} makes two different files")
            } else {
                format!("{} and {origin} make different files", c.first)
            };
            Diagnostic::at_path(
                Code::OutputCollision,
                c.path.clone(),
                format!("{whose} for the same output path, {}", display_path(&c.path)),
            )
            .hint("rename the piece or image whose name matches a file pir makes (a piece called index.md would be its issue's index.html)")
        }
        PlaceError::Io(e) => Diagnostic::at_path(Code::Io, e.path.clone(), e.to_string()),
    }
}

/// Publishes a build into `out` whole (see [`crate::publish`]), then keeps its record beside it.
pub fn publish(out: &Path, built: &mut Built) -> Result<(), PublishError> {
    let Some(staging) = built.staging.take() else {
        return Err(PublishError {
            path: out.to_path_buf(),
            action: "publish again to",
            source: std::io::Error::other("this build was already published"),
        });
    };
    if !staging.is_for(out) {
        return Err(PublishError {
            path: out.to_path_buf(),
            action: "publish to",
            source: std::io::Error::other("the build was staged for another output folder"),
        });
    }
    built.record.files = staging.commit()?;
    let record = record_path(out);
    let tmp = record.with_extension("json.tmp");
    let bytes = serde_json::to_vec_pretty(&built.record).expect("record serializes");
    std::fs::write(&tmp, &bytes)
        .and_then(|()| std::fs::rename(&tmp, &record))
        .map_err(|source| PublishError {
            path: record.clone(),
            action: "write the build record",
            source,
        })
}

/// Builds every published issue and every pocket zine of a checked project.
/// Errors and warnings found on the way are added to the report; the staged
/// output is returned only when there was no error.
pub fn build(report: &mut Report, options: &Options) -> Option<Built> {
    build_with_progress(report, options, &|_| {})
}

/// As [`build`], telling `progress` the name of each document as it is done.
pub fn build_with_progress(
    report: &mut Report,
    options: &Options,
    progress: &(dyn Fn(&str) + Sync),
) -> Option<Built> {
    let broken = match broken_folders(report) {
        Some(broken) if broken.is_empty() || options.keep_going => broken,
        _ => return None,
    };
    let fonts = match Fonts::with_project(&report.project.root.join(crate::files::FONTS)) {
        Ok(f) => f,
        Err(e) => {
            report.diags.push(Diagnostic::at_path(
                Code::Io,
                "fonts",
                format!("cannot read the project's fonts: {e}"),
            ));
            return None;
        }
    };
    // --force typesets every document again; files named by their inputs (web fonts) and
    // files that come out the same are still linked from the previous output.
    let mut previous = previous_record(options.previous.as_deref());
    if options.force {
        previous.documents.clear();
    }
    let (staging, scratch) = match stage(options, &previous) {
        Ok(s) => s,
        Err(e) => {
            report
                .diags
                .push(Diagnostic::at_path(Code::Io, e.path.clone(), e.to_string()));
            return None;
        }
    };
    let plan = PrintPlan::new(&report.project.site.print, &options.print);
    let common = [
        format!(
            "pir {} | {:?} | emit {}",
            env!("CARGO_PKG_VERSION"),
            plan,
            options.emit_typst
        )
        .into_bytes(),
        fonts_key(&report.project.root),
    ]
    .concat();
    let mut state = State {
        report,
        options,
        progress,
        fonts,
        plan,
        common,
        previous,
        staging,
        broken,
        printing: None,
        diags: Vec::new(),
        built: Built {
            staging: None,
            record: Record {
                pir: env!("CARGO_PKG_VERSION").to_string(),
                ..Record::default()
            },
            files: 0,
            docs: Vec::new(),
            typeset: Vec::new(),
            reused: Vec::new(),
            skipped: Vec::new(),
            editions_kept: Vec::new(),
            _scratch: scratch,
        },
    };
    state.built.skipped = state.broken.iter().map(Folder::to_string).collect();
    for output in OUTPUTS {
        if output.presents_others() && state.failed() {
            continue;
        }
        output.write(&mut state);
    }
    let State {
        report,
        diags,
        staging,
        mut built,
        ..
    } = state;
    // With --keep-going, the report's errors are the skipped folders'; only new ones fail the build.
    let failed = diags
        .iter()
        .any(|d| d.severity() == diagnostic::Severity::Error);
    report.diags.extend(diags);
    diagnostic::sort(&mut report.diags, &report.sources);
    built.files = staging.len();
    built.staging = Some(staging);
    (!failed).then_some(built)
}

/// The staging folder for this build: beside the output folder, or in a
/// temporary folder when the build has none.
fn stage(
    options: &Options,
    previous: &Record,
) -> Result<(Staging, Option<tempfile::TempDir>), PublishError> {
    match &options.previous {
        Some(out) => Ok((Staging::new(out, previous.files.clone())?, None)),
        None => {
            let scratch = tempfile::tempdir().map_err(|source| PublishError {
                path: std::env::temp_dir(),
                action: "create a temporary folder in",
                source,
            })?;
            let staging = Staging::new(&scratch.path().join("public"), BTreeMap::new())?;
            Ok((staging, Some(scratch)))
        }
    }
}

/// The issue and pocket folders that have errors, or `None` if an error is
/// outside them (zine.toml, a template): then nothing can be published.
fn broken_folders(report: &Report) -> Option<BTreeSet<Folder>> {
    let mut broken = BTreeSet::new();
    for d in report
        .diags
        .iter()
        .filter(|d| d.severity() == diagnostic::Severity::Error)
    {
        let path = match (d.file, &d.path) {
            (Some(f), _) => report.sources.path(f),
            (None, Some(p)) => p.as_path(),
            (None, None) => return None,
        };
        broken.insert(Folder::of_path(path)?);
    }
    Some(broken)
}
