//! API tokens for machines (administrators only): list them, create one (its secret is the
//! answer, shown once), revoke one. The CLI does the same with `canvass token ...`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::api_token::TokenAction;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{domain::Role, server_fns::context, services};

/// A token as the page lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedToken {
    pub id: i64,
    pub name: String,
    /// The secret's first characters (`cvt_k3x9q2`), to tell tokens apart.
    pub prefix: String,
    pub survey_id: i64,
    /// The survey's title, if the survey is still there.
    pub survey_title: Option<String>,
    /// What it may do; `None` for a stored action Canvass does not know (it grants nothing).
    pub action: Option<TokenAction>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A token just created and its secret: the create function's answer, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub token: ListedToken,
    /// The whole secret (`cvt_…`); Canvass keeps only its SHA-256.
    pub secret: String,
}

impl std::fmt::Debug for NewToken {
    /// Never the secret, whatever logs it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken").field("token", &self.token).field("secret", &"<redacted>").finish()
    }
}

/// A survey a token can be made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyChoice {
    pub id: i64,
    pub title: String,
    /// `draft`, `open`, `closed` or `archived`.
    pub status: String,
}

/// The tokens page's data: every token, the surveys a new one can be for, and the token just
/// created by a form posted without JavaScript (shown once; with JavaScript the create
/// function's own answer shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenDirectory {
    pub tokens: Vec<ListedToken>,
    pub surveys: Vec<SurveyChoice>,
    pub just_created: Option<NewToken>,
}

/// The form's "what it may do" values: `submit-kiosk`, `submit-paper`, `read-results` (and the
/// CLI's words, `submit-responses` meaning kiosk).
pub fn action_from_form(can: &str) -> Option<TokenAction> {
    let parsed = match can.trim() {
        "submit-kiosk" => TokenAction::parse("submit-responses", Some("kiosk")),
        "submit-paper" => TokenAction::parse("submit-responses", Some("paper")),
        other => TokenAction::parse(other, None),
    };
    parsed.ok()
}

/// The form value for an action (the inverse of [`action_from_form`]).
pub fn action_form_value(action: TokenAction) -> &'static str {
    use crate::domain::access::Channel;
    match action {
        TokenAction::SubmitResponses(Channel::Paper) => "submit-paper",
        TokenAction::SubmitResponses(_) => "submit-kiosk",
        TokenAction::ReadResults => "read-results",
    }
}

const NAME_INVALID: &str = "token_name_invalid";
const SURVEY_UNKNOWN: &str = "token_survey_unknown";
const ACTION_INVALID: &str = "token_action_invalid";
/// Sent by `services::api_tokens::revoke`.
const ALREADY_REVOKED: &str = "token_revoked";

/// Rebuilds an error of this page from the key a form posted without JavaScript was sent back
/// with (`?error=KEY`); other keys as every form does.
pub fn error_from_key(key: &str) -> Option<AppError> {
    match key {
        NAME_INVALID => Some(AppError::invalid(
            "name",
            key,
            "Give the token a name of at most 100 characters that says which machine uses it, e.g. \"Main library kiosk\".",
        )),
        SURVEY_UNKNOWN => Some(AppError::invalid("survey", key, "Choose a survey from the list.")),
        ACTION_INVALID => Some(AppError::invalid("can", key, "Choose what the token may do.")),
        ALREADY_REVOKED => Some(AppError::conflict(key, "That token was revoked already.")),
        "not_found" => Some(AppError::NotFound),
        other => AppError::from_key(other),
    }
}

#[cfg(feature = "ssr")]
fn listed(token: services::api_tokens::TokenSummary, surveys: &[SurveyChoice]) -> ListedToken {
    ListedToken {
        survey_title: surveys.iter().find(|s| s.id == token.survey_id).map(|s| s.title.clone()),
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        survey_id: token.survey_id,
        action: token.action,
        created_at: token.created_at,
        last_used_at: token.last_used_at,
        revoked_at: token.revoked_at,
    }
}

#[cfg(feature = "ssr")]
async fn survey_choices(db: &sea_orm::DatabaseConnection) -> Result<Vec<SurveyChoice>, AppError> {
    Ok(services::surveys::list(db)
        .await?
        .into_iter()
        .map(|s| SurveyChoice { id: s.id, title: s.title, status: s.status.as_str().to_owned() })
        .collect())
}

/// Every token, newest first, revoked ones too, and the surveys; with `created` (the address a
/// create form without JavaScript is sent to), also the token that form left in its cookie
/// (`web::shown_once`), which is then cleared.
///
/// The cookie is sent only to the page `/admin/tokens`, so only the page's own render (not a
/// later call from the browser) sees it.
#[server(endpoint = "tokens/list")]
pub async fn list_tokens(created: Option<String>) -> Result<TokenDirectory, AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        let surveys = survey_choices(&admin.db).await?;
        let tokens =
            services::api_tokens::list(&admin.db).await?.into_iter().map(|token| listed(token, &surveys)).collect();
        let just_created = match created {
            Some(_) => context::take_shown_once(crate::web::shown_once::NEW_TOKEN),
            None => None,
        };
        Ok(TokenDirectory { tokens, surveys, just_created })
    }
    .await;
    context::reply(result, "/admin/tokens", &[])
}

