//! The newsletter edition of an issue: an HTML email, a plain-text email and the MIME message.
//!
//! Newsletter services take an HTML body and a plain-text part, and mail
//! clients are far stricter than browsers: no JavaScript, no SVG (Gmail and
//! Outlook drop it), no stylesheets they can rely on, links that work from
//! an inbox. So the email is its own rendering of the issue, not a web page
//! sent by mail: [`html`] lays it out in tables with every style inlined and
//! absolute URLs, [`png`] rasterises the drawings, [`text`] writes the plain
//! part, and [`mime`] wraps both in one standard message. `pir build` writes
//! all of it beside the issue's PDFs; `pir email` sends the message.

pub mod html;
pub mod mime;
pub mod png;
pub mod text;

use std::path::{Path, PathBuf};

use crate::edition::IssueId;
use crate::model::{Issue, Project};

/// Gmail clips a message whose HTML is larger than this.
pub const GMAIL_CLIP_BYTES: usize = 102 * 1024;

/// One issue's email edition.
pub struct Edition {
    /// The subject line.
    pub subject: String,
    /// The HTML email, styles inlined.
    pub html: String,
    /// The plain-text email.
    pub text: String,
    /// The drawings as PNG, by path in the output folder (`issues/<slug>/email/...`).
    pub images: Vec<(PathBuf, Vec<u8>)>,
}

/// Renders an issue's email edition; the error names what could not be rendered.
/// `previous` is the previous output folder, whose drawings are reused when unchanged.
pub fn edition(
    project: &Project,
    issue: &Issue,
    previous: Option<&Path>,
) -> Result<Edition, String> {
    let images = png::figures(project, issue, previous)?;
    let html = html::render(project, issue, &images)?;
    let text = text::render(project, issue);
    let subject = format!(
        "{}, {}",
        project.site.title,
        crate::edition::words::issue_heading(issue.number.value, &issue.title)
    );
    let files = images.into_iter().map(|f| (f.path, f.png)).collect();
    Ok(Edition {
        subject,
        html,
        text,
        images: files,
    })
}

/// The files of an issue's edition for the output folder: `email.html`,
/// `email.txt`, `issue-<n>.eml` and the PNG drawings.
pub fn files(
    project: &Project,
    issue: &Issue,
    previous: Option<&Path>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let edition = edition(project, issue, previous)?;
    let id = IssueId::of(issue);
    let eml = mime::message(project, issue, &edition, None)?;
    let mut out = vec![
        (id.email_html(), edition.html.into_bytes()),
        (id.email_text(), edition.text.into_bytes()),
        (id.eml(), eml),
    ];
    out.extend(edition.images);
    Ok(out)
}
