//! Pieces: a Markdown file with TOML (`+++`) or YAML (`---`) front matter.
//!
//! Writers arrive from Zola and Hugo (TOML) and from Jekyll-style collections
//! (YAML); both delimiters are accepted and read into the same schema.

use crate::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use crate::load::fields::Fields;
use crate::load::incident::{self, Body};
use crate::load::markdown::parse;
use crate::load::value::{Node, parse_toml, parse_yaml};
use crate::model::{ImageRef, Piece, PieceKind, PieceStatus, Span, Spanned};

/// Keys every piece may have.
pub const COMMON: &[&str] = &[
    "kind",
    "title",
    "subtitle",
    "byline",
    "credit",
    "summary",
    "corrected",
    "status",
    "reviewers",
    "questions",
];
/// Keys of illustration pieces.
pub const ILLUSTRATION: &[&str] = crate::model::keys_of(PieceKind::Illustration);

/// Front matter located in a file.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatter {
    pub yaml: bool,
    /// The text between the delimiters.
    pub span: Span,
    /// The opening delimiter line.
    pub open: Span,
    /// Where the body begins.
    pub body_start: usize,
}

/// Finds the front matter block at the top of `text`.
pub fn split(text: &str) -> Result<FrontMatter, (Code, Span, String, String)> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    let yaml = match first {
        "+++" => false,
        "---" => true,
        _ => {
            return Err((
                Code::FrontMatterMissing,
                0..first_end,
                "this piece does not start with front matter".into(),
                "start the file with a `+++` line, then `kind = \"feature\"` and `title = \"...\"`, then another `+++` line (or the same in YAML between `---` lines)".into(),
            ));
        }
    };
    let inner_start = (first_end + 1).min(text.len());
    let mut pos = inner_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == first {
            return Ok(FrontMatter {
                yaml,
                span: inner_start..pos,
                open: 0..first.len(),
                body_start: (end + 1).min(text.len()),
            });
        }
        pos = end + 1;
    }
    Err((
        Code::FrontMatterUnclosed,
        0..first.len(),
        format!("the front matter opened here is never closed with `{first}`"),
        format!("add a line with only `{first}` after the last key"),
    ))
}

/// The two YAML mistakes a parser explains badly: TOML written between
/// `---` lines, and a tab in a line's indentation.
fn yaml_mistake(file: FileId, text: &str, fm: &FrontMatter) -> Option<Diagnostic> {
    let inner = &text[fm.span.clone()];
    let lines: Vec<&str> = inner
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let toml_line = |l: &&str| {
        (l.starts_with('[') && l.ends_with(']'))
            || l.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim();
                !k.is_empty()
                    && !k.contains(':')
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            })
    };
    if !lines.is_empty() && lines.iter().all(toml_line) {
        // Both delimiters at once: the open line, the keys as written, the close line.
        let whole = fm.open.start..fm.span.end + 3;
        return Some(
            Diagnostic::new(
                Code::FrontMatterSyntax,
                file,
                fm.open.clone(),
                "this looks like TOML (`key = value`) between `---` lines, which are for YAML",
            )
            .hint("TOML front matter goes between `+++` lines: change both `---` lines to `+++`")
            .suggest(whole, format!("+++\n{inner}+++")),
        );
    }
    let mut at = fm.span.start;
    for line in inner.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            let span = at + tab..at + tab + 1;
            return Some(
                Diagnostic::new(
                    Code::FrontMatterSyntax,
                    file,
                    span.clone(),
                    "YAML does not allow tabs for indentation",
                )
                .label("a tab")
                .hint("use spaces: indent with two spaces per level")
                .suggest(span, "  ".to_string()),
            );
        }
        at += line.len();
    }
    None
}

