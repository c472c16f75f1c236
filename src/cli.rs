//! Command-line arguments, all in one place (clap derive).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// pir: write post-incident reviews in Markdown, publish them as a zine.
#[derive(Debug, Parser)]
#[command(name = "pir", version, about, long_about = None, arg_required_else_help = true)]
pub struct Cli {
    /// The zine project (the folder with zine.toml); default: the current folder or the nearest parent with one.
    #[arg(long, short = 'r', global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, one file each in `src/cmd/`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new zine project: zine.toml, a first issue and a .gitignore.
    Init(InitArgs),
    /// Check the project, then typeset every issue and publish public/.
    Build(BuildArgs),
    /// Check the whole project and report every problem (exit 1 on errors).
    Check(CheckArgs),
    /// Create a new issue or incident write-up from a skeleton.
    #[command(subcommand)]
    New(NewCommand),
    /// Print the documentary-style prompts for writing a report.
    Prompts,
    /// Build, serve on 127.0.0.1, and rebuild and reload on every edit.
    Serve(ServeArgs),
    /// Import an incident from another tool as a draft write-up.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Send an issue's email edition to one address over SMTP, to see it in a real inbox.
    #[command(after_help = SMTP_HELP)]
    Email(EmailArgs),
    /// List the built-in templates, or copy some into templates/ to edit (eject).
    Templates(TemplatesArgs),
    /// Run a language server on stdin/stdout: the checks, completion and hover in your editor.
    Lsp(LspArgs),
    /// Show where each issue and piece stands: status, reviewers, words, reading time, pages, open warnings.
    Status(StatusArgs),
}

/// Options of `pir status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only these issues (numbers or folder names); default: every issue and pocket zine.
    pub issues: Vec<String>,
    /// How to print the board.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How `pir email` finds the mail server: the environment, never the project's files.
const SMTP_HELP: &str = "The SMTP server comes from the environment:
  PIR_SMTP_HOST      the server (required), such as smtp.example.com
  PIR_SMTP_PORT      its port (default: 587 for starttls, 465 for tls, 25 for none)
  PIR_SMTP_TLS       starttls (default), tls, or none (only for a server on this machine)
  PIR_SMTP_USER      the user name, if the server wants one
  PIR_SMTP_PASSWORD  its password";

/// Options of `pir templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: Option<TemplatesAction>,
}

/// What `pir templates` does; listing is the default.
#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List the built-in templates and which ones the project overrides.
    List,
    /// Copy built-in templates into the project's templates/ to edit them.
    Eject(EjectArgs),
}

/// Options of `pir templates eject`.
#[derive(Debug, Args)]
pub struct EjectArgs {
    /// The templates to copy (style.css, zine.typ, ...).
    #[arg(required_unless_present = "all")]
    pub names: Vec<String>,
    /// Copy every built-in template.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// Replace a file that templates/ already has.
    #[arg(long)]
    pub force: bool,
}

/// Options of `pir init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to start the zine in (created if missing); default: --root, else the current folder.
    pub dir: Option<PathBuf>,
    /// Add the zine to a folder that is not empty (no existing file is overwritten).
    #[arg(long)]
    pub force: bool,
    /// The zine's name.
    #[arg(long, default_value = "Post-Incident Review")]
    pub title: String,
    /// Who publishes it.
    #[arg(long, default_value = pir::skeleton::DEFAULT_ORGANIZATION)]
    pub publisher: String,
    /// The first issue's folder name, used in URLs.
    #[arg(long, default_value = "issue-1")]
    pub issue: String,
    /// The first issue's date (YYYY-MM-DD); default: the first of this month.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Also write the configuration that builds the zine and publishes public/ on a static host.
    #[arg(long, value_enum)]
    pub deploy: Option<Deploy>,
}

/// The static hosts `pir init --deploy` writes a configuration for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deploy {
    /// .github/workflows/publish.yml: GitHub Actions builds and deploys to GitHub Pages.
    GithubPages,
    /// netlify.toml: Netlify runs `pir build` and serves public/.
    Netlify,
}

impl Deploy {
    /// The file it writes, relative to the project, and its text.
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            Deploy::GithubPages => (
                ".github/workflows/publish.yml",
                pir::skeleton::DEPLOY_GITHUB_PAGES,
            ),
            Deploy::Netlify => ("netlify.toml", pir::skeleton::DEPLOY_NETLIFY),
        }
    }
}

/// Options of `pir email`.
#[derive(Debug, Args)]
pub struct EmailArgs {
    /// The issue: its number or its folder name (2 or march-2020).
    pub issue: String,
    /// The address to send the test to.
    #[arg(long, value_name = "ADDRESS")]
    pub to: String,
    /// The sender; default: `email` in zine.toml.
    #[arg(long, value_name = "ADDRESS")]
    pub from: Option<String>,
}

