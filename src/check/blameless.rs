//! Hints for blameless language: words that judge people instead of
//! describing what happened.
//!
//! A review is blameful when it measures what people did against what is
//! known now ("should have", "failed to"), files an action under a label
//! ("human error", "careless"), or makes the work sound trivial ("simply",
//! "just", "obviously"); and it misleads when it names "the root cause" of
//! a write-up that lists several contributing factors. These hints point at
//! the exact words, say in one line why they read as blame or hindsight,
//! and offer a rewording (a suggestion, which editors apply as a quick
//! fix). They read the body as a reader reads it, from the document tree:
//! headings, code, block quotes and quoted speech (“...”) are exempt, and
//! counterfactuals count only with a person, role or cast member as their
//! subject ("the parser failed to read it" is plain English).

use std::ops::Range;

use crate::check::words::{Run, Tok, runs};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::doc::Block;
use crate::model::{Piece, Span};

/// Words that stand for a person or a role as the subject of a sentence.
const PEOPLE: &[&str] = &[
    "i",
    "we",
    "you",
    "he",
    "she",
    "who",
    "whoever",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "everyone",
    "everybody",
    "nobody",
    "engineer",
    "engineers",
    "operator",
    "operators",
    "developer",
    "developers",
    "dev",
    "devs",
    "admin",
    "admins",
    "administrator",
    "administrators",
    "sre",
    "sres",
    "on-call",
    "oncall",
    "responder",
    "responders",
    "team",
    "teams",
    "teammate",
    "teammates",
    "staff",
    "employee",
    "employees",
    "person",
    "people",
    "human",
    "humans",
    "user",
    "users",
    "customer",
    "customers",
    "manager",
    "managers",
    "lead",
    "owner",
    "owners",
    "reviewer",
    "reviewers",
    "author",
    "authors",
    "colleague",
    "colleagues",
    "analyst",
    "technician",
    "contractor",
    "intern",
    "commander",
    "dba",
    "dbas",
    "ops",
    "on-caller",
    "on-callers",
    "volunteer",
    "maintainer",
    "maintainers",
    "approver",
    "requester",
    "myself",
    "ourselves",
];

/// Words that may stand between a subject and its verb ("he simply forgot to").
const BETWEEN: &[&str] = &[
    "had",
    "has",
    "have",
    "simply",
    "just",
    "also",
    "then",
    "again",
    "never",
    "really",
    "clearly",
    "obviously",
    "apparently",
    "probably",
    "still",
    "both",
    "all",
    "certainly",
    "definitely",
    "somehow",
    "likely",
    "surely",
    "merely",
];

/// Labels that file an action under blame, with a neutral wording (`None`: say what happened).
const LABELS: &[(&str, Option<&str>)] = &[
    ("human error", Some("manual step")),
    ("human errors", Some("manual steps")),
    ("operator error", Some("manual step")),
    ("operator errors", Some("manual steps")),
    ("user error", Some("user's action")),
    ("pilot error", Some("manual step")),
    ("careless", None),
    ("carelessly", None),
    ("carelessness", None),
    ("negligent", None),
    ("negligently", None),
    ("negligence", None),
    ("reckless", None),
    ("recklessly", None),
];

/// Words that make the work sound trivial.
const MINIMISERS: &[&str] = &["simply", "just", "obviously", "clearly", "merely"];

/// What follows a "just" of time or quantity, not of belittling ("just before").
const JUST_OF_TIME: &[&str] = &[
    "before", "after", "as", "when", "then", "now", "in", "under", "over", "about", "around",
    "below", "above", "shy", "short", "ahead", "past", "once", "like", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "since", "enough", "because", "that",
    "the", "this", "these", "those", "its", "their", "our", "my", "his", "her", "what", "how",
    "minutes", "seconds", "hours",
];

/// What follows "just a" when it measures time or amount ("just a few minutes").
const JUST_A_MEASURE: &[&str] = &[
    "few", "minute", "moment", "second", "bit", "little", "couple", "handful", "fraction",
];

