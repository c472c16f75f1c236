//! What each HTML and XML template sees: one named, documented struct per template.
//!
//! These structs are the contract between pir and a project's template
//! overrides. Each is declared through [`crate::templates::contract!`], which also lists its
//! variables with their documentation ([`crate::templates::Contract::variables`]), so the
//! README's table of template variables is checked against the code
//! (`tests/templates.rs`) and cannot drift from it. Every page also sees the
//! global `font_preload` (the body font's file, to preload).

use serde::Serialize;

use crate::model::Site;
use crate::templates::contract;

pub use crate::edition::views::{CastMember, Fact, PieceHead};

/// The title, description and canonical address of a page.
#[derive(Serialize, Default)]
pub struct PageInfo {
    /// The page's title, for `<title>` and sharing.
    pub title: String,
    /// One sentence about the page, for search results and sharing.
    pub description: String,
    /// Its canonical absolute URL (none for the 404 page, served at any address).
    pub url: Option<String>,
}

/// An image with its text alternative and, when it could be read, its pixel size.
#[derive(Serialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub width: Option<usize>,
    pub height: Option<usize>,
}

/// A link to a neighbouring page: its title and address.
#[derive(Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// A pocket zine as the home page lists it.
#[derive(Serialize)]
pub struct PocketItem {
    pub title: String,
    pub summary: Option<String>,
    pub slug: String,
}

/// One print file in the printing page's table of variants, linked from the page.
#[derive(Serialize)]
pub struct PrintRow {
    #[serde(flatten)]
    pub row: crate::edition::output::PrintRow,
    pub href: String,
}

/// A PDF attached to a feed entry.
#[derive(Serialize, Clone)]
pub struct Enclosure {
    pub href: String,
    /// Its size in bytes.
    pub length: usize,
}

/// One address of the sitemap.
#[derive(Serialize)]
pub struct SitemapUrl {
    pub loc: String,
    /// The date its page last changed (YYYY-MM-DD).
    pub lastmod: String,
}

contract! {
    /// `home.html`: the latest issue, the archive, the pocket zines, sign-up.
    HomeContext<'a> for ["home.html"] {
        /// The zine's settings from zine.toml (title, description, publisher, email, language, newsletter...).
        site: &'a Site,
        /// The way from this page back to the site's top ("", "../", "../../").
        root: String,
        /// The page's title, description and canonical url.
        page: PageInfo,
        /// Every issue, newest first, each with its pieces and downloads.
        issues: &'a [super::views::IssueView],
        /// The pocket zines' PDFs, with labels and sizes.
        pockets: Vec<super::views::Download>,
        /// The pocket zines: title, summary, slug.
        pocket_list: Vec<PocketItem>,
    }
}

contract! {
    /// `issue.html`: an issue with every piece in full.
    IssueContext<'a> for ["issue.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The way from this page back to the site's top.
        root: String,
        /// The page's title, description and canonical url.
        page: PageInfo,
        /// The issue: number, title, heading, month, summary, editors, next_issue, downloads, pieces.
        issue: &'a super::views::IssueView,
    }
}

contract! {
    /// `piece.html`: one piece on its own page.
    PieceContext<'a> for ["piece.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The way from this page back to the site's top.
        root: String,
        /// The page's title, description and canonical url.
        page: PageInfo,
        /// The issue the piece is in (its heading, downloads, title and month).
        issue: &'a super::views::IssueView,
        /// The piece: kicker, title, subtitle, byline, credit, summary, stage, questions, html, image, incident.
        piece: &'a super::views::PieceView,
        /// The previous piece of the issue (title, href), if any.
        prev: Option<Link>,
        /// The next piece of the issue (title, href), if any.
        next: Option<Link>,
        /// The piece's JSON-LD Article, ready for a script element (output it with `| safe`).
        json_ld: String,
    }
}

contract! {
    /// `pocket.html`: a pocket zine with its pieces and PDFs.
    PocketContext<'a> for ["pocket.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The way from this page back to the site's top.
        root: String,
        /// The page's title, description and canonical url.
        page: PageInfo,
        /// The pocket zine: title, slug, month, summary, downloads, pieces.
        pocket: super::views::PocketView,
    }
}

contract! {
    /// `list.html`: the index of every issue (`issues/`) or every pocket zine (`pocket/`).
    ListContext<'a> for ["list.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The way from this page back to the site's top.
        root: String,
        /// The page's title, description and canonical url.
        page: PageInfo,
        /// The entries, newest first: title, href, detail (the month), summary.
        items: Vec<super::views::ListItem>,
    }
}

contract! {
    /// `printing.html`: how to print and fold, with every print file.
    PrintingContext<'a> for ["printing.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The way from this page back to the site's top.
        root: String,
        /// The page's title, description and canonical url.
        page: PageInfo,
        /// The instructions (templates/printing.md) as HTML (output it with `| safe`).
        body: String,
        /// Every print file: title, href, file, paper, duplex, pages, sheets.
        documents: Vec<PrintRow>,
        /// The instructions as a PDF, from this page.
        pdf: String,
        /// The printer test sheet, from this page.
        test_sheet: String,
    }
}

contract! {
    /// `subscribe.html` (sign-up, feed, contact, about) and `404.html` (served at any address).
    PlainContext<'a> for ["subscribe.html", "404.html"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The way back to the site's top: relative on subscribe, from the host's root on 404.
        root: String,
        /// The page's title, description and canonical url (none on 404).
        page: PageInfo,
    }
}

contract! {
    /// `feed.xml`: the Atom feed.
    FeedContext<'a> for ["feed.xml"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// The newest entry's update, as an RFC 3339 date-time.
        updated: String,
        /// Every issue, piece and pocket zine, newest first: title, url, published, updated, summary, content, enclosures (href, length).
        entries: &'a [super::feed::Entry],
    }
}

contract! {
    /// `sitemap.xml`: every page's address and date.
    SitemapContext<'a> for ["sitemap.xml"] {
        /// The zine's settings from zine.toml.
        site: &'a Site,
        /// Every page but 404: loc (its absolute URL) and lastmod.
        urls: Vec<SitemapUrl>,
    }
}
