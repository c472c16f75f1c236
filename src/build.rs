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
//! print settings and pir's version. A record of those keys is kept in the
//! output folder (`.pir-build.json`); a document whose key is unchanged is
//! taken from the previous output instead of being typeset again. The site's
//! pages are cheap and are always rendered anew. Dirty documents are
//! typeset in parallel (rayon); Typst's memoization is shared across them.

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
use crate::render::typst::{self as typeset, Job, world::Fonts};

/// The build record's file name, in the output folder.
pub const RECORD: &str = ".pir-build.json";

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
    pub a4: bool,
    pub long_edge: Option<bool>,
    pub creep: Option<f64>,
    pub crop_marks: bool,
}

/// One document's share of the output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocOutput {
    /// `issues/march-2020` or `pocket/prompts`.
    pub dir: PathBuf,
    pub title: String,
    pub pages: usize,
    pub pdf_bytes: usize,
    /// Sheets of paper the print PDF needs.
    pub sheets: usize,
    pub print_bytes: usize,
    /// The letter print PDF's file name.
    pub print_file: String,
}

/// A document's entry in the build record.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    files: Vec<PathBuf>,
    output: Option<DocOutput>,
}

/// The build record: each document's input key and the files it produced.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    pir: String,
    documents: BTreeMap<String, Entry>,
}

/// Everything a build produced: files by path relative to the output folder.
#[derive(Default)]
pub struct Built {
    pub files: Vec<(PathBuf, Vec<u8>)>,
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
    issues.iter().filter(move |i| drafts || i.status == Status::Published)
}

/// A 128-bit SipHash (a fixed, documented algorithm, unlike std's
/// `DefaultHasher`) of the given parts, as hex.
fn key(parts: &[&[u8]]) -> String {
    let mut h = siphasher::sip128::SipHasher13::new();
    for p in parts {
        h.write_usize(p.len());
        h.write(p);
    }
    format!("{:032x}", siphasher::sip128::Hasher128::finish128(&h).as_u128())
}

/// The files of a project folder that feed every document (fonts), as one key part.
fn fonts_key(root: &Path) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let dir = root.join("fonts");
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.push((path.strip_prefix(base).unwrap_or(&path).to_string_lossy().into_owned(), bytes));
            }
        }
    }
    walk(&dir, &dir, &mut parts);
    parts.sort();
    let flat: Vec<&[u8]> = parts.iter().flat_map(|(n, b)| [n.as_bytes(), b.as_slice()]).collect();
    key(&flat).into_bytes()
}

/// Reads the previous build's record, if it is there and from this pir.
fn previous_record(dir: Option<&Path>) -> Record {
    let Some(dir) = dir else { return Record::default() };
    let record: Record = std::fs::read(dir.join(RECORD)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    if record.pir == env!("CARGO_PKG_VERSION") { record } else { Record::default() }
}

/// Files by path in the output folder, with their bytes.
type Files = Vec<(PathBuf, Vec<u8>)>;

/// A document to produce: its job, the files Typst sees, and its key.
struct Planned<'a> {
    job: Job<'a>,
    stem: String,
    title: String,
    planned: Option<u32>,
    files: Vec<(String, Vec<u8>)>,
    key: String,
}

/// What became of one document: taken from the previous output, or typeset now.
enum Outcome {
    Reused(Entry, Files),
    Produced(Produced),
}

/// What typesetting one document gave.
struct Produced {
    files: Vec<(PathBuf, Vec<u8>)>,
    output: Option<DocOutput>,
    diags: Vec<Diagnostic>,
    sources: Sources,
}

/// Builds every published issue and every pocket zine of a checked project.
/// Errors and warnings found on the way are added to the report; files are
/// returned only when there was no error.
pub fn build(report: &mut Report, options: &Options) -> Option<Built> {
    build_with_progress(report, options, &|_| {})
}

