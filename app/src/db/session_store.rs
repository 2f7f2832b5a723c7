//! tower-sessions storage in the Canvass database, so that several app servers share sessions.
//!
//! - The table keeps the SHA-256 of each session id, never the id: a copy of the database does
//!   not hand out live sessions. (A fast hash is enough: the ids are 128 random bits.)
//! - A session ends [`SESSION_LIFETIME`] after it began (a sign-in begins a new one), however
//!   active it is; the idle limit is the session layer's (`server/src/http`).
//! - Each row names the account it is signed in as ([`SIGNED_IN_AS`] in its data), so that
//!   [`end_other_sessions`] can sign an account out everywhere else.
//! - `save` only updates: a session ended meanwhile (signed out, password changed) is not
//!   brought back by a request of it that was still running.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::entities::staff_session::{self, Column, Entity};

/// The longest a session lasts, counted from when it began, whatever the activity.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// The session data key holding the signed-in staff member's id (`web::session`).
pub const SIGNED_IN_AS: &str = "staff_user_id";

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
}

/// What the table stores for a session id: its SHA-256, in hex.
fn stored_id(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

fn signed_in_as(record: &Record) -> Option<i64> {
    record.data.get(SIGNED_IN_AS).and_then(serde_json::Value::as_i64)
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

fn backend(e: DbErr) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// Sessions that have not ended: within their idle limit and their lifetime.
fn live(now: OffsetDateTime) -> Condition {
    Condition::all().add(Column::ExpiresAt.gt(now)).add(Column::CreatedAt.gt(now - SESSION_LIFETIME))
}

#[async_trait::async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let row = staff_session::ActiveModel {
                id: Set(stored_id(&record.id.to_string())),
                staff_user_id: Set(signed_in_as(record)),
                data: Set(encode(record)?),
                created_at: Set(OffsetDateTime::now_utc()),
                expires_at: Set(record.expiry_date),
            };
            match Entity::insert(row).exec(&self.db).await {
                Ok(_) => return Ok(()),
                // A 128-bit random id practically never collides, but a collision must not hand
                // one person another's session: draw again.
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        Entity::update_many()
            .col_expr(Column::Data, Expr::value(encode(record)?))
            .col_expr(Column::ExpiresAt, Expr::value(record.expiry_date))
            .col_expr(Column::StaffUserId, Expr::value(signed_in_as(record)))
            .filter(Column::Id.eq(stored_id(&record.id.to_string())))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let row = Entity::find_by_id(stored_id(&session_id.to_string()))
            .filter(live(OffsetDateTime::now_utc()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *session_id, data, expiry_date: row.expires_at }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        Entity::delete_by_id(stored_id(&session_id.to_string())).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DatabaseSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        Entity::delete_many().filter(live(OffsetDateTime::now_utc()).not()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

/// Ends every session signed in as `staff_user_id` except the one whose id is `keep` (the
/// browser that asked); returns how many ended.
pub async fn end_other_sessions(db: &DatabaseConnection, staff_user_id: i64, keep: Option<&str>) -> Result<u64, DbErr> {
    let mut others = Entity::delete_many().filter(Column::StaffUserId.eq(staff_user_id));
    if let Some(keep) = keep {
        others = others.filter(Column::Id.ne(stored_id(keep)));
    }
    Ok(others.exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_id_is_the_sha256_of_the_id_not_the_id() {
        let id = Id::default().to_string();
        assert_eq!(stored_id(&id).len(), 64);
        assert_ne!(stored_id(&id), id);
        assert_eq!(stored_id("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
