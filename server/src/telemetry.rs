//! Structured logs with `tracing`. Messages are readable sentences with dotted fields; passwords,
//! invite codes and residents' answers are never logged. The request log records each address
//! through [`redact_path`] (no secret in a path, no query value but a few harmless ones); the
//! services that handle secrets (`auth::check_credentials`, `accounts::{invite, accept_invite,
//! change_password}`, `responses::{post_page, submit}`) are spans with `#[instrument(skip_all)]`
//! that name only ids (`staff_user.id`, `survey.id`, `channel`) and the client's address.

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

/// The address of a request as the request log records it: secrets in the path (a staff invite
/// code, a resident's resume token or letter code) and the values of query parameters (an
/// e-mail sent back to the sign-in form, a receipt) replaced by `…`.
pub fn redact_path(path_and_query: &str) -> String {
    let (path, query) = path_and_query.split_once('?').map_or((path_and_query, None), |(p, q)| (p, Some(q)));
    let segments: Vec<&str> = path.split('/').collect();
    let secret = |i: usize| match segments.get(1).copied() {
        // `/invite/{code}`
        Some("invite") => i == 2,
        // `/s/{key}/resume/{token}`, `/s/{key}/invite/{code}`
        Some("s") => i == 4 && matches!(segments.get(3).copied(), Some("resume" | "invite")),
        _ => false,
    };
    let mut redacted: String = segments
        .iter()
        .enumerate()
        .map(|(i, segment)| if secret(i) { "…" } else { segment })
        .collect::<Vec<_>>()
        .join("/");
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if LOGGED_PARAMETERS.contains(&key) => {
                    format!("{key}={}", value.chars().take(40).collect::<String>())
                }
                Some((key, _)) => format!("{key}=…"),
                None => pair.to_owned(),
            })
            .collect();
        redacted.push('?');
        redacted.push_str(&pairs.join("&"));
    }
    redacted
}

/// Query parameters whose values say nothing about anyone: an error key sent back to a form,
/// the flags pages show a message for, a page number.
const LOGGED_PARAMETERS: &[&str] = &["error", "signed_out", "changed", "welcome", "invited", "embed", "page"];

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn a_staff_invite_code_is_not_logged() {
        assert_eq!(redact_path("/invite/0123456789ABCDEFGHJKMNPQRS"), "/invite/…");
    }

    #[test]
    fn a_residents_resume_token_and_letter_code_are_not_logged() {
        assert_eq!(redact_path("/s/k7qxm3pr/resume/abcdefghjkmnpqrstuvwxyz23456789"), "/s/k7qxm3pr/resume/…");
        assert_eq!(redact_path("/s/k7qxm3pr/invite/ABCD2345"), "/s/k7qxm3pr/invite/…");
        assert_eq!(redact_path("/s/k7qxm3pr/invite/ABCD2345/extra"), "/s/k7qxm3pr/invite/…/extra");
    }

    #[test]
    fn query_values_are_not_logged_except_harmless_ones() {
        assert_eq!(
            redact_path("/login?error=wrong_credentials&email=ana%40city.gov&next=/admin/users"),
            "/login?error=wrong_credentials&email=…&next=…"
        );
        assert_eq!(redact_path("/s/k7qxm3pr/thanks?receipt=K7QX-M3PR"), "/s/k7qxm3pr/thanks?receipt=…");
        assert_eq!(redact_path("/s/k7qxm3pr/invite?flag"), "/s/k7qxm3pr/invite?flag");
    }

    #[test]
    fn other_addresses_are_logged_as_they_are() {
        for path in
            ["/", "/s/k7qxm3pr", "/s/k7qxm3pr/invite", "/surveys/12/invites.csv", "/api/auth/login", "/admin/users"]
        {
            assert_eq!(redact_path(path), path);
        }
    }
}
