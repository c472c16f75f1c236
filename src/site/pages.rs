//! The site's HTML pages: each issue and each of its pieces (with their
//! images), each pocket zine, the indexes, the home, subscribe and 404
//! pages, and how to print.

use std::path::Path;

use minijinja::Value;

use super::contexts::{
    HomeContext, IssueContext, Link, ListContext, PageInfo, PieceContext, PlainContext,
    PocketContext, PrintingContext,
};
use super::engine::Engine;
use super::engine::value;
use super::views::{
    ListItem, Shown, issue_view, piece_view, pocket_downloads, pocket_list, pocket_view, reserved,
};
use super::{Input, Site};
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::edition::output::print_rows;
use crate::edition::{DocId, IssueId, Page, words};
use crate::model::{Issue, Piece};
use crate::render::html::{self, HtmlCtx, PageIds};
use crate::templates;

/// What the issue pages give the front pages: each issue's view as the
/// template value it became (one copy, shared by the home page), newest
/// first, and the entries of the index of issues.
pub(super) struct Issues {
    values: Vec<Value>,
    list: Vec<ListItem>,
}

/// How many issues are rendered side by side before their files are handed
/// out: enough to keep every core busy, few enough that the site is never
/// held in memory (a hundred issues' pages are about 20 MB).
const BATCH: usize = 8;

/// Renders every issue's page, each piece's page and the pieces' images,
/// a batch of issues at a time in parallel, handed out in order.
pub(super) fn issues(site: &mut Site<'_, '_>) -> Issues {
    use rayon::prelude::*;
    let mut issues = Issues {
        values: Vec::new(),
        list: Vec::new(),
    };
    let input = site.input;
    let newest_first: Vec<&Issue> = input.issues.iter().rev().copied().collect();
    for batch in newest_first.chunks(BATCH) {
        let engine = &site.engine;
        let rendered: Vec<Rendered> = batch
            .par_iter()
            .map(|issue| issue_pages(input, engine, issue))
            .collect();
        for r in rendered {
            for (path, text) in r.pages {
                match text {
                    Ok(text) => {
                        if let Err(d) = site.out.page(path.into(), text) {
                            site.errors.push(*d);
                        }
                    }
                    Err(failure) => {
                        let d = failure.diagnostic(&site.engine, site.sources);
                        site.errors.push(d);
                    }
                }
            }
            for (rel, bytes) in r.images {
                match bytes {
                    Ok(bytes) => site.out.file(&rel, &bytes),
                    Err(d) => site.errors.push(d),
                }
            }
            issues.list.push(r.item);
            issues.values.push(r.value);
        }
    }
    issues
}

/// One issue's files, rendered on some thread, before they are handed out.
struct Rendered {
    pages: Vec<(String, Result<String, super::engine::Failure>)>,
    images: Vec<(std::path::PathBuf, Result<Vec<u8>, Diagnostic>)>,
    item: ListItem,
    value: Value,
}

/// Renders an issue's page, its pieces' pages, and reads their images.
fn issue_pages(input: &Input<'_>, engine: &Engine, issue: &Issue) -> Rendered {
    let settings = &input.project.site;
    let id = IssueId::of(issue);
    let page = id.page();
    let view = issue_view(input, issue, &page, 1);
    let ctx = value(&IssueContext {
        site: settings,
        root: page.root(),
        page: super::info(
            settings,
            &page,
            &view.head.heading,
            issue.summary.as_deref(),
        ),
        issue: &view,
    });
    let root = &input.project.root;
    let mut pages = vec![(
        page.path().to_string(),
        engine.render_text(root, "issue.html", ctx),
    )];
    let mut images = Vec::new();
    for (n, piece) in issue.pieces.iter().enumerate() {
        let neighbours = (
            n.checked_sub(1).and_then(|i| issue.pieces.get(i)),
            issue.pieces.get(n + 1),
        );
        pages.push(piece_page(input, engine, issue, piece, &view, neighbours));
        images.extend(piece_images(root, &id, piece));
    }
    Rendered {
        pages,
        images,
        item: ListItem {
            title: view.head.heading.clone(),
            href: page.href_from(&Page::issues()),
            detail: view.head.month.clone(),
            summary: view.head.summary.clone(),
        },
        value: value(&view),
    }
}

