//! The website: HTML pages, feed, sitemap and JSON, from the same model as the PDFs.
//!
//! Pages are rendered with minijinja from templates that a project can
//! override one file at a time; every value from content or settings is
//! escaped by the template engine (auto-escape is on for .html and .xml).
//! Links between pages are relative (`root` is the way back to the site's
//! top from each page), so the site also works opened from disk or served
//! under a sub-path; the feed and the sitemap use absolute URLs from
//! `base_url`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Sources, display_path};
use crate::edition::DocOutput;
use crate::edition::output::print_rows;
use crate::edition::words::{self, plural};
use crate::edition::{IssueId, ids, views};
use crate::model::{Issue, Piece, PieceKind, Pocket, Project};
use crate::render::chart;
use crate::render::html::{self, HtmlCtx, PageIds};
use crate::templates;
use crate::webfonts;

pub mod contexts;
use contexts::{
    CastMember, Enclosure, Fact, FeedContext, HomeContext, Image, IssueContext, Link, ListContext,
    NextIssue, PageInfo, PieceContext, PlainContext, PocketContext, PocketItem, PrintingContext,
    SitemapContext, SitemapUrl,
};

/// What the site is built from.
pub struct Input<'a> {
    pub project: &'a Project,
    /// The issues to publish, oldest first.
    pub issues: Vec<&'a Issue>,
    /// The sizes of the files the build wrote so far (the PDFs), to link and size them.
    pub files: &'a BTreeMap<PathBuf, u64>,
    pub docs: &'a [DocOutput],
    /// The printing instructions, as a piece.
    pub printing: Option<&'a Piece>,
}

/// A download link with what a reader wants to know before clicking.
#[derive(Serialize)]
pub struct Download {
    label: String,
    href: String,
    detail: String,
}

/// One print file in the printing page's table of variants, linked from the page.
#[derive(Serialize)]
pub struct PrintRow {
    #[serde(flatten)]
    row: crate::edition::output::PrintRow,
    href: String,
}

/// One entry of an index page (`issues/`, `pocket/`): a link with its date and summary.
#[derive(Serialize)]
pub struct ListItem {
    title: String,
    /// From the index page's folder.
    href: String,
    /// The month it came out.
    detail: String,
    summary: Option<String>,
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
    head: contexts::PieceHead,
    slug: String,
    /// The piece's own page, from the issue page.
    href: String,
    html: String,
    /// Its illustration, with its pixel size (for width and height, so the page does not jump).
    image: Option<Image>,
    incident: Option<IncidentView>,
}

/// An issue as the templates see it.
#[derive(Serialize)]
pub struct IssueView {
    number: u32,
    title: String,
    /// "Issue 3: Title", or "Issue 3" when the title is just that.
    heading: String,
    slug: String,
    month: String,
    date: String,
    summary: Option<String>,
    editors: Vec<String>,
    next_issue: Option<NextIssue>,
    downloads: Vec<Download>,
    pieces: Vec<PieceView>,
}

/// Stands for the body font's file name in the pages until the web fonts are made.
const PRELOAD_MARK: &str = "pir-body-font-preload-0a7c";

/// Renders every page and data file of the site, with web fonts subset to
/// the pages' characters, and hands each file to `put` as soon as it is
/// finished, so that a large archive's site is never held in memory. The
/// pages are rendered once, naming the body font by a mark; since the
/// fonts' names depend on the characters of every page, a page with the
/// mark waits in `scratch` (a file, not memory) until the fonts are made,
/// then has the mark replaced. `kept` says whether the output already holds
/// a web font file, which is then not made again. Files handed out before
/// an error was found are part of a build that fails.
pub fn render(
    input: &Input<'_>,
    sources: &mut Sources,
    kept: &dyn Fn(&Path) -> bool,
    scratch: std::fs::File,
    put: &mut dyn FnMut(&Path, &[u8]),
) -> Result<(), Vec<Diagnostic>> {
    let mut out = Out::new(scratch, put);
    render_pages(input, sources, PRELOAD_MARK, &mut out)?;
    out.finish(kept)
}

