//! The cast of an incident: who was in the story, and how the timeline names them.
//!
//! Documentary-style write-ups introduce their characters once, in front
//! matter, with their goals and worries and what they saw, heard and felt
//! at key moments; timeline entries then name them as `@id`. Loading checks
//! that every name resolves, and spells each mention out as the member's
//! name for the renderers.

use crate::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use crate::load::fields::Fields;
use crate::load::value::{Node, Value};
use crate::model::doc::{Block, Inline};
use crate::model::{CastMember, CastMoment, KeyMomentKind, Span, TimelineEntry};

/// Keys of a cast member.
pub const MEMBER_KEYS: &[&str] = &["id", "name", "role", "goals", "worries", "moments"];
/// Keys of a member's moment.
pub const SENSE_KEYS: &[&str] = &["saw", "heard", "felt"];

/// Reads `cast`: a list of members (`[[cast]]` in TOML, a list in YAML).
pub fn read(f: &mut Fields<'_>) -> Vec<CastMember> {
    let Some(node) = f.take("cast") else {
        return Vec::new();
    };
    let Value::Array(items) = &node.value else {
        f.wrong_type("cast", node, "a list of people ([[cast]] tables)");
        return Vec::new();
    };
    let file = f.file();
    let mut out: Vec<CastMember> = Vec::new();
    for item in items {
        let mut m = Fields::new(file, item, "a cast member", f.diags);
        let id = m.str(
            "id",
            "id = \"oncall\" (how the timeline names them: @oncall)",
        );
        let name = m.str("name", "name = \"The on-call engineer\"");
        let role = m.opt_str("role").map(|s| s.value);
        let goals = m.opt_str("goals").map(|s| s.value);
        let worries = m.opt_str("worries").map(|s| s.value);
        let moments = m
            .table("moments")
            .map(|n| read_moments(file, n, m.diags))
            .unwrap_or_default();
        m.finish(MEMBER_KEYS, &[]);
        let (Some(id), Some(name)) = (id, name) else {
            continue;
        };
        if !crate::load::is_slug(&id.value) {
            f.invalid(
                Code::InvalidValue,
                id.span.clone(),
                format!("`{}` cannot be written after @ in a timeline", id.value),
                "use lowercase letters, digits and hyphens, such as \"oncall\" or \"ic-1\"",
            );
            continue;
        }
        if out.iter().any(|c| c.id == id.value) {
            f.invalid(
                Code::DuplicateSlug,
                id.span,
                format!("two cast members are called `{}`", id.value),
                "give each member their own id",
            );
            continue;
        }
        out.push(CastMember {
            id: id.value,
            name: name.value,
            role,
            goals,
            worries,
            moments,
        });
    }
    out
}

/// Reads `moments`: a table from key moment to what was seen, heard and felt.
fn read_moments(file: FileId, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<CastMoment> {
    let Value::Table(entries) = &node.value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let keys = KeyMomentKind::ALL.map(KeyMomentKind::key);
    for (key, value) in entries {
        let Some(moment) = KeyMomentKind::ALL.into_iter().find(|k| k.key() == key.name) else {
            let best = did_you_mean(&key.name, keys);
            let hint = match best {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("moments are the key moments: {}", keys.join(", ")),
            };
            let mut d = Diagnostic::new(
                Code::UnknownKey,
                file,
                key.span.clone(),
                format!("`{}` is not a key moment", key.name),
            )
            .hint(hint);
            if let Some(best) = best {
                d = d.suggest_value(key.span.clone(), &key.name, best);
            }
            diags.push(d);
            continue;
        };
        let mut s = Fields::new(file, value, format!("the `{}` moment", key.name), diags);
        let (saw, heard, felt) = (
            s.opt_str("saw").map(|v| v.value),
            s.opt_str("heard").map(|v| v.value),
            s.opt_str("felt").map(|v| v.value),
        );
        s.finish(SENSE_KEYS, &[]);
        out.push(CastMoment {
            moment,
            saw,
            heard,
            felt,
        });
    }
    out.sort_by_key(|m| m.moment);
    out
}

/// The `@id` mentions in a text, with their byte offsets (an e-mail address is not a mention).
pub fn mentions(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        if i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'.'
                || bytes[i - 1] == b'\\')
        {
            continue;
        }
        let rest = &text[i + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .unwrap_or(rest.len());
        let id = rest[..len].trim_end_matches('-');
        if !id.is_empty() {
            out.push((i, id));
        }
    }
    out
}

