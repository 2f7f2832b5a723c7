//! A resident's response, in progress or complete (table `response`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "response")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub survey_version: i32,
    pub status: String,
    pub channel: String,
    pub language: String,
    pub answers: String,
    pub current_page: i32,
    pub area_key: Option<String>,
    pub invite_code_id: Option<i64>,
    pub resume_token_hash: Option<String>,
    /// The token a first device still holds after the response moved to another device through
    /// its "continue later" link (hashed).
    pub moved_token_hash: Option<String>,
    pub device_hash: Option<String>,
    pub submission_id: Option<String>,
    pub receipt: Option<String>,
    pub started_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    /// SHA-256 of a complete response's answers, so a reused submission id with other answers
    /// is told apart from a retry.
    pub answers_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
