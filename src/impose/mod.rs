//! Imposition: laying typeset pages out on sheets to print at home and fold.
//!
//! Two layouts:
//!
//! - the saddle-stitched booklet: two half-letter pages on each side of a
//!   landscape letter (or A4) sheet; sheets nest and are stapled on the fold;
//! - the one-sheet mini zine: eight pages on one side of one sheet, folded
//!   and cut once.
//!
//! Each is first worked out as a [`Side`] layout per sheet side: which page
//! goes where at what scale, turned or not, the fold and trim marks, where
//! the sheet's label goes. A layout is then realised in one of two ways:
//! [`pdf`] places the reading PDF's own pages on the sheets as Form
//! XObjects (what a build publishes: the fonts and images the reading PDF
//! holds are copied once, never subset or compressed again), and
//! [`booklet`]/[`mini`] place Typst's laid-out frames (for tests that
//! measure the layout without a PDF).

use typst::layout::{Abs, Frame, FrameItem, FrameKind, GroupItem, Point, Size, Transform};
use typst::model::Document;
use typst::visualize::{Color, FixedStroke, Geometry, Paint, Shape};
use typst_layout::{Page, PagedDocument};

pub mod pdf;

pub use crate::model::{Duplex, Paper, Variant};

/// How to impose a booklet.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub paper: Paper,
    pub duplex: Duplex,
    /// Points each sheet further in is shifted toward the spine (0: off).
    pub creep: f64,
    /// Trim marks at the fore-edges of scaled pages (A4); letter pages need no trimming.
    pub crop_marks: bool,
    /// The last page is a back cover, which stays last: padding goes before it.
    pub back_cover: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paper: Paper::Letter,
            duplex: Duplex::ShortEdge,
            creep: 0.0,
            crop_marks: false,
            back_cover: false,
        }
    }
}

/// Home printers leave about a quarter inch unprinted at every edge: marks stay inside it.
pub const PRINTABLE_INSET: f64 = 18.0;

/// One side of a sheet: the source page (0-based) on the left and on the right; `None` is blank.
pub type Pair = (Option<usize>, Option<usize>);

/// Where each source page goes in a saddle-stitched booklet of `pages` pages.
///
/// With N the page count rounded up to a multiple of 4, sheet k (0 from the
/// outside) carries N-2k | 2k+1 on its front and 2k+2 | N-2k-1 on its back
/// (1-based positions). Blank padding goes at the end: just before the back
/// cover when there is one (so it stays last), else after the last page, so
/// no piece is ever split by blanks.
pub fn booklet_order(pages: usize, back_cover: bool) -> Vec<[Pair; 2]> {
    let n = pages.div_ceil(4).max(1) * 4;
    // Position (1-based) to source page.
    let source = |pos: usize| -> Option<usize> {
        if pages == 0 || pos > n {
            None
        } else if back_cover && pos == n {
            Some(pages - 1)
        } else if pos < pages || (!back_cover && pos == pages) {
            Some(pos - 1)
        } else {
            None
        }
    };
    (0..n / 4)
        .map(|k| {
            let front = (source(n - 2 * k), source(2 * k + 1));
            let back = (source(2 * k + 2), source(n - 2 * k - 1));
            [front, back]
        })
        .collect()
}

/// The blank pages a booklet of `pages` pages gets, and where they go, in words.
pub fn padding(pages: usize, back_cover: bool) -> Option<(usize, String)> {
    let blanks = pages.div_ceil(4).max(1) * 4 - pages;
    (blanks > 0).then(|| {
        let place = if back_cover {
            format!(
                "after page {}, before the back cover",
                pages.saturating_sub(1)
            )
        } else {
            format!("after page {pages}, at the end")
        };
        (blanks, place)
    })
}

/// A page placed on a sheet side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The source page (0-based).
    pub page: usize,
    /// Its top-left corner on the sheet, in points from the sheet's top-left.
    pub x: f64,
    pub y: f64,
    pub scale: f64,
    /// Turned 180 degrees in its cell (the mini zine's top row).
    pub turned: bool,
}

