//! The typeset outputs: every issue's and pocket zine's reading and print
//! PDFs (in parallel, each reused when unchanged), then the printing page
//! and the printer test sheet, which list what the first made.

use super::output::Output;
use super::produce::{Produced, load_printing, produce, reading_pdf};
use super::*;
use crate::edition::ids::Folder;
use crate::edition::output::print_rows;
use crate::edition::{DocId, words};

/// What a document is made from, before its sources are generated.
#[derive(Clone, Copy)]
enum Source<'a> {
    Issue(&'a Issue),
    Pocket(&'a crate::model::Pocket),
}

impl<'a> Source<'a> {
    /// The Typst job (the data is generated here, on the document's own thread).
    fn job(self, project: &crate::model::Project) -> Job<'a> {
        match self {
            Source::Issue(issue) => Job::issue(project, issue),
            Source::Pocket(pocket) => Job::pocket(project, pocket),
        }
    }

    /// Its title in messages and in the PDF.
    fn title(self) -> String {
        match self {
            Source::Issue(issue) => words::issue_heading(issue.number.value, &issue.title),
            Source::Pocket(pocket) => pocket.title.clone(),
        }
    }
}

/// What became of one document, with everything the build needs afterwards.
struct Done {
    /// Its folder (`issues/march-2020`), the record's name for it.
    name: String,
    entry: Option<Entry>,
    reused: bool,
    typeset: bool,
    diags: Vec<Diagnostic>,
    /// What the layout tells the writer, said on every build and never stored.
    layout: Vec<Diagnostic>,
    sources: Sources,
}

/// Every issue's and pocket zine's PDFs.
pub(super) struct Documents;

impl Output for Documents {
    fn name(&self) -> &'static str {
        "the PDFs"
    }

    fn write(&self, state: &mut State<'_>) {
        let project = &state.report.project;
        let mut sources: Vec<Source<'_>> = state.issues().into_iter().map(Source::Issue).collect();
        sources.extend(
            project
                .pockets
                .iter()
                .filter(|p| !state.broken.contains(&Folder::Pocket(p.slug.clone())))
                .map(Source::Pocket),
        );
        let done = {
            let state = &*state;
            workers::each(&sources, |source| document(state, *source))
        };
        drop(sources);
        for done in done {
            let mut diags = done.diags;
            state.report.sources.absorb(done.sources, &mut diags);
            if done.reused {
                state.built.reused.push(done.name.clone());
                if let Some(entry) = &done.entry {
                    diags.extend(
                        entry
                            .diagnostics
                            .iter()
                            .filter_map(|d| d.restore(&mut state.report.sources)),
                    );
                }
            } else if done.typeset {
                state.built.typeset.push(done.name.clone());
            }
            let Some(mut entry) = done.entry else {
                state.diags.extend(diags);
                continue;
            };
            if !done.reused {
                entry.diagnostics = diags
                    .iter()
                    .map(|d| Stored::new(d, &state.report.sources))
                    .collect();
            }
            state.diags.extend(diags);
            state.diags.extend(done.layout);
            if let Some(out) = &entry.output {
                state.built.docs.push(out.clone());
            }
            state.built.record.documents.insert(done.name, entry);
        }
    }
}

