//! The skeletons pir writes (real files, embedded) and the example values
//! in them that a writer is meant to replace.
//!
//! This is the one list of pir's own example text: [`crate::scaffold`]
//! writes it into new files, and loading and checking recognise what is
//! still word for word pir's (W801), so that an untouched example never
//! goes out unnoticed.

/// The skeleton of `issue.toml`.
pub const ISSUE_TOML: &str = include_str!("issue.toml");
/// The skeleton of an editors' note.
pub const EDITORS_NOTE: &str = include_str!("editors-note.md");
/// The skeleton of an incident write-up, with the prompts as comments.
pub const INCIDENT: &str = include_str!("incident.md");
/// The skeleton of `zine.toml`, every key explained in a comment.
pub const ZINE_TOML: &str = include_str!("zine.toml");
/// The `.gitignore` of a new project: what `pir build` writes.
pub const GITIGNORE: &str = include_str!("gitignore");
/// A GitHub Actions workflow that builds the zine and publishes `public/` on GitHub Pages.
pub const DEPLOY_GITHUB_PAGES: &str = include_str!("github-pages.yml");
/// A Netlify configuration that builds the zine and serves `public/`.
pub const DEPLOY_NETLIFY: &str = include_str!("netlify.toml");

/// The title `pir new incident` gives a write-up when none is passed.
pub const DEFAULT_TITLE: &str = "What happened";
/// The organization `pir new incident` (and publisher `pir init`) writes when none is passed.
pub const DEFAULT_ORGANIZATION: &str = "Our team";

/// The value of a `key = "..."` line of a skeleton (a placeholder the writer is meant to replace).
fn skeleton_value(skeleton: &'static str, key: &str) -> &'static str {
    let prefix = format!("{key} = \"");
    let line = skeleton
        .lines()
        .find(|l| l.starts_with(&prefix))
        .expect("the skeleton has the key");
    line[prefix.len()..].trim_end_matches('"')
}

/// The skeleton's one-sentence impact, which a writer must replace.
pub fn impact_placeholder() -> &'static str {
    skeleton_value(INCIDENT, "impact")
}

/// The skeleton's issue summary, which a writer must replace.
pub fn summary_placeholder() -> &'static str {
    skeleton_value(ISSUE_TOML, "summary")
}

/// The example passages of the Markdown skeletons that a writer is meant to
/// replace: prose paragraphs, timeline entries and list items (without their
/// markers), outside comments, and never a line that pir filled in.
pub fn skeleton_passages() -> Vec<&'static str> {
    let mut out = Vec::new();
    for skeleton in [INCIDENT, EDITORS_NOTE] {
        let body = skeleton.splitn(3, "+++\n").nth(2).unwrap_or("");
        let mut rest = body;
        let mut blocks: Vec<&'static str> = Vec::new();
        while let Some(open) = rest.find("<!--") {
            blocks.extend(rest[..open].split("\n\n"));
            rest = rest[open..]
                .find("-->")
                .map_or("", |close| &rest[open + close + 3..]);
        }
        blocks.extend(rest.split("\n\n"));
        for block in blocks.into_iter().map(str::trim) {
            if block.is_empty() || block.starts_with('#') || block.contains("{{") {
                continue;
            }
            let items: Vec<&str> = block.lines().filter_map(list_item).collect();
            if items.is_empty() {
                out.push(block);
            } else {
                out.extend(items);
            }
        }
    }
    out
}

/// The text of a list item line, without its marker and timeline stamp.
fn list_item(line: &'static str) -> Option<&'static str> {
    let text = line.strip_prefix("- ").or_else(|| {
        line.split_once(". ")
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
            .map(|(_, t)| t)
    })?;
    Some(
        text.strip_prefix('[')
            .and_then(|t| t.split_once("] "))
            .map_or(text, |(_, t)| t),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_passages_are_the_examples_only() {
        let passages = skeleton_passages();
        assert!(
            passages.contains(&"An alert fires; the on-call engineer starts to look."),
            "{passages:?}"
        );
        assert!(passages.contains(&"What you will change, and why it would have helped."));
        assert!(
            passages
                .iter()
                .any(|p| p.starts_with("Say hello to your readers") && p.contains('\n'))
        );
        assert!(
            !passages
                .iter()
                .any(|p| p.contains("All times are") || p.contains("[cast]") || p.starts_with('#')),
            "{passages:?}"
        );
        assert_eq!(
            impact_placeholder(),
            "Say in one sentence who was affected, how, and for how long."
        );
        assert_eq!(
            summary_placeholder(),
            "One or two sentences on this issue, for the site and the feed."
        );
    }
}
