//! The questions of `pir new incident --interactive`, in the order a write-up
//! needs them, each answer checked as it is given.
//!
//! On a terminal the questions are asked with `dialoguer` (line editing with
//! the arrow keys, Home and End, and a history of earlier answers on Up and
//! Down); a wrong answer is explained under the prompt and asked again.
//! From a pipe, each line answers one question, and a wrong one is explained
//! on stderr and the next line is read instead. Nothing is written until the
//! last answer: Ctrl-C (which ends pir) or the end of the input leaves the
//! project as it was.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Result, bail};
use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use pir::load::timeline::{Resolved, Stamp, parse_stamp, resolve};
use pir::load::{is_slug, slugify};
use pir::model::KeyMomentKind;
use pir::scaffold::{Answers, Member, Moment, Senses, literal};

/// A check of one answer: `Err` says what is wrong and how to write it.
type Check<'c> = &'c dyn Fn(&str) -> Result<(), String>;

/// Accepts any answer, an empty one too.
fn anything(_: &str) -> Result<(), String> {
    Ok(())
}

/// Refuses an empty answer.
fn required(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Err("this one is needed; type an answer".into())
    } else {
        Ok(())
    }
}

/// Where the questions are asked and the answers come from.
pub trait Asker {
    /// Asks one question until its answer passes `check`; `default` is taken for an empty answer.
    fn ask(&mut self, prompt: &str, default: Option<&str>, check: Check<'_>) -> Result<String>;
    /// Tells the writer something between questions.
    fn say(&mut self, text: &str) -> Result<()>;
}

/// Questions on a terminal, with line editing and history.
pub struct Terminal {
    theme: dialoguer::theme::ColorfulTheme,
    history: dialoguer::BasicHistory,
}

impl Terminal {
    /// A terminal asker, if both stdin and stderr are terminals.
    pub fn open() -> Option<Self> {
        (std::io::stdin().is_terminal() && std::io::stderr().is_terminal()).then(|| Terminal {
            theme: dialoguer::theme::ColorfulTheme::default(),
            history: dialoguer::BasicHistory::new()
                .max_entries(100)
                .no_duplicates(true),
        })
    }
}

impl Asker for Terminal {
    /// Asks with dialoguer; its validator shows the problem and keeps the line to edit.
    fn ask(&mut self, prompt: &str, default: Option<&str>, check: Check<'_>) -> Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(true)
            .history_with(&mut self.history)
            .validate_with(|s: &String| check(s.trim()));
        if let Some(d) = default {
            input = input.default(d.to_string());
        }
        Ok(input.interact_text()?.trim().to_string())
    }

    /// Prints a line on stderr.
    fn say(&mut self, text: &str) -> Result<()> {
        Ok(writeln!(std::io::stderr(), "{text}")?)
    }
}

/// Questions answered line by line from a pipe.
pub struct Lines<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl<'a> Lines<'a> {
    /// Reads answers from `input` and writes the questions to `out`.
    pub fn new(input: &'a mut dyn BufRead, out: &'a mut dyn Write) -> Self {
        Lines { input, out }
    }
}

impl Asker for Lines<'_> {
    /// Reads lines until one passes `check`; the end of the input counts as an empty answer.
    fn ask(&mut self, prompt: &str, default: Option<&str>, check: Check<'_>) -> Result<String> {
        loop {
            match default {
                Some(d) => write!(self.out, "{prompt} [{d}]\n> ")?,
                None => write!(self.out, "{prompt}\n> ")?,
            }
            self.out.flush()?;
            let mut line = String::new();
            let ended = self.input.read_line(&mut line)? == 0;
            let mut answer = line.trim().to_string();
            if answer.is_empty()
                && let Some(d) = default
            {
                answer = d.to_string();
            }
            match check(&answer) {
                Ok(()) => return Ok(answer),
                Err(why) if ended => {
                    bail!(
                        "the input ended at a question that needs an answer ({prompt}: {why}); nothing was written"
                    )
                }
                Err(why) => writeln!(self.out, "  {why}")?,
            }
        }
    }

