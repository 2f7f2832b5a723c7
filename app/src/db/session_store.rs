//! tower-sessions storage in the Canvass database, so that several app servers share sessions.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::entities::staff_session;

/// Sessions stored in the `staff_session` table.
#[derive(Debug, Clone)]
pub struct DatabaseSessionStore {
    db: DatabaseConnection,
}

impl DatabaseSessionStore {
    /// A store over the given connection pool.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn upsert(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let row = staff_session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expires_at: Set(record.expiry_date),
        };
        staff_session::Entity::insert(row)
            .on_conflict(
                OnConflict::column(staff_session::Column::Id)
                    .update_columns([staff_session::Column::Data, staff_session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

fn backend(e: sea_orm::DbErr) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait::async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id practically never collides, but a collision must not hand one
        // person another's session: draw again until the id is free.
        while staff_session::Entity::find_by_id(record.id.to_string()).one(&self.db).await.map_err(backend)?.is_some() {
            record.id = Id::default();
        }
        self.upsert(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.upsert(record).await
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let row = staff_session::Entity::find_by_id(session_id.to_string())
            .filter(staff_session::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *session_id, data, expiry_date: row.expires_at }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        staff_session::Entity::delete_by_id(session_id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DatabaseSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        staff_session::Entity::delete_many()
            .filter(staff_session::Column::ExpiresAt.lte(OffsetDateTime::now_utc()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
