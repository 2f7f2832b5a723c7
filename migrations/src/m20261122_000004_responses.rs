//! Residents' responses, invite codes, and who may answer a survey.
//!
//! One `response` row is one resident's response, in progress (saved page by page, found again by
//! a resume token) or complete. A complete response keeps the checked answers as JSON in the
//! survey's documented answer format, its channel (`invited`, `open`, `paper`, `kiosk`) and the
//! area it speaks for; never the resident's address, location or IP. Secrets a browser holds
//! (resume token, device token) are stored only as SHA-256 hashes.
//!
//! The `(survey_id, submission_id)` unique index is what makes a retried or double-tapped
//! submission harmless: the second insert finds the first and returns its receipt.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // `open`, `invite_only` or `both`: who may answer.
        manager
            .alter_table(
                Table::alter()
                    .table(Survey::Table)
                    .add_column(ColumnDef::new(Survey::Access).string_len(16).not_null().default("open"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InviteCode::Table)
                    .col(ColumnDef::new(InviteCode::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(InviteCode::SurveyId).big_integer().not_null())
                    // Eight Crockford base-32 symbols, stored without the dash.
                    .col(ColumnDef::new(InviteCode::Code).string_len(16).not_null())
                    // Codes generated together (one mailing) share a batch number.
                    .col(ColumnDef::new(InviteCode::Batch).integer().not_null())
                    // The area the sampled address is in, when the sample was drawn by area.
                    .col(ColumnDef::new(InviteCode::AreaKey).string_len(128).null())
                    .col(ColumnDef::new(InviteCode::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(InviteCode::UsedAt).timestamp_with_time_zone().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invite_code_survey")
                            .from(InviteCode::Table, InviteCode::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_invite_code_unique")
                    .table(InviteCode::Table)
                    .col(InviteCode::SurveyId)
                    .col(InviteCode::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Response::Table)
                    .col(ColumnDef::new(Response::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Response::SurveyId).big_integer().not_null())
                    // The definition version the resident answered.
                    .col(ColumnDef::new(Response::SurveyVersion).integer().not_null())
                    // `in_progress` or `complete`.
                    .col(ColumnDef::new(Response::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Response::Channel).string_len(16).not_null())
                    .col(ColumnDef::new(Response::Language).string_len(16).not_null())
                    // In progress: the fields typed so far (a JSON list of [name, value]); complete:
                    // the checked answers by question key.
                    .col(ColumnDef::new(Response::Answers).text().not_null())
                    // In progress: the page to show on return.
                    .col(ColumnDef::new(Response::CurrentPage).integer().not_null().default(0))
                    .col(ColumnDef::new(Response::AreaKey).string_len(128).null())
                    .col(ColumnDef::new(Response::InviteCodeId).big_integer().null())
                    .col(ColumnDef::new(Response::ResumeTokenHash).string_len(64).null())
                    .col(ColumnDef::new(Response::DeviceHash).string_len(64).null())
                    .col(ColumnDef::new(Response::SubmissionId).string_len(64).null())
                    .col(ColumnDef::new(Response::Receipt).string_len(16).null())
                    .col(ColumnDef::new(Response::StartedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Response::UpdatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Response::SubmittedAt).timestamp_with_time_zone().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_response_survey")
                            .from(Response::Table, Response::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_response_invite_code")
                            .from(Response::Table, Response::InviteCodeId)
                            .to(InviteCode::Table, InviteCode::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_response_submission", vec![Response::SurveyId, Response::SubmissionId], true),
            ("idx_response_receipt", vec![Response::SurveyId, Response::Receipt], true),
            ("idx_response_resume", vec![Response::ResumeTokenHash], true),
            ("idx_response_device", vec![Response::SurveyId, Response::DeviceHash], false),
            ("idx_response_status", vec![Response::SurveyId, Response::Status], false),
        ] {
            let mut index = Index::create();
            index.name(name).table(Response::Table);
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Response::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(InviteCode::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Survey::Table).drop_column(Survey::Access).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
    Access,
}

#[derive(DeriveIden)]
enum InviteCode {
    Table,
    Id,
    SurveyId,
    Code,
    Batch,
    AreaKey,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Response {
    Table,
    Id,
    SurveyId,
    SurveyVersion,
    Status,
    Channel,
    Language,
    Answers,
    CurrentPage,
    AreaKey,
    InviteCodeId,
    ResumeTokenHash,
    DeviceHash,
    SubmissionId,
    Receipt,
    StartedAt,
    UpdatedAt,
    SubmittedAt,
}