/// Renders one piece's page, beside its issue's (`issues/<slug>/<piece>.html`: one
/// file, not a folder each, so a large archive publishes quickly).
fn piece_page(
    input: &Input<'_>,
    engine: &Engine,
    issue: &Issue,
    piece: &Piece,
    view: &super::views::IssueView,
    (prev, next): (Option<&Piece>, Option<&Piece>),
) -> (String, Result<String, super::engine::Failure>) {
    let id = IssueId::of(issue);
    let page = id.piece_page(&piece.slug);
    let neighbour = |p: Option<&Piece>| {
        p.map(|p| Link {
            title: p.title.clone(),
            href: id.piece_page(&p.slug).href_from(&page),
        })
    };
    let folder = id.folder();
    let shown = Shown {
        page: &page,
        folder: &folder,
        issue: Some(&issue.slug),
    };
    let settings = &input.project.site;
    let single = piece_view(
        input,
        shown,
        piece,
        0,
        &mut PageIds::new(reserved(&[piece])),
    );
    let ctx = value(&PieceContext {
        site: settings,
        root: page.root(),
        page: super::info(settings, &page, &piece.title, piece.summary.as_deref()),
        issue: view,
        piece: &single,
        prev: neighbour(prev),
        next: neighbour(next),
        json_ld: json_ld(settings, issue, piece, &page),
    });
    let text = engine.render_text(&input.project.root, "piece.html", ctx);
    (page.path().to_string(), text)
}

/// Reads a piece's images (its drawing and those of its body), to be copied beside its pages.
fn piece_images(
    root: &Path,
    issue: &IssueId,
    piece: &Piece,
) -> Vec<(std::path::PathBuf, Result<Vec<u8>, Diagnostic>)> {
    piece
        .images
        .iter()
        .chain(piece.image.iter())
        .filter_map(|image| crate::files::inside(&issue.folder(), &image.path))
        .map(|rel| {
            let bytes = std::fs::read(root.join(&rel)).map_err(|e| {
                Diagnostic::at_path(
                    Code::Io,
                    rel.clone(),
                    format!("cannot read the image {}: {e}", display_path(&rel)),
                )
            });
            (rel, bytes)
        })
        .collect()
}

/// Renders each pocket zine's page.
pub(super) fn pockets(site: &mut Site<'_, '_>) {
    let input = site.input;
    for pocket in &input.project.pockets {
        let page = Page::pocket(&pocket.slug);
        let ctx = value(&PocketContext {
            site: site.settings(),
            root: page.root(),
            page: site.info(&page, &pocket.title, pocket.summary.as_deref()),
            pocket: pocket_view(input, pocket, &page),
        });
        site.page(page.path(), "pocket.html", ctx);
    }
}