/// A thin black line on a sheet, in points from its top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub dashed: bool,
}

/// One sheet side, laid out: what goes where, before it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// The sheet's width and height in points, landscape.
    pub size: (f64, f64),
    pub pages: Vec<Placed>,
    pub marks: Vec<Mark>,
    /// The sheet's label (by its index among the labels) and its top-left corner.
    pub label: Option<(usize, f64, f64)>,
    /// The whole side is turned 180 degrees (backs, for printers that flip on the long edge).
    pub turned: bool,
}

/// Lays out a booklet of `pages` pages of `page_size` (width, height in
/// points): one [`Side`] per sheet side, the `labels`-th first of them labelled.
pub fn booklet_layout(
    page_size: (f64, f64),
    pages: usize,
    options: &Options,
    labels: usize,
) -> Vec<Side> {
    let (sw, sh) = options.paper.size();
    let (pw, ph) = page_size;
    // Scale half-sheet to fit, never distort, and centre in each half.
    let scale = ((sw / 2.0) / pw).min(sh / ph).min(1.0);
    let (w, h) = (pw * scale, ph * scale);
    let y = (sh - h) / 2.0;
    // Centred in each half (on letter, the halves are exactly page-sized); with
    // crop marks, the pages meet at the spine so the trim falls where printers print.
    let inset = if options.crop_marks {
        sw / 2.0 - w
    } else {
        (sw / 2.0 - w) / 2.0
    };
    let mut out: Vec<Side> = Vec::new();
    for (k, pairs) in booklet_order(pages, options.back_cover).iter().enumerate() {
        // Inner sheets stick out at the fore-edge once folded; shift their pages toward the spine.
        let creep = options.creep * k as f64;
        for (s, (left, right)) in pairs.iter().enumerate() {
            let (left_x, right_x) = (inset + creep, sw - inset - w - creep);
            let placed = [(left, left_x), (right, right_x)]
                .into_iter()
                .filter_map(|(slot, x)| {
                    slot.map(|page| Placed {
                        page,
                        x,
                        y,
                        scale,
                        turned: false,
                    })
                })
                .collect();
            let mut marks = fold_marks(sw, sh);
            if options.crop_marks && scale < 1.0 {
                marks.extend(crop_marks([inset, sw - inset], sh));
            }
            // In the top margin of the left page, in line with its text, where the text never reaches.
            let label = (out.len() < labels).then(|| {
                let x = (inset + 0.5 * 72.0 * scale).max(PRINTABLE_INSET);
                (out.len(), x, PRINTABLE_INSET + 4.0)
            });
            out.push(Side {
                size: (sw, sh),
                pages: placed,
                marks,
                label,
                turned: s == 1 && options.duplex == Duplex::LongEdge,
            });
        }
    }
    out
}

/// Imposes a document as a saddle-stitched booklet of frames: one page per sheet side.
/// `labels` are frames to print in the margin of each side, in order (the variant's line).
pub fn booklet(doc: &PagedDocument, options: &Options, labels: &[Frame]) -> PagedDocument {
    let pages = doc.pages();
    let size = pages
        .first()
        .map(|p| (p.frame.size().x.to_pt(), p.frame.size().y.to_pt()))
        .unwrap_or((396.0, 612.0));
    let sides = booklet_layout(size, pages.len(), options, labels.len());
    let out: Vec<Page> = sides
        .iter()
        .enumerate()
        .map(|(i, side)| sheet_page(realise(side, pages, labels), i))
        .collect();
    PagedDocument::new(out.into(), doc.info().clone())
}

/// The order of the classic one-sheet mini zine: (page, turned) for the
/// top row left to right, then the bottom row.
pub const MINI_ORDER: [(usize, bool); 8] = [
    (4, true),
    (3, true),
    (2, true),
    (1, true),
    (5, false),
    (6, false),
    (7, false),
    (0, false),
];