/// Typesets one document, or links it from the previous output when nothing it depends on changed.
fn document(state: &State<'_>, source: Source<'_>) -> Done {
    let project = &state.report.project;
    let job = source.job(project);
    let name = job.doc.name();
    let title = source.title();
    let mut done = Done {
        name: name.clone(),
        entry: None,
        reused: false,
        typeset: false,
        diags: Vec::new(),
        layout: Vec::new(),
        sources: Sources::default(),
    };
    let files = match typeset::sources(project, &job) {
        Ok(f) => f,
        Err(e) => {
            done.diags.push(Diagnostic::at_path(
                Code::Io,
                job.dir.clone(),
                format!("cannot read the files of {title}: {e}"),
            ));
            return done;
        }
    };
    let key = document_key(&state.common, &files);
    if let Some(old) = reusable(&state.previous, &name, &key, &project.root, &state.staging) {
        match keep_all(&state.staging, &name, old) {
            Ok(true) => {
                done.layout = layout_warnings(source, old.output.as_ref());
                done.entry = Some(old.clone());
                done.reused = true;
                (state.progress)(&name);
                return done;
            }
            Ok(false) => {}
            Err(e) => {
                done.diags.push(place_error(&name, e));
                return done;
            }
        }
    }
    let produced = produce(
        project,
        &job,
        &title,
        files,
        &state.fonts,
        &state.plan,
        state.options,
    );
    let Produced {
        files,
        reads,
        output,
        mut diags,
        sources,
    } = produced;
    for (path, bytes) in &files {
        if let Some(d) = place(&state.staging, &name, path, bytes) {
            diags.push(d);
        }
    }
    done.typeset = output.is_some();
    done.layout = layout_warnings(source, output.as_ref());
    done.entry = Some(entry(&key, &files, reads, Vec::new(), output));
    done.diags = diags;
    done.sources = sources;
    (state.progress)(&name);
    done
}

/// Links every file of a reused document from the previous output; false if
/// one was touched since the record vouched for it (then it is made again).
fn keep_all(staging: &Staging, name: &str, entry: &Entry) -> Result<bool, PlaceError> {
    for (file, _) in &entry.files {
        if !staging.keep(name, file)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A document's key: what all share, then every file Typst sees, by name.
fn document_key(common: &[u8], files: &[(String, Vec<u8>)]) -> String {
    let mut parts: Vec<&[u8]> = vec![common];
    for (path, data) in files {
        parts.push(path.as_bytes());
        parts.push(data);
    }
    key(&parts)
}

/// What the layout of an issue tells its writer: a page count other than
/// planned, blank pages a booklet needs. Said on every build, reused or not
/// (`pages` in issue.toml is not part of the key).
fn layout_warnings(source: Source<'_>, out: Option<&DocOutput>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let (Source::Issue(issue), Some(out)) = (source, out) else {
        return diags;
    };
    if let Some(planned) = issue.pages
        && planned as usize != out.pages
    {
        diags.push(
            Diagnostic::new(
                Code::PageCount,
                issue.file,
                0..0,
                format!(
                    "issue {} typesets to {} pages, not the {planned} that issue.toml plans",
                    issue.number.value, out.pages
                ),
            )
            .hint(format!(
                "set `pages = {}`, or edit the pieces until the layout fits {planned} pages",
                out.pages
            )),
        );
    }
    if let Some((blanks, place)) = impose::padding(out.pages, ends_with_back_cover(&issue.pieces)) {
        diags.push(
            Diagnostic::new(
                Code::PagePadding,
                issue.file,
                0..0,
                format!(
                    "issue {} typesets to {} pages, not a multiple of 4: the booklet gets {} {place}",
                    issue.number.value,
                    out.pages,
                    crate::edition::words::plural(blanks, "blank page")
                ),
            )
            .hint("a booklet's sheets carry 4 pages each; edit the pieces to fill the blanks, or leave them for notes"),
        );
    }
    diags
}

/// The printing and folding instructions (`printing.pdf`), with the sheet
/// counts of every print file, and the printer test sheet.
pub(super) struct PrintingPage;

impl Output for PrintingPage {
    fn name(&self) -> &'static str {
        "the printing page"
    }

    fn write(&self, state: &mut State<'_>) {
        let Some(piece) = load_printing(
            &state.report.project,
            &mut state.report.sources,
            &mut state.diags,
        ) else {
            return;
        };
        let documents = print_rows(&state.built.docs);
        let State {
            report,
            diags,
            staging,
            built,
            previous,
            common,
            fonts,
            ..
        } = &mut *state;
        let crate::check::Report {
            project, sources, ..
        } = &mut **report;
        // The instructions list every print file; the test sheet names only the flip edges.
        let pieces = std::slice::from_ref(&piece);
        let jobs = [
            (
                Job::printing(project, DocId::Printing, pieces, &documents),
                "the printing instructions",
            ),
            (
                Job::printing(project, DocId::PrinterTest, &[], &[]),
                "the printer test sheet",
            ),
        ];
        let shared = Shared {
            staging,
            previous,
            common,
            fonts,
        };
        // The two sheets are independent: typeset side by side, recorded in order.
        let (first, second) = rayon::join(
            || shared.sheet(project, &jobs[0].0, jobs[0].1),
            || shared.sheet(project, &jobs[1].0, jobs[1].1),
        );
        for sheet in [first, second] {
            sheet.record(sources, diags, built);
        }
        drop(jobs);
        state.printing = Some(piece);
    }
}

