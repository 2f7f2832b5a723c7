//! The audit log: who did what to which thing, and when.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;

use super::entities::audit_event;

/// Records one staff action. `actor_id` is `None` for the command line.
pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        subject: Set(subject.to_owned()),
        detail: Set(detail.to_string()),
        at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The most recent events, newest first.
pub async fn recent(db: &DatabaseConnection, limit: u64) -> Result<Vec<audit_event::Model>, DbErr> {
    audit_event::Entity::find()
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
