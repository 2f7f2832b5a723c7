//! Surveys, their recorded versions, and the audit log of staff actions.
//!
//! A survey's definition is stored whole as JSON (the documented format in
//! `docs/SURVEY_FORMAT.md`): it is always read and written as one unit, validated by the domain
//! model, and versioned as a unit. Columns hold only what lists and schedules query.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Survey::Table)
                    .col(ColumnDef::new(Survey::Id).big_integer().not_null().auto_increment().primary_key())
                    // The short code in the public link /s/{public_key}; random, not guessable from the id.
                    .col(ColumnDef::new(Survey::PublicKey).string_len(16).not_null().unique_key())
                    .col(ColumnDef::new(Survey::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Survey::Status).string_len(16).not_null())
                    // The title in the default language, for lists.
                    .col(ColumnDef::new(Survey::Title).text().not_null())
                    .col(ColumnDef::new(Survey::Definition).text().not_null())
                    .col(ColumnDef::new(Survey::Version).integer().not_null())
                    .col(ColumnDef::new(Survey::OpensAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(Survey::ClosesAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(Survey::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(Survey::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Survey::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_created_by")
                            .from(Survey::Table, Survey::CreatedBy)
                            .to(StaffUser::Table, StaffUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SurveyVersion::Table)
                    .col(ColumnDef::new(SurveyVersion::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(SurveyVersion::SurveyId).big_integer().not_null())
                    .col(ColumnDef::new(SurveyVersion::Version).integer().not_null())
                    .col(ColumnDef::new(SurveyVersion::Definition).text().not_null())
                    .col(ColumnDef::new(SurveyVersion::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(SurveyVersion::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_version_survey")
                            .from(SurveyVersion::Table, SurveyVersion::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_version_unique")
                    .table(SurveyVersion::Table)
                    .col(SurveyVersion::SurveyId)
                    .col(SurveyVersion::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(ColumnDef::new(AuditEvent::Id).big_integer().not_null().auto_increment().primary_key())
                    // Null for actions taken from the command line.
                    .col(ColumnDef::new(AuditEvent::ActorId).big_integer().null())
                    .col(ColumnDef::new(AuditEvent::Action).string_len(64).not_null())
                    // What was acted on, e.g. "survey:12" or "staff_user:3".
                    .col(ColumnDef::new(AuditEvent::Subject).string_len(64).not_null())
                    .col(ColumnDef::new(AuditEvent::Detail).text().not_null())
                    .col(ColumnDef::new(AuditEvent::At).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_event_actor")
                            .from(AuditEvent::Table, AuditEvent::ActorId)
                            .to(StaffUser::Table, StaffUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_audit_event_at").table(AuditEvent::Table).col(AuditEvent::At).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditEvent::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SurveyVersion::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Survey::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
    PublicKey,
    Kind,
    Status,
    Title,
    Definition,
    Version,
    OpensAt,
    ClosesAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyVersion {
    Table,
    Id,
    SurveyId,
    Version,
    Definition,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    ActorId,
    Action,
    Subject,
    Detail,
    At,
}
