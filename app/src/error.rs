//! The one error type of the application layer.
//!
//! Policy: every error a person can cause has a stable `snake_case` key (so the interface can
//! translate it for residents), a human message, and an HTTP status. Unexpected failures become
//! [`AppError::Internal`]: the cause is logged on the server and never shown, so no SQL, path or
//! stack trace reaches a browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::submission::Refusal;
use crate::domain::survey::answers::AnswerProblem;
use crate::domain::survey::check::Problem;

/// An error as seen by a client of Canvass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 401: the page or action needs a signed-in staff member.
    #[error("Please sign in to continue.")]
    NotSignedIn,
    /// 403: signed in, but the role does not allow this.
    #[error("Your account does not have permission to do that.")]
    Forbidden,
    /// 401: an API token (`Authorization: Bearer`) that is malformed, unknown or revoked.
    #[error("That API token is not valid: it may have been revoked. Ask an administrator for a new one.")]
    TokenInvalid,
    /// 403: a request that would change something, sent by a page of another website.
    #[error(
        "This request came from another website, so Canvass did not act on it. Open Canvass at its own address and try again."
    )]
    CrossSite,
    /// 404: no such thing, or not visible to this person.
    #[error("We could not find that page.")]
    NotFound,
    /// 422: input that breaks a rule; `field` names the form field to show it next to.
    #[error("{message}")]
    Invalid { field: String, key: String, message: String },
    /// 400: a malformed request: a parameter of its address (a results filter, a map metric)
    /// that cannot be used, named by `field`, or a body that does not decode.
    #[error("{message}")]
    BadRequest { field: String, key: String, message: String },
    /// A response refused for a reason the resident is told (the refusal's own status).
    #[error("{}", .0.message())]
    Refused(Refusal),
    /// 401: the same answer whether the e-mail is unknown or the password is wrong.
    #[error("That e-mail and password do not match an active account.")]
    WrongCredentials,
    /// 429: too many failed logins for this account or address; `Retry-After` says when to try.
    #[error("Too many attempts. Please wait {} and try again.", wait_words(*retry_after_secs))]
    TooManyAttempts { retry_after_secs: u64 },
    /// 503: Canvass has too much work of this kind at the moment (password checks); waiting a
    /// little helps, and `Retry-After` says how long.
    #[error("Canvass is busy right now. Please try again in a few seconds.")]
    Busy { retry_after_secs: u64 },
    /// 413: a request body larger than Canvass takes at that address.
    #[error("That request is larger than Canvass accepts there.")]
    TooLarge,
    /// 410: an invite link that was used already or has expired.
    #[error("This invite link has expired or was already used. Ask an administrator for a new one.")]
    InviteExpired,
    /// 409: the action would leave the system in a state that is not allowed.
    #[error("{message}")]
    Conflict { key: String, message: String },
    /// 422: a survey definition breaks the rules; every problem, each with its path.
    #[error("{}", survey_invalid_message(problems))]
    SurveyInvalid { problems: Vec<Problem> },

    /// 422: a response's answers break the survey's rules; every problem, by question.
    #[error("{}", answers_invalid_message(problems))]
    AnswersInvalid { problems: Vec<AnswerProblem> },
    /// 422: an uploaded data file (boundaries, population) was refused whole; nothing changed.
    #[error("{}", file_refused_message(problems))]
    FileRefused { problems: Vec<String> },
    /// 500: something failed on our side; details are in the server log only.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request never got a usable answer (network, encoding). Only built on the client.
    #[error("Could not reach Canvass. Check your connection and try again.")]
    Unreachable,
}

