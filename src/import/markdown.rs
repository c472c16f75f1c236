//! Importing a Markdown postmortem with YAML front matter, in the layout
//! that collections of public postmortems use (`title`, `url`, `company`,
//! `product`, `categories`, `keywords`, `summary`), as a draft write-up.
//!
//! Such a file says who, what and where to read more, and its body is the
//! story; it has no time zone, key moments or timeline in pir's notation.
//! The draft takes what the file has, maps the body's sections onto the
//! write-up's, and keeps the skeleton's example timeline, which `pir check`
//! reports (W801) until the writer replaces it.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::import::{Draft, postmortem_sections};
use crate::load::value::{Node, Value, parse_yaml};
use crate::scaffold::{self, Answers, toml_str};

/// What the importer needs besides the file's text.
pub struct Request<'a> {
    pub text: &'a str,
    /// The write-up's zone (`--timezone`); default UTC.
    pub timezone: Option<Tz>,
    /// The incident's date (`--date`) when the file has no `date`.
    pub date: Option<NaiveDate>,
}

/// The front matter fields the layout defines, as strings (lists joined).
#[derive(Default)]
struct Fields {
    title: Option<String>,
    url: Option<String>,
    company: Option<String>,
    product: Option<String>,
    summary: Option<String>,
    date: Option<String>,
    categories: Vec<String>,
    keywords: Vec<String>,
}

/// A string or the strings of a list.
fn strings(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Str(s) | Value::Datetime(s) => vec![s.trim().to_string()],
        Value::Int(i) => vec![i.to_string()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// Reads the front matter into [`Fields`], or says why it cannot.
fn fields(text: &str) -> Result<(Fields, &str), String> {
    let fm = crate::load::piece::split(text)
        .map_err(|(_, _, message, hint)| format!("{message}; {hint}"))?;
    if !fm.yaml {
        return Err("the front matter is TOML (+++); this importer reads the YAML (---) layout of public postmortem collections".into());
    }
    let node = parse_yaml(&text[fm.span.clone()], fm.span.start)
        .map_err(|e| format!("the YAML front matter cannot be read: {}", e.message))?;
    let Value::Table(entries) = node.value else {
        return Err("the front matter is not a set of `key: value` lines".into());
    };
    let mut f = Fields::default();
    for (key, value) in &entries {
        let joined = strings(value).join(" ");
        let one = (!joined.is_empty()).then_some(joined);
        match key.name.as_str() {
            "title" => f.title = one,
            "url" => f.url = one,
            "company" => f.company = one,
            "product" => f.product = one,
            "summary" | "description" => f.summary = one,
            "date" => f.date = one,
            "categories" => f.categories = strings(value),
            "keywords" | "tags" => f.keywords = strings(value),
            _ => {}
        }
    }
    Ok((f, &text[fm.body_start..]))
}

/// Turns the file into a draft, or says what is missing and how to give it.
pub fn draft(req: &Request<'_>) -> Result<Draft, String> {
    let (f, body) = fields(req.text)?;
    let title = f
        .title
        .ok_or("the front matter has no `title`; add `title: What happened`")?;
    let company = f
        .company
        .ok_or("the front matter has no `company`; add `company: Whose incident it was`")?;
    let date = match (&f.date, req.date) {
        (_, Some(d)) => d,
        (Some(d), None) => crate::load::fields::parse_date(d.get(..10).unwrap_or(d))
            .map_err(|e| format!("`date`: {e}; or pass --date"))?,
        (None, None) => {
            return Err("the front matter has no `date`, and pir needs the day the incident began: pass --date YYYY-MM-DD".into());
        }
    };
    let tz = req.timezone.unwrap_or(Tz::UTC);
    let skeleton = scaffold::incident(&title, &company, tz.name(), date);

    // The body's first `# Title` repeats the title: drop it.
    let body = body.trim_start();
    let body = match body.strip_prefix("# ") {
        Some(rest) => rest.split_once('\n').map_or("", |(_, after)| after),
        None => body,
    };
    let sections = postmortem_sections(body);
    let section = |name: &str| -> String {
        sections
            .iter()
            .filter(|(s, _)| *s == name)
            .map(|(_, text)| text.trim().to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let summary = f.summary.clone().unwrap_or_default();
    let impact = match &f.product {
        Some(p) if !summary.is_empty() => format!("{p}: {}", first_sentence(&summary)),
        _ => first_sentence(&summary).to_string(),
    };
    let written_summary = section("Summary");
    let answers = Answers {
        impact,
        summary: if written_summary.is_empty() {
            summary.clone()
        } else {
            written_summary
        },
        narrative: section("Investigation and analysis"),
        ..Answers::default()
    };
    let mut text = scaffold::with_answers(&skeleton, &answers);
    let actions = section("Action items");
    if !actions.is_empty() {
        text = text.replacen(
            "1. What you will change, and why it would have helped.",
            &actions,
            1,
        );
    }
    let mut front = String::new();
    if !summary.is_empty() {
        front.push_str(&format!("summary = {}\n", toml_str(&summary)));
    }
    front.push_str("# Imported from a Markdown postmortem. The timeline and key moments below are pir's examples:\n");
    front.push_str(
        "# replace them with what happened, in the zone above (the file did not say which).\n",
    );
    for (what, list) in [("categories", &f.categories), ("keywords", &f.keywords)] {
        if !list.is_empty() {
            front.push_str(&format!("# Its {what}: {}\n", list.join(", ")));
        }
    }
    let sources = match &f.url {
        Some(u) => format!("sources = [{}]\n", toml_str(u)),
        None => "sources = []\n".to_string(),
    };
    let links = "# Links to the original report";
    text = text
        .replacen(links, &format!("{front}{links}"), 1)
        .replacen("sources = []\n", &sources, 1);
    Ok(Draft {
        slug: crate::load::slugify(&title)
            .chars()
            .take(48)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string(),
        text,
    })
}

/// The first sentence of a text (all of it if it has one).
fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    text.match_indices(". ")
        .next()
        .map_or(text, |(i, _)| &text[..=i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_say_how_to_give_them() {
        let req = |text| Request {
            text,
            timezone: None,
            date: None,
        };
        let err = draft(&req("---\ntitle: X\ncompany: Y\n---\nBody\n"))
            .err()
            .unwrap();
        assert!(err.contains("--date"), "{err}");
        let err = draft(&req("---\ncompany: Y\n---\n")).err().unwrap();
        assert!(err.contains("`title`"), "{err}");
        let err = draft(&req("+++\ntitle = \"X\"\n+++\n")).err().unwrap();
        assert!(err.contains("TOML"), "{err}");
        assert_eq!(
            first_sentence("One thing broke. Then more."),
            "One thing broke."
        );
    }
}
