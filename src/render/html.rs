//! Markdown to HTML for the site, over the same pulldown-cmark events as print.
//!
//! pulldown-cmark writes the HTML; this module only adjusts events on the
//! way: headings get stable ids and move down a level when a page nests them,
//! image paths are made relative to the page, and raw HTML is escaped into
//! text unless the project opts in (`raw_html = true` in zine.toml). HTML
//! comments are the writer's notes and are dropped either way.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

use crate::load::markdown::options;

/// How a body is placed on a page.
pub struct HtmlCtx<'a> {
    /// Prepended to relative image paths (`../` on a piece's own page).
    pub image_prefix: &'a str,
    /// Markdown `##` becomes `<h{2 + shift}>`.
    pub heading_shift: u8,
    /// Prefix of heading ids, so that two pieces on one page never share an id.
    pub id_prefix: &'a str,
    /// Let raw HTML through (the project opted in).
    pub raw_html: bool,
}

/// A URL-safe id from heading text ("Investigation & analysis" -> "investigation-analysis").
pub fn anchor(text: &str) -> String {
    let lowered: String = text.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("-")
}

/// Renders a Markdown document (or part of one) to HTML.
pub fn render(markdown: &str, ctx: &HtmlCtx<'_>) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut heading_text: Option<(usize, String)> = None;
    let mut in_comment = false;
    // Links whose scheme is not web or mail are written as their text (pir check refuses them too).
    let mut open_links: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let safe = safe_url(&dest_url);
                open_links.push(safe);
                if safe {
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Link) => {
                if open_links.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
                let shifted = (level as usize).max(2) + ctx.heading_shift as usize;
                let level = pulldown_cmark::HeadingLevel::try_from(shifted.min(6)).unwrap_or(pulldown_cmark::HeadingLevel::H6);
                heading_text = Some((events.len(), String::new()));
                events.push(Event::Start(Tag::Heading { level, id: None, classes, attrs }));
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = match events
                    .iter()
                    .rev()
                    .find_map(|e| if let Event::Start(Tag::Heading { level, .. }) = e { Some(*level) } else { None })
                {
                    Some(l) => l,
                    None => pulldown_cmark::HeadingLevel::H2,
                };
                if let Some((at, text)) = heading_text.take()
                    && let Event::Start(Tag::Heading { id, .. }) = &mut events[at]
                {
                    *id = Some(CowStr::from(format!("{}{}", ctx.id_prefix, anchor(&text))));
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut heading_text {
                    text.push_str(&t);
                }
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, text)) = &mut heading_text {
                    text.push_str(&t);
                }
                events.push(Event::Code(t));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let relative = !dest_url.contains(':') && !dest_url.starts_with('/') && !dest_url.starts_with('#');
                let dest_url = if relative { CowStr::from(format!("{}{}", ctx.image_prefix, dest_url)) } else { dest_url };
                events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::HtmlBlock) => {
                in_comment = false;
                events.push(Event::Start(Tag::HtmlBlock));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let comment = in_comment || h.trim_start().starts_with("<!--");
                in_comment = comment && !h.contains("-->");
                if comment {
                    continue;
                }
                events.push(if ctx.raw_html { Event::Html(h) } else { Event::Text(h) });
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Whether a link may be followed: web, mail, or relative (no scheme at all).
fn safe_url(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> HtmlCtx<'static> {
        HtmlCtx { image_prefix: "../", heading_shift: 1, id_prefix: "discord-", raw_html: false }
    }

    #[test]
    fn headings_get_ids_and_nest_under_the_page() {
        assert_eq!(
            render("## Investigation & analysis", &ctx()),
            "<h3 id=\"discord-investigation-analysis\">Investigation &amp; analysis</h3>\n"
        );
        assert_eq!(render("# Top `code`", &ctx()), "<h3 id=\"discord-top-code\">Top <code>code</code></h3>\n");
    }

    #[test]
    fn raw_html_is_text_unless_allowed_and_comments_vanish() {
        let md = "<!-- note\nmore -->\n\nA <b>bold</b> <script>alert(1)</script> move.\n";
        let out = render(md, &ctx());
        assert_eq!(out, "<p>A &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; move.</p>\n");
        let open = HtmlCtx { raw_html: true, ..ctx() };
        assert!(render(md, &open).contains("<b>bold</b>"));
    }

    #[test]
    fn image_paths_are_relative_to_the_page() {
        assert_eq!(render("![A cat](cat.png)", &ctx()), "<p><img src=\"../cat.png\" alt=\"A cat\" /></p>\n");
        assert_eq!(render("![A cat](https://x.io/cat.png)", &ctx()), "<p><img src=\"https://x.io/cat.png\" alt=\"A cat\" /></p>\n");
    }

    #[test]
    fn links_with_other_schemes_become_text() {
        assert_eq!(
            render("[x](javascript:alert(1)) <data:text/html,hi> [ok](https://x.io)", &ctx()),
            "<p>x data:text/html,hi <a href=\"https://x.io\">ok</a></p>\n"
        );
        assert_eq!(render("[up](../index.html#top)", &ctx()), "<p><a href=\"../index.html#top\">up</a></p>\n");
    }

    #[test]
    fn anchors() {
        assert_eq!(anchor("Action items"), "action-items");
        assert_eq!(anchor("TL;DR: what happened?"), "tl-dr-what-happened");
    }
}
