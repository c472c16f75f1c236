//! `zine.toml` (the site) and `issue.toml` (one issue): schemas and reading.

use crate::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use crate::load::fields::{Fields, check_email};
use crate::load::value::{Node, Value, parse_toml};
use crate::model::print::CROP_MARKS_NEED_SCALING;
use crate::model::{Duplex, Edition, Newsletter, NextIssue, Paper, Print, Site, Spanned, Status};

/// Keys of `zine.toml`.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "base_url",
    "publisher",
    "email",
    "description",
    "language",
    "newsletter",
    "raw_html",
    "print",
    "extra_css",
    "extra_typst",
    "hints",
];
/// Keys of `[newsletter]` in `zine.toml`.
pub const NEWSLETTER_KEYS: &[&str] = &[
    "action",
    "email_field",
    "hidden",
    "unsubscribe",
    "list_unsubscribe",
    "archive_url",
    "edition",
];
/// Keys of `[print]` in `zine.toml`.
pub const PRINT_KEYS: &[&str] = &[
    "papers",
    "paper",
    "a4",
    "duplexes",
    "duplex",
    "creep",
    "crop_marks",
];
/// Keys of `issue.toml`.
pub const ISSUE_KEYS: &[&str] = &[
    "number",
    "title",
    "date",
    "status",
    "editors",
    "pages",
    "summary",
    "next_issue",
    "pieces",
];

