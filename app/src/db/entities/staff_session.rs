//! A staff member's session (table `staff_session`), written by tower-sessions through
//! `db::session_store`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_session")]
pub struct Model {
    /// The SHA-256 (hex) of the session id; the id itself is only in the browser's cookie.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The account the session is signed in as, if any.
    pub staff_user_id: Option<i64>,
    /// The session's key/value data as JSON.
    pub data: String,
    /// When the session began; it ends `session_store::SESSION_LIFETIME` later at the latest.
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
