//! The sitemap (every page but 404, dated by its feed entry) and
//! `robots.txt`, which points crawlers at it.

use std::path::Path;

use super::Site;
use super::contexts::{SitemapContext, SitemapUrl};
use super::engine::value;
use super::feed::Feed;
use crate::edition::{Page, ids};

/// Renders `sitemap.xml` from every HTML page handed out so far.
pub(super) fn write(site: &mut Site<'_, '_>, feed: &Feed) {
    // Each page was last modified when its feed entry was updated; the other pages with the newest entry.
    let lastmod = |url: &str| {
        feed.entries
            .iter()
            .find(|e| e.url == url)
            .map_or(&feed.updated, |e| &e.updated)[..10]
            .to_string()
    };
    let base = &site.settings().base_url;
    let not_found = Page::not_found();
    let mut urls: Vec<SitemapUrl> = site
        .out
        .pages
        .iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "html") && p.as_path() != Path::new(not_found.path())
        })
        .map(|p| ids::url(base, p))
        .map(|loc| SitemapUrl {
            lastmod: lastmod(&loc),
            loc,
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    let ctx = value(&SitemapContext {
        site: site.settings(),
        urls,
    });
    site.page(ids::SITEMAP, "sitemap.xml", ctx);
}

/// Writes `robots.txt`: everything may be crawled, and the sitemap is here.
pub(super) fn robots(site: &mut Site<'_, '_>) {
    let text = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        ids::url(&site.settings().base_url, ids::SITEMAP)
    );
    site.out.file(Path::new(ids::ROBOTS), text.as_bytes());
}