/// Resolves the `@id` mentions in every entry against the cast: each becomes a
/// mention node at its own place; unknown names are reported where they are written.
/// `body` is the piece's body and where it starts in the file.
pub fn resolve(
    diags: &mut Vec<Diagnostic>,
    file: FileId,
    body: (&str, usize),
    cast: &[CastMember],
    entries: &mut [TimelineEntry],
) {
    let mut r = Resolver {
        diags,
        file,
        body: body.0,
        offset: body.1,
        cast,
        found: Vec::new(),
    };
    for entry in entries.iter_mut() {
        r.found.clear();
        r.inlines(&mut entry.content);
        for block in &mut entry.more {
            r.block(block);
        }
        for id in r.found.drain(..) {
            if !entry.mentions.contains(&id) {
                entry.mentions.push(id);
            }
        }
    }
}

/// Walks an entry's content, turning `@id` text into mention nodes.
struct Resolver<'a, 'd> {
    diags: &'d mut Vec<Diagnostic>,
    file: FileId,
    body: &'a str,
    offset: usize,
    cast: &'a [CastMember],
    /// The ids mentioned in the current entry, in order.
    found: Vec<String>,
}

impl Resolver<'_, '_> {
    /// Resolves mentions in the inlines of a block.
    fn block(&mut self, block: &mut Block) {
        match block {
            Block::Paragraph { content, .. } => self.inlines(content),
            Block::Quote(blocks) => blocks.iter_mut().for_each(|b| self.block(b)),
            Block::List { items, .. } => items
                .iter_mut()
                .flat_map(|i| i.blocks.iter_mut())
                .for_each(|b| self.block(b)),
            _ => {}
        }
    }

    /// Resolves mentions in a list of inlines (code and link addresses are left alone).
    fn inlines(&mut self, list: &mut Vec<Inline>) {
        let old = std::mem::take(list);
        for inline in old {
            match inline {
                Inline::Text(text, span) => self.split(text, span, list),
                Inline::Emph(mut c) => {
                    self.inlines(&mut c);
                    list.push(Inline::Emph(c));
                }
                Inline::Strong(mut c) => {
                    self.inlines(&mut c);
                    list.push(Inline::Strong(c));
                }
                Inline::Strike(mut c) => {
                    self.inlines(&mut c);
                    list.push(Inline::Strike(c));
                }
                other => list.push(other),
            }
        }
    }

    /// Splits one text node at its mentions.
    fn split(&mut self, text: String, span: Span, out: &mut Vec<Inline>) {
        let exact = self.body.get(span.clone()) == Some(text.as_str());
        let mut found = mentions(&text);
        if !exact {
            // Smart punctuation or escapes changed the text: a mention counts only
            // where the source has it too (`\@name` is an escaped, literal @).
            let mut expected: std::collections::VecDeque<&str> =
                mentions(self.body.get(span.clone()).unwrap_or(""))
                    .into_iter()
                    .map(|(_, id)| id)
                    .collect();
            found.retain(|(_, id)| {
                let keep = expected.front() == Some(id);
                if keep {
                    expected.pop_front();
                }
                keep
            });
        }
        let mut last = 0;
        for (i, id) in found {
            let at = if exact {
                span.start + i..span.start + i + id.len() + 1
            } else {
                span.clone()
            };
            let file_at = at.start + self.offset..at.end + self.offset;
            match self.cast.iter().find(|c| c.id == id) {
                Some(member) => {
                    if i > last {
                        let piece = if exact {
                            span.start + last..span.start + i
                        } else {
                            span.clone()
                        };
                        out.push(Inline::Text(text[last..i].to_string(), piece));
                    }
                    out.push(Inline::Mention {
                        id: id.to_string(),
                        name: crate::model::smart_quotes(&member.name),
                        span: at,
                    });
                    self.found.push(id.to_string());
                    last = i + id.len() + 1;
                }
                None => {
                    let best = did_you_mean(id, self.cast.iter().map(|c| c.id.as_str()));
                    let hint = match best {
                        Some(best) => format!("did you mean `@{best}`?"),
                        None if self.cast.is_empty() => {
                            "add them to the front matter's cast: [[cast]] with id and name"
                                .to_string()
                        }
                        None => format!(
                            "the cast is: {}",
                            self.cast
                                .iter()
                                .map(|c| format!("@{}", c.id))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    let message = format!("`@{id}` is not in this incident's cast");
                    let mut d =
                        Diagnostic::new(Code::CastUnknown, self.file, file_at.clone(), message)
                            .hint(hint);
                    if let (Some(best), true) = (best, exact) {
                        d = d.suggest(file_at, format!("@{best}"));
                    }
                    self.diags.push(d);
                }
            }
        }
        if last < text.len() {
            let piece = if exact {
                span.start + last..span.end
            } else {
                span.clone()
            };
            out.push(Inline::Text(text[last..].to_string(), piece));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_at_names_not_email_addresses() {
        assert_eq!(
            mentions("@oncall pages @ic-1, then mails zine@x.io."),
            [(0, "oncall"), (14, "ic-1")]
        );
        assert_eq!(mentions("nothing @ here"), []);
    }
}
