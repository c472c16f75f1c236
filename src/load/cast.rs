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
use crate::model::{CastMember, CastMoment, KeyMomentKind, TimelineEntry};

/// Keys of a cast member.
pub const MEMBER_KEYS: &[&str] = &["id", "name", "role", "goals", "worries", "moments"];
/// Keys of a member's moment.
pub const SENSE_KEYS: &[&str] = &["saw", "heard", "felt"];

/// Reads `cast`: a list of members (`[[cast]]` in TOML, a list in YAML).
pub fn read(f: &mut Fields<'_>) -> Vec<CastMember> {
    let Some(node) = f.take("cast") else { return Vec::new() };
    let Value::Array(items) = &node.value else {
        f.wrong_type("cast", node, "a list of people ([[cast]] tables)");
        return Vec::new();
    };
    let file = f.file();
    let mut out: Vec<CastMember> = Vec::new();
    for item in items {
        let mut m = Fields::new(file, item, "a cast member", f.diags);
        let id = m.str("id", "id = \"oncall\" (how the timeline names them: @oncall)");
        let name = m.str("name", "name = \"The on-call engineer\"");
        let role = m.opt_str("role").map(|s| s.value);
        let goals = m.opt_str("goals").map(|s| s.value);
        let worries = m.opt_str("worries").map(|s| s.value);
        let moments = m.table("moments").map(|n| read_moments(file, n, m.diags)).unwrap_or_default();
        m.finish(MEMBER_KEYS, &[]);
        let (Some(id), Some(name)) = (id, name) else { continue };
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
            f.invalid(Code::DuplicateSlug, id.span, format!("two cast members are called `{}`", id.value), "give each member their own id");
            continue;
        }
        out.push(CastMember { id: id.value, name: name.value, role, goals, worries, moments });
    }
    out
}

/// Reads `moments`: a table from key moment to what was seen, heard and felt.
fn read_moments(file: FileId, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<CastMoment> {
    let Value::Table(entries) = &node.value else { return Vec::new() };
    let mut out = Vec::new();
    let keys = KeyMomentKind::ALL.map(KeyMomentKind::key);
    for (key, value) in entries {
        let Some(moment) = KeyMomentKind::ALL.into_iter().find(|k| k.key() == key.name) else {
            let best = did_you_mean(&key.name, keys);
            let hint = match best {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("moments are the key moments: {}", keys.join(", ")),
            };
            let mut d = Diagnostic::new(Code::UnknownKey, file, key.span.clone(), format!("`{}` is not a key moment", key.name)).hint(hint);
            if let Some(best) = best {
                d = d.suggest_value(key.span.clone(), &key.name, best);
            }
            diags.push(d);
            continue;
        };
        let mut s = Fields::new(file, value, format!("the `{}` moment", key.name), diags);
        let (saw, heard, felt) =
            (s.opt_str("saw").map(|v| v.value), s.opt_str("heard").map(|v| v.value), s.opt_str("felt").map(|v| v.value));
        s.finish(SENSE_KEYS, &[]);
        out.push(CastMoment { moment, saw, heard, felt });
    }
    out.sort_by_key(|m| m.moment);
    out
}

/// The `@id` mentions in a text, with their byte offsets (an e-mail address is not a mention).
pub fn mentions(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.' || bytes[i - 1] == b'\\') {
            continue;
        }
        let rest = &text[i + 1..];
        let len = rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')).unwrap_or(rest.len());
        let id = rest[..len].trim_end_matches('-');
        if !id.is_empty() {
            out.push((i, id));
        }
    }
    out
}

/// Resolves every entry's mentions against the cast, reporting unknown names,
/// and spells them out in the entry's text as the member's name in bold.
/// `body` is the piece's body and where it starts in the file.
pub fn resolve(diags: &mut Vec<Diagnostic>, file: FileId, body: (&str, usize), cast: &[CastMember], entries: &mut [TimelineEntry]) {
    let (text, offset) = body;
    for entry in entries.iter_mut() {
        let found: Vec<(usize, String)> = mentions(&entry.text).into_iter().map(|(i, id)| (i, id.to_string())).collect();
        for (_, id) in found.iter().rev() {
            match cast.iter().find(|c| &c.id == id) {
                Some(member) => {
                    if !entry.mentions.contains(id) {
                        entry.mentions.insert(0, id.clone());
                    }
                    let at = entry.text.find(&format!("@{id}")).unwrap_or(0);
                    entry.text.replace_range(at..at + id.len() + 1, &format!("**{}**", member.name));
                }
                None => {
                    let from = entry.stamp_span.end.saturating_sub(offset).min(text.len());
                    let at = text[from..].find(&format!("@{id}")).map(|i| i + from + offset);
                    let span = at.map_or(entry.stamp_span.clone(), |a| a..a + id.len() + 1);
                    let best = did_you_mean(id, cast.iter().map(|c| c.id.as_str()));
                    let hint = match best {
                        Some(best) => format!("did you mean `@{best}`?"),
                        None if cast.is_empty() => "add them to the front matter's cast: [[cast]] with id and name".to_string(),
                        None => format!("the cast is: {}", cast.iter().map(|c| format!("@{}", c.id)).collect::<Vec<_>>().join(", ")),
                    };
                    let mut d = Diagnostic::new(Code::CastUnknown, file, span.clone(), format!("`@{id}` is not in this incident's cast"))
                        .hint(hint);
                    if let (Some(best), true) = (best, at.is_some()) {
                        d = d.suggest(span, format!("@{best}"));
                    }
                    diags.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_at_names_not_email_addresses() {
        assert_eq!(mentions("@oncall pages @ic-1, then mails zine@x.io."), [(0, "oncall"), (14, "ic-1")]);
        assert_eq!(mentions("nothing @ here"), []);
    }
}