/// What making a printing sheet reads of the build's state.
struct Shared<'s> {
    staging: &'s Staging,
    previous: &'s Record,
    common: &'s [u8],
    fonts: &'s Arc<Fonts>,
}

/// One printing sheet, made or found unchanged, before the build records it.
struct Sheet {
    name: String,
    /// Its record entry (the warnings are stored when it is recorded).
    entry: Option<Entry>,
    reused: bool,
    diags: Vec<Diagnostic>,
    /// The generated sources its diagnostics point into.
    sources: Sources,
}

impl Shared<'_> {
    /// Makes one printing sheet's PDF into the staging folder, or links it unchanged.
    fn sheet(&self, project: &crate::model::Project, job: &Job<'_>, what: &str) -> Sheet {
        let name = &job.doc.name();
        let mut sheet = Sheet {
            name: name.to_string(),
            entry: None,
            reused: false,
            diags: Vec::new(),
            sources: Sources::default(),
        };
        let files = match typeset::sources(project, job) {
            Ok(f) => f,
            Err(e) => {
                sheet.diags.push(Diagnostic::at_path(
                    Code::Io,
                    "templates",
                    format!("cannot read the files of {what}: {e}"),
                ));
                return sheet;
            }
        };
        let key = document_key(self.common, &files);
        if let Some(old) = reusable(self.previous, name, &key, &project.root, self.staging)
            && let Ok(true) = keep_all(self.staging, name, old)
        {
            sheet.reused = true;
            sheet.entry = Some(old.clone());
            return sheet;
        }
        // The printing page's table lists every print file, so its layout grows with the
        // archive: Typst's cache is swept while it is laid out.
        let fonts = self.fonts.clone();
        let t = match typeset::memory::swept(|| {
            typeset::typeset_files(project, job, files, fonts, &mut sheet.sources)
        }) {
            Ok(t) => t,
            Err(errors) => {
                sheet.diags = errors;
                return sheet;
            }
        };
        sheet.diags = t.warnings;
        let Some(pdf) = reading_pdf(&t.document, name, job, what, &mut sheet.diags) else {
            return sheet;
        };
        let path = job.doc.reading_pdf();
        if let Some(d) = place(self.staging, name, &path, &pdf) {
            sheet.diags.push(d);
        }
        let files = vec![(path, pdf)];
        sheet.entry = Some(entry(&key, &files, t.dependencies, Vec::new(), None));
        sheet
    }
}

impl Sheet {
    /// Adds the sheet to the build: its diagnostics (a reused sheet's stored warnings said
    /// again), and its record entry with what typesetting said.
    fn record(self, sources: &mut Sources, diags: &mut Vec<Diagnostic>, built: &mut Built) {
        let mut said = self.diags;
        sources.absorb(self.sources, &mut said);
        let Some(mut entry) = self.entry else {
            diags.extend(said);
            return;
        };
        if self.reused {
            built.reused.push(self.name.clone());
            said.extend(entry.diagnostics.iter().filter_map(|d| d.restore(sources)));
        } else {
            built.typeset.push(self.name.clone());
            entry.diagnostics = said.iter().map(|d| Stored::new(d, sources)).collect();
        }
        diags.extend(said);
        built.record.documents.insert(self.name, entry);
    }
}
