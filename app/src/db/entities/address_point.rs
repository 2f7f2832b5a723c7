//! One published address point with the area it lies in (table `address_point`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "address_point")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub area_set_id: i64,
    pub address: String,
    /// `domain::geography::addresses::search_key` of the address.
    pub search_key: String,
    pub area_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