/// The site's files on their way out (see [`render`]).
struct Out<'p> {
    put: &'p mut dyn FnMut(&Path, &[u8]),
    /// The characters of every HTML page so far, for the web fonts.
    chars: webfonts::Chars,
    /// The pages that wait for the body font's name, in `scratch` in this order, with their lengths.
    waiting: Vec<(PathBuf, usize)>,
    scratch: std::io::BufWriter<std::fs::File>,
    /// Every HTML page's path, for the sitemap.
    pages: Vec<PathBuf>,
    /// The stylesheet, which waits for the web fonts' `@font-face` rules.
    style: Option<String>,
}

impl<'p> Out<'p> {
    /// Files for `put`, pages that wait kept in `scratch`.
    fn new(scratch: std::fs::File, put: &'p mut dyn FnMut(&Path, &[u8])) -> Out<'p> {
        Out {
            put,
            chars: webfonts::Chars::default(),
            waiting: Vec::new(),
            scratch: std::io::BufWriter::new(scratch),
            pages: Vec::new(),
            style: None,
        }
    }

    /// Makes the web fonts for the pages' characters, then hands out the pages that waited
    /// for the body font's name (read back one at a time), the stylesheet and the fonts.
    fn finish(self, kept: &dyn Fn(&Path) -> bool) -> Result<(), Vec<Diagnostic>> {
        let fonts = webfonts::build(&self.chars.set(), kept)
            .map_err(|e| vec![Diagnostic::at_path(Code::Io, "fonts", e)])?;
        let scratch = (self.scratch.into_inner()).map_err(|e| vec![scratch_error(e.error())])?;
        let mut reader = std::io::BufReader::new(scratch);
        std::io::Seek::rewind(&mut reader).map_err(|e| vec![scratch_error(&e)])?;
        for (path, len) in &self.waiting {
            let mut bytes = vec![0; *len];
            std::io::Read::read_exact(&mut reader, &mut bytes)
                .map_err(|e| vec![scratch_error(&e)])?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let e = std::io::Error::new(std::io::ErrorKind::InvalidData, e);
                vec![scratch_error(&e)]
            })?;
            (self.put)(path, text.replace(PRELOAD_MARK, &fonts.preload).as_bytes());
        }
        if let Some(css) = &self.style {
            (self.put)(
                Path::new("style.css"),
                format!("{}{css}", fonts.css).as_bytes(),
            );
        }
        for (path, bytes) in &fonts.files {
            (self.put)(path, bytes);
        }
        Ok(())
    }

    /// Hands out a rendered page, or keeps it in the scratch file if it names the body font.
    fn page(&mut self, path: PathBuf, text: String) -> Result<(), Box<Diagnostic>> {
        if path.extension().is_some_and(|e| e == "html") {
            self.chars.add(&text);
            self.pages.push(path.clone());
        }
        if text.contains(PRELOAD_MARK) {
            std::io::Write::write_all(&mut self.scratch, text.as_bytes())
                .map_err(|e| Box::new(scratch_error(&e)))?;
            self.waiting.push((path, text.len()));
        } else {
            (self.put)(&path, text.as_bytes());
        }
        Ok(())
    }

    /// Hands out a file that is not a rendered page (an image, robots.txt), as it is.
    fn file(&mut self, path: &Path, bytes: &[u8]) {
        (self.put)(path, bytes);
    }
}

/// The error of a scratch file that cannot be written or read back.
fn scratch_error(e: &std::io::Error) -> Diagnostic {
    Diagnostic::at_path(
        Code::Io,
        "public",
        format!("cannot keep the site's pages in a scratch file while the web fonts are made: {e}"),
    )
}