    /// Writes a line to the question stream.
    fn say(&mut self, text: &str) -> Result<()> {
        Ok(writeln!(self.out, "{text}")?)
    }
}

/// The front matter a write-up starts from; the interview may change each.
pub struct Start {
    pub title: String,
    pub organization: String,
    pub timezone: String,
    pub date: NaiveDate,
}

/// Asks every question a write-up needs, in the order of the write-up.
pub fn interview(ask: &mut dyn Asker, start: &mut Start) -> Result<Answers> {
    ask.say(
        "Answer each question and press Enter. An empty answer takes the value shown, or skips a question \
         that can wait. Ctrl-C stops and writes nothing.",
    )?;
    start.title = ask.ask("Title of the write-up", Some(&start.title), &required)?;
    start.organization = ask.ask(
        "Organization where it happened",
        Some(&start.organization),
        &required,
    )?;
    start.timezone = ask.ask(
        "Time zone the timeline is written in (an IANA name such as Europe/Berlin)",
        Some(&start.timezone),
        &|z| zone(z).map(|_| ()),
    )?;
    let tz = zone(&start.timezone).expect("checked");
    let date = ask.ask(
        "Date the incident started (YYYY-MM-DD)",
        Some(&start.date.to_string()),
        &|d| pir::load::fields::parse_date(d).map(|_| ()),
    )?;
    start.date = pir::load::fields::parse_date(&date).expect("checked");
    let mut answers = Answers {
        impact: ask.ask(
            "Impact in one sentence: who was affected, how, and for how long",
            None,
            &required,
        )?,
        summary: literal(&ask.ask(
            "Summary: what happened, to whom, and what it cost, in one paragraph",
            None,
            &anything,
        )?),
        ..Answers::default()
    };
    ask.say(&format!(
        "Key moments, in {}: a time such as 14:02, or a date and time such as {} 00:12 once the story crosses midnight.",
        start.timezone,
        start.date.succ_opt().unwrap_or(start.date)
    ))?;
    let mut last: Option<DateTime<FixedOffset>> = None;
    for kind in KeyMomentKind::ALL {
        let optional = matches!(kind, KeyMomentKind::Detected | KeyMomentKind::Mitigated);
        let question = match kind {
            KeyMomentKind::ImpactStart => "When did the impact start?",
            KeyMomentKind::Detected => "When did you notice (Enter if you do not know)?",
            KeyMomentKind::Mitigated => "When did the impact stop or ease (Enter to skip)?",
            KeyMomentKind::Resolved => "When was it resolved?",
        };
        let check = |t: &str| {
            if t.is_empty() && optional {
                return Ok(());
            }
            moment_time(t, start.date, tz, last).map(|_| ())
        };
        let time = ask.ask(&format!("[{}] {question}", kind.key()), None, &check)?;
        if time.is_empty() {
            continue;
        }
        last = Some(moment_time(&time, start.date, tz, last).expect("checked"));
        let what = ask.ask(&format!("What happened at {time}?"), None, &required)?;
        let then = if kind == KeyMomentKind::Resolved {
            Vec::new()
        } else {
            between(ask, &time, start.date, tz, &mut last)?
        };
        answers.moments.push(Moment {
            kind,
            time,
            what,
            then,
        });
    }
    answers.cast = cast(ask, &answers.moments)?;
    answers.narrative = literal(&ask.ask(
        "[first-person] Tell one moment in the first person, as someone who was there (one paragraph)",
        None,
        &anything,
    )?);
    loop {
        let n = answers.actions.len() + 1;
        let item = ask.ask(
            &format!("Action item {n}: what will you change, and why would it have helped? (Enter ends the list)"),
            None,
            &anything,
        )?;
        if item.is_empty() {
            break;
        }
        answers.actions.push(literal(&item));
    }
    Ok(answers)
}

