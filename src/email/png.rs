//! The issue's drawings as PNG for email: mail clients drop SVG.
//!
//! The timeline chart of each incident, an illustration's drawing and any
//! SVG image in a piece's body are rasterised with resvg at twice their
//! shown size (sharp on high-density screens), on white, so that line art
//! stays visible when a client darkens the page. Fonts come from the
//! embedded set, never the system's, so the pixels are the same on every
//! machine. Rasterising is the slow part of the edition, so each PNG carries
//! a key of what it was drawn from (a `tEXt` chunk: a hash of the SVG, the
//! size and pir's version), and a build takes the previous output's PNG
//! when its key still matches.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::edition::{IssueId, ids};
use crate::model::{Issue, Project};
use crate::render::svg;
use crate::render::typst::world::FONT_FILES;

/// The widest an image is shown: the 600 px column less its padding.
pub const COLUMN: u32 = 552;

/// A drawing rendered for the email.
pub struct Figure {
    /// The piece it belongs to.
    pub piece: String,
    /// For an image in the piece's body: its path as written; `None` for the chart and the drawing.
    pub source: Option<String>,
    /// Whether it is the incident's timeline chart.
    pub chart: bool,
    /// Where the PNG goes in the output folder.
    pub path: PathBuf,
    /// Its absolute URL once published.
    pub url: String,
    pub png: Vec<u8>,
    /// The size it is shown at, in CSS pixels.
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// The embedded fonts, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for (_, bytes) in FONT_FILES {
            db.load_font_data(bytes.to_vec());
        }
        db.set_serif_family("Charis SIL");
        db.set_sans_serif_family("League Spartan");
        db.set_monospace_family("JetBrains Mono");
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document to fit `max_width` CSS pixels (to fill it, if `fill`):
/// (PNG bytes, shown width, shown height).
pub fn rasterise(svg: &[u8], max_width: u32, fill: bool) -> Result<(Vec<u8>, u32, u32), String> {
    draw(svg, max_width, fill, None)
}

/// Rasterises as [`rasterise`] does, recording `key` in the PNG if given.
fn draw(
    svg: &[u8],
    max_width: u32,
    fill: bool,
    key: Option<&str>,
) -> Result<(Vec<u8>, u32, u32), String> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_data(svg, &options).map_err(|e| format!("the SVG cannot be read: {e}"))?;
    let size = tree.size();
    let shown_w = if fill {
        max_width
    } else {
        (size.width().ceil() as u32).clamp(1, max_width)
    };
    let shown_h = ((size.height() * shown_w as f32 / size.width()).round() as u32).max(1);
    let scale = 2.0 * shown_w as f32 / size.width();
    let mut pixmap =
        tiny_skia::Pixmap::new(shown_w * 2, shown_h * 2).ok_or("the SVG has no area")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = encode(pixmap, key).map_err(|e| format!("the PNG cannot be written: {e}"))?;
    Ok((png, shown_w, shown_h))
}

/// Encodes a drawing as tiny-skia's own `encode_png` does (alpha no longer
/// premultiplied, RGBA at 8 bits), with `key` recorded in a `tEXt` chunk by
/// the png crate.
fn encode(pixmap: tiny_skia::Pixmap, key: Option<&str>) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let data = pixmap.take_demultiplied();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(key) = key {
        encoder.add_text_chunk(KEY.into(), key.into())?;
    }
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

/// The `tEXt` keyword under which a PNG records what it was drawn from.
const KEY: &str = "pir-key";

/// The key of a drawing: a hash of its SVG, its size and pir's version.
fn key_of(svg: &[u8], max_width: u32, fill: bool) -> String {
    crate::files::Digest::new()
        .bytes(svg)
        .u32(max_width)
        .flag(fill)
        .bytes(env!("CARGO_PKG_VERSION").as_bytes())
        .hex()
}

/// The key recorded in a PNG, if it has one (read from its metadata, not its pixels).
fn recorded_key(png: &[u8]) -> Option<String> {
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .ok()?;
    let info = reader.info();
    let found = info
        .uncompressed_latin1_text
        .iter()
        .find(|t| t.keyword == KEY);
    found.map(|t| t.text.clone())
}