/// The blameless-language hints for one piece.
pub fn hints(piece: &Piece, diags: &mut Vec<Diagnostic>) {
    let cast: Vec<String> = piece
        .incident
        .iter()
        .flat_map(|i| &i.cast)
        .filter_map(|c| c.name.split_whitespace().last())
        .map(|w| w.to_lowercase())
        .collect();
    let factors = contributing_factors(piece);
    let allowed = allow_comments(&piece.body);
    let mut found = Vec::new();
    for run in runs(piece) {
        counterfactuals(&run, &cast, &mut found);
        labels(&run, &mut found);
        minimisers(&run, &mut found);
        if let Some(f) = &factors {
            root_cause(&run, f, &mut found);
        }
    }
    for hit in found {
        let span = hit.span.clone();
        let allowed_here = allowed
            .iter()
            .any(|(codes, region)| codes.contains(&hit.code) && region.contains(&span.start));
        if allowed_here {
            continue;
        }
        let at = |s: &Span| s.start + piece.body_offset..s.end + piece.body_offset;
        let allow = format!(
            "to keep the words, put `<!-- pir: allow {} -->` on the line before the paragraph",
            hit.code.code()
        );
        let mut d = Diagnostic::new(hit.code, piece.file, at(&span), hit.message)
            .hint(format!("{}; {allow}", hit.hint));
        if let Some((fix_span, replacement)) = hit.fix {
            d = d.suggest(at(&fix_span), replacement);
        }
        if let (Code::SingleRootCause, Some(f)) = (hit.code, &factors) {
            d = d.related(
                piece.file,
                at(&f.heading),
                "the contributing factors listed here",
            );
        }
        diags.push(d);
    }
}

/// One hint found, before it becomes a diagnostic.
struct Hit {
    code: Code,
    /// The words, in the body.
    span: Span,
    message: String,
    hint: String,
    /// The rewording: what replaces which part of the body.
    fix: Option<(Span, String)>,
}

/// "should have", "failed to" and their kind, with a person as their subject.
fn counterfactuals(run: &Run, cast: &[String], out: &mut Vec<Hit>) {
    let t = &run.toks;
    for i in 0..t.len() {
        let w = |k: usize| t.get(k).map_or("", |x: &Tok| x.lower.as_str());
        // (the words of the trigger, the verb after it, the rewording's first words)
        let (len, verb, fixed): (usize, usize, Option<&str>) = match (w(i), w(i + 1), w(i + 2)) {
            ("should" | "could", "have", _) => (2, i + 2, Some("had not")),
            ("should've" | "could've", _, _) => (1, i + 1, Some("had not")),
            ("should", "not", "have") => (3, i + 3, Some("")),
            ("shouldn't", "have", _) => (2, i + 2, Some("")),
            ("failed" | "neglected" | "forgot", "to", _) => (2, i + 2, Some("did not")),
            ("fails" | "neglects" | "forgets", "to", _) => (2, i + 2, Some("does not")),
            _ => continue,
        };
        if t[i..i + len].iter().any(|x| x.quoted) || t[i + 1..i + len].iter().any(|x| x.brk) {
            continue;
        }
        let Some(verb_tok) = t.get(verb).filter(|v| !v.brk && !v.quoted) else {
            continue;
        };
        // "should have been special" is a state, "should have been paged" is done to them.
        if verb_tok.lower == "been"
            && t.get(verb + 1)
                .is_none_or(|n| n.brk || n.lower.ends_with("ed") || n.lower.ends_with("en"))
        {
            continue;
        }
        if !person_subject(t, i, cast) {
            continue;
        }
        let range = t[i].at.start..verb_tok.at.end;
        let Some((span, exact)) = place(run, range.clone()) else {
            continue;
        };
        let words = run.written(range, &span, exact);
        let words = words.as_str();
        let fix = fixed.filter(|_| exact).map(|f| {
            let verb_text = &run.text[verb_tok.at.clone()];
            let replacement = if f.is_empty() {
                verb_text.to_string()
            } else {
                format!("{f} {verb_text}")
            };
            (span.clone(), keep_case(words, &replacement))
        });
        out.push(Hit {
            code: Code::Counterfactual,
            span,
            message: format!(
                "`{words}` judges what someone did by what is known now: hindsight, not what happened"
            ),
            hint: "say what they did and what made it make sense at the time".into(),
            fix,
        });
    }
}

