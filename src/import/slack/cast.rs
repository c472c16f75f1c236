//! The people of a Slack channel as the draft names them: one cast member
//! per Slack user who wrote or was mentioned, by their current name and
//! title, or, anonymised, by their title alone, with every way their name
//! is written replaced in the text.

use std::collections::{BTreeMap, HashSet};

use super::Said;
use super::export::User;
use super::text::Names;
use crate::scaffold::Member;

/// The people of the channel as the draft names them.
pub(super) struct Cast {
    /// By Slack user id: the cast id, the name, and the role.
    pub(super) members: BTreeMap<String, (String, String, Option<String>)>,
    /// Slack user ids, in the order they first spoke.
    pub(super) order: Vec<String>,
    /// With `anonymise`, each way a member's name is written (longest first) and what replaces it.
    scrub: Vec<(String, String)>,
}

impl Cast {
    /// Every author and every member mentioned, in the order they first appear.
    pub(super) fn of(said: &[Said], users: &[User], anonymise: bool) -> Cast {
        let mut order: Vec<String> = Vec::new();
        let add = |id: &str, order: &mut Vec<String>| {
            if !order.iter().any(|o| o == id) {
                order.push(id.to_string());
            }
        };
        for s in said
            .iter()
            .flat_map(|s| std::iter::once(s).chain(&s.replies))
        {
            add(&s.user, &mut order);
            for id in mentioned(&s.text) {
                if users.iter().any(|u| u.id == id) {
                    add(id, &mut order);
                }
            }
        }
        let mut taken: HashSet<String> = HashSet::new();
        let mut names: HashSet<String> = HashSet::new();
        let mut scrub: Vec<(String, String)> = Vec::new();
        let mut members = BTreeMap::new();
        for (n, id) in order.iter().enumerate() {
            let user = users.iter().find(|u| &u.id == id);
            let title = user
                .map(|u| u.profile.title.trim().to_string())
                .filter(|t| !t.is_empty());
            let (name, role) = if anonymise {
                let base = title.clone().unwrap_or_else(|| "Responder".to_string());
                let mut name = base.clone();
                let mut k = 2;
                while !names.insert(name.clone()) {
                    name = format!("{base} {k}");
                    k += 1;
                }
                (name, None)
            } else {
                let name = user
                    .map(display_name)
                    .unwrap_or_else(|| format!("Someone ({id})"));
                names.insert(name.clone());
                (name, title)
            };
            let handle = user
                .filter(|_| !anonymise)
                .map(|u| crate::load::slugify(&u.name))
                .unwrap_or_default();
            let mut base = crate::load::slugify(&name);
            if base.is_empty() {
                base = if handle.is_empty() {
                    format!("person-{}", n + 1)
                } else {
                    handle
                };
            }
            let mut cast_id = base.clone();
            let mut k = 2;
            while !taken.insert(cast_id.clone()) {
                cast_id = format!("{base}-{k}");
                k += 1;
            }
            if anonymise && let Some(u) = user {
                let first = u
                    .profile
                    .real_name
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                for written in [
                    &u.profile.display_name,
                    &u.profile.real_name,
                    &u.name,
                    &first,
                ]
                .into_iter()
                .chain(u.real_name.as_ref())
                {
                    if written.chars().count() >= 3 {
                        scrub.push((written.clone(), name.clone()));
                    }
                }
            }
            members.insert(id.clone(), (cast_id, name, role));
        }
        scrub.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        Cast {
            members,
            order,
            scrub,
        }
    }

    /// A message's text with every name of a member replaced by what the draft calls them (with `anonymise`).
    pub(super) fn scrubbed(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (written, name) in &self.scrub {
            out = replace_word(&out, written, name);
        }
        out
    }

    /// The cast as the scaffold writes it.
    pub(super) fn scaffold(&self) -> Vec<Member> {
        self.order
            .iter()
            .filter_map(|id| self.members.get(id))
            .map(|(id, name, role)| Member {
                id: id.clone(),
                name: name.clone(),
                role: role.clone().unwrap_or_default(),
                ..Member::default()
            })
            .collect()
    }

    /// A member's `@id`.
    pub(super) fn at(&self, user: &str) -> String {
        self.members
            .get(user)
            .map_or_else(|| "someone".into(), |m| format!("@{}", m.0))
    }

    /// A member's name, for prose.
    pub(super) fn name(&self, user: &str) -> String {
        self.members
            .get(user)
            .map_or_else(|| "someone".into(), |m| m.1.clone())
    }
}

/// Members named as `@id` (timeline and log).
pub(super) struct AtIds<'a>(pub(super) &'a Cast);
impl Names for AtIds<'_> {
    fn member(&self, id: &str) -> Option<String> {
        self.0.members.get(id).map(|m| format!("@{}", m.0))
    }
}

/// How a member is shown: their display name, else their full name, else their handle.
fn display_name(u: &User) -> String {
    [&u.profile.display_name, &u.profile.real_name]
        .into_iter()
        .chain(u.real_name.as_ref())
        .chain([&u.name])
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or(&u.id)
        .to_string()
}

/// `text` with each whole-word `word` (not inside another word) replaced by `with`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            out.push_str(word);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// The Slack user ids a text mentions (`<@U123>`).
pub(super) fn mentioned(text: &str) -> Vec<&str> {
    text.match_indices("<@")
        .filter_map(|(i, _)| {
            let rest = &text[i + 2..];
            let end = rest.find(['>', '|'])?;
            Some(&rest[..end])
        })
        .collect()
}

/// Members named by their name (prose).
pub(super) struct ProseNames<'a>(pub(super) &'a Cast);
impl Names for ProseNames<'_> {
    fn member(&self, id: &str) -> Option<String> {
        self.0.members.get(id).map(|m| m.1.clone())
    }
}
