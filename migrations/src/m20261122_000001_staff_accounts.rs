//! Staff accounts, their server-side sessions, and the log of login attempts used for throttling.
//!
//! Sessions live in the database (not in memory) so that a city can run several stateless app
//! servers behind a load balancer. Login attempts are also in the database for the same reason:
//! an in-memory rate limiter would give an attacker a fresh budget on every server.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffUser::Table)
                    .col(ColumnDef::new(StaffUser::Id).big_integer().not_null().auto_increment().primary_key())
                    // Stored lower-cased; uniqueness is what makes an email an account name.
                    .col(ColumnDef::new(StaffUser::Email).string_len(254).not_null().unique_key())
                    .col(ColumnDef::new(StaffUser::Role).string_len(16).not_null())
                    // invited | active | deactivated
                    .col(ColumnDef::new(StaffUser::Status).string_len(16).not_null())
                    // Null until an invited person chooses a password.
                    .col(ColumnDef::new(StaffUser::PasswordHash).text().null())
                    // SHA-256 of the one-time invite code; the code itself is never stored.
                    .col(ColumnDef::new(StaffUser::InviteCodeHash).string_len(64).null().unique_key())
                    .col(ColumnDef::new(StaffUser::InviteExpiresAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(StaffUser::LastLoginAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(StaffUser::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(StaffUser::UpdatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    // tower-sessions' random 128-bit id, base64: only its holder can present it.
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
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(ColumnDef::new(LoginAttempt::Id).big_integer().not_null().auto_increment().primary_key())
                    // The lower-cased email that was tried, whether or not such an account exists.
                    .col(ColumnDef::new(LoginAttempt::Account).string_len(254).not_null())
                    .col(ColumnDef::new(LoginAttempt::ClientIp).string_len(64).not_null())
                    .col(ColumnDef::new(LoginAttempt::Succeeded).boolean().not_null())
                    .col(ColumnDef::new(LoginAttempt::AttemptedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempt_account")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::Account)
                    .col(LoginAttempt::AttemptedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempt_client_ip")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::ClientIp)
                    .col(LoginAttempt::AttemptedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LoginAttempt::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(StaffSession::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(StaffUser::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    Id,
    Email,
    Role,
    Status,
    PasswordHash,
    InviteCodeHash,
    InviteExpiresAt,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Account,
    ClientIp,
    Succeeded,
    AttemptedAt,
}