/// Loads one piece from its text; `None` when its front matter is unusable.
pub fn load(file: FileId, slug: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Piece> {
    let fm = match split(text) {
        Ok(fm) => fm,
        Err((code, span, message, hint)) => {
            diags.push(Diagnostic::new(code, file, span, message).hint(hint));
            return None;
        }
    };
    let fm_text = &text[fm.span.clone()];
    if fm.yaml
        && let Some(d) = yaml_mistake(file, text, &fm)
    {
        diags.push(d);
        return None;
    }
    let node: Node = if fm.yaml {
        match parse_yaml(fm_text, fm.span.start) {
            Ok(node) => node,
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::FrontMatterSyntax,
                        file,
                        e.span,
                        format!("invalid YAML front matter: {}", e.message),
                    )
                    .hint("YAML front matter is `key: value` lines between `---` lines"),
                );
                return None;
            }
        }
    } else {
        let (node, errors) = parse_toml(fm_text, fm.span.start);
        if !errors.is_empty() {
            for e in errors {
                diags.push(
                    Diagnostic::new(Code::FrontMatterSyntax, file, e.span, format!("invalid TOML front matter: {}", e.message))
                        .hint("TOML front matter is `key = value` lines between `+++` lines; strings need quotes"),
                );
            }
            return None;
        }
        node
    };
    let body = &text[fm.body_start..];
    control_chars(file, text, diags);
    let crate::load::markdown::Parsed {
        mut doc,
        outline: found,
    } = parse(body);
    if let Some(at) = &found.too_deep {
        let span = at.start + fm.body_start..at.end + fm.body_start;
        let message = format!(
            "lists, quotes, emphasis and links are nested more than {} levels deep here",
            crate::load::markdown::MAX_NESTING
        );
        diags.push(
            Diagnostic::new(Code::TooDeep, file, span, message)
                .hint("flatten the structure: a reader cannot follow it that deep either"),
        );
        return None;
    }
    let mut f = Fields::new(file, &node, "the front matter", diags)
        .anchor(fm.open.clone())
        .insert_missing_at(fm.span.start, fm.yaml);
    let kind = read_kind(&mut f);
    let title = f.str("title", "title = \"A title for this piece\"");
    let subtitle = f.opt_str("subtitle");
    let byline = f.opt_str("byline").map(|s| s.value);
    let credit = f.opt_str("credit").map(|s| s.value);
    let summary = f.opt_str("summary");
    // The examples `pir new` wrote for this kind, still in place.
    for (key, example) in kind.map(crate::skeleton::placeholders).unwrap_or_default() {
        let value = match key {
            "title" => title.as_ref(),
            "subtitle" => subtitle.as_ref(),
            "summary" => summary.as_ref(),
            _ => continue,
        };
        f.placeholder(key, value, example, &format!("your own {key}"));
    }
    let (subtitle, summary) = (subtitle.map(|s| s.value), summary.map(|s| s.value));
    let corrected = f.opt_date("corrected").map(|d| d.value);
    let status = read_status(&mut f);
    let questions: Vec<String> = f
        .opt_str_list("questions")
        .unwrap_or_default()
        .into_iter()
        .map(|q| q.value)
        .collect();
    let reviewers: Vec<String> = f
        .opt_str_list("reviewers")
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.value)
        .collect();
    let mut image = None;
    let mut incident = None;
    let mut known: Vec<&str> = COMMON.to_vec();
    match kind {
        Some(PieceKind::Incident) => {
            known.extend(incident::KEYS);
            let example = crate::skeleton::DEFAULT_TITLE;
            f.placeholder(
                "title",
                title.as_ref(),
                example,
                "a title that tells the story",
            );
            let blocks = incident::entry_blocks(&doc);
            let b = Body {
                file,
                text: body,
                offset: fm.body_start,
                outline: &found,
                blocks,
            };
            incident = incident::load(&mut f, &b, &mut doc);
        }
        Some(PieceKind::Illustration) => {
            known.extend(ILLUSTRATION);
            image = read_image(&mut f);
        }
        _ => {}
    }
    let elsewhere: Vec<(&str, &str)> = incident::KEYS
        .iter()
        .map(|k| (*k, "this key belongs to incident pieces (`kind = \"incident\"`)"))
        .chain(
            ILLUSTRATION
                .iter()
                .map(|k| (*k, "this key belongs to illustration pieces (`kind = \"illustration\"`); in other pieces use Markdown images")),
        )
        .filter(|(k, _)| !known.contains(k))
        .chain([(
            "draft",
            "a piece's stage is its `status`: \"draft\", \"review\" or \"final\" (`status = \"draft\"`)",
        )])
        .collect();
    f.finish(&known, &elsewhere);
    for span in &found.raw_html {
        diags.push(
            Diagnostic::new(
                Code::RawHtml,
                file,
                span.start + fm.body_start..span.end + fm.body_start,
                "raw HTML is shown as text, in the PDF and on the site",
            )
            .hint("write it in Markdown instead (emphasis, links, lists), or put code in backticks; HTML comments are fine for notes"),
        );
    }
    markdown_mistakes(file, fm.body_start, &found, diags);
    let kind = kind?;
    if kind == PieceKind::Incident && incident.is_none() {
        return None;
    }
    let shift = |span: &Span| span.start + fm.body_start..span.end + fm.body_start;
    Some(Piece {
        slug: slug.to_string(),
        file,
        path: std::path::PathBuf::new(),
        kind,
        title: title?.value,
        subtitle,
        byline,
        credit,
        summary,
        corrected,
        status: status.as_ref().map_or_else(Default::default, |s| s.value),
        status_span: status.map(|s| s.span),
        reviewers,
        questions,
        body: body.to_string(),
        body_offset: fm.body_start,
        doc,
        image,
        images: found
            .images
            .into_iter()
            .map(|i| ImageRef {
                span: shift(&i.span),
                ..i
            })
            .collect(),
        links: found
            .links
            .into_iter()
            .map(|l| crate::model::Spanned::new(l.value, shift(&l.span)))
            .collect(),
        headings: found
            .headings
            .into_iter()
            .map(|h| crate::model::Heading {
                span: shift(&h.span),
                ..h
            })
            .collect(),
        incident,
    })
}

