//! The issue's data as the template sees it (`/data.json`).
//!
//! Everything is formatted here, once, in words readers see ("March 2020",
//! "1 h 13 min"), so the template only lays out and the site can say the
//! same things the same way.

use serde::Serialize;

use crate::edition::output::PrintRow;
use crate::edition::{DocId, IssueId, words};
use crate::model::{Incident, Issue, Piece, Pocket, Project, Site};
use crate::render::svg;

/// The root of `/data.json`.
#[derive(Serialize)]
pub struct Data<'a> {
    pub site: &'a Site,
    pub issue: IssueData,
    pub pieces: Vec<PieceData>,
    pub generator: String,
}

/// The issue, with its dates in words.
#[derive(Serialize)]
pub struct IssueData {
    pub number: u32,
    pub title: String,
    pub date: String,
    pub year: i32,
    pub month_number: u32,
    pub day: u32,
    /// "March 2020".
    pub month: String,
    pub editors: Vec<String>,
    pub summary: Option<String>,
    pub planned_pages: Option<u32>,
    pub next_issue: Option<NextData>,
}

/// The next issue's announcement.
#[derive(Serialize)]
pub struct NextData {
    pub number: u32,
    /// "April 27, 2020".
    pub date: String,
}

/// One piece's metadata; its body is a separate markup file.
#[derive(Serialize)]
pub struct PieceData {
    pub slug: String,
    pub kind: &'static str,
    pub kicker: &'static str,
    pub title: String,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub credit: Option<String>,
    /// "Draft" or "In review" for a piece that is not final.
    pub stage: Option<&'static str>,
    /// Questions for readers, printed after the piece with lines to write on.
    pub questions: Vec<String>,
    pub image: Option<ImageData>,
    pub incident: Option<IncidentData>,
}

/// An illustration's drawing.
#[derive(Serialize)]
pub struct ImageData {
    pub path: String,
    pub alt: String,
}

/// What the template shows of an incident.
#[derive(Serialize)]
pub struct IncidentData {
    pub organization: String,
    pub tz_abbreviation: String,
    /// Label and value rows of the "at a glance" box.
    pub glance: Vec<(String, String)>,
    pub svg: String,
    pub svg_alt: String,
    pub entries: Vec<EntryData>,
    pub cast: Vec<CastData>,
}

pub use crate::edition::incident::{CastData, EntryTimes as EntryData, cast_data, glance};

/// Builds the data of one issue.
pub fn issue_data<'a>(project: &'a Project, issue: &Issue) -> Data<'a> {
    use chrono::Datelike;
    let d = issue.date.value;
    Data {
        site: &project.site,
        issue: IssueData {
            number: issue.number.value,
            title: issue.title.clone(),
            date: d.to_string(),
            year: d.year(),
            month_number: d.month(),
            day: d.day(),
            month: words::month(d),
            editors: issue.editors.clone(),
            summary: issue.summary.clone(),
            planned_pages: issue.pages,
            next_issue: issue.next_issue.as_ref().map(|n| NextData {
                number: n.number.value,
                date: words::long_date(n.date.value),
            }),
        },
        pieces: issue
            .pieces
            .iter()
            .map(|p| piece_data(&IssueId::of(issue).folder(), p))
            .collect(),
        generator: format!("pir {}", env!("CARGO_PKG_VERSION")),
    }
}

/// The root of a pocket zine's `/data.json`.
#[derive(Serialize)]
pub struct PocketData<'a> {
    pub site: &'a Site,
    pub pocket: PocketInfo,
    pub pieces: Vec<PieceData>,
    pub generator: String,
}

/// A pocket zine's title and date.
#[derive(Serialize)]
pub struct PocketInfo {
    pub title: String,
    pub summary: Option<String>,
    pub year: i32,
    pub month_number: u32,
    pub day: u32,
    pub month: String,
}

/// Builds the data of a pocket zine.
pub fn pocket_data<'a>(project: &'a Project, pocket: &Pocket) -> PocketData<'a> {
    use chrono::Datelike;
    let d = pocket.date.value;
    let dir = DocId::pocket(pocket).folder();
    PocketData {
        site: &project.site,
        pocket: PocketInfo {
            title: pocket.title.clone(),
            summary: pocket.summary.clone(),
            year: d.year(),
            month_number: d.month(),
            day: d.day(),
            month: words::month(d),
        },
        pieces: pocket.pieces.iter().map(|p| piece_data(&dir, p)).collect(),
        generator: format!("pir {}", env!("CARGO_PKG_VERSION")),
    }
}

/// Builds the data of one piece; `dir` is its folder in the project.
fn piece_data(dir: &std::path::Path, p: &Piece) -> PieceData {
    PieceData {
        slug: p.slug.clone(),
        kind: p.kind.name(),
        kicker: p.kind.kicker(),
        title: p.title.clone(),
        subtitle: p.subtitle.clone(),
        byline: p.byline.clone(),
        credit: p.credit.clone(),
        stage: p.status.mark(),
        questions: p.questions.clone(),
        image: p.image.as_ref().map(|i| ImageData {
            path: format!("/{}/{}", crate::diagnostic::display_path(dir), i.path),
            alt: i.alt.clone(),
        }),
        incident: p.incident.as_ref().map(|i| incident_data(&p.slug, i)),
    }
}

/// The "at a glance" rows and the timeline's times.
fn incident_data(slug: &str, i: &Incident) -> IncidentData {
    let glance = glance(i);
    IncidentData {
        organization: i.organization.clone(),
        tz_abbreviation: i.timezone_abbreviation.clone(),
        glance,
        svg: format!("/timelines/{slug}.svg"),
        svg_alt: svg::description(i),
        cast: cast_data(i),
        entries: i
            .timeline
            .iter()
            .map(|e| crate::edition::incident::entry_times(i, e))
            .collect(),
    }
}

/// The root of the printing page's `/data.json`.
#[derive(Serialize)]
pub struct PrintingData<'a> {
    pub site: &'a Site,
    pub year: i32,
    pub month_number: u32,
    pub day: u32,
    pub documents: &'a [PrintRow],
    pub pieces: Vec<PieceData>,
}

/// Builds the data of the printing page, dated by the newest document.
pub fn printing_data<'a>(
    project: &'a Project,
    pieces: &[Piece],
    documents: &'a [PrintRow],
    date: chrono::NaiveDate,
) -> PrintingData<'a> {
    use chrono::Datelike;
    let folder = std::path::Path::new(crate::files::TEMPLATES);
    let pieces = pieces.iter().map(|p| piece_data(folder, p)).collect();
    PrintingData {
        site: &project.site,
        year: date.year(),
        month_number: date.month(),
        day: date.day(),
        documents,
        pieces,
    }
}