/// Options of `pir lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; the server always speaks over stdin and stdout.
    #[arg(long)]
    pub stdio: bool,
}

/// Options of `pir build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The output folder; default: public/ in the project.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include issues whose status is "draft".
    #[arg(long)]
    pub drafts: bool,
    /// Also write the generated Typst sources (issues/<slug>/typst/) to compile with the Typst CLI.
    #[arg(long)]
    pub emit_typst: bool,
    /// The flip edge listed first and linked from the issue pages (both are always published).
    #[arg(long, value_enum)]
    pub duplex: Option<DuplexArg>,
    /// Shift each inner sheet's pages toward the spine by this much (e.g. 0.2mm).
    #[arg(long, value_name = "LENGTH", value_parser = parse_creep)]
    pub creep: Option<f64>,
    /// Draw trim marks on the A4 booklets, whose pages are scaled.
    #[arg(long)]
    pub crop_marks: bool,
    /// Typeset every document, even what has not changed since the last build; with --output, replace a folder pir did not write.
    #[arg(long)]
    pub force: bool,
    /// Print only errors: no progress, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// When some issues have errors, publish the others (never a broken issue); still exit 1.
    #[arg(long)]
    pub keep_going: bool,
}

/// Duplex modes on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DuplexArg {
    ShortEdge,
    LongEdge,
}

/// Parses a creep length such as `0.2mm` into points.
fn parse_creep(s: &str) -> Result<f64, String> {
    pir::load::settings::parse_length(s)
        .filter(|p| (0.0..=10.0).contains(p))
        .ok_or_else(|| {
            format!("`{s}` is not a creep length; write one like 0.2mm or 0.5pt (at most 10pt)")
        })
}

/// What `pir import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Statuspage incident (its JSON, or the incidents.json list with --id).
    Statuspage(StatuspageArgs),
    /// A Markdown postmortem with YAML front matter (title, url, company, product, categories, keywords, summary).
    Markdown(MarkdownArgs),
    /// An incident channel of a Slack export (its folder or .zip): the marked messages become the timeline.
    Slack(SlackArgs),
}

/// Options of `pir import slack`.
#[derive(Debug, Args)]
pub struct SlackArgs {
    /// The export: the folder Slack's export gives, or its .zip.
    pub export: PathBuf,
    /// The incident channel (its name, with or without #).
    #[arg(long)]
    pub channel: String,
    /// The issue folder the draft goes into (for example march-2020).
    #[arg(long)]
    pub issue: String,
    /// The first day to read (YYYY-MM-DD, in the write-up's zone).
    #[arg(long)]
    pub since: Option<NaiveDate>,
    /// The last day to read (YYYY-MM-DD, in the write-up's zone).
    #[arg(long)]
    pub until: Option<NaiveDate>,
    /// The write-up's IANA time zone; default: UTC.
    #[arg(long)]
    pub timezone: Option<String>,
    /// The reaction that marks a message for the timeline, besides a pin (without colons).
    #[arg(long, default_value = "pushpin")]
    pub marker: String,
    /// Name people by their title or as "Responder 2", never by their names.
    #[arg(long, alias = "anonymize")]
    pub anonymise: bool,
    /// The write-up's title; default: the channel's topic.
    #[arg(long)]
    pub title: Option<String>,
    /// Whose incident it is.
    #[arg(long)]
    pub organization: Option<String>,
    /// The file name without .md; default: the channel's name.
    #[arg(long)]
    pub slug: Option<String>,
    /// Replace a draft imported before (the file of the same name).
    #[arg(long)]
    pub force: bool,
}

/// Options of `pir import markdown`.
#[derive(Debug, Args)]
pub struct MarkdownArgs {
    /// The Markdown file, or - for standard input.
    pub file: PathBuf,
    /// The issue folder the draft goes into (for example march-2020).
    #[arg(long)]
    pub issue: String,
    /// The day the incident began (YYYY-MM-DD), when the file has no `date`.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// The write-up's IANA time zone; default: UTC.
    #[arg(long)]
    pub timezone: Option<String>,
    /// The file name without .md; default: from the title.
    #[arg(long)]
    pub slug: Option<String>,
    /// Replace a draft imported before (the file of the same name).
    #[arg(long)]
    pub force: bool,
}

