//! Writing the skeletons of [`crate::skeleton`] for `pir new`, `pir init` and
//! the importers: filled with escaped values, the interview's answers put in
//! place, a new piece listed in its `issue.toml`.
//!
//! Each skeleton passes `pir check` as written, so a writer starts from a
//! project that works and changes one thing at a time.

use chrono::NaiveDate;

use crate::model::{KeyMomentKind, PieceKind};
use crate::skeleton::{INCIDENT, ISSUE_TOML, POCKET_TOML, ZINE_TOML, impact_placeholder};

/// Quotes a string as a TOML basic string.
pub fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The text of a new `issue.toml`.
pub fn issue_toml(number: u32, title: &str, date: NaiveDate) -> String {
    ISSUE_TOML
        .replace("{{number}}", &number.to_string())
        .replace("{{title}}", &toml_str(title))
        .replace("{{date}}", &date.to_string())
}

/// The text of a new `zine.toml`.
pub fn zine_toml(title: &str, publisher: &str) -> String {
    ZINE_TOML
        .replace("{{title}}", &toml_str(title))
        .replace("{{publisher}}", &toml_str(publisher))
}

/// The text of a new incident write-up.
pub fn incident(title: &str, organization: &str, timezone: &str, date: NaiveDate) -> String {
    INCIDENT
        .replace("{{title}}", &toml_str(title))
        .replace("{{organization}}", &toml_str(organization))
        .replace("{{timezone}}", &toml_str(timezone))
        .replace("{{timezone_name}}", timezone)
        .replace("{{date}}", &date.to_string())
}

/// The text of a new piece of any kind but an incident (see [`incident`]):
/// the kind's skeleton with its title, and for an illustration the file
/// name of its drawing (written beside it from [`crate::skeleton::ILLUSTRATION_SVG`]).
pub fn piece(kind: PieceKind, title: &str, image: &str) -> String {
    let (skeleton, _) = crate::skeleton::piece_skeleton(kind);
    skeleton
        .replace("{{title}}", &toml_str(title))
        .replace("{{image}}", &toml_str(image))
        .replace("{{image_name}}", image)
}

/// The text of a new `pocket.toml`.
pub fn pocket_toml(title: &str, date: NaiveDate) -> String {
    POCKET_TOML
        .replace("{{title}}", &toml_str(title))
        .replace("{{date}}", &date.to_string())
}

/// The pages of a new pocket zine, in order: file name, kind and title.
pub fn pocket_pages(title: &str) -> Vec<(&'static str, PieceKind, String)> {
    vec![
        ("cover.md", PieceKind::Cover, title.to_string()),
        (
            "page.md",
            PieceKind::Feature,
            crate::skeleton::piece_skeleton(PieceKind::Feature)
                .1
                .to_string(),
        ),
        (
            "worksheet.md",
            PieceKind::Worksheet,
            crate::skeleton::piece_skeleton(PieceKind::Worksheet)
                .1
                .to_string(),
        ),
        (
            "back.md",
            PieceKind::BackCover,
            crate::skeleton::piece_skeleton(PieceKind::BackCover)
                .1
                .to_string(),
        ),
    ]
}

/// What a writer answered to the prompts of `pir new incident --interactive`.
#[derive(Debug, Default)]
pub struct Answers {
    /// The one-sentence impact; empty keeps the skeleton's.
    pub impact: String,
    /// The Summary paragraph; empty keeps the skeleton's example.
    pub summary: String,
    /// The key moments answered, in order: the time as written and what happened then.
    pub moments: Vec<Moment>,
    pub cast: Vec<Member>,
    /// A paragraph in the first person, for Investigation and analysis.
    pub narrative: String,
    /// One line each, for Action items.
    pub actions: Vec<String>,
}

/// A key moment as answered: it becomes a timeline entry and a `[key_moments]` line.
#[derive(Debug)]
pub struct Moment {
    pub kind: KeyMomentKind,
    /// The time as the timeline writes it (`14:02`, `2024-01-18 00:12`).
    pub time: String,
    /// What happened then, the text of the timeline entry.
    pub what: String,
    /// The ordinary entries after it, before the next key moment: the time as written and what happened.
    pub then: Vec<(String, String)>,
}

/// One cast member as answered.
#[derive(Debug, Default)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: String,
    pub goals: String,
    pub worries: String,
    /// What they saw, heard and felt at key moments.
    pub moments: Vec<(KeyMomentKind, Senses)>,
}

/// What one cast member saw, heard and felt at one key moment.
#[derive(Debug, Default)]
pub struct Senses {
    pub saw: String,
    pub heard: String,
    pub felt: String,
}

