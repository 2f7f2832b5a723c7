//! A publication: a dated, suppressed and audited snapshot of a survey's results (table
//! `publication`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub published_at: TimeDateTimeWithTimeZone,
    pub published_by: Option<i64>,
    pub automatic: bool,
    pub threshold: i32,
    pub respondents: Option<i64>,
    pub withheld: i32,
    pub results: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
