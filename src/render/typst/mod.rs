//! Typesetting an issue with embedded Typst: virtual sources in, PDF out.
//!
//! For each issue pir writes, in memory, a small Typst project: the
//! template (`/zine.typ`), the issue's data as JSON (`/data.json`), one
//! markup file per piece (`/pieces/<slug>.typ`), the timeline drawings
//! (`/timelines/<slug>.svg`) and a `/main.typ` that strings them together.
//! `pir build --emit-typst` writes the same files to disk, so that anyone
//! can compile them with the Typst CLI and compare.

pub mod data;
pub mod markup;
pub mod memory;
pub mod world;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diagnostic::{Code, Diagnostic, Sources};
use chrono::NaiveDate;

use crate::edition::output::PrintRow;
use crate::edition::{DocId, IssueId};
use crate::model::{Issue, Piece, Pocket, Project};
use crate::render::svg;
use markup::Ctx;
use world::{Fonts, ZineWorld};

/// One document to typeset: an issue, a pocket zine, or a printing sheet.
pub struct Job<'a> {
    pub doc: DocId,
    /// The project folder the pieces live in (`issues/march-2020`; `templates` for the printing sheets).
    pub dir: PathBuf,
    pub pieces: &'a [Piece],
    /// The document's data, as `/data.json`.
    pub data: Vec<u8>,
    /// The date the document carries (never the clock).
    pub date: NaiveDate,
}

impl<'a> Job<'a> {
    /// The job of a page about printing (the instructions, [`DocId::Printing`],
    /// or the test sheet, [`DocId::PrinterTest`]), for every print file the build made.
    pub fn printing(
        project: &'a Project,
        doc: DocId,
        pieces: &'a [Piece],
        documents: &'a [PrintRow],
    ) -> Job<'a> {
        let date = project
            .issues
            .iter()
            .map(|i| i.date.value)
            .chain(project.pockets.iter().map(|p| p.date.value))
            .max()
            .unwrap_or_default();
        let data = serde_json::to_vec_pretty(&crate::model::smart_quote_view(
            &data::printing_data(project, pieces, documents, date),
        ))
        .expect("data serializes");
        Job {
            doc,
            dir: PathBuf::from(crate::files::TEMPLATES),
            pieces,
            data,
            date,
        }
    }

    /// The job of an issue.
    pub fn issue(project: &Project, issue: &'a Issue) -> Job<'a> {
        let data = serde_json::to_vec_pretty(&crate::model::smart_quote_view(&data::issue_data(
            project, issue,
        )))
        .expect("data serializes");
        let doc = IssueId::of(issue).doc();
        Job {
            dir: doc.folder(),
            doc,
            pieces: &issue.pieces,
            data,
            date: issue.date.value,
        }
    }

    /// The job of a pocket zine.
    pub fn pocket(project: &Project, pocket: &'a Pocket) -> Job<'a> {
        let data = serde_json::to_vec_pretty(&crate::model::smart_quote_view(&data::pocket_data(
            project, pocket,
        )))
        .expect("data serializes");
        let doc = DocId::pocket(pocket);
        Job {
            dir: doc.folder(),
            doc,
            pieces: &pocket.pieces,
            data,
            date: pocket.date.value,
        }
    }

    /// The template file that typesets it, which must export `zine` and `piece`.
    pub fn template(&self) -> &'static str {
        match self.doc {
            DocId::Issue(_) => "zine.typ",
            DocId::Pocket(_) => "pocket.typ",
            DocId::Printing => "printing.typ",
            DocId::PrinterTest => "printer-test.typ",
        }
    }
}

/// A typeset document.
pub struct Typeset {
    pub document: PagedDocument,
    /// The virtual files the document was compiled from, for `--emit-typst`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Typst's warnings, as diagnostics.
    pub warnings: Vec<Diagnostic>,
    /// Every project file Typst read, with its fingerprint (see [`world`]).
    pub dependencies: std::collections::BTreeMap<String, String>,
}