/// Asks for the ordinary timeline entries after the key moment at `after`,
/// one a line (`14:05 The pager fires`), until an empty answer; each must
/// come after the one before, and the next key moment after them.
fn between(
    ask: &mut dyn Asker,
    after: &str,
    date: NaiveDate,
    tz: Tz,
    last: &mut Option<DateTime<FixedOffset>>,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    loop {
        let check = |line: &str| {
            if line.is_empty() {
                return Ok(());
            }
            let (time, what) = entry_line(line)?;
            moment_time(time, date, tz, *last).map(|_| ())?;
            if what.is_empty() {
                return Err(format!("say what happened at {time}, after the time"));
            }
            Ok(())
        };
        let prompt = match out.last() {
            None => format!(
                "[timeline] Anything else after {after}? A time, then what happened (Enter for nothing)"
            ),
            Some((t, _)) => {
                format!("[timeline] And after {t}? (Enter when the next key moment comes)")
            }
        };
        let line = ask.ask(&prompt, None, &check)?;
        if line.is_empty() {
            return Ok(out);
        }
        let (time, what) = entry_line(&line).expect("checked");
        *last = Some(moment_time(time, date, tz, *last).expect("checked"));
        out.push((time.to_string(), literal(what)));
    }
}

/// Splits `14:05 The pager fires` (or `2024-01-18 00:12 ...`) into its time and what happened.
fn entry_line(line: &str) -> Result<(&str, &str), String> {
    let line = line.trim();
    let first = line.split_whitespace().next().unwrap_or("");
    let dated = first.len() == 10 && first.as_bytes().get(4) == Some(&b'-');
    let cut = line
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .nth(usize::from(dated))
        .unwrap_or(line.len());
    let (time, what) = line.split_at(cut);
    if time.is_empty() || !time.contains(':') {
        return Err("start with the time, such as 14:05, then say what happened".into());
    }
    Ok((time, what.trim()))
}

/// Asks for the people of the story, one at a time, and what each went through.
fn cast(ask: &mut dyn Asker, moments: &[Moment]) -> Result<Vec<Member>> {
    let mut cast: Vec<Member> = Vec::new();
    loop {
        let taken: Vec<String> = cast.iter().map(|m| m.id.clone()).collect();
        let who = ask.ask(
            "[cast] Who is in the story? `id: Name, role`, such as `oncall: Sam Lee, on-call engineer` (Enter ends the cast)",
            None,
            &|t| member(t, &taken).map(|_| ()),
        )?;
        if who.is_empty() {
            return Ok(cast);
        }
        let (id, name, role) = member(&who, &taken).expect("checked");
        let goals = ask.ask(
            &format!("[goals] What was {name} trying to do?"),
            None,
            &anything,
        )?;
        let worries = ask.ask(&format!("[worries] What worried {name}?"), None, &anything)?;
        let mut senses: Vec<(KeyMomentKind, Senses)> = Vec::new();
        loop {
            let open: Vec<&str> = moments
                .iter()
                .map(|m| m.kind.key())
                .filter(|k| !senses.iter().any(|(s, _)| s.key() == *k))
                .collect();
            if open.is_empty() {
                break;
            }
            let list = open.join(", ");
            let which = ask.ask(
                &format!("[senses] A key moment {name} remembers ({list}; Enter for none)"),
                None,
                &|t| {
                    if t.is_empty() || open.contains(&t) {
                        Ok(())
                    } else {
                        Err(format!("write one of: {list}"))
                    }
                },
            )?;
            let Some(kind) = KeyMomentKind::ALL.into_iter().find(|k| k.key() == which) else {
                break;
            };
            let at = moments
                .iter()
                .find(|m| m.kind == kind)
                .map_or("", |m| m.time.as_str());
            let s = Senses {
                saw: ask.ask(&format!("At {at}, what did {name} see?"), None, &anything)?,
                heard: ask.ask(&format!("At {at}, what did {name} hear?"), None, &anything)?,
                felt: ask.ask(&format!("At {at}, how did {name} feel?"), None, &anything)?,
            };
            senses.push((kind, s));
        }
        cast.push(Member {
            id,
            name,
            role,
            goals,
            worries,
            moments: senses,
        });
    }
}