/// Creates a token for one survey and one action (`can`: see [`action_from_form`]) and
/// answers with it and its secret, which the page shows once. Without JavaScript the browser is
/// sent back to the tokens page, the secret waiting five minutes in a cookie of its own
/// (`web::shown_once`), as a fresh invite link does; it is never kept in the session.
#[server(endpoint = "tokens/create")]
pub async fn create_token(name: String, survey: String, can: String) -> Result<NewToken, AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        let action = action_from_form(&can)
            .ok_or_else(|| AppError::invalid("can", ACTION_INVALID, "Choose what the token may do."))?;
        let survey_unknown = || AppError::invalid("survey", SURVEY_UNKNOWN, "Choose a survey from the list.");
        let survey_id: i64 = survey.trim().parse().map_err(|_| survey_unknown())?;
        let (token, secret) =
            match services::api_tokens::create(&admin.db, Some(&admin.user), &name, survey_id, action).await {
                Err(AppError::NotFound) => return Err(survey_unknown()),
                other => other?,
            };
        let surveys = survey_choices(&admin.db).await?;
        Ok(NewToken { token: listed(token, &surveys), secret })
    }
    .await;
    let kept_name: String = name.trim().chars().take(100).collect();
    let keep = [("name", kept_name.as_str()), ("survey", survey.trim()), ("can", can.trim())];
    let created = context::reply(result, "/admin/tokens", &keep)?;
    if context::is_plain_form_post() {
        context::keep_shown_once(crate::web::shown_once::NEW_TOKEN, &created);
        context::go_to("/admin/tokens?created=1");
    }
    Ok(created)
}

/// Revokes a token: requests with it are refused from now on.
#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        // A token revoked already is a 409 `token_revoked`; an unknown one a 404.
        services::api_tokens::revoke(&admin.db, Some(&admin.user), id).await.map(|_| ())
    }
    .await;
    context::reply(result, "/admin/tokens", &[])?;
    context::go_to("/admin/tokens");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Channel;

    #[test]
    fn the_forms_choices_are_the_three_things_a_token_can_do() {
        for action in [
            TokenAction::SubmitResponses(Channel::Kiosk),
            TokenAction::SubmitResponses(Channel::Paper),
            TokenAction::ReadResults,
        ] {
            assert_eq!(action_from_form(action_form_value(action)), Some(action));
        }
        assert_eq!(action_from_form("submit-responses"), Some(TokenAction::SubmitResponses(Channel::Kiosk)));
        assert_eq!(action_from_form("submit-open"), None);
        assert_eq!(action_from_form("delete-everything"), None);
        assert_eq!(action_from_form(""), None);
    }

    #[test]
    fn every_key_this_page_sends_back_rebuilds_its_error() {
        for key in [NAME_INVALID, SURVEY_UNKNOWN, ACTION_INVALID, ALREADY_REVOKED, "not_found", "forbidden"] {
            assert_eq!(error_from_key(key).map(|e| e.key().to_owned()), Some(key.to_owned()));
        }
        assert_eq!(error_from_key(NAME_INVALID).and_then(|e| e.field().map(str::to_owned)), Some("name".to_owned()));
        assert_eq!(error_from_key("made_up"), None);
    }

    #[test]
    fn a_new_tokens_debug_never_shows_its_secret() {
        let token = NewToken {
            token: ListedToken {
                id: 1,
                name: "Lobby kiosk".into(),
                prefix: "cvt_abcdef".into(),
                survey_id: 2,
                survey_title: None,
                action: Some(TokenAction::ReadResults),
                created_at: "now".into(),
                last_used_at: None,
                revoked_at: None,
            },
            secret: "cvt_abcdefsecretsecretsecretsecret".into(),
        };
        assert!(!format!("{token:?}").contains("secretsecret"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_kept_token_is_read_back_and_only_sent_to_the_tokens_page() {
        let token = NewToken {
            token: ListedToken {
                id: 1,
                name: "Lobby kiosk".into(),
                prefix: "cvt_abcdef".into(),
                survey_id: 2,
                survey_title: Some("Parks".into()),
                action: Some(TokenAction::SubmitResponses(Channel::Paper)),
                created_at: "now".into(),
                last_used_at: None,
                revoked_at: None,
            },
            secret: "cvt_abcdef".to_owned() + &"x".repeat(25),
        };
        use crate::web::cookies::Secure;
        use crate::web::shown_once::NEW_TOKEN;
        let set_cookie = NEW_TOKEN.keep(&token, Secure(true)).expect("cookie");
        for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/admin/tokens", "Max-Age=300"] {
            assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
        }
        let value = set_cookie.split(';').next().expect("name=value");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, format!("other=1; {value}").parse().expect("header"));
        assert_eq!(NEW_TOKEN.read(&headers), Some(token));
        assert!(NEW_TOKEN.clear(Secure(false)).contains("Max-Age=0"));
    }
}
