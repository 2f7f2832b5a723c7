//! Structured logs with `tracing`. Messages are readable sentences with dotted fields; passwords,
//! invite codes and residents' answers are never logged: the services that handle them
//! (`auth::check_credentials`, `accounts::{invite, accept_invite, change_password}`,
//! `responses::{post_page, submit}`) are spans with `#[instrument(skip_all)]` that name only
//! ids (`staff_user.id`, `survey.id`, `channel`) and the client's address.

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Starts logging to standard error at `level` (`error`, `warn`, `info`, `debug`, `trace`, or a
/// full filter such as `canvass=debug,tower_http=info`).
pub fn init(level: &str, format: LogFormat) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(level)
        .map_err(|e| anyhow::anyhow!("invalid log level {level:?}: {e}; use error, warn, info, debug or trace"))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
    Ok(())
}
