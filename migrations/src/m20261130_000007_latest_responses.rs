//! An index for the fieldwork view, which asks every 15 seconds how many responses came today and
//! when the latest came: by survey, status and submission time, both are read from the index
//! instead of every response of the survey.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_response_survey_status_submitted";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Response::Table)
                    .col(Response::SurveyId)
                    .col(Response::Status)
                    .col(Response::SubmittedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Response::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Response {
    Table,
    SurveyId,
    Status,
    SubmittedAt,
}
