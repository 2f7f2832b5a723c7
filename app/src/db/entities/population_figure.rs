//! One population count for one area and group (table `population_figure`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "population_figure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub area_id: i64,
    pub dimension: String,
    pub group_key: String,
    pub count: f64,
    pub margin: Option<f64>,
    pub year: Option<i32>,
    pub source: String,
    pub apportioned: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