/// A wait in words: seconds under two minutes, whole minutes (rounded up) beyond.
fn wait_words(secs: u64) -> String {
    match secs {
        0 | 1 => "a second".to_owned(),
        2..=119 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

fn survey_invalid_message(problems: &[Problem]) -> String {
    match problems {
        [] => "That change was not saved: it would break the survey's rules.".to_owned(),
        [one] => format!("That change was not saved: {one}"),
        many => format!("That change was not saved; {} problems need fixing.", many.len()),
    }
}

fn answers_invalid_message(problems: &[AnswerProblem]) -> String {
    match problems {
        [one] => format!("The response was not stored: {} ({})", one.message, one.question),
        many => format!("The response was not stored; {} answers need fixing.", many.len()),
    }
}

fn file_refused_message(problems: &[String]) -> String {
    match problems {
        [one] => format!("Nothing was imported: {one}"),
        many => format!("Nothing was imported; {} problems need fixing.", many.len()),
    }
}

impl AppError {
    /// An input error for one form field.
    pub fn invalid(field: &str, key: &str, message: &str) -> Self {
        AppError::Invalid { field: field.to_owned(), key: key.to_owned(), message: message.to_owned() }
    }

    /// A parameter of the request's address that cannot be used.
    pub fn bad_parameter(parameter: &str, key: &str, message: &str) -> Self {
        AppError::BadRequest { field: parameter.to_owned(), key: key.to_owned(), message: message.to_owned() }
    }

    /// A request body that does not decode.
    pub fn bad_request(message: &str) -> Self {
        AppError::BadRequest { field: String::new(), key: "request_invalid".to_owned(), message: message.to_owned() }
    }

    /// A response whose answers were refused.
    pub fn answers_invalid(problems: Vec<AnswerProblem>) -> Self {
        AppError::AnswersInvalid { problems }
    }

    /// A rule of the system the action would break.
    pub fn conflict(key: &str, message: &str) -> Self {
        AppError::Conflict { key: key.to_owned(), message: message.to_owned() }
    }

    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest { .. } => 400,
            AppError::Refused(refusal) => refusal.status(),
            AppError::NotSignedIn | AppError::WrongCredentials | AppError::TokenInvalid => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::InviteExpired => 410,
            AppError::TooLarge => 413,
            AppError::Invalid { .. }
            | AppError::SurveyInvalid { .. }
            | AppError::FileRefused { .. }
            | AppError::AnswersInvalid { .. } => 422,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Internal => 500,
            AppError::Unreachable => 502,
            AppError::Busy { .. } => 503,
        }
    }

    /// The stable key of this error, for translation and for API clients.
    pub fn key(&self) -> &str {
        match self {
            AppError::NotSignedIn => "not_signed_in",
            AppError::Forbidden => "forbidden",
            AppError::CrossSite => "cross_site_request",
            AppError::TokenInvalid => "token_invalid",
            AppError::NotFound => "not_found",
            AppError::Invalid { key, .. } | AppError::BadRequest { key, .. } | AppError::Conflict { key, .. } => key,
            AppError::Refused(refusal) => refusal.key(),
            AppError::WrongCredentials => "wrong_credentials",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Busy { .. } => "busy",
            AppError::InviteExpired => "invite_expired",
            AppError::TooLarge => "too_large",
            AppError::SurveyInvalid { .. } => "survey_invalid",
            AppError::FileRefused { .. } => "file_refused",
            AppError::AnswersInvalid { .. } => "answers_invalid",
            AppError::Internal => "internal",
            AppError::Unreachable => "unreachable",
        }
    }

    /// Seconds after which trying again may succeed, sent as `Retry-After` (429 and 503).
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyAttempts { retry_after_secs } | AppError::Busy { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    /// The form field (or address parameter) this error belongs next to, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } | AppError::BadRequest { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The error as every API client receives it (docs/API.md):
    /// `{"error": key, "message": …, "field"?: …, "problems"?: […]}`.
    pub fn body(&self) -> ErrorBody {
        let problems = match self {
            AppError::SurveyInvalid { problems } => serde_json::to_value(problems).ok(),
            AppError::AnswersInvalid { problems } => serde_json::to_value(problems).ok(),
            AppError::FileRefused { problems } => serde_json::to_value(problems).ok(),
            _ => None,
        };
        ErrorBody {
            error: self.key().to_owned(),
            message: self.to_string(),
            field: self.field().filter(|f| !f.is_empty()).map(str::to_owned),
            problems,
        }
    }

    /// Rebuilds an error from its key, for a form that was posted without JavaScript and sent
    /// back with `?error=KEY` (the only thing carried in the address; never free text).
    pub fn from_key(key: &str) -> Option<Self> {
        let message = match key {
            "not_signed_in" => return Some(AppError::NotSignedIn),
            "forbidden" => return Some(AppError::Forbidden),
            "wrong_credentials" => return Some(AppError::WrongCredentials),
            // The wait itself is not carried in the address; a minute is the honest middle.
            "too_many_attempts" => return Some(AppError::TooManyAttempts { retry_after_secs: 60 }),
            "busy" => return Some(AppError::Busy { retry_after_secs: crate::error::BUSY_RETRY_AFTER_SECS }),
            "invite_expired" => return Some(AppError::InviteExpired),
            "internal" => return Some(AppError::Internal),
            "email_missing" => ("email", "Enter an e-mail address."),
            "email_invalid" => ("email", "Enter an e-mail address such as name@city.gov."),
            "email_too_long" => ("email", "That e-mail address is too long."),
            "email_taken" => ("email", "There is already an account with that e-mail address."),
            "role_unknown" => ("role", "Choose a role: admin, designer or analyst."),
            "password_too_short" => ("password", "Choose a password of at least 12 characters."),
            "password_too_long" => ("password", "Choose a password of at most 256 characters."),
            "password_mismatch" => ("password_confirmation", "The two passwords are not the same."),
            "current_password_wrong" => ("current_password", "Your current password is not right."),
            "last_admin" => {
                return Some(AppError::conflict(key, "Canvass needs at least one active administrator."));
            }
            _ => return None,
        };
        Some(AppError::invalid(message.0, key, message.1))
    }
}

/// What a busy answer asks the client to wait, in seconds (rebuilt from its key without one).
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

/// The one body of an error reply from the HTTP API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The stable `snake_case` key.
    pub error: String,
    /// What went wrong, for a person.
    pub message: String,
    /// The field or parameter at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every problem found, for errors that have several (answers, a definition, a file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Vec<Object>>))]
    pub problems: Option<serde_json::Value>,
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    /// A database failure: logged here, once, with where it happened; the client is told only
    /// that something went wrong on our side.
    #[track_caller]
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, at = %std::panic::Location::caller(), "database error");
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments a stranger sent that do not decode are their mistake, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                // Decoding happens before our code runs, so the status is set here: 400, not
                // server_fn's default 500, since the request was at fault.
                #[cfg(feature = "ssr")]
                if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(http::StatusCode::BAD_REQUEST);
                }
                AppError::invalid("", "request_invalid", "The form was incomplete. Please fill it in again.")
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unreachable,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_sent_back_to_a_form_rebuilds_the_same_error() {
        let errors = [
            AppError::WrongCredentials,
            AppError::Forbidden,
            AppError::InviteExpired,
            AppError::invalid("email", "email_invalid", "Enter an e-mail address such as name@city.gov."),
            AppError::invalid("password", "password_too_short", "Choose a password of at least 12 characters."),
            AppError::conflict("last_admin", "Canvass needs at least one active administrator."),
        ];
        for error in errors {
            assert_eq!(AppError::from_key(error.key()).as_ref(), Some(&error));
        }
    }

    #[test]
    fn an_error_body_has_its_key_message_and_only_the_parts_it_has() {
        let body =
            serde_json::to_value(AppError::bad_parameter("map", "parameter_invalid", "use per_thousand.").body())
                .expect("json");
        assert_eq!(
            body,
            serde_json::json!({"error": "parameter_invalid", "message": "use per_thousand.", "field": "map"})
        );
        let body = serde_json::to_value(AppError::NotFound.body()).expect("json");
        assert_eq!(body, serde_json::json!({"error": "not_found", "message": "We could not find that page."}));
        let refused = AppError::FileRefused { problems: vec!["line 2: no id".into()] };
        let body = serde_json::to_value(refused.body()).expect("json");
        assert_eq!(body["problems"], serde_json::json!(["line 2: no id"]));
        assert_eq!(refused.status(), 422);
    }

    #[test]
    fn a_bad_parameter_is_a_bad_request_named_by_its_parameter() {
        let e = AppError::bad_parameter("weight", "parameter_invalid", "no such margin");
        assert_eq!((e.status(), e.key(), e.field()), (400, "parameter_invalid", Some("weight")));
    }

    #[test]
    fn a_made_up_key_in_the_address_is_ignored() {
        assert_eq!(AppError::from_key("<script>"), None);
    }

    #[test]
    fn internal_errors_say_nothing_about_the_cause() {
        assert_eq!(AppError::Internal.status(), 500);
        assert!(!AppError::Internal.to_string().to_lowercase().contains("sql"));
    }

    #[test]
    fn the_wait_is_shown_in_seconds_or_whole_minutes() {
        assert!(AppError::TooManyAttempts { retry_after_secs: 1 }.to_string().contains("wait a second"));
        assert!(AppError::TooManyAttempts { retry_after_secs: 8 }.to_string().contains("wait 8 seconds"));
        assert!(AppError::TooManyAttempts { retry_after_secs: 121 }.to_string().contains("wait 3 minutes"));
    }

    #[test]
    fn busy_is_503_with_a_wait_and_comes_back_from_its_key() {
        let busy = AppError::Busy { retry_after_secs: BUSY_RETRY_AFTER_SECS };
        assert_eq!((busy.status(), busy.key(), busy.retry_after_secs()), (503, "busy", Some(BUSY_RETRY_AFTER_SECS)));
        assert_eq!(AppError::from_key("busy"), Some(busy));
        assert_eq!(AppError::TooManyAttempts { retry_after_secs: 9 }.retry_after_secs(), Some(9));
        assert_eq!(AppError::Internal.retry_after_secs(), None);
    }
}
