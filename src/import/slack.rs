//! Importing an incident channel from a Slack export as a draft write-up.
//!
//! Most incident timelines are reconstructed from the chat where the
//! responders worked. The messages they marked (pinned, or given a chosen
//! reaction, `:pushpin:` by default) become the timeline, each in the words
//! its author wrote and told from their side (`@priya: ...`), its thread
//! nested under it; the people become the cast (their display name and
//! title); everything else they wrote stays in a comment under the
//! timeline for the writer to pick from. Joins, bots and edit events are
//! left out. With `anonymise`, people are named by their title or as
//! "Responder 2", never by their name. The draft is written with
//! [`crate::scaffold`], like every import. [`export`] reads the folder or
//! `.zip`, [`text`] turns Slack's markup into Markdown.

mod cast;
pub mod export;
pub mod text;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use crate::import::Draft;
use crate::model::KeyMomentKind;
use crate::scaffold::{self, Answers, Moment, literal};
use cast::{AtIds, Cast, ProseNames};
use export::{Channel, Export, Message, User};

/// What the importer needs besides the export.
pub struct Request<'a> {
    /// The export's folder or `.zip`.
    pub export: &'a Path,
    /// The channel's name (`inc-checkout`, with or without `#`) or id.
    pub channel: &'a str,
    /// The write-up's zone; default UTC.
    pub timezone: Option<Tz>,
    /// The first and last days (in the write-up's zone) to read.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The reaction that marks a message for the timeline (`pushpin`).
    pub marker: &'a str,
    /// Name people by their role or a number, never by their name.
    pub anonymise: bool,
    pub title: Option<&'a str>,
    pub organization: Option<&'a str>,
}

/// A message kept, with its thread.
#[derive(Debug, Clone)]
struct Said {
    at: DateTime<Tz>,
    user: String,
    text: String,
    marked: bool,
    action: bool,
    replies: Vec<Said>,
}

/// Why messages were left out, for the draft's comment.
#[derive(Debug, Default)]
struct Left {
    joins: Vec<(String, DateTime<Tz>)>,
    bots: usize,
    edits: usize,
    other: usize,
}

/// Reads the export and writes the draft, or says what is wrong and where.
pub fn draft(req: &Request<'_>) -> Result<Draft, String> {
    let tz = req.timezone.unwrap_or(Tz::UTC);
    let mut ex = Export::open(req.export)?;
    let users: Vec<User> = ex
        .json("users.json")?
        .ok_or("the export has no users.json")?;
    let channels: Vec<Channel> = ex
        .json("channels.json")?
        .ok_or("the export has no channels.json (a direct-message export is not a channel)")?;
    let wanted = req.channel.trim_start_matches('#');
    let channel = channels
        .iter()
        .find(|c| c.name == wanted || c.id == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
            match crate::diagnostic::did_you_mean(wanted, names.iter().copied()) {
                Some(best) => {
                    format!("the export has no channel `{wanted}`: did you mean `{best}`?")
                }
                None => format!(
                    "the export has no channel `{wanted}`; it has {}",
                    names.join(", ")
                ),
            }
        })?
        .clone();
    let (said, left) = read_channel(&mut ex, &channel, &users, req, tz)?;
    let marked: Vec<&Said> = said
        .iter()
        .filter(|s| s.marked || s.replies.iter().any(|r| r.marked))
        .collect();
    if marked.len() < 2 {
        return Err(format!(
            "{} message{} of #{} {} pinned or carries :{}:, and a timeline needs at least its first and last moments; \
             pin the messages that matter (or react with :{}:, or choose another reaction with --marker) and export again",
            marked.len(),
            if marked.len() == 1 { "" } else { "s" },
            channel.name,
            if marked.len() == 1 { "is" } else { "are" },
            req.marker,
            req.marker
        ));
    }
    let cast = Cast::of(&said, &users, req.anonymise);
    let said: Vec<Said> = said.into_iter().map(|s| scrub(s, &cast)).collect();
    write(req, tz, &channel, &said, &left, &cast)
}

