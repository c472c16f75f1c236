//! The views of the site's pages: an issue with its downloads and pieces, a
//! piece with its rendered body, a pocket zine, the entries of an index.
//!
//! The facts come from the edition ([`IssueHead`], [`PieceHead`], the
//! incident's glance and cast); what is the site's own is here: the body
//! rendered with the page's ids and links, the download list with sizes,
//! and every address as seen from the page that shows it.

use std::path::Path;

use serde::Serialize;

use super::Input;
use super::contexts::{Image, PocketItem};
use crate::edition::views::{self, CastMember, Fact, IssueHead, PieceHead};
use crate::edition::words::{self, plural};
use crate::edition::{DocId, IssueId, Page};
use crate::model::{Issue, Piece, Pocket, Project};
use crate::render::chart;
use crate::render::html::{self, HtmlCtx, PageIds};

/// A download link with what a reader wants to know before clicking.
#[derive(Serialize)]
pub struct Download {
    label: String,
    href: String,
    detail: String,
}

/// One entry of an index page (`issues/`, `pocket/`): a link with its date and summary.
#[derive(Serialize)]
pub struct ListItem {
    pub(super) title: String,
    /// From the index page's folder.
    pub(super) href: String,
    /// The month it came out.
    pub(super) detail: String,
    pub(super) summary: Option<String>,
}

/// A pocket zine's page: its pieces in full and its PDFs.
#[derive(Serialize)]
pub struct PocketView {
    title: String,
    slug: String,
    month: String,
    summary: Option<String>,
    downloads: Vec<Download>,
    pieces: Vec<PieceView>,
}

/// The "at a glance" rows a phone shows before the story; the rest fold away.
const HEADLINE: &[&str] = &["Organization", "Date", "Severity", "Duration"];

/// An incident as the templates see it (its chart is in the body, before the timeline).
#[derive(Serialize)]
pub struct IncidentView {
    /// The few facts shown open: organization, date, severity, duration.
    headline: Vec<Fact>,
    /// Every fact.
    glance: Vec<Fact>,
    cast: Vec<CastMember>,
    json_href: String,
}

/// A piece as the templates see it; `html` is already rendered and safe.
#[derive(Serialize)]
pub struct PieceView {
    #[serde(flatten)]
    head: PieceHead,
    slug: String,
    /// The piece's own page, from the page that shows this view.
    href: String,
    html: String,
    /// Its illustration, with its pixel size (for width and height, so the page does not jump).
    image: Option<Image>,
    incident: Option<IncidentView>,
}

/// An issue as the templates see it.
#[derive(Serialize)]
pub struct IssueView {
    #[serde(flatten)]
    pub(super) head: IssueHead,
    downloads: Vec<Download>,
    pieces: Vec<PieceView>,
}

/// Where a piece is shown: the page, the piece's folder in the project (for
/// its images), and its issue (for links that name no issue), if it has one.
#[derive(Clone, Copy)]
pub(super) struct Shown<'a> {
    pub(super) page: &'a Page,
    pub(super) folder: &'a Path,
    pub(super) issue: Option<&'a str>,
}

/// A file size for readers: "173 KB", "1.2 MB".
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A download of a file the build wrote, linked from `from`; none if the build did not write it.
fn download(
    input: &Input<'_>,
    from: &Page,
    path: &Path,
    label: String,
    detail: &str,
) -> Option<Download> {
    let bytes = *input.files.get(path)? as usize;
    let size = size(bytes);
    Some(Download {
        label,
        href: from.href_to(path),
        detail: if detail.is_empty() {
            size
        } else {
            format!("{detail}, {size}")
        },
    })
}

/// Builds an issue's view, for pages in the issue's folder (`page`); `shift`
/// moves its pieces' headings down (on the issue page itself).
pub(super) fn issue_view(input: &Input<'_>, issue: &Issue, page: &Page, shift: u8) -> IssueView {
    let id = IssueId::of(issue);
    let doc = id.doc();
    let mut downloads = Vec::new();
    if let Some(out) = input.docs.iter().find(|d| d.doc == doc) {
        let reading = format!("{} half-letter pages", out.pages);
        downloads.extend(download(
            input,
            page,
            &doc.reading_pdf(),
            "Reading PDF".into(),
            &reading,
        ));
        let folded = format!("{} to fold into a booklet", plural(out.sheets, "sheet"));
        for &v in &out.prints {
            let label = format!("Print PDF ({})", words::variant(v));
            downloads.extend(download(input, page, &doc.print_pdf(v), label, &folded));
        }
    }
    let folder = id.folder();
    let mut ids = PageIds::new(reserved(&issue.pieces.iter().collect::<Vec<_>>()));
    let shown = Shown {
        page,
        folder: &folder,
        issue: Some(&issue.slug),
    };
    IssueView {
        head: IssueHead::of(issue),
        downloads,
        pieces: issue
            .pieces
            .iter()
            .map(|p| piece_view(input, shown, p, shift, &mut ids))
            .collect(),
    }
}

/// The ids the templates give a page that shows these pieces, which content must not take.
pub(super) fn reserved(pieces: &[&Piece]) -> Vec<String> {
    let mut ids: Vec<String> = ["content", "toc-title", "downloads-title"]
        .map(String::from)
        .to_vec();
    for p in pieces {
        let s = &p.slug;
        ids.extend([
            s.clone(),
            format!("{s}-title"),
            format!("timeline-{s}"),
            format!("timeline-{s}-title"),
            format!("timeline-{s}-desc"),
        ]);
    }
    ids
}

