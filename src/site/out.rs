//! The site's files on their way to the staging folder: each page as soon
//! as it is rendered, so a large archive's site is never held in memory.
//!
//! The pages name the body font by a mark, since the web fonts' names
//! depend on the characters of every page; a page with the mark waits in a
//! scratch file (not memory) until the fonts are made, then has the mark
//! replaced.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::webfonts;

/// Stands for the body font's file name in the pages until the web fonts are made.
pub(super) const PRELOAD_MARK: &str = "pir-body-font-preload-0a7c";

/// The site's files on their way out.
pub(super) struct Out<'p> {
    put: &'p mut dyn FnMut(&Path, &[u8]),
    /// The characters of every HTML page so far, for the web fonts.
    chars: webfonts::Chars,
    /// The pages that wait for the body font's name, in `scratch` in this order, with their lengths.
    waiting: Vec<(PathBuf, usize)>,
    scratch: std::io::BufWriter<std::fs::File>,
    /// Every HTML page's path, for the sitemap.
    pub(super) pages: Vec<PathBuf>,
    /// The stylesheet, which waits for the web fonts' `@font-face` rules.
    pub(super) style: Option<String>,
}

impl<'p> Out<'p> {
    /// Files for `put`, pages that wait kept in `scratch`.
    pub(super) fn new(scratch: std::fs::File, put: &'p mut dyn FnMut(&Path, &[u8])) -> Out<'p> {
        Out {
            put,
            chars: webfonts::Chars::default(),
            waiting: Vec::new(),
            scratch: std::io::BufWriter::new(scratch),
            pages: Vec::new(),
            style: None,
        }
    }

    /// Makes the web fonts for the pages' characters, then hands out the pages that waited
    /// for the body font's name (read back one at a time), the stylesheet and the fonts.
    pub(super) fn finish(
        self,
        kept: &(dyn Fn(&Path) -> bool + Sync),
    ) -> Result<(), Vec<Diagnostic>> {
        let fonts = webfonts::build(&self.chars.set(), kept)
            .map_err(|e| vec![Diagnostic::at_path(Code::Io, "fonts", e)])?;
        let scratch = (self.scratch.into_inner()).map_err(|e| vec![scratch_error(e.error())])?;
        let mut reader = std::io::BufReader::new(scratch);
        std::io::Seek::rewind(&mut reader).map_err(|e| vec![scratch_error(&e)])?;
        for (path, len) in &self.waiting {
            let mut bytes = vec![0; *len];
            std::io::Read::read_exact(&mut reader, &mut bytes)
                .map_err(|e| vec![scratch_error(&e)])?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let e = std::io::Error::new(std::io::ErrorKind::InvalidData, e);
                vec![scratch_error(&e)]
            })?;
            (self.put)(path, text.replace(PRELOAD_MARK, &fonts.preload).as_bytes());
        }
        if let Some(css) = &self.style {
            (self.put)(
                Path::new(crate::edition::ids::STYLE),
                format!("{}{css}", fonts.css).as_bytes(),
            );
        }
        for (path, bytes) in &fonts.files {
            (self.put)(path, bytes);
        }
        Ok(())
    }

    /// Hands out a rendered page, or keeps it in the scratch file if it names the body font.
    pub(super) fn page(&mut self, path: PathBuf, text: String) -> Result<(), Box<Diagnostic>> {
        if path.extension().is_some_and(|e| e == "html") {
            self.chars.add(&text);
            self.pages.push(path.clone());
        }
        if text.contains(PRELOAD_MARK) {
            std::io::Write::write_all(&mut self.scratch, text.as_bytes())
                .map_err(|e| Box::new(scratch_error(&e)))?;
            self.waiting.push((path, text.len()));
        } else {
            (self.put)(&path, text.as_bytes());
        }
        Ok(())
    }

    /// Hands out a file that is not a rendered page (an image, robots.txt), as it is.
    pub(super) fn file(&mut self, path: &Path, bytes: &[u8]) {
        (self.put)(path, bytes);
    }
}

/// The error of a scratch file that cannot be written or read back.
fn scratch_error(e: &std::io::Error) -> Diagnostic {
    Diagnostic::at_path(
        Code::Io,
        "public",
        format!("cannot keep the site's pages in a scratch file while the web fonts are made: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn pages_go_out_as_rendered_and_those_naming_the_body_font_wait_on_disk() {
        let out_so_far = RefCell::new(Vec::<(PathBuf, String)>::new());
        let mut put = |path: &Path, bytes: &[u8]| {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            out_so_far.borrow_mut().push((path.to_path_buf(), text));
        };
        let mut scratch = tempfile::tempfile().unwrap();
        let mut out = Out::new(scratch.try_clone().unwrap(), &mut put);
        let preloads = format!("<head><link href=\"{PRELOAD_MARK}\"></head><p>Ωμέγα</p>");
        out.page("issues/a/index.html".into(), preloads.clone())
            .unwrap();
        out.page("feed.xml".into(), "<feed/>".into()).unwrap();
        out.file(Path::new("issues/a/chart.svg"), b"<svg/>");
        out.style = Some("body {}".into());
        // What needs no font name is out at once; the page that names it is not held in memory.
        let names: Vec<PathBuf> = out_so_far.borrow().iter().map(|f| f.0.clone()).collect();
        assert_eq!(
            names,
            [PathBuf::from("feed.xml"), "issues/a/chart.svg".into()]
        );
        std::io::Write::flush(&mut out.scratch).unwrap();
        let mut spilled = String::new();
        std::io::Seek::rewind(&mut scratch).unwrap();
        std::io::Read::read_to_string(&mut scratch, &mut spilled).unwrap();
        assert_eq!(spilled, preloads, "the page waits in the scratch file");
        // Once the fonts are named (the output holds them: nothing to compress), it goes out named.
        out.finish(&|_| true).unwrap();
        let files = out_so_far.into_inner();
        let page = &files
            .iter()
            .find(|f| f.0 == Path::new("issues/a/index.html"))
            .unwrap()
            .1;
        assert!(!page.contains(PRELOAD_MARK), "{page}");
        assert!(
            page.contains("fonts/charis-sil/CharisSIL-Regular."),
            "{page}"
        );
        let css = &files
            .iter()
            .find(|f| f.0 == Path::new("style.css"))
            .unwrap()
            .1;
        assert!(
            css.starts_with("@font-face") && css.ends_with("body {}"),
            "{css}"
        );
    }
}