/// A zone pir knows, or what to write instead.
fn zone(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>()
        .map_err(|_| match pir::load::zones::explain(text, None) {
            Some((hint, _)) => format!("`{text}` is not a time zone pir knows: {hint}"),
            None => format!(
                "`{text}` is not a time zone pir knows: write an IANA name such as America/Chicago"
            ),
        })
}

/// Reads a key moment's time and checks that it comes after the one before.
fn moment_time(
    text: &str,
    date: NaiveDate,
    tz: Tz,
    last: Option<DateTime<FixedOffset>>,
) -> Result<DateTime<FixedOffset>, String> {
    let stamp = parse_stamp(text).map_err(|e| format!("{}: {}", e.message, e.hint))?;
    if stamp.end.is_some() {
        return Err("a key moment is one time, not a range".into());
    }
    if stamp.zone.is_some() {
        return Err(format!(
            "write the time as a clock in {tz} showed it, without a zone"
        ));
    }
    let at = match resolve(stamp.start, date, tz) {
        Resolved::Exact(at) | Resolved::Ambiguous(at) => at,
        Resolved::Skipped => {
            return Err(format!(
                "{text} does not exist in {tz} that day (the clocks skip it)"
            ));
        }
    };
    if let Some(last) = last.filter(|l| at < *l) {
        let hint = match stamp.start {
            Stamp::Time(t) => format!(
                "; after midnight, write the date too: {} {}",
                last.date_naive().succ_opt().unwrap_or(date),
                t.format("%H:%M")
            ),
            Stamp::DateTime(_) => String::new(),
        };
        return Err(format!(
            "{text} is before the moment before it ({}){hint}",
            last.format("%Y-%m-%d %H:%M")
        ));
    }
    Ok(at)
}

/// Reads `id: Name, role`; an answer without the id is refused with one made from the name.
fn member(text: &str, taken: &[String]) -> Result<(String, String, String), String> {
    if text.is_empty() {
        return Ok(Default::default());
    }
    let Some((id, rest)) = text.split_once(':') else {
        let (name, role) = text.split_once(',').unwrap_or((text, ""));
        let first = name.split_whitespace().next().unwrap_or("someone");
        let role = if role.trim().is_empty() {
            String::new()
        } else {
            format!(", {}", role.trim())
        };
        return Err(format!(
            "give them an id first, the name the timeline uses after @: `{}: {}{role}`",
            slugify(first),
            name.trim()
        ));
    };
    let id = id.trim();
    if !is_slug(id) {
        return Err(format!(
            "`{id}` cannot follow @ in a timeline; try `{}` (lowercase letters, digits and hyphens)",
            slugify(id)
        ));
    }
    if taken.iter().any(|t| t == id) {
        return Err(format!(
            "`{id}` is already in the cast; give each person their own id"
        ));
    }
    let (name, role) = rest.split_once(',').unwrap_or((rest, ""));
    if name.trim().is_empty() {
        return Err(format!("write a name after `{id}:`"));
    }
    Ok((
        id.to_string(),
        name.trim().to_string(),
        role.trim().to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_without_an_id_gets_one_made_from_it() {
        let err = member("Priya Raman, incident commander", &[]).unwrap_err();
        assert!(
            err.contains("`priya: Priya Raman, incident commander`"),
            "{err}"
        );
        assert_eq!(
            member("priya: Priya Raman, incident commander", &[]).unwrap(),
            (
                "priya".into(),
                "Priya Raman".into(),
                "incident commander".into()
            )
        );
        assert!(
            member("priya: Someone", &["priya".into()])
                .unwrap_err()
                .contains("already")
        );
    }

    #[test]
    fn a_time_after_midnight_needs_its_date() {
        let date = NaiveDate::from_ymd_opt(2024, 1, 17).unwrap();
        let tz: Tz = "UTC".parse().unwrap();
        let first = moment_time("23:50", date, tz, None).unwrap();
        let err = moment_time("00:12", date, tz, Some(first)).unwrap_err();
        assert!(
            err.contains("write the date too: 2024-01-18 00:12"),
            "{err}"
        );
        assert!(moment_time("2024-01-18 00:12", date, tz, Some(first)).is_ok());
        assert!(moment_time("24:10", date, tz, None).is_err());
    }
}
