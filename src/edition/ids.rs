//! Typed names of what pir publishes: the documents it typesets, the pages
//! of the site, and every file they give, by path in the output folder.
//!
//! No writer formats an output path or a URL by hand: an issue's folder,
//! its reading PDF, each print variant's file, its email files, a page's
//! address from the site's `base_url` and the way back to the site's top
//! from any page are all said here, once.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::{ISSUES, POCKETS};
use crate::model::{Issue, Pocket, Variant};

/// An issue as the outputs name it: its folder name and its number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IssueId {
    /// The folder name under `issues/`, used in URLs (`march-2020`).
    pub slug: String,
    pub number: u32,
}

impl IssueId {
    /// The id of an issue.
    pub fn of(issue: &Issue) -> IssueId {
        IssueId {
            slug: issue.slug.clone(),
            number: issue.number.value,
        }
    }

    /// Its folder, in the project and in the output (`issues/march-2020`).
    pub fn folder(&self) -> PathBuf {
        issue_folder(&self.slug)
    }

    /// The address of its folder on the site, with a trailing slash.
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}/{ISSUES}/{}/", self.slug)
    }

    /// Its page on the site.
    pub fn page(&self) -> Page {
        Page::issue(&self.slug)
    }

    /// The page of one of its pieces.
    pub fn piece_page(&self, piece: &str) -> Page {
        Page::piece(&self.slug, piece)
    }

    /// The data file of one of its incidents (`issues/<slug>/<piece>.json`).
    pub fn piece_json(&self, piece: &str) -> PathBuf {
        self.folder().join(format!("{piece}.json"))
    }

    /// The email edition's HTML.
    pub fn email_html(&self) -> PathBuf {
        self.folder().join("email.html")
    }

    /// The email edition's plain text.
    pub fn email_text(&self) -> PathBuf {
        self.folder().join("email.txt")
    }

    /// The email edition as one MIME message (`issue-<n>.eml`).
    pub fn eml(&self) -> PathBuf {
        self.folder().join(format!("issue-{}.eml", self.number))
    }

    /// The folder of the email's drawings.
    pub fn email_images(&self) -> PathBuf {
        self.folder().join("email")
    }

    /// The address of one of the email's drawings (`name` from [`chart_png`] or [`image_png`]).
    pub fn email_image_url(&self, base_url: &str, name: &str) -> String {
        format!("{}email/{name}", self.url(base_url))
    }

    /// As a document.
    pub fn doc(&self) -> DocId {
        DocId::Issue(self.clone())
    }
}

/// The Atom feed, at the top of the output folder.
pub const FEED: &str = "feed.xml";

/// The sitemap, at the top of the output folder.
pub const SITEMAP: &str = "sitemap.xml";

/// What crawlers read first, at the top of the output folder.
pub const ROBOTS: &str = "robots.txt";

/// The site's stylesheet, at the top of the output folder.
pub const STYLE: &str = "style.css";

/// The site's icon, at the top of the output folder.
pub const FAVICON: &str = "favicon.svg";

/// The index of every published incident, at the top of the output folder.
pub const INCIDENTS: &str = "incidents.json";

/// The folder of the issue `slug` (`issues/<slug>`).
pub fn issue_folder(slug: &str) -> PathBuf {
    Path::new(ISSUES).join(slug)
}

/// The folder of the pocket zine `slug` (`pocket/<slug>`).
pub fn pocket_folder(slug: &str) -> PathBuf {
    Path::new(POCKETS).join(slug)
}

/// A folder of the project that is one document's sources: an issue's or a pocket zine's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Folder {
    Issue(String),
    Pocket(String),
}

impl Folder {
    /// The issue or pocket folder a project path is in (`issues/march-2020/discord.md`), if any.
    pub fn of_path(path: &Path) -> Option<Folder> {
        let mut parts = path.components().map(|c| c.as_os_str().to_str());
        let (kind, slug) = (parts.next()??, parts.next()??.to_string());
        match kind {
            ISSUES => Some(Folder::Issue(slug)),
            POCKETS => Some(Folder::Pocket(slug)),
            _ => None,
        }
    }

    /// The folder's path in the project (`issues/march-2020`).
    pub fn path(&self) -> PathBuf {
        match self {
            Folder::Issue(slug) => issue_folder(slug),
            Folder::Pocket(slug) => pocket_folder(slug),
        }
    }
}

impl std::fmt::Display for Folder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::diagnostic::display_path(&self.path()))
    }
}

/// The email's PNG of an incident's timeline chart.
pub fn chart_png(piece: &str) -> String {
    format!("{piece}-timeline.png")
}

