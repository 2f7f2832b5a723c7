//! `survey.results_public`: staff switch a survey's public results page on (`/s/{key}/results`).
//! Off by default: nothing about a survey's answers is public until someone decides it is.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Survey::Table)
                    .add_column(ColumnDef::new(Survey::ResultsPublic).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Survey::Table).drop_column(Survey::ResultsPublic).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    ResultsPublic,
}
