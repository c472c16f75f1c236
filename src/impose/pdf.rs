//! Print sheets made from the reading PDF itself, as pdfjam and pdfimpose
//! make them: each page of the reading PDF becomes a Form XObject (with
//! hayro-write, the extractor Typst uses to embed PDF images), placed on its
//! sheet with a transform, so its fonts, images and colour spaces are copied
//! once per file as they are (compressed streams are not inflated) instead of
//! being subset, compressed and exported again for every paper and flip
//! edge. The sheets' labels come the same way from a small PDF with one
//! label per page; the marks are drawn as lines. Print sheets are not
//! tagged: they are for the printer, and the reading PDF is the accessible
//! one.

use std::collections::BTreeMap;
use std::sync::Arc;

use hayro_write::hayro_syntax::Pdf;
use hayro_write::{ExtractionQuery, extract};
use pdf_writer::{Content, Finish, Name, Rect, Ref, TextStr};

use super::{DASH, MARK_WIDTH, Side};

/// What the print PDF says of itself.
pub struct Meta<'a> {
    /// The document's title, as its reading PDF has it.
    pub title: &'a str,
    /// A name unique to this file (its document id is made from it).
    pub ident: &'a str,
    /// The date it carries (never the clock).
    pub date: chrono::NaiveDate,
}

/// A PDF read for its pages: its bytes parsed, and each page's size in points.
pub struct Source {
    pdf: Pdf,
    sizes: Vec<(f32, f32)>,
}

impl Source {
    /// Reads a PDF's pages (the reading PDF, or the labels).
    pub fn new(bytes: Arc<Vec<u8>>) -> Result<Source, String> {
        let pdf = Pdf::new(bytes).map_err(|e| format!("the PDF cannot be read back: {e:?}"))?;
        let sizes = pdf.pages().iter().map(|p| p.render_dimensions()).collect();
        Ok(Source { pdf, sizes })
    }

    /// How many pages it has.
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    /// Whether it has no page.
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }
}

/// A reading PDF's pages copied once as Form XObjects, ready to be placed on
/// the sheets of every print variant (each file gets the same objects under
/// the same numbers).
pub struct Pages<'a> {
    source: &'a Source,
    chunk: pdf_writer::Chunk,
    refs: BTreeMap<usize, Ref>,
    /// The first object number after the copied pages.
    next: Ref,
}

/// The object numbers every print PDF begins with: catalog, page tree, info.
const CATALOG: Ref = Ref::new(1);
const TREE: Ref = Ref::new(2);
const INFO: Ref = Ref::new(3);

impl<'a> Pages<'a> {
    /// Copies every page of `source` as a Form XObject, with everything it uses.
    pub fn copy(source: &'a Source) -> Result<Pages<'a>, String> {
        let mut next = Ref::new(4);
        let all: Vec<usize> = (0..source.len()).collect();
        let (chunk, refs) = xobjects(source, &all, &mut next)?;
        Ok(Pages {
            source,
            chunk,
            refs,
            next,
        })
    }
}

/// Writes the print PDF of laid-out `sides`: their pages from `pages`, their labels from `labels`.
pub fn sheets(
    pages: &Pages<'_>,
    labels: &Source,
    sides: &[Side],
    meta: &Meta<'_>,
) -> Result<Vec<u8>, String> {
    let mut next = pages.next;
    let used_labels: Vec<usize> = unique(sides.iter().filter_map(|s| s.label.map(|l| l.0)));
    let (label_chunk, label_refs) = xobjects(labels, &used_labels, &mut next)?;
    let mut pdf = pdf_writer::Pdf::new();
    let mut kids = Vec::new();
    for side in sides {
        let (page_id, content_id) = (next.bump(), next.bump());
        kids.push(page_id);
        let content = draw(side, pages.source, labels);
        let (sw, sh) = side.size;
        let mut page = pdf.page(page_id);
        page.parent(TREE)
            .media_box(Rect::new(0.0, 0.0, sw as f32, sh as f32))
            .contents(content_id);
        let mut resources = page.resources();
        let mut objects = resources.x_objects();
        for p in &side.pages {
            let r = pages
                .refs
                .get(&p.page)
                .ok_or_else(|| format!("the PDF has no page {}", p.page + 1))?;
            objects.pair(Name(page_name(p.page).as_bytes()), *r);
        }
        if let Some((i, _, _)) = side.label {
            objects.pair(Name(label_name(i).as_bytes()), label_refs[&i]);
        }
        objects.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content);
    }
    pdf.pages(TREE)
        .kids(kids.iter().copied())
        .count(kids.len() as i32);
    pdf.catalog(CATALOG).pages(TREE);
    let date = pdf_date(meta.date);
    pdf.document_info(INFO)
        .title(TextStr(meta.title))
        .creator(TextStr(concat!("pir ", env!("CARGO_PKG_VERSION"))))
        .creation_date(date)
        .modified_date(date);
    let id = crate::files::fingerprint(meta.ident.as_bytes()).into_bytes();
    pdf.set_file_id((id.clone(), id));
    pdf.extend(&pages.chunk);
    pdf.extend(&label_chunk);
    Ok(pdf.finish())
}

