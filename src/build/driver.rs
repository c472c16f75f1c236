//! The build as one call, as Zola's `Site` and mdBook's `MDBook` are: from
//! the project on disk to a published output folder. `pir build` and
//! `pir serve` both run it, so a preview can never be built differently
//! from the site that is deployed; they differ only in what they ask for
//! (hints, the no-change path) and in how they show the outcome.
//!
//! The steps, in order: refuse an output folder pir must not replace;
//! stamp the inputs (before anything is read, so that a file edited during
//! the build is seen as changed next time); stop if nothing changed since
//! the last clean build; check; build every output into a staging folder;
//! remember the stamps in the build record; swap the folder in.

use super::*;
use crate::publish::Refusal;

/// One build of a project into an output folder.
pub struct Driver {
    root: PathBuf,
    out: PathBuf,
    options: Options,
}

/// Why a build was not started: it was asked for something it must refuse.
#[derive(Debug)]
pub enum Refused {
    /// The output folder is not pir's to replace.
    Output(PathBuf, Refusal),
    /// `--crop-marks` with no scaled paper to mark.
    CropMarks,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Output(out, why) => write!(f, "will not build into {}: {why}", out.display()),
            Refused::CropMarks => write!(
                f,
                "--crop-marks has nothing to mark: {}, and zine.toml switches A4 off",
                crate::model::print::CROP_MARKS_NEED_SCALING
            ),
        }
    }
}

impl std::error::Error for Refused {}

/// What a build did.
pub enum Outcome {
    /// Nothing changed since the last clean build: nothing was read or written.
    UpToDate(UpToDate),
    /// The build ran.
    Ran(Box<Ran>),
}

/// A build that ran: what the check and the outputs said, and what was published.
pub struct Ran {
    /// The loaded project and every diagnostic, sorted.
    pub report: Report,
    /// What was built and published, or why nothing was.
    pub built: Result<Built, Failure>,
    /// Draft issues left out of the output.
    pub drafts_left_out: usize,
}

/// Why a build that ran published nothing.
#[derive(Debug)]
pub enum Failure {
    /// The project or an output has errors (in the report): the output was not touched.
    Errors,
    /// The new output was made but could not be swapped in.
    Publish(PublishError),
}

/// What a build tells whoever shows its progress.
pub enum Progress<'a> {
    /// The check is done; this many documents will be typeset or reused.
    Checked { documents: usize },
    /// A document is done (its folder or name).
    Done(&'a str),
}

impl Driver {
    /// A build of the project at `root` into `out`; refused when `out` is a folder
    /// pir must not replace (see [`crate::publish::may_replace`]).
    pub fn new(root: &Path, out: &Path, options: Options) -> Result<Driver, Refused> {
        crate::publish::may_replace(out, root, &record_path(out), options.force)
            .map_err(|why| Refused::Output(out.to_path_buf(), why))?;
        let options = Options {
            previous: Some(out.to_path_buf()),
            ..options
        };
        Ok(Driver {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
        })
    }

    /// Runs the build as `pir build` does, telling `progress` how it goes: it
    /// stops early when nothing changed since the last clean build, shows no
    /// hints (they are not looked for), and remembers its inputs' stamps.
    pub fn run(&self, progress: &(dyn Fn(Progress<'_>) + Sync)) -> Result<Outcome, Refused> {
        let mut options = self.options.clone();
        let inputs = super::inputs(&self.root, &self.out, &options);
        if !options.force {
            if let Some(same) = super::up_to_date(&self.out, &inputs) {
                return Ok(Outcome::UpToDate(same));
            }
            options.same_issues = inputs.same_issues();
        }
        let report = crate::check::check_for_build(&self.root);
        self.build(report, &options, Some(inputs), progress)
            .map(|ran| Outcome::Ran(Box::new(ran)))
    }

    /// Runs the build as `pir serve` does after every edit: the same build,
    /// with the hints a writer wants, and never the no-change path.
    pub fn preview(&self) -> Result<Ran, Refused> {
        let report = crate::check::check(&self.root);
        self.build(report, &self.options, None, &|_| {})
    }

    /// Builds a checked project and publishes it; `inputs`, the stamps taken
    /// before it was read, are remembered in the record when given.
    fn build(
        &self,
        mut report: Report,
        options: &Options,
        inputs: Option<Inputs>,
        progress: &(dyn Fn(Progress<'_>) + Sync),
    ) -> Result<Ran, Refused> {
        if options.print.crop_marks && !report.project.site.print.trims() {
            return Err(Refused::CropMarks);
        }
        let documents =
            published(&report.project.issues, options).count() + report.project.pockets.len() + 1;
        progress(Progress::Checked { documents });
        let done = |name: &str| progress(Progress::Done(name));
        let built = build_with_progress(&mut report, options, &done);
        let drafts = if options.drafts {
            0
        } else {
            report
                .project
                .issues
                .iter()
                .filter(|i| i.status == Status::Draft)
                .count()
        };
        let built = match built {
            Some(mut built) => {
                if let Some(inputs) = inputs {
                    built.remember(inputs, &report, drafts);
                }
                publish(&self.out, &mut built)
                    .map(|()| built)
                    .map_err(Failure::Publish)
            }
            None => Err(Failure::Errors),
        };
        Ok(Ran {
            report,
            built,
            drafts_left_out: drafts,
        })
    }
}