/// Reports fences never closed and footnotes never defined or never used.
fn markdown_mistakes(
    file: FileId,
    offset: usize,
    found: &crate::load::markdown::Outline,
    diags: &mut Vec<Diagnostic>,
) {
    let at = |s: &Span| s.start + offset..s.end + offset;
    for span in &found.unclosed_fences {
        diags.push(
            Diagnostic::new(
                Code::UnclosedFence,
                file,
                at(span),
                "this code fence is never closed: the rest of the piece is code",
            )
            .hint("close it with a line of the same backticks after the code"),
        );
    }
    for (span, label) in &found.undefined_notes {
        diags.push(
            Diagnostic::new(
                Code::FootnoteUndefined,
                file,
                at(span),
                format!("the footnote `[^{label}]` is never defined"),
            )
            .hint(format!(
                "add its text at the end of the piece: `[^{label}]: The note.`"
            )),
        );
    }
    for (span, label) in &found.unused_notes {
        let span = at(span);
        let line = span.start..span.start + 4 + label.len();
        diags.push(
            Diagnostic::new(
                Code::FootnoteUnused,
                file,
                line,
                format!("the footnote `[^{label}]` is defined but never referenced"),
            )
            .hint(format!(
                "refer to it with `[^{label}]` where it belongs, or delete it"
            )),
        );
    }
}

/// Reports every control character in a piece, naming it: no output can show one.
fn control_chars(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) {
    for (i, c) in text.char_indices() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            let name = match c {
                '\0' => "NUL".to_string(),
                '\u{1b}' => "ESC (escape)".to_string(),
                '\u{7f}' => "DEL".to_string(),
                c => format!("U+{:04X}", c as u32),
            };
            diags.push(
                Diagnostic::new(
                    Code::ControlChar,
                    file,
                    i..i + c.len_utf8(),
                    format!("a control character ({name}) is in the text"),
                )
                .hint("delete it: it usually comes from a terminal or a binary file pasted in"),
            );
        }
    }
}