/// The cast as `[[cast]]` tables, with each sense under its own key.
fn cast_toml(cast: &[Member]) -> String {
    let mut out = String::new();
    for m in cast {
        out.push_str(&format!(
            "\n[[cast]]\nid = {}\nname = {}\n",
            toml_str(&m.id),
            toml_str(&m.name)
        ));
        for (key, value) in [
            ("role", &m.role),
            ("goals", &m.goals),
            ("worries", &m.worries),
        ] {
            if !value.is_empty() {
                out.push_str(&format!("{key} = {}\n", toml_str(value)));
            }
        }
        for (kind, senses) in &m.moments {
            out.push_str(&format!("\n[cast.moments.{}]\n", kind.key()));
            for (key, value) in [
                ("saw", &senses.saw),
                ("heard", &senses.heard),
                ("felt", &senses.felt),
            ] {
                if !value.is_empty() {
                    out.push_str(&format!("{key} = {}\n", toml_str(value)));
                }
            }
        }
    }
    out
}

/// Replaces the text between `from` and `to` (both kept), if both are there in that order.
fn replace_between(text: &mut String, from: &str, to: &str, new: &str) {
    let Some(start) = text.find(from).map(|i| i + from.len()) else {
        return;
    };
    let end = text[start..].find(to).map_or(text.len(), |i| start + i);
    text.replace_range(start..end, new);
}

/// Writes the answers into an incident skeleton, each where it belongs: the
/// impact, key moments and cast into the front matter, the key moments as
/// the timeline, the summary, the first-person paragraph under
/// Investigation and analysis, and the action items. A question left
/// unanswered keeps the skeleton's example, which `pir check` reports (W801).
pub fn with_answers(skeleton: &str, answers: &Answers) -> String {
    let mut out = skeleton.to_string();
    if !answers.impact.is_empty() {
        let old = format!("impact = {}\n", toml_str(impact_placeholder()));
        out = out.replacen(
            &old,
            &format!("impact = {}\n", toml_str(&answers.impact)),
            1,
        );
    }
    let mut front = String::new();
    if !answers.moments.is_empty() {
        for m in &answers.moments {
            front.push_str(&format!("{} = {}\n", m.kind.key(), toml_str(&m.time)));
        }
    } else {
        // Keep the skeleton's key moments, which match its example timeline.
        let start = out
            .find("[key_moments]\n")
            .map_or(0, |i| i + "[key_moments]\n".len());
        let end = out[start..].find("+++\n").map_or(start, |i| start + i);
        front.push_str(&out[start..end]);
    }
    front.push_str(&cast_toml(&answers.cast));
    replace_between(&mut out, "[key_moments]\n", "+++\n", &front);
    if !answers.summary.is_empty() {
        replace_between(
            &mut out,
            "## Summary\n\n",
            "\n\n## ",
            &literal(&answers.summary),
        );
    }
    if !answers.moments.is_empty() {
        let entries: Vec<String> = answers
            .moments
            .iter()
            .flat_map(|m| {
                std::iter::once((&m.time, &m.what)).chain(m.then.iter().map(|(t, w)| (t, w)))
            })
            .map(|(time, what)| format!("- [{time}] {what}"))
            .collect();
        let Some(section) = out.find("## Timeline\n") else {
            return out;
        };
        if let Some(first) = out[section..].find("\n- [").map(|i| section + i + 1) {
            let end = out[first..].find("\n\n").map_or(out.len(), |i| first + i);
            out.replace_range(first..end, &entries.join("\n"));
        }
    }
    if !answers.narrative.is_empty() {
        replace_between(
            &mut out,
            "## Investigation and analysis\n\n",
            "\n\n## ",
            &answers.narrative,
        );
    }
    if !answers.actions.is_empty() {
        let items: Vec<String> = answers
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{}. {a}", i + 1))
            .collect();
        // Action items is the last section: the list runs to the end of the file.
        if let Some(at) = out.find("## Action items\n\n") {
            out.truncate(at + "## Action items\n\n".len());
            out.push_str(&format!("{}\n", items.join("\n")));
        }
    }
    out
}