/// Renders the site's pages and files, the body font named `font_preload`.
fn render_pages(
    input: &Input<'_>,
    sources: &mut Sources,
    font_preload: &str,
    out: &mut Out<'_>,
) -> Result<(), Vec<Diagnostic>> {
    let root = &input.project.root;
    let mut env = Environment::new();
    env.add_global("font_preload", font_preload);
    env.set_formatter(markup_formatter);
    let mut loaded: BTreeMap<String, String> = BTreeMap::new();
    for (name, _) in templates::BUILT_IN
        .iter()
        .filter(|(n, _)| n.ends_with(".html") || n.ends_with(".xml"))
    {
        let (text, shown) = templates::load(root, name).map_err(|d| vec![*d])?;
        loaded.insert(name.to_string(), shown);
        if let Err(e) = env.add_template_owned(name.to_string(), text.clone()) {
            return Err(vec![template_error(&e, &text, &loaded, sources)]);
        }
    }
    let mut page = |path: &str,
                    template: &str,
                    ctx: Value,
                    out: &mut Out<'_>|
     -> Result<(), Box<Diagnostic>> {
        let tpl = env
            .get_template(template)
            .map_err(|e| Box::new(template_error(&e, "", &loaded, sources)))?;
        let text = tpl.render(ctx).map_err(|e| {
            let src = templates::read(root, e.name().unwrap_or(template))
                .ok()
                .flatten()
                .map(|t| t.0)
                .unwrap_or_default();
            Box::new(template_error(&e, &src, &loaded, sources))
        })?;
        out.page(PathBuf::from(path), text)
    };
    let site = &input.project.site;
    let raw_html = site.raw_html;
    let newest_first: Vec<&Issue> = input.issues.iter().rev().copied().collect();
    let mut errors = Vec::new();
    // The home page shows every issue's view: each is kept as the template value it becomes
    // (one copy, shared), not as a view to be copied twice more into the home page's context.
    let mut issue_values: Vec<Value> = Vec::new();
    let mut issue_list: Vec<ListItem> = Vec::new();
    for issue in &newest_first {
        let view = issue_view(input, issue, 1);
        let ctx = v(&IssueContext {
            site,
            root: "../../".into(),
            page: page_info(
                site,
                &format!("issues/{}/index.html", issue.slug),
                &crate::edition::words::issue_heading(issue.number.value, &issue.title),
                issue.summary.as_deref(),
            ),
            issue: &view,
        });
        if let Err(e) = page(
            &format!("issues/{}/index.html", issue.slug),
            "issue.html",
            ctx,
            out,
        ) {
            errors.push(*e);
        }
        for (n, piece) in issue.pieces.iter().enumerate() {
            let neighbour = |p: Option<&Piece>| {
                p.map(|p| Link {
                    title: p.title.clone(),
                    href: format!("{}.html", p.slug),
                })
            };
            let (prev, next) = (
                neighbour(n.checked_sub(1).and_then(|i| issue.pieces.get(i))),
                neighbour(issue.pieces.get(n + 1)),
            );
            // A piece's page sits beside its issue's (`issues/<slug>/<piece>.html`): one
            // file, not a folder each, so a large archive publishes quickly.
            let single = piece_view(
                input,
                &issue.slug,
                piece,
                0,
                &mut PageIds::new(reserved(&[piece])),
            );
            let path = format!("issues/{}/{}.html", issue.slug, piece.slug);
            let ctx = v(&PieceContext {
                site,
                root: "../../".into(),
                page: page_info(site, &path, &piece.title, piece.summary.as_deref()),
                issue: &view,
                piece: &single,
                prev,
                next,
                json_ld: json_ld(site, issue, piece, &path),
            });
            if let Err(e) = page(&path, "piece.html", ctx, out) {
                errors.push(*e);
            }
            for image in piece.images.iter().chain(piece.image.iter()) {
                if let Some(rel) =
                    crate::files::inside(&Path::new("issues").join(&issue.slug), &image.path)
                {
                    match std::fs::read(root.join(&rel)) {
                        Ok(bytes) => out.file(&rel, &bytes),
                        Err(e) => errors.push(Diagnostic::at_path(
                            Code::Io,
                            rel.clone(),
                            format!("cannot read the image {}: {e}", display_path(&rel)),
                        )),
                    }
                }
            }
        }
        issue_list.push(ListItem {
            title: view.heading.clone(),
            href: format!("{}/index.html", view.slug),
            detail: view.month.clone(),
            summary: view.summary.clone(),
        });
        issue_values.push(v(&view));
    }
    let pockets: Vec<Download> = input
        .project
        .pockets
        .iter()
        .flat_map(|p| pocket_downloads(input, p))
        .collect();
    let pages: Vec<(&str, &str, Value)> = vec![
        (
            "index.html",
            "home.html",
            // Its `issues` are laid over the context's, as `v` would have made them.
            // (In a merge the last value with a key wins.)
            minijinja::value::merge_maps([
                v(&HomeContext {
                    site,
                    root: String::new(),
                    page: page_info(site, "index.html", &site.title, Some(&site.description)),
                    issues: &[],
                    pockets,
                    pocket_list: pocket_list(&input.project.pockets),
                }),
                minijinja::context! { issues => Value::from(issue_values) },
            ]),
        ),
        (
            "subscribe/index.html",
            "subscribe.html",
            v(&PlainContext {
                site,
                root: "../".into(),
                page: page_info(
                    site,
                    "subscribe/index.html",
                    "Subscribe and contact",
                    Some(&site.description),
                ),
            }),
        ),
        (
            "404.html",
            "404.html",
            v(&PlainContext {
                site,
                root: site_path(&site.base_url),
                page: PageInfo {
                    title: "Page not found".into(),
                    description: site.description.clone(),
                    url: None,
                },
            }),
        ),
    ];
    let pocket_items: Vec<ListItem> = input
        .project
        .pockets
        .iter()
        .map(|p| ListItem {
            title: p.title.clone(),
            href: format!("{}/index.html", p.slug),
            detail: p.date.value.format("%B %Y").to_string(),
            summary: p.summary.clone(),
        })
        .collect();
    let mut pages = pages;
    pages.push((
        "issues/index.html",
        "list.html",
        v(&ListContext {
            site,
            root: "../".into(),
            page: page_info(
                site,
                "issues/index.html",
                "All issues",
                Some(&site.description),
            ),
            items: issue_list,
        }),
    ));
    pages.push((
        "pocket/index.html",
        "list.html",
        v(&ListContext {
            site,
            root: "../".into(),
            page: page_info(
                site,
                "pocket/index.html",
                "Pocket zines",
                Some(&site.description),
            ),
            items: pocket_items,
        }),
    ));
    for pocket in &input.project.pockets {
        let view = pocket_view(input, pocket);
        let path = format!("pocket/{}/index.html", pocket.slug);
        let ctx = v(&PocketContext {
            site,
            root: "../../".into(),
            page: page_info(site, &path, &pocket.title, pocket.summary.as_deref()),
            pocket: view,
        });
        if let Err(e) = page(&path, "pocket.html", ctx, out) {
            errors.push(*e);
        }
    }
    for (path, template, ctx) in pages {
        if let Err(e) = page(path, template, ctx, out) {
            errors.push(*e);
        }
    }
    if let Some(printing) = input.printing {
        let ids = PageIds::new(reserved(&[printing])).piece(printing, "");
        let resolve = |_: Option<&str>, _: &str, _: Option<&str>| None;
        let ctx = HtmlCtx {
            image_prefix: "",
            heading_shift: 0,
            raw_html,
            ids: &ids,
            resolve: &resolve,
            figure: None,
            base: None,
            image: None,
        };
        let body = html::piece(printing, &ctx);
        let documents: Vec<PrintRow> = print_rows(input.docs)
            .into_iter()
            .map(|row| PrintRow {
                href: format!("../{}", display_path(&row.path)),
                row,
            })
            .collect();
        let ctx = v(&PrintingContext {
            site,
            root: "../".into(),
            page: page_info(
                site,
                "printing/index.html",
                &printing.title,
                printing.summary.as_deref(),
            ),
            body,
            documents,
            pdf: "../printing.pdf".into(),
            test_sheet: "../printer-test.pdf".into(),
        });
        if let Err(e) = page("printing/index.html", "printing.html", ctx, out) {
            errors.push(*e);
        }
        for image in &printing.images {
            let shown = Path::new("templates").join(&image.path);
            match templates::read_bytes(root, &image.path) {
                Ok(Some(bytes)) => out.file(&Path::new("printing").join(&image.path), &bytes),
                Ok(None) => errors.push(Diagnostic::at_path(
                    Code::ImageMissing,
                    shown,
                    format!("the printing instructions show {}, which is neither in templates/ nor built in", image.path),
                )),
                Err(e) => errors.push(Diagnostic::at_path(Code::Io, shown, format!("cannot read the image templates/{}: {e}", image.path))),
            }
        }
    }
    let feed = feed_entries(input);
    let updated = feed
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    if let Err(e) = page(
        "feed.xml",
        "feed.xml",
        v(&FeedContext {
            site,
            updated: updated.clone(),
            entries: &feed,
        }),
        out,
    ) {
        errors.push(*e);
    }
    // Each page was last modified when its feed entry was updated; the other pages with the newest entry.
    let lastmod = |url: &str| {
        feed.iter()
            .find(|e| e.url == url)
            .map_or(&updated, |e| &e.updated)[..10]
            .to_string()
    };
    let mut urls: Vec<SitemapUrl> = out
        .pages
        .iter()
        .filter_map(|p| p.to_str())
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .map(|p| format!("{}/{p}", site.base_url))
        .map(|loc| SitemapUrl {
            lastmod: lastmod(&loc),
            loc,
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    if let Err(e) = page(
        "sitemap.xml",
        "sitemap.xml",
        v(&SitemapContext { site, urls }),
        out,
    ) {
        errors.push(*e);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.file(
        Path::new("robots.txt"),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
            site.base_url
        )
        .as_bytes(),
    );
    let (mut css, _) = templates::load(root, "style.css").map_err(|d| vec![*d])?;
    if let Some(extra) = &site.extra_css {
        let text = std::fs::read_to_string(root.join(extra)).map_err(|e| {
            vec![
                Diagnostic::at_path(
                    Code::Io,
                    extra,
                    format!("cannot read `extra_css` ({extra}): {e}"),
                )
                .hint(
                    "extra_css is a path from the project folder, such as \"templates/extra.css\"",
                ),
            ]
        })?;
        css.push_str(&format!("\n/* extra_css: {extra} */\n{text}"));
    }
    let (favicon, _) = templates::load(root, "favicon.svg").map_err(|d| vec![*d])?;
    out.file(Path::new("favicon.svg"), favicon.as_bytes());
    out.style = Some(css);
    Ok(())
}

/// A piece's JSON-LD `Article`, safe inside `<script>` (no `<` left to close it).
fn json_ld(site: &crate::model::Site, issue: &Issue, piece: &Piece, path: &str) -> String {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": crate::model::smart_quotes(&piece.title),
        "description": piece.summary.as_deref().map(crate::model::smart_quotes),
        "url": format!("{}/{path}", site.base_url),
        "datePublished": piece.incident.as_ref().map_or(issue.date.value, |i| i.published.max(issue.date.value)).to_string(),
        "dateModified": piece.corrected.map(|d| d.to_string()),
        "author": piece.byline.as_deref().map(|b| serde_json::json!({ "@type": "Person", "name": b })),
        "publisher": { "@type": "Organization", "name": site.publisher },
        "isPartOf": { "@type": "PublicationIssue", "issueNumber": issue.number.value, "name": issue.title, "datePublished": issue.date.value.to_string() },
    });
    if let Some(fields) = value.as_object_mut() {
        fields.retain(|_, v| !v.is_null());
    }
    value.to_string().replace('<', "\\u003c")
}

