//! The HTML email: the issue in a 600 px table layout, every style inlined, every URL absolute.
//!
//! The layout is the `email.html` template (overridable like the site's).
//! Each piece's body comes from the site's HTML renderer through one call
//! ([`piece_html`]); this module only makes it fit an inbox: drawings
//! become the PNGs of [`super::png`] with their size and alt text, images
//! get their dimensions, and relative links are resolved against the
//! issue's page. The template's `<style>` is then inlined into `style`
//! attributes by css-inline, since Gmail and Outlook ignore or strip most
//! style sheets; only its at-rules (the dark-mode colours) stay in a
//! `<style>` block, which clients that cannot use them simply skip.

use minijinja::Environment;
use serde::Serialize;

use super::png::{COLUMN, Figure};
use crate::model::{Edition, Issue, Newsletter, Piece, PieceKind, Project, Site};
use crate::site::contexts::{CastMember, Contract, Fact, PieceHead, contract};
use crate::templates;

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

/// The issue as the email shows it.
#[derive(Serialize)]
pub struct EmailIssue {
    number: u32,
    title: String,
    /// "Issue 2: Learning at Home", or "Issue 3" when the title only repeats the number.
    heading: String,
    summary: Option<String>,
    editors: Vec<String>,
    /// "March 2020".
    month: String,
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
        /// The issue: number, title, heading, summary, editors, month.
        issue: EmailIssue,
        /// Every piece: the site's head fields (kind, kicker, title, subtitle, byline, credit, summary) and url, full, glance, cast, figures, html.
        pieces: Vec<PieceView>,
        /// Absolute links: home, web, pdf, print_pdf, printing, feed, subscribe, subscribe_label.
        links: EmailLinks,
        /// The hidden first line that inboxes show beside the subject.
        preheader: String,
    }
}

/// A piece's body as HTML, from the site's renderer; `issue_url` leads to the issue's folder.
pub fn piece_html(piece: &Piece, issue_url: &str) -> String {
    // Raw HTML is always escaped in email: a script or a style must never reach an inbox.
    crate::site::piece_html(piece, issue_url, 1, false)
}

/// Renders the HTML email of an issue, with the drawings already rasterised.
pub fn render(project: &Project, issue: &Issue, figures: &[Figure]) -> Result<String, String> {
    let site = &project.site;
    let issue_url = super::issue_url(project, issue);
    let base = url::Url::parse(&issue_url)
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
            body(project, issue, piece, &issue_url, &base, &mine)
        } else {
            String::new()
        };
        pieces.push(PieceView {
            head: PieceHead::of(piece),
            url: format!("{issue_url}{}.html", piece.slug),
            full,
            glance: piece
                .incident
                .as_ref()
                .map(|i| crate::site::facts(crate::render::view::glance(i)))
                .unwrap_or_default(),
            cast: piece
                .incident
                .as_ref()
                .map(crate::site::cast_members)
                .unwrap_or_default(),
            figures: mine
                .iter()
                .filter(|f| f.source.is_none())
                .map(|f| FigureView {
                    src: f.url.clone(),
                    width: f.width,
                    height: f.height,
                    alt: f.alt.clone(),
                    class: if f.chart { "chart" } else { "art" },
                    caption: f
                        .chart
                        .then_some("The incident at a glance: dots are moments, bars are ranges, the shaded band is the impact."),
                })
                .collect(),
            html,
        });
    }
    let n = issue.number.value;
    let home = format!("{}/", site.base_url);
    let links = EmailLinks {
        home,
        web: issue_url.clone(),
        pdf: format!("{issue_url}issue-{n}.pdf"),
        print_pdf: format!("{issue_url}{}", super::print_file(project, n)),
        printing: format!("{}/printing/", site.base_url),
        feed: format!("{}/feed.xml", site.base_url),
        subscribe: format!("{}/subscribe/", site.base_url),
        subscribe_label: format!(
            "{}/subscribe/",
            site.base_url.split("://").nth(1).unwrap_or(&site.base_url)
        ),
    };
    let preheader = issue
        .summary
        .clone()
        .or_else(|| issue.pieces.iter().find_map(|p| p.summary.clone()))
        .unwrap_or_else(|| site.description.clone());
    let issue_view = EmailIssue {
        number: n,
        title: issue.title.clone(),
        heading: crate::model::issue_heading(n, &issue.title),
        summary: issue.summary.clone(),
        editors: issue.editors.clone(),
        month: issue.date.value.format("%B %Y").to_string(),
    };
    let (template, shown) = templates::read(&project.root, "email.html")
        .map_err(|e| format!("cannot read templates/email.html: {e}"))?
        .ok_or("the email.html template is missing")?;
    let mut env = Environment::new();
    env.add_template("email.html", &template)
        .map_err(|e| format!("{shown}: {e}"))?;
    let ctx = v(&EmailContext {
        site,
        newsletter: &site.newsletter,
        issue: issue_view,
        pieces,
        links,
        preheader,
    });
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
    issue_url: &str,
    base: &url::Url,
    figures: &[&Figure],
) -> String {
    let mut html = piece_html(piece, issue_url);
    for image in &piece.images {
        let from = format!("src=\"{issue_url}{}\"", attr(&image.path));
        let to = match figures
            .iter()
            .find(|f| f.source.as_deref() == Some(image.path.as_str()))
        {
            Some(f) => size_attrs(&f.url, f.width, f.height),
            None => {
                let file = project
                    .root
                    .join("issues")
                    .join(&issue.slug)
                    .join(&image.path);
                match imagesize::size(&file) {
                    Ok(size) => {
                        let w = (size.width as u32).min(COLUMN);
                        let h = (size.height as u64 * w as u64 / size.width.max(1) as u64) as u32;
                        size_attrs(&format!("{issue_url}{}", attr(&image.path)), w, h)
                    }
                    Err(_) => continue,
                }
            }
        };
        html = html.replace(&from, &to);
    }
    absolutize(&html, base)
}

