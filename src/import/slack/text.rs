//! A Slack message's text (its "mrkdwn") as Markdown words.
//!
//! Slack writes `<@U024BE7LH>` for a member, `<#C024BE7LR|general>` for a
//! channel, `<https://example.com|label>` for a link, `<!here>` for a
//! broadcast (which becomes code: `@here`), `&amp;`, `&lt;` and `&gt;` for the three characters it
//! escapes, and `*bold*`, `_italic_`, `~strike~` and backticks for code.
//! Members become `@id` (or their name in prose), channels `#name`, links
//! Markdown links, the emphasis Markdown's, code stays code, and every
//! other character Markdown would read as markup is escaped, so the words
//! stay words. Line breaks become spaces: a message is one paragraph.

/// How a member is written: as an `@id` of the cast, or as their name.
pub trait Names {
    /// The text for the member with this Slack id (`@priya`, or "Priya").
    fn member(&self, id: &str) -> Option<String>;
}

/// Markers for emphasis, in the private use area, so escaping leaves them alone.
const OPEN: [char; 3] = ['\u{E000}', '\u{E002}', '\u{E004}'];
const CLOSE: [char; 3] = ['\u{E001}', '\u{E003}', '\u{E005}'];
const MARKS: [(char, &str); 3] = [('*', "**"), ('_', "*"), ('~', "~~")];

/// The Markdown of a message's text.
pub fn markdown(text: &str, names: &dyn Names) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        // Code spans go through as they are; everything else is words.
        let Some(open) = rest.find('`') else {
            out.push_str(&words(rest, names));
            break;
        };
        out.push_str(&words(&rest[..open], names));
        let fence = if rest[open..].starts_with("```") {
            "```"
        } else {
            "`"
        };
        let inner_start = open + fence.len();
        match rest[inner_start..].find(fence) {
            Some(close) => {
                let code = entities(&rest[inner_start..inner_start + close]);
                let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
                let ticks = if code.contains('`') { "`` " } else { "`" };
                out.push_str(&format!(
                    "{ticks}{code}{}",
                    ticks.chars().rev().collect::<String>()
                ));
                rest = &rest[inner_start + close + fence.len()..];
            }
            None => {
                out.push_str(&words(&rest[open..], names));
                break;
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain words with Slack's `<...>` tokens and emphasis turned into Markdown.
fn words(text: &str, names: &dyn Names) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&escape(&emphasis(&entities(&rest[..open]))));
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&escape(&entities(&rest[open..])));
            return finish(out);
        };
        out.push_str(&token(&rest[open + 1..open + close], names));
        rest = &rest[open + close + 1..];
    }
    out.push_str(&escape(&emphasis(&entities(rest))));
    finish(out)
}

/// One `<...>` token of Slack's.
fn token(inner: &str, names: &dyn Names) -> String {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(entities(l))),
        None => (inner, None),
    };
    if let Some(id) = target.strip_prefix('@') {
        return names
            .member(id)
            .unwrap_or_else(|| escape(&label.unwrap_or_else(|| "someone".into())));
    }
    if let Some(id) = target.strip_prefix('#') {
        return escape(&format!("#{}", label.unwrap_or_else(|| id.to_string())));
    }
    if let Some(special) = target.strip_prefix('!') {
        // `@here`, `@channel`, a user group: code, so that no outline reads them as a cast member.
        let word =
            label.unwrap_or_else(|| format!("@{}", special.split('^').next().unwrap_or(special)));
        return format!("`{}`", word.replace('`', "'"));
    }
    let url = entities(target);
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") {
        let url = url
            .replace(' ', "%20")
            .replace(')', "%29")
            .replace('(', "%28");
        return match label {
            Some(l) if l != url => format!("[{}]({url})", escape(&l)),
            _ => format!("<{url}>"),
        };
    }
    escape(&format!("<{inner}>"))
}