/// Parses a TOML settings file, reporting syntax errors; `None` if it has any.
pub fn parse(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let (node, errors) = parse_toml(text, 0);
    if errors.is_empty() {
        return Some(node);
    }
    for e in errors {
        diags.push(
            Diagnostic::new(
                Code::SettingsSyntax,
                file,
                e.span,
                format!("invalid TOML: {}", e.message),
            )
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
        && let Err(why) = crate::load::fields::check_url(&url.value).and_then(|_| {
            if url.value.starts_with("mailto:") {
                Err("it must be a web address".to_string())
            } else {
                Ok(())
            }
        })
    {
        f.invalid(
            Code::InvalidUrl,
            url.span.clone(),
            format!("`base_url` is not a usable URL: {why}"),
            "write the address the site is served at, such as https://zine.incidentlabs.io",
        );
    }
    let publisher = f.str("publisher", "publisher = \"Incident Labs\"");
    let example = crate::skeleton::DEFAULT_ORGANIZATION;
    f.placeholder(
        "publisher",
        publisher.as_ref(),
        example,
        "the name of whoever publishes the zine",
    );
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
    let description = f.str(
        "description",
        "description = \"One sentence on what the zine is\"",
    );
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
    let newsletter = match f.table("newsletter") {
        Some(node) => {
            let anchor = f.key_span("newsletter").unwrap_or(node.span.clone());
            let mut n = Fields::new(file, node, "[newsletter]", f.diags).anchor(anchor);
            let newsletter = read_newsletter(&mut n, base_url.as_ref().map(|u| u.value.as_str()));
            n.finish(NEWSLETTER_KEYS, &[]);
            newsletter
        }
        None => None,
    };
    let raw_html = f.opt_bool("raw_html").unwrap_or(false);
    let extra_css = f.opt_str("extra_css").map(|p| p.value);
    let extra_typst = f.opt_str("extra_typst");
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
    let hints = f
        .table("hints")
        .map_or_else(Vec::new, |n| read_hints(file, n, f.diags));
    f.finish(
        SITE_KEYS,
        &[(
            "newsletter_url",
            "a link is not a sign-up: write a [newsletter] table with your provider's form `action` (see the README's Newsletter section)",
        )],
    );
    let s = |v: Option<Spanned<String>>| v.map(|v| v.value).unwrap_or_default();
    Site {
        file,
        title: s(title),
        base_url: s(base_url).trim_end_matches('/').to_string(),
        publisher: s(publisher),
        email: s(email),
        description: s(description),
        language: s(language),
        newsletter,
        raw_html,
        print,
        extra_css,
        extra_typst,
        hints,
    }
}

/// Reads `[hints]`: each hint, by code (`H704`) or name (`counterfactual`),
/// set to "off", "hint", "warning" or "error".
fn read_hints(
    file: FileId,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Code, Option<crate::diagnostic::Severity>)> {
    use crate::diagnostic::Severity;
    let Value::Table(entries) = &node.value else {
        return Vec::new();
    };
    let hints: Vec<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|c| c.severity() == Severity::Hint)
        .collect();
    let names: Vec<&str> = hints.iter().flat_map(|c| [c.code(), c.name()]).collect();
    let mut out = Vec::new();
    for (key, value) in entries {
        let Some(code) = hints
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(&key.name) || c.name() == key.name)
        else {
            let mut d = Diagnostic::new(
                Code::UnknownKey,
                file,
                key.span.clone(),
                format!("`{}` in [hints] is not a hint pir gives", key.name),
            )
            .label("not a hint");
            d = match did_you_mean(&key.name, names.iter().copied()) {
                Some(best) => d.hint(format!("did you mean `{best}`?")).suggest_value(
                    key.span.clone(),
                    &key.name,
                    best,
                ),
                None => d.hint(format!(
                    "[hints] names hints by code or name: {}",
                    hints
                        .iter()
                        .map(|c| format!("{} ({})", c.code(), c.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            diags.push(d);
            continue;
        };
        let level = match &value.value {
            Value::Str(s) => match s.as_str() {
                "off" | "allow" => Some(None),
                "hint" => Some(Some(Severity::Hint)),
                "warning" | "warn" => Some(Some(Severity::Warning)),
                "error" | "deny" => Some(Some(Severity::Error)),
                _ => None,
            },
            _ => None,
        };
        match level {
            Some(level) => out.push((code, level)),
            None => diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    file,
                    value.span.clone(),
                    format!("`{}` cannot be set to that level", key.name),
                )
                .hint("set a hint to \"off\", \"hint\", \"warning\" or \"error\""),
            ),
        }
    }
    out
}

/// Reads `[newsletter]`: the provider's form, its placeholders and the edition's size.
fn read_newsletter(n: &mut Fields<'_>, base_url: Option<&str>) -> Option<Newsletter> {
    let action = n.str(
        "action",
        "action = \"https://buttondown.com/api/emails/embed-subscribe/yourname\"",
    );
    let action = action.and_then(|a| match crate::load::fields::check_url(&a.value) {
        Ok(()) if a.value.starts_with("http") => Some(a),
        Ok(()) | Err(_) => {
            let why = crate::load::fields::check_url(&a.value).err().unwrap_or_else(|| "a form cannot post to an e-mail address".into());
            n.invalid(
                Code::InvalidUrl,
                a.span,
                format!("`action` is not a usable URL: {why}"),
                "write the address your provider's sign-up form posts to, such as https://buttondown.com/api/emails/embed-subscribe/yourname",
            );
            None
        }
    })?;
    if let Some(base) = base_url
        && let Some(page) = page_of_site(base, &action.value)
    {
        n.invalid(
            Code::SignupToSelf,
            action.span.clone(),
            format!("the sign-up form posts to {page}, a page of this site, which cannot take sign-ups"),
            "post to your newsletter provider's form address (its embed or form code shows it), or to an endpoint that stores addresses",
        );
    }
    let email_field = n
        .opt_str("email_field")
        .map(|f| f.value)
        .unwrap_or_else(|| "email".into());
    let mut hidden = Vec::new();
    if let Some(node) = n.table("hidden")
        && let crate::load::value::Value::Table(entries) = &node.value
    {
        for (key, value) in entries {
            match &value.value {
                Value::Str(s) => hidden.push((key.name.clone(), s.clone())),
                Value::Int(i) => hidden.push((key.name.clone(), i.to_string())),
                _ => n.wrong_type(&key.name, value, "a string"),
            }
        }
    }
    let unsubscribe = n.opt_str("unsubscribe").map(|u| u.value);
    let list_unsubscribe = n.opt_str("list_unsubscribe").map(|u| u.value);
    let archive_url = n.opt_url("archive_url").map(|u| u.value);
    let edition = match n.opt_str("edition") {
        None => Edition::Full,
        Some(e) => match e.value.as_str() {
            "full" => Edition::Full,
            "summary" => Edition::Summary,
            other => {
                n.invalid(
                    Code::InvalidValue,
                    e.span,
                    format!("`{other}` is not an edition"),
                    "use \"full\" (every piece in the email) or \"summary\" (the editors' note and a summary of each piece)",
                );
                Edition::Full
            }
        },
    };
    Some(Newsletter {
        action: action.value,
        email_field,
        hidden,
        unsubscribe,
        list_unsubscribe,
        archive_url,
        edition,
    })
}

/// The page of the site a URL leads to (`the home page`, `subscribe/`), if it leads to one.
pub fn page_of_site(base_url: &str, target: &str) -> Option<String> {
    let base = url::Url::parse(&format!("{}/", base_url.trim_end_matches('/'))).ok()?;
    let url = url::Url::parse(target).ok()?;
    if url.host_str() != base.host_str()
        || url.port_or_known_default() != base.port_or_known_default()
    {
        return None;
    }
    let rest = url.path().strip_prefix(base.path())?;
    let first = rest.split('/').next().unwrap_or("");
    let page = rest.is_empty()
        || rest == "index.html"
        || rest.ends_with('/')
        || [".html", ".xml", ".pdf", ".json", ".txt", ".css"]
            .iter()
            .any(|x| rest.ends_with(x))
        || ["issues", "pocket", "printing", "subscribe", "fonts"].contains(&first);
    page.then(|| {
        if rest.is_empty() || rest == "index.html" {
            "the home page".to_string()
        } else {
            format!("`{rest}`")
        }
    })
}

/// Reads `[print]`: which papers and flip edges to publish (the default
/// first), creep and crop marks.
fn read_print(p: &mut Fields<'_>) -> Print {
    let mut print = Print {
        crop_marks: p.opt_bool("crop_marks").unwrap_or(false),
        ..Print::default()
    };
    let papers = Paper::ALL.map(Paper::slug);
    let edges = Duplex::ALL.map(Duplex::slug);
    let paper = |name: &String| Paper::from_slug(name).expect("a known paper");
    let edge = |name: &String| Duplex::from_slug(name).expect("a known flip edge");
    if let Some(list) = choices(
        p,
        "papers",
        &papers,
        "use \"letter\" and \"a4\", the default first",
    ) {
        print.papers = list.iter().map(paper).collect();
    }
    if let Some(list) = choices(
        p,
        "duplexes",
        &edges,
        "use \"short-edge\" (most printers) and \"long-edge\", the default first",
    ) {
        print.duplexes = list.iter().map(edge).collect();
    }
    // `paper` and `duplex` name the default; `a4 = false` switches A4 off.
    if let Some(first) = default_choice(p, "paper", &papers, "use \"letter\" or \"a4\"") {
        put_first(&mut print.papers, paper(&first));
    }
    if let Some(first) = default_choice(
        p,
        "duplex",
        &edges,
        "use \"short-edge\" (most printers) or \"long-edge\"",
    ) {
        put_first(&mut print.duplexes, edge(&first));
    }
    if p.opt_bool("a4") == Some(false) {
        print.papers.retain(|x| *x != Paper::A4);
    }
    if print.papers.is_empty() {
        print.papers.push(Paper::Letter);
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
    if print.crop_marks && !print.trims() {
        let span = p.key_span("crop_marks").unwrap_or(0..0);
        p.invalid(
            Code::InvalidValue,
            span,
            format!("`crop_marks` has nothing to mark: {CROP_MARKS_NEED_SCALING}, and A4 is switched off"),
            "remove `crop_marks`, or publish A4 files too (`papers = [\"letter\", \"a4\"]`)",
        );
    }
    print
}

/// A non-empty list of known names without repeats, or `None` (reported) if it is not one.
fn choices(p: &mut Fields<'_>, key: &str, known: &[&str], hint: &str) -> Option<Vec<String>> {
    let list = p.opt_str_list(key)?;
    let mut out: Vec<String> = Vec::new();
    for item in &list {
        if !known.contains(&item.value.as_str()) || out.contains(&item.value) {
            p.invalid(
                Code::InvalidValue,
                item.span.clone(),
                format!(
                    "`{}` is not one of the {key}, or is listed twice",
                    item.value
                ),
                hint,
            );
            return None;
        }
        out.push(item.value.clone());
    }
    if out.is_empty() {
        let span = p.key_span(key).unwrap_or(0..0);
        p.invalid(Code::InvalidValue, span, format!("`{key}` is empty"), hint);
        return None;
    }
    Some(out)
}

/// A single known name (the default of a list), or `None` (reported) if it is not one.
fn default_choice(p: &mut Fields<'_>, key: &str, known: &[&str], hint: &str) -> Option<String> {
    let value = p.opt_str(key)?;
    if known.contains(&value.value.as_str()) {
        return Some(value.value);
    }
    p.invalid(
        Code::InvalidValue,
        value.span,
        format!("`{}` is not a valid `{key}`", value.value),
        hint,
    );
    None
}

/// Moves `first` to the front of `list`, adding it if it was not there.
fn put_first<T: PartialEq>(list: &mut Vec<T>, first: T) {
    list.retain(|x| *x != first);
    list.insert(0, first);
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
    let title = f
        .str("title", "title = \"A title for the issue\"")
        .map(|t| t.value);
    let date = f.date("date", "date = 2020-03-01");
    let status = read_status(&mut f);
    let before = f.diags.len();
    let editors: Vec<String> = f
        .opt_str_list("editors")
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.value)
        .collect();
    // `editors = []` as written (not a list whose entries were all wrong, which is reported already).
    if editors.is_empty()
        && f.diags.len() == before
        && let Some(span) = f.key_span("editors")
    {
        f.invalid(
            Code::NoEditors,
            span,
            "this issue names no editors, so its cover credits nobody",
            "name who edited it, such as editors = [\"Your Name\"]",
        );
    }
    let pages = f.opt_u32("pages");
    if let Some(p) = &pages
        && !p.value.is_multiple_of(4)
    {
        let blanks = 4 - p.value % 4;
        f.invalid(
            Code::PagePadding,
            p.span.clone(),
            format!(
                "the booklet's sheets carry 4 pages each, so {} planned pages get {} at the end (before the back cover, if the last piece is one)",
                p.value,
                crate::edition::words::plural(blanks as usize, "blank page")
            ),
            format!("plan {} or {} pages, or leave the blanks for notes", p.value - p.value % 4, p.value + blanks),
        );
    }
    let pages = pages.map(|p| p.value);
    let summary = f.opt_str("summary");
    let example = crate::skeleton::summary_placeholder();
    f.placeholder(
        "summary",
        summary.as_ref(),
        example,
        "a sentence or two on what this issue holds",
    );
    let summary = summary.map(|s| s.value);
    let next_issue = f.table("next_issue").and_then(|node| {
        let file = f.file();
        let anchor = f.key_span("next_issue").unwrap_or(node.span.clone());
        let mut n = Fields::new(file, node, "[next_issue]", f.diags).anchor(anchor);
        let number = n.u32("number", "number = 3");
        let date = n.date("date", "date = 2020-04-27");
        n.finish(&["number", "date"], &[]);
        Some(NextIssue {
            number: number?,
            date: date?,
        })
    });
    let mut pieces_span = f.key_span("pieces");
    let pieces = match f.take("pieces") {
        None => {
            f.missing(
                "pieces",
                "pieces = [\"editors-note.md\", ...] (the pieces' files, in reading order)",
            );
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
    IssueSettings {
        number,
        title,
        date,
        status,
        editors,
        pages,
        summary,
        next_issue,
        pieces,
        pieces_span,
    }
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
            let mut d = Diagnostic::new(
                Code::InvalidValue,
                f.file(),
                s.span.clone(),
                format!("`{other}` is not a status"),
            )
            .hint(hint);
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
            let d = Diagnostic::new(
                Code::DuplicateSlug,
                f.file(),
                item.span.clone(),
                format!("`{name}` is listed twice"),
            )
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
    fn sign_up_links_to_the_site_itself_are_found() {
        let base = "https://zine.example.com";
        assert_eq!(
            page_of_site(base, "https://zine.example.com/#subscribe").as_deref(),
            Some("the home page")
        );
        assert_eq!(
            page_of_site(base, "https://zine.example.com/subscribe/").as_deref(),
            Some("`subscribe/`")
        );
        assert_eq!(
            page_of_site(base, "https://zine.example.com/newsletter/subscribe"),
            None
        );
        assert_eq!(
            page_of_site(
                base,
                "https://buttondown.com/api/emails/embed-subscribe/zine"
            ),
            None
        );
        assert_eq!(
            page_of_site("https://x.io/zine", "https://x.io/zine/issues/a/index.html").as_deref(),
            Some("`issues/a/index.html`")
        );
        assert_eq!(
            page_of_site("https://x.io/zine", "https://x.io/other/"),
            None
        );
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