/// A piece for the Atom feed: its drawings (the email's PNGs) and its body, every URL absolute.
pub fn feed_html(piece: &Piece, issue_url: &str, base: &url::Url) -> String {
    let mut out = String::new();
    if let Some(incident) = &piece.incident {
        let alt = attr(&crate::render::svg::description(incident));
        out.push_str(&format!(
            "<p><img src=\"{issue_url}email/{}-timeline.png\" alt=\"{alt}\" /></p>\n",
            piece.slug
        ));
    }
    if let Some(image) = &piece.image {
        let src = match super::png::png_name(&piece.slug, &image.path) {
            Some(png) => format!("{issue_url}email/{png}"),
            None => format!("{issue_url}{}", attr(&image.path)),
        };
        out.push_str(&format!(
            "<p><img src=\"{src}\" alt=\"{}\" /></p>\n",
            attr(&image.alt)
        ));
    }
    out.push_str(&piece_html(piece, issue_url));
    absolutize(&out, base)
}

/// An image's `src`, `width`, `height` and a style that lets it shrink on a phone.
fn size_attrs(src: &str, width: u32, height: u32) -> String {
    format!(
        "src=\"{src}\" width=\"{width}\" height=\"{height}\" style=\"width: 100%; max-width: {width}px; height: auto;\""
    )
}

/// Escapes text for an HTML attribute, as the renderer does.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Resolves every relative `href` and `src` against `base`.
pub fn absolutize(html: &str, base: &url::Url) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    loop {
        let next = [" href=\"", " src=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| i + a.len()))
            .min();
        let Some(at) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&resolve(&rest[..end], base));
        rest = &rest[end..];
    }
}

/// One attribute value made absolute (it is HTML-escaped, and stays so).
fn resolve(value: &str, base: &url::Url) -> String {
    let raw = value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    if url::Url::parse(&raw).is_ok() {
        return value.to_string();
    }
    match base.join(&raw) {
        Ok(url) => attr(url.as_str()),
        Err(_) => value.to_string(),
    }
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
    fn relative_links_and_images_become_absolute() {
        let base = url::Url::parse("https://zine.example.com/issues/a/").unwrap();
        let html = r##"<p><a href="discord.html#x">x</a> <a href="../../index.html">up</a> <img src="cat.png" alt="A cat" /> <a href="#n">n</a> <a href="https://o.io/?a=1&amp;b=2">o</a> <a href="mailto:a@b.io">m</a></p>"##;
        assert_eq!(
            absolutize(html, &base),
            r##"<p><a href="https://zine.example.com/issues/a/discord.html#x">x</a> <a href="https://zine.example.com/index.html">up</a> <img src="https://zine.example.com/issues/a/cat.png" alt="A cat" /> <a href="https://zine.example.com/issues/a/#n">n</a> <a href="https://o.io/?a=1&amp;b=2">o</a> <a href="mailto:a@b.io">m</a></p>"##
        );
    }

    #[test]
    fn styles_are_inlined_and_the_dark_block_kept() {
        let html = "<html><head><style>p { color: red; } @media (prefers-color-scheme: dark) { p { color: white !important; } }</style></head><body><p>Hi</p></body></html>";
        let out = inline(html).unwrap();
        assert!(out.contains("<p style=\"color: red;\">Hi</p>"), "{out}");
        assert!(out.contains("prefers-color-scheme"), "{out}");
        assert_eq!(out.matches("<style").count(), 1, "{out}");
    }
}