/// Lays out up to eight pages (their sizes in points) as a one-sheet mini
/// zine: a 4x2 grid on one landscape sheet, the top row turned 180 degrees,
/// reading 5 4 3 2 over 6 7 8 1; `label` puts the sheet's label in the top
/// margin of the bottom-left page.
pub fn mini_layout(sizes: &[(f64, f64)], paper: Paper, label: bool) -> Result<Side, String> {
    if sizes.len() > 8 {
        return Err(format!(
            "a mini zine holds 8 pages, and this one has {}; use the booklet layout, or cut it down to 8",
            sizes.len()
        ));
    }
    let (sw, sh) = paper.size();
    let (cw, ch) = (sw / 4.0, sh / 2.0);
    // With fewer than eight pages, the last one is still the back (position 8).
    let source = |pos: usize| -> Option<usize> {
        let n = sizes.len();
        if n == 0 {
            None
        } else if pos + 1 < n {
            Some(pos)
        } else if pos == 7 {
            Some(n - 1)
        } else {
            None
        }
    };
    let mut pages = Vec::new();
    for (cell, (pos, turned)) in MINI_ORDER.iter().enumerate() {
        let Some(page) = source(*pos) else { continue };
        let (pw, ph) = sizes[page];
        let scale = (cw / pw).min(ch / ph);
        let (w, h) = (pw * scale, ph * scale);
        let (col, row) = (cell % 4, cell / 4);
        let x = col as f64 * cw + (cw - w) / 2.0;
        let y = row as f64 * ch + (ch - h) / 2.0;
        pages.push(Placed {
            page,
            x,
            y,
            scale,
            turned: *turned,
        });
    }
    Ok(Side {
        size: (sw, sh),
        pages,
        marks: mini_marks(sw, sh),
        label: label.then_some((0, 0.4 * 72.0, sh / 2.0 + 6.0)),
        turned: false,
    })
}

/// Imposes up to eight pages as a one-sheet mini zine of frames (see [`mini_layout`]).
pub fn mini(
    doc: &PagedDocument,
    paper: Paper,
    label: Option<&Frame>,
) -> Result<PagedDocument, String> {
    let pages = doc.pages();
    let sizes: Vec<(f64, f64)> = pages
        .iter()
        .map(|p| (p.frame.size().x.to_pt(), p.frame.size().y.to_pt()))
        .collect();
    let side = mini_layout(&sizes, paper, label.is_some())?;
    let labels: Vec<Frame> = label.into_iter().cloned().collect();
    Ok(PagedDocument::new(
        vec![sheet_page(realise(&side, pages, &labels), 0)].into(),
        doc.info().clone(),
    ))
}

/// Draws a laid-out side with Typst's frames: the pages, the marks and the label.
fn realise(side: &Side, pages: &[Page], labels: &[Frame]) -> Frame {
    let (sw, sh) = side.size;
    let mut sheet = Frame::new(Size::new(Abs::pt(sw), Abs::pt(sh)), FrameKind::Hard);
    for p in &side.pages {
        place(
            &mut sheet,
            &pages[p.page].frame,
            p.x,
            p.y,
            p.scale,
            p.turned,
        );
    }
    for m in &side.marks {
        line(&mut sheet, m);
    }
    if let Some((i, x, y)) = side.label
        && let Some(label) = labels.get(i)
    {
        sheet.push_frame(Point::new(Abs::pt(x), Abs::pt(y)), label.clone());
    }
    if side.turned {
        sheet = turned(sheet);
    }
    sheet
}

