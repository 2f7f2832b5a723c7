//! A named partition of the city, such as "Neighborhoods" (table `area_set`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "area_set")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: String,
    pub name: String,
    pub source: String,
    pub is_default: bool,
    pub is_zip_codes: bool,
    pub map_height: f64,
    pub revision: i32,
    /// The set whose areas this grouping's areas are made of (`None`: boundaries of its own).
    pub grouping_of: Option<i64>,
    /// This grouping is drawn as outlines on residents' area picker of `grouping_of`.
    pub on_picker: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
