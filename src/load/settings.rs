//! `zine.toml` (the site) and `issue.toml` (one issue): schemas and reading.

use crate::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use crate::load::fields::{Fields, check_email};
use crate::load::value::{Node, Value, parse_toml};
use crate::model::{NextIssue, Print, Site, Spanned, Status};

/// Keys of `zine.toml`.
pub const SITE_KEYS: &[&str] =
    &["title", "base_url", "publisher", "email", "description", "language", "newsletter_url", "raw_html", "print"];
/// Keys of `[print]` in `zine.toml`.
pub const PRINT_KEYS: &[&str] = &["a4", "duplex", "creep", "crop_marks"];
/// Keys of `issue.toml`.
pub const ISSUE_KEYS: &[&str] = &["number", "title", "date", "status", "editors", "pages", "summary", "next_issue", "pieces"];

/// Parses a TOML settings file, reporting syntax errors; `None` if it has any.
pub fn parse(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let (node, errors) = parse_toml(text, 0);
    if errors.is_empty() {
        return Some(node);
    }
    for e in errors {
        diags.push(
            Diagnostic::new(Code::SettingsSyntax, file, e.span, format!("invalid TOML: {}", e.message))
                .hint("settings are `key = value` lines; strings need double quotes"),
        );
    }
    None
}

/// Reads `zine.toml`. Missing values become empty strings: the errors say why.
pub fn site(file: FileId, node: &Node, diags: &mut Vec<Diagnostic>) -> Site {
    let mut f = Fields::new(file, node, "zine.toml", diags).insert_missing_at(0, false);
    let title = f.str("title", "title = \"Post-Incident Review\"");
    let base_url = f.str("base_url", "base_url = \"https://zine.example.com\"");
    if let Some(url) = &base_url
        && let Err(why) = crate::load::fields::check_url(&url.value)
            .and_then(|_| if url.value.starts_with("mailto:") { Err("it must be a web address".to_string()) } else { Ok(()) })
    {
        f.invalid(
            Code::InvalidUrl,
            url.span.clone(),
            format!("`base_url` is not a usable URL: {why}"),
            "write the address the site is served at, such as https://zine.incidentlabs.io",
        );
    }
    let publisher = f.str("publisher", "publisher = \"Incident Labs\"");
    let email = f.str("email", "email = \"zine@example.com\"");
    if let Some(e) = &email
        && let Err(why) = check_email(&e.value)
    {
        f.invalid(
            Code::InvalidEmail,
            e.span.clone(),
            format!("`email` is not an e-mail address: {why}"),
            "write an address such as zine@incidentlabs.io",
        );
    }
    let description = f.str("description", "description = \"One sentence on what the zine is\"");
    let language = f.str("language", "language = \"en\"");
    if let Some(l) = &language
        && !is_language_tag(&l.value)
    {
        f.invalid(
            Code::InvalidValue,
            l.span.clone(),
            format!("`{}` is not a language tag", l.value),
            "use a BCP 47 tag such as en, en-US or fr",
        );
    }
    let newsletter_url = f.opt_url("newsletter_url");
    let raw_html = f.opt_bool("raw_html").unwrap_or(false);
    let print = match f.table("print") {
        Some(node) => {
            let anchor = f.key_span("print").unwrap_or(node.span.clone());
            let mut p = Fields::new(file, node, "[print]", f.diags).anchor(anchor);
            let print = read_print(&mut p);
            p.finish(PRINT_KEYS, &[]);
            print
        }
        None => Print::default(),
    };
    f.finish(SITE_KEYS, &[]);
    let s = |v: Option<Spanned<String>>| v.map(|v| v.value).unwrap_or_default();
    Site {
        file,
        title: s(title),
        base_url: s(base_url).trim_end_matches('/').to_string(),
        publisher: s(publisher),
        email: s(email),
        description: s(description),
        language: s(language),
        newsletter_url: newsletter_url.map(|u| u.value),
        raw_html,
        print,
    }
}

/// Reads `[print]`: paper, duplex, creep and crop marks.
fn read_print(p: &mut Fields<'_>) -> Print {
    let mut print =
        Print { a4: p.opt_bool("a4").unwrap_or(false), crop_marks: p.opt_bool("crop_marks").unwrap_or(false), ..Print::default() };
    if let Some(d) = p.opt_str("duplex") {
        match d.value.as_str() {
            "short-edge" => {}
            "long-edge" => print.long_edge = true,
            other => p.invalid(
                Code::InvalidValue,
                d.span,
                format!("`{other}` is not a duplex mode"),
                "use \"short-edge\" (most printers) or \"long-edge\"",
            ),
        }
    }
    if let Some(c) = p.opt_str("creep") {
        match parse_length(&c.value) {
            Some(points) if (0.0..=10.0).contains(&points) => print.creep = points,
            _ => p.invalid(
                Code::InvalidValue,
                c.span,
                format!("`{}` is not a creep length", c.value),
                "write a small length per sheet, such as \"0.2mm\" or \"0.5pt\" (at most 10pt)",
            ),
        }
    }
    print
}

