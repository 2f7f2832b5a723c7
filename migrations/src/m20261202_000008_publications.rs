//! `publication`: a dated, suppressed and audited snapshot of a survey's results. Everything a
//! stranger can read about a survey's answers (the public results page, the public files, a
//! quick poll's results after voting) is read from its latest publication, never from the
//! running tallies. Earlier publications are kept, so a city can say what was public when.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Publication::Table)
                    .col(ColumnDef::new(Publication::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Publication::SurveyId).big_integer().not_null())
                    .col(ColumnDef::new(Publication::PublishedAt).timestamp_with_time_zone().not_null())
                    // Null for the command line and for a quick poll's automatic refresh.
                    .col(ColumnDef::new(Publication::PublishedBy).big_integer().null())
                    // A quick poll's results after voting, refreshed by Canvass itself.
                    .col(ColumnDef::new(Publication::Automatic).boolean().not_null().default(false))
                    .col(ColumnDef::new(Publication::Threshold).integer().not_null())
                    .col(ColumnDef::new(Publication::Respondents).big_integer().null())
                    .col(ColumnDef::new(Publication::Withheld).integer().not_null())
                    // The published results as JSON, every figure already suppressed.
                    .col(ColumnDef::new(Publication::Results).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_publication_survey")
                            .from(Publication::Table, Publication::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_publication_staff")
                            .from(Publication::Table, Publication::PublishedBy)
                            .to(StaffUser::Table, StaffUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_publication_survey")
                    .table(Publication::Table)
                    .col(Publication::SurveyId)
                    .col(Publication::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Publication::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Publication {
    Table,
    Id,
    SurveyId,
    PublishedAt,
    PublishedBy,
    Automatic,
    Threshold,
    Respondents,
    Withheld,
    Results,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    Id,
}
