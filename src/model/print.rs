//! The print kit as types: the papers, the flip edges and the print files
//! they give, parsed once from `[print]` (and the command line) and never
//! compared as strings again.

use serde::{Deserialize, Serialize};

/// A sheet of paper, landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    Letter,
    A4,
}

impl Paper {
    /// Every paper, in the order pir publishes them by default.
    pub const ALL: [Paper; 2] = [Paper::Letter, Paper::A4];

    /// Width and height in points, landscape.
    pub fn size(self) -> (f64, f64) {
        match self {
            Paper::Letter => (792.0, 612.0),
            Paper::A4 => (841.89, 595.28),
        }
    }

    /// The paper's name in file names and settings (`letter`, `a4`).
    pub fn slug(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        }
    }

    /// The paper a settings name stands for.
    pub fn from_slug(slug: &str) -> Option<Paper> {
        Paper::ALL.into_iter().find(|p| p.slug() == slug)
    }

    /// Whether pages are scaled (from half-letter) to fit it, and so trimmed at the fore-edge.
    pub fn scaled(self) -> bool {
        self == Paper::A4
    }
}

/// How the printer turns the sheet for its second side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Duplex {
    /// Flip on the short edge: backs print upright (the default).
    ShortEdge,
    /// Flip on the long edge: backs are turned 180 degrees so they come out upright.
    LongEdge,
}

impl Duplex {
    /// Every flip edge, in the order pir publishes them by default.
    pub const ALL: [Duplex; 2] = [Duplex::ShortEdge, Duplex::LongEdge];

    /// The flip edge's name in file names and settings (`short-edge`).
    pub fn slug(self) -> &'static str {
        match self {
            Duplex::ShortEdge => "short-edge",
            Duplex::LongEdge => "long-edge",
        }
    }

    /// The flip edge a settings name stands for.
    pub fn from_slug(slug: &str) -> Option<Duplex> {
        Duplex::ALL.into_iter().find(|d| d.slug() == slug)
    }
}

/// One print file of a document: its paper and, for a booklet, the edge the
/// printer flips on (a mini zine prints on one side only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Variant {
    pub paper: Paper,
    pub duplex: Option<Duplex>,
}

impl Variant {
    /// The end of the print PDF's file name: `print-letter-short-edge`, `print-a4`.
    pub fn suffix(self) -> String {
        match self.duplex {
            Some(d) => format!("print-{}-{}", self.paper.slug(), d.slug()),
            None => format!("print-{}", self.paper.slug()),
        }
    }
}

/// Which print PDFs are published and how they are imposed, from `[print]` in `zine.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Print {
    /// The papers to publish print PDFs for, the default first.
    pub papers: Vec<Paper>,
    /// The flip edges to publish booklets for, the default first.
    pub duplexes: Vec<Duplex>,
    /// Points each inner sheet is shifted toward the spine.
    pub creep: f64,
    /// Trim marks on the scaled (A4) booklets.
    pub crop_marks: bool,
}

impl Default for Print {
    fn default() -> Self {
        Print {
            papers: Paper::ALL.to_vec(),
            duplexes: Duplex::ALL.to_vec(),
            creep: 0.0,
            crop_marks: false,
        }
    }
}

/// Why crop marks need a scaled paper: said by the settings check and by `--crop-marks` alike.
pub const CROP_MARKS_NEED_SCALING: &str = "only A4 booklets are scaled and trimmed";

impl Print {
    /// Whether any published paper is scaled, so that crop marks have something to mark.
    pub fn trims(&self) -> bool {
        self.papers.iter().any(|p| p.scaled())
    }

    /// The default print file: the first paper, and for a booklet the first flip edge.
    pub fn default_variant(&self, mini: bool) -> Variant {
        Variant {
            paper: self.papers.first().copied().unwrap_or(Paper::Letter),
            duplex: (!mini).then(|| self.duplexes.first().copied().unwrap_or(Duplex::ShortEdge)),
        }
    }
}