/// A template file's text and the name to show in diagnostics: the project's override, or the built-in one.
pub fn template(root: &Path, name: &str) -> std::io::Result<(String, String)> {
    // A read error names the file: "templates/zine.typ: stream did not contain valid UTF-8".
    let found = crate::templates::read(root, name)
        .map_err(|e| std::io::Error::new(e.kind(), format!("templates/{name}: {e}")))?;
    Ok(found.unwrap_or_else(|| (String::new(), format!("<built-in>/templates/{name}"))))
}

/// Reads a project file for the Typst world; files under `templates/` fall back to the built-in ones.
fn project_file(root: &Path, rel: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => Ok(bytes),
        Err(e) => match rel.strip_prefix("templates").ok().and_then(|n| {
            crate::templates::BUILT_IN
                .iter()
                .find(|(b, _)| Path::new(b) == n)
        }) {
            Some((_, text)) => Ok(text.as_bytes().to_vec()),
            None => Err(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", rel.display()),
            )),
        },
    }
}

/// Generates the virtual files of a document.
pub fn sources(project: &Project, job: &Job<'_>) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let (tpl, _) = template(&project.root, job.template())?;
    let tpl_path = format!("/{}", job.template());
    let mut files: Vec<(String, Vec<u8>)> = vec![(tpl_path.clone(), tpl.into_bytes())];
    // The theme (fonts, colours) that every built-in template imports; a project may override it alone.
    let (mut theme, _) = template(&project.root, "theme.typ")?;
    // `extra_typst`: imported last, so its `#let`s replace the theme's names.
    if let Some(extra) = &project.site.extra_typst {
        files.push((
            "/extra.typ".into(),
            project_file(&project.root, Path::new(&extra.value))?,
        ));
        theme.push_str("\n#import \"/extra.typ\": *\n");
    }
    files.push(("/theme.typ".into(), theme.into_bytes()));
    let dir = format!("/{}", job.dir.to_string_lossy().replace('\\', "/"));
    let ctx = markup_ctx(project, job, &dir);
    let mut main = format!(
        "// Generated by pir from Markdown; compile with --font-path pointing at fonts/.\n#import \"{tpl_path}\": zine, piece\n#let data = json(\"/data.json\")\n#show: zine.with(data)\n\n"
    );
    for (i, piece) in job.pieces.iter().enumerate() {
        let text = markup::piece(piece, i, &ctx, &tpl_path).text;
        if let Some(incident) = &piece.incident {
            files.push((
                format!("/timelines/{}.svg", piece.slug),
                svg::timeline(incident).into_bytes(),
            ));
        }
        files.push((format!("/pieces/{}.typ", piece.slug), text.into_bytes()));
        // The piece's images travel with the sources, so the emitted folder compiles on its own.
        for image in piece.images.iter().chain(piece.image.iter()) {
            if let Some(rel) = crate::files::inside(&job.dir, &image.path) {
                let vpath = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
                if !files.iter().any(|(p, _)| *p == vpath) {
                    files.push((vpath, project_file(&project.root, &rel)?));
                }
            }
        }
        main.push_str(&format!(
            "#piece(data.pieces.at({i}), include \"/pieces/{}.typ\")\n",
            piece.slug
        ));
    }
    files.push(("/data.json".into(), job.data.clone()));
    files.push(("/main.typ".into(), main.into_bytes()));
    Ok(files)
}

/// What the markup writer needs to know of a document.
fn markup_ctx<'a>(project: &'a Project, job: &'a Job<'a>, dir: &'a str) -> Ctx<'a> {
    let folder = match &job.doc {
        DocId::Issue(issue) => issue.slug.as_str(),
        _ => "",
    };
    Ctx {
        dir,
        folder,
        pieces: job.pieces,
        base_url: &project.site.base_url,
        raw_html: project.site.raw_html,
    }
}

/// Typesets a document; on failure, returns Typst's errors as diagnostics.
pub fn typeset(
    project: &Project,
    job: &Job<'_>,
    fonts: Arc<Fonts>,
    diag_sources: &mut Sources,
) -> Result<Typeset, Vec<Diagnostic>> {
    let io = |e: std::io::Error| {
        vec![Diagnostic::at_path(
            Code::Io,
            job.dir.clone(),
            format!("cannot read the files of {}: {e}", job.doc.slug()),
        )]
    };
    let files = sources(project, job).map_err(io)?;
    typeset_files(project, job, files, fonts, diag_sources)
}