/// As [`build`], telling `progress` the name of each document as it is done.
pub fn build_with_progress(report: &mut Report, options: &Options, progress: &(dyn Fn(&str) + Sync)) -> Option<Built> {
    let broken = match broken_folders(report) {
        Some(broken) if broken.is_empty() || options.keep_going => broken,
        _ => return None,
    };
    let fonts = match Fonts::with_project(&report.project.root.join("fonts")) {
        Ok(f) => f,
        Err(e) => {
            report.diags.push(Diagnostic::at_path(Code::Io, "fonts", format!("cannot read the project's fonts: {e}")));
            return None;
        }
    };
    let project = &report.project;
    let print = &project.site.print;
    let imposition = impose::Options {
        paper: impose::Paper::Letter,
        duplex: if options.print.long_edge.unwrap_or(print.long_edge) { impose::Duplex::LongEdge } else { impose::Duplex::ShortEdge },
        creep: options.print.creep.unwrap_or(print.creep),
        crop_marks: options.print.crop_marks || print.crop_marks,
    };
    let mut papers = vec![impose::Paper::Letter];
    if options.print.a4 || print.a4 {
        papers.push(impose::Paper::A4);
    }
    let common = format!("pir {} | {:?} | {:?} | emit {}", env!("CARGO_PKG_VERSION"), imposition, papers, options.emit_typst);
    let fonts_part = fonts_key(&project.root);
    let previous = if options.force { Record::default() } else { previous_record(options.previous.as_deref()) };
    let mut record = Record { pir: env!("CARGO_PKG_VERSION").to_string(), documents: BTreeMap::new() };
    let mut built = Built { skipped: broken.iter().cloned().collect(), ..Built::default() };
    let mut diags = Vec::new();

    let mut jobs: Vec<(Job, String, String, Option<u32>)> = Vec::new();
    for issue in published(&project.issues, options).filter(|i| !broken.contains(&format!("issues/{}", i.slug))) {
        let title = format!("Issue {}: {}", issue.number.value, issue.title);
        jobs.push((Job::issue(project, issue), format!("issue-{}", issue.number.value), title, issue.pages));
    }
    for pocket in project.pockets.iter().filter(|p| !broken.contains(&format!("pocket/{}", p.slug))) {
        jobs.push((Job::pocket(project, pocket), pocket.slug.clone(), pocket.title.clone(), None));
    }
    let mut planned = Vec::new();
    for (job, stem, title, pages) in jobs {
        let files = match typeset::sources(project, &job) {
            Ok(f) => f,
            Err(e) => {
                diags.push(Diagnostic::at_path(Code::Io, job.dir.clone(), format!("cannot read the files of {title}: {e}")));
                continue;
            }
        };
        let mut parts: Vec<&[u8]> = vec![common.as_bytes(), &fonts_part];
        for (path, data) in &files {
            parts.push(path.as_bytes());
            parts.push(data);
        }
        let key = key(&parts);
        planned.push(Planned { job, stem, title, planned: pages, files, key });
    }

    // Reuse what is unchanged; typeset the rest in parallel.
    let reuse = |p: &Planned| -> Option<(Entry, Files)> {
        let old = previous.documents.get(&display_path(&p.job.dir)).filter(|e| e.key == p.key)?;
        let dir = options.previous.as_deref()?;
        let files: Option<Vec<_>> = old.files.iter().map(|f| std::fs::read(dir.join(f)).ok().map(|b| (f.clone(), b))).collect();
        Some((old.clone(), files?))
    };
    let results: Vec<Outcome> = planned
        .par_iter()
        .map(|p| {
            let result = match reuse(p) {
                Some((entry, files)) => Outcome::Reused(entry, files),
                None => Outcome::Produced(produce(project, p, &fonts, &papers, &imposition, options)),
            };
            progress(&display_path(&p.job.dir));
            result
        })
        .collect();
    for (p, outcome) in planned.iter().zip(results) {
        let name = display_path(&p.job.dir);
        match outcome {
            Outcome::Reused(entry, files) => {
                built.reused.push(name.clone());
                built.files.extend(files);
                if let Some(out) = &entry.output {
                    built.docs.push(out.clone());
                }
                record.documents.insert(name, entry);
            }
            Outcome::Produced(mut produced) => {
                report.sources.absorb(std::mem::take(&mut produced.sources), &mut produced.diags);
                if let (Some(planned_pages), Some(out)) = (p.planned, &produced.output)
                    && planned_pages as usize != out.pages
                {
                    let issue = published(&project.issues, options).find(|i| *i.slug == *p.job.slug).expect("the job's issue");
                    produced.diags.push(
                        Diagnostic::new(
                            Code::PageCount,
                            issue.file,
                            0..0,
                            format!(
                                "issue {} typesets to {} pages, not the {planned_pages} that issue.toml plans",
                                issue.number.value, out.pages
                            ),
                        )
                        .hint(format!("set `pages = {}`, or edit the pieces until the layout fits {planned_pages} pages", out.pages)),
                    );
                }
                diags.extend(produced.diags);
                let files: Vec<PathBuf> = produced.files.iter().map(|(f, _)| f.clone()).collect();
                built.files.extend(produced.files);
                if let Some(out) = &produced.output {
                    built.docs.push(out.clone());
                    built.typeset.push(name.clone());
                }
                record.documents.insert(name, Entry { key: p.key.clone(), files, output: produced.output });
            }
        }
    }

    let printing = printing_page(report, &fonts, &mut built, &mut diags, (&common, &fonts_part), (&previous, &mut record), options);
    if !diags.iter().any(|d| d.severity() == diagnostic::Severity::Error) {
        let input = crate::site::Input {
            project: &report.project,
            issues: published(&report.project.issues, options).filter(|i| !broken.contains(&format!("issues/{}", i.slug))).collect(),
            files: &built.files,
            docs: &built.docs,
            printing: printing.as_ref(),
        };
        let email_slugs: Vec<String> = input.issues.iter().map(|i| i.slug.clone()).collect();
        match crate::site::render(&input, &mut report.sources) {
            Ok(files) => built.files.extend(files),
            Err(errors) => diags.extend(errors),
        }
        for issue in report.project.issues.iter().filter(|i| email_slugs.contains(&i.slug)) {
            let previous = if options.force { None } else { options.previous.as_deref() };
            match crate::email::files(&report.project, issue, previous) {
                Ok(files) => built.files.extend(files),
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
    built.files.push((PathBuf::from(RECORD), serde_json::to_vec_pretty(&record).expect("record serializes")));
    // With --keep-going, the report's errors are the skipped folders'; only new ones fail the build.
    let failed = diags.iter().any(|d| d.severity() == diagnostic::Severity::Error);
    report.diags.extend(diags);
    diagnostic::sort(&mut report.diags, &report.sources);
    (!failed).then_some(built)
}

/// The issue and pocket folders that have errors, or `None` if an error is
/// outside them (zine.toml, a template): then nothing can be published.
fn broken_folders(report: &Report) -> Option<std::collections::BTreeSet<String>> {
    let mut broken = std::collections::BTreeSet::new();
    for d in report.diags.iter().filter(|d| d.severity() == diagnostic::Severity::Error) {
        let path = match (d.file, &d.path) {
            (Some(f), _) => report.sources.path(f).to_path_buf(),
            (None, Some(p)) => p.clone(),
            (None, None) => return None,
        };
        let mut parts = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
        match (parts.next().as_deref(), parts.next()) {
            (Some(kind @ ("issues" | "pocket")), Some(slug)) => broken.insert(format!("{kind}/{slug}")),
            _ => return None,
        };
    }
    Some(broken)
}

/// Typesets one document and makes its reading and print PDFs.
fn produce(
    project: &crate::model::Project,
    p: &Planned<'_>,
    fonts: &Arc<Fonts>,
    papers: &[impose::Paper],
    imposition: &impose::Options,
    options: &Options,
) -> Produced {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let job = &p.job;
    let title = &p.title;
    let mini = job.template == "pocket.typ";
    let typeset = match typeset::typeset_files(project, job, p.files.clone(), fonts.clone(), &mut sources) {
        Ok(t) => t,
        Err(errors) => return Produced { files, output: None, diags: errors, sources },
    };
    diags.extend(typeset.warnings);
    let pages = typeset.document.pages().len();
    let ident = display_path(&job.dir);
    let Some(pdf) = reading_pdf(&typeset.document, &ident, job, title, &mut diags) else {
        return Produced { files, output: None, diags, sources };
    };
    if options.emit_typst {
        for (path, data) in &typeset.files {
            files.push((job.dir.join("typst").join(path.trim_start_matches('/')), data.clone()));
        }
    }
    let mut print_bytes = 0;
    let sheets = if mini { 1 } else { impose::booklet_order(pages).len() };
    for paper in papers.iter().copied() {
        let imposed = if mini {
            impose::mini(&typeset.document, paper)
        } else {
            Ok(impose::booklet(&typeset.document, &impose::Options { paper, ..*imposition }))
        };
        let exported = imposed.and_then(|doc| typeset::pdf(&doc, &format!("{ident}/{}", paper.suffix()), job.date, false, false));
        match exported {
            Ok(bytes) => {
                print_bytes = print_bytes.max(bytes.len());
                files.push((job.dir.join(format!("{}-{}.pdf", p.stem, paper.suffix())), bytes));
            }
            Err(e) => {
                diags.push(Diagnostic::at_path(Code::TypstError, job.dir.clone(), format!("cannot make the print PDF of {title}: {e}")))
            }
        }
    }
    drop(typeset.document);
    // Keep memory flat across a large archive: forget what no recent document used
    // (what pir serve still needs is used again at once and survives).
    typst::comemo::evict(4);
    let print_file = format!("{}-print.pdf", p.stem);
    let output = DocOutput { dir: job.dir.clone(), title: title.clone(), pages, pdf_bytes: pdf.len(), sheets, print_bytes, print_file };
    files.push((job.dir.join(format!("{}.pdf", p.stem)), pdf));
    Produced { files, output: Some(output), diags, sources }
}

/// Loads the printing instructions (`templates/printing.md`, or the built-in one) as a piece.
fn load_printing(project: &crate::model::Project, sources: &mut Sources, diags: &mut Vec<Diagnostic>) -> Option<crate::model::Piece> {
    let (text, name) = match typeset::template(&project.root, "printing.md") {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::at_path(Code::Io, "templates/printing.md", format!("cannot read the printing instructions: {e}")));
            return None;
        }
    };
    let file = sources.add(Path::new(&name), text.clone());
    crate::load::piece::load(file, "printing", &text, diags)
}

/// Typesets the printing and folding instructions (`printing.pdf`) with the
/// sheet counts of everything the build printed, unless nothing it shows changed.
fn printing_page(
    report: &mut Report,
    fonts: &Arc<Fonts>,
    built: &mut Built,
    diags: &mut Vec<Diagnostic>,
    (common, fonts_part): (&str, &[u8]),
    (previous, record): (&Record, &mut Record),
    options: &Options,
) -> Option<crate::model::Piece> {
    let piece = load_printing(&report.project, &mut report.sources, diags)?;
    let project = &report.project;
    let documents: Vec<PrintedDoc> = built
        .docs
        .iter()
        .map(|d| PrintedDoc { title: d.title.clone(), file: d.print_file.clone(), pages: d.pages, sheets: d.sheets })
        .collect();
    let job = Job::printing(project, &piece, &documents);
    let files = match typeset::sources(project, &job) {
        Ok(f) => f,
        Err(e) => {
            diags.push(Diagnostic::at_path(Code::Io, "templates", format!("cannot read the printing page's files: {e}")));
            return Some(piece);
        }
    };
    let mut parts: Vec<&[u8]> = vec![common.as_bytes(), fonts_part];
    for (path, data) in &files {
        parts.push(path.as_bytes());
        parts.push(data);
    }
    let key = key(&parts);
    let name = "printing".to_string();
    let reused = previous
        .documents
        .get(&name)
        .filter(|e| e.key == key)
        .and(options.previous.as_deref())
        .and_then(|dir| std::fs::read(dir.join("printing.pdf")).ok());
    let pdf = match reused {
        Some(pdf) => {
            built.reused.push(name.clone());
            pdf
        }
        None => match typeset::typeset_files(project, &job, files, fonts.clone(), &mut report.sources) {
            Ok(t) => {
                diags.extend(t.warnings);
                built.typeset.push(name.clone());
                reading_pdf(&t.document, "printing", &job, "the printing instructions", diags)?
            }
            Err(errors) => {
                diags.extend(errors);
                return Some(piece);
            }
        },
    };
    built.files.push((PathBuf::from("printing.pdf"), pdf));
    record.documents.insert(name, Entry { key, files: vec![PathBuf::from("printing.pdf")], output: None });
    Some(piece)
}

/// Exports a reading PDF: PDF/UA-1 when the document allows it (a template
/// override may not), tagged PDF with a warning otherwise.
fn reading_pdf(
    document: &typst_layout::PagedDocument,
    ident: &str,
    job: &Job<'_>,
    title: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<u8>> {
    let pdf = typeset::pdf(document, ident, job.date, true, true).or_else(|why| {
        diags.push(
            Diagnostic::at_path(Code::NotAccessible, job.dir.clone(), format!("the PDF of {title} is tagged but not PDF/UA-1: {why}"))
                .hint("give every image alt text, start with a level-1 heading, and keep the document's title and language set in the template"),
        );
        typeset::pdf(document, ident, job.date, false, true)
    });
    match pdf {
        Ok(pdf) => Some(pdf),
        Err(e) => {
            diags.push(Diagnostic::at_path(Code::TypstError, job.dir.clone(), format!("cannot export the PDF of {title}: {e}")));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_sensitive() {
        assert_eq!(key(&[b"a", b"bc"]), key(&[b"a", b"bc"]));
        assert_ne!(key(&[b"a", b"bc"]), key(&[b"ab", b"c"]), "part boundaries count");
        assert_eq!(key(&[]).len(), 32);
    }
}
