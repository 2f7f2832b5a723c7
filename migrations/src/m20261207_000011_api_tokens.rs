//! API tokens: secrets an administrator creates for a machine (a library kiosk, a clerk's
//! data-entry script, the city's dashboard pipeline), each allowed one action on one survey.
//! Only the SHA-256 of the secret is stored; `prefix` (its first characters) tells tokens apart
//! in lists. Revoked tokens are kept, with when, for the audit trail.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(ColumnDef::new(ApiToken::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(ApiToken::Name).string_len(100).not_null())
                    .col(ColumnDef::new(ApiToken::SecretHash).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(ApiToken::Prefix).string_len(16).not_null())
                    .col(ColumnDef::new(ApiToken::SurveyId).big_integer().not_null())
                    // `submit_responses` or `read_results`.
                    .col(ColumnDef::new(ApiToken::Action).string_len(32).not_null())
                    // For `submit_responses`: the channel its responses are recorded in.
                    .col(ColumnDef::new(ApiToken::Channel).string_len(16).null())
                    .col(ColumnDef::new(ApiToken::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(ApiToken::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(ApiToken::LastUsedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(ApiToken::RevokedAt).timestamp_with_time_zone().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_survey")
                            .from(ApiToken::Table, ApiToken::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiToken::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    Name,
    SecretHash,
    Prefix,
    SurveyId,
    Action,
    Channel,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
}
