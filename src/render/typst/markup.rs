//! Markdown to Typst markup, over pulldown-cmark events.
//!
//! Everything a writer types arrives in Typst as escaped text or as a string
//! literal, never as markup: every ASCII punctuation character in text gets
//! a backslash, and code, URLs and paths go through `string_literal`. Block
//! structure is emitted as function calls (`#list(..)`, `#heading(..)`)
//! rather than Typst's whitespace-sensitive shorthand, so no line a writer
//! wrote can start a list or a heading by accident.

use std::collections::HashMap;
use std::fmt::Write;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};

use crate::load::markdown::options;

/// Where a body's relative image paths start, in the Typst world (`/issues/march-2020`).
pub struct Ctx<'a> {
    pub dir: &'a str,
}

/// Escapes text for Typst markup: a backslash before every ASCII punctuation character.
pub fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A Typst string literal (`"..."`) holding `s` exactly.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Converts a Markdown document (a piece's body, or part of it).
pub fn convert(markdown: &str, ctx: &Ctx<'_>) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let (main, notes) = split_footnotes(events);
    let mut notes_markup = HashMap::new();
    let no_notes = HashMap::new();
    for (label, evs) in &notes {
        let mut w = Writer::new(ctx, &no_notes);
        w.run(evs);
        notes_markup.insert(label.clone(), w.out.trim().to_string());
    }
    let mut w = Writer::new(ctx, &notes_markup);
    w.run(&main);
    w.out.trim_end().to_string() + "\n"
}

/// Converts inline Markdown (a timeline entry) without a paragraph break at the end.
pub fn convert_inline(markdown: &str, ctx: &Ctx<'_>) -> String {
    convert(markdown, ctx).trim().to_string()
}

/// Separates footnote definitions (by label) from the rest of the events.
fn split_footnotes(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<(String, Vec<Event<'_>>)>) {
    let mut main = Vec::new();
    let mut notes: Vec<(String, Vec<Event>)> = Vec::new();
    let mut depth = 0usize;
    for ev in events {
        match (&ev, depth) {
            (Event::Start(Tag::FootnoteDefinition(label)), 0) => {
                notes.push((label.to_string(), Vec::new()));
                depth = 1;
            }
            (Event::End(TagEnd::FootnoteDefinition), 1) => depth = 0,
            (_, 0) => main.push(ev),
            _ => {
                if matches!(ev, Event::Start(Tag::FootnoteDefinition(_))) {
                    depth += 1;
                } else if matches!(ev, Event::End(TagEnd::FootnoteDefinition)) {
                    depth -= 1;
                }
                notes.last_mut().expect("inside a definition").1.push(ev);
            }
        }
    }
    (main, notes)
}

/// What an open link needs at its end.
enum LinkEnd {
    /// Close the link, then print the URL as a footnote for paper readers.
    Footnote(String),
    /// Close the link; its text already shows the URL.
    Close,
    /// Not a link in print (a relative link): nothing to close.
    Plain,
}

/// Emits markup for a stream of events.
struct Writer<'a> {
    ctx: &'a Ctx<'a>,
    notes: &'a HashMap<String, String>,
    out: String,
    links: Vec<LinkEnd>,
    /// Alt text being collected for an open image, with its path.
    image: Option<(String, String)>,
    /// Code being collected for an open code block, with its language.
    code: Option<(String, String)>,
    /// Text of the open link, to tell whether it shows its own URL.
    link_text: String,
}

impl<'a> Writer<'a> {
    /// A writer for one document.
    fn new(ctx: &'a Ctx<'a>, notes: &'a HashMap<String, String>) -> Self {
        Writer { ctx, notes, out: String::new(), links: Vec::new(), image: None, code: None, link_text: String::new() }
    }

    /// Emits every event.
    fn run(&mut self, events: &[Event<'_>]) {
        for ev in events {
            self.event(ev);
        }
    }

    /// Emits one event.
    fn event(&mut self, ev: &Event<'_>) {
        if let Some((_, alt)) = &mut self.image {
            match ev {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::End(TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        if let Some((_, code)) = &mut self.code {
            match ev {
                Event::Text(t) => code.push_str(t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => {
                self.link_text.push_str(t);
                escape_text(t, &mut self.out);
            }
            Event::Code(t) => {
                self.link_text.push_str(t);
                let _ = write!(self.out, "#raw({})", string_literal(t));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Event::FootnoteReference(label) => match self.notes.get(label.as_ref()) {
                Some(note) => {
                    let _ = write!(self.out, "#footnote[{note}]");
                }
                None => escape_text(&format!("[^{label}]"), &mut self.out),
            },
            // Raw HTML is not rendered in print (`pir check` warns about it).
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => escape_text(t, &mut self.out),
            Event::TaskListMarker(done) => self.out.push_str(if *done { "☒ " } else { "☐ " }),
        }
    }

    /// Opens a tag.
    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let level = (*level as u8).max(2);
                let _ = write!(self.out, "#heading(level: {level})[");
            }
            Tag::BlockQuote(_) => self.out.push_str("#quote(block: true)["),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(Some(start)) => {
                let _ = write!(self.out, "#enum(start: {start}, ");
            }
            Tag::List(None) => self.out.push_str("#list("),
            Tag::Item => self.out.push('['),
            Tag::FootnoteDefinition(_) => {}
            Tag::Table(aligns) => {
                let align: Vec<&str> = aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Center => "center",
                        Alignment::Right => "right",
                        _ => "left",
                    })
                    .collect();
                let _ = write!(self.out, "#table(columns: {}, align: ({},), ", aligns.len(), align.join(", "));
            }
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Link { link_type, dest_url, .. } => self.start_link(*link_type, dest_url),
            Tag::Image { dest_url, .. } => self.image = Some((dest_url.to_string(), String::new())),
            _ => {}
        }
    }

    /// Closes a tag.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.out.push_str("\n\n"),
            TagEnd::Heading(_) => self.out.push_str("]\n\n"),
            TagEnd::BlockQuote(_) => {
                trim_end_in_place(&mut self.out);
                self.out.push_str("]\n\n");
            }
            TagEnd::List(_) => self.out.push_str(")\n\n"),
            TagEnd::Item => {
                trim_end_in_place(&mut self.out);
                self.out.push_str("], ");
            }
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::TableCell => self.out.push_str("], "),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.out.push(']'),
            TagEnd::Link => self.end_link(),
            _ => {}
        }
    }

    /// Opens a link: web and mail links are clickable; relative ones are plain text in print.
    fn start_link(&mut self, link_type: LinkType, dest: &str) {
        let dest = if link_type == LinkType::Email { format!("mailto:{dest}") } else { dest.to_string() };
        let printable = dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("mailto:");
        if !printable {
            self.links.push(LinkEnd::Plain);
            return;
        }
        let _ = write!(self.out, "#link({})[", string_literal(&dest));
        self.link_text.clear();
        let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
        self.links.push(if autolink { LinkEnd::Close } else { LinkEnd::Footnote(dest) });
    }

    /// Closes a link; prints its URL as a footnote unless the text already shows it.
    fn end_link(&mut self) {
        match self.links.pop() {
            Some(LinkEnd::Footnote(url)) => {
                self.out.push(']');
                let text = self.link_text.trim();
                if !shows_url(text, &url) {
                    match url.strip_prefix("mailto:") {
                        Some(address) => {
                            let _ = write!(self.out, "#footnote(link({})[", string_literal(&url));
                            escape_text(address, &mut self.out);
                            self.out.push_str("])");
                        }
                        None => {
                            let _ = write!(self.out, "#footnote(link({}))", string_literal(&url));
                        }
                    }
                }
            }
            Some(LinkEnd::Close) => self.out.push(']'),
            Some(LinkEnd::Plain) | None => {}
        }
    }

    /// Emits a collected image as a figure, or its alt text when the path is unusable.
    fn end_image(&mut self) {
        let Some((dest, alt)) = self.image.take() else {
            return;
        };
        match crate::check::inside(std::path::Path::new(self.ctx.dir.trim_start_matches('/')), &dest) {
            Some(path) if !dest.contains(':') => {
                let vpath = format!("/{}", path.to_string_lossy().replace('\\', "/"));
                let _ = write!(self.out, "#figure(image({}, alt: {}, width: 100%))", string_literal(&vpath), string_literal(alt.trim()));
            }
            _ => escape_text(&alt, &mut self.out),
        }
    }

    /// Emits a collected code block.
    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let code = code.strip_suffix('\n').unwrap_or(&code);
        if lang.is_empty() {
            let _ = write!(self.out, "#raw(block: true, {})\n\n", string_literal(code));
        } else {
            let _ = write!(self.out, "#raw(block: true, lang: {}, {})\n\n", string_literal(&lang), string_literal(code));
        }
    }
}

