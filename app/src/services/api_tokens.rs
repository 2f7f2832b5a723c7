//! API tokens (docs/SECURITY.md, docs/API.md): an administrator creates one for a machine — a
//! library kiosk, a clerk's data-entry script, the city's dashboard pipeline — allowed one action
//! on one survey. The secret is shown once and stored as its SHA-256; every token is listed with
//! its last use, can be revoked, and creating or revoking one is in the audit log.

use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::db::{api_tokens, audit, survey_cache};
use crate::domain::api_token::{SHOWN_PREFIX, TOKEN_PREFIX, TOKEN_SYMBOLS, TokenAction, looks_like_token, parse_name};
use crate::domain::dates::readable_time;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::services::codes::{LINK_SAFE_LOWER, hash_secret, random_code};

/// A token as lists show it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    pub id: i64,
    pub name: String,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
    pub survey_id: i64,
    pub action: Option<TokenAction>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// What a request with a valid token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenGrant {
    pub token_id: i64,
    pub survey_id: i64,
    pub action: TokenAction,
}

impl TokenGrant {
    /// The grant, if it allows `action` on `survey_id`; else 403.
    pub fn allows(self, survey_id: i64, action: impl Fn(TokenAction) -> bool) -> Result<Self, AppError> {
        if self.survey_id == survey_id && action(self.action) { Ok(self) } else { Err(AppError::Forbidden) }
    }
}

fn summary(row: &api_tokens::TokenRow) -> TokenSummary {
    TokenSummary {
        id: row.id,
        name: row.name.clone(),
        prefix: row.prefix.clone(),
        survey_id: row.survey_id,
        action: TokenAction::from_stored(&row.action, row.channel.as_deref()),
        created_at: readable_time(row.created_at),
        last_used_at: row.last_used_at.map(readable_time),
        revoked_at: row.revoked_at.map(readable_time),
    }
}

/// Creates a token; returns it with its secret, which is shown this once and never again.
pub async fn create(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    name: &str,
    survey_id: i64,
    action: TokenAction,
) -> Result<(TokenSummary, String), AppError> {
    let name = parse_name(name).map_err(|message| AppError::invalid("name", "token_name_invalid", message))?;
    survey_cache::by_id(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let secret = format!("{TOKEN_PREFIX}{}", random_code(LINK_SAFE_LOWER, TOKEN_SYMBOLS));
    let (action_name, channel) = action.stored();
    let row = api_tokens::insert(
        db,
        api_tokens::NewToken {
            name: &name,
            secret_hash: &hash_secret(&secret),
            prefix: &secret[..SHOWN_PREFIX],
            survey_id,
            action: action_name,
            channel,
            created_by: actor.map(|a| a.id),
        },
    )
    .await?;
    let subject = format!("api_token:{}", row.id);
    let detail = json!({"name": name, "survey": survey_id, "action": action.describe(), "prefix": row.prefix});
    audit::record(db, actor.map(|a| a.id), "api_token.created", &subject, detail).await?;
    tracing::info!(token.id = row.id, survey.id = survey_id, action = action_name, "API token created");
    Ok((summary(&row), secret))
}

/// Every token, newest first, revoked ones too.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<TokenSummary>, AppError> {
    Ok(api_tokens::list(db).await?.iter().map(summary).collect())
}

/// Revokes a token: from now on it is refused.
pub async fn revoke(db: &DatabaseConnection, actor: Option<&CurrentUser>, id: i64) -> Result<TokenSummary, AppError> {
    let row = api_tokens::find(db, id).await?.ok_or(AppError::NotFound)?;
    if !api_tokens::revoke(db, id).await? {
        return Err(AppError::conflict("token_revoked", "That token was revoked already."));
    }
    audit::record(db, actor.map(|a| a.id), "api_token.revoked", &format!("api_token:{id}"), json!({"name": row.name}))
        .await?;
    tracing::info!(token.id = id, "API token revoked");
    let row = api_tokens::find(db, id).await?.ok_or(AppError::NotFound)?;
    Ok(summary(&row))
}

/// What the token in `Authorization: Bearer` allows; 401 `token_invalid` for a secret that is
/// malformed, unknown or revoked (the three are not told apart).
pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> Result<TokenGrant, AppError> {
    let invalid = || AppError::TokenInvalid;
    if !looks_like_token(secret) {
        return Err(invalid());
    }
    let row = api_tokens::find_live_by_hash(db, &hash_secret(secret)).await?.ok_or_else(invalid)?;
    let action = TokenAction::from_stored(&row.action, row.channel.as_deref()).ok_or_else(invalid)?;
    api_tokens::touch(db, row.id, time::OffsetDateTime::now_utc()).await?;
    Ok(TokenGrant { token_id: row.id, survey_id: row.survey_id, action })
}