/// The address of a piece (and a heading in it) from the page `from`; the
/// piece's issue is `issue`, or `from_issue` when the link names none.
fn piece_href(
    project: &Project,
    (from, from_issue): (&Page, Option<&str>),
    issue: Option<&str>,
    piece: &str,
    anchor: Option<&str>,
) -> Option<String> {
    let slug = issue.or(from_issue)?;
    let target = project
        .issues
        .iter()
        .find(|i| i.slug == slug)?
        .pieces
        .iter()
        .find(|p| p.slug == piece)?;
    let file = Page::piece(slug, piece).href_from(from);
    match anchor {
        None => Some(file),
        Some(a) => {
            let ids = PageIds::new(reserved(&[target])).piece(target, "");
            Some(format!("{file}#{}", ids.headings.get(a)?))
        }
    }
}

/// Builds a piece's view for the page `shown.page`; `shift` moves its headings
/// down (on a page of several pieces), where its ids also take the piece's name as a prefix.
pub(super) fn piece_view(
    input: &Input<'_>,
    shown: Shown<'_>,
    piece: &Piece,
    shift: u8,
    page_ids: &mut PageIds,
) -> PieceView {
    let id_prefix = if shift > 0 {
        format!("{}-", piece.slug)
    } else {
        String::new()
    };
    let ids = page_ids.piece(piece, &id_prefix);
    let project = input.project;
    let resolve = |i: Option<&str>, p: &str, a: Option<&str>| {
        piece_href(project, (shown.page, shown.issue), i, p, a)
    };
    // The chart opens the timeline section, so the standfirst and the summary come first.
    let figure = piece
        .incident
        .as_ref()
        .map(|i| chart::timeline(i, &format!("timeline-{}", piece.slug)));
    let ctx = HtmlCtx {
        image_prefix: "",
        heading_shift: shift,
        raw_html: project.site.raw_html,
        ids: &ids,
        resolve: &resolve,
        figure: figure.as_deref(),
        base: None,
        image: None,
    };
    let own_page = |file: String| shown.page.href_to(shown.folder.join(file));
    PieceView {
        head: PieceHead::of(piece),
        slug: piece.slug.clone(),
        href: own_page(format!("{}.html", piece.slug)),
        html: html::piece(piece, &ctx),
        image: piece.image.as_ref().map(|i| {
            let size = imagesize::size(project.root.join(shown.folder).join(&i.path)).ok();
            Image {
                src: i.path.clone(),
                alt: i.alt.clone(),
                width: size.as_ref().map(|s| s.width),
                height: size.as_ref().map(|s| s.height),
            }
        }),
        incident: piece.incident.as_ref().map(|i| IncidentView {
            headline: views::glance(i)
                .into_iter()
                .filter(|f| HEADLINE.contains(&f.label.as_str()))
                .collect(),
            glance: views::glance(i),
            cast: views::cast_members(i),
            json_href: own_page(format!("{}.json", piece.slug)),
        }),
    }
}

/// The downloads of a pocket zine, linked from the page `from`; each label
/// starts with the zine's title when `titled` (on the home page, among others).
pub(super) fn pocket_downloads(
    input: &Input<'_>,
    pocket: &Pocket,
    from: &Page,
    titled: bool,
) -> Vec<Download> {
    let doc = DocId::pocket(pocket);
    let label = |what: String| {
        if titled {
            format!("{}: {what}", pocket.title)
        } else {
            what
        }
    };
    let mut out = Vec::new();
    out.extend(download(
        input,
        from,
        &doc.reading_pdf(),
        label("Reading PDF".into()),
        "",
    ));
    for out_doc in input.docs.iter().filter(|d| d.doc == doc) {
        for &v in &out_doc.prints {
            let what = format!("Print PDF, one sheet ({})", words::paper(v.paper));
            out.extend(download(input, from, &doc.print_pdf(v), label(what), ""));
        }
    }
    out
}

/// Builds a pocket zine's view, for its page.
pub(super) fn pocket_view(input: &Input<'_>, pocket: &Pocket, page: &Page) -> PocketView {
    let mut ids = PageIds::new(reserved(&pocket.pieces.iter().collect::<Vec<_>>()));
    let folder = DocId::pocket(pocket).folder();
    let shown = Shown {
        page,
        folder: &folder,
        issue: None,
    };
    PocketView {
        title: pocket.title.clone(),
        slug: pocket.slug.clone(),
        month: words::month(pocket.date.value),
        summary: pocket.summary.clone(),
        downloads: pocket_downloads(input, pocket, page, false),
        pieces: pocket
            .pieces
            .iter()
            .map(|p| piece_view(input, shown, p, 1, &mut ids))
            .collect(),
    }
}

/// The pocket zines' titles, summaries and slugs.
pub(super) fn pocket_list(pockets: &[Pocket]) -> Vec<PocketItem> {
    pockets
        .iter()
        .map(|p| PocketItem {
            title: p.title.clone(),
            summary: p.summary.clone(),
            slug: p.slug.clone(),
        })
        .collect()
}