/// The messages of a channel that people wrote, threads under their parents, in time order.
fn read_channel(
    ex: &mut Export,
    channel: &Channel,
    users: &[User],
    req: &Request<'_>,
    tz: Tz,
) -> Result<(Vec<Said>, Left), String> {
    let days = ex.days(&channel.name);
    if days.is_empty() {
        return Err(format!(
            "the export has no messages of #{} (no {}/YYYY-MM-DD.json files)",
            channel.name, channel.name
        ));
    }
    let pins: HashSet<&str> = channel.pins.iter().map(|p| p.id.as_str()).collect();
    let bots: HashSet<&str> = users
        .iter()
        .filter(|u| u.is_bot || u.id == "USLACKBOT")
        .map(|u| u.id.as_str())
        .collect();
    let mut left = Left::default();
    let mut top: Vec<(String, Said)> = Vec::new();
    let mut replies: BTreeMap<String, Vec<Said>> = BTreeMap::new();
    for day in days {
        let name = format!("{}/{day}", channel.name);
        let messages: Vec<Message> = ex.json(&name)?.unwrap_or_default();
        for (i, m) in messages.into_iter().enumerate() {
            let at = export::instant(&m.ts)
                .ok_or_else(|| format!("{name}: `[{i}].ts`: `{}` is not a Slack timestamp", m.ts))?
                .with_timezone(&tz);
            let day = at.date_naive();
            if req.since.is_some_and(|s| day < s) || req.until.is_some_and(|u| day > u) {
                continue;
            }
            let Some(user) = kept(&m, at, &bots, &mut left) else {
                continue;
            };
            let lower = m.text.trim_start().to_lowercase();
            let action = m.reactions.iter().any(|r| r.name == "memo")
                || [
                    "action item",
                    "ai:",
                    "follow-up",
                    "follow up",
                    "followup",
                    "todo",
                ]
                .iter()
                .any(|p| lower.starts_with(p));
            let said = Said {
                at,
                user,
                marked: pins.contains(m.ts.as_str())
                    || m.pinned_to.contains(&channel.id)
                    || m.reactions.iter().any(|r| r.name == req.marker),
                action,
                text: m.text,
                replies: Vec::new(),
            };
            match m.thread_ts.filter(|t| *t != m.ts) {
                Some(parent) => replies.entry(parent).or_default().push(said),
                None => top.push((m.ts, said)),
            }
        }
    }
    let mut out: Vec<Said> = Vec::new();
    for (ts, mut said) in top {
        said.replies = replies.remove(&ts).unwrap_or_default();
        said.replies.sort_by_key(|r| r.at);
        out.push(said);
    }
    // Replies whose parent was left out (a bot's, or before --since) stand on their own.
    out.extend(replies.into_values().flatten());
    out.sort_by_key(|s| s.at);
    if out.is_empty() {
        return Err(format!(
            "#{} has no messages from people in the days read",
            channel.name
        ));
    }
    Ok((out, left))
}

/// The author of a message a person wrote; `None` for a join, a bot's
/// message, an edit event or anything else, counted in `left`.
fn kept(m: &Message, at: DateTime<Tz>, bots: &HashSet<&str>, left: &mut Left) -> Option<String> {
    match m.subtype.as_deref() {
        None | Some("thread_broadcast" | "file_share" | "me_message") => {}
        Some("channel_join") => {
            left.joins.extend(m.user.clone().map(|u| (u, at)));
            return None;
        }
        Some("bot_message") => {
            left.bots += 1;
            return None;
        }
        Some("message_changed" | "message_deleted") => {
            left.edits += 1;
            return None;
        }
        Some(_) => {
            left.other += 1;
            return None;
        }
    }
    let Some(user) = m.user.clone() else {
        left.other += 1;
        return None;
    };
    if m.bot_id.is_some() || bots.contains(user.as_str()) {
        left.bots += 1;
        return None;
    }
    Some(user)
}

/// A message and its thread with the members' names replaced (with `anonymise`).
fn scrub(mut said: Said, cast: &Cast) -> Said {
    said.text = cast.scrubbed(&said.text);
    said.replies = said.replies.into_iter().map(|r| scrub(r, cast)).collect();
    said
}

