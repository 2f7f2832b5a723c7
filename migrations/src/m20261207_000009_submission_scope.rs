//! Submission ids are scoped by who submits (the resident's form, the anonymous API, a staff
//! member typing in paper forms, an API token), so an anonymous caller can no longer claim an
//! id a clerk will use later; the scope is written before the id (`staff-12:paper-0002`), which
//! needs a longer column. Each complete response also keeps a hash of its answers, so an id
//! reused with different answers is told apart from a retry.
//!
//! Ids stored before this migration keep their unscoped form: they match no new submission,
//! so a client retrying across the upgrade stores its response once more at most.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .add_column(ColumnDef::new(Response::AnswersHash).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        // SQLite does not enforce a text column's length (and cannot change a column's type).
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .alter_table(
                    Table::alter()
                        .table(Response::Table)
                        .modify_column(ColumnDef::new(Response::SubmissionId).string_len(160).null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Response::Table).drop_column(Response::AnswersHash).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Response {
    Table,
    SubmissionId,
    AnswersHash,
}
