//! What typesetting gave: each document's pages, sheets, sizes and print
//! files, and the rows that list them, worded once for the printing page's
//! PDF and the site's printing table.

use serde::{Deserialize, Serialize};

use super::ids::DocId;
use super::words;
use crate::model::Variant;

/// One document's share of the output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocOutput {
    pub doc: DocId,
    pub title: String,
    pub pages: usize,
    pub pdf_bytes: usize,
    /// Sheets of paper the print PDF needs.
    pub sheets: usize,
    /// The largest print PDF's size.
    pub print_bytes: usize,
    /// Every print PDF of the document, the default first.
    pub prints: Vec<Variant>,
    /// The page each piece starts on, in order (empty in a record from before pir kept it).
    #[serde(default)]
    pub starts: Vec<usize>,
}

impl DocOutput {
    /// The default print PDF's file name, if any print file was made.
    pub fn print_file(&self) -> Option<String> {
        self.prints.first().map(|v| self.doc.print_file(*v))
    }
}

/// One print file, as the printing page's table lists it.
#[derive(Debug, Serialize, Clone)]
pub struct PrintRow {
    pub title: String,
    /// The print PDF's file name.
    pub file: String,
    /// Where the file is in the output folder.
    #[serde(skip)]
    pub path: std::path::PathBuf,
    /// "Letter" or "A4".
    pub paper: String,
    /// "flip on the short edge", or "one side only".
    pub duplex: String,
    pub pages: usize,
    pub sheets: usize,
}

/// Every print file of these documents, in order, as rows.
pub fn print_rows(docs: &[DocOutput]) -> Vec<PrintRow> {
    docs.iter()
        .flat_map(|d| {
            d.prints.iter().map(move |&v| PrintRow {
                title: d.title.clone(),
                file: d.doc.print_file(v),
                path: d.doc.print_pdf(v),
                paper: words::paper(v.paper).into(),
                duplex: words::sides(v.duplex),
                pages: d.pages,
                sheets: d.sheets,
            })
        })
        .collect()
}