/// Renders the home page, the subscribe page, the 404 page and the indexes of issues and pocket zines.
pub(super) fn front(site: &mut Site<'_, '_>, issues: Issues) {
    let input = site.input;
    let settings = site.settings();
    let home = Page::home();
    let pockets = &input.project.pockets;
    // Its `issues` are laid over the context's, as `value` would have made them.
    // (In a merge the last value with a key wins.)
    let ctx = minijinja::value::merge_maps([
        value(&HomeContext {
            site: settings,
            root: home.root(),
            page: site.info(&home, &settings.title, Some(&settings.description)),
            issues: &[],
            pockets: pockets
                .iter()
                .flat_map(|p| pocket_downloads(input, p, &home, true))
                .collect(),
            pocket_list: pocket_list(pockets),
        }),
        minijinja::context! { issues => Value::from(issues.values) },
    ]);
    site.page(home.path(), "home.html", ctx);
    let subscribe = Page::subscribe();
    let ctx = value(&PlainContext {
        site: settings,
        root: subscribe.root(),
        page: site.info(
            &subscribe,
            "Subscribe and contact",
            Some(&settings.description),
        ),
    });
    site.page(subscribe.path(), "subscribe.html", ctx);
    let ctx = value(&PlainContext {
        site: settings,
        root: host_root(&settings.base_url),
        page: PageInfo {
            title: "Page not found".into(),
            description: settings.description.clone(),
            url: None,
        },
    });
    site.page(Page::not_found().path(), "404.html", ctx);
    let index = Page::pockets();
    let pocket_items = pockets
        .iter()
        .map(|p| ListItem {
            title: p.title.clone(),
            href: Page::pocket(&p.slug).href_from(&index),
            detail: words::month(p.date.value),
            summary: p.summary.clone(),
        })
        .collect();
    for (page, title, items) in [
        (Page::issues(), "All issues", issues.list),
        (index, "Pocket zines", pocket_items),
    ] {
        let ctx = value(&ListContext {
            site: settings,
            root: page.root(),
            page: site.info(&page, title, Some(&settings.description)),
            items,
        });
        site.page(page.path(), "list.html", ctx);
    }
}

/// Renders the page on how to print and fold, with every print file, and copies its images.
pub(super) fn printing(site: &mut Site<'_, '_>) {
    let Some(printing) = site.input.printing else {
        return;
    };
    let page = Page::printing();
    let ids = PageIds::new(reserved(&[printing])).piece(printing, "");
    let resolve = |_: Option<&str>, _: &str, _: Option<&str>| None;
    let ctx = HtmlCtx {
        image_prefix: "",
        heading_shift: 0,
        raw_html: site.settings().raw_html,
        ids: &ids,
        resolve: &resolve,
        figure: None,
        base: None,
        image: None,
    };
    let documents = print_rows(site.input.docs)
        .into_iter()
        .map(|row| super::contexts::PrintRow {
            href: page.href_to(&row.path),
            row,
        })
        .collect();
    let ctx = value(&PrintingContext {
        site: site.settings(),
        root: page.root(),
        page: site.info(&page, &printing.title, printing.summary.as_deref()),
        body: html::piece(printing, &ctx),
        documents,
        pdf: page.href_to(DocId::Printing.reading_pdf()),
        test_sheet: page.href_to(DocId::PrinterTest.reading_pdf()),
    });
    site.page(page.path(), "printing.html", ctx);
    let root = &site.input.project.root;
    for image in &printing.images {
        let shown = Path::new(crate::files::TEMPLATES).join(&image.path);
        match templates::read_bytes(root, &image.path) {
            Ok(Some(bytes)) => site.out.file(&Path::new("printing").join(&image.path), &bytes),
            Ok(None) => site.errors.push(Diagnostic::at_path(
                Code::ImageMissing,
                shown,
                format!(
                    "the printing instructions show {}, which is neither in templates/ nor built in",
                    image.path
                ),
            )),
            Err(e) => site.errors.push(Diagnostic::at_path(
                Code::Io,
                shown,
                format!("cannot read the image templates/{}: {e}", image.path),
            )),
        }
    }
}

/// A piece's JSON-LD `Article`, safe inside `<script>` (no `<` left to close it).
fn json_ld(site: &crate::model::Site, issue: &Issue, piece: &Piece, page: &Page) -> String {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": crate::model::smart_quotes(&piece.title),
        "description": piece.summary.as_deref().map(crate::model::smart_quotes),
        "url": page.url(&site.base_url),
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

/// The path of the site's top on its host, from `base_url`, with a trailing slash ("/", "/zine/"):
/// the 404 page is served at any depth, so its links start from the host's root.
fn host_root(base_url: &str) -> String {
    let path = url::Url::parse(base_url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/".into());
    if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    }
}
