//! The log of login attempts that throttling reads.
//!
//! An attempt is written *before* its password is checked, as a failure (`reserve`), and the
//! throttle counts the other attempts it can see; only then is the password checked, and the row
//! marked with the outcome (`settle`). An attempt refused by the throttle is removed again
//! (`withdraw`): it checked nothing, and it must not lengthen the wait of the account's owner.
//!
//! Why this is enough for parallel guesses, on SQLite and PostgreSQL alike, with no lock: each
//! attempt's row is committed before it counts, and it counts every other row, earlier or later.
//! Of the attempts that go ahead, the one that counted last saw all the others' rows (each was
//! committed before its own count, hence before the last count), so at most as many go ahead as
//! the throttle allows for that count. Under a burst the throttle may refuse more than it had to
//! (it sees rows that are about to be withdrawn), never fewer.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use time::{Duration, OffsetDateTime};

use super::entities::login_attempt::{ActiveModel, Column, Entity};
use crate::domain::throttle::{ACCOUNT_WINDOW_SECS, CLIENT_WINDOW_SECS, RecentFailures};

/// One attempt's row, reserved before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reserved(i64);

/// Writes an attempt as a failure, before its password is checked.
pub async fn reserve(db: &DatabaseConnection, account: &str, client_ip: &str) -> Result<Reserved, DbErr> {
    let row = ActiveModel {
        account: Set(account.to_owned()),
        client_ip: Set(client_ip.to_owned()),
        succeeded: Set(false),
        attempted_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Reserved(row.id))
}

/// Records the outcome of a checked attempt; a failure counts from now (when it was known).
pub async fn settle(db: &DatabaseConnection, attempt: Reserved, succeeded: bool) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(attempt.0),
        succeeded: Set(succeeded),
        attempted_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Removes an attempt that was refused before its password was checked.
pub async fn withdraw(db: &DatabaseConnection, attempt: Reserved) -> Result<(), DbErr> {
    Entity::delete_by_id(attempt.0).exec(db).await?;
    Ok(())
}

/// The failures `attempt` must take into account: every other attempt for the account since its
/// last success (within a day) and from the address (within the address's window), including
/// attempts still being checked.
pub async fn recent_failures(
    db: &DatabaseConnection,
    account: &str,
    client_ip: &str,
    attempt: Reserved,
) -> Result<RecentFailures, DbErr> {
    let now = OffsetDateTime::now_utc();
    let others = || Entity::find().filter(Column::Id.ne(attempt.0));
    let last_success = others()
        .filter(Column::Account.eq(account))
        .filter(Column::Succeeded.eq(true))
        .order_by_desc(Column::AttemptedAt)
        .one(db)
        .await?
        .map(|row| row.attempted_at);
    let window_start = now - Duration::seconds(ACCOUNT_WINDOW_SECS as i64);
    let account_since = last_success.map_or(window_start, |success| success.max(window_start));
    let account_failures = || {
        others()
            .filter(Column::Account.eq(account))
            .filter(Column::Succeeded.eq(false))
            .filter(Column::AttemptedAt.gt(account_since))
    };
    let client_failures = || {
        others()
            .filter(Column::ClientIp.eq(client_ip))
            .filter(Column::Succeeded.eq(false))
            .filter(Column::AttemptedAt.gt(now - Duration::seconds(CLIENT_WINDOW_SECS as i64)))
    };
    let age = |at: Option<OffsetDateTime>| at.map_or(0, |at| (now - at).whole_seconds().max(0) as u64);
    Ok(RecentFailures {
        account: account_failures().count(db).await?,
        account_latest_age_secs: age(account_failures()
            .order_by_desc(Column::AttemptedAt)
            .one(db)
            .await?
            .map(|row| row.attempted_at)),
        client: client_failures().count(db).await?,
        client_oldest_age_secs: age(client_failures()
            .order_by_asc(Column::AttemptedAt)
            .one(db)
            .await?
            .map(|row| row.attempted_at)),
    })
}

/// Records one attempt whose outcome is already known (tests, and attempts made elsewhere).
pub async fn record(db: &DatabaseConnection, account: &str, client_ip: &str, succeeded: bool) -> Result<(), DbErr> {
    let attempt = reserve(db, account, client_ip).await?;
    settle(db, attempt, succeeded).await
}

/// Forgets attempts older than the account window; they no longer count for anything.
pub async fn prune(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let cutoff = OffsetDateTime::now_utc() - Duration::seconds(ACCOUNT_WINDOW_SECS as i64);
    Ok(Entity::delete_many().filter(Column::AttemptedAt.lt(cutoff)).exec(db).await?.rows_affected)
}
