//! `pir build` as a library function: check, typeset, impose, collect the files of `public/`.
//!
//! Building never starts from a project with errors: the check runs first,
//! and its errors stop the build before anything is written. Every output
//! is collected in memory and handed to `publish`, which swaps it in whole.
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
//! pages are cheap and are always rendered anew. Dirty documents are
//! typeset in parallel (rayon); Typst's memoization is shared across them.
//!
//! Every output goes through one manifest: a path is written once, and two
//! different files claiming one path are an error naming both.
//!
//! This file plans the build and collects its outputs; `record.rs` is the
//! cache (keys, the record, what may be reused) and `produce.rs` typesets
//! and imposes one document.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::check::Report;
use crate::diagnostic::{self, Code, Diagnostic, Sources, display_path};
use crate::impose;
use crate::model::{Issue, Status};
use crate::render::typst::data::PrintedDoc;
use crate::render::typst::world::{self, Fonts};
use crate::render::typst::{self as typeset, Job};

mod produce;
mod record;

use produce::{Outcome, Planned, PrintPlan, ends_with_back_cover, printing_page, produce};
use record::{Entry, Record, Stored, entry, fonts_key, key, previous_record, reusable};

/// Where the build record of an output folder lives: beside it, hidden
/// (`.public.pir-build.json` for `public/`), so it is never deployed.
pub fn record_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.parent()
        .unwrap_or(Path::new(""))
        .join(format!(".{name}.pir-build.json"))
}

/// The record's name inside the output folder in earlier versions of pir (a
/// folder holding it is a pir output).
pub const LEGACY_RECORD: &str = ".pir-build.json";

/// What the user asked of the build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include issues whose status is draft.
    pub drafts: bool,
    /// Write the generated Typst sources beside each PDF.
    pub emit_typst: bool,
    /// Print settings that override `[print]` in zine.toml.
    pub print: PrintOverrides,
    /// The previous output, whose unchanged documents can be reused.
    pub previous: Option<PathBuf>,
    /// Typeset everything, whatever the record says.
    pub force: bool,
    /// Publish the clean issues when others have errors (never a broken one).
    pub keep_going: bool,
}

/// Command-line overrides of `[print]`.
#[derive(Debug, Clone, Default)]
pub struct PrintOverrides {
    /// List the long-edge (true) or short-edge (false) booklet first.
    pub long_edge: Option<bool>,
    pub creep: Option<f64>,
    pub crop_marks: bool,
}

pub use crate::model::{DocOutput, PrintFile};

/// Everything a build produced: files by path relative to the output folder.
#[derive(Default)]
pub struct Built {
    /// Every output file, each path once (see the manifest).
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The build record to keep beside the output (see [`record_path`]).
    pub record: Vec<u8>,
    pub docs: Vec<DocOutput>,
    /// Documents typeset in this build, by folder (`issues/march-2020`).
    pub typeset: Vec<String>,
    /// Documents taken unchanged from the previous output.
    pub reused: Vec<String>,
    /// Issue and pocket folders left out because they have errors (with --keep-going).
    pub skipped: Vec<String>,
}

/// The issues a build publishes.
pub fn published<'a>(issues: &'a [Issue], options: &Options) -> impl Iterator<Item = &'a Issue> {
    let drafts = options.drafts;
    issues
        .iter()
        .filter(move |i| drafts || i.status == Status::Published)
}