/// Whether the words before token `i` end in a person, a role or a cast member.
fn person_subject(t: &[Tok], i: usize, cast: &[String]) -> bool {
    let mut k = i;
    while k > 0 {
        if t[k].brk {
            return false;
        }
        k -= 1;
        let word = t[k].lower.as_str();
        if BETWEEN.contains(&word) {
            continue;
        }
        let word = word.strip_suffix("'s").unwrap_or(word);
        return t[k].mention || PEOPLE.contains(&word) || cast.iter().any(|c| c == word);
    }
    false
}

/// "human error", "careless" and their kind.
fn labels(run: &Run, out: &mut Vec<Hit>) {
    let t = &run.toks;
    for i in 0..t.len() {
        for (label, neutral) in LABELS {
            let n = label.split(' ').count();
            let Some(last) = t.get(i + n - 1) else {
                continue;
            };
            let words: Vec<&str> = t[i..i + n].iter().map(|x| x.lower.as_str()).collect();
            if words.join(" ") != *label
                || t[i..i + n].iter().any(|x| x.quoted)
                || t[i + 1..i + n].iter().any(|x| x.brk)
            {
                continue;
            }
            // "this was not human error" argues against the label.
            let denied = (i.saturating_sub(2)..i)
                .any(|k| matches!(t[k].lower.as_str(), "not" | "no" | "never"));
            if denied {
                continue;
            }
            let range = t[i].at.start..last.at.end;
            let Some((span, exact)) = place(run, range.clone()) else {
                continue;
            };
            let written = run.written(range, &span, exact);
            let written = written.as_str();
            let article = i > 0 && !t[i].brk && matches!(t[i - 1].lower.as_str(), "a" | "an");
            let fix = match neutral {
                _ if !exact => None,
                Some(n) if article || n.ends_with('s') => {
                    Some((span.clone(), keep_case(written, n)))
                }
                Some(n) => Some((span.clone(), keep_case(written, &format!("a {n}")))),
                // An adjective before its noun ("a careless change") or an adverb can go.
                None if label.ends_with("ly") || (article_before(t, i) && next_word(t, i + n)) => {
                    dropped(run, t, i, i + n)
                }
                None => None,
            };
            out.push(Hit {
                code: Code::BlameLabel,
                span,
                message: format!("`{written}` is a label for blame, not an account of what happened"),
                hint: "name the action and the conditions that made it likely (what they saw, what the tools allowed)".into(),
                fix,
            });
        }
    }
}

/// Whether token `i` follows an article or a possessive ("a careless change").
fn article_before(t: &[Tok], i: usize) -> bool {
    i > 0
        && !t[i].brk
        && matches!(
            t[i - 1].lower.as_str(),
            "a" | "an" | "the" | "this" | "that" | "his" | "her" | "their" | "our" | "my" | "your"
        )
}

/// Whether token `k` is a word in the same clause.
fn next_word(t: &[Tok], k: usize) -> bool {
    t.get(k)
        .is_some_and(|x| !x.brk && x.lower.chars().all(char::is_alphabetic))
}