/// The email's PNG of an SVG image of a piece (`None` for an image that is not SVG, sent as it is).
pub fn image_png(piece: &str, path: &str) -> Option<String> {
    if !path.to_ascii_lowercase().ends_with(".svg") {
        return None;
    }
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("image");
    Some(format!("{piece}-{stem}.png"))
}

/// A document pir typesets into PDFs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocId {
    /// An issue: a reading PDF and its booklets.
    Issue(IssueId),
    /// A pocket zine (`pocket/<slug>`): a reading PDF and its one-sheet mini zines.
    Pocket(String),
    /// The printing and folding instructions (`printing.pdf`).
    Printing,
    /// The printer test sheet (`printer-test.pdf`).
    PrinterTest,
}

impl DocId {
    /// The id of a pocket zine.
    pub fn pocket(pocket: &Pocket) -> DocId {
        DocId::Pocket(pocket.slug.clone())
    }

    /// The folder its files go to (`issues/march-2020`; the top for the printing sheets).
    pub fn folder(&self) -> PathBuf {
        match self {
            DocId::Issue(issue) => issue.folder(),
            DocId::Pocket(slug) => pocket_folder(slug),
            DocId::Printing | DocId::PrinterTest => PathBuf::new(),
        }
    }

    /// Its name in messages and in the build record (`issues/march-2020`, `printing`).
    pub fn name(&self) -> String {
        match self {
            DocId::Issue(_) | DocId::Pocket(_) => crate::diagnostic::display_path(&self.folder()),
            DocId::Printing | DocId::PrinterTest => self.stem(),
        }
    }

    /// Its short name in messages about its sources (`march-2020`, `prompts`, `printing`).
    pub fn slug(&self) -> &str {
        match self {
            DocId::Issue(issue) => &issue.slug,
            DocId::Pocket(slug) => slug,
            DocId::Printing => "printing",
            DocId::PrinterTest => "printer-test",
        }
    }

    /// The name of its PDFs without extension (`issue-2`, `prompts`, `printing`).
    pub fn stem(&self) -> String {
        match self {
            DocId::Issue(issue) => format!("issue-{}", issue.number),
            DocId::Pocket(slug) => slug.clone(),
            DocId::Printing => "printing".into(),
            DocId::PrinterTest => "printer-test".into(),
        }
    }

    /// Whether it prints as a one-sheet mini zine (on one side) rather than a booklet.
    pub fn is_mini(&self) -> bool {
        matches!(self, DocId::Pocket(_))
    }

    /// Its reading PDF's file name.
    pub fn reading_file(&self) -> String {
        format!("{}.pdf", self.stem())
    }

    /// Its reading PDF, in the output folder.
    pub fn reading_pdf(&self) -> PathBuf {
        self.folder().join(self.reading_file())
    }

    /// The file name of one of its print PDFs (`issue-2-print-letter-short-edge.pdf`).
    pub fn print_file(&self, variant: Variant) -> String {
        format!("{}-{}.pdf", self.stem(), variant.suffix())
    }

    /// One of its print PDFs, in the output folder.
    pub fn print_pdf(&self, variant: Variant) -> PathBuf {
        self.folder().join(self.print_file(variant))
    }

    /// Where `--emit-typst` writes its generated sources.
    pub fn typst_sources(&self) -> PathBuf {
        self.folder().join("typst")
    }
}

/// A page of the site, by its path from the site's top (`issues/march-2020/index.html`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Page(String);

impl Page {
    /// The home page.
    pub fn home() -> Page {
        Page("index.html".into())
    }

    /// The page of an issue.
    pub fn issue(slug: &str) -> Page {
        Page(format!("{ISSUES}/{slug}/index.html"))
    }

    /// The page of one piece, beside its issue's (one file, not a folder each).
    pub fn piece(issue: &str, piece: &str) -> Page {
        Page(format!("{ISSUES}/{issue}/{piece}.html"))
    }

    /// The page of a pocket zine.
    pub fn pocket(slug: &str) -> Page {
        Page(format!("{POCKETS}/{slug}/index.html"))
    }

    /// The index of every issue.
    pub fn issues() -> Page {
        Page(format!("{ISSUES}/index.html"))
    }

    /// The index of every pocket zine.
    pub fn pockets() -> Page {
        Page(format!("{POCKETS}/index.html"))
    }

    /// The sign-up, feed and contact page.
    pub fn subscribe() -> Page {
        Page("subscribe/index.html".into())
    }

    /// How to print and fold, with every print file.
    pub fn printing() -> Page {
        Page("printing/index.html".into())
    }

    /// The page served for any address that has none (its links start from the host's root).
    pub fn not_found() -> Page {
        Page("404.html".into())
    }

    /// Its path from the site's top.
    pub fn path(&self) -> &str {
        &self.0
    }

