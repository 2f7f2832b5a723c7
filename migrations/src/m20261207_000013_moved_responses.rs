//! `response.moved_token_hash`: when a resident opens their "continue later" link on another
//! device and continues there, the token the first device's cookie still holds is kept here
//! (hashed, as every token is), so that the first device is told where the response went instead
//! of silently starting an empty one (issue 16).

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
                    .add_column(ColumnDef::new(Response::MovedTokenHash).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_response_moved_token_hash")
                    .table(Response::Table)
                    .col(Response::MovedTokenHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_response_moved_token_hash").table(Response::Table).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Response::Table).drop_column(Response::MovedTokenHash).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Response {
    Table,
    MovedTokenHash,
}
