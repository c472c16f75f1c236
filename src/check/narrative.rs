//! Hints for the documentary style: whose story is this?
//!
//! These never fail a check. They point at the prompt (`pir prompts`) that
//! helps when a write-up has nobody's point of view: no cast and no first
//! person, timeline entries that say what happened but not who saw it, or
//! a report told almost wholly in the passive voice.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Incident, Piece};

/// Words that put a narrator in the story.
const FIRST_PERSON: &[&str] = &[
    "i", "we", "me", "us", "my", "our", "i'm", "we're", "i'd", "we'd", "i've", "we've",
];

/// Whether a text speaks in the first person.
fn first_person(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .any(|w| FIRST_PERSON.contains(&w.to_lowercase().replace('\u{2019}', "'").as_str()))
}

/// Whether a sentence is in the passive voice: a form of "to be" followed by a past participle.
fn passive(sentence: &str) -> bool {
    let words: Vec<String> = sentence
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    words.windows(2).any(|w| {
        matches!(
            w[0].as_str(),
            "was" | "were" | "is" | "are" | "been" | "being" | "be"
        ) && (w[1].ends_with("ed")
            || w[1].ends_with("en")
            || matches!(
                w[1].as_str(),
                "made"
                    | "sent"
                    | "built"
                    | "set"
                    | "put"
                    | "kept"
                    | "found"
                    | "lost"
                    | "held"
                    | "told"
                    | "run"
            ))
    })
}

/// The hints for one incident piece.
pub fn hints(piece: &Piece, incident: &Incident, diags: &mut Vec<Diagnostic>) {
    let file = piece.file;
    let anchor = piece
        .headings
        .first()
        .map(|h| h.span.clone())
        .unwrap_or(piece.body_offset..piece.body_offset);
    let narrated = first_person(&piece.body);
    if incident.cast.is_empty() && !narrated {
        diags.push(
            Diagnostic::new(Code::NoPerspective, file, anchor.clone(), "this write-up has no cast and no first-person narrative: whose story is it?")
                .hint("add a [[cast]] of the people involved, or tell part of it in the first person; `pir prompts` shows the [cast] and [first-person] prompts"),
        );
    }
    if !incident.cast.is_empty() {
        let without: Vec<_> = incident
            .timeline
            .iter()
            .filter(|e| e.mentions.is_empty() && !first_person(&e.text))
            .collect();
        if let Some(first) = without.first() {
            diags.push(
                Diagnostic::new(
                    Code::EntriesWithoutView,
                    file,
                    first.stamp_span.clone(),
                    format!("{} of {} timeline entries say what happened but not whose view it is", without.len(), incident.timeline.len()),
                )
                .hint("name who saw, heard or did it (@id from the cast); `pir prompts` shows the [senses] prompt"),
            );
        }
    }
    let sentences: Vec<&str> = piece
        .body
        .split(['.', '!', '?'])
        .filter(|s| s.split_whitespace().count() >= 3)
        .collect();
    let passives = sentences.iter().filter(|s| passive(s)).count();
    if sentences.len() >= 5 && passives * 10 >= sentences.len() * 8 {
        diags.push(
            Diagnostic::new(
                Code::PassiveVoice,
                file,
                anchor,
                format!("{passives} of {} sentences are in the passive voice: nobody acts in this story", sentences.len()),
            )
            .hint("say who did what (\"the on-call engineer restarted the nodes\"); `pir prompts` shows the [first-person] prompt"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_person() {
        assert!(first_person("Then we restarted it."));
        assert!(first_person("I saw the graph climb"));
        assert!(!first_person("The team restarted it. Issues were found."));
    }

    #[test]
    fn finds_the_passive_voice() {
        assert!(passive("The nodes were restarted by the team"));
        assert!(passive("An incident was opened"));
        assert!(!passive("The team restarted the nodes"));
    }
}
