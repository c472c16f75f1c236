//! `pir email`: send one issue's email edition to one address, as a test before the real send.
//!
//! The message is the same `issue-<n>.eml` that `pir build` writes, addressed
//! to the one reader, and goes out through lettre's SMTP transport. The
//! server and its credentials come only from environment variables (see
//! `pir email --help`), so no secret ever sits in the project's files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use codespan_reporting::term::termcolor::StandardStream;
use lettre::Transport;
use lettre::address::{Address, Envelope};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use pir::diagnostic::{self, Severity};

use crate::cli::EmailArgs;
use crate::cmd::check::color_choice;
use crate::cmd::{PROBLEMS, UsageError, find_root};

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Security {
    StartTls,
    Tls,
    None,
}

/// Checks the project, renders the issue's edition and sends it.
pub fn run(root: Option<&Path>, args: EmailArgs) -> Result<ExitCode> {
    let root = find_root(root)?;
    let to: Address = args
        .to
        .parse()
        .map_err(|e| UsageError(format!("--to {}: not an e-mail address ({e})", args.to)))?;
    let server = smtp_from_env()?;
    let report = pir::check::check(&root);
    if report.has_errors() {
        let errors: Vec<_> = report
            .diags
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .cloned()
            .collect();
        diagnostic::emit_human(
            &mut StandardStream::stderr(color_choice()),
            &report.sources,
            &errors,
        )?;
        eprintln!("error: the project has errors; nothing was sent");
        return Ok(ExitCode::from(PROBLEMS));
    }
    let project = &report.project;
    let issue = project
        .issues
        .iter()
        .find(|i| i.slug == args.issue || i.number.value.to_string() == args.issue)
        .ok_or_else(|| {
            let known: Vec<String> = project
                .issues
                .iter()
                .map(|i| format!("{} ({})", i.number.value, i.slug))
                .collect();
            UsageError(format!(
                "there is no issue `{}`; the issues are: {}",
                args.issue,
                known.join(", ")
            ))
        })?;
    let edition = pir::email::edition(project, issue, None).map_err(|e| {
        anyhow!(
            "the email edition of issue {} cannot be made: {e}",
            issue.number.value
        )
    })?;
    let message = pir::email::mime::message(project, issue, &edition, Some(to.as_ref()))
        .map_err(|e| anyhow!(e))?;
    let from_text = args
        .from
        .clone()
        .unwrap_or_else(|| project.site.email.clone());
    let from: Address = from_text
        .parse()
        .map_err(|e| UsageError(format!("sender {from_text}: not an e-mail address ({e})")))?;
    let envelope =
        Envelope::new(Some(from), vec![to.clone()]).context("the envelope cannot be made")?;
    server
        .send_raw(&envelope, &message)
        .with_context(|| format!("the SMTP server did not take the message for {to}"))?;
    eprintln!(
        "sent Issue {} ({}, {} KB of HTML) to {to}",
        issue.number.value,
        edition.subject,
        edition.html.len().div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

/// The SMTP transport described by the `PIR_SMTP_*` environment variables.
fn smtp_from_env() -> Result<SmtpTransport> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let host = var("PIR_SMTP_HOST")
        .ok_or_else(|| UsageError("PIR_SMTP_HOST is not set: name the SMTP server in the environment (see pir email --help)".into()))?;
    let security = match var("PIR_SMTP_TLS").as_deref().unwrap_or("starttls") {
        "starttls" => Security::StartTls,
        "tls" => Security::Tls,
        "none" => Security::None,
        other => {
            return Err(
                UsageError(format!("PIR_SMTP_TLS={other}: use starttls, tls or none")).into(),
            );
        }
    };
    let port = match var("PIR_SMTP_PORT") {
        Some(p) => p
            .parse::<u16>()
            .map_err(|_| UsageError(format!("PIR_SMTP_PORT={p}: not a port number")))?,
        None => match security {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        },
    };
    let tls = match security {
        Security::None => Tls::None,
        Security::StartTls => {
            Tls::Required(TlsParameters::new(host.clone()).context("TLS cannot be set up")?)
        }
        Security::Tls => {
            Tls::Wrapper(TlsParameters::new(host.clone()).context("TLS cannot be set up")?)
        }
    };
    let mut builder = SmtpTransport::builder_dangerous(&host)
        .port(port)
        .tls(tls)
        .timeout(Some(std::time::Duration::from_secs(30)));
    match (var("PIR_SMTP_USER"), var("PIR_SMTP_PASSWORD")) {
        (Some(user), Some(password)) => {
            builder = builder.credentials(Credentials::new(user, password))
        }
        (Some(_), None) => {
            return Err(
                UsageError("PIR_SMTP_USER is set but PIR_SMTP_PASSWORD is not".into()).into(),
            );
        }
        _ => {}
    }
    Ok(builder.build())
}