/// Typesets a document from its generated virtual files (see [`sources`]).
pub fn typeset_files(
    project: &Project,
    job: &Job<'_>,
    files: Vec<(String, Vec<u8>)>,
    fonts: Arc<Fonts>,
    diag_sources: &mut Sources,
) -> Result<Typeset, Vec<Diagnostic>> {
    let io = |e: std::io::Error| {
        vec![Diagnostic::at_path(
            Code::Io,
            job.dir.clone(),
            format!("cannot read the files of {}: {e}", job.doc.slug()),
        )]
    };
    let (_, template_name) = template(&project.root, job.template()).map_err(io)?;
    let mut world = ZineWorld::new(&project.root, fonts, "/main.typ", job.date);
    for (path, data) in &files {
        if path.ends_with(".typ") {
            world.add_source(path, String::from_utf8_lossy(data).into_owned());
        } else {
            world.add_file(path, data.clone());
        }
    }
    let result = typst::compile::<PagedDocument>(&world);
    let tpl_path = format!("/{}", job.template());
    let mut convert = |d: &SourceDiagnostic| {
        typst_diagnostic(
            &world,
            d,
            (&tpl_path, &template_name),
            (project, job),
            diag_sources,
        )
    };
    let warnings: Vec<Diagnostic> = result.warnings.iter().map(&mut convert).collect();
    match result.output {
        Ok(document) => Ok(Typeset {
            document,
            files,
            warnings,
            dependencies: world.dependencies(),
        }),
        Err(errors) => Err(errors
            .iter()
            .map(&mut convert)
            .chain(warnings.clone())
            .collect()),
    }
}

/// The page (1-based) each piece of a laid-out document starts on, in the
/// order of the pieces: where the templates' `<pir-piece>` marks landed.
pub fn piece_starts(document: &PagedDocument) -> Vec<usize> {
    use typst::foundations::{Label, Selector};
    use typst::introspection::Introspector;
    let Some(label) = Label::new(typst::utils::PicoStr::intern("pir-piece")) else {
        return Vec::new();
    };
    let introspector = document.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|mark| mark.location())
        .filter_map(|at| introspector.page(at))
        .map(|page| page.get())
        .collect()
}

/// Exports a document as PDF, dated by its content (never the clock).
/// `ua` claims PDF/UA-1; `tagged` is off for imposed sheets, which are not in reading order.
pub fn pdf(
    document: &PagedDocument,
    ident: &str,
    date: NaiveDate,
    ua: bool,
    tagged: bool,
) -> Result<Vec<u8>, String> {
    use chrono::Datelike;
    let timestamp =
        typst::foundations::Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .map(Timestamp::new_utc);
    let standards = if ua {
        PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?
    } else {
        PdfStandards::default()
    };
    let options = PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("pir/{ident}")),
        timestamp,
        standards,
        tagged,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Turns a Typst diagnostic into one of ours, quoting the Typst source it points into.