/// "simply", "just", "obviously", "clearly", "of course".
fn minimisers(run: &Run, out: &mut Vec<Hit>) {
    let t = &run.toks;
    for i in 0..t.len() {
        if t[i].quoted {
            continue;
        }
        let w = t[i].lower.as_str();
        let next = t.get(i + 1).filter(|n| !n.brk);
        let prev = (i > 0 && !t[i].brk).then(|| t[i - 1].lower.as_str());
        let end = if w == "of" && next.is_some_and(|n| n.lower == "course") {
            i + 2
        } else if MINIMISERS.contains(&w) {
            i + 1
        } else {
            continue;
        };
        let minimising = match w {
            "just" => {
                // "had just finished" and "was just starting" are time; "was just a change" belittles.
                let recent = match prev {
                    Some("had" | "has" | "have" | "'d" | "'ve" | "not") => true,
                    Some("was" | "were" | "is" | "are" | "am") => {
                        next.is_some_and(|n| n.lower.ends_with("ing"))
                    }
                    _ => false,
                };
                !recent
                    && next.is_some_and(|n| {
                        !JUST_OF_TIME.contains(&n.lower.as_str())
                            && !n.lower.starts_with(|c: char| c.is_ascii_digit())
                    })
                    && !(matches!(next.map(|n| n.lower.as_str()), Some("a" | "an"))
                        && t.get(i + 2)
                            .is_some_and(|m| JUST_A_MEASURE.contains(&m.lower.as_str())))
            }
            // "shows it clearly." describes how; "clearly forgot" and "Clearly, ..." judge.
            "clearly" | "obviously" => {
                (t[i].brk || next.is_some())
                    && !matches!(prev, Some("more" | "most" | "very" | "so" | "less"))
            }
            "simply" => next.is_none_or(|n| n.lower != "put"),
            _ => true,
        };
        if !minimising {
            continue;
        }
        let range = t[i].at.start..t[end - 1].at.end;
        let Some((span, exact)) = place(run, range.clone()) else {
            continue;
        };
        let written = run.written(range, &span, exact);
        out.push(Hit {
            code: Code::Minimiser,
            span,
            message: format!(
                "`{written}` makes it sound easy, which it was not for the people there"
            ),
            hint: "leave it out: if it was that easy, the incident would not have happened".into(),
            fix: if exact { dropped(run, t, i, end) } else { None },
        });
    }
}

/// The edit that removes tokens `from..to` and the separator that goes with
/// them, capitalising the next word when they opened the sentence.
fn dropped(run: &Run, t: &[Tok], from: usize, to: usize) -> Option<(Span, String)> {
    let (first, last) = (&t[from], &t[to - 1]);
    let head = &run.text[..first.at.start];
    let tail = &run.text[last.at.end..];
    let capital = run.text[first.at.clone()].starts_with(char::is_uppercase);
    if capital && let Some(next) = t.get(to) {
        // "Obviously, the flag" becomes "The flag".
        let mut chars = run.text[next.at.clone()].chars();
        let upper: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())?;
        return Some((run.span(first.at.start..next.at.end)?, upper));
    }
    let range = if head.trim_end().ends_with(',') && tail.starts_with(',') {
        // "nobody, of course, read" becomes "nobody read".
        head.trim_end().len() - 1..last.at.end + 1
    } else if tail.starts_with(' ') && t.get(to).is_some_and(|n| !n.brk) {
        // "simply forgot" becomes "forgot".
        first.at.start..last.at.end + 1
    } else {
        // "done carelessly, and" becomes "done, and".
        head.trim_end().len()..last.at.end
    };
    Some((run.span(range)?, String::new()))
}

/// A section that lists several contributing factors: its heading, and how many.
struct Factors {
    heading: Span,
    count: usize,
}

/// The contributing factors a write-up lists: a heading that names factors or
/// causes ("Contributing factors", "Root causes") over a list of two or more
/// items, or two or more subheadings.
fn contributing_factors(piece: &Piece) -> Option<Factors> {
    let blocks = &piece.doc.blocks;
    for (i, block) in blocks.iter().enumerate() {
        let Block::Heading(h) = block else { continue };
        let text = crate::model::doc::plain(&h.content).to_lowercase();
        let names = text.contains("factor")
            || text.ends_with("causes")
            || text.contains("what contributed");
        if !names {
            continue;
        }
        let mut count = 0;
        let mut subheadings = 0;
        for next in &blocks[i + 1..] {
            match next {
                Block::Heading(n) if n.level <= h.level => break,
                Block::Heading(_) => subheadings += 1,
                Block::List { items, .. } => count = count.max(items.len()),
                _ => {}
            }
        }
        let count = count.max(subheadings);
        if count >= 2 {
            return Some(Factors {
                heading: h.span.clone(),
                count,
            });
        }
    }
    None
}