/// Options of `pir import statuspage`.
#[derive(Debug, Args)]
pub struct StatuspageArgs {
    /// The JSON file, or - for standard input.
    pub file: PathBuf,
    /// The issue folder the draft goes into (for example march-2020).
    #[arg(long)]
    pub issue: String,
    /// Which incident of an incidents.json list.
    #[arg(long)]
    pub id: Option<String>,
    /// The write-up's IANA time zone; default: the status page's own, else UTC.
    #[arg(long)]
    pub timezone: Option<String>,
    /// Whose incident it is; default: the status page's name.
    #[arg(long)]
    pub organization: Option<String>,
    /// The file name without .md; default: from the incident's title.
    #[arg(long)]
    pub slug: Option<String>,
    /// Replace a draft imported before (the file of the same name).
    #[arg(long)]
    pub force: bool,
    /// Import an incident that is still open; `resolved` is set to its last update, to correct later.
    #[arg(long)]
    pub allow_unresolved: bool,
}

/// Options of `pir serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on; if it is busy, the next free one is used.
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on (loopback unless you say otherwise).
    #[arg(long, short = 'i', default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
    /// Leave out draft issues, as `pir build` does (by default the preview shows them, with a DRAFT badge).
    #[arg(long)]
    pub no_drafts: bool,
    /// Drafts are shown by default; kept so that older scripts still work.
    #[arg(long, hide = true)]
    pub drafts: bool,
    /// Seconds a client may take to send a request before it gets a 408.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub request_timeout: u64,
}

/// Options of `pir check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long, short = 'D')]
    pub deny_warnings: bool,
}

/// Output formats of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with the problem underlined, on stderr.
    Human,
    /// One JSON object per line on stdout, for editors and CI.
    Json,
}

/// What `pir new` creates.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A new issue folder with issue.toml and an editors' note.
    Issue(NewIssueArgs),
    /// A new incident write-up in an issue, listed in its issue.toml.
    Incident(NewIncidentArgs),
    /// A new pocket zine: pocket.toml, a cover, a page, a worksheet and a back.
    Pocket(NewPocketArgs),
    /// A feature article, in an issue or a pocket zine.
    Feature(NewPieceArgs),
    /// An etcetera page (news, links, shout-outs), in an issue or a pocket zine.
    Etcetera(NewPieceArgs),
    /// A full-page illustration with an example drawing to replace, in an issue.
    Illustration(NewPieceArgs),
    /// A back cover, the last page of an issue or a pocket zine.
    BackCover(NewPieceArgs),
    /// A cover, the first page of a pocket zine (or of an issue).
    Cover(NewPieceArgs),
    /// A worksheet page with blank lines to write on, in a pocket zine or an issue.
    Worksheet(NewPieceArgs),
    /// An editors' note, in an issue or a pocket zine.
    EditorsNote(NewPieceArgs),
}

/// Options of `pir new feature|etcetera|illustration|back-cover|cover|worksheet|editors-note`.
#[derive(Debug, Args)]
pub struct NewPieceArgs {
    /// The issue (its folder name, march-2020) or pocket zine (pocket/prompts) to add it to.
    pub folder: String,
    /// The file name without .md (for example essay).
    pub slug: String,
    /// The piece's title; default: an example to replace.
    #[arg(long)]
    pub title: Option<String>,
}

/// Options of `pir new pocket`.
#[derive(Debug, Args)]
pub struct NewPocketArgs {
    /// The folder name under pocket/, used in URLs (for example prompts).
    pub slug: String,
    /// The pocket zine's title.
    #[arg(long, default_value = "A pocket zine")]
    pub title: String,
    /// Its date (YYYY-MM-DD); default: the first of this month.
    #[arg(long)]
    pub date: Option<NaiveDate>,
}

/// Options of `pir new issue`.
#[derive(Debug, Args)]
pub struct NewIssueArgs {
    /// The folder name, used in URLs (for example march-2020).
    pub slug: String,
    /// The issue number; default: one more than the latest issue.
    #[arg(long)]
    pub number: Option<u32>,
    /// The issue's date (YYYY-MM-DD); default: the date the latest issue announced, or a month after it.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// The issue's title; default: "Issue N".
    #[arg(long)]
    pub title: Option<String>,
}

/// Options of `pir new incident`.
#[derive(Debug, Args)]
pub struct NewIncidentArgs {
    /// The issue folder to add it to (for example march-2020).
    pub issue: String,
    /// The file name without .md (for example discord).
    pub slug: String,
    /// The report's title.
    #[arg(long, default_value = pir::skeleton::DEFAULT_TITLE)]
    pub title: String,
    /// The organization the incident happened at.
    #[arg(long, default_value = pir::skeleton::DEFAULT_ORGANIZATION)]
    pub organization: String,
    /// The IANA time zone the timeline is written in.
    #[arg(long, default_value = "UTC")]
    pub timezone: String,
    /// The incident's date (YYYY-MM-DD); default: the issue's date.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Ask the documentary prompts on the terminal and write the answers into the draft.
    #[arg(long)]
    pub interactive: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
