//! The Atom feed: every issue, every piece and every pocket zine, newest
//! first, each piece in full with absolute addresses (feed-to-email
//! services send it as it is) and the PDFs as enclosures.

use std::path::Path;

use serde::Serialize;

use super::contexts::{Enclosure, FeedContext};
use super::engine::value;
use super::{Input, Site};
use crate::edition::{DocId, IssueId, Page, ids, words};
use crate::model::{Piece, PieceKind};
use crate::render::html;

/// One Atom entry.
#[derive(Serialize)]
pub struct Entry {
    title: String,
    pub(super) url: String,
    /// When the zine first published it, as an RFC 3339 date-time.
    published: String,
    /// Its latest correction, or `published`.
    pub(super) updated: String,
    summary: String,
    /// The piece in full, as HTML with absolute URLs (feed-to-email services send it as is).
    content: Option<String>,
    /// PDFs to download.
    enclosures: Vec<Enclosure>,
}

/// The feed as it was written: its entries and the newest update, which the sitemap dates pages by.
pub(super) struct Feed {
    pub(super) entries: Vec<Entry>,
    pub(super) updated: String,
}

/// Renders `feed.xml`.
pub(super) fn write(site: &mut Site<'_, '_>) -> Feed {
    let entries = entries(site.input);
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let ctx = value(&FeedContext {
        site: site.settings(),
        updated: updated.clone(),
        entries: &entries,
    });
    site.page(ids::FEED, "feed.xml", ctx);
    Feed { entries, updated }
}

/// A date as an Atom date-time at midnight UTC.
fn atom_date(date: chrono::NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// A PDF the build wrote, as an enclosure (none if it was not written).
fn enclosure(input: &Input<'_>, path: &Path) -> Vec<Enclosure> {
    let Some(&length) = input.files.get(path) else {
        return Vec::new();
    };
    vec![Enclosure {
        href: ids::url(&input.project.site.base_url, path),
        length: length as usize,
    }]
}

/// The feed's entries: every issue, every piece and every pocket zine, newest
/// first (the issues' entries made side by side).
fn entries(input: &Input<'_>) -> Vec<Entry> {
    use rayon::prelude::*;
    let base = &input.project.site.base_url;
    let issues: Vec<&crate::model::Issue> = input.issues.iter().rev().copied().collect();
    let mut out: Vec<Entry> = issues
        .par_iter()
        .map(|issue| issue_entries(input, issue))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    for pocket in &input.project.pockets {
        out.push(Entry {
            title: pocket.title.clone(),
            url: Page::pocket(&pocket.slug).url(base),
            published: atom_date(pocket.date.value),
            updated: atom_date(pocket.date.value),
            summary: pocket
                .summary
                .clone()
                .unwrap_or_else(|| format!("A pocket zine of {}", input.project.site.title)),
            content: None,
            enclosures: enclosure(input, &DocId::pocket(pocket).reading_pdf()),
        });
    }
    out.sort_by(|a, b| b.published.cmp(&a.published));
    out
}

/// An issue's entries: the issue, then each of its pieces but the back cover.
fn issue_entries(input: &Input<'_>, issue: &crate::model::Issue) -> Vec<Entry> {
    let base = &input.project.site.base_url;
    let id = IssueId::of(issue);
    let pdf = enclosure(input, &id.doc().reading_pdf());
    let n = issue.number.value;
    let mut out = vec![Entry {
        title: words::issue_heading(n, &issue.title),
        url: id.page().url(base),
        published: atom_date(issue.date.value),
        updated: atom_date(
            issue
                .pieces
                .iter()
                .filter_map(|p| p.corrected)
                .fold(issue.date.value, Ord::max),
        ),
        summary: issue
            .summary
            .clone()
            .unwrap_or_else(|| format!("Issue {n} of {}", input.project.site.title)),
        content: None,
        enclosures: pdf.clone(),
    }];
    let folder = url::Url::parse(&id.url(base)).ok();
    for piece in issue
        .pieces
        .iter()
        .filter(|p| p.kind != PieceKind::BackCover)
    {
        // A report the zine reprints cannot appear before its source published it.
        let published = piece
            .incident
            .as_ref()
            .map_or(issue.date.value, |i| i.published.max(issue.date.value));
        out.push(Entry {
            title: piece.title.clone(),
            url: id.piece_page(&piece.slug).url(base),
            published: atom_date(published),
            updated: atom_date(piece.corrected.map_or(published, |c| c.max(published))),
            summary: piece
                .summary
                .clone()
                .unwrap_or_else(|| format!("{} in Issue {n}", piece.kind.kicker())),
            content: folder.as_ref().map(|f| content(piece, &id, base, f)),
            enclosures: pdf.clone(),
        });
    }
    out
}

/// A piece for the feed: its drawings (the email's PNGs) and its body, every
/// address absolute from its issue's folder `folder`.
fn content(piece: &Piece, issue: &IssueId, base_url: &str, folder: &url::Url) -> String {
    let mut out = String::new();
    let img = |src: &str, alt: &str| {
        let (mut src_attr, mut alt_attr) = (String::new(), String::new());
        html::escape(src, &mut src_attr);
        html::escape(alt, &mut alt_attr);
        format!("<p><img src=\"{src_attr}\" alt=\"{alt_attr}\" /></p>\n")
    };
    if let Some(incident) = &piece.incident {
        let src = issue.email_image_url(base_url, &ids::chart_png(&piece.slug));
        out.push_str(&img(&src, &crate::render::svg::description(incident)));
    }
    if let Some(image) = &piece.image {
        let src = match ids::image_png(&piece.slug, &image.path) {
            Some(png) => issue.email_image_url(base_url, &png),
            None => format!("{}{}", issue.url(base_url), image.path),
        };
        out.push_str(&img(&src, &image.alt));
    }
    out.push_str(&html::absolute_piece(piece, folder, 1, None));
    if !piece.questions.is_empty() {
        out.push_str("<h2>Questions to discuss</h2>\n<ol>\n");
        for q in &piece.questions {
            let mut text = String::new();
            html::escape(&crate::model::smart_quotes(q), &mut text);
            out.push_str(&format!("<li>{text}</li>\n"));
        }
        out.push_str("</ol>\n");
    }
    out
}