/// Slack's three escaped characters.
fn entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Marks `*bold*`, `_italic_` and `~strike~` when they open after a space
/// and close before one, as Slack reads them.
fn emphasis(text: &str) -> String {
    let mut out = text.to_string();
    for (k, (mark, _)) in MARKS.iter().enumerate() {
        let chars: Vec<char> = out.chars().collect();
        let mut result = String::new();
        let mut i = 0;
        while i < chars.len() {
            let opens = chars[i] == *mark
                && (i == 0 || chars[i - 1].is_whitespace() || "([\"'".contains(chars[i - 1]))
                && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
            let close = opens
                .then(|| {
                    (i + 2..chars.len()).find(|&j| {
                        chars[j] == *mark
                            && !chars[j - 1].is_whitespace()
                            && chars.get(j + 1).is_none_or(|c| !c.is_alphanumeric())
                    })
                })
                .flatten();
            match close {
                Some(j) => {
                    result.push(OPEN[k]);
                    result.extend(&chars[i + 1..j]);
                    result.push(CLOSE[k]);
                    i = j + 1;
                }
                None => {
                    result.push(chars[i]);
                    i += 1;
                }
            }
        }
        out = result;
    }
    out
}

/// Escapes what Markdown would read as markup (the emphasis markers stay).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '!'
                | '|'
                | '~'
                | '@'
                | '$'
                | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Turns the emphasis markers into Markdown's.
fn finish(text: String) -> String {
    let mut out = text;
    for (k, (_, md)) in MARKS.iter().enumerate() {
        out = out.replace([OPEN[k], CLOSE[k]], md);
    }
    out
}

/// A message's text as plain words for the log comment: names for members, no markup, never `-->`.
pub fn plain(text: &str, names: &dyn Names) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&entities(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&entities(&rest[open..]));
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + close];
        let (target, label) = inner
            .split_once('|')
            .map_or((inner, None), |(t, l)| (t, Some(entities(l))));
        let word = match target.chars().next() {
            Some('@') => names
                .member(&target[1..])
                .unwrap_or_else(|| label.unwrap_or_default()),
            Some('#') => format!("#{}", label.unwrap_or_else(|| target[1..].to_string())),
            Some('!') => label.unwrap_or_else(|| format!("@{}", &target[1..])),
            _ => match label {
                Some(l) => format!("{l} ({})", entities(target)),
                None => entities(target),
            },
        };
        out.push_str(&word);
        rest = &rest[open + close + 1..];
    }
    out.push_str(&entities(rest));
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // The log is an HTML comment: nothing in it may close or open one.
    out.replace("-->", "- ->").replace("<!--", "< !--")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cast;
    impl Names for Cast {
        fn member(&self, id: &str) -> Option<String> {
            (id == "U1").then(|| "@priya".to_string())
        }
    }

    #[test]
    fn slack_markup_becomes_markdown_and_the_rest_stays_words() {
        assert_eq!(
            markdown(
                "<@U1> *rolled back* the deploy, see <https://ci.example.com/run/7|run 7> &amp; <#C9|inc-api>",
                &Cast
            ),
            "@priya **rolled back** the deploy, see [run 7](https://ci.example.com/run/7) \\& \\#inc-api"
        );
        assert_eq!(
            markdown("check `kubectl get pods` and _wait_", &Cast),
            "check `kubectl get pods` and *wait*"
        );
        assert_eq!(
            markdown("2*3 = 6, a_b_c, <!here> # not a heading", &Cast),
            "2\\*3 = 6, a\\_b\\_c, `@here` \\# not a heading"
        );
        assert_eq!(markdown("<@U7|sam> said\nhi", &Cast), "sam said hi");
        assert_eq!(
            markdown("```\nline one\nline two\n```", &Cast),
            "`line one line two`"
        );
    }

    #[test]
    fn the_log_is_plain_and_cannot_close_its_comment() {
        assert_eq!(
            plain("<@U1> wrote --> <https://x.io|this> &lt;b&gt;", &Cast),
            "@priya wrote - -> this (https://x.io) <b>"
        );
    }
}
