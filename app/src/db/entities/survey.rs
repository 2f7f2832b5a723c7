//! A survey (table `survey`); the definition is the JSON of `domain::survey::SurveyDefinition`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_key: String,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub definition: String,
    pub version: i32,
    pub opens_at: Option<TimeDateTimeWithTimeZone>,
    pub closes_at: Option<TimeDateTimeWithTimeZone>,
    /// Who may answer: `open`, `invite_only` or `both`.
    pub access: String,
    pub created_by: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// The survey this one was duplicated from, as its next wave.
    pub previous_wave_id: Option<i64>,
    /// Staff have switched the public results page on.
    pub results_public: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