/// Rasterises, or takes the PNG at `previous` when it was drawn from the same SVG at the same size.
pub fn rasterise_cached(
    svg: &[u8],
    max_width: u32,
    fill: bool,
    previous: Option<&Path>,
) -> Result<(Vec<u8>, u32, u32), String> {
    let key = key_of(svg, max_width, fill);
    if let Some(old) = previous
        .and_then(|p| std::fs::read(p).ok())
        .filter(|b| recorded_key(b).as_deref() == Some(key.as_str()))
        && let Ok(size) = imagesize::blob_size(&old)
    {
        return Ok((old, size.width as u32 / 2, size.height as u32 / 2));
    }
    draw(svg, max_width, fill, Some(&key))
}

/// Every drawing of an issue, rendered: timeline charts, illustrations, SVG images in bodies.
/// `previous` is the previous output folder, whose PNGs are reused when they still match.
pub fn figures(
    project: &Project,
    issue: &Issue,
    previous: Option<&Path>,
) -> Result<Vec<Figure>, String> {
    let id = IssueId::of(issue);
    let dir = id.folder();
    let base_url = &project.site.base_url;
    let mut out = Vec::new();
    for piece in &issue.pieces {
        let mut add = |name: String,
                       svg: &[u8],
                       max: u32,
                       alt: &str,
                       source: Option<String>,
                       chart: bool|
         -> Result<(), String> {
            let old = previous.map(|p| p.join(id.email_images()).join(&name));
            let (png, width, height) =
                rasterise_cached(svg, max, chart, old.as_deref()).map_err(|e| {
                    format!(
                        "{} in {}: {e}",
                        source.as_deref().unwrap_or(&name),
                        piece.slug
                    )
                })?;
            out.push(Figure {
                piece: piece.slug.clone(),
                source,
                chart,
                path: id.email_images().join(&name),
                url: id.email_image_url(base_url, &name),
                png,
                width,
                height,
                alt: alt.to_string(),
            });
            Ok(())
        };
        if let Some(incident) = &piece.incident {
            // The chart is drawn for the PDF's narrow column; it fills the email's.
            let chart = svg::timeline(incident);
            add(
                ids::chart_png(&piece.slug),
                chart.as_bytes(),
                COLUMN,
                &svg::description(incident),
                None,
                true,
            )?;
        }
        let images = piece
            .image
            .iter()
            .map(|i| (i, 420))
            .chain(piece.images.iter().map(|i| (i, COLUMN)));
        for (image, max) in images.filter(|(i, _)| i.path.to_ascii_lowercase().ends_with(".svg")) {
            let file = project.root.join(&dir).join(&image.path);
            let bytes =
                std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = ids::image_png(&piece.slug, &image.path).unwrap_or_default();
            let is_body = piece.image.as_ref().is_none_or(|i| !std::ptr::eq(i, image));
            add(
                name,
                &bytes,
                max,
                &image.alt,
                is_body.then(|| image.path.clone()),
                false,
            )?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_png_of_twice_its_shown_size() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="red"/></svg>"#;
        let (png, w, h) = rasterise(svg, 552, false).unwrap();
        assert_eq!((w, h), (100, 50));
        assert_eq!(&png[1..4], b"PNG");
        let size = imagesize::blob_size(&png).unwrap();
        assert_eq!((size.width, size.height), (200, 100));
        let (_, w, h) = rasterise(svg, 40, false).unwrap();
        assert_eq!((w, h), (40, 20));
        let (_, w, h) = rasterise(svg, 300, true).unwrap();
        assert_eq!((w, h), (300, 150));
    }

    #[test]
    fn a_png_remembers_what_it_was_drawn_from_and_is_reused_only_if_that_matches() {
        let dir = tempfile::tempdir().unwrap();
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50"/></svg>"#;
        let (png, w, h) = rasterise_cached(svg, 552, false, None).unwrap();
        assert_eq!(recorded_key(&png), Some(key_of(svg, 552, false)));
        assert_eq!(
            imagesize::blob_size(&png).unwrap().width,
            200,
            "still a valid PNG"
        );
        let old = dir.path().join("old.png");
        // A marker the rasteriser would never write shows that the file was reused.
        let mut marked = png.clone();
        marked.extend_from_slice(b"reused");
        std::fs::write(&old, &marked).unwrap();
        assert_eq!(
            rasterise_cached(svg, 552, false, Some(&old)).unwrap(),
            (marked, w, h)
        );
        let other = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><circle r="5"/></svg>"#;
        assert_eq!(
            rasterise_cached(other, 552, false, Some(&old)).unwrap().0,
            rasterise_cached(other, 552, false, None).unwrap().0
        );
    }

    #[test]
    fn unreadable_svg_is_an_error() {
        assert!(rasterise(b"<svg", 100, false).is_err());
    }
}