/// Escapes values for HTML and XML alike (`& < > " '`), not `/` as minijinja's HTML escaper does,
/// which wrote `&#x2f;` all over the feed, the sitemap and every URL.
fn markup_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    use std::fmt::Write;
    if *state.auto_escape() != minijinja::AutoEscape::Html
        || value.is_safe()
        || value.is_none()
        || value.is_undefined()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    for c in value.to_string().chars() {
        match c {
            '&' => out.write_str("&amp;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '"' => out.write_str("&quot;")?,
            '\'' => out.write_str("&#39;")?,
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// The path of the site's top on its host, from `base_url`, with a trailing slash ("/", "/zine/"):
/// the 404 page is served at any depth, so its links start from the host's root.
fn site_path(base_url: &str) -> String {
    let path = url::Url::parse(base_url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/".into());
    if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    }
}

/// Turns any serializable view into a template value, with typographic quotes in its words.
fn v<T: Serialize>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(crate::model::smart_quote_view(
        value,
    )))
}

/// The page's title, description and canonical URL.
fn page_info(
    site: &crate::model::Site,
    path: &str,
    title: &str,
    description: Option<&str>,
) -> PageInfo {
    PageInfo {
        title: title.to_string(),
        description: description.unwrap_or(&site.description).to_string(),
        url: Some(format!("{}/{path}", site.base_url)),
    }
}

/// A file size for readers: "173 KB", "1.2 MB".
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The size of a file the build wrote.
fn file_size(input: &Input<'_>, path: &Path) -> Option<usize> {
    input.files.get(path).map(|&len| len as usize)
}

/// Builds an issue's view, for pages in the issue's folder.
fn issue_view(input: &Input<'_>, issue: &Issue, shift: u8) -> IssueView {
    let dir = Path::new("issues").join(&issue.slug);
    let doc = input.docs.iter().find(|d| d.doc.folder() == dir);
    let mut downloads = Vec::new();
    let n = issue.number.value;
    if let Some(doc) = doc {
        let folded = format!("{} to fold into a booklet", plural(doc.sheets, "sheet"));
        let prints = doc.prints.iter().map(|&v| {
            (
                doc.doc.print_file(v),
                format!("Print PDF ({})", words::variant(v)),
                folded.clone(),
            )
        });
        for (file, label, detail) in std::iter::once((
            format!("issue-{n}.pdf"),
            "Reading PDF".to_string(),
            format!("{} half-letter pages", doc.pages),
        ))
        .chain(prints)
        {
            if let Some(bytes) = file_size(input, &dir.join(&file)) {
                downloads.push(Download {
                    label: label.to_string(),
                    href: file.clone(),
                    detail: format!("{detail}, {}", size(bytes)),
                });
            }
        }
    }
    IssueView {
        number: n,
        title: issue.title.clone(),
        heading: crate::edition::words::issue_heading(n, &issue.title),
        slug: issue.slug.clone(),
        month: issue.date.value.format("%B %Y").to_string(),
        date: issue.date.value.to_string(),
        summary: issue.summary.clone(),
        editors: issue.editors.clone(),
        next_issue: issue.next_issue.as_ref().map(|x| NextIssue {
            number: x.number.value,
            date: x.date.value.format("%B %-d, %Y").to_string(),
        }),
        downloads,
        pieces: {
            let mut page = PageIds::new(reserved(&issue.pieces.iter().collect::<Vec<_>>()));
            issue
                .pieces
                .iter()
                .map(|p| piece_view(input, &issue.slug, p, shift, &mut page))
                .collect()
        },
    }
}

/// The ids the templates give a page that shows these pieces, which content must not take.
fn reserved(pieces: &[&Piece]) -> Vec<String> {
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

/// The address of a piece (and a heading in it) from a page in the folder of issue `from`.
fn piece_href(
    project: &Project,
    from: &str,
    issue: Option<&str>,
    piece: &str,
    anchor: Option<&str>,
) -> Option<String> {
    let slug = issue.unwrap_or(from);
    let target = project
        .issues
        .iter()
        .find(|i| i.slug == slug)?
        .pieces
        .iter()
        .find(|p| p.slug == piece)?;
    let file = if slug == from {
        format!("{piece}.html")
    } else {
        format!("../{slug}/{piece}.html")
    };
    match anchor {
        None => Some(file),
        Some(a) => {
            let ids = PageIds::new(reserved(&[target])).piece(target, "");
            Some(format!("{file}#{}", ids.headings.get(a)?))
        }
    }
}

/// Builds a piece's view for a page in its issue's folder; `shift` moves its headings
/// down (on the issue page), where its ids also take the piece's name as a prefix.
fn piece_view(
    input: &Input<'_>,
    issue: &str,
    piece: &Piece,
    shift: u8,
    page: &mut PageIds,
) -> PieceView {
    let id_prefix = if shift > 0 {
        format!("{}-", piece.slug)
    } else {
        String::new()
    };
    let ids = page.piece(piece, &id_prefix);
    let project = input.project;
    let resolve = |i: Option<&str>, p: &str, a: Option<&str>| piece_href(project, issue, i, p, a);
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
    PieceView {
        head: contexts::PieceHead::of(piece),
        slug: piece.slug.clone(),
        href: format!("{}.html", piece.slug),
        html: html::piece(piece, &ctx),
        image: piece.image.as_ref().map(|i| {
            let size = imagesize::size(project.root.join("issues").join(issue).join(&i.path)).ok();
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
            json_href: format!("{}.json", piece.slug),
        }),
    }
}

/// The downloads of a pocket zine, linked from the home page.
fn pocket_downloads(input: &Input<'_>, pocket: &Pocket) -> Vec<Download> {
    let dir = Path::new("pocket").join(&pocket.slug);
    let mut out = Vec::new();
    let prints = input
        .docs
        .iter()
        .filter(|d| d.doc.folder() == dir)
        .flat_map(|d| d.prints.iter().map(move |&v| (d, v)));
    let prints = prints.map(|(d, v)| {
        (
            d.doc.print_file(v),
            format!("Print PDF, one sheet ({})", words::paper(v.paper)),
        )
    });
    for (file, label) in
        std::iter::once((format!("{}.pdf", pocket.slug), "Reading PDF".to_string())).chain(prints)
    {
        if let Some(bytes) = file_size(input, &dir.join(&file)) {
            out.push(Download {
                label: format!("{}: {label}", pocket.title),
                href: format!("pocket/{}/{file}", pocket.slug),
                detail: size(bytes),
            });
        }
    }
    out
}

/// Builds a pocket zine's view, for its page in `pocket/<slug>/`.
fn pocket_view(input: &Input<'_>, pocket: &Pocket) -> PocketView {
    let prefix = format!("pocket/{}/", pocket.slug);
    let mut ids = PageIds::new(reserved(&pocket.pieces.iter().collect::<Vec<_>>()));
    PocketView {
        title: pocket.title.clone(),
        slug: pocket.slug.clone(),
        month: pocket.date.value.format("%B %Y").to_string(),
        summary: pocket.summary.clone(),
        downloads: pocket_downloads(input, pocket)
            .into_iter()
            .map(|d| Download {
                label: d.label.replacen(&format!("{}: ", pocket.title), "", 1),
                href: d.href.strip_prefix(&prefix).unwrap_or(&d.href).to_string(),
                detail: d.detail,
            })
            .collect(),
        pieces: pocket
            .pieces
            .iter()
            .map(|p| piece_view(input, &pocket.slug, p, 1, &mut ids))
            .collect(),
    }
}

/// The pocket zines' titles, summaries and slugs.
fn pocket_list(pockets: &[Pocket]) -> Vec<PocketItem> {
    pockets
        .iter()
        .map(|p| PocketItem {
            title: p.title.clone(),
            summary: p.summary.clone(),
            slug: p.slug.clone(),
        })
        .collect()
}

/// A piece for the Atom feed: its drawings (the email's PNGs) and its body, every URL
/// absolute from its issue's folder `base`.
fn feed_html(piece: &Piece, issue: &IssueId, base_url: &str, base: &url::Url) -> String {
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
    out.push_str(&html::absolute_piece(piece, base, 1, None));
    out
}

/// One Atom entry.
#[derive(Serialize)]
pub struct Entry {
    title: String,
    url: String,
    /// When the zine first published it, as an RFC 3339 date-time.
    published: String,
    /// Its latest correction, or `published`.
    updated: String,
    summary: String,
    /// The piece in full, as HTML with absolute URLs (feed-to-email services send it as is).
    content: Option<String>,
    /// PDFs to download.
    enclosures: Vec<Enclosure>,
}

/// A date as an Atom date-time at midnight UTC.
fn atom_date(date: chrono::NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// The reading PDF of a document folder (`issues/<slug>`, `pocket/<slug>`) as an enclosure.
fn enclosure(input: &Input<'_>, dir: &str, file: &str) -> Option<Enclosure> {
    let length = file_size(input, &Path::new(dir).join(file))?;
    Some(Enclosure {
        href: format!("{}/{dir}/{file}", input.project.site.base_url),
        length,
    })
}

/// The feed's entries: every issue, every piece and every pocket zine, newest first.
fn feed_entries(input: &Input<'_>) -> Vec<Entry> {
    let base = &input.project.site.base_url;
    let mut out = Vec::new();
    for issue in input.issues.iter().rev() {
        let dir = format!("issues/{}", issue.slug);
        let pdf = || {
            enclosure(input, &dir, &format!("issue-{}.pdf", issue.number.value))
                .into_iter()
                .collect::<Vec<_>>()
        };
        out.push(Entry {
            title: crate::edition::words::issue_heading(issue.number.value, &issue.title),
            url: format!("{base}/issues/{}/index.html", issue.slug),
            published: atom_date(issue.date.value),
            updated: atom_date(
                issue
                    .pieces
                    .iter()
                    .filter_map(|p| p.corrected)
                    .fold(issue.date.value, Ord::max),
            ),
            summary: issue.summary.clone().unwrap_or_else(|| {
                format!(
                    "Issue {} of {}",
                    issue.number.value, input.project.site.title
                )
            }),
            content: None,
            enclosures: pdf(),
        });
        let id = IssueId::of(issue);
        let page = url::Url::parse(&id.url(base)).ok();
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
                url: format!("{base}/issues/{}/{}.html", issue.slug, piece.slug),
                published: atom_date(published),
                updated: atom_date(piece.corrected.map_or(published, |c| c.max(published))),
                summary: piece.summary.clone().unwrap_or_else(|| {
                    format!("{} in Issue {}", piece.kind.kicker(), issue.number.value)
                }),
                content: page.as_ref().map(|page| feed_html(piece, &id, base, page)),
                enclosures: pdf(),
            });
        }
    }
    for pocket in &input.project.pockets {
        let dir = format!("pocket/{}", pocket.slug);
        out.push(Entry {
            title: pocket.title.clone(),
            url: format!("{base}/pocket/{}/index.html", pocket.slug),
            published: atom_date(pocket.date.value),
            updated: atom_date(pocket.date.value),
            summary: pocket
                .summary
                .clone()
                .unwrap_or_else(|| format!("A pocket zine of {}", input.project.site.title)),
            content: None,
            enclosures: enclosure(input, &dir, &format!("{}.pdf", pocket.slug))
                .into_iter()
                .collect(),
        });
    }
    out.sort_by(|a, b| b.published.cmp(&a.published));
    out
}

