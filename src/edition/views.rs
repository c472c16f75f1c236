//! The views every output shares: what the site's pages and the email
//! both show of a piece and of an incident, built once from the model.
//!
//! Views hold words and facts, never rendered markup: each writer renders
//! the body itself (the site with its page ids, the email with absolute
//! links) and lays the views out in its own templates.

use serde::Serialize;

use crate::edition::{incident, words};
use crate::model::{Incident, Issue, Piece};

/// What the site's pages and the email edition both show of a piece, above its body;
/// flattened into their piece views, so templates read `piece.title`, `p.kicker`...
#[derive(Serialize)]
pub struct PieceHead {
    /// Its kind's name (`incident`, `feature`, `back-cover`...).
    pub kind: &'static str,
    /// The label above its title ("Featured post-incident report").
    pub kicker: &'static str,
    pub title: String,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub credit: Option<String>,
    pub summary: Option<String>,
    /// "Draft" or "In review" for a piece that is not final (only a preview or `--drafts` shows one).
    pub stage: Option<&'static str>,
    /// Questions for readers to discuss, after the piece.
    pub questions: Vec<String>,
}

impl PieceHead {
    /// The head of a piece.
    pub fn of(piece: &Piece) -> PieceHead {
        PieceHead {
            kind: piece.kind.name(),
            kicker: piece.kind.kicker(),
            title: piece.title.clone(),
            subtitle: piece.subtitle.clone(),
            byline: piece.byline.clone(),
            credit: piece.credit.clone(),
            summary: piece.summary.clone(),
            stage: piece.status.mark(),
            questions: piece.questions.clone(),
        }
    }
}

/// A label and its value: a fact of an incident, a row of a cast member's entry.
#[derive(Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A cast member of an incident, with the rows of their entry.
#[derive(Serialize)]
pub struct CastMember {
    pub name: String,
    pub role: Option<String>,
    /// Goals, worries, and what they saw, heard and felt at each key moment.
    pub rows: Vec<Fact>,
}

/// What every output says of an issue: its number and title, dates in words, editors.
#[derive(Serialize)]
pub struct IssueHead {
    pub number: u32,
    pub title: String,
    /// "Issue 3: Title", or "Issue 3" when the title is just that.
    pub heading: String,
    /// The folder name, used in URLs.
    pub slug: String,
    /// "March 2020".
    pub month: String,
    /// "2020-03-01".
    pub date: String,
    pub summary: Option<String>,
    pub editors: Vec<String>,
    pub next_issue: Option<NextIssue>,
}

/// The issue announced after this one.
#[derive(Serialize)]
pub struct NextIssue {
    pub number: u32,
    /// "April 27, 2020".
    pub date: String,
}

impl IssueHead {
    /// The head of an issue.
    pub fn of(issue: &Issue) -> IssueHead {
        let number = issue.number.value;
        IssueHead {
            number,
            title: issue.title.clone(),
            heading: words::issue_heading(number, &issue.title),
            slug: issue.slug.clone(),
            month: words::month(issue.date.value),
            date: issue.date.value.to_string(),
            summary: issue.summary.clone(),
            editors: issue.editors.clone(),
            next_issue: issue.next_issue.as_ref().map(|n| NextIssue {
                number: n.number.value,
                date: words::long_date(n.date.value),
            }),
        }
    }
}

/// Label and value pairs as named facts.
pub fn facts(rows: Vec<(String, String)>) -> Vec<Fact> {
    rows.into_iter()
        .map(|(label, value)| Fact { label, value })
        .collect()
}

/// An incident's "at a glance" rows as named facts.
pub fn glance(incident: &Incident) -> Vec<Fact> {
    facts(incident::glance(incident))
}

/// An incident's cast, each member's rows as named facts.
pub fn cast_members(incident: &Incident) -> Vec<CastMember> {
    incident::cast_data(incident)
        .into_iter()
        .map(|c| CastMember {
            name: c.name,
            role: c.role,
            rows: facts(c.rows),
        })
        .collect()
}
