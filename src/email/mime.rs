//! The edition as one standard MIME message (`issue-<n>.eml`), built with mail-builder.
//!
//! multipart/alternative with the plain-text part first and the HTML part
//! last (the one clients prefer), both UTF-8, each encoded by mail-builder
//! (quoted-printable or base64, whichever is shorter). Everything that
//! would otherwise come from the clock or chance is fixed, so the same
//! issue always gives the same bytes: the date is the issue's, the
//! Message-ID is made from the issue and the site's host, and the boundary
//! is a constant that neither encoding can produce (both escape or pad
//! with `=`, never followed by `_`).

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::url::URL;
use mail_builder::mime::MimePart;

use super::Edition;
use crate::model::{Issue, Project};

/// The boundary between the two parts.
const BOUNDARY: &str = "=_pir-alternative";

/// Builds the message; `to` is the reader, or the zine's own address for the file in `public/`.
pub fn message(
    project: &Project,
    issue: &Issue,
    edition: &Edition,
    to: Option<&str>,
) -> Result<Vec<u8>, String> {
    let site = &project.site;
    let host = url::Url::parse(&site.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let date = issue
        .date
        .value
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or(0);
    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", BOUNDARY),
        vec![
            MimePart::new("text/plain", edition.text.as_str()),
            MimePart::new("text/html", edition.html.as_str()),
        ],
    );
    let mut builder = MessageBuilder::new()
        .from((site.title.as_str(), site.email.as_str()))
        .to(to.unwrap_or(&site.email))
        .subject(edition.subject.as_str())
        .date(date)
        .message_id(format!(
            "issue-{}.{}@{host}",
            issue.number.value, issue.slug
        ))
        .header(
            "Content-Language",
            mail_builder::headers::raw::Raw::new(site.language.as_str()),
        )
        .body(alternative);
    if let Some(list) = site
        .newsletter
        .as_ref()
        .and_then(|n| n.list_unsubscribe.as_deref())
    {
        builder = builder.header("List-Unsubscribe", URL::new(list));
    }
    let mut out = Vec::new();
    builder
        .write_to(&mut out)
        .map_err(|e| format!("the message cannot be written: {e}"))?;
    Ok(out)
}