/// A template error as a diagnostic at its line in the template.
fn template_error(
    e: &minijinja::Error,
    text: &str,
    names: &BTreeMap<String, String>,
    sources: &mut Sources,
) -> Diagnostic {
    let name = e.name().unwrap_or("template");
    let shown = names
        .get(name)
        .cloned()
        .unwrap_or_else(|| format!("templates/{name}"));
    let message = format!("template error: {}", e.detail().unwrap_or(&e.to_string()));
    let file = sources.add(Path::new(&shown), text.to_string());
    let span = match (e.range(), e.line()) {
        (Some(r), _) => r,
        (None, Some(line)) => {
            let start: usize = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            start..start + text[start.min(text.len())..].find('\n').unwrap_or(0)
        }
        _ => 0..0,
    };
    Diagnostic::new(Code::TemplateError, file, span, message)
        .hint("fix the template, or delete your override to use the built-in one")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn pages_go_out_as_rendered_and_those_naming_the_body_font_wait_on_disk() {
        let out_so_far = RefCell::new(Vec::<(PathBuf, String)>::new());
        let mut put = |path: &Path, bytes: &[u8]| {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            out_so_far.borrow_mut().push((path.to_path_buf(), text));
        };
        let mut scratch = tempfile::tempfile().unwrap();
        let mut out = Out::new(scratch.try_clone().unwrap(), &mut put);
        let preloads = format!("<head><link href=\"{PRELOAD_MARK}\"></head><p>Ωμέγα</p>");
        out.page("issues/a/index.html".into(), preloads.clone())
            .unwrap();
        out.page("feed.xml".into(), "<feed/>".into()).unwrap();
        out.file(Path::new("issues/a/chart.svg"), b"<svg/>");
        out.style = Some("body {}".into());
        // What needs no font name is out at once; the page that names it is not held in memory.
        let names: Vec<PathBuf> = out_so_far.borrow().iter().map(|f| f.0.clone()).collect();
        assert_eq!(
            names,
            [PathBuf::from("feed.xml"), "issues/a/chart.svg".into()]
        );
        std::io::Write::flush(&mut out.scratch).unwrap();
        let mut spilled = String::new();
        std::io::Seek::rewind(&mut scratch).unwrap();
        std::io::Read::read_to_string(&mut scratch, &mut spilled).unwrap();
        assert_eq!(spilled, preloads, "the page waits in the scratch file");
        // Once the fonts are named (the output holds them: nothing to compress), it goes out named.
        out.finish(&|_| true).unwrap();
        let files = out_so_far.into_inner();
        let page = &files
            .iter()
            .find(|f| f.0 == Path::new("issues/a/index.html"))
            .unwrap()
            .1;
        assert!(!page.contains(PRELOAD_MARK), "{page}");
        assert!(
            page.contains("fonts/charis-sil/CharisSIL-Regular."),
            "{page}"
        );
        let css = &files
            .iter()
            .find(|f| f.0 == Path::new("style.css"))
            .unwrap()
            .1;
        assert!(
            css.starts_with("@font-face") && css.ends_with("body {}"),
            "{css}"
        );
    }
}
