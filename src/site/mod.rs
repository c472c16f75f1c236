//! The website: HTML pages, feed, sitemap and assets, from the same model as the PDFs.
//!
//! Pages are rendered with minijinja from templates that a project can
//! override one file at a time; every value from content or settings is
//! escaped by the template engine (auto-escape is on for .html and .xml).
//! Links between pages are relative (each page's `root` is the way back to
//! the site's top, from [`Page::root`]), so the site also works opened from
//! disk or served under a sub-path; the feed and the sitemap use absolute
//! URLs from `base_url`.
//!
//! As Zola splits its site, each family of files is written by its own
//! module: [`pages`] (issues, pieces, pocket zines, indexes, the front pages,
//! printing), [`feed`], [`sitemap`] (and robots.txt), [`assets`] (the
//! stylesheet, the favicon); [`views`] builds what their templates see and
//! [`contexts`] declares it; [`engine`] loads the templates and [`out`]
//! hands each file to the staging folder as it is made.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::Value;

use crate::diagnostic::{Diagnostic, Sources};
use crate::edition::{DocOutput, Page};
use crate::model::{Issue, Piece, Project};

mod assets;
pub mod contexts;
mod engine;
mod feed;
mod out;
mod pages;
mod sitemap;
pub mod views;

use contexts::PageInfo;
use engine::Engine;
use out::{Out, PRELOAD_MARK};

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

/// Renders every page and data file of the site, with web fonts subset to
/// the pages' characters, and hands each file to `put` as soon as it is
/// finished, so that a large archive's site is never held in memory (see
/// [`out`]: pages that name the body font wait in `scratch`, a file, until
/// the fonts are made). `kept` says whether the output already holds a web
/// font file, which is then not made again. Files handed out before an
/// error was found are part of a build that fails.
pub fn render(
    input: &Input<'_>,
    sources: &mut Sources,
    kept: &(dyn Fn(&Path) -> bool + Sync),
    scratch: std::fs::File,
    put: &mut dyn FnMut(&Path, &[u8]),
) -> Result<(), Vec<Diagnostic>> {
    let engine = Engine::new(&input.project.root, PRELOAD_MARK, sources).map_err(|d| vec![*d])?;
    let mut site = Site {
        input,
        engine,
        sources,
        out: Out::new(scratch, put),
        errors: Vec::new(),
    };
    let issues = pages::issues(&mut site);
    pages::pockets(&mut site);
    pages::front(&mut site, issues);
    pages::printing(&mut site);
    let feed = feed::write(&mut site);
    sitemap::write(&mut site, &feed);
    if !site.errors.is_empty() {
        return Err(site.errors);
    }
    sitemap::robots(&mut site);
    assets::write(&mut site)?;
    site.out.finish(kept)
}

/// The site while it is rendered: its input, its templates, the way out, and what went wrong.
struct Site<'a, 'p> {
    input: &'a Input<'a>,
    engine: Engine,
    sources: &'a mut Sources,
    out: Out<'p>,
    /// Errors so far; the site is rendered whole, so that every one is said at once.
    errors: Vec<Diagnostic>,
}

impl<'a> Site<'a, '_> {
    /// The zine's settings.
    fn settings(&self) -> &'a crate::model::Site {
        &self.input.project.site
    }

    /// Renders a page (or the feed, the sitemap) at `path` from `template` and hands it out.
    fn page(&mut self, path: &str, template: &str, ctx: Value) {
        let root = &self.input.project.root;
        let rendered = self
            .engine
            .render(root, template, ctx, self.sources)
            .and_then(|text| self.out.page(PathBuf::from(path), text));
        if let Err(d) = rendered {
            self.errors.push(*d);
        }
    }

    /// A page's title, description and canonical URL.
    fn info(&self, page: &Page, title: &str, description: Option<&str>) -> PageInfo {
        info(self.settings(), page, title, description)
    }
}

/// A page's title, description and canonical URL, under the zine's settings.
fn info(
    site: &crate::model::Site,
    page: &Page,
    title: &str,
    description: Option<&str>,
) -> PageInfo {
    PageInfo {
        title: title.to_string(),
        description: description.unwrap_or(&site.description).to_string(),
        url: Some(page.url(&site.base_url)),
    }
}
