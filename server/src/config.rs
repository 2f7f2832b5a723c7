//! Settings of a running Canvass, from flags and `CANVASS_*` environment variables.

use std::path::{Path, PathBuf};

use anyhow::bail;

/// Where Canvass keeps its data, parsed from a database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite file; its folder is created if missing.
    Sqlite { path: PathBuf },
    /// A PostgreSQL server.
    Postgres { url: String },
}

/// The default: an SQLite file in `./data`, created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/canvass.db";

impl DatabaseUrl {
    /// Parses `sqlite://path`, `sqlite:path`, `postgres://...` or `postgresql://...`.
    pub fn parse(input: &str) -> anyhow::Result<Self> {
        let input = input.trim();
        if let Some(rest) = input.strip_prefix("sqlite://").or_else(|| input.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                bail!("the SQLite database URL {input:?} names no file; use e.g. sqlite://./data/canvass.db");
            }
            return Ok(DatabaseUrl::Sqlite { path: PathBuf::from(path) });
        }
        if input.starts_with("postgres://") || input.starts_with("postgresql://") {
            if input.len() <= "postgres://".len() + 1 {
                bail!("the PostgreSQL URL {input:?} names no server; use e.g. postgres://canvass@db.internal/canvass");
            }
            return Ok(DatabaseUrl::Postgres { url: input.to_owned() });
        }
        bail!(
            "unsupported database URL {:?}: use sqlite://path/to/file.db (the default is {DEFAULT_DATABASE_URL}) \
             or postgres://user:password@host:5432/database",
            redact(input)
        )
    }

    /// The URL to show in logs and messages, without a password.
    pub fn display(&self) -> String {
        match self {
            DatabaseUrl::Sqlite { path } => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres { url } => redact(url),
        }
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            DatabaseUrl::Sqlite { path } => Some(path),
            DatabaseUrl::Postgres { .. } => None,
        }
    }
}

/// Hides the password part of `scheme://user:password@host`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Parses `--public-url`: an http(s) address without a path.
pub fn parse_public_url(input: &str) -> anyhow::Result<String> {
    let url = input.trim().trim_end_matches('/');
    let Some(host) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        bail!("the public URL {input:?} must start with https:// or http://");
    };
    if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
        bail!("the public URL {input:?} must be a bare address such as https://canvass.city.gov");
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/canvass.db").expect("valid"),
            DatabaseUrl::Sqlite { path: PathBuf::from("./data/canvass.db") }
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:/var/lib/canvass/c.db?mode=rwc").expect("valid"),
            DatabaseUrl::Sqlite { path: PathBuf::from("/var/lib/canvass/c.db") }
        );
    }

    #[test]
    fn postgres_urls_are_kept_whole() {
        let url = "postgres://canvass:secret@127.0.0.1:5432/canvass";
        assert_eq!(DatabaseUrl::parse(url).expect("valid"), DatabaseUrl::Postgres { url: url.to_owned() });
        assert!(DatabaseUrl::parse("postgresql://db/canvass").is_ok());
    }

    #[test]
    fn other_urls_are_refused_with_examples_and_no_password() {
        let err = DatabaseUrl::parse("mysql://root:hunter2@db/canvass").expect_err("unsupported").to_string();
        assert!(err.contains("sqlite://"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn passwords_never_appear_in_displayed_urls() {
        let url = DatabaseUrl::parse("postgres://canvass:secret@db/canvass").expect("valid");
        assert_eq!(url.display(), "postgres://canvass:***@db/canvass");
    }

    #[test]
    fn public_urls_are_bare_http_addresses() {
        assert_eq!(parse_public_url("https://canvass.city.gov/").expect("valid"), "https://canvass.city.gov");
        assert!(parse_public_url("canvass.city.gov").is_err());
        assert!(parse_public_url("https://canvass.city.gov/app").is_err());
    }
}