/// The distinct values, in order of first appearance.
fn unique(items: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Copies `which` pages of `source` as Form XObjects, with everything they use, into a chunk.
fn xobjects(
    source: &Source,
    which: &[usize],
    next: &mut Ref,
) -> Result<(pdf_writer::Chunk, BTreeMap<usize, Ref>), String> {
    if let Some(&missing) = which.iter().find(|&&i| i >= source.len()) {
        return Err(format!("the PDF has no page {}", missing + 1));
    }
    let queries: Vec<ExtractionQuery> = which
        .iter()
        .map(|&i| ExtractionQuery::new_xobject(i))
        .collect();
    let extracted = extract(
        &source.pdf,
        Box::new(|| next.bump()),
        hayro_write::ChunkSettings::default(),
        |group| {
            group.color_space().srgb();
        },
        &queries,
    )
    .map_err(|e| format!("a page cannot be copied: {e:?}"))?;
    let mut refs = BTreeMap::new();
    for (&i, r) in which.iter().zip(extracted.root_refs) {
        refs.insert(
            i,
            r.map_err(|e| format!("page {} cannot be copied: {e:?}", i + 1))?,
        );
    }
    Ok((extracted.chunk, refs))
}

/// The name a sheet's resources give a source page.
fn page_name(i: usize) -> String {
    format!("P{i}")
}

/// The name a sheet's resources give a label.
fn label_name(i: usize) -> String {
    format!("L{i}")
}

/// The content stream of one sheet side. Layouts measure from the sheet's
/// top-left with y down; PDF measures from its bottom-left with y up.
fn draw(side: &Side, pages: &Source, labels: &Source) -> Vec<u8> {
    let (sw, sh) = side.size;
    let mut c = Content::new();
    if side.turned {
        c.save_state();
        c.transform([-1.0, 0.0, 0.0, -1.0, sw as f32, sh as f32]);
    }
    for p in &side.pages {
        let (pw, ph) = pages.sizes[p.page];
        let s = p.scale as f32;
        let (x, y) = (p.x as f32, p.y as f32);
        let matrix = if p.turned {
            [-s, 0.0, 0.0, -s, x + s * pw, sh as f32 - y]
        } else {
            [s, 0.0, 0.0, s, x, sh as f32 - y - s * ph]
        };
        c.save_state();
        c.transform(matrix);
        c.x_object(Name(page_name(p.page).as_bytes()));
        c.restore_state();
    }
    if !side.marks.is_empty() {
        c.save_state();
        c.set_stroke_gray(0.0);
        c.set_line_width(MARK_WIDTH as f32);
        for m in &side.marks {
            if m.dashed {
                c.set_dash_pattern(DASH.map(|d| d as f32), 0.0);
            } else {
                c.set_dash_pattern([], 0.0);
            }
            c.move_to(m.from.0 as f32, (sh - m.from.1) as f32);
            c.line_to(m.to.0 as f32, (sh - m.to.1) as f32);
            c.stroke();
        }
        c.restore_state();
    }
    if let Some((i, x, y)) = side.label
        && let Some(&(_, lh)) = labels.sizes.get(i)
    {
        c.save_state();
        c.transform([1.0, 0.0, 0.0, 1.0, x as f32, sh as f32 - y as f32 - lh]);
        c.x_object(Name(label_name(i).as_bytes()));
        c.restore_state();
    }
    if side.turned {
        c.restore_state();
    }
    c.finish().into_vec()
}

/// A date as a PDF date at midnight UTC.
fn pdf_date(date: chrono::NaiveDate) -> pdf_writer::Date {
    use chrono::Datelike;
    pdf_writer::Date::new(date.year() as u16)
        .month(date.month() as u8)
        .day(date.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}
