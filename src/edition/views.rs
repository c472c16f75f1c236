//! The views every output shares: what the site's pages and the email
//! both show of a piece and of an incident, built once from the model.
//!
//! Views hold words and facts, never rendered markup: each writer renders
//! the body itself (the site with its page ids, the email with absolute
//! links) and lays the views out in its own templates.

use serde::Serialize;

use crate::edition::incident;
use crate::model::{Incident, Piece};

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