/// Reads `kind`, suggesting the closest kind for a typo.
fn read_kind(f: &mut Fields<'_>) -> Option<PieceKind> {
    let names = PieceKind::ALL.map(PieceKind::name);
    let kind = f.str("kind", "kind = \"feature\"")?;
    match PieceKind::from_name(&kind.value) {
        Some(k) => Some(k),
        None => {
            let best = did_you_mean(&kind.value, names);
            let hint = match best {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("use one of: {}", names.join(", ")),
            };
            let mut d = Diagnostic::new(
                Code::UnknownKind,
                f.file(),
                kind.span.clone(),
                format!("`{}` is not a kind of piece", kind.value),
            )
            .hint(hint);
            if let Some(best) = best {
                d = d.suggest_value(kind.span, &kind.value, best);
            }
            f.diags.push(d);
            None
        }
    }
}

/// Reads a piece's `status`: "draft", "review" or "final" (the default).
fn read_status(f: &mut Fields<'_>) -> Option<Spanned<PieceStatus>> {
    let written = f.opt_str("status")?;
    let names = PieceStatus::ALL.map(PieceStatus::name);
    if let Some(s) = PieceStatus::ALL
        .into_iter()
        .find(|s| s.name() == written.value)
    {
        return Some(Spanned::new(s, written.span));
    }
    let best = did_you_mean(&written.value, names);
    let hint = match (best, written.value.as_str()) {
        (Some(best), _) => format!("did you mean `{best}`?"),
        (None, "published") => "a piece is \"draft\", \"review\" or \"final\"; whether it is published is its issue's `status` (issue.toml)".into(),
        (None, _) => "use \"draft\", \"review\" or \"final\"".into(),
    };
    let mut d = Diagnostic::new(
        Code::InvalidValue,
        f.file(),
        written.span.clone(),
        format!("`{}` is not a piece's status", written.value),
    )
    .hint(hint);
    if let Some(best) = best {
        d = d.suggest_value(written.span.clone(), &written.value, best);
    }
    f.diags.push(d);
    None
}

/// Reads an illustration's `image` and `alt`.
fn read_image(f: &mut Fields<'_>) -> Option<ImageRef> {
    let path = f.opt_str("image");
    let alt = f.opt_str("alt");
    let path = path?;
    if let Some(example) = crate::skeleton::placeholders(PieceKind::Illustration)
        .into_iter()
        .find(|(k, _)| *k == "alt")
    {
        f.placeholder(
            "alt",
            alt.as_ref(),
            example.1,
            "one sentence that describes your drawing",
        );
    }
    if alt.is_none() {
        f.invalid(
            Code::ImageNoAlt,
            path.span.clone(),
            "this illustration has no alt text",
            "add `alt = \"...\"`: one sentence that describes the drawing",
        );
    }
    Some(ImageRef {
        path: path.value,
        alt: alt.map(|a| a.value).unwrap_or_default(),
        span: path.span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml_front_matter() {
        let fm = split("+++\ntitle = \"x\"\n+++\nBody\n").unwrap();
        assert!(!fm.yaml);
        assert_eq!(fm.span, 4..16);
        assert_eq!(fm.body_start, 20);
        let fm = split("---\r\ntitle: x\r\n---\r\nBody").unwrap();
        assert!(fm.yaml);
        assert_eq!(&"---\r\ntitle: x\r\n---\r\nBody"[fm.body_start..], "Body");
    }

    #[test]
    fn a_delimiter_at_the_end_of_the_file_closes() {
        let text = "+++\ntitle = \"x\"\n+++";
        assert_eq!(split(text).unwrap().body_start, text.len());
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(split("").unwrap_err().0, Code::FrontMatterMissing);
        assert_eq!(split("# Title\n").unwrap_err().0, Code::FrontMatterMissing);
        assert_eq!(
            split("+++\ntitle = \"x\"\n").unwrap_err().0,
            Code::FrontMatterUnclosed
        );
        assert_eq!(
            split("---\ntitle: x\n+++\n").unwrap_err().0,
            Code::FrontMatterUnclosed
        );
    }
}