/// Places a page frame at (x, y), scaled, optionally turned 180 degrees in its cell.
fn place(sheet: &mut Frame, frame: &Frame, x: f64, y: f64, scale: f64, turn: bool) {
    let mut group = GroupItem::new(strip_tags(frame));
    let (w, h) = (
        frame.size().x.to_pt() * scale,
        frame.size().y.to_pt() * scale,
    );
    let mut t = Transform::scale(
        typst::layout::Ratio::new(scale),
        typst::layout::Ratio::new(scale),
    );
    if turn {
        // Rotate about the origin, then move back into the cell.
        t = t
            .post_concat(Transform::rotate(typst::layout::Angle::deg(180.0)))
            .post_concat(Transform::translate(Abs::pt(w), Abs::pt(h)));
    }
    group.transform = t;
    sheet.push(Point::new(Abs::pt(x), Abs::pt(y)), FrameItem::Group(group));
}

/// Copies a frame without its introspection tags: on a sheet, pages are out
/// of reading order, so headings must not turn into bookmarks in sheet order.
fn strip_tags(frame: &Frame) -> Frame {
    let mut out = frame.clone();
    out.retain(|item| !matches!(item, FrameItem::Tag(_)));
    let items: Vec<(Point, FrameItem)> = out.items().cloned().collect();
    out.clear();
    for (pos, item) in items {
        match item {
            FrameItem::Group(mut g) => {
                g.frame = strip_tags(&g.frame);
                g.parent = None;
                out.push(pos, FrameItem::Group(g));
            }
            FrameItem::Link(typst::model::Destination::Location(_), _) => {}
            other => out.push(pos, other),
        }
    }
    out
}

/// Turns a whole sheet side 180 degrees (for printers that flip on the long edge).
fn turned(sheet: Frame) -> Frame {
    let size = sheet.size();
    let mut out = Frame::new(size, FrameKind::Hard);
    let mut group = GroupItem::new(sheet);
    group.transform = Transform::rotate(typst::layout::Angle::deg(180.0))
        .post_concat(Transform::translate(size.x, size.y));
    out.push(Point::zero(), FrameItem::Group(group));
    out
}

/// Draws a mark as a thin black line.
fn line(sheet: &mut Frame, mark: &Mark) {
    let ((x1, y1), (x2, y2)) = (mark.from, mark.to);
    let mut stroke = FixedStroke::from_pair(Paint::Solid(Color::BLACK), Abs::pt(MARK_WIDTH));
    if mark.dashed {
        stroke.dash = Some(typst::visualize::DashPattern {
            array: DASH.iter().map(|d| Abs::pt(*d)).collect(),
            phase: Abs::zero(),
        });
    }
    let shape = Shape {
        geometry: Geometry::Line(Point::new(Abs::pt(x2 - x1), Abs::pt(y2 - y1))),
        fill: None,
        fill_rule: Default::default(),
        stroke: Some(stroke),
    };
    sheet.push(
        Point::new(Abs::pt(x1), Abs::pt(y1)),
        FrameItem::Shape(shape, typst::syntax::Span::detached()),
    );
}

/// The width of every mark, in points.
pub const MARK_WIDTH: f64 = 0.5;

/// The dash pattern of dashed marks: on, off, in points.
pub const DASH: [f64; 2] = [3.0, 2.0];

/// A solid mark.
fn solid(from: (f64, f64), to: (f64, f64)) -> Mark {
    Mark {
        from,
        to,
        dashed: false,
    }
}

/// A dashed mark.
fn dashed(from: (f64, f64), to: (f64, f64)) -> Mark {
    Mark {
        from,
        to,
        dashed: true,
    }
}

/// Short marks at the spine, 0.3 to 0.45 in from the top and bottom edges: inside what home printers can print, outside the pages' text.
fn fold_marks(sw: f64, sh: f64) -> Vec<Mark> {
    let x = sw / 2.0;
    vec![
        solid((x, 0.30 * 72.0), (x, 0.45 * 72.0)),
        solid((x, sh - 0.45 * 72.0), (x, sh - 0.30 * 72.0)),
    ]
}

