//! A recorded version of a survey's definition (table `survey_version`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub version: i32,
    pub definition: String,
    pub created_by: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