/// One path, one file: the output files of every source, each written once;
/// two different files for one path are an error naming both sources.
fn manifest(groups: Vec<(String, Files)>) -> Result<Files, Vec<Diagnostic>> {
    let mut first: BTreeMap<PathBuf, (String, usize)> = BTreeMap::new();
    let mut files: Files = Vec::new();
    let mut errors = Vec::new();
    for (origin, group) in groups {
        for (path, bytes) in group {
            match first.get(&path) {
                Some((_, at)) if files[*at].1 == bytes => {}
                Some((other, _)) => {
                    let whose = if *other == origin {
                        format!("{origin} makes two different files")
                    } else {
                        format!("{other} and {origin} make different files")
                    };
                    errors.push(
                        Diagnostic::at_path(Code::OutputCollision, path.clone(), format!("{whose} for the same output path, {}", display_path(&path)))
                            .hint("rename the piece or image whose name matches a file pir makes (a piece called index.md would be its issue's index.html)"),
                    );
                }
                None => {
                    first.insert(path.clone(), (origin.clone(), files.len()));
                    files.push((path, bytes));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Publishes a build into `out` whole (see [`crate::publish`]), then keeps its record beside it.
pub fn publish(out: &Path, built: &Built) -> Result<(), crate::publish::PublishError> {
    crate::publish::publish(out, &built.files)?;
    let record = record_path(out);
    let tmp = record.with_extension("json.tmp");
    std::fs::write(&tmp, &built.record)
        .and_then(|()| std::fs::rename(&tmp, &record))
        .map_err(|source| crate::publish::PublishError {
            path: record.clone(),
            action: "write the build record",
            source,
        })
}

/// Files by path in the output folder, with their bytes.
pub(crate) type Files = Vec<(PathBuf, Vec<u8>)>;

/// Builds every published issue and every pocket zine of a checked project.
/// Errors and warnings found on the way are added to the report; files are
/// returned only when there was no error.
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
    let fonts = match Fonts::with_project(&report.project.root.join("fonts")) {
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
    let project = &report.project;
    let print = &project.site.print;
    let imposition = impose::Options {
        creep: options.print.creep.unwrap_or(print.creep),
        crop_marks: options.print.crop_marks || print.crop_marks,
        ..impose::Options::default()
    };
    let papers: Vec<impose::Paper> = print
        .papers
        .iter()
        .map(|p| {
            if p == "a4" {
                impose::Paper::A4
            } else {
                impose::Paper::Letter
            }
        })
        .collect();
    let mut duplexes: Vec<impose::Duplex> = print
        .duplexes
        .iter()
        .map(|d| {
            if d == "long-edge" {
                impose::Duplex::LongEdge
            } else {
                impose::Duplex::ShortEdge
            }
        })
        .collect();
    if let Some(long) = options.print.long_edge {
        let first = if long {
            impose::Duplex::LongEdge
        } else {
            impose::Duplex::ShortEdge
        };
        duplexes.retain(|d| *d != first);
        duplexes.insert(0, first);
    }
    let plan = PrintPlan {
        papers,
        duplexes,
        imposition,
    };
    let common = format!(
        "pir {} | {:?} | emit {}",
        env!("CARGO_PKG_VERSION"),
        plan,
        options.emit_typst
    );
    let fonts_part = fonts_key(&project.root);
    let previous = if options.force {
        Record::default()
    } else {
        previous_record(options.previous.as_deref())
    };
    let mut record = Record {
        pir: env!("CARGO_PKG_VERSION").to_string(),
        documents: BTreeMap::new(),
    };
    let mut built = Built {
        skipped: broken.iter().cloned().collect(),
        ..Built::default()
    };
    let mut diags = Vec::new();

    let mut jobs: Vec<(Job, String, String, Option<u32>)> = Vec::new();
    for issue in published(&project.issues, options)
        .filter(|i| !broken.contains(&format!("issues/{}", i.slug)))
    {
        let title = crate::model::issue_heading(issue.number.value, &issue.title);
        jobs.push((
            Job::issue(project, issue),
            format!("issue-{}", issue.number.value),
            title,
            issue.pages,
        ));
    }
    for pocket in project
        .pockets
        .iter()
        .filter(|p| !broken.contains(&format!("pocket/{}", p.slug)))
    {
        jobs.push((
            Job::pocket(project, pocket),
            pocket.slug.clone(),
            pocket.title.clone(),
            None,
        ));
    }
    let mut planned = Vec::new();
    for (job, stem, title, pages) in jobs {
        let files = match typeset::sources(project, &job) {
            Ok(f) => f,
            Err(e) => {
                diags.push(Diagnostic::at_path(
                    Code::Io,
                    job.dir.clone(),
                    format!("cannot read the files of {title}: {e}"),
                ));
                continue;
            }
        };
        let mut parts: Vec<&[u8]> = vec![common.as_bytes(), &fonts_part];
        for (path, data) in &files {
            parts.push(path.as_bytes());
            parts.push(data);
        }
        let key = key(&parts);
        planned.push(Planned {
            job,
            stem,
            title,
            planned: pages,
            files,
            key,
        });
    }

    // Reuse what is unchanged; typeset the rest in parallel.
    let root = project.root.as_path();
    let results: Vec<Outcome> = planned
        .par_iter()
        .map(|p| {
            let name = display_path(&p.job.dir);
            let result = match reusable(&previous, &name, &p.key, root, options.previous.as_deref())
            {
                Some((entry, files)) => Outcome::Reused(entry, files),
                None => Outcome::Produced(produce(project, p, &fonts, &plan, options)),
            };
            progress(&name);
            result
        })
        .collect();
    let mut groups: Vec<(String, Files)> = Vec::new();
    for (p, outcome) in planned.iter().zip(results) {
        let name = display_path(&p.job.dir);
        let (entry, files, mut doc_diags) = match outcome {
            Outcome::Reused(entry, files) => {
                built.reused.push(name.clone());
                let again = entry
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.restore(&mut report.sources))
                    .collect();
                (entry, files, again)
            }
            Outcome::Produced(mut produced) => {
                report
                    .sources
                    .absorb(std::mem::take(&mut produced.sources), &mut produced.diags);
                let stored = produced
                    .diags
                    .iter()
                    .map(|d| Stored::new(d, &report.sources))
                    .collect();
                if produced.output.is_some() {
                    built.typeset.push(name.clone());
                }
                (
                    entry(
                        &p.key,
                        &produced.files,
                        produced.reads,
                        stored,
                        produced.output,
                    ),
                    produced.files,
                    produced.diags,
                )
            }
        };
        // Checked on every build, reused or not: `pages` in issue.toml is not part of the key.
        if let (Some(planned_pages), Some(out)) = (p.planned, &entry.output)
            && planned_pages as usize != out.pages
        {
            let issue = published(&project.issues, options)
                .find(|i| *i.slug == *p.job.slug)
                .expect("the job's issue");
            doc_diags.push(
                Diagnostic::new(
                    Code::PageCount,
                    issue.file,
                    0..0,
                    format!("issue {} typesets to {} pages, not the {planned_pages} that issue.toml plans", issue.number.value, out.pages),
                )
                .hint(format!("set `pages = {}`, or edit the pieces until the layout fits {planned_pages} pages", out.pages)),
            );
        }
        if let (Some(out), Some(issue)) = (
            &entry.output,
            published(&project.issues, options).find(|i| *i.slug == *p.job.slug),
        ) && p.job.template == "zine.typ"
            && let Some((blanks, place)) =
                impose::padding(out.pages, ends_with_back_cover(p.job.pieces))
        {
            doc_diags.push(
                Diagnostic::new(
                    Code::PagePadding,
                    issue.file,
                    0..0,
                    format!(
                        "issue {} typesets to {} pages, not a multiple of 4: the booklet gets {} {place}",
                        issue.number.value,
                        out.pages,
                        crate::render::view::plural(blanks, "blank page")
                    ),
                )
                .hint("a booklet's sheets carry 4 pages each; edit the pieces to fill the blanks, or leave them for notes"),
            );
        }
        diags.extend(doc_diags);
        if let Some(out) = &entry.output {
            built.docs.push(out.clone());
        }
        record.documents.insert(name.clone(), entry);
        groups.push((name, files));
    }

    let printing = printing_page(
        report,
        &fonts,
        (&mut built, &mut groups),
        &mut diags,
        (&common, &fonts_part),
        (&previous, &mut record),
        options,
    );
    if !diags
        .iter()
        .any(|d| d.severity() == diagnostic::Severity::Error)
    {
        let so_far: Files = groups
            .iter()
            .flat_map(|(_, files)| files.iter().cloned())
            .collect();
        let input = crate::site::Input {
            project: &report.project,
            issues: published(&report.project.issues, options)
                .filter(|i| !broken.contains(&format!("issues/{}", i.slug)))
                .collect(),
            files: &so_far,
            docs: &built.docs,
            printing: printing.as_ref(),
        };
        let email_slugs: Vec<String> = input.issues.iter().map(|i| i.slug.clone()).collect();
        match crate::site::render(&input, &mut report.sources) {
            Ok(files) => groups.push(("the website".to_string(), files)),
            Err(errors) => diags.extend(errors),
        }
        for issue in report
            .project
            .issues
            .iter()
            .filter(|i| email_slugs.contains(&i.slug))
        {
            let previous = if options.force {
                None
            } else {
                options.previous.as_deref()
            };
            match crate::email::files(&report.project, issue, previous) {
                Ok(files) => groups.push((format!("the email edition of {}", issue.slug), files)),
                Err(why) => diags.push(
                    Diagnostic::at_path(
                        Code::TemplateError,
                        Path::new("issues").join(&issue.slug),
                        format!("the email edition cannot be written: {why}"),
                    )
                    .hint("fix the email.html override in templates/, or the drawing named"),
                ),
            }
        }
    }
    match manifest(groups) {
        Ok(files) => built.files = files,
        Err(errors) => diags.extend(errors),
    }
    built.record = serde_json::to_vec_pretty(&record).expect("record serializes");
    // With --keep-going, the report's errors are the skipped folders'; only new ones fail the build.
    let failed = diags
        .iter()
        .any(|d| d.severity() == diagnostic::Severity::Error);
    report.diags.extend(diags);
    diagnostic::sort(&mut report.diags, &report.sources);
    (!failed).then_some(built)
}

/// The issue and pocket folders that have errors, or `None` if an error is
/// outside them (zine.toml, a template): then nothing can be published.
fn broken_folders(report: &Report) -> Option<std::collections::BTreeSet<String>> {
    let mut broken = std::collections::BTreeSet::new();
    for d in report
        .diags
        .iter()
        .filter(|d| d.severity() == diagnostic::Severity::Error)
    {
        let path = match (d.file, &d.path) {
            (Some(f), _) => report.sources.path(f).to_path_buf(),
            (None, Some(p)) => p.clone(),
            (None, None) => return None,
        };
        let mut parts = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        match (parts.next().as_deref(), parts.next()) {
            (Some(kind @ ("issues" | "pocket")), Some(slug)) => {
                broken.insert(format!("{kind}/{slug}"))
            }
            _ => return None,
        };
    }
    Some(broken)
}