/// Trim marks for the fore-edges at `xs`: pages fill the sheet's height, so
/// only their outer edges are trimmed; the ticks run along each trim line
/// inside the printable area at the top and the bottom.
fn crop_marks(xs: [f64; 2], sh: f64) -> Vec<Mark> {
    let len = 12.0;
    xs.into_iter()
        .flat_map(|x| {
            [
                solid((x, PRINTABLE_INSET), (x, PRINTABLE_INSET + len)),
                solid((x, sh - PRINTABLE_INSET - len), (x, sh - PRINTABLE_INSET)),
            ]
        })
        .collect()
}

/// The mini zine's guides: dashed fold lines and the one cut along the middle.
fn mini_marks(sw: f64, sh: f64) -> Vec<Mark> {
    let m = 0.3 * 72.0;
    // The cut: the middle of the horizontal fold, between the two inner columns.
    let mut marks = vec![solid((sw / 4.0, sh / 2.0), (3.0 * sw / 4.0, sh / 2.0))];
    // Fold marks at the edges of the other creases.
    for x in [sw / 4.0, sw / 2.0, 3.0 * sw / 4.0] {
        marks.push(dashed((x, m), (x, m + 10.0)));
        marks.push(dashed((x, sh - m - 10.0), (x, sh - m)));
    }
    marks.push(dashed((m, sh / 2.0), (m + 10.0, sh / 2.0)));
    marks.push(dashed((sw - m - 10.0, sh / 2.0), (sw - m, sh / 2.0)));
    marks
}

/// Wraps a sheet frame as a page.
fn sheet_page(frame: Frame, index: usize) -> Page {
    Page {
        frame,
        bleed: Default::default(),
        fill: typst::foundations::Smart::Auto,
        numbering: None,
        supplement: typst::foundations::Content::empty(),
        number: index as u64 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Positions as 1-based page numbers, 0 for blank.
    fn order(pages: usize) -> Vec<[(usize, usize); 2]> {
        let n = |p: Option<usize>| p.map_or(0, |i| i + 1);
        booklet_order(pages, true)
            .into_iter()
            .map(|[f, b]| [(n(f.0), n(f.1)), (n(b.0), n(b.1))])
            .collect()
    }

    #[test]
    fn booklets_follow_the_saddle_stitch_formula() {
        assert_eq!(order(4), [[(4, 1), (2, 3)]]);
        assert_eq!(order(8), [[(8, 1), (2, 7)], [(6, 3), (4, 5)]]);
        assert_eq!(
            order(12),
            [[(12, 1), (2, 11)], [(10, 3), (4, 9)], [(8, 5), (6, 7)]]
        );
    }

    #[test]
    fn padding_goes_before_the_back_cover() {
        // 13 pages: 16 positions, 13..15 blank, the back cover (13) last.
        assert_eq!(
            order(13),
            [
                [(13, 1), (2, 0)],
                [(0, 3), (4, 0)],
                [(12, 5), (6, 11)],
                [(10, 7), (8, 9)]
            ]
        );
        assert_eq!(order(6), [[(6, 1), (2, 0)], [(0, 3), (4, 5)]]);
    }

    #[test]
    fn without_a_back_cover_padding_goes_at_the_end() {
        let n = |p: Option<usize>| p.map_or(0, |i| i + 1);
        let order: Vec<_> = booklet_order(17, false)
            .into_iter()
            .map(|[f, b]| [(n(f.0), n(f.1)), (n(b.0), n(b.1))])
            .collect();
        // 17 pages: 20 positions; 18, 19 and 20 are blank, page 17 is not moved to the back.
        assert_eq!(order[0], [(0, 1), (2, 0)]);
        assert_eq!(order[1], [(0, 3), (4, 17)]);
        assert_eq!(
            padding(17, false),
            Some((3, "after page 17, at the end".into()))
        );
        assert_eq!(
            padding(13, true),
            Some((3, "after page 12, before the back cover".into()))
        );
        assert_eq!(padding(12, true), None);
    }
}