fn typst_diagnostic(
    world: &ZineWorld,
    d: &SourceDiagnostic,
    (tpl_path, tpl_name): (&str, &str),
    (project, job): (&Project, &Job<'_>),
    sources: &mut Sources,
) -> Diagnostic {
    let code = if d.severity == TypstSeverity::Error {
        Code::TypstError
    } else {
        Code::TypstWarning
    };
    let hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
    let place = match (d.span.id(), world.range(d.span)) {
        (Some(id), Some(range)) => {
            in_markdown(project, job, id.vpath().get_with_slash(), &range, sources)
        }
        _ => None,
    };
    let mut diag = match (d.span.id(), world.range(d.span)) {
        _ if place.is_some() => {
            let (file, at) = place.expect("checked");
            Diagnostic::new(code, file, at, d.message.to_string())
        }
        (Some(id), Some(range)) => {
            let vpath = id.vpath().get_with_slash().to_string();
            let name = if vpath == tpl_path {
                tpl_name.to_string()
            } else if vpath == "/extra.typ"
                && let Some(extra) = &project.site.extra_typst
            {
                extra.value.clone()
            } else if vpath == "/theme.typ" {
                template(&project.root, "theme.typ")
                    .map(|t| t.1)
                    .unwrap_or_else(|_| "templates/theme.typ".into())
            } else {
                format!("<generated for {}>{vpath}", job.doc.slug())
            };
            let text = world.source_text(id).unwrap_or_default();
            let file = sources.add(Path::new(&name), text);
            Diagnostic::new(code, file, range, d.message.to_string())
        }
        _ => Diagnostic::at_path(code, job.dir.clone(), d.message.to_string()),
    };
    if !hints.is_empty() {
        diag = diag.hint(hints.join("; "));
    }
    diag
}

/// Where in a piece's Markdown the generated markup at `range` of `vpath` came from.
fn in_markdown(
    project: &Project,
    job: &Job<'_>,
    vpath: &str,
    range: &std::ops::Range<usize>,
    sources: &mut Sources,
) -> Option<(crate::diagnostic::FileId, std::ops::Range<usize>)> {
    let slug = vpath.strip_prefix("/pieces/")?.strip_suffix(".typ")?;
    let (index, piece) = job
        .pieces
        .iter()
        .enumerate()
        .find(|(_, p)| p.slug == slug)?;
    let dir = format!("/{}", job.dir.to_string_lossy().replace('\\', "/"));
    let markup = markup::piece(
        piece,
        index,
        &markup_ctx(project, job, &dir),
        &format!("/{}", job.template()),
    );
    let span = markup.source_at(range.start)?;
    let text = std::fs::read_to_string(project.root.join(&piece.path)).ok()?;
    let at = span.start + piece.body_offset..span.end + piece.body_offset;
    text.get(at.clone())?;
    Some((sources.add(&piece.path, text), at))
}

/// Typesets short lines (the print variants' margin lines) in 7 pt League
/// Spartan with the built-in fonts, one frame per line, for the imposition to place.
pub fn margin_lines(lines: &[String]) -> Result<Vec<typst::layout::Frame>, String> {
    let doc = margin_document(lines)?;
    Ok(doc.pages().iter().map(|p| p.frame.clone()).collect())
}

/// The lines of [`margin_lines`] as a document, one line a page, each page the line's size.
pub fn margin_document(lines: &[String]) -> Result<PagedDocument, String> {
    let mut src = String::from(
        "#set page(width: auto, height: auto, margin: 0pt)\n#set text(font: \"League Spartan\", size: 7pt, fill: luma(60))\n",
    );
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            src.push_str("#pagebreak()\n");
        }
        let quoted: String = line
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        src.push_str(&format!("#\"{quoted}\"\n"));
    }
    compile_source(&src).map_err(|e| e.join("; "))
}

/// The text of a typeset document, page by page, in reading order of its frames.
pub fn page_texts(document: &PagedDocument) -> Vec<String> {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    document
        .pages()
        .iter()
        .map(|p| {
            let mut s = String::new();
            walk(&p.frame, &mut s);
            s
        })
        .collect()
}

/// Compiles a standalone Typst document with the embedded fonts (for tests and tools).
pub fn compile_source(source: &str) -> Result<PagedDocument, Vec<String>> {
    let root = std::env::temp_dir();
    let day = chrono::NaiveDate::from_ymd_opt(2020, 3, 1).expect("a date");
    let mut world = ZineWorld::new(&root, Fonts::embedded(), "/main.typ", day);
    world.add_source("/main.typ", source.to_string());
    let result = typst::compile::<PagedDocument>(&world);
    result
        .output
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect())
}

/// Compiles a fragment of generated markup on a plain page; returns its text or Typst's errors.
pub fn compile_markup(markup: &str) -> Result<String, Vec<String>> {
    let page = "#set page(width: 420pt, height: auto, margin: 10pt)\n#set text(font: \"Charis SIL\", hyphenate: false)\n";
    compile_source(&format!("{page}{markup}")).map(|doc| page_texts(&doc).join("\n"))
}