/// Whether a link's text already shows its URL (give or take the scheme, `www.`
/// and a trailing slash), so printing it again in a footnote would be noise.
fn shows_url(text: &str, url: &str) -> bool {
    let bare = |s: &str| {
        let s = s.trim().trim_start_matches("mailto:").trim_start_matches("https://").trim_start_matches("http://");
        s.trim_start_matches("www.").trim_end_matches('/').to_lowercase()
    };
    bare(text) == bare(url)
}

/// Drops trailing whitespace, so a closing bracket hugs its content.
fn trim_end_in_place(s: &mut String) {
    let len = s.trim_end().len();
    s.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        convert(s, &Ctx { dir: "/issues/x" })
    }

    #[test]
    fn escapes_every_markup_character() {
        let out = md("Costs $5 #1 *not* a_b @ref <tag> `x` [a] / ~ = - + 'q' \"q\" 1. = \\ ");
        // Only what Markdown itself marked up becomes a call.
        assert!(out.contains("\\$5 \\#1 #emph[not] a\\_b \\@ref"), "{out}");
        assert!(out.contains("#raw(\"x\")"), "{out}");
        assert!(out.contains("\\[a\\] \\/ \\~ \\= \\- \\+"), "{out}");
    }

    #[test]
    fn a_line_that_looks_like_typst_structure_stays_text() {
        let out = md("1\\. not a list\n\n\\= not a heading\n");
        assert_eq!(out, "1\\. not a list\n\n\\= not a heading\n");
    }

    #[test]
    fn structure_becomes_calls() {
        assert_eq!(md("## Timeline"), "#heading(level: 2)[Timeline]\n");
        assert_eq!(md("# Top"), "#heading(level: 2)[Top]\n");
        assert_eq!(md("- a\n- b\n"), "#list([a], [b], )\n");
        assert_eq!(md("3. a\n4. b\n"), "#enum(start: 3, [a], [b], )\n");
        assert_eq!(md("> quoted"), "#quote(block: true)[quoted]\n");
        assert_eq!(md("a  \nb"), "a#linebreak()b\n");
        assert_eq!(md("~~gone~~ **bold**"), "#strike[gone] #strong[bold]\n");
        assert_eq!(md("---"), "#line(length: 100%)\n");
    }

    #[test]
    fn links_print_their_url_for_paper_readers() {
        assert_eq!(
            md("[etcd](https://github.com/etcd-io/etcd)"),
            "#link(\"https://github.com/etcd-io/etcd\")[etcd]#footnote(link(\"https://github.com/etcd-io/etcd\"))\n"
        );
        assert_eq!(md("<https://x.io>"), "#link(\"https://x.io\")[https\\:\\/\\/x\\.io]\n");
        assert_eq!(md("[https://x.io](https://x.io)"), "#link(\"https://x.io\")[https\\:\\/\\/x\\.io]\n");
        assert_eq!(
            md("[write](mailto:zine@x.io)"),
            "#link(\"mailto:zine@x.io\")[write]#footnote(link(\"mailto:zine@x.io\")[zine\\@x\\.io])\n"
        );
        assert_eq!(md("[other piece](other.md)"), "other piece\n");
    }

    #[test]
    fn a_link_that_shows_its_address_gets_no_footnote() {
        assert_eq!(
            md("[zine.incidentlabs.io](https://zine.incidentlabs.io/)"),
            "#link(\"https://zine.incidentlabs.io/\")[zine\\.incidentlabs\\.io]\n"
        );
        assert_eq!(md("[zine@x.io](mailto:zine@x.io)"), "#link(\"mailto:zine@x.io\")[zine\\@x\\.io]\n");
    }

    #[test]
    fn code_is_a_string_literal() {
        assert_eq!(md("```text\na \"b\" \\ #c\n```"), "#raw(block: true, lang: \"text\", \"a \\\"b\\\" \\\\ #c\")\n");
    }

    #[test]
    fn tables_and_footnotes() {
        assert_eq!(
            md("| a | b |\n| :-: | --: |\n| 1 | 2 |\n"),
            "#table(columns: 2, align: (center, right,), table.header([a], [b], ), [1], [2], )\n"
        );
        assert_eq!(md("Said.[^1]\n\n[^1]: A *note*.\n"), "Said\\.#footnote[A #emph[note]\\.]\n");
    }

    #[test]
    fn images_resolve_inside_the_project() {
        assert_eq!(md("![A cat](cat.png)"), "#figure(image(\"/issues/x/cat.png\", alt: \"A cat\", width: 100%))\n");
        assert_eq!(md("![A cat](../../../cat.png)"), "A cat\n");
    }

    #[test]
    fn raw_html_is_dropped() {
        assert_eq!(md("a <b>c</b>"), "a c\n");
    }
}
