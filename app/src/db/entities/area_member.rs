//! An area of a finer set inside an area of a grouping (table `area_member`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "area_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The grouping's area.
    pub area_id: i64,
    /// The finer set's area inside it.
    pub member_area_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