/// Writes the draft: the scaffold with the answers the channel gives, and the log.
fn write(
    req: &Request<'_>,
    tz: Tz,
    channel: &Channel,
    said: &[Said],
    left: &Left,
    cast: &Cast,
) -> Result<Draft, String> {
    let names = AtIds(cast);
    let timeline: Vec<&Said> = said
        .iter()
        .filter(|s| s.marked || s.replies.iter().any(|r| r.marked))
        .collect();
    let date = timeline[0].at.date_naive();
    let stamps = stamps(&timeline, date);
    let entry = |s: &Said| -> String {
        let mut out = format!("{}: {}", cast.at(&s.user), text::markdown(&s.text, &names));
        for r in &s.replies {
            let _ = write!(
                out,
                "\n  - {}, {}: {}",
                r.at.format("%H:%M"),
                cast.at(&r.user),
                text::markdown(&r.text, &names)
            );
        }
        out
    };
    let then: Vec<(String, String)> = timeline[1..timeline.len() - 1]
        .iter()
        .zip(&stamps[1..stamps.len() - 1])
        .map(|(s, t)| (t.clone(), entry(s)))
        .collect();
    let moments = vec![
        Moment {
            kind: KeyMomentKind::ImpactStart,
            time: stamps[0].clone(),
            what: entry(timeline[0]),
            then,
        },
        Moment {
            kind: KeyMomentKind::Resolved,
            time: stamps[stamps.len() - 1].clone(),
            what: entry(timeline[timeline.len() - 1]),
            then: Vec::new(),
        },
    ];
    let topic = |t: &Option<export::Text>| {
        t.as_ref()
            .map(|t| t.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let impact = topic(&channel.purpose)
        .or_else(|| topic(&channel.topic))
        .unwrap_or_default();
    let default_title =
        topic(&channel.topic).unwrap_or_else(|| format!("What happened in #{}", channel.name));
    let title = req.title.map_or(default_title, String::from);
    let organization = req
        .organization
        .unwrap_or(crate::skeleton::DEFAULT_ORGANIZATION);
    let answers = Answers {
        impact: text::plain(&impact, &ProseNames(cast)),
        summary: summary(channel, said, &timeline, cast, tz, req.marker),
        moments,
        cast: cast.scaffold(),
        narrative: analysis(channel, said, left, cast),
        actions: actions(said, cast),
    };
    let skeleton = scaffold::incident(&title, organization, tz.name(), date);
    let mut out = scaffold::with_answers(&skeleton, &answers);
    let note = format!(
        "# Imported from Slack, #{}: the timeline is the messages marked with a pin or :{}:.\n\
         # impact_start and resolved are the first and last of them: move them to when the\n\
         # impact began and ended, and add detected and mitigated where you know them.\n",
        channel.name, req.marker
    );
    out = out.replacen("[key_moments]\n", &format!("[key_moments]\n{note}"), 1);
    if !req.anonymise {
        let names = "\n# These are the names people go by in Slack: ask them before you publish,\n\
                     # or import again with --anonymise to name them by their roles.\n[[cast]]";
        out = out.replacen("\n[[cast]]", names, 1);
    }
    let log = log(said, &timeline, left, cast, &names, date);
    out = out.replacen(
        "\n## Investigation and analysis",
        &format!("\n{log}\n## Investigation and analysis"),
        1,
    );
    Ok(Draft {
        slug: crate::load::slugify(&channel.name),
        text: out,
    })
}

/// The stamps of the timeline's entries: `14:02` on the first day, with the
/// date after it, and with seconds where two entries share a minute (so
/// every key moment names one entry).
fn stamps(timeline: &[&Said], date: NaiveDate) -> Vec<String> {
    let minute = |s: &Said| s.at.format("%Y-%m-%d %H:%M").to_string();
    timeline
        .iter()
        .map(|s| {
            let shared = timeline.iter().filter(|o| minute(o) == minute(s)).count() > 1;
            let clock = if shared { "%H:%M:%S" } else { "%H:%M" };
            if s.at.date_naive() == date {
                s.at.format(clock).to_string()
            } else {
                s.at.format(&format!("%Y-%m-%d {clock}")).to_string()
            }
        })
        .collect()
}

/// The Summary: who worked the incident in the channel, when, and what was marked.
fn summary(
    channel: &Channel,
    said: &[Said],
    timeline: &[&Said],
    cast: &Cast,
    tz: Tz,
    marker: &str,
) -> String {
    let all: Vec<&Said> = said
        .iter()
        .flat_map(|s| std::iter::once(s).chain(&s.replies))
        .collect();
    let (first, last) = (
        all[0].at,
        all.iter().map(|s| s.at).max().unwrap_or(all[0].at),
    );
    let people: Vec<String> = cast.order.iter().map(|id| cast.name(id)).collect();
    let span = if first.date_naive() == last.date_naive() {
        format!(
            "on {}, from {} to {}",
            first.format("%B %-d, %Y"),
            first.format("%H:%M"),
            last.format("%H:%M")
        )
    } else {
        format!(
            "from {} to {}",
            first.format("%B %-d, %Y, %H:%M"),
            last.format("%B %-d, %H:%M")
        )
    };
    let text = format!(
        "{} worked on this incident in #{} {span} ({}): {}. They marked {} of their {} messages for the timeline (pinned, or with :{marker}:).",
        crate::edition::words::plural(people.len(), "person").replace("persons", "people"),
        channel.name,
        crate::load::incident::abbreviation(tz, first.date_naive()),
        list(&people),
        timeline.len(),
        all.len(),
    );
    literal(&escape_prose(&text))
}

/// Investigation and analysis, as far as the channel tells it: who was there, from when, as what.
fn analysis(channel: &Channel, said: &[Said], left: &Left, cast: &Cast) -> String {
    let first_words = |id: &String| {
        said.iter()
            .flat_map(|s| std::iter::once(s).chain(&s.replies))
            .filter(|s| &s.user == id)
            .map(|s| s.at)
            .min()
    };
    let mut out = format!(
        "<!-- What made the incident possible, and why did each decision make sense to the people making it at the time? \
         The threads in the log above show what they thought was going on. -->\n\nWho was in \\#{}:\n\n",
        channel.name
    );
    for id in &cast.order {
        let Some((_, name, role)) = cast.members.get(id) else {
            continue;
        };
        let role = role.as_ref().map(|r| format!(", {r}")).unwrap_or_default();
        let joined = left.joins.iter().find(|(u, _)| u == id).map(|(_, at)| at);
        let when = match (joined, first_words(id)) {
            (Some(j), Some(w)) => format!(
                "joined at {}, first wrote at {}",
                j.format("%H:%M"),
                w.format("%H:%M")
            ),
            (None, Some(w)) => format!("first wrote at {}", w.format("%H:%M")),
            (Some(j), None) => format!("joined at {}", j.format("%H:%M")),
            (None, None) => "mentioned, never wrote".to_string(),
        };
        let _ = writeln!(
            out,
            "- {}{}: {when}.",
            escape_prose(name),
            escape_prose(&role)
        );
    }
    out.trim_end().to_string()
}

/// The action items the channel named: messages that start "Action item", "AI:",
/// "Follow-up" or "TODO", or carry :memo:, each with who raised it and when.
fn actions(said: &[Said], cast: &Cast) -> Vec<String> {
    let names = ProseNames(cast);
    said.iter()
        .flat_map(|s| std::iter::once(s).chain(&s.replies))
        .filter(|s| s.action)
        .map(|s| {
            let text = s.text.trim_start();
            let cut = [
                "action item:",
                "action item",
                "ai:",
                "follow-up:",
                "follow up:",
                "followup:",
                "follow-up",
                "todo:",
                "todo",
            ]
            .iter()
            .find(|p| text.to_lowercase().starts_with(*p))
            .map_or(0, |p| p.len());
            let words = text::markdown(text[cut..].trim_start_matches([' ', ':', '-']), &names);
            let mut chars = words.chars();
            let words: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            literal(&format!(
                "{words} (raised by {} at {})",
                escape_prose(&cast.name(&s.user)),
                s.at.format("%H:%M")
            ))
        })
        .collect()
}

/// The log under the timeline: every kept message not in it, threads indented, in an HTML comment.
fn log(
    said: &[Said],
    timeline: &[&Said],
    left: &Left,
    cast: &Cast,
    names: &AtIds<'_>,
    date: NaiveDate,
) -> String {
    let mut out = String::from(
        "<!--\nThe rest of the channel, for you to pick from: copy what matters into the timeline\nabove as `- [HH:MM] ...`. Replies are indented under the message they answer.\n",
    );
    let plural = crate::edition::words::plural;
    let _ = writeln!(
        out,
        "Left out: {}, {}, {}, {}.\n",
        plural(left.joins.len(), "join"),
        plural(left.bots, "bot message"),
        plural(left.edits, "edit event"),
        plural(left.other, "other event"),
    );
    let line = |s: &Said, indent: &str| {
        let when = if s.at.date_naive() == date {
            s.at.format("%H:%M")
        } else {
            s.at.format("%Y-%m-%d %H:%M")
        };
        format!(
            "{indent}{when} {}: {}\n",
            cast.at(&s.user),
            text::plain(&s.text, names)
        )
    };
    for s in said
        .iter()
        .filter(|s| !timeline.iter().any(|t| std::ptr::eq(*t, *s)))
    {
        out.push_str(&line(s, ""));
        for r in &s.replies {
            out.push_str(&line(r, "    "));
        }
    }
    out.push_str("-->\n");
    out
}

/// "a", "a and b", "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Escapes what Markdown would read as markup in generated prose.
fn escape_prose(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_user_ids() {
        assert_eq!(
            cast::mentioned("<@U1> and <@U2|sam>, not <#C1>"),
            ["U1", "U2"]
        );
        assert_eq!(list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }

    #[test]
    fn stamps_carry_seconds_only_where_a_minute_is_shared() {
        let tz = Tz::UTC;
        let at = |ts: &str| Said {
            at: export::instant(ts).unwrap().with_timezone(&tz),
            user: "U1".into(),
            text: String::new(),
            marked: true,
            action: false,
            replies: Vec::new(),
        };
        let (a, b, c) = (at("1709647320.0"), at("1709647350.0"), at("1709733720.0"));
        let date = a.at.date_naive();
        assert_eq!(
            stamps(&[&a, &b, &c], date),
            ["14:02:00", "14:02:30", "2024-03-06 14:02"]
        );
    }
}