/// Parses a length with a unit (`0.2mm`, `0.5pt`, `0.01in`) into points.
pub fn parse_length(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let n: f64 = number.trim().parse().ok()?;
    let factor = match unit {
        "pt" => 1.0,
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        "in" => 72.0,
        _ => return None,
    };
    Some(n * factor)
}

/// A BCP 47 tag in its common form: a 2-3 letter language, then subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What `issue.toml` says, before the pieces are loaded.
pub struct IssueSettings {
    pub number: Option<Spanned<u32>>,
    pub title: Option<String>,
    pub date: Option<Spanned<chrono::NaiveDate>>,
    pub status: Status,
    pub editors: Vec<String>,
    pub pages: Option<u32>,
    pub summary: Option<String>,
    pub next_issue: Option<NextIssue>,
    /// The `pieces` entries, and the span of the whole list.
    pub pieces: Vec<Spanned<String>>,
    pub pieces_span: Option<std::ops::Range<usize>>,
}

/// Reads `issue.toml`.
pub fn issue(file: FileId, node: &Node, diags: &mut Vec<Diagnostic>) -> IssueSettings {
    let mut f = Fields::new(file, node, "issue.toml", diags).insert_missing_at(0, false);
    let number = f.u32("number", "number = 2");
    let title = f.str("title", "title = \"A title for the issue\"").map(|t| t.value);
    let date = f.date("date", "date = 2020-03-01");
    let status = read_status(&mut f);
    let editors = f.opt_str_list("editors").unwrap_or_default().into_iter().map(|e| e.value).collect();
    let pages = f.opt_u32("pages").map(|p| p.value);
    let summary = f.opt_str("summary").map(|s| s.value);
    let next_issue = f.table("next_issue").and_then(|node| {
        let file = f.file();
        let anchor = f.key_span("next_issue").unwrap_or(node.span.clone());
        let mut n = Fields::new(file, node, "[next_issue]", f.diags).anchor(anchor);
        let number = n.u32("number", "number = 3");
        let date = n.date("date", "date = 2020-04-27");
        n.finish(&["number", "date"], &[]);
        Some(NextIssue { number: number?, date: date? })
    });
    let mut pieces_span = f.key_span("pieces");
    let pieces = match f.take("pieces") {
        None => {
            f.missing("pieces", "pieces = [\"editors-note.md\", ...] (the pieces' files, in reading order)");
            Vec::new()
        }
        Some(node) => {
            let list = read_pieces(&mut f, node);
            // Without a readable list, "not listed" would be said of every file: say nothing.
            if !matches!(node.value, Value::Array(_)) {
                pieces_span = None;
            }
            list
        }
    };
    f.finish(ISSUE_KEYS, &[]);
    IssueSettings { number, title, date, status, editors, pages, summary, next_issue, pieces, pieces_span }
}

/// Reads `status`: "draft" or "published" (the default).
fn read_status(f: &mut Fields<'_>) -> Status {
    let Some(s) = f.opt_str("status") else {
        return Status::Published;
    };
    match s.value.as_str() {
        "draft" => Status::Draft,
        "published" => Status::Published,
        other => {
            let best = did_you_mean(other, ["draft", "published"]);
            let hint = match best {
                Some(best) => format!("did you mean `{best}`?"),
                None => "use \"draft\" or \"published\"".into(),
            };
            let mut d = Diagnostic::new(Code::InvalidValue, f.file(), s.span.clone(), format!("`{other}` is not a status")).hint(hint);
            if let Some(best) = best {
                d = d.suggest_value(s.span.clone(), other, best);
            }
            f.diags.push(d);
            Status::Published
        }
    }
}

/// Reads `pieces`: file names, each once.
fn read_pieces(f: &mut Fields<'_>, node: &Node) -> Vec<Spanned<String>> {
    let Value::Array(items) = &node.value else {
        f.wrong_type("pieces", node, "a list of file names");
        return Vec::new();
    };
    let mut out: Vec<Spanned<String>> = Vec::new();
    for item in items {
        let Value::Str(name) = &item.value else {
            f.wrong_type("pieces", item, "a file name in quotes");
            continue;
        };
        if let Some(first) = out.iter().find(|p| p.value == *name) {
            let d = Diagnostic::new(Code::DuplicateSlug, f.file(), item.span.clone(), format!("`{name}` is listed twice"))
                .related(f.file(), first.span.clone(), "first listed here")
                .hint("list each piece once");
            f.diags.push(d);
            continue;
        }
        out.push(Spanned::new(name.clone(), item.span.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(parse_length("0.5pt"), Some(0.5));
        assert_eq!(parse_length("1in"), Some(72.0));
        assert!((parse_length("0.2mm").unwrap() - 0.5669).abs() < 1e-3);
        assert_eq!(parse_length("2"), None);
        assert_eq!(parse_length("2 furlongs"), None);
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "en-US", "fr", "zh-Hant-TW", "gsw"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "english", "EN", "en_US", "e"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
