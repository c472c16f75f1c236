//! What each HTML and XML template sees: one named, documented struct per template.
//!
//! These structs are the contract between pir and a project's template
//! overrides. Each is declared through [`contract!`], which also lists its
//! variables with their documentation ([`Contract::variables`]), so the
//! README's table of template variables is checked against the code
//! (`tests/templates.rs`) and cannot drift from it. Every page also sees the
//! global `font_preload` (the body font's file, to preload).

use serde::Serialize;

use crate::model::Site;

/// A template's context: the template it fills and its variables.
pub trait Contract: Serialize {
    /// The template's file name in `templates/`.
    const TEMPLATES: &'static [&'static str];
    /// Each variable's name and documentation, in the order declared.
    fn variables() -> &'static [(&'static str, &'static str)];
}

/// Declares a context struct whose fields' docs are also its [`Contract::variables`].
macro_rules! contract {
    ($(#[doc = $sdoc:literal])* $name:ident<$lt:lifetime> for [$($template:literal),+] {
        $($(#[doc = $doc:literal])+ $field:ident: $ty:ty,)+
    }) => {
        $(#[doc = $sdoc])*
        #[derive(Serialize)]
        pub struct $name<$lt> {
            $($(#[doc = $doc])+ pub $field: $ty,)+
        }
        impl<$lt> Contract for $name<$lt> {
            const TEMPLATES: &'static [&'static str] = &[$($template),+];
            fn variables() -> &'static [(&'static str, &'static str)] {
                const VARIABLES: &[(&str, &str)] =
                    &[$((stringify!($field), concat!($($doc),+).trim_ascii()),)+];
                VARIABLES
            }
        }
    };
}
pub(crate) use contract;

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

/// What the site's pages and the email edition both show of a piece, above its body;
/// flattened into their piece views, so templates read `piece.title`, `p.kicker`...
#[derive(Serialize)]
pub struct PieceHead {
    /// Its kind's name (`incident`, `feature`, `back-cover`...).
    pub kind: &'static str,
    /// The label above its title ("Featured post-incident report").
    pub kicker: &'static str,
    pub title: String,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub credit: Option<String>,
    pub summary: Option<String>,
}

impl PieceHead {
    /// The head of a piece.
    pub fn of(piece: &crate::model::Piece) -> PieceHead {
        PieceHead {
            kind: piece.kind.name(),
            kicker: piece.kind.kicker(),
            title: piece.title.clone(),
            subtitle: piece.subtitle.clone(),
            byline: piece.byline.clone(),
            credit: piece.credit.clone(),
            summary: piece.summary.clone(),
        }
    }
}

/// A label and its value: a fact of an incident, a row of a cast member's entry.
#[derive(Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A cast member of an incident, with the rows of their entry.
#[derive(Serialize)]
pub struct CastMember {
    pub name: String,
    pub role: Option<String>,
    /// Goals, worries, and what they saw, heard and felt at each key moment.
    pub rows: Vec<Fact>,
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

/// The issue announced after this one.
#[derive(Serialize)]
pub struct NextIssue {
    pub number: u32,
    /// "April 1, 2020".
    pub date: String,
}

/// A pocket zine as the home page lists it.
#[derive(Serialize)]
pub struct PocketItem {
    pub title: String,
    pub summary: Option<String>,
    pub slug: String,
}

/// A PDF attached to a feed entry.
#[derive(Serialize)]
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
        issues: &'a [super::IssueView],
        /// The pocket zines' PDFs, with labels and sizes.
        pockets: Vec<super::Download>,
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
        issue: &'a super::IssueView,
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
        issue: &'a super::IssueView,
        /// The piece: kicker, title, subtitle, byline, credit, summary, html, image, incident.
        piece: &'a super::PieceView,
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
        pocket: super::PocketView,
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
        items: Vec<super::ListItem>,
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
        documents: Vec<super::PrintRow>,
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
        entries: &'a [super::Entry],
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

/// A context's templates and its variables (name, documentation).
pub type Listing = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// Every context, with its templates and variables (for the README check).
pub fn all() -> Vec<Listing> {
    fn of<C: Contract>() -> Listing {
        (C::TEMPLATES, C::variables())
    }
    vec![
        of::<HomeContext<'static>>(),
        of::<IssueContext<'static>>(),
        of::<PieceContext<'static>>(),
        of::<PocketContext<'static>>(),
        of::<ListContext<'static>>(),
        of::<PrintingContext<'static>>(),
        of::<PlainContext<'static>>(),
        of::<FeedContext<'static>>(),
        of::<SitemapContext<'static>>(),
        of::<crate::email::html::EmailContext<'static>>(),
    ]
}

/// The README's list of every HTML and XML template's variables, as Markdown.
pub fn readme_section() -> String {
    let mut out = String::new();
    for (templates, variables) in all() {
        let names: Vec<String> = templates.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!(
            "{}:\n\n| variable | what it holds |\n| --- | --- |\n",
            names.join(", ")
        ));
        for (name, doc) in variables {
            out.push_str(&format!("| `{name}` | {} |\n", doc.replace('|', "\\|")));
        }
        out.push('\n');
    }
    out
}