/// A typed answer as the paragraph it was typed as (the interview's answers
/// are words; an importer's are Markdown and go in as they are): a line that Markdown would
/// read as a heading, quote, list item, rule or code block (`# Root cause`,
/// `- none`, `1. first`) starts with a backslash, so the words stay words.
pub fn literal(answer: &str) -> String {
    let text = answer.trim_start();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after_digits = &text[digits..];
    let block = text.starts_with(['#', '>', '=', '|'])
        || text.starts_with("```")
        || text.starts_with("~~~")
        || (text.starts_with(['-', '+', '*', '_'])
            && !text[1..].starts_with(char::is_alphanumeric))
        || (digits > 0 && after_digits.starts_with(['.', ')']));
    match (block, digits) {
        (false, _) => text.to_string(),
        (true, 0) => format!("\\{text}"),
        (true, _) => format!("{}\\{after_digits}", &text[..digits]),
    }
}

/// Adds `name` to the `pieces` list of an `issue.toml`, keeping its formatting.
pub fn add_piece(issue_toml: &str, name: &str) -> Result<String, String> {
    insert_piece(issue_toml, name, None)
}

/// Adds `name` to the `pieces` list of an `issue.toml` or `pocket.toml`,
/// before the entry `before` if it lists one (a back cover stays last),
/// else at the end, keeping the file's formatting.
pub fn insert_piece(issue_toml: &str, name: &str, before: Option<&str>) -> Result<String, String> {
    use crate::load::value::{Value, parse_toml};
    let (node, errors) = parse_toml(issue_toml, 0);
    if let Some(e) = errors.first() {
        return Err(format!("issue.toml is not valid TOML: {}", e.message));
    }
    let Value::Table(entries) = &node.value else {
        return Err("issue.toml is not a table".into());
    };
    let quoted = toml_str(name);
    let Some((_, list)) = entries.iter().find(|(k, _)| k.name == "pieces") else {
        return Ok(format!("pieces = [{quoted}]\n{issue_toml}"));
    };
    let Value::Array(items) = &list.value else {
        return Err("`pieces` in issue.toml is not a list".into());
    };
    let mut out = issue_toml.to_string();
    let ahead = before.and_then(|b| {
        items
            .iter()
            .find(|i| matches!(&i.value, Value::Str(s) if s == b))
    });
    if let Some(next) = ahead {
        out.insert_str(next.span.start, &format!("{quoted}, "));
        return Ok(out);
    }
    match items.last() {
        Some(last) => out.insert_str(last.span.end, &format!(", {quoted}")),
        None => out.insert_str(list.span.end - 1, &quoted),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_that_looks_like_markdown_structure_stays_a_paragraph() {
        use pulldown_cmark::{Event, Parser, Tag};
        for answer in [
            "# Root cause was DNS",
            "- none yet",
            "1. restart the pods",
            "> quoting the pager",
            "--- all of it",
            "    four spaces in",
            "`kubectl` did it",
            "```fenced```",
            "Plain words, 42 of them",
            "-5 degrees outside",
        ] {
            let text = literal(answer);
            let events: Vec<Event> = Parser::new(&text).collect();
            assert!(
                matches!(events.first(), Some(Event::Start(Tag::Paragraph))),
                "{answer:?} became {events:?}"
            );
            let words: String = events
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) => Some(t.to_string()),
                    Event::Code(c) => Some(format!("`{c}`")),
                    _ => None,
                })
                .collect();
            assert_eq!(words, answer.trim_start(), "every character kept");
        }
    }

    #[test]
    fn add_piece_keeps_the_rest_of_the_file() {
        let text = "number = 2 # second\npieces = [\n  \"a.md\",\n  \"b.md\"\n]\n\n[next_issue]\nnumber = 3\n";
        let out = add_piece(text, "c.md").unwrap();
        assert_eq!(
            out,
            "number = 2 # second\npieces = [\n  \"a.md\",\n  \"b.md\", \"c.md\"\n]\n\n[next_issue]\nnumber = 3\n"
        );
        assert_eq!(
            add_piece("pieces = []\n", "c.md").unwrap(),
            "pieces = [\"c.md\"]\n"
        );
        assert_eq!(
            add_piece("title = \"x\"\n", "c.md").unwrap(),
            "pieces = [\"c.md\"]\ntitle = \"x\"\n"
        );
    }

    #[test]
    fn zine_toml_is_valid_and_escaped() {
        let text = zine_toml("The \"Zine\"", "Ops & Co");
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["title"].as_str(), Some("The \"Zine\""));
        assert_eq!(parsed["publisher"].as_str(), Some("Ops & Co"));
    }

    #[test]
    fn values_are_escaped() {
        let text = issue_toml(
            3,
            "The \"big\" one",
            NaiveDate::from_ymd_opt(2020, 4, 27).unwrap(),
        );
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["title"].as_str(), Some("The \"big\" one"));
    }
}