    /// Its absolute address under the site's `base_url`.
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}/{}", self.0)
    }

    /// The address of its folder, with a trailing slash (`https://…/printing/`), as
    /// links outside the site name an `index.html` page.
    pub fn folder_url(&self, base_url: &str) -> String {
        let folder = self.0.rsplit_once('/').map_or("", |(dir, _)| dir);
        if folder.is_empty() {
            format!("{base_url}/")
        } else {
            format!("{base_url}/{folder}/")
        }
    }

    /// The way from it back to the site's top: "", "../", "../../".
    pub fn root(&self) -> String {
        "../".repeat(self.0.matches('/').count())
    }

    /// The address of any output file (by its path from the site's top) from this page.
    pub fn href_to(&self, path: impl AsRef<Path>) -> String {
        let target = crate::diagnostic::display_path(path.as_ref());
        let mine: Vec<&str> = target.split('/').collect();
        let theirs: Vec<&str> = self.0.split('/').collect();
        let (mine_dirs, theirs_dirs) = (&mine[..mine.len() - 1], &theirs[..theirs.len() - 1]);
        let common = mine_dirs
            .iter()
            .zip(theirs_dirs)
            .take_while(|(a, b)| a == b)
            .count();
        let up = "../".repeat(theirs_dirs.len() - common);
        format!("{up}{}", mine[common..].join("/"))
    }

    /// Its address from the page `from`: `discord.html`, `../april-2020/x.html`, `../../index.html`.
    pub fn href_from(&self, from: &Page) -> String {
        from.href_to(&self.0)
    }
}

/// The absolute address of an output file (by its path from the site's top).
pub fn url(base_url: &str, path: impl AsRef<Path>) -> String {
    format!(
        "{base_url}/{}",
        crate::diagnostic::display_path(path.as_ref())
    )
}

impl AsRef<Path> for Page {
    fn as_ref(&self) -> &Path {
        Path::new(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_know_their_root_and_the_way_to_each_other() {
        let piece = Page::piece("march-2020", "discord");
        assert_eq!(piece.path(), "issues/march-2020/discord.html");
        assert_eq!(piece.root(), "../../");
        assert_eq!(Page::home().root(), "");
        assert_eq!(Page::subscribe().root(), "../");
        assert_eq!(piece.href_from(&Page::issue("march-2020")), "discord.html");
        assert_eq!(
            Page::piece("april-2020", "x").href_from(&piece),
            "../april-2020/x.html"
        );
        assert_eq!(Page::home().href_from(&piece), "../../index.html");
        assert_eq!(
            piece.href_from(&Page::home()),
            "issues/march-2020/discord.html"
        );
        assert_eq!(
            piece.url("https://zine.example.com"),
            "https://zine.example.com/issues/march-2020/discord.html"
        );
        assert_eq!(Page::printing().href_to("printing.pdf"), "../printing.pdf");
        assert_eq!(
            Page::home().href_to("pocket/prompts/prompts.pdf"),
            "pocket/prompts/prompts.pdf"
        );
        assert_eq!(
            Page::printing().folder_url("https://z.io"),
            "https://z.io/printing/"
        );
        assert_eq!(Page::home().folder_url("https://z.io"), "https://z.io/");
    }

    #[test]
    fn a_path_knows_its_document_folder() {
        let at = |p: &str| Folder::of_path(Path::new(p));
        assert_eq!(
            at("issues/march-2020/discord.md"),
            Some(Folder::Issue("march-2020".into()))
        );
        assert_eq!(at("pocket/prompts"), Some(Folder::Pocket("prompts".into())));
        assert_eq!(at("issues"), None);
        assert_eq!(at("templates/zine.typ"), None);
        assert_eq!(Folder::Issue("a".into()).to_string(), "issues/a");
    }

    #[test]
    fn documents_name_their_files() {
        let issue = IssueId {
            slug: "march-2020".into(),
            number: 2,
        };
        let doc = issue.doc();
        assert_eq!(doc.name(), "issues/march-2020");
        assert_eq!(
            doc.reading_pdf(),
            Path::new("issues/march-2020/issue-2.pdf")
        );
        assert_eq!(DocId::Printing.reading_pdf(), Path::new("printing.pdf"));
        assert_eq!(DocId::Pocket("prompts".into()).name(), "pocket/prompts");
        assert_eq!(issue.eml(), Path::new("issues/march-2020/issue-2.eml"));
        assert_eq!(issue.url("https://z.io"), "https://z.io/issues/march-2020/");
        assert_eq!(
            image_png("discord", "art/Errors.SVG").as_deref(),
            Some("discord-Errors.png")
        );
        assert_eq!(image_png("discord", "cat.png"), None);
    }
}
