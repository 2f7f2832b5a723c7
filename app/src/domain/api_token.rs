//! API tokens: what a machine (a library kiosk, a clerk's data-entry script, the city's
//! dashboard pipeline) may do with its secret — one action on one survey — and how the secret
//! looks. Created by an administrator, shown once, stored hashed (`services::api_tokens`).

use serde::{Deserialize, Serialize};

use crate::domain::access::Channel;

/// What a token may do, on its survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenAction {
    /// Submit complete responses through `POST /api/v1/surveys/{id}/responses`, recorded in this
    /// channel (`kiosk` or `paper`).
    SubmitResponses(Channel),
    /// Read the survey's results and exports (never free-text answers).
    ReadResults,
}

/// A token's action that cannot be parsed, or that names a channel a token cannot submit in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenActionError {
    #[error("{0:?} is not an action a token can have: use submit-responses or read-results")]
    UnknownAction(String),
    #[error("a token submits responses as kiosk or paper, not {0:?}")]
    ChannelNotForTokens(String),
    #[error("only submit-responses takes a channel")]
    ChannelWithoutSubmit,
}

impl TokenAction {
    /// From the CLI's or the form's words: `submit-responses` (with channel `kiosk`, the default,
    /// or `paper`) or `read-results`.
    pub fn parse(action: &str, channel: Option<&str>) -> Result<Self, TokenActionError> {
        match action.trim().replace('_', "-").as_str() {
            "submit-responses" | "submit" => {
                let channel = channel.map_or("kiosk", str::trim);
                match Channel::parse(channel) {
                    Some(channel @ (Channel::Kiosk | Channel::Paper)) => Ok(TokenAction::SubmitResponses(channel)),
                    _ => Err(TokenActionError::ChannelNotForTokens(channel.to_owned())),
                }
            }
            "read-results" | "read" => match channel {
                None => Ok(TokenAction::ReadResults),
                Some(_) => Err(TokenActionError::ChannelWithoutSubmit),
            },
            other => Err(TokenActionError::UnknownAction(other.to_owned())),
        }
    }

    /// As stored: the action's name, and the channel for submitting.
    pub fn stored(self) -> (&'static str, Option<&'static str>) {
        match self {
            TokenAction::SubmitResponses(channel) => ("submit_responses", Some(channel.as_str())),
            TokenAction::ReadResults => ("read_results", None),
        }
    }

    /// From what was stored; `None` for anything else (a token that grants nothing).
    pub fn from_stored(action: &str, channel: Option<&str>) -> Option<Self> {
        match (action, channel.and_then(Channel::parse)) {
            ("submit_responses", Some(channel @ (Channel::Kiosk | Channel::Paper))) => {
                Some(TokenAction::SubmitResponses(channel))
            }
            ("read_results", None) => Some(TokenAction::ReadResults),
            _ => None,
        }
    }

    /// In words, for lists and the audit log.
    pub fn describe(self) -> String {
        match self {
            TokenAction::SubmitResponses(channel) => format!("submit responses as {}", channel.as_str()),
            TokenAction::ReadResults => "read results".to_owned(),
        }
    }
}

/// How every token starts, so a leaked one is recognised (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "cvt_";
/// Random symbols after the prefix (31 symbols each, about 154 bits).
pub const TOKEN_SYMBOLS: usize = 31;
/// How much of a token lists show.
pub const SHOWN_PREFIX: usize = TOKEN_PREFIX.len() + 6;

/// Whether text has the shape of a token (checked before any database look-up).
pub fn looks_like_token(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == TOKEN_SYMBOLS && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// A token's name as an administrator types it: 1 to 100 characters, trimmed.
pub fn parse_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    match name.chars().count() {
        0 => Err("Give the token a name that says which machine uses it, e.g. \"Main library kiosk\"."),
        1..=100 => Ok(name.to_owned()),
        _ => Err("A token's name is at most 100 characters."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_read_from_the_administrators_words() {
        assert_eq!(TokenAction::parse("submit-responses", None), Ok(TokenAction::SubmitResponses(Channel::Kiosk)));
        assert_eq!(
            TokenAction::parse("submit_responses", Some("paper")),
            Ok(TokenAction::SubmitResponses(Channel::Paper))
        );
        assert_eq!(TokenAction::parse("read-results", None), Ok(TokenAction::ReadResults));
        assert!(matches!(TokenAction::parse("submit", Some("open")), Err(TokenActionError::ChannelNotForTokens(_))));
        assert!(matches!(TokenAction::parse("delete-survey", None), Err(TokenActionError::UnknownAction(_))));
        assert_eq!(TokenAction::parse("read-results", Some("kiosk")), Err(TokenActionError::ChannelWithoutSubmit));
    }

    #[test]
    fn what_is_stored_is_read_back_and_anything_else_grants_nothing() {
        for action in [
            TokenAction::SubmitResponses(Channel::Kiosk),
            TokenAction::SubmitResponses(Channel::Paper),
            TokenAction::ReadResults,
        ] {
            let (name, channel) = action.stored();
            assert_eq!(TokenAction::from_stored(name, channel), Some(action));
        }
        assert_eq!(TokenAction::from_stored("submit_responses", Some("open")), None);
        assert_eq!(TokenAction::from_stored("admin", None), None);
    }

    #[test]
    fn only_well_formed_secrets_look_like_tokens() {
        let good = format!("{TOKEN_PREFIX}{}", "a2".repeat(15) + "z");
        assert!(looks_like_token(&good));
        assert!(!looks_like_token(&good[1..]));
        assert!(!looks_like_token(&format!("{good}x")));
        assert!(!looks_like_token(&good.to_uppercase()));
        assert!(!looks_like_token("cvt_"));
    }

    #[test]
    fn a_token_needs_a_name() {
        assert!(parse_name("  ").is_err());
        assert_eq!(parse_name(" Main library kiosk "), Ok("Main library kiosk".to_owned()));
        assert!(parse_name(&"x".repeat(101)).is_err());
    }
}
