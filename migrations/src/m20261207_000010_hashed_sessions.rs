//! `staff_session` again, for three protections (issue 15, item 14):
//!
//! - `id` now holds the SHA-256 (hex) of the session id, never the id a browser holds, so a copy
//!   of the database does not hand out live sessions;
//! - `created_at`: a session ends 12 hours after it began, however active it is;
//! - `staff_user_id`: whom the session is signed in as, so that a password change can end that
//!   account's other sessions (deleted with the account).
//!
//! The table is dropped and created again rather than altered: its rows' ids are the plain ids
//! this migration is about not keeping, SQLite cannot add a NOT NULL column without a constant
//! default, and sessions are short-lived anyway. Everyone signs in once more after the upgrade.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(StaffSession::Table).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    // SHA-256 of tower-sessions' random 128-bit id, as 64 hex digits.
                    .col(ColumnDef::new(StaffSession::Id).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(StaffSession::StaffUserId).big_integer().null())
                    .col(ColumnDef::new(StaffSession::Data).text().not_null())
                    .col(ColumnDef::new(StaffSession::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(StaffSession::ExpiresAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_session_staff_user")
                            .from(StaffSession::Table, StaffSession::StaffUserId)
                            .to(StaffUser::Table, StaffUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_staff_session_expires_at")
                    .table(StaffSession::Table)
                    .col(StaffSession::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_staff_session_staff_user_id")
                    .table(StaffSession::Table)
                    .col(StaffSession::StaffUserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(StaffSession::Table).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    .col(ColumnDef::new(StaffSession::Id).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(StaffSession::Data).text().not_null())
                    .col(ColumnDef::new(StaffSession::ExpiresAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_staff_session_expires_at")
                    .table(StaffSession::Table)
                    .col(StaffSession::ExpiresAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Id,
    StaffUserId,
    Data,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    Id,
}
