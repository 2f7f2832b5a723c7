//! Running tallies of complete responses, kept in the same transaction that stores them, so that
//! results by area cost O(areas × answers) however many responses there are.
//!
//! - `tally_by_area`: per survey, area, channel, question and answer key: how many answered
//!   (`n`), and the sum and sum of squares of the value (rating points, numbers, ranks).
//!   Question key `""` holds the number of responses. Results by area read only this.
//! - `tally_by_cell`: the same, also by weighting profile (age band, race/ethnicity and tenure
//!   in population-table groups, `""` when unknown). Weighting reads it: raking works on these
//!   cells, and weighted estimates sum each cell's counts times its weight.
//!
//! Both are derived data: `canvass survey recount` recomputes them from the responses.
//!
//! Also `survey.previous_wave_id`: a survey duplicated for the next wave remembers the one it
//! was copied from, so results can compare waves question by question (same keys).

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
                    .add_column(ColumnDef::new(Survey::PreviousWaveId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        // Exports and recounts read a survey's complete responses in id order, a page at a time.
        manager
            .create_index(
                Index::create()
                    .name("idx_response_survey_status_id")
                    .table(Response::Table)
                    .col(Response::SurveyId)
                    .col(Response::Status)
                    .col(Response::Id)
                    .to_owned(),
            )
            .await?;
        manager.create_table(table(TallyByArea::Table, false)).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tally_by_area_key")
                    .table(TallyByArea::Table)
                    .col(Tally::SurveyId)
                    .col(Tally::AreaKey)
                    .col(Tally::Channel)
                    .col(Tally::QuestionKey)
                    .col(Tally::AnswerKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Results for some questions only (a dashboard's one question by area).
        manager
            .create_index(
                Index::create()
                    .name("idx_tally_by_area_question")
                    .table(TallyByArea::Table)
                    .col(Tally::SurveyId)
                    .col(Tally::QuestionKey)
                    .to_owned(),
            )
            .await?;
        manager.create_table(table(TallyByCell::Table, true)).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tally_by_cell_question")
                    .table(TallyByCell::Table)
                    .col(Tally::SurveyId)
                    .col(Tally::QuestionKey)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tally_by_cell_key")
                    .table(TallyByCell::Table)
                    .col(Tally::SurveyId)
                    .col(Tally::AreaKey)
                    .col(Tally::Channel)
                    .col(Tally::Age)
                    .col(Tally::RaceEthnicity)
                    .col(Tally::Tenure)
                    .col(Tally::QuestionKey)
                    .col(Tally::AnswerKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_response_survey_status_id").table(Response::Table).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(TallyByCell::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TallyByArea::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Survey::Table).drop_column(Survey::PreviousWaveId).to_owned()).await
    }
}

fn table(name: impl IntoIden, with_profile: bool) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(name)
        .col(ColumnDef::new(Tally::Id).big_integer().not_null().auto_increment().primary_key())
        .col(ColumnDef::new(Tally::SurveyId).big_integer().not_null())
        // `""` when the response has no area.
        .col(ColumnDef::new(Tally::AreaKey).string_len(128).not_null())
        .col(ColumnDef::new(Tally::Channel).string_len(16).not_null());
    if with_profile {
        t.col(ColumnDef::new(Tally::Age).string_len(32).not_null())
            .col(ColumnDef::new(Tally::RaceEthnicity).string_len(32).not_null())
            .col(ColumnDef::new(Tally::Tenure).string_len(32).not_null());
    }
    t.col(ColumnDef::new(Tally::QuestionKey).string_len(160).not_null())
        .col(ColumnDef::new(Tally::AnswerKey).string_len(64).not_null())
        .col(ColumnDef::new(Tally::N).big_integer().not_null())
        .col(ColumnDef::new(Tally::ValueSum).double().not_null())
        .col(ColumnDef::new(Tally::ValueSumSquares).double().not_null())
        .foreign_key(
            ForeignKey::create()
                .from(name_of(with_profile), Tally::SurveyId)
                .to(Survey::Table, Survey::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn name_of(with_profile: bool) -> DynIden {
    if with_profile { TallyByCell::Table.into_iden() } else { TallyByArea::Table.into_iden() }
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
    PreviousWaveId,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    SurveyId,
    Status,
}

#[derive(DeriveIden)]
enum TallyByArea {
    Table,
}

#[derive(DeriveIden)]
enum TallyByCell {
    Table,
}

#[derive(DeriveIden)]
enum Tally {
    Id,
    SurveyId,
    AreaKey,
    Channel,
    Age,
    RaceEthnicity,
    Tenure,
    QuestionKey,
    AnswerKey,
    N,
    ValueSum,
    ValueSumSquares,
}
