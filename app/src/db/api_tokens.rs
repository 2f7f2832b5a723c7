//! API tokens as stored (`api_token`): only each secret's SHA-256 and its first characters.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;

use crate::db::entities::api_token;

/// A stored token.
pub type TokenRow = api_token::Model;

/// What a new token is stored with.
pub struct NewToken<'a> {
    pub name: &'a str,
    pub secret_hash: &'a str,
    pub prefix: &'a str,
    pub survey_id: i64,
    pub action: &'a str,
    pub channel: Option<&'a str>,
    pub created_by: Option<i64>,
}

/// Stores a new token.
pub async fn insert(db: &DatabaseConnection, new: NewToken<'_>) -> Result<TokenRow, DbErr> {
    api_token::ActiveModel {
        name: Set(new.name.to_owned()),
        secret_hash: Set(new.secret_hash.to_owned()),
        prefix: Set(new.prefix.to_owned()),
        survey_id: Set(new.survey_id),
        action: Set(new.action.to_owned()),
        channel: Set(new.channel.map(str::to_owned)),
        created_by: Set(new.created_by),
        created_at: Set(OffsetDateTime::now_utc()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Every token, newest first (revoked ones too).
pub async fn list(db: &DatabaseConnection) -> Result<Vec<TokenRow>, DbErr> {
    api_token::Entity::find().order_by_desc(api_token::Column::Id).all(db).await
}

/// The token with this id.
pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<TokenRow>, DbErr> {
    api_token::Entity::find_by_id(id).one(db).await
}

/// The unrevoked token whose secret has this hash.
pub async fn find_live_by_hash(db: &DatabaseConnection, secret_hash: &str) -> Result<Option<TokenRow>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::SecretHash.eq(secret_hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await
}

/// Records a use, at most once a minute per token (a busy kiosk does not write on every request).
pub async fn touch(db: &DatabaseConnection, id: i64, now: OffsetDateTime) -> Result<(), DbErr> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
        .filter(api_token::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(api_token::Column::LastUsedAt.is_null())
                .add(api_token::Column::LastUsedAt.lt(now - time::Duration::minutes(1))),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes a token; `false` when it does not exist or was revoked already.
pub async fn revoke(db: &DatabaseConnection, id: i64) -> Result<bool, DbErr> {
    let updated = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(OffsetDateTime::now_utc())))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}
