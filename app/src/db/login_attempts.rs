//! The log of login attempts that throttling reads.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use time::{Duration, OffsetDateTime};

use super::entities::login_attempt::{ActiveModel, Column, Entity};
use crate::domain::throttle::{RecentFailures, WINDOW_SECS};

/// Counts recent failed attempts for an account name and for a client address.
pub async fn recent_failures(db: &DatabaseConnection, account: &str, client_ip: &str) -> Result<RecentFailures, DbErr> {
    let now = OffsetDateTime::now_utc();
    let since = now - Duration::seconds(WINDOW_SECS as i64);
    let failed_since = || Entity::find().filter(Column::Succeeded.eq(false)).filter(Column::AttemptedAt.gt(since));
    let account_count = failed_since().filter(Column::Account.eq(account)).count(db).await?;
    let client_count = failed_since().filter(Column::ClientIp.eq(client_ip)).count(db).await?;
    let oldest = failed_since()
        .filter(Condition::any().add(Column::Account.eq(account)).add(Column::ClientIp.eq(client_ip)))
        .order_by_asc(Column::AttemptedAt)
        .one(db)
        .await?;
    let oldest_age_secs = oldest.map_or(0, |row| (now - row.attempted_at).whole_seconds().max(0) as u64);
    Ok(RecentFailures { account: account_count, client: client_count, oldest_age_secs })
}

/// Records one attempt.
pub async fn record(db: &DatabaseConnection, account: &str, client_ip: &str, succeeded: bool) -> Result<(), DbErr> {
    ActiveModel {
        account: Set(account.to_owned()),
        client_ip: Set(client_ip.to_owned()),
        succeeded: Set(succeeded),
        attempted_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Forgets attempts older than a day; they no longer count for anything.
pub async fn prune(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let cutoff = OffsetDateTime::now_utc() - Duration::days(1);
    Ok(Entity::delete_many().filter(Column::AttemptedAt.lt(cutoff)).exec(db).await?.rows_affected)
}
