//! The HTML email: the issue in a 600 px table layout, every style inlined, every URL absolute.
//!
//! The layout is the `email.html` template (overridable like the site's).
//! Each piece's body comes from the site's HTML renderer, written for an
//! inbox through its hooks ([`crate::render::html::absolute_piece`]): every
//! address absolute from the issue's folder, drawings shown as the PNGs of
//! [`super::png`] and other images at their size. The template's `<style>` is then inlined into `style`
//! attributes by css-inline, since Gmail and Outlook ignore or strip most
//! style sheets; only its at-rules (the dark-mode colours) stay in a
//! `<style>` block, which clients that cannot use them simply skip.

use minijinja::Environment;
use serde::Serialize;

use super::png::{COLUMN, Figure};
use crate::edition::views::{self, CastMember, Fact, IssueHead, PieceHead};
use crate::edition::{IssueId, Page};
use crate::model::{Edition, Issue, Newsletter, Piece, PieceKind, Project, Site};
use crate::render::html::{ShownImage, absolute_piece};
use crate::templates::{self, contract};

/// An image above a piece's body: the timeline chart or the drawing.
#[derive(Serialize)]
struct FigureView {
    src: String,
    width: u32,
    height: u32,
    alt: String,
    class: &'static str,
    caption: Option<&'static str>,
}

/// A piece as the email template sees it: the site's piece head, and what an inbox needs.
#[derive(Serialize)]
pub struct PieceView {
    #[serde(flatten)]
    head: PieceHead,
    /// Its page on the site.
    url: String,
    /// In full (or only its summary and a link).
    full: bool,
    glance: Vec<Fact>,
    cast: Vec<CastMember>,
    figures: Vec<FigureView>,
    html: String,
}

/// The absolute addresses the email links to.
#[derive(Serialize)]
pub struct EmailLinks {
    home: String,
    /// The issue's page.
    web: String,
    pdf: String,
    print_pdf: String,
    printing: String,
    feed: String,
    subscribe: String,
    /// The sign-up page's address without its scheme, to show.
    subscribe_label: String,
}

contract! {
    /// `email.html`: the issue as one HTML email.
    EmailContext<'a> for ["email.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The `[newsletter]` settings (unsubscribe, archive_url...), if any.
        newsletter: &'a Option<Newsletter>,
        /// The issue: number, title, heading, slug, month, date, summary, editors, next_issue.
        issue: IssueHead,
        /// Every piece: the site's head fields (kind, kicker, title, subtitle, byline, credit, summary, stage, questions) and url, full, glance, cast, figures, html.
        pieces: Vec<PieceView>,
        /// Absolute links: home, web, pdf, print_pdf, printing, feed, subscribe, subscribe_label.
        links: EmailLinks,
        /// The hidden first line that inboxes show beside the subject.
        preheader: String,
    }
}

/// Renders the HTML email of an issue, with the drawings already rasterised.
pub fn render(project: &Project, issue: &Issue, figures: &[Figure]) -> Result<String, String> {
    let site = &project.site;
    let id = IssueId::of(issue);
    let base = url::Url::parse(&id.url(&site.base_url))
        .map_err(|e| format!("base_url gives no usable address: {e}"))?;
    let edition = site
        .newsletter
        .as_ref()
        .map(|n| n.edition)
        .unwrap_or_default();
    let mut pieces = Vec::new();
    for piece in &issue.pieces {
        let full = edition == Edition::Full || piece.kind == PieceKind::EditorsNote;
        if !full && piece.kind == PieceKind::BackCover {
            continue;
        }
        let mine: Vec<&Figure> = figures.iter().filter(|f| f.piece == piece.slug).collect();
        let html = if full {
            body(project, issue, piece, &base, &mine)
        } else {
            String::new()
        };
        pieces.push(piece_view(site, &id, piece, full, &mine, html));
    }
    let preheader = issue
        .summary
        .clone()
        .or_else(|| issue.pieces.iter().find_map(|p| p.summary.clone()))
        .unwrap_or_else(|| site.description.clone());
    let ctx = v(&EmailContext {
        site,
        newsletter: &site.newsletter,
        issue: IssueHead::of(issue),
        pieces,
        links: links(site, &id),
        preheader,
    });
    fill(&project.root, ctx)
}