/// "the root cause", where the write-up lists several contributing factors.
fn root_cause(run: &Run, factors: &Factors, out: &mut Vec<Hit>) {
    let t = &run.toks;
    for i in 0..t.len().saturating_sub(2) {
        let words = [&t[i].lower, &t[i + 1].lower, &t[i + 2].lower];
        if words != ["the", "root", "cause"]
            || t[i..i + 3].iter().any(|x| x.quoted)
            || t[i + 1..i + 3].iter().any(|x| x.brk)
            || t.get(i + 3)
                .is_some_and(|n| !n.brk && n.lower == "analysis")
        {
            continue;
        }
        let range = t[i].at.start..t[i + 2].at.end;
        let Some((span, exact)) = place(run, range.clone()) else {
            continue;
        };
        let written = run.written(range, &span, exact);
        let written = written.as_str();
        out.push(Hit {
            code: Code::SingleRootCause,
            span: span.clone(),
            message: format!(
                "`{written}` names one cause, but this write-up lists {} contributing factors",
                factors.count
            ),
            hint: "an incident has several causes that together made it possible; call this one of them".into(),
            fix: exact.then(|| (span, keep_case(written, "a contributing factor"))),
        });
    }
}

/// Where a range of a run's words is in the body, and whether exactly (only an exact place is edited).
fn place(run: &Run, range: Range<usize>) -> Option<(Span, bool)> {
    match run.span(range.clone()) {
        Some(span) => Some((span, true)),
        None => run.near(range).map(|span| (span, false)),
    }
}

/// `replacement` with a capital first letter when `written` has one.
fn keep_case(written: &str, replacement: &str) -> String {
    let mut chars = replacement.chars();
    match chars.next() {
        Some(c) if written.starts_with(char::is_uppercase) => {
            c.to_uppercase().chain(chars).collect()
        }
        _ => replacement.to_string(),
    }
}

/// The `<!-- pir: allow H7xx ... -->` comments of a body: the codes each
/// allows, and the region of the body it allows them in (the paragraph it
/// stands in, or, on a line of its own, the block after it).
fn allow_comments(body: &str) -> Vec<(Vec<Code>, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = body[from..].find("<!--").map(|i| from + i) {
        let Some(close) = body[open..].find("-->").map(|i| open + i + 3) else {
            break;
        };
        from = close;
        let inner = body[open + 4..close - 3].trim();
        let Some(rest) = inner.strip_prefix("pir:").map(str::trim_start) else {
            continue;
        };
        let Some(names) = rest.strip_prefix("allow") else {
            continue;
        };
        let codes: Vec<Code> = names
            .split([' ', ',', '\n', '\t'])
            .filter(|n| !n.is_empty())
            .filter_map(|n| {
                Code::ALL
                    .iter()
                    .copied()
                    .find(|c| c.code().eq_ignore_ascii_case(n) || c.name() == n)
            })
            .collect();
        let line_start = body[..open].rfind('\n').map_or(0, |i| i + 1);
        let alone = body[line_start..open].trim().is_empty();
        let region = if alone {
            // The next block: past blank lines, to the blank line after it.
            let rest = &body[close..];
            let skip = rest.len() - rest.trim_start().len();
            let start = close + skip;
            let end = body[start..].find("\n\n").map_or(body.len(), |i| start + i);
            start..end
        } else {
            let start = body[..open].rfind("\n\n").map_or(0, |i| i + 2);
            let end = body[close..].find("\n\n").map_or(body.len(), |i| close + i);
            start..end
        };
        out.push((codes, region));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comments_cover_their_paragraph_or_the_next_block() {
        let body = "One.\n\n<!-- pir: allow H704 H706 -->\nTwo simply.\n\nThree.<!-- pir: allow minimiser -->\n\nFour.";
        let found = allow_comments(body);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, [Code::Counterfactual, Code::Minimiser]);
        assert_eq!(&body[found[0].1.clone()], "Two simply.");
        assert_eq!(found[1].0, [Code::Minimiser]);
        assert_eq!(
            &body[found[1].1.clone()],
            "Three.<!-- pir: allow minimiser -->"
        );
    }

    #[test]
    fn case_is_kept_at_the_start_of_a_sentence() {
        assert_eq!(
            keep_case("The root cause", "a contributing factor"),
            "A contributing factor"
        );
        assert_eq!(
            keep_case("the root cause", "a contributing factor"),
            "a contributing factor"
        );
    }
}
