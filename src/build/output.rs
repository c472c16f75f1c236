//! The outputs of a build, in one table: each says what it is and writes
//! its files into the staging folder (as mdBook's `Renderer` does). A new
//! output format is a new entry here; see ARCHITECTURE.md.

use super::*;

/// One kind of output of a build.
pub(super) trait Output: Sync {
    /// What the output is called in messages ("the website").
    fn name(&self) -> &'static str;

    /// Whether it presents the outputs before it (links them, sizes them),
    /// and so runs only when they were made without an error.
    fn presents_others(&self) -> bool {
        false
    }

    /// Makes the output's files into the staging folder, and says what it
    /// found in `state.diags`.
    fn write(&self, state: &mut State<'_>);
}

/// Every output, in the order they run: later ones may present earlier ones.
pub(super) const OUTPUTS: &[&dyn Output] = &[
    &documents::Documents,
    &documents::PrintingPage,
    &Data,
    &Site,
    &Email,
];

/// What the outputs share while a build runs.
pub(super) struct State<'a> {
    pub(super) report: &'a mut Report,
    pub(super) options: &'a Options,
    pub(super) progress: &'a (dyn Fn(&str) + Sync),
    pub(super) fonts: Arc<Fonts>,
    pub(super) plan: PrintPlan,
    /// The part of every document's key that all share: pir's version, the print plan, the fonts.
    pub(super) common: Vec<u8>,
    /// The previous build's record.
    pub(super) previous: Record,
    pub(super) staging: Staging,
    /// Issue and pocket folders left out because they have errors.
    pub(super) broken: BTreeSet<Folder>,
    /// The printing instructions, loaded as a piece by the printing page, shown by the site.
    pub(super) printing: Option<crate::model::Piece>,
    /// What this build found (the report keeps what the check found).
    pub(super) diags: Vec<Diagnostic>,
    pub(super) built: Built,
}

impl State<'_> {
    /// Whether this build has found an error so far.
    pub(super) fn failed(&self) -> bool {
        self.diags
            .iter()
            .any(|d| d.severity() == diagnostic::Severity::Error)
    }

    /// The issues this build publishes: published (or drafts, if asked), without errors.
    pub(super) fn issues(&self) -> Vec<&Issue> {
        published(&self.report.project.issues, self.options)
            .filter(|i| !self.broken.contains(&Folder::Issue(i.slug.clone())))
            .collect()
    }

    /// Places every file, saying what went wrong.
    pub(super) fn place_all(&mut self, origin: &str, files: &[(PathBuf, Vec<u8>)]) {
        for (path, bytes) in files {
            if let Some(d) = place(&self.staging, origin, path, bytes) {
                self.diags.push(d);
            }
        }
    }
}

/// The website: pages, feed, sitemap, web fonts and images.
struct Site;

impl Output for Site {
    fn name(&self) -> &'static str {
        "the website"
    }

    fn presents_others(&self) -> bool {
        true
    }

    fn write(&self, state: &mut State<'_>) {
        // Typst's cache still holds the printing page, whose table of every print file grows
        // with the archive (as the result of its top-level call, the whole laid-out document),
        // and nothing after needs it; then give what the documents freed back.
        if state.built.typeset.iter().any(|name| name == "printing") {
            typst::comemo::evict(0);
        }
        crate::render::typst::memory::release_freed();
        let sizes = state.staging.sizes();
        let scratch = match state.staging.scratch() {
            Ok(f) => f,
            Err(e) => {
                let d = Diagnostic::at_path(Code::Io, e.path.clone(), e.to_string());
                state.diags.push(d);
                return;
            }
        };
        let mut sources = std::mem::take(&mut state.report.sources);
        // Each file goes to the staging folder as it is made: the site is never held whole.
        let mut placed = Vec::new();
        let rendered = {
            let input = crate::site::Input {
                project: &state.report.project,
                issues: state.issues(),
                files: &sizes,
                docs: &state.built.docs,
                printing: state.printing.as_ref(),
            };
            let (staging, origin) = (&state.staging, self.name());
            let kept = |path: &Path| matches!(staging.keep(origin, path), Ok(true));
            let mut put = |path: &Path, bytes: &[u8]| {
                placed.extend(place(staging, origin, path, bytes));
            };
            crate::site::render(&input, &mut sources, &kept, scratch, &mut put)
        };
        state.report.sources = sources;
        state.diags.extend(placed);
        if let Err(errors) = rendered {
            state.diags.extend(errors);
        }
    }
}

/// The incidents as versioned JSON, the index of them, and their schemas.
struct Data;

impl Output for Data {
    fn name(&self) -> &'static str {
        "the incident data"
    }

    fn presents_others(&self) -> bool {
        true
    }

    fn write(&self, state: &mut State<'_>) {
        let site = &state.report.project.site;
        let issues = state.issues();
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for issue in &issues {
            for piece in &issue.pieces {
                if let Some(incident) = &piece.incident {
                    files.push((
                        crate::edition::IssueId::of(issue).piece_json(&piece.slug),
                        crate::data::incident(site, issue, piece, incident),
                    ));
                }
            }
        }
        files.push((
            crate::edition::ids::INCIDENTS.into(),
            crate::data::index(site, &issues),
        ));
        files.extend(crate::data::schemas(site));
        state.place_all(self.name(), &files);
    }
}

/// Each issue's email edition: HTML, plain text, a ready .eml, PNG drawings.
struct Email;

impl Output for Email {
    fn name(&self) -> &'static str {
        "the email edition"
    }

    fn presents_others(&self) -> bool {
        true
    }

    fn write(&self, state: &mut State<'_>) {
        // A PNG carries the key of the SVG and size it was drawn from, so it is reused even
        // under --force (which typesets documents again; a drawing is not typeset).
        let previous = state.options.previous.as_deref();
        let issues = state.issues();
        let (project, staging) = (&state.report.project, &state.staging);
        let (same, editions) = (&state.options.same_issues, &state.previous.editions);
        // Editions are independent: made in parallel, each placed as soon as it is made.
        let made = super::workers::each(&issues, |issue| {
            let slug = &issue.slug;
            let origin = format!("the email edition of {slug}");
            // An issue none of whose inputs changed (nor any other input than issues'):
            // its edition is the one the last build made, if the output still holds it.
            // (Should a link fail half-way, the edition is made again: the same bytes.)
            if let Some(files) = editions.get(slug).filter(|_| same.contains(slug))
                && !files.is_empty()
                && files.iter().all(|f| staging.intact(f))
                && files
                    .iter()
                    .all(|f| matches!(staging.keep(&origin, f), Ok(true)))
            {
                return (slug.clone(), files.clone(), Vec::new(), true);
            }
            match crate::email::files(project, issue, previous) {
                Ok(files) => {
                    let said = files
                        .iter()
                        .filter_map(|(path, bytes)| place(staging, &origin, path, bytes))
                        .collect();
                    let paths = files.into_iter().map(|(p, _)| p).collect();
                    (slug.clone(), paths, said, false)
                }
                Err(why) => {
                    let d = Diagnostic::at_path(
                        Code::TemplateError,
                        crate::edition::ids::issue_folder(slug),
                        format!("the email edition cannot be written: {why}"),
                    )
                    .hint("fix the email.html override in templates/, or the drawing named");
                    (slug.clone(), Vec::new(), vec![d], false)
                }
            }
        });
        for (slug, files, said, kept) in made {
            if kept {
                state.built.editions_kept.push(slug.clone());
            }
            state.built.record.editions.insert(slug, files);
            state.diags.extend(said);
        }
    }
}