/// A piece as the email template sees it; `html` is its body, already written for an inbox.
fn piece_view(
    site: &Site,
    id: &IssueId,
    piece: &Piece,
    full: bool,
    figures: &[&Figure],
    html: String,
) -> PieceView {
    PieceView {
        head: PieceHead::of(piece),
        url: id.piece_page(&piece.slug).url(&site.base_url),
        full,
        glance: piece
            .incident
            .as_ref()
            .map(views::glance)
            .unwrap_or_default(),
        cast: piece
            .incident
            .as_ref()
            .map(views::cast_members)
            .unwrap_or_default(),
        figures: figures
            .iter()
            .filter(|f| f.source.is_none())
            .map(|f| FigureView {
                src: f.url.clone(),
                width: f.width,
                height: f.height,
                alt: f.alt.clone(),
                class: if f.chart { "chart" } else { "art" },
                caption: f.chart.then_some(
                    "The incident at a glance: dots are moments, bars are ranges, the shaded band is the impact.",
                ),
            })
            .collect(),
        html,
    }
}

/// The absolute addresses an issue's email links to.
fn links(site: &Site, id: &IssueId) -> EmailLinks {
    let base = &site.base_url;
    let doc = id.doc();
    let file = |path: std::path::PathBuf| crate::edition::ids::url(base, path);
    let subscribe = Page::subscribe().folder_url(base);
    EmailLinks {
        home: Page::home().folder_url(base),
        web: id.url(base),
        pdf: file(doc.reading_pdf()),
        print_pdf: file(doc.print_pdf(site.print.default_variant(false))),
        printing: Page::printing().folder_url(base),
        feed: crate::edition::ids::url(base, crate::edition::ids::FEED),
        subscribe_label: subscribe
            .split("://")
            .nth(1)
            .unwrap_or(&subscribe)
            .to_string(),
        subscribe,
    }
}

/// Fills the `email.html` template (the project's, or the built-in one) and inlines its styles.
fn fill(root: &std::path::Path, ctx: minijinja::Value) -> Result<String, String> {
    let (template, shown) = templates::read(root, "email.html")
        .map_err(|e| format!("cannot read templates/email.html: {e}"))?
        .ok_or("the email.html template is missing")?;
    let mut env = Environment::new();
    env.add_template("email.html", &template)
        .map_err(|e| format!("{shown}: {e}"))?;
    let page = env
        .get_template("email.html")
        .and_then(|t| t.render(ctx))
        .map_err(|e| format!("{shown}: {e}"))?;
    inline(&page)
}

/// Turns any serializable view into a template value.
fn v<T: Serialize>(value: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

/// A piece's body for email: drawings as PNG, images with their size, links absolute.
fn body(
    project: &Project,
    issue: &Issue,
    piece: &Piece,
    base: &url::Url,
    figures: &[&Figure],
) -> String {
    let folder = IssueId::of(issue).folder();
    let shown = |src: &str| -> Option<ShownImage> {
        if let Some(f) = figures.iter().find(|f| f.source.as_deref() == Some(src)) {
            return Some(ShownImage {
                src: f.url.clone(),
                width: f.width,
                height: f.height,
            });
        }
        let size = imagesize::size(project.root.join(&folder).join(src)).ok()?;
        let width = (size.width as u32).min(COLUMN);
        let height = (size.height as u64 * width as u64 / size.width.max(1) as u64) as u32;
        Some(ShownImage {
            src: base.join(src).ok()?.into(),
            width,
            height,
        })
    };
    absolute_piece(piece, base, 1, Some(&shown))
}

/// Inlines the template's style sheet into `style` attributes; at-rules (dark mode) stay in a `<style>`.
pub fn inline(html: &str) -> Result<String, String> {
    let inliner = css_inline::CSSInliner::options()
        .keep_style_tags(false)
        .keep_at_rules(true)
        .build();
    inliner
        .inline(html)
        .map_err(|e| format!("the email's CSS cannot be inlined: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_inlined_and_the_dark_block_kept() {
        let html = "<html><head><style>p { color: red; } @media (prefers-color-scheme: dark) { p { color: white !important; } }</style></head><body><p>Hi</p></body></html>";
        let out = inline(html).unwrap();
        assert!(out.contains("<p style=\"color: red;\">Hi</p>"), "{out}");
        assert!(out.contains("prefers-color-scheme"), "{out}");
        assert_eq!(out.matches("<style").count(), 1, "{out}");
    }
}
